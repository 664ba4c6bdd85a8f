"""The office calendar the business-time tests count on, in Python (tests/test_calendars.py) and in SQL
(tests/funnel): one definition, so both suites check the same calendar."""

from __future__ import annotations

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
