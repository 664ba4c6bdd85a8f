"""SLA compliance, velocity and open breaches, measured in SQL over the stays of a history.

Input is the contract table `leadspec_stays(lead_id, stage, visit, entered_at,
left_at, next_stage, reason, owner)` (funnel/stays.py) in a DuckDB connection.
Business time is counted through worktime.py's calendar tables, exactly as
`leadspec sla due` counts it (`calendars.deadline`). What is measured:

- **Compliance**, for every SLA of the model (a stage's own, and each exit's): the
  leads that entered the stage in a window. The SLA's clock starts when the lead
  entered the stage; the lead was *acted on* when it left the stage by any exit,
  at `left_at`. Each such stay is `met` (acted on at or before the deadline),
  `missed` (acted on later), `overdue` (not acted on as of `as_of`, and the
  deadline has passed), `pending` (not acted on, and not due yet) or `unknown`
  (no deadline: the calendar table does not cover it). The share is met over
  met + missed + overdue: pending leads are not decided yet. An escalation was
  due when the lead was not acted on by the escalation's time (`as_of` counted as
  now). A lead that left after `as_of` was still in the stage then.
- **Velocity**: time in each stage a lead can leave, for the stays that entered
  in a window and left by `as_of`: median and 90th percentile (linear between the
  ranked values, as `quantile_cont`), in working time on a calendar when the
  stage's SLAs count business time (its own SLA first, then its exits' in the
  order written), else elapsed time.
- **Open breaches** as of `as_of`: leads still in a stage past an SLA's deadline,
  oldest deadline first, with the team that owes the action (the SLA's owner); a
  lead past several SLAs of its stage is listed once for each.

Windows are half-open instants `[start, end)` with a label ("2026-Q3",
"2026-11"), one for the whole period and one per month or quarter, as the caller
chooses; a stay counts in every window its `entered_at` falls in.

Functions (the connection must hold `leadspec_stays`):

- `sla_refs(model) -> list[SlaRef]`: every SLA, in the order written.
- `prepare(con, model, as_of) -> list[str]`: load the calendar tables for the days
  the stays cover (needed once before the others); returns warnings (a calendar
  whose holidays end before the history does: a holiday then counts as a working
  day, as `leadspec sla due` warns).
- `compliance(con, model, windows, as_of) -> list[Compliance]`: one per SLA and
  window, SLAs in the order written, windows as given.
- `velocity(con, model, windows, as_of) -> list[Velocity]`: one per stage with
  exits and window, lifecycle order.
- `open_breaches(con, model, as_of, limit=None) -> list[Breach]`.
- `verdicts(con, model, as_of) -> list[Verdict]`: every stay's clock of every
  SLA, for drill-down and tests.

The SQL is DuckDB text, one constant per measure (`CLOCKS_SQL`,
`COMPLIANCE_SQL`, `VELOCITY_SQL`, `BREACHES_SQL`), over the temp tables
`leadspec_slas`, `leadspec_windows` and the calendar tables, so the dbt export
can transpile it with sqlglot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any, Literal

from leadspec.calendars import WorkingTime, usable_calendars
from leadspec.funnel.periods import Window, load_windows
from leadspec.funnel.worktime import (
    WORKED_SQL,
    Clock,
    covering,
    deadlines_sql,
    load_calendars,
)
from leadspec.model import Model, Sla, Stage
from leadspec.structs import struct

Verdict_ = Literal["met", "missed", "overdue", "pending", "unknown"]


@struct
class SlaRef:
    """One SLA of the model, in plain values: on a stage (`to` None) or on its exit to `to`."""

    stage: str
    to: str | None
    owner: str  # the team that must act
    within: str  # as written: "1 business day"
    calendar: str | None
    escalate_to: str | None = None
    escalate_after: str | None = None

    @property
    def key(self) -> str:
        """ "mql->sal" for a hand-off, "sal" for time in the stage."""
        return f"{self.stage}->{self.to}" if self.to is not None else self.stage


@struct
class Compliance:
    """How one SLA was kept for the leads that entered its stage in one window."""

    sla: SlaRef
    window: str
    entered: int
    met: int
    missed: int
    overdue: int
    pending: int
    unknown: int
    escalations_due: int

    @property
    def decided(self) -> int:
        return self.met + self.missed + self.overdue

    @property
    def share(self) -> Fraction | None:
        """Met over decided; None when no lead's clock has run out or been stopped yet."""
        return Fraction(self.met, self.decided) if self.decided else None


