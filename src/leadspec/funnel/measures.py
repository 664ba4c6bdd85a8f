"""The funnel's measures, each one DuckDB query over `leadspec_stays` and `leadspec_windows`.

The SQL text of each measure is a constant here (`VOLUMES_SQL`, `CONVERSION_SQL`,
`REASONS_SQL`, `RECYCLED_SQL`, `TRANSITIONS_SQL`), so the dbt export can
transpile the very same text with sqlglot. Python loads the definitions' side
(hand-offs, reason exits) as small tables, runs the query and pairs the counts
with the targets, whose arithmetic stays in targets.py:

- **volumes**: stays that began in the window (a lead recycled into MQL twice
  counts twice, as the reverse waterfall counts it), against the waterfall's
  volume for a month, quarter or year (`Waterfall.needed_per`); capacity used is
  the entries into a team's stage over its capacity for the window;
- **conversion per hand-off**, cohort-based: of the stays in S that began in the
  window, those whose next stage was T (the rates in `targets:` are such
  next-stage rates), and the time it took them (median, 90th percentile, linear
  between ranks as `quantile_cont`); stays still open as of --as-of are counted
  as not (yet) converted;
- **reasons**: the exits that ask for a reason, by the reason recorded (read as a
  value of that exit's picklist), in the window the lead left in (no reason
  recorded is counted too);
- **recycled**: leads that came back to a stage (visit 2 or more) in the window,
  and how many of them reached the stage where deals are won afterwards;
- **transitions that are no hand-off** of the definitions, with example lead ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from fractions import Fraction
from typing import Any

from leadspec.funnel.history import reason_values
from leadspec.funnel.periods import Period, load_windows
from leadspec.model import Model
from leadspec.structs import struct
from leadspec.targets import WEEKS, Waterfall, usable_rates

EXAMPLES = 3


@struct
class Volume:
    window: str
    stage: str
    entered: int  # stays that began in the window
    leads: int  # distinct leads among them
    target: (
        int | None
    )  # the waterfall's volume for this window (None: no targets, or not a month/quarter/year)


@struct
class CapacityUse:
    window: str
    team: str
    stage: str
    entered: int
    capacity: Fraction | None  # for this window

    @property
    def load(self) -> Fraction | None:
        return Fraction(self.entered) / self.capacity if self.capacity else None


@struct
class Conversion:
    window: str
    stage: str
    to: str
    entered: int  # the cohort: stays in `stage` that began in the window
    reached: int  # of which the next stage was `to`
    still_in: int  # of which still in `stage` as of --as-of
    target: Fraction | None  # the rate in `targets:`
    median: timedelta | None
    p90: timedelta | None
    handoff: bool  # an exit of the definitions (else only a target rate)

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.reached, self.entered) if self.entered else None


@struct
class Reason:
    window: str
    picklist: str
    stage: str
    to: str
    reason: str | None  # the value id (or the value as recorded); None: none recorded
    count: int


@struct
class Recycled:
    window: str
    stage: str
    leads: int  # leads that came back to the stage in the window
    converted: int  # of which reached the won stage after coming back


@struct
class Transition:
    stage: str
    to: str
    count: int
    example_lead_ids: tuple[str, ...]


def _micro(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(microseconds=round(value))


def handoffs(model: Model) -> list[tuple[str, str, bool]]:
    """(stage, next stage, is an exit) for every exit and every target rate, in lifecycle order."""
    from leadspec.flow import lifecycle_flow

    order = list(lifecycle_flow(model).order)
    position = {ident: index for index, ident in enumerate(order)}
    found: dict[tuple[str, str], bool] = {}
    for stage_id in order:
        stage = model.stage(stage_id)
        if stage is not None:
            for exit_ in stage.exits:
                found[(stage_id, exit_.to)] = True
    for pair in usable_rates(model):
        found.setdefault(pair, False)
    return [
        (s, t, is_exit)
        for (s, t), is_exit in sorted(
            found.items(), key=lambda item: (position.get(item[0][0], 99), position.get(item[0][1], 99))
        )
    ]


def _pairs_table(con: Any, name: str, rows: Sequence[tuple[Any, ...]], columns: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", [list(row) for row in rows])


VOLUMES_SQL = """
SELECT w.position, s.stage, count(*) AS entered, count(DISTINCT s.lead_id) AS leads
FROM leadspec_stays AS s
JOIN leadspec_windows AS w ON s.entered_at >= w.starts_at AND s.entered_at < w.ends_at
GROUP BY w.position, s.stage
"""


def volumes(
    con: Any, model: Model, period: Period, waterfall: Waterfall | None
) -> tuple[list[Volume], list[CapacityUse]]:
    """Entries per stage and window against the waterfall, and each team's capacity used."""
    from leadspec.flow import lifecycle_flow

    load_windows(con, period.windows)
    found = {(row[0], row[1]): (int(row[2]), int(row[3])) for row in con.execute(VOLUMES_SQL).fetchall()}
    result: list[Volume] = []
    uses: list[CapacityUse] = []
    for position, (window, kind) in enumerate(zip(period.windows, period.kinds, strict=True)):
        for stage_id in lifecycle_flow(model).order:
            entered, leads = found.get((position, stage_id), (0, 0))
            target = None
            if waterfall is not None and kind in WEEKS:
                volume = waterfall.volume(stage_id)
                target = waterfall.needed_per(volume, kind) if volume is not None else None
            result.append(Volume(window.label, stage_id, entered, leads, target))
        if waterfall is not None:
            for check in waterfall.capacity:
                capacity = (
                    check.capacity * WEEKS[kind] / WEEKS[waterfall.period]
                    if kind in WEEKS and waterfall.period in WEEKS
                    else None
                )
                entered = found.get((position, check.stage), (0, 0))[0]
                uses.append(CapacityUse(window.label, check.team, check.stage, entered, capacity))
    return result, uses


