"""Business time: deadlines a person can check on a wall calendar, and properties over many calendars.

The office in these examples works Monday to Friday, 08:30 to 17:30 in Chicago (a 9-hour
day), and is closed on Thanksgiving (Thursday 26 November 2026) and the day after. The
clocks in Chicago go back one hour in the night to Sunday 1 November 2026 (CDT -05:00
becomes CST -06:00) and go forward in the night to Sunday 8 March 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_support import CHICAGO, DEADLINES_BY_HAND, chicago, office
from leadspec.calendars import (
    CalendarError,
    TooLate,
    WorkingTime,
    calendar_problems,
    clock_starts,
    deadline,
)
from leadspec.diagnostics import Span
from leadspec.model import Calendar, Duration
from leadspec.sla import escalation_timing, parse_duration


def due(start: str, duration: str, work: WorkingTime | None = None) -> str:
    """The deadline as local wall-clock text with its offset, e.g. 2026-11-30T16:30-06:00."""
    moment = deadline(chicago(start), parse_duration(duration), work)
    return moment.isoformat(timespec="minutes")


@pytest.mark.parametrize(("start", "duration", "expected", "why"), DEADLINES_BY_HAND)
def test_deadlines_checked_by_hand(start: str, duration: str, expected: str, why: str) -> None:
    assert due(start, duration, office()) == expected, why


def test_business_day_over_the_clock_change_is_one_more_real_hour() -> None:
    start = chicago("2026-10-30T16:30")
    end = deadline(start, parse_duration("1 business day"), office())
    # 72 h on the wall clock, plus the hour gained on Sunday night (subtracted in UTC: Python
    # subtracts two times of one zone on the wall clock).
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=73)


def test_start_with_an_offset_is_the_same_instant() -> None:
    start = datetime.fromisoformat("2026-11-20T22:30Z")  # 16:30 in Chicago
    end = deadline(start, parse_duration("1 business day"), office())
    assert end.isoformat(timespec="minutes") == "2026-11-23T16:30-06:00"
    assert end.tzinfo == CHICAGO


def test_clock_time_without_a_calendar_runs_in_the_start_zone() -> None:
    start = datetime.fromisoformat("2026-10-31T12:00-05:00")
    assert deadline(start, parse_duration("2 days"), None).isoformat() == "2026-11-02T12:00:00-05:00"
    with pytest.raises(ValueError):
        deadline(start, parse_duration("1 business day"), None)


def test_clock_start_waits_for_the_next_opening() -> None:
    work = office()
    assert clock_starts(chicago("2026-11-27T16:30"), work) == chicago("2026-11-30T08:30")
    assert clock_starts(chicago("2026-11-20T17:30"), work) == chicago("2026-11-23T08:30")
    assert clock_starts(chicago("2026-11-23T09:15"), work) == chicago("2026-11-23T09:15")


def test_other_time_zones_count_on_their_own_wall_clock() -> None:
    dublin = office("Europe/Dublin", start="09:00", end="17:30", holidays=())
    start = datetime.fromisoformat("2026-10-23T16:00+01:00")  # Friday; Dublin goes back to GMT on 25 Oct
    end = deadline(start, parse_duration("1 business day"), dublin)
    assert end.isoformat(timespec="minutes") == "2026-10-26T16:00+00:00"


def test_calendars_time_cannot_be_counted_on() -> None:
    with pytest.raises(CalendarError) as raised:
        office("America/Chicgo")
    assert raised.value.hint == "did you mean `America/Chicago`?"
    problems = calendar_problems(
        Calendar("c", "C", "Europe/Dublin", ("mon",), "17:30", "08:30", (), Span("c.yaml", 1, 1))
    )
    assert [problem.key for problem in problems] == ["hours"]
    assert "not after it starts" in str(problems[0])


# --- escalation against deadline -----------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "after", "verdict", "exact"),
    [
        ("1 business day", "2 business days", "in_time", True),
        (
            "1 business day",
            "9 business hours",
            "in_time",
            True,
        ),  # at the deadline: a business day here is 9 hours
        ("1 business day", "8 business hours", "sooner", True),
        ("1 business day", "10 business hours", "in_time", True),
        ("4h", "PT240M", "in_time", True),  # the same moment, written two ways
        ("4h", "PT239M", "sooner", True),
        ("2 days", "P1W", "in_time", True),
        ("1 business day", "4h", "sooner", False),  # a business day takes at least 9 real hours
        ("1 business day", "9h", "sometimes", False),  # Monday 08:30: both at 17:30; Monday noon: due Tuesday
        ("1 business day", "2 days", "sometimes", False),  # Friday noon: escalated Sunday, due Monday
        (
            "1 business day",
            "5 days",
            "in_time",
            False,
        ),  # Thanksgiving: due the Monday, escalated the same moment
        ("4h", "1 business day", "in_time", False),
        ("8 business hours", "1 week", "in_time", False),  # Thanksgiving weekend is 4 days off at most
    ],
)
def test_escalation_against_deadline(within: str, after: str, verdict: str, exact: bool) -> None:
    timing = escalation_timing(parse_duration(within), parse_duration(after), office())
    assert timing is not None
    assert (timing.verdict, timing.exact) == (verdict, exact)
    if verdict == "sometimes":
        assert timing.witness is not None and timing.escalated is not None and timing.due is not None
        assert timing.escalated.astimezone(UTC) < timing.due.astimezone(UTC)
        assert timing.due == deadline(timing.witness, parse_duration(within), office())


def test_business_time_cannot_be_compared_without_a_calendar() -> None:
    assert escalation_timing(parse_duration("1 business day"), parse_duration("4h"), None) is None


# --- properties --------------------------------------------------------------------------

ZONES = ["America/Chicago", "Europe/Dublin", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns", "UTC"]
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@st.composite
def calendars(draw: st.DrawFn) -> WorkingTime:
    # Opening from 05:00: the clocks change at night, outside any working hours drawn here.
    opening = draw(st.integers(5 * 4, 12 * 4)) * 15
    closing = draw(st.integers(opening // 15 + 1, 23 * 4)) * 15
    days = draw(st.sets(st.sampled_from(WEEKDAY_IDS), min_size=1))
    holidays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=12))
    return office(
        draw(st.sampled_from(ZONES)),
        tuple(day for day in WEEKDAY_IDS if day in days),
        f"{opening // 60:02d}:{opening % 60:02d}",
        f"{closing // 60:02d}:{closing % 60:02d}",
        tuple(str(day) for day in holidays),
    )


starts = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
quarter_hours = st.integers(1, 4 * 40).map(lambda quarters: Decimal(quarters) / 4)


def business_hours(amount: Decimal) -> Duration:
    return Duration(text=f"{amount} business hours", amount=amount, unit="business_hours")


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, quarter_hours)
def test_a_business_deadline_is_inside_working_time(
    work: WorkingTime, start: datetime, amount: Decimal
) -> None:
    end = deadline(start, business_hours(amount), work).astimezone(work.zone)
    assert work.is_working_day(end.date())
    assert work.opening < end.time() <= work.closing
    assert end > start


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, quarter_hours, quarter_hours)
def test_a_then_b_is_a_plus_b(work: WorkingTime, start: datetime, first: Decimal, second: Decimal) -> None:
    at_once = deadline(start, business_hours(first + second), work)
    in_two = deadline(deadline(start, business_hours(first), work), business_hours(second), work)
    assert at_once == in_two


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, st.integers(0, 60 * 24 * 10), quarter_hours)
def test_a_later_start_is_never_due_sooner(
    work: WorkingTime, start: datetime, later: int, amount: Decimal
) -> None:
    duration = business_hours(amount)
    first = deadline(start, duration, work).astimezone(UTC)
    assert first <= deadline(start + timedelta(minutes=later), duration, work).astimezone(UTC)


@settings(max_examples=60, deadline=None)
@given(calendars(), starts, st.integers(1, 60 * 20))
def test_the_deadline_is_the_first_minute_the_working_time_is_used_up(
    work: WorkingTime, start: datetime, minutes: int
) -> None:
    """Against counting working minutes one by one on the office's wall clock."""
    local = start.astimezone(work.zone).replace(tzinfo=None)
    counted = 0
    while counted < minutes:
        opening = datetime.combine(local.date(), work.opening)
        closing = datetime.combine(local.date(), work.closing)
        if work.is_working_day(local.date()) and opening <= local < closing:
            counted += 1
        local += timedelta(minutes=1)
    expected = local  # the end of the last working minute counted
    amount = Decimal(minutes) / 60
    got = deadline(start, business_hours(amount), work).astimezone(work.zone).replace(tzinfo=None)
    assert abs(got - expected) < timedelta(seconds=1)


@settings(max_examples=100, deadline=None)
@given(calendars(), starts, st.integers(1, 20))
def test_business_days_are_working_days_of_the_calendar(
    work: WorkingTime, start: datetime, days: int
) -> None:
    in_days = deadline(start, Duration(text="", amount=Decimal(days), unit="business_days"), work)
    hours = Decimal(work.day_length.total_seconds()) / 3600 * days
    assert in_days == deadline(start, business_hours(hours), work)


def test_a_very_long_sla_is_quick_and_a_deadline_past_9999_is_said_plainly() -> None:
    work = office()
    # 260 working days from Monday 5 January 2026 at opening: the 52 weeks up to Monday
    # 4 January 2027 hold 260 weekdays less the two Thanksgiving holidays, so two more
    # working days: Monday 4 and Tuesday 5 January 2027, due at closing on Tuesday.
    end = deadline(chicago("2026-01-05T08:30"), parse_duration("260 business days"), work)
    assert end.isoformat(timespec="minutes") == "2027-01-05T17:30-06:00"
    with pytest.raises(TooLate, match="after the year 9999"):
        deadline(chicago("2026-01-05T08:30"), parse_duration("4000000 business days"), work)
