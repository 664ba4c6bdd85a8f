"""The history shapes people have, read into leadspec_history; and conversion counts against a plain Python count."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadspec.api import load
from leadspec.config import Config
from leadspec.funnel import history, measures, periods, stays
from leadspec.model import Model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> Model:
    return load([REPO / "definitions"], Config()).model


def _read(model: Model, path: Path, **options: object) -> list[tuple]:
    con = duckdb.connect()
    history.create_tables(con)
    history.add_file(con, path, path.name, model, scratch=path.parent, **options)  # type: ignore[arg-type]
    history.finish(con)
    return con.execute(
        "SELECT lead_id, stage, entered_at, reason, owner, source_row FROM leadspec_history ORDER BY lead_id, entered_at"
    ).fetchall()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_salesforce_lead_history(model: Model, tmp_path: Path) -> None:
    # A Data Loader export of LeadHistory: the lifecycle field's rows are stage changes, the rejection
    # reason saved with the change is its reason, the owner the last one set; other fields are skipped.
    path = tmp_path / "LeadHistory.csv"
    path.write_text(
        "Id,IsDeleted,LeadId,CreatedById,CreatedDate,Field,DataType,OldValue,NewValue\n"
        "017A,false,00Q1,005X,2026-07-01T14:00:00.000+0000,created,Text,,\n"
        "017B,false,00Q1,005X,2026-07-01T14:00:00.000+0000,Lifecycle_Stage__c,Picklist,,MQL\n"
        "017C,false,00Q1,005X,2026-07-01T15:00:00.000+0000,Owner,Text,Queue,Sam SDR\n"
        "017D,false,00Q1,005X,2026-07-02T09:00:00.000+0000,Rejection_Reason__c,Picklist,,Bad Timing\n"
        "017E,false,00Q1,005X,2026-07-02T09:00:00.000+0000,Lifecycle_Stage__c,Picklist,MQL,Nurture\n"
        "017F,false,00Q1,005X,2026-07-03T09:00:00.000+0000,Email,Text,a@x.com,b@x.com\n",
        encoding="utf-8",
    )
    assert _read(model, path) == [
        ("00Q1", "mql", _at("2026-07-01T14:00:00+00:00"), None, None, 3),
        ("00Q1", "nurture", _at("2026-07-02T09:00:00+00:00"), "Bad Timing", "Sam SDR", 6),
    ]


def test_fivetran_hubspot_contact_history(model: Model, tmp_path: Path) -> None:
    # The dbt package's hubspot__contact_history: HubSpot's internal lifecycle values.
    path = tmp_path / "hubspot__contact_history.csv"
    path.write_text(
        "contact_id,field_name,change_source,change_source_id,valid_from,new_value,valid_to,id\n"
        "51,lifecyclestage,CRM_UI,u1,2026-07-01 10:00:00+00,lead,2026-07-02 10:00:00+00,a\n"
        "51,hubspot_owner_id,CRM_UI,u1,2026-07-01 11:00:00+00,9001,,b\n"
        "51,lifecyclestage,CRM_UI,u1,2026-07-02 10:00:00+00,marketingqualifiedlead,,c\n"
        "52,lifecyclestage,CRM_UI,u1,2026-07-02 10:00:00+00,evangelist,,d\n",
        encoding="utf-8",
    )
    assert _read(model, path) == [
        ("51", "response", _at("2026-07-01T10:00:00+00:00"), None, None, 2),
        ("51", "mql", _at("2026-07-02T10:00:00+00:00"), None, "9001", 4),
    ]


def test_hubspot_api_history_with_epoch_milliseconds(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "contacts_property_history.jsonl"
    lines = [
        {
            "contactId": "7",
            "property": "lifecyclestage",
            "value": "salesqualifiedlead",
            "timestamp": 1782900000000,
        },
        {
            "contactId": "7",
            "property": "lifecyclestage",
            "value": "opportunity",
            "timestamp": "1782990000000",
        },
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    rows = _read(model, path)
    assert [(r[1], r[2]) for r in rows] == [
        ("sal", datetime.fromtimestamp(1782900000, UTC)),
        ("sql", datetime.fromtimestamp(1782990000, UTC)),
    ]


def test_parquet_instants_are_read_as_stored(model: Model, tmp_path: Path) -> None:
    # A Parquet history whose times are TIMESTAMP WITH TIME ZONE is read without going through text:
    # the same rows as its CSV, and a missing time is still a bad row with its row number.
    csv_path = tmp_path / "history.csv"
    csv_path.write_text(
        "lead_id,stage,entered_at,reason,owner\n"
        "L1,MQL,2026-07-01T14:00:00.123456+02:00,,sam\n"
        "L1,Nurture,2026-07-02T09:00:00Z,Bad Timing,mia\n"
        "L2,MQL,,,\n",
        encoding="utf-8",
    )
    parquet_path = tmp_path / "history.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * REPLACE (CAST(entered_at AS TIMESTAMPTZ) AS entered_at) FROM read_csv('{csv_path}', "
        f"all_varchar = true)) TO '{parquet_path}' (FORMAT PARQUET)"
    )
    assert (
        con.execute(f"DESCRIBE SELECT entered_at FROM '{parquet_path}'").fetchone()[1]
        == "TIMESTAMP WITH TIME ZONE"
    )
    expected = [
        ("L1", "mql", _at("2026-07-01T12:00:00.123456+00:00"), None, "sam", 2),
        ("L1", "nurture", _at("2026-07-02T09:00:00+00:00"), "Bad Timing", "mia", 3),
    ]
    assert _read(model, csv_path) == expected
    read = duckdb.connect()
    history.create_tables(read)
    history.add_file(read, parquet_path, parquet_path.name, model, scratch=tmp_path)
    history.finish(read)
    assert read.execute(
        "SELECT lead_id, stage, entered_at, reason, owner, source_row FROM leadspec_history ORDER BY lead_id, entered_at"
    ).fetchall() == [
        (lead, stage, at, reason, owner, row - 1) for lead, stage, at, reason, owner, row in expected
    ]
    assert read.execute("SELECT source_row, why FROM leadspec_bad_rows").fetchall() == [(3, "has no time")]


def test_a_map_file_names_the_columns(model: Model, tmp_path: Path, cli) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Record,Phase,When\nR1,MQL,2026-07-01T10:00:00Z\nR1,SAL,2026-07-01T12:00:00Z\n", encoding="utf-8"
    )
    assert [
        r[1]
        for r in _read(model, path, explicit={"Record": "lead_id", "Phase": "stage", "When": "entered_at"})
    ] == [
        "mql",
        "sal",
    ]
    wrong = tmp_path / "map.yaml"
    wrong.write_text("Record: lead\n", encoding="utf-8")
    result = cli(["funnel", str(path), "--map", str(wrong)], cwd=REPO)
    assert result.exit_code == 2 and "the role `lead`" in result.stderr and "lead_id" in result.stderr


def test_snapshots_give_the_changes_between_them(tmp_path: Path, cli) -> None:
    first = tmp_path / "july.csv"
    first.write_text("row,stage,note,Id\n2,mql,,L1\n3,sal,,L2\n4,,in no stage,L3\n", encoding="utf-8")
    second = tmp_path / "august.csv"
    second.write_text("row,stage,note,Id\n2,sal,,L1\n3,sal,,L2\n4,mql,,L3\n", encoding="utf-8")
    result = cli(
        [
            "funnel",
            "--snapshot",
            f"2026-07-01={first}",
            "--snapshot",
            f"2026-08-01={second}",
            "--id",
            "Id",
            "--period",
            "2026-Q3",
            "--as-of",
            "2026-09-01T00:00Z",
            "--format",
            "json",
        ],
        cwd=REPO,
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    entered = {(v["window"], v["stage"]): v["entered"] for v in document["volumes"]}
    # July: L1 in MQL, L2 in SAL (first seen); August: L1 moved to SAL, L3 appeared in MQL.
    assert (entered[("2026-07", "mql")], entered[("2026-07", "sal")]) == (1, 1)
    assert (entered[("2026-08", "mql")], entered[("2026-08", "sal")]) == (1, 1)
    assert document["history"]["stage_entries"] == 4


# -- conversion counts equal a plain Python count -------------------------------------------------

STAGES = ["response", "valid_response", "mql", "sal", "sql", "nurture", "customer", "disqualified"]
START = datetime(2026, 6, 20, tzinfo=UTC)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, str, datetime]]:
    rows = []
    for lead in range(draw(st.integers(1, 12))):
        at = START
        for stage in draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=7)):
            at += timedelta(hours=draw(st.integers(0, 24 * 40)))
            rows.append((f"L{lead}", stage, at))
    return rows


def _history_table() -> duckdb.DuckDBPyConnection:
    """A connection holding an empty `leadspec_history` as `history.finish` leaves it, in UTC."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TEMP TABLE leadspec_history (lead_id VARCHAR, stage VARCHAR, entered_at TIMESTAMPTZ, "
        "reason VARCHAR, owner VARCHAR, source_row BIGINT, source VARCHAR)"
    )
    return con


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=histories())
def test_conversion_counts_equal_a_plain_count(model: Model, rows: list[tuple[str, str, datetime]]) -> None:
    con = _history_table()
    con.executemany(
        "INSERT INTO leadspec_history VALUES (?, ?, ?, NULL, NULL, ?, 'h')",
        [[lead, stage, at, index] for index, (lead, stage, at) in enumerate(rows)],
    )
    as_of = datetime(2026, 10, 15, tzinfo=UTC)
    stays.build_stays(con, as_of)
    period = periods.make_period(UTC, period="2026-Q3")
    found = measures.conversion(con, model, period)
    # The plain count: per lead in time order (file order for ties), each stay and the stay after it.
    per_lead: dict[str, list[tuple[int, str, datetime]]] = {}
    for index, (lead, stage, at) in enumerate(rows):
        if at <= as_of:
            per_lead.setdefault(lead, []).append((index, stage, at))
    for item in found:
        window = next(w for w in period.windows if w.label == item.window)
        cohort = reached = still_in = 0
        times: list[timedelta] = []
        for visits in per_lead.values():
            ordered = sorted(visits, key=lambda v: (v[2], v[0]))
            for position, (_, stage, at) in enumerate(ordered):
                if stage == item.stage and window.start <= at < window.end:
                    cohort += 1
                    after = ordered[position + 1] if position + 1 < len(ordered) else None
                    still_in += after is None
                    if after is not None and after[1] == item.to:
                        reached += 1
                        times.append(after[2] - at)
        assert (item.entered, item.reached, item.still_in) == (cohort, reached, still_in), item
        assert (item.median, item.p90) == (_quantile(times, 0.5), _quantile(times, 0.9)), item