# The stays are counted once per window, stage and next stage (with the time to that next stage),
# then each hand-off takes its stage's counts: joining the hand-offs first made a row per stay and
# hand-off of its stage (4.6 rows a stay on the bundled definitions) for the same counts.
CONVERSION_SQL = """
SELECT c.position, p.stage, p.to_stage,
    CAST(sum(c.stays) AS BIGINT) AS entered,
    CAST(coalesce(sum(c.stays) FILTER (WHERE c.next_stage = p.to_stage), 0) AS BIGINT) AS reached,
    CAST(sum(c.still_in) AS BIGINT) AS still_in,
    max(c.median_us) FILTER (WHERE c.next_stage = p.to_stage) AS median_us,
    max(c.p90_us) FILTER (WHERE c.next_stage = p.to_stage) AS p90_us
FROM (
    SELECT w.position, s.stage, s.next_stage,
        count(*) AS stays,
        count(*) FILTER (WHERE s.left_at IS NULL) AS still_in,
        quantile_cont(epoch_us(s.left_at) - epoch_us(s.entered_at), 0.5) AS median_us,
        quantile_cont(epoch_us(s.left_at) - epoch_us(s.entered_at), 0.9) AS p90_us
    FROM leadspec_stays AS s
    JOIN leadspec_windows AS w ON s.entered_at >= w.starts_at AND s.entered_at < w.ends_at
    GROUP BY w.position, s.stage, s.next_stage
) AS c
JOIN leadspec_handoffs AS p ON p.stage = c.stage
GROUP BY c.position, p.stage, p.to_stage
"""


def conversion(con: Any, model: Model, period: Period) -> list[Conversion]:
    """Each hand-off's cohort conversion per window, against the target rate."""
    pairs = handoffs(model)
    rates = usable_rates(model)
    _pairs_table(con, "leadspec_handoffs", [(s, t) for s, t, _ in pairs], "stage VARCHAR, to_stage VARCHAR")
    load_windows(con, period.windows)
    found = {(row[0], row[1], row[2]): row[3:] for row in con.execute(CONVERSION_SQL).fetchall()}
    result: list[Conversion] = []
    for position, window in enumerate(period.windows):
        for stage_id, to, is_exit in pairs:
            entered, reached, still_in, median, p90 = found.get(
                (position, stage_id, to), (0, 0, 0, None, None)
            )
            result.append(
                Conversion(
                    window.label,
                    stage_id,
                    to,
                    int(entered),
                    int(reached),
                    int(still_in),
                    rates.get((stage_id, to)),
                    _micro(median),
                    _micro(p90),
                    is_exit,
                )
            )
    return result