@struct
class Velocity:
    """Time in one stage for the stays that entered it in one window."""

    stage: str
    window: str
    basis: Literal["business", "elapsed"]
    calendar: str | None  # the calendar business time is counted on
    day_length: timedelta | None  # its working day, to say business time in days
    left: int  # stays that ended by as_of (measured)
    still_in: int  # stays not ended by as_of (not measured)
    median: timedelta | None
    p90: timedelta | None


@struct
class Breach:
    """A lead still in a stage past an SLA's deadline, as of `as_of`."""

    lead_id: str
    stage: str
    visit: int
    sla: SlaRef
    entered_at: datetime
    due_at: datetime
    overdue_by: timedelta  # elapsed time from the deadline to as_of
    lead_owner: str | None
    escalated_at: datetime | None  # when the escalation fell due (None: no escalation, or not yet)


@struct
class Verdict:
    """One stay's clock for one SLA."""

    lead_id: str
    stage: str
    visit: int
    sla: SlaRef
    entered_at: datetime
    due_at: datetime | None
    acted_at: datetime | None  # left the stage by as_of
    verdict: Verdict_
    escalation_at: datetime | None
    escalation_due: bool


def sla_refs(model: Model) -> list[SlaRef]:
    """Every SLA in the model, stage by stage as written, the stage's own before its exits'."""
    return [_ref(stage, to, sla) for stage, to, sla in _placed(model)]


def _placed(model: Model) -> list[tuple[Stage, str | None, Sla]]:
    from leadspec.sla import placed_slas

    return [(p.stage, p.exit.to if p.exit else None, p.sla) for p in placed_slas(model)]


def _ref(stage: Stage, to: str | None, sla: Sla) -> SlaRef:
    escalate = sla.escalate
    return SlaRef(
        stage=stage.id,
        to=to,
        owner=sla.owner,
        within=sla.within.text,
        calendar=sla.calendar,
        escalate_to=escalate.to if escalate else None,
        escalate_after=escalate.after.text if escalate else None,
    )


@struct
class _Counted:
    """An SLA whose clocks can be counted: the ones with business time need a usable calendar."""

    index: int
    ref: SlaRef
    clock: Clock
    escalation: Clock | None


def _counted(model: Model) -> tuple[list[_Counted], dict[str, WorkingTime]]:
    calendars = usable_calendars(model.calendars)
    counted: list[_Counted] = []
    for index, (stage, to, sla) in enumerate(_placed(model)):
        work = calendars.get(sla.calendar or "")
        try:
            clock = Clock.of(sla.within, work)
            escalation = Clock.of(sla.escalate.after, work) if sla.escalate else None
        except ValueError:
            continue  # business time without a usable calendar: LS405 / LS408 in check
        counted.append(_Counted(index, _ref(stage, to, sla), clock, escalation))
    return counted, calendars


