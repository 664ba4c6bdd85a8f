"""The compiled SQL run by real engines: DuckDB, PostgreSQL and Spark give every record the stage,
scope, overlap count and outside-domain flags that `leadspec.membership` gives it.

The reference is `sql_support.reference`: each cell read as `classify.read_text` reads it with
case kept (the compiler's contract, `leadspec.sql.cells`), the lead placed by `Membership`. A typed cell (a
warehouse's BOOLEAN, BIGINT or DECIMAL column) means what its text means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from leadspec.api import load
from leadspec.classify import read_text
from leadspec.config import load_config
from leadspec.membership import Membership
from leadspec.model import Field
from leadspec.sql import compile_select
from sql.engines import Engine
from sql.sql_support import Built, reference, small_model

REPO = Path(__file__).resolve().parents[2]

Record = Mapping[str, Any]  # field id -> cell (text, or a typed value; None is NULL)


@cache
def _loaded(path: str) -> Membership:
    found = load([REPO / path], load_config(start=REPO))
    return Membership(found.model, found.context.exprs)


def _text(value: Any) -> str | None:
    """A typed cell as the text it means (what the SQL casts it to before reading it)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def expected(rule: Membership, record: Record) -> dict[str, Any]:
    """What the membership rule says about one record, in the compiled query's columns."""
    texts = {name: _text(cell) for name, cell in record.items()}
    stage, in_scope, met = reference(Built(rule.model, dict(rule.exprs)), texts)
    row: dict[str, Any] = {"stage": stage, "in_scope": in_scope, "stages_met": met}
    for name, text in texts.items():
        reading = read_text(rule.model.fields[name], text or "", ignore_case=False)
        row[f"outside_{name}"] = reading.problem in ("outside", "empty")
    return row