REASONS_SQL = """
SELECT w.position, r.picklist, s.stage, s.next_stage, coalesce(v.reason, s.reason) AS reason, count(*) AS stays
FROM leadspec_stays AS s
JOIN leadspec_reason_exits AS r ON r.stage = s.stage AND r.to_stage = s.next_stage
JOIN leadspec_windows AS w ON s.left_at >= w.starts_at AND s.left_at < w.ends_at
LEFT JOIN leadspec_reason_values AS v ON v.picklist = r.picklist AND v.value = s.reason
GROUP BY w.position, r.picklist, s.stage, s.next_stage, coalesce(v.reason, s.reason)
ORDER BY w.position, r.picklist, count(*) DESC, reason NULLS LAST, s.stage, s.next_stage
"""


def reasons(con: Any, model: Model, period: Period) -> list[Reason]:
    """Reasons recorded on the exits that ask for one, per window the lead left in."""
    exits = [
        (stage.id, exit_.to, exit_.reason) for stage in model.stages for exit_ in stage.exits if exit_.reason
    ]
    _pairs_table(con, "leadspec_reason_exits", exits, "stage VARCHAR, to_stage VARCHAR, picklist VARCHAR")
    _pairs_table(
        con, "leadspec_reason_values", reason_values(model), "picklist VARCHAR, value VARCHAR, reason VARCHAR"
    )
    load_windows(con, period.windows)
    labels = [w.label for w in period.windows]
    return [
        Reason(labels[row[0]], row[1], row[2], row[3], row[4], int(row[5]))
        for row in con.execute(REASONS_SQL).fetchall()
    ]


# Grouped by lead first, then by stage: one aggregate, where two count(DISTINCT lead_id) made three
# (each distinct count apart, then joined).
RECYCLED_SQL = """
SELECT r.position, r.stage, count(*) AS leads, count(*) FILTER (WHERE r.converted) AS converted
FROM (
    SELECT w.position, s.stage, s.lead_id, bool_or(coalesce(won.won_at > s.entered_at, false)) AS converted
    FROM leadspec_stays AS s
    JOIN leadspec_windows AS w ON s.entered_at >= w.starts_at AND s.entered_at < w.ends_at
    LEFT JOIN (SELECT lead_id, max(entered_at) AS won_at FROM leadspec_stays WHERE stage = $won GROUP BY lead_id) AS won
        ON won.lead_id = s.lead_id
    WHERE s.visit > 1
    GROUP BY w.position, s.stage, s.lead_id
) AS r
GROUP BY r.position, r.stage
"""


def won_stage(model: Model, waterfall: Waterfall | None) -> str | None:
    """Where deals are won: the waterfall's, else the end of the lifecycle's main path."""
    if waterfall is not None:
        return waterfall.won
    from leadspec.flow import lifecycle_flow

    path = lifecycle_flow(model).main_path
    return path[-1] if path else None


def recycled(con: Any, model: Model, period: Period, won: str | None) -> list[Recycled]:
    """Leads that came back to a stage in each window, and those of them that were won later."""
    from leadspec.flow import lifecycle_flow

    load_windows(con, period.windows)
    found = {(row[0], row[1]): row[2:] for row in con.execute(RECYCLED_SQL, {"won": won or ""}).fetchall()}
    result = []
    for position, window in enumerate(period.windows):
        for stage_id in lifecycle_flow(model).order:
            if (position, stage_id) in found:
                leads, converted = found[(position, stage_id)]
                result.append(Recycled(window.label, stage_id, int(leads), int(converted)))
    return result


TRANSITIONS_SQL = f"""
SELECT s.stage, s.next_stage, count(*) AS stays,
    list(DISTINCT s.lead_id ORDER BY s.lead_id)[1:{EXAMPLES}] AS example_lead_ids
FROM leadspec_stays AS s
JOIN leadspec_windows AS w ON w.position = 0 AND s.left_at >= w.starts_at AND s.left_at < w.ends_at
LEFT JOIN leadspec_exits AS e ON e.stage = s.stage AND e.to_stage = s.next_stage
WHERE s.next_stage IS NOT NULL AND e.stage IS NULL
GROUP BY s.stage, s.next_stage
ORDER BY count(*) DESC, s.stage, s.next_stage
"""


def stray_transitions(con: Any, model: Model, period: Period) -> list[Transition]:
    """Changes of stage in the period that no exit of the definitions allows (MQL straight to Customer)."""
    exits = [(stage.id, exit_.to) for stage in model.stages for exit_ in stage.exits]
    _pairs_table(con, "leadspec_exits", exits, "stage VARCHAR, to_stage VARCHAR")
    load_windows(con, period.windows)
    return [
        Transition(row[0], row[1], int(row[2]), tuple(row[3]))
        for row in con.execute(TRANSITIONS_SQL).fetchall()
    ]