def _quantile(values: list[timedelta], q: float) -> timedelta | None:
    """Linear between the ranked values, as `quantile_cont`."""
    if not values:
        return None
    ranked = sorted(values)
    position = q * (len(ranked) - 1)
    low = int(position)
    high = min(low + 1, len(ranked) - 1)
    return ranked[low] + (ranked[high] - ranked[low]) * (position - low)


# -- every stay equals a plain walk of each lead's rows ---------------------------------------------


@st.composite
def tied_histories(draw: st.DrawFn) -> list[tuple[str, str, datetime, str, str, int]]:
    """(lead, stage, entered at, reason, source, source row): few stages so that leads come back, and
    many rows at one instant, in two files, so that the order of ties is put to the test."""
    rows = []
    numbers = {"a.csv": 0, "b.csv": 0}
    for lead in range(draw(st.integers(1, 8))):
        at = START
        for stage in draw(st.lists(st.sampled_from(STAGES[2:6]), min_size=1, max_size=9)):
            at += timedelta(hours=draw(st.sampled_from([0, 0, 1, 30, 24 * 50])))
            source = draw(st.sampled_from(sorted(numbers)))
            numbers[source] += 1
            row = numbers[source] if draw(st.booleans()) else 1000 - numbers[source]
            rows.append((f"L{lead}", stage, at, f"r{len(rows)}", source, row))
    return rows


