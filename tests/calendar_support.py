"""The office calendar the business-time tests count on, in Python (tests/test_calendars.py) and in SQL
(tests/funnel), and the deadlines worked out by hand on it: one definition, so both suites check
the same calendar against the same answers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from leadspec.calendars import WorkingTime, working_time
from leadspec.diagnostics import Span
from leadspec.model import Calendar, Holiday


def office(
    timezone_name: str = "America/Chicago",
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    start: str = "08:30",
    end: str = "17:30",
    holidays: tuple[str, ...] = ("2026-11-26", "2026-11-27"),
    ident: str = "office",
) -> WorkingTime:
    """Chicago, Mon-Fri 08:30-17:30, closed Thanksgiving 2026 and the day after."""
    return working_time(
        Calendar(
            id=ident,
            label="Office hours",
            timezone=timezone_name,
            days=days,
            start=start,
            end=end,
            holidays=tuple(Holiday(day, "Holiday") for day in holidays),
            span=Span("calendars.yaml", 1, 1),
        )
    )


CHICAGO = ZoneInfo("America/Chicago")


def chicago(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO)


# (start in Chicago, duration, deadline as local text with its offset, why) on `office()`.
DEADLINES_BY_HAND = [
    (
        "2026-11-20T16:30",
        "1 business day",
        "2026-11-23T16:30-06:00",
        "Fri 1 h + Mon 8 h: over the weekend",
    ),
    ("2026-11-20T16:30", "8 business hours", "2026-11-23T15:30-06:00", "Fri 1 h + Mon 7 h"),
    (
        "2026-11-25T16:30",
        "1 business day",
        "2026-11-30T16:30-06:00",
        "Wed 1 h, Thanksgiving Thu and Fri off, Mon 8 h",
    ),
    ("2026-11-25T16:30", "8 business hours", "2026-11-30T15:30-06:00", "Wed 1 h, Mon 7 h"),
    (
        "2026-11-27T16:30",
        "1 business day",
        "2026-11-30T17:30-06:00",
        "a holiday: the clock starts Mon 08:30",
    ),
    (
        "2026-11-26T10:00",
        "1 business hour",
        "2026-11-30T09:30-06:00",
        "Thanksgiving: the clock starts Mon 08:30",
    ),
    ("2026-11-23T07:00", "2 business hours", "2026-11-23T10:30-06:00", "before opening: from 08:30"),
    ("2026-11-23T18:00", "2 business hours", "2026-11-24T10:30-06:00", "after closing: from Tue 08:30"),
    (
        "2026-11-20T18:00",
        "1 business day",
        "2026-11-23T17:30-06:00",
        "after closing Fri: one full Monday",
    ),
    ("2026-11-20T17:30", "1 business day", "2026-11-23T17:30-06:00", "at closing: one full Monday"),
    (
        "2026-11-23T15:30",
        "2 business hours",
        "2026-11-23T17:30-06:00",
        "runs out at closing: due at closing",
    ),
    (
        "2026-11-20T16:30",
        "0.5 business day",
        "2026-11-23T12:00-06:00",
        "4 h 30 min: Fri 1 h + Mon 3 h 30 min",
    ),
    ("2026-11-23T08:30", "1.5 business hours", "2026-11-23T10:00-06:00", "90 minutes of working time"),
    ("2026-11-23T08:30", "2 business days", "2026-11-24T17:30-06:00", "two full working days"),
    (
        "2026-10-30T16:30",
        "1 business day",
        "2026-11-02T16:30-06:00",
        "over the clock change: still Mon 16:30",
    ),
    (
        "2026-10-31T12:00",
        "2 days",
        "2026-11-02T12:00-06:00",
        "calendar days: same time of day (49 real hours)",
    ),
    ("2026-10-31T12:00", "P2D", "2026-11-02T12:00-06:00", "ISO days are calendar days"),
    ("2026-10-31T12:00", "48h", "2026-11-02T11:00-06:00", "elapsed hours: one hour earlier on the clock"),
    ("2026-10-31T12:00", "PT48H", "2026-11-02T11:00-06:00", "ISO hours are elapsed time"),
    (
        "2026-11-01T00:30",
        "2h",
        "2026-11-01T01:30-06:00",
        "01:30 CDT, then one hour later 01:30 again, CST",
    ),
    ("2026-03-07T02:30", "1 day", "2026-03-08T03:30-05:00", "02:30 does not exist that night: 03:30 CDT"),
    (
        "2026-11-20T16:30",
        "1 week",
        "2026-11-27T16:30-06:00",
        "a week is seven calendar days, holidays too",
    ),
    ("2026-11-23T08:30", "9 business hours", "2026-11-23T17:30-06:00", "a whole day: that closing"),
    ("2026-11-20T16:30", "1.5 days", "2026-11-22T04:30-06:00", "a day and 12 elapsed hours"),
]
