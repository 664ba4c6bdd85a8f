"""Business time in SQL: deadlines and working time from the calendar table, checked by hand and against calendars.py.

The office: Chicago, Monday to Friday 08:30-17:30 (a 9-hour day), closed on Thanksgiving
(Thursday 26 November 2026) and the day after. The clocks go back in the night to Sunday
1 November 2026 (CDT -05:00 becomes CST -06:00) and forward in the night to Sunday 8 March 2026.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from worktime_support import python_worked, sql_deadline

from calendar_support import DEADLINES_BY_HAND, chicago, office
from leadspec.calendars import WorkingTime, deadline
from leadspec.funnel.worktime import (
    DEADLINES_SQL,
    WORKED_SQL,
    calendar_days,
    from_instant_us,
    instant_us,
    load_calendars,
)
from leadspec.model import Duration
from leadspec.sla import parse_duration


def due(start: str, duration: str, work: WorkingTime | None = None) -> str:
    moment = sql_deadline(work or office(), chicago(start), parse_duration(duration))
    assert moment is not None
    return moment.isoformat(timespec="minutes")


@pytest.mark.parametrize(("start", "duration", "expected", "why"), DEADLINES_BY_HAND)
def test_deadlines_checked_by_hand(start: str, duration: str, expected: str, why: str) -> None:
    assert due(start, duration) == expected, why


# Hours that include the change: the day still counts end - start on the wall clock.
ROUND_THE_CLOCK = office(start="00:00", end="23:00", days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


@pytest.mark.parametrize(
    ("start", "duration", "expected", "why"),
    [
        # 01:30 + 1 h on the wall clock is 02:30, which happens once, in CST: two real hours later.
        ("2026-11-01T01:30", "1 business hour", "2026-11-01T02:30-06:00", "the clocks go back at 02:00"),
        # Sunday 1 Nov counts 23 h on the wall clock although it lasts 24 real hours.
        ("2026-11-01T00:00", "23 business hours", "2026-11-01T23:00-06:00", "a whole 23-hour day"),
        # 01:30 + 1 h is 02:30, a time the clocks skip: moved forward by the change, to 03:30 CDT.
        ("2026-03-08T01:30", "1 business hour", "2026-03-08T03:30-05:00", "the clocks go forward at 02:00"),
        ("2026-03-08T01:30", "90 minutes", "2026-03-08T04:00-05:00", "elapsed time: 90 real minutes"),
        ("2026-03-08T03:00", "1 business hour", "2026-03-08T04:00-05:00", "after the skipped hour"),
    ],
)
def test_hours_across_the_clock_change_count_the_wall_clock(
    start: str, duration: str, expected: str, why: str
) -> None:
    assert due(start, duration, ROUND_THE_CLOCK) == expected, why
    assert due(start, duration, ROUND_THE_CLOCK) == deadline(
        chicago(start), parse_duration(duration), ROUND_THE_CLOCK
    ).isoformat(timespec="minutes")


def worked(work: WorkingTime, pairs: list[tuple[datetime, datetime]]) -> list[timedelta]:
    """Working time between each pair, from WORKED_SQL."""
    con = duckdb.connect()
    load_calendars(con, {work.calendar.id: work}, date(2026, 1, 1), date(2027, 1, 31))
    spans = "(SELECT * FROM (VALUES " + ", ".join(
        f"({index}, '{work.calendar.id}', {instant_us(a)}, {instant_us(b)})"
        for index, (a, b) in enumerate(pairs)
    )
    spans += ") AS t(position, calendar, from_us, to_us))"
    rows = con.execute(
        f"SELECT position, worked_us FROM ({WORKED_SQL.format(spans=spans)}) ORDER BY 1"
    ).fetchall()
    return [timedelta(microseconds=row[1]) for row in rows]


def test_working_time_between_two_instants() -> None:
    work = office()
    pairs = [
        (chicago("2026-11-25T16:30"), chicago("2026-11-30T16:30")),  # Thanksgiving weekend: Wed 1 h + Mon 8 h
        (chicago("2026-10-30T17:00"), chicago("2026-11-02T09:00")),  # over the clock change: 30 min + 30 min
        (chicago("2026-10-31T09:00"), chicago("2026-11-01T17:00")),  # a weekend: none
        (chicago("2026-11-23T07:00"), chicago("2026-11-23T20:00")),  # a whole day, from before to after
        (chicago("2026-11-23T10:00"), chicago("2026-11-23T10:00")),
    ]
    assert worked(work, pairs) == [
        timedelta(hours=9),
        timedelta(hours=1),
        timedelta(0),
        timedelta(hours=9),
        timedelta(0),
    ]
    assert worked(ROUND_THE_CLOCK, [(chicago("2026-11-01T00:00"), chicago("2026-11-02T00:00"))]) == [
        timedelta(hours=23)
    ]


def test_the_table_has_one_working_interval_per_working_day() -> None:
    con = duckdb.connect()
    load_calendars(con, {"office": office()}, date(2026, 11, 23), date(2026, 11, 30))
    rows = con.execute(
        "SELECT local_date, opens_at, closes_at, worked_before FROM leadspec_calendar_intervals ORDER BY 1"
    ).fetchall()
    assert [row[0] for row in rows] == [date(2026, 11, day) for day in (23, 24, 25, 30)]  # Thanksgiving off
    assert rows[3][1] == chicago("2026-11-30T08:30") and rows[3][2] == chicago("2026-11-30T17:30")
    assert [row[3] for row in rows] == [timedelta(hours=9 * index) for index in range(4)]


def test_a_deadline_past_the_table_is_unknown_not_wrong() -> None:
    con = duckdb.connect()
    work = office()
    load_calendars(con, {"office": work}, date(2026, 11, 23), date(2026, 11, 30))
    from leadspec.funnel.worktime import Clock, deadline_us

    clock = Clock.of(parse_duration("10 business days"), work)
    assert deadline_us(con, clock, instant_us(chicago("2026-11-24T09:00"))) is None


def test_the_clock_change_is_on_its_day() -> None:
    # Dublin: 01:00 UTC on Sunday 29 March 2026.
    rows = calendar_days(office("Europe/Dublin", holidays=()), date(2026, 3, 28), date(2026, 3, 30))
    assert [row.offset_change_us is not None for row in rows] == [False, True, False]
    assert from_instant_us(rows[1].offset_change_us or 0) == datetime(2026, 3, 29, 1, tzinfo=UTC)


@pytest.mark.parametrize("dialect", ["postgres", "snowflake"])
def test_the_sql_parses_for_warehouses(dialect: str) -> None:
    for sql in (DEADLINES_SQL.format(clocks="clocks"), WORKED_SQL.format(spans="spans")):
        text = sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
        assert sqlglot.parse_one(text, read=dialect) is not None


# --- properties -------------------------------------------------------------------------------

# Zones with ordinary changes, a 30-minute change (Lord Howe), half-hour offsets (St John's,
# Kolkata), Dublin's winter "negative" summer time, Santiago's change at midnight, and none.
ZONES = [
    "America/Chicago",
    "Europe/Dublin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "America/Santiago",
    "UTC",
]
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@st.composite
def calendars(draw: st.DrawFn) -> WorkingTime:
    # Any hours, also those the clocks change in.
    opening = draw(st.integers(0, 22 * 4)) * 15
    closing = draw(st.integers(opening // 15 + 1, 23 * 4 + 3)) * 15
    days = draw(st.sets(st.sampled_from(WEEKDAY_IDS), min_size=1))
    holidays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=20))
    return office(
        draw(st.sampled_from(ZONES)),
        tuple(day for day in WEEKDAY_IDS if day in days),
        f"{opening // 60:02d}:{opening % 60:02d}",
        f"{closing // 60:02d}:{closing % 60:02d}",
        tuple(str(day) for day in holidays),
    )


# Starts anywhere in two years, often on a quarter hour (openings, closings, clock changes).
starts = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(UTC)).flatmap(
    lambda moment: st.sampled_from(
        [moment, moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)]
    )
)
UNITS = ("minutes", "hours", "days", "weeks", "business_hours", "business_days")
durations = st.builds(
    lambda unit, quarters: Duration(text=f"{quarters / 4} {unit}", amount=Decimal(quarters) / 4, unit=unit),
    st.sampled_from(UNITS),
    st.integers(1, 4 * 30),
)


@functools.cache
def clock_changes(zone: str) -> list[datetime]:
    """The instants the clocks change in `zone` in 2026 and 2027."""
    rows = calendar_days(office(zone, holidays=()), date(2026, 1, 1), date(2027, 12, 31))
    return [from_instant_us(row.offset_change_us) for row in rows if row.offset_change_us is not None]


@st.composite
def calendar_and_start(draw: st.DrawFn) -> tuple[WorkingTime, datetime]:
    """A calendar and a start, half the time within two days before one of its zone's clock changes."""
    work = draw(calendars())
    changes = clock_changes(work.calendar.timezone)
    if changes and draw(st.booleans()):
        before = timedelta(minutes=draw(st.integers(0, 2 * 24 * 4)) * 15)
        return work, draw(st.sampled_from(changes)) - before
    return work, draw(starts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendar_and_start(), durations)
def test_the_sql_deadline_is_the_calendar_deadline(
    case: tuple[WorkingTime, datetime], duration: Duration
) -> None:
    work, start = case
    assert sql_deadline(work, start, duration) == deadline(start, duration, work)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars(), starts, st.integers(0, 60 * 24 * 40))
def test_the_sql_working_time_is_counted_day_by_day(work: WorkingTime, start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    con = duckdb.connect()
    load_calendars(con, {"office": work}, start.date() - timedelta(days=3), end.date() + timedelta(days=3))
    spans = f"(SELECT 'office' AS calendar, {instant_us(start)}::BIGINT AS from_us, {instant_us(end)}::BIGINT AS to_us)"
    (found,) = con.execute(f"SELECT worked_us FROM ({WORKED_SQL.format(spans=spans)})").fetchone()
    assert timedelta(microseconds=found) == python_worked(work, start, end)