# The table `leadspec_slas` (the dbt export's seed of the same name): one row per SLA whose clocks can be counted.
SLA_COLUMNS = (
    ("sla", "INTEGER"),
    ("sla_key", "VARCHAR"),
    ("owner", "VARCHAR"),
    ("within_text", "VARCHAR"),
    ("stage", "VARCHAR"),
    ("calendar", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("amount_us", "BIGINT"),
    ("whole_days", "BIGINT"),
    ("escalation_calendar", "VARCHAR"),
    ("escalation_kind", "VARCHAR"),
    ("escalation_amount_us", "BIGINT"),
    ("escalation_whole_days", "BIGINT"),
)


def sla_rows(model: Model) -> list[tuple[Any, ...]]:
    """The rows of `leadspec_slas` (SLA_COLUMNS): each SLA's index, key, owner and clocks in microseconds."""
    rows: list[tuple[Any, ...]] = []
    for item in _counted(model)[0]:
        escalation = item.escalation
        rows.append(
            (
                item.index,
                item.ref.key,
                item.ref.owner,
                item.ref.within,
                item.ref.stage,
                item.clock.calendar,
                item.clock.kind,
                item.clock.amount_us,
                item.clock.whole_days,
                escalation.calendar if escalation else None,
                escalation.kind if escalation else None,
                escalation.amount_us if escalation else None,
                escalation.whole_days if escalation else None,
            )
        )
    return rows


def prepare(con: Any, model: Model, as_of: datetime) -> list[str]:
    """Load the calendar tables for the days the stays and their clocks cover, and the SLAs' table.

    Returns warnings: a calendar whose holidays end before the history (or `as_of`) does.
    """
    counted, calendars = _counted(model)
    # The clocks of an earlier `prepare` (other stays, another model) are not reused.
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_sla_clocks_as_of (as_of TIMESTAMPTZ)")
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_sla_overdue_as_of (as_of TIMESTAMPTZ)")
    columns = ", ".join(f"{name} {kind}" for name, kind in SLA_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE leadspec_slas ({columns})")
    rows = sla_rows(model)
    if rows:
        marks = ", ".join("?" for _ in SLA_COLUMNS)
        con.executemany(f"INSERT INTO leadspec_slas VALUES ({marks})", [list(row) for row in rows])
    first, last = con.execute(
        "SELECT min(entered_at), max(greatest(entered_at, coalesce(left_at, entered_at))) FROM leadspec_stays"
    ).fetchone()
    as_of = as_of.astimezone(UTC)
    first = first or as_of
    last = max(last or as_of, as_of)
    clocks = [item.clock for item in counted] + [item.escalation for item in counted if item.escalation]
    used = {clock.calendar for clock in clocks if clock.calendar} | _velocity_calendars(model, calendars)
    start, end = covering(first, last, clocks, calendars)
    load_calendars(con, {ident: calendars[ident] for ident in sorted(used)}, start, end)
    return [
        warning
        for ident in sorted(used)
        if (warning := calendars[ident].beyond_holidays(last, "the history runs into"))
    ]


# --- every stay's clocks ------------------------------------------------------------------------

_STARTS = """(
    SELECT st.lead_id, st.stage, st.visit, st.entered_at, st.owner AS lead_owner,
        CASE WHEN st.left_at <= $as_of THEN st.left_at END AS acted_at,
        s.sla, s.calendar, epoch_us(st.entered_at) AS start_us,
        s.kind, s.amount_us, s.whole_days,
        s.escalation_calendar, s.escalation_kind, s.escalation_amount_us, s.escalation_whole_days
    FROM leadspec_stays AS st
    JOIN leadspec_slas AS s ON s.stage = st.stage
    WHERE st.entered_at <= $as_of
)"""

# One row per stay and SLA of its stage: the deadline, the escalation's time, and the verdict.
CLOCKS_SELECT = f"""
SELECT lead_id, stage, visit, sla, entered_at, lead_owner, acted_at,
    make_timestamptz(due_us) AS due_at,
    make_timestamptz(escalation_due_us) AS escalation_at,
    CASE
        WHEN due_us IS NULL THEN 'unknown'
        WHEN acted_at IS NOT NULL THEN CASE WHEN epoch_us(acted_at) <= due_us THEN 'met' ELSE 'missed' END
        WHEN epoch_us($as_of) > due_us THEN 'overdue'
        ELSE 'pending'
    END AS verdict,
    coalesce(escalation_due_us < epoch_us(coalesce(acted_at, $as_of)), false) AS escalation_due
FROM ({deadlines_sql(f"({deadlines_sql(_STARTS)})", "escalation_")})
"""
CLOCKS_SQL = f"CREATE OR REPLACE TEMP TABLE leadspec_sla_clocks AS {CLOCKS_SELECT}"

COMPLIANCE_SQL = """
SELECT w.position, c.sla, count(*) AS entered,
    count(*) FILTER (WHERE c.verdict = 'met') AS met,
    count(*) FILTER (WHERE c.verdict = 'missed') AS missed,
    count(*) FILTER (WHERE c.verdict = 'overdue') AS overdue,
    count(*) FILTER (WHERE c.verdict = 'pending') AS pending,
    count(*) FILTER (WHERE c.verdict = 'unknown') AS unknown,
    count(*) FILTER (WHERE c.escalation_due) AS escalations_due
FROM leadspec_sla_clocks AS c
JOIN leadspec_windows AS w ON c.entered_at >= w.starts_at AND c.entered_at < w.ends_at
GROUP BY w.position, c.sla
"""

BREACHES_SQL = """
SELECT lead_id, stage, visit, sla, entered_at, due_at, lead_owner,
    CASE WHEN escalation_due THEN escalation_at END AS escalated_at
FROM leadspec_sla_clocks
WHERE verdict = 'overdue'
ORDER BY due_at, entered_at, lead_id, sla
"""


# The report never holds every stay's clock (two rows a stay, gigabytes on a big CRM): compliance
# counts the clocks of the stays that entered in its windows as they are worked out, and the open
# breaches keep only the clocks that are overdue. Each reads the SQL above through a CTE named
# `leadspec_sla_clocks`, so the text is the one the dbt models run. The filters on `entered_at` and
# `acted_at` reach the scan of the stays, before the calendar joins.
_COMPLIANCE_NOW = f"""
WITH leadspec_sla_clocks AS (
    SELECT * FROM ({CLOCKS_SELECT}) WHERE entered_at >= $first AND entered_at < $last
)
{COMPLIANCE_SQL}"""
_OVERDUE_SQL = f"""
CREATE OR REPLACE TEMP TABLE leadspec_sla_overdue AS
SELECT * FROM ({CLOCKS_SELECT}) WHERE acted_at IS NULL AND verdict = 'overdue'
"""
_BREACHES_NOW = f"WITH leadspec_sla_clocks AS (SELECT * FROM leadspec_sla_overdue) {BREACHES_SQL}"


def _built(con: Any, table: str, as_of: datetime) -> bool:
    """Whether `table` was built as of `as_of` since the last `prepare`."""
    built = con.execute(
        f"SELECT as_of FROM duckdb_tables() AS t, {table}_as_of WHERE t.table_name = '{table}'"
    ).fetchall()
    return bool(built) and built[0][0] == as_of


def _build_once(con: Any, table: str, sql: str, as_of: datetime) -> None:
    """Run `sql`, which creates `table` as of `as_of`, unless it was built as of then already."""
    if _built(con, table, as_of):
        return
    con.execute(sql, {"as_of": as_of})
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_as_of AS SELECT $as_of AS as_of", {"as_of": as_of})


def _clocks(con: Any, as_of: datetime) -> None:
    """Build `leadspec_sla_clocks` as of `as_of`, once (every stay's clock, for `verdicts`)."""
    _build_once(con, "leadspec_sla_clocks", CLOCKS_SQL, as_of)


def _overdue(con: Any, as_of: datetime) -> None:
    """Build `leadspec_sla_overdue` as of `as_of`, once: the clocks of the open breaches."""
    _build_once(con, "leadspec_sla_overdue", _OVERDUE_SQL, as_of)


def compliance(con: Any, model: Model, windows: Sequence[Window], as_of: datetime) -> list[Compliance]:
    """Each SLA's compliance in each window (see the module doc); `prepare` first."""
    counted, _ = _counted(model)
    load_windows(con, windows)
    bounds = {"as_of": as_of, "first": min(w.start for w in windows), "last": max(w.end for w in windows)}
    found = (
        {(row[0], row[1]): row[2:] for row in con.execute(_COMPLIANCE_NOW, bounds).fetchall()}
        if windows
        else {}
    )
    results: list[Compliance] = []
    for item in counted:
        for position, window in enumerate(windows):
            counts = found.get((position, item.index), (0,) * 7)
            results.append(Compliance(item.ref, window.label, *(int(value) for value in counts)))
    return results


def verdicts(con: Any, model: Model, as_of: datetime) -> list[Verdict]:
    """Every stay's clock for every SLA of its stage, as of `as_of`; `prepare` first."""
    refs = {item.index: item.ref for item in _counted(model)[0]}
    _clocks(con, as_of)
    rows = con.execute(
        "SELECT lead_id, stage, visit, sla, entered_at, due_at, acted_at, verdict, escalation_at, "
        "escalation_due FROM leadspec_sla_clocks ORDER BY lead_id, entered_at, sla"
    ).fetchall()
    return [
        Verdict(
            lead_id=row[0],
            stage=row[1],
            visit=row[2],
            sla=refs[row[3]],
            entered_at=row[4],
            due_at=row[5],
            acted_at=row[6],
            verdict=row[7],
            escalation_at=row[8],
            escalation_due=row[9],
        )
        for row in rows
    ]


def count_breaches(con: Any, as_of: datetime) -> int:
    """How many open breaches there are as of `as_of` (`open_breaches` without fetching them); `prepare` first."""
    _overdue(con, as_of)
    return int(con.execute("SELECT count(*) FROM leadspec_sla_overdue").fetchone()[0])


def open_breaches(con: Any, model: Model, as_of: datetime, limit: int | None = None) -> list[Breach]:
    """Leads still in a stage past an SLA's deadline as of `as_of`, oldest deadline first; `prepare` first."""
    refs = {item.index: item.ref for item in _counted(model)[0]}
    _overdue(con, as_of)
    sql = _BREACHES_NOW + (f" LIMIT {int(limit)}" if limit is not None else "")
    return [
        Breach(
            lead_id=row[0],
            stage=row[1],
            visit=row[2],
            sla=refs[row[3]],
            entered_at=row[4],
            due_at=row[5],
            overdue_by=as_of - row[5],
            lead_owner=row[6],
            escalated_at=row[7],
        )
        for row in con.execute(sql).fetchall()
    ]


# --- velocity -----------------------------------------------------------------------------------


def _velocity_calendars(model: Model, calendars: dict[str, WorkingTime]) -> set[str]:
    return {ident for ident in _velocity_basis(model, calendars).values() if ident}


def _velocity_basis(model: Model, calendars: dict[str, WorkingTime]) -> dict[str, str | None]:
    """Each stage a lead can leave, with the calendar its time is counted on (None: elapsed time).

    Business time when one of the stage's SLAs is business time on a usable calendar: its
    own SLA first, then its exits' in the order written.
    """
    from leadspec.flow import lifecycle_flow

    basis: dict[str, str | None] = {}
    for stage_id in lifecycle_flow(model).order:
        stage = model.stage(stage_id)
        if stage is None or not stage.exits:
            continue
        slas = [stage.sla] + [exit_.sla for exit_ in stage.exits]
        basis[stage_id] = next(
            (
                sla.calendar
                for sla in slas
                if sla is not None and sla.within.business and (sla.calendar or "") in calendars
            ),
            None,
        )
    return basis


# Each stay's time is worked out once, for the stays that entered in some window, then counted in
# every window it entered in (the whole period and its month: working time counted once, not twice).
VELOCITY_SQL = f"""
WITH leadspec_velocity_spans AS (
    SELECT st.stage, st.entered_at, b.calendar, epoch_us(st.entered_at) AS from_us,
        CASE WHEN st.left_at <= $as_of THEN epoch_us(st.left_at) END AS to_us
    FROM leadspec_stays AS st
    JOIN leadspec_velocity_stages AS b ON b.stage = st.stage
    WHERE st.entered_at <= $as_of
        AND st.entered_at >= (SELECT min(starts_at) FROM leadspec_windows)
        AND st.entered_at < (SELECT max(ends_at) FROM leadspec_windows)
), leadspec_velocity_times AS (
    SELECT s.*, CASE WHEN s.calendar IS NULL THEN s.to_us - s.from_us ELSE s.worked_us END AS spent_us
    FROM ({WORKED_SQL.format(spans="leadspec_velocity_spans")}) AS s
)
SELECT w.position, t.stage,
    count(t.to_us) AS left_stage,
    count(*) - count(t.to_us) AS still_in,
    quantile_cont(t.spent_us, 0.5) AS median_us,
    quantile_cont(t.spent_us, 0.9) AS p90_us
FROM leadspec_velocity_times AS t
JOIN leadspec_windows AS w ON t.entered_at >= w.starts_at AND t.entered_at < w.ends_at
GROUP BY w.position, t.stage
"""


def velocity(con: Any, model: Model, windows: Sequence[Window], as_of: datetime) -> list[Velocity]:
    """Time in each stage, per window (see the module doc); `prepare` first."""
    calendars = usable_calendars(model.calendars)
    basis = _velocity_basis(model, calendars)
    con.execute("CREATE OR REPLACE TEMP TABLE leadspec_velocity_stages (stage VARCHAR, calendar VARCHAR)")
    for stage_id, calendar in basis.items():
        con.execute("INSERT INTO leadspec_velocity_stages VALUES (?, ?)", [stage_id, calendar])
    load_windows(con, windows)
    found = {(row[0], row[1]): row[2:] for row in con.execute(VELOCITY_SQL, {"as_of": as_of}).fetchall()}
    results: list[Velocity] = []
    for stage_id, calendar in basis.items():
        work = calendars.get(calendar or "")
        for position, window in enumerate(windows):
            left, still_in, median, p90 = found.get((position, stage_id), (0, 0, None, None))
            results.append(
                Velocity(
                    stage=stage_id,
                    window=window.label,
                    basis="business" if calendar else "elapsed",
                    calendar=calendar,
                    day_length=work.day_length if work else None,
                    left=int(left),
                    still_in=int(still_in),
                    median=_micro(median),
                    p90=_micro(p90),
                )
            )
    return results


def _micro(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(microseconds=round(value))
