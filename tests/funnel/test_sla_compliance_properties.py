"""Property: for random histories and SLAs, every clock's verdict in SQL is the one calendars.py gives.

The bundled definitions with their SLAs' durations (and escalations) replaced by random ones
of every unit; random leads move through the stages at random times (across years,
weekends, Thanksgiving, the clock changes, openings and closings); some are still in their
last stage; `as_of` is random too.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadspec import structs
from leadspec.api import load
from leadspec.calendars import deadline, usable_calendars
from leadspec.config import Config
from leadspec.funnel.sla import Window, compliance, count_breaches, open_breaches, prepare, verdicts
from leadspec.model import Duration, Model, Sla, Stage
from leadspec.sla import placed_slas

REPO = Path(__file__).resolve().parents[2]
UNITS = ("minutes", "hours", "days", "weeks", "business_hours", "business_days")
STAGES = ("response", "valid_response", "mql", "sal", "sql", "closed_lost", "nurture")


@pytest.fixture(scope="module")
def bundled() -> Model:
    return load([REPO / "definitions"], Config()).model


durations = st.builds(
    lambda unit, quarters: Duration(text=f"{quarters / 4} {unit}", amount=Decimal(quarters) / 4, unit=unit),
    st.sampled_from(UNITS),
    st.integers(1, 4 * 12),
)


def with_durations(model: Model, drawn: list[Duration]) -> Model:
    """The model with each SLA's `within` and escalation `after` taken in turn from `drawn`."""
    supply = itertools.cycle(drawn)

    def sla(old: Sla | None) -> Sla | None:
        if old is None:
            return None
        escalate = old.escalate and structs.replace(old.escalate, after=next(supply))
        return structs.replace(old, within=next(supply), escalate=escalate)

    def stage(old: Stage) -> Stage:
        exits = tuple(structs.replace(exit_, sla=sla(exit_.sla)) for exit_ in old.exits)
        return structs.replace(old, sla=sla(old.sla), exits=exits)

    return structs.replace(model, stages=tuple(stage(old) for old in model.stages))


moments = st.datetimes(datetime(2026, 1, 1), datetime(2027, 11, 1), timezones=st.just(UTC)).flatmap(
    lambda moment: st.sampled_from(
        [moment, moment.replace(minute=moment.minute // 30 * 30, second=0, microsecond=0)]
    )
)
# Around Thanksgiving and the clock change in Chicago, where the hand-worked cases are.
busy = st.sampled_from(
    [datetime(2026, 11, 25, 22, 30, tzinfo=UTC), datetime(2026, 10, 30, 21, 0, tzinfo=UTC)]
)
stay_lengths = st.one_of(
    st.integers(0, 60 * 24 * 20).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(1, 6).map(lambda days: timedelta(days=days)),  # to the minute a day later
)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, str, int, datetime, datetime | None]]:
    rows: list[tuple[str, str, int, datetime, datetime | None]] = []
    for lead in range(draw(st.integers(1, 8))):
        moment = draw(st.one_of(moments, busy))
        visits: Counter[str] = Counter()
        stages = draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=5))
        for index, stage in enumerate(stages):
            visits[stage] += 1
            last = index == len(stages) - 1
            left = None if last and draw(st.booleans()) else moment + draw(stay_lengths)
            rows.append((f"L{lead}", stage, visits[stage], moment, left))
            moment = left or moment
    return rows


def python_verdicts(model: Model, rows: list, as_of: datetime) -> dict[tuple, tuple]:
    """Each clock's deadline, verdict and escalation, computed with calendars.py only."""
    calendars = usable_calendars(model.calendars)
    expected: dict[tuple, tuple] = {}
    for lead, stage, visit, entered, left in rows:
        if entered > as_of:
            continue
        for placed in placed_slas(model):
            if placed.stage.id != stage:
                continue
            sla = placed.sla
            work = calendars.get(sla.calendar or "")
            due = deadline(entered, sla.within, work)
            acted = left if left is not None and left <= as_of else None
            if acted is not None:
                verdict = "met" if acted <= due else "missed"
            else:
                verdict = "overdue" if as_of > due else "pending"
            escalated = sla.escalate is not None and deadline(entered, sla.escalate.after, work) < (
                acted or as_of
            )
            key = f"{stage}->{placed.exit.to}" if placed.exit else stage
            expected[(lead, stage, visit, key)] = (due.astimezone(UTC), verdict, escalated)
    return expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(durations, min_size=1, max_size=6), histories(), st.one_of(moments, busy))
def test_every_clock_matches_calendars_py(
    bundled: Model, drawn: list[Duration], rows: list, as_of: datetime
) -> None:
    model = with_durations(bundled, drawn)
    con = duckdb.connect()
    con.execute(
        "CREATE TEMP TABLE leadspec_stays (lead_id VARCHAR, stage VARCHAR, visit INTEGER, entered_at TIMESTAMPTZ, "
        "left_at TIMESTAMPTZ, next_stage VARCHAR, reason VARCHAR, owner VARCHAR)"
    )
    if rows:
        con.executemany("INSERT INTO leadspec_stays VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL)", rows)
    prepare(con, model, as_of)
    found = {
        (v.lead_id, v.stage, v.visit, v.sla.key): (
            v.due_at.astimezone(UTC) if v.due_at else None,
            v.verdict,
            v.escalation_due,
        )
        for v in verdicts(con, model, as_of)
    }
    expected = python_verdicts(model, rows, as_of)
    differing = {key: (found.get(key), expected.get(key)) for key in found.keys() | expected.keys()}
    assert {key: pair for key, pair in differing.items() if pair[0] != pair[1]} == {}
    # The counts per window are those verdicts counted.
    window = Window("all", datetime(2025, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))
    for result in compliance(con, model, [window], as_of):
        mine = [value for key, value in expected.items() if key[3] == result.sla.key]
        assert result.entered == len(mine)
        assert result.met == sum(1 for value in mine if value[1] == "met")
        assert result.overdue == sum(1 for value in mine if value[1] == "overdue")
        assert result.escalations_due == sum(1 for value in mine if value[2])
    # Windows that cut the history: each counts the clocks of the stays that entered in it.
    entered = {(lead, stage, visit): at for lead, stage, visit, at, _ in rows}
    halves = [
        Window("2026", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        Window("late", datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC)),
    ]
    for result in compliance(con, model, halves, as_of):
        window = next(w for w in halves if w.label == result.window)
        mine = [
            value
            for key, value in expected.items()
            if key[3] == result.sla.key and window.start <= entered[key[:3]] < window.end
        ]
        counts = Counter(value[1] for value in mine)
        assert (result.entered, result.met, result.missed, result.overdue, result.pending, result.unknown) == (
            len(mine),
            counts["met"],
            counts["missed"],
            counts["overdue"],
            counts["pending"],
            counts["unknown"],
        )
    # The open breaches are the overdue verdicts, oldest deadline first.
    overdue = {key for key, value in expected.items() if value[1] == "overdue"}
    listed = open_breaches(con, model, as_of)
    assert count_breaches(con, as_of) == len(listed) == len(overdue)
    assert {(b.lead_id, b.stage, b.visit, b.sla.key) for b in listed} == overdue
    assert [b.due_at for b in listed] == sorted(b.due_at for b in listed)