def run_compiled(
    engine: Engine,
    rule: Membership,
    records: Sequence[Record],
    kinds: Mapping[str, type],
    columns: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The compiled query for `engine`'s dialect over the records, with only the columns it adds."""
    sql = compile_select(rule, columns, engine.dialect, "leads")
    rows = [{columns[name]: cell for name, cell in record.items()} for record in records]
    got = engine.run(sql, rows, {columns[name]: kind for name, kind in kinds.items()})
    added = ["stage", "in_scope", "stages_met", *(f"outside_{name}" for name in kinds)]
    return [{name: row[name] for name in added} for row in got]


# -- by hand ------------------------------------------------------------------------------------------

SMALL = "tests/classify/fixtures/small.yaml"
# Salesforce's API names, as a CRM export has them (mixed case: an engine that folds case must not lose them).
SMALL_COLUMNS = {
    "lead_score": "Lead_Score__c",
    "email_verified": "Email_Verified__c",
    "revenue": "AnnualRevenue",
    "sdr_status": "SDR_Status__c",
    "is_partner": "Is_Partner__c",
    "region": "Region__c",
}
BASE = {
    "lead_score": "55",
    "email_verified": "yes",
    "revenue": "",
    "sdr_status": "open",
    "is_partner": "no",
    "region": "emea",
}
# (what is different from BASE, the stage worked out by hand from small.yaml, in scope)
BY_HAND: list[tuple[dict[str, str | None], str | None, bool]] = [
    ({}, "mql", True),
    ({"lead_score": " 49.999 "}, "cold", True),
    ({"lead_score": "5E+1"}, "mql", True),
    ({"email_verified": "No"}, "cold", True),
    ({"email_verified": None}, "cold", True),  # missing: `not email_verified` is true
    ({"email_verified": "maybe"}, "cold", True),  # not a boolean: outside, and not true
    ({"lead_score": "n/a"}, None, True),  # not a number: meets neither `< 50` nor `>= 50`
    ({"sdr_status": "Open"}, None, True),  # enum values keep their case
    ({"sdr_status": "accepted", "revenue": "1000.5"}, "big_deal", True),
    ({"sdr_status": "accepted", "revenue": "1000.4999999999999"}, "small_deal", True),
    ({"sdr_status": "accepted", "revenue": None}, "small_deal", True),  # not (missing >= x) is true
    ({"sdr_status": "accepted", "revenue": "-1"}, "small_deal", True),  # outside the domain, still compared
    ({"is_partner": "TRUE"}, None, False),
    ({"is_partner": "1"}, None, False),
    ({"region": "mars", "sdr_status": "rejected"}, "rejected", True),
]


def test_records_worked_out_by_hand_land_where_the_rule_puts_them(engine: Engine) -> None:
    """Text cells as a CSV export has them, all in one table (one query per engine keeps Spark quick)."""
    rule = _loaded(SMALL)
    records = [{**BASE, **change} for change, _, _ in BY_HAND]
    got = run_compiled(engine, rule, records, dict.fromkeys(SMALL_COLUMNS, str), SMALL_COLUMNS)
    found = [
        (change, row["stage"], row["in_scope"]) for (change, _, _), row in zip(BY_HAND, got, strict=True)
    ]
    assert found == BY_HAND
    assert got == [expected(rule, record) for record in records]


TYPED_BASE: dict[str, Any] = {
    "lead_score": 55, "email_verified": True, "revenue": None, "sdr_status": "open", "is_partner": False, "region": "emea",
}  # fmt: skip
TYPED_BY_HAND: list[tuple[dict[str, Any], str | None, bool]] = [
    ({}, "mql", True),
    ({"lead_score": 49}, "cold", True),
    ({"lead_score": None}, None, True),  # missing: neither `< 50` nor `>= 50`
    ({"lead_score": 101}, "mql", True),  # outside 0..100, still compared
    ({"sdr_status": "accepted", "revenue": Decimal("1000.5")}, "big_deal", True),
    ({"sdr_status": "accepted", "revenue": Decimal("1000.4999999999")}, "small_deal", True),
    ({"is_partner": True}, None, False),
    ({"is_partner": None}, "mql", True),  # `not is_partner` is true for a missing value
]


def test_a_typed_warehouse_table_in_record_order(engine: Engine) -> None:
    """BOOLEAN, BIGINT and DECIMAL columns, all records in one table: each row is its own record's."""
    rule = _loaded(SMALL)
    kinds = {name: str for name in SMALL_COLUMNS} | {
        "lead_score": int,
        "email_verified": bool,
        "revenue": Decimal,
        "is_partner": bool,
    }
    records = [{**TYPED_BASE, **change} for change, _, _ in TYPED_BY_HAND]
    got = run_compiled(engine, rule, records, kinds, SMALL_COLUMNS)
    assert [(row["stage"], row["in_scope"]) for row in got] == [
        (stage, scope) for _, stage, scope in TYPED_BY_HAND
    ]
    assert [row["outside_lead_score"] for row in got] == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert got == [expected(rule, record) for record in records]


VALID = {
    "lead_score": "10", "fit_score": "50", "engagement_actions": "1", "key_content_downloaded": "false",
    "demo_requested": "false", "industry": "software", "employees": "250", "seniority": "vp",
    "region": "emea", "country": "DE", "email_verified": "true", "is_competitor": "false",
    "is_partner": "false", "unsubscribed": "false", "disqualified": "false", "sdr_status": "new",
    "days_since_last_touch": "3", "bant_budget": "", "bant_authority": "", "bant_need": "",
    "bant_timeframe": "", "motivation": "", "deal_status": "none",
}  # fmt: skip
BUNDLED_RECORDS = [
    VALID,
    {**VALID, "demo_requested": "yes"},  # meets the MQL bar: the exit from valid_response is taken
    {**VALID, "sdr_status": "accepted", "demo_requested": "1"},
    {**VALID, "deal_status": "won"},
    {**VALID, "is_partner": "true"},
    {**VALID, "seniority": "student"},
    {**VALID, "employees": "1,000", "deal_status": "Won", "industry": "Software"},
    dict.fromkeys(VALID, None),
]
BUNDLED_STAGES = ["valid_response", "mql", "sal", "customer", None, "disqualified"]


def test_the_bundled_lifecycle_over_a_few_leads(engine: Engine) -> None:
    rule = _loaded("definitions")
    fields = rule.model.fields
    columns = {name: field.crm.get("hubspot", name) for name, field in fields.items()}
    got = run_compiled(engine, rule, BUNDLED_RECORDS, dict.fromkeys(fields, str), columns)
    assert [row["stage"] for row in got[: len(BUNDLED_STAGES)]] == BUNDLED_STAGES
    assert got == [expected(rule, record) for record in BUNDLED_RECORDS]


def _printed_sql_over_an_export(engine: Engine, *options: str) -> list[str | None]:
    """`leadspec sql --crm salesforce` run on a Salesforce export of BUNDLED_RECORDS: the stages."""
    args = ["sql", "--table", "leads", "--dialect", engine.dialect, "--crm", "salesforce", *options]
    printed = run_cli(args, cwd=REPO)
    assert printed.exit_code == 0, printed.stderr
    query = printed.stdout + (";\nSELECT * FROM lifecycle" if "--view" in options else "")
    columns = {name: field.crm["salesforce"] for name, field in _loaded("definitions").model.fields.items()}
    rows = [{columns[name]: cell for name, cell in record.items()} for record in BUNDLED_RECORDS]
    return [row["stage"] for row in engine.run(query, rows, dict.fromkeys(columns.values(), str))]


def test_what_leadspec_sql_prints_runs_on_the_engine(engine: Engine) -> None:
    """The user's path: the command's output pasted into the engine, over the CRM's column names."""
    rule = _loaded("definitions")
    assert _printed_sql_over_an_export(engine) == [
        expected(rule, record)["stage"] for record in BUNDLED_RECORDS
    ]


@pytest.mark.parametrize("name", ["duckdb", "postgres"])  # Spark makes no view over a temporary one
def test_the_view_leadspec_sql_writes_runs_on_the_engine(request: pytest.FixtureRequest, name: str) -> None:
    engine = request.getfixturevalue(f"{name}_engine")
    rule = _loaded("definitions")
    got = _printed_sql_over_an_export(engine, "--view", "lifecycle")
    assert got == [expected(rule, record)["stage"] for record in BUNDLED_RECORDS]


# -- random models and records ------------------------------------------------------------------------

BOOLEAN_TEXTS = ["true", "false", "TRUE", "Yes", "no", "1", "0", "", " ", "maybe", "t", " false\t"]
NUMBER_JUNK = ["", " ", "n/a", "1,000", "1_000", "NaN", "inf", "-", "4 5", ".", "1e", "0x10"]


def _spelled(value: Decimal, style: int) -> str:
    """One of the ways a CRM export writes a number."""
    text = format(value, "f")
    if style == 1:
        return text + ("00" if "." in text else ".00")
    if style == 2:
        return f" {text}\t"
    if style == 3 and value >= 0:
        return "+" + text
    if style == 4 and value != 0:
        return f"{value.normalize():E}"
    if style == 5 and value >= 0:
        return "00" + text
    return text


def _quarters(low: int = -16, high: int = 44) -> st.SearchStrategy[Decimal]:
    """Numbers on, between and around every literal and bound small_model writes (ints and halves)."""
    return st.integers(low, high).map(lambda n: Decimal(n) / 4)


def _kind_and_cells(field: Field, draw: st.DrawFn) -> tuple[type, st.SearchStrategy[Any]]:
    """A column type for the field (text as in a CSV, or typed as in a warehouse) and its cells."""
    if field.type == "boolean":
        kind = draw(st.sampled_from([str, bool]))
        typed: st.SearchStrategy[Any] = st.booleans() if kind is bool else st.sampled_from(BOOLEAN_TEXTS)
    elif field.type == "enum":
        kind = str
        values = [*field.values, "open", "won", "paused"]
        typed = st.one_of(
            st.sampled_from(values),
            st.sampled_from(values).map(str.upper),
            st.sampled_from(values).map(lambda v: f" {v} "),
            st.sampled_from(["", "junk", "n/a"]),
        )
    else:
        kind = draw(st.sampled_from([str, Decimal] + ([int] if field.type == "integer" else [])))
        if kind is int:
            typed = st.integers(-4, 11)
        elif kind is Decimal:
            typed = _quarters()
        else:
            typed = st.one_of(
                st.builds(_spelled, _quarters(), st.integers(0, 5)), st.sampled_from(NUMBER_JUNK)
            )
    return kind, st.one_of(st.none(), typed)


@st.composite
def models_and_records(draw: st.DrawFn) -> tuple[Membership, dict[str, type], list[dict[str, Any]]]:
    built = small_model(draw(st.integers(0, 2**32 - 1)))
    rule = Membership(built.model, built.exprs)
    kinds: dict[str, type] = {}
    cells: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in rule.model.fields.items():
        kinds[name], cells[name] = _kind_and_cells(field, draw)
    records = draw(st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=8))
    return rule, kinds, records


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=models_and_records())
def test_random_models_and_records_agree_on_every_engine(
    duckdb_engine: Engine, postgres_engine: Engine, spark_engine: Engine, case: Any
) -> None:
    rule, kinds, records = case
    columns = {name: f"Col_{name}" for name in kinds}  # mixed case, as CRM API names are
    want = [expected(rule, record) for record in records]
    for engine in (duckdb_engine, postgres_engine, spark_engine):
        assert run_compiled(engine, rule, records, kinds, columns) == want, engine.name