def _tied_stays(
    rows: list[tuple[str, str, datetime, str, str, int]], as_of: datetime
) -> duckdb.DuckDBPyConnection:
    """`tied_histories` rows as the history table, and the stays built from it as of `as_of`."""
    con = _history_table()
    con.executemany(
        "INSERT INTO leadspec_history VALUES (?, ?, ?, ?, 'o', ?, ?)",
        [[lead, stage, at, reason, row, source] for lead, stage, at, reason, source, row in rows],
    )
    stays.build_stays(con, as_of)
    return con


@settings(max_examples=60, deadline=None)
@given(rows=tied_histories())
def test_stays_equal_a_plain_walk(rows: list[tuple[str, str, datetime, str, str, int]]) -> None:
    as_of = START + timedelta(days=200)
    con = _tied_stays(rows, as_of)
    found = con.execute(
        "SELECT lead_id, stage, visit, entered_at, left_at, next_stage, reason FROM leadspec_stays"
    ).fetchall()
    # The plain walk: each lead's rows up to as_of in time order, ties in file order (file, then row).
    expected = []
    per_lead: dict[str, list[tuple[str, str, datetime, str, str, int]]] = {}
    for item in rows:
        if item[2] <= as_of:
            per_lead.setdefault(item[0], []).append(item)
    for lead, items in per_lead.items():
        ordered = sorted(items, key=lambda r: (r[2], r[4], r[5]))
        seen: dict[str, int] = {}
        for position, (_, stage, at, _, _, _) in enumerate(ordered):
            seen[stage] = seen.get(stage, 0) + 1
            after = ordered[position + 1] if position + 1 < len(ordered) else None
            expected.append(
                (lead, stage, seen[stage], at, after and after[2], after and after[1], after and after[3])
            )
    assert sorted(found, key=repr) == sorted(expected, key=repr)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tied_histories())
def test_recycled_leads_equal_a_plain_count(
    model: Model, rows: list[tuple[str, str, datetime, str, str, int]]
) -> None:
    as_of = START + timedelta(days=400)
    con = _tied_stays(rows, as_of)
    period = periods.make_period(UTC, period="2026", by="quarter")
    found = {
        (r.window, r.stage): (r.leads, r.converted) for r in measures.recycled(con, model, period, "sql")
    }
    # The plain count: a lead's stays in time order (ties in file order); from its second visit to a
    # stage on it came back; converted when it last entered `sql` after that.
    expected: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for lead in {row[0] for row in rows}:
        ordered = sorted((r for r in rows if r[0] == lead), key=lambda r: (r[2], r[4], r[5]))
        won = max((r[2] for r in ordered if r[1] == "sql"), default=None)
        seen: set[str] = set()
        for _, stage, at, _, _, _ in ordered:
            if stage in seen:
                for window in period.windows:
                    if window.start <= at < window.end:
                        leads, converted = expected.setdefault((window.label, stage), (set(), set()))
                        leads.add(lead)
                        if won is not None and won > at:
                            converted.add(lead)
            seen.add(stage)
    assert found == {key: (len(leads), len(won)) for key, (leads, won) in expected.items()}
