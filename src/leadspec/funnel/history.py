"""Stage history files read into the table `leadspec_history`, one row per stage a lead entered.

The shapes people have, told apart by their columns (names compared ignoring case
and `_`), or named in a --map file (column name: role):

- **generic**: `lead_id, stage, entered_at[, reason][, owner]`;
- **Salesforce field history** (`LeadHistory` / `ContactHistory` exports, or their
  Fivetran copies): `LeadId, Field, NewValue, CreatedDate`; the rows whose `Field` is
  the lifecycle stage's field (`lifecycle.crm.salesforce`) are stage changes, the rows
  of a reason picklist's field give the reason, `Owner`/`OwnerId` the owner;
- **HubSpot property history** (the API's / Airbyte's `contactId, property, value,
  timestamp`, Fivetran's `contact_property_history` `contact_id, name, value,
  timestamp` and its dbt model `hubspot__contact_history`
  `contact_id, field_name, new_value, valid_from`): rows of `lifecyclestage` (or the
  property `lifecycle.crm.hubspot` names), reasons from the reason picklists'
  contact properties, the owner from `hubspot_owner_id`;
- **snapshots**: `classify --out` files of the same records taken on different days
  (with the records' id column), each given its date: `snapshots` derives a history
  row whenever a lead's stage differs from the snapshot before (dated at the snapshot
  it was first seen in, so the first snapshot counts as the day its leads entered).

A stage value is mapped to a stage id through the id, label, abbr, `api_name`,
aliases and every CRM's own value (Dynamics option numbers too), exactly, else
ignoring case when that names one stage; other values go to
`leadspec_unknown_values`. A reason given with a stage change is the reason
recorded since the lead's previous change, as stored (measures.py reads it by
the exit's picklist); an owner is the last one recorded.

Times are instants: a time with an offset (`Z`, `+02:00`) is read as written,
epoch milliseconds (HubSpot) as UTC, a time with no zone only with `timezone`
given (else the row is a bad row, like a row with no lead id or an unreadable
time): `leadspec_bad_rows(source, source_row, why)`. Rows are numbered as
`records.py` numbers them (the header is row 1). A stage that repeats a lead's
current stage is no new entry and is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from leadspec.model import Model
from leadspec.records import sql_name, sql_text
from leadspec.structs import field, struct

HISTORY = "leadspec_history"
UNKNOWN = "leadspec_unknown_values"
BAD = "leadspec_bad_rows"
RAW = "leadspec_history_raw"
EXAMPLES = 3

ROLES = ("lead_id", "stage", "entered_at", "reason", "owner", "field")
SHAPES = ("generic", "salesforce", "hubspot")

# Column names each role goes by, compared as `_norm` compares them; the first found is taken.
_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "generic": {
        "lead_id": ("lead_id", "contact_id", "record_id", "id"),
        "stage": ("stage", "lifecycle_stage", "stage_id"),
        "entered_at": ("entered_at", "changed_at", "timestamp", "valid_from"),
        "reason": ("reason",),
        "owner": ("owner", "owner_id"),
    },
    "salesforce": {
        "lead_id": ("LeadId", "ContactId"),
        "field": ("Field",),
        "stage": ("NewValue",),
        "entered_at": ("CreatedDate",),
    },
    "hubspot": {
        "lead_id": ("contactId", "contact_id", "vid", "objectId"),
        "field": ("property", "field_name", "name"),
        "stage": ("value", "new_value"),
        "entered_at": ("timestamp", "change_timestamp", "valid_from"),
    },
}
_OWNER_FIELDS = {"salesforce": ("Owner", "OwnerId"), "hubspot": ("hubspot_owner_id",)}


class HistoryError(Exception):
    """A history file cannot be read as a stage history at all: exit code 2."""


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@struct
class Columns:
    """Which column of a file plays which role, and the shape that says how to read it."""

    shape: str
    roles: dict[str, str]  # role -> column name (as the view names it)
    stage_fields: tuple[str, ...] = ()  # field-history shapes: the field names of the lifecycle stage
    reason_fields: tuple[str, ...] = ()
    owner_fields: tuple[str, ...] = ()


def detect(header: Sequence[str], model: Model, explicit: Mapping[str, str] | None, source: str) -> Columns:
    """The shape of a file from its header (and the --map file's roles, which come first)."""
    from leadspec.suggest import closest

    by_norm: dict[str, str] = {}
    for name in header:
        by_norm.setdefault(_norm(name), name)
    given: dict[str, str] = {}
    for column, role in (explicit or {}).items():
        if role not in ROLES:
            hint = closest(role, ROLES)
            raise HistoryError(
                f"the column map names the role `{role}`, which is none of {', '.join(ROLES)}"
                + (f" (did you mean `{hint}`?)" if hint else "")
            )
        if column not in header:
            hint = closest(column, header)
            raise HistoryError(
                f"the column map names the column {column!r}, which {source} does not have"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
        given[role] = column
    shape = "generic"
    if "field" in given or not {"lead_id", "stage", "entered_at"} <= set(given):
        for candidate in ("salesforce", "hubspot"):
            names = _NAMES[candidate]
            if all(role in given or any(_norm(n) in by_norm for n in names[role]) for role in names):
                shape = candidate
                break
    names = _NAMES[shape]
    roles = dict(given)
    for role, options in names.items():
        if role not in roles:
            found = next((by_norm[_norm(n)] for n in options if _norm(n) in by_norm), None)
            if found is not None and found not in roles.values():
                roles[role] = found
    needed = ["lead_id", "stage", "entered_at"] + (["field"] if shape != "generic" else [])
    missing = [role for role in needed if role not in roles]
    if missing:
        shown = ", ".join(repr(h) for h in header[:30]) or "(none)"
        raise HistoryError(
            f"{source} is no stage history leadspec knows: it has no column for "
            + ", ".join(f"`{role}` (looked for {', '.join(names.get(role, (role,)))})" for role in missing)
            + f". Its columns: {shown}. Known shapes: a generic file (lead_id, stage, entered_at, "
            "reason, owner), Salesforce field history (LeadId, Field, NewValue, CreatedDate), HubSpot "
            "property history (contact_id, property or field_name, value or new_value, timestamp or "
            "valid_from); name the columns in a --map file (column name: role)"
        )
    if shape == "generic":
        return Columns(shape, roles)
    return Columns(
        shape,
        roles,
        stage_fields=_stage_fields(model, shape),
        reason_fields=_reason_fields(model, shape),
        owner_fields=_OWNER_FIELDS[shape],
    )


def _stage_fields(model: Model, crm: str) -> tuple[str, ...]:
    """The field or property that holds the lifecycle stage in `crm` (as exports/homes.py places it)."""
    from leadspec.exports.homes import HubSpotHome, SalesforceHome, resolve
    from leadspec.exports.picklists import value_sets

    sets = value_sets(model)
    if not sets:
        return ()
    home = resolve(sets[0], crm)
    if isinstance(home, SalesforceHome):
        if home.kind == "standard_value_set":
            return ("Status",) if home.name == "LeadStatus" else (home.name or "",)
        return tuple(name for name in (home.field,) if name)
    if isinstance(home, HubSpotHome):
        return (home.property,)
    return ()


def _reason_fields(model: Model, crm: str) -> tuple[str, ...]:
    """Fields of the reason picklists (named by some exit's `reason:`) on the lead's own object."""
    from leadspec.exports.homes import HubSpotHome, SalesforceHome, resolve
    from leadspec.exports.picklists import value_sets

    reasons = {exit_.reason for stage in model.stages for exit_ in stage.exits if exit_.reason}
    found: list[str] = []
    for value_set in value_sets(model):
        if value_set.id not in reasons:
            continue
        home = resolve(value_set, crm)
        if isinstance(home, SalesforceHome) and home.field and (home.object or "Lead") in ("Lead", "Contact"):
            found.append(home.field)
        elif isinstance(home, HubSpotHome) and home.object == "contacts":
            found.append(home.property)
    return tuple(found)


def stage_values(model: Model) -> tuple[dict[str, str], dict[str, str]]:
    """Value -> stage id: exact names (id, label, abbr, API values, aliases, CRM values), and casefolded
    ones that name a single stage."""
    from leadspec.exports.homes import DynamicsHome, resolve
    from leadspec.exports.picklists import value_sets

    exact: dict[str, str] = {}
    sets = value_sets(model)
    dynamics = resolve(sets[0], "dynamics") if sets else None
    for stage in model.stages:
        names = [stage.id, stage.label, stage.abbr, stage.api_name, *stage.aliases, *stage.crm.values()]
        for name in names:
            if name:
                exact.setdefault(name.strip(), stage.id)
    if isinstance(dynamics, DynamicsHome) and sets:
        for value in sets[0].values:
            exact.setdefault(str(dynamics.option_value(value)), value.id)
    folded: dict[str, set[str]] = {}
    for name, stage_id in exact.items():
        folded.setdefault(name.casefold(), set()).add(stage_id)
    loose = {name: next(iter(ids)) for name, ids in folded.items() if len(ids) == 1}
    return exact, loose


def reason_values(model: Model) -> list[tuple[str, str, str]]:
    """(picklist, value as stored: API value, CRM value, label or id, value id) of the reason picklists."""
    reasons = {exit_.reason for stage in model.stages for exit_ in stage.exits if exit_.reason}
    found: dict[tuple[str, str], str] = {}
    for ident in sorted(reasons):
        picklist = model.picklists.get(ident)
        if picklist is None:
            continue
        for value in picklist.values:
            for name in (value.id, value.api_name, value.label, *value.crm.values()):
                if name:
                    found.setdefault((ident, name.strip()), value.id)
    return [(picklist, name, value_id) for (picklist, name), value_id in found.items()]


@struct(frozen=False)
class Loaded:
    """What reading the history files found (the tables hold the rows)."""

    files: list[tuple[str, str]] = field(default_factory=list)  # (file, shape)
    rows: int = 0  # history rows (stage entries)
    bad: int = 0
    unknown: int = 0


_ZONED = r"[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?[ ]*(Z|z|UTC|utc|[+-][0-9]{2}(:?[0-9]{2})?)$"


def _instant(text: str, timezone: str | None) -> str:
    """SQL reading a cell's text as an instant (NULL when it cannot), per the module doc."""
    zoned = f"regexp_matches({text}, {sql_text(_ZONED)})"
    epoch = f"regexp_matches({text}, '^[0-9]{{12,13}}$')"
    local = (
        f"timezone({sql_text(timezone)}, try_cast({text} AS TIMESTAMP))" if timezone else "NULL::TIMESTAMPTZ"
    )
    return (
        f"CASE WHEN {epoch} THEN make_timestamptz(({text})::BIGINT * 1000) "
        f"WHEN {zoned} THEN try_cast({text} AS TIMESTAMPTZ) ELSE {local} END"
    )


def _why_time(text: str, timezone: str | None) -> str:
    zoned = f"regexp_matches({text}, {sql_text(_ZONED)})"
    no_zone = (
        "'the time ' || {t} || ' has no time zone: give --timezone ZONE (the zone the CRM wrote it in), "
        "or export times with their offset'"
    ).format(t=f"{text}")
    return (
        f"CASE WHEN try_cast({text} AS TIMESTAMP) IS NULL AND NOT {zoned} "
        f"THEN 'the time ' || {text} || ' cannot be read: write ISO 8601 such as 2026-07-01T14:03:00Z' "
        + ("ELSE 'the time ' || " + text + " || ' cannot be read' END" if timezone else f"ELSE {no_zone} END")
    )


def _zoned_column(con: Any, column: str) -> bool:
    """Whether the file stores `column` as instants (TIMESTAMP WITH TIME ZONE: Parquet, DuckDB tables)."""
    from leadspec.records import RECORDS

    kind = con.execute(f"DESCRIBE SELECT {sql_name(column)} FROM {RECORDS}").fetchone()[1]
    return str(kind).upper() == "TIMESTAMP WITH TIME ZONE"


def create_tables(con: Any) -> None:
    """The empty contract tables (history files are added to them one by one)."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {RAW} (lead_id VARCHAR, value VARCHAR, stage VARCHAR, "
        "entered_at TIMESTAMPTZ, reason VARCHAR, owner VARCHAR, source VARCHAR, source_row BIGINT)"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {BAD} (source VARCHAR, source_row BIGINT, why VARCHAR)")


# A stage value as a stage id: exactly, else ignoring case when that names one stage (`stage_values`).
STAGE_OF = "coalesce(e.stage, l.stage)"


def stage_joins(value: str) -> str:
    """The joins `STAGE_OF` reads, for the SQL expression `value` (the dbt export's history model too)."""
    return (
        f"LEFT JOIN leadspec_stage_exact AS e ON e.value = {value} "
        f"LEFT JOIN leadspec_stage_loose AS l ON l.value = lower({value})"
    )


def _values_tables(con: Any, model: Model) -> None:
    exact, loose = stage_values(model)
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_stage_exact (value VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO leadspec_stage_exact VALUES (?, ?)", list(exact.items()))
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_stage_loose (value VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO leadspec_stage_loose VALUES (?, ?)", list(loose.items()))


def add_file(
    con: Any,
    path: Path,
    name: str,
    model: Model,
    *,
    scratch: Path,
    explicit: Mapping[str, str] | None = None,
    timezone: str | None = None,
    input_format: str | None = None,
    table: str | None = None,
) -> str:
    """Read one history file into the raw table; returns its shape. RecordsError/HistoryError when it cannot."""
    from leadspec.records import RECORDS, input_format_of, open_records

    opened = open_records(
        con, path, name, input_format_of(str(path), input_format), scratch=scratch, table=table
    )
    from leadspec.records import column_labels

    labels = column_labels(opened.header)
    columns = detect(labels, model, explicit, name)
    _values_tables(con, model)
    cell = {role: f"trim({sql_name(column)}::VARCHAR)" for role, column in columns.roles.items()}
    at = cell["entered_at"]
    instant, at_value = _instant("at_text", timezone), "NULL"
    zoned = _zoned_column(con, columns.roles["entered_at"])
    if zoned:
        # Parquet or a table that stores instants: read as stored, no text and pattern per row
        # (a tenth of the time on millions of rows); a missing one is still "has no time".
        at, instant, at_value = "NULL::VARCHAR", "at_value", sql_name(columns.roles["entered_at"])
    src = sql_text(name)
    if columns.shape == "generic":
        events = (
            f"SELECT leadspec_row AS row, leadspec_unreadable AS unreadable, {cell['lead_id']} AS lead_id, "
            f"{cell['stage']} AS value, {at} AS at_text, {cell.get('reason', 'NULL::VARCHAR')} AS reason, "
            f"{cell.get('owner', 'NULL::VARCHAR')} AS owner, 1 AS kind, {at_value} AS at_value FROM {RECORDS}"
        )
    else:
        fields = cell["field"]

        def among(names: Sequence[str]) -> str:
            listed = ", ".join(sql_text(n.casefold()) for n in names)
            return f"lower({fields}) IN ({listed})" if names else "false"

        if not columns.stage_fields:
            raise HistoryError(
                f"{name} is {columns.shape} field history, but the definitions give the lifecycle stage "
                f"no {columns.shape} field (lifecycle.crm.{columns.shape})"
            )
        # kind 0: a reason or owner recorded, 1: a stage change; reasons at the same instant come first.
        events = (
            f"SELECT leadspec_row AS row, leadspec_unreadable AS unreadable, {cell['lead_id']} AS lead_id, "
            f"CASE WHEN {among(columns.stage_fields)} THEN {cell['stage']} END AS value, {at} AS at_text, "
            f"CASE WHEN {among(columns.reason_fields)} THEN {cell['stage']} END AS reason, "
            f"CASE WHEN {among(columns.owner_fields)} THEN {cell['stage']} END AS owner, "
            f"CASE WHEN {among(columns.stage_fields)} THEN 1 ELSE 0 END AS kind, {at_value} AS at_value "
            f"FROM {RECORDS} "
            f"WHERE leadspec_unreadable IS NOT NULL OR {among(columns.stage_fields + columns.reason_fields + columns.owner_fields)}"
        )
    # A generic Parquet file that stores instants is read twice (its bad rows, then its stage entries)
    # rather than copied: such a scan is cheap and numbers each row the same (file_row_number) every
    # time, and 10,000,000 rows copied cost seconds. Other files are read once, into a table.
    kind = "VIEW" if columns.shape == "generic" and opened.input_format == "parquet" and zoned else "TABLE"
    con.execute(
        f"CREATE OR REPLACE TEMP {kind} leadspec_events AS SELECT * EXCLUDE (at_value), "
        f"{instant} AS instant FROM ({events})"
    )
    # Bad rows: unreadable records, no lead id, no stage value, a time that is no instant.
    con.execute(
        f"INSERT INTO {BAD} SELECT {src}, row, CASE "
        "WHEN unreadable IS NOT NULL THEN unreadable "
        "WHEN coalesce(lead_id, '') = '' THEN 'has no lead id' "
        "WHEN coalesce(at_text, '') = '' THEN 'has no time' "
        f"WHEN instant IS NULL THEN {_why_time('at_text', timezone)} "
        "ELSE 'has no stage value' END "
        "FROM leadspec_events WHERE unreadable IS NOT NULL OR coalesce(lead_id, '') = '' OR instant IS NULL "
        "OR (kind = 1 AND coalesce(value, '') = '')"
    )
    from leadspec.records import rejected

    rejects = rejected(con)
    good = "unreadable IS NULL AND coalesce(lead_id, '') <> '' AND instant IS NOT NULL"
    # A generic row carries its own reason and owner; in field history each stage change takes the
    # reason recorded since the lead's change before it, and the owner known then (window functions
    # that a generic file of millions of rows need not pay for).
    given = (
        f"SELECT *, nullif(reason, '') AS reason_given, nullif(owner, '') AS owner_known "
        f"FROM leadspec_events WHERE {good}"
        if columns.shape == "generic"
        else f"""
            SELECT *,
                max_by(nullif(reason, ''), instant) FILTER (WHERE kind = 0)
                    OVER (PARTITION BY lead_id, before) AS reason_given,
                last_value(nullif(owner, '') IGNORE NULLS) OVER (PARTITION BY lead_id ORDER BY instant, kind, row
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS owner_known
            FROM (
                SELECT *, coalesce(sum(kind) OVER (PARTITION BY lead_id ORDER BY instant, kind, row
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
                FROM leadspec_events WHERE {good}
            )"""
    )
    con.execute(
        f"""
        INSERT INTO {RAW}
        SELECT g.lead_id, g.value, {STAGE_OF}, g.instant, g.reason_given, g.owner_known, {src}, g.row
        FROM ({given}) AS g
        {stage_joins("g.value")}
        WHERE g.kind = 1 AND coalesce(g.value, '') <> ''
        """
    )
    if opened.input_format == "csv" and (opened.skipped or rejects):
        _renumber(con, src, sorted({*opened.skipped, *(row for row, _ in rejects)}))
    if rejects:
        con.executemany(f"INSERT INTO {BAD} VALUES ({src}, ?, ?)", rejects)
        con.execute("DELETE FROM leadspec_rejects")  # the next file's scan starts with none
    con.execute(f"DROP {kind} leadspec_events")
    return columns.shape


def _renumber(con: Any, src: str, skipped: Sequence[int]) -> None:
    """Rows after blank or rejected CSV lines: the record count said as the file's row (records.row_numbers)."""
    keys: dict[int, int] = {}
    for index, row in enumerate(skipped, 1):
        keys[row - index] = index
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_skips (key BIGINT, before BIGINT)")
    con.executemany("INSERT INTO leadspec_skips VALUES (?, ?)", list(keys.items()))
    for table in (RAW, BAD):
        con.execute(
            f"UPDATE {table} AS t SET source_row = t.source_row + s.before FROM ("
            f"SELECT x.source_row AS r, max(k.before) AS before FROM {table} AS x JOIN leadspec_skips AS k "
            f"ON x.source_row - 1 >= k.key WHERE x.source = {src} GROUP BY x.source_row) AS s "
            f"WHERE t.source = {src} AND t.source_row = s.r"
        )


def add_snapshots(
    con: Any,
    snapshots: Sequence[tuple[datetime, Path, str]],
    model: Model,
    *,
    scratch: Path,
    id_column: str,
    stage_column: str = "stage",
) -> None:
    """`classify --out` files of the same records on different days: a row each time a lead's stage changed."""
    from leadspec.records import RECORDS, input_format_of, open_records

    _values_tables(con, model)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE leadspec_snapshot_rows (taken TIMESTAMPTZ, source VARCHAR, "
        "source_row BIGINT, lead_id VARCHAR, value VARCHAR)"
    )
    for taken, path, name in snapshots:
        opened = open_records(con, path, name, input_format_of(str(path), None), scratch=scratch)
        header = {h.casefold(): h for h in opened.header}
        for wanted, what in (
            (id_column, "the records' id column (--id)"),
            (stage_column, "the stage column"),
        ):
            if wanted.casefold() not in header:
                raise HistoryError(
                    f"the snapshot {name} has no column {wanted!r} ({what}); its columns: "
                    + ", ".join(repr(h) for h in opened.header)
                )
        ident = sql_name(header[id_column.casefold()])
        stage = sql_name(header[stage_column.casefold()])
        src = sql_text(name)
        con.execute(
            f"INSERT INTO {BAD} SELECT {src}, leadspec_row, coalesce(leadspec_unreadable, 'has no lead id') "
            f"FROM {RECORDS} WHERE leadspec_unreadable IS NOT NULL OR coalesce(trim({ident}::VARCHAR), '') = ''"
        )
        con.execute(
            "INSERT INTO leadspec_snapshot_rows SELECT ?, "
            f"{src}, leadspec_row, trim({ident}::VARCHAR), nullif(trim({stage}::VARCHAR), '') FROM {RECORDS} "
            f"WHERE leadspec_unreadable IS NULL AND coalesce(trim({ident}::VARCHAR), '') <> ''",
            [taken],
        )
    # A lead in no stage (or unreadable) in a snapshot has no stage that day: no row.
    con.execute(
        f"""
        INSERT INTO {RAW}
        SELECT s.lead_id, s.value, {STAGE_OF}, s.taken, NULL, NULL, s.source, s.source_row
        FROM leadspec_snapshot_rows AS s
        {stage_joins("s.value")}
        WHERE s.value IS NOT NULL
        """
    )


# `leadspec_history` from the rows read (the dbt export's `leadspec_history` model runs it too): a stage
# that repeats the lead's current stage is no new entry.
HISTORY_SELECT = f"""
SELECT lead_id, stage, entered_at, reason, owner, source_row, source FROM (
    SELECT *, lag(stage) OVER (PARTITION BY lead_id ORDER BY entered_at, source, source_row) AS before
    FROM {RAW} WHERE stage IS NOT NULL
) WHERE before IS DISTINCT FROM stage
"""


def finish(con: Any, as_of: datetime | None = None) -> Loaded:
    """`leadspec_history` and `leadspec_unknown_values` from what the files gave."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {UNKNOWN} AS
        SELECT value, count(*) AS rows, list(DISTINCT lead_id ORDER BY lead_id)[1:{EXAMPLES}] AS example_lead_ids,
            min(source_row) AS first_row, min(source) AS source
        FROM {RAW} WHERE stage IS NULL GROUP BY value ORDER BY rows DESC, value
        """
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {HISTORY} AS {HISTORY_SELECT}")
    loaded = Loaded()
    loaded.rows = con.execute(f"SELECT count(*) FROM {HISTORY}").fetchone()[0]
    loaded.bad = con.execute(f"SELECT count(*) FROM {BAD}").fetchone()[0]
    loaded.unknown = con.execute(f"SELECT coalesce(sum(rows), 0) FROM {UNKNOWN}").fetchone()[0]
    # Every row read is in the tables above now: free the raw copy (10,000,000 rows are gigabytes).
    con.execute(f"DROP TABLE {RAW}")
    return loaded
