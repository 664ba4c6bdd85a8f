"""A holiday that is not a working day anyway, or the same holiday twice.

## What it means

Holidays stop the SLA clock on days it would otherwise run. A holiday on a day
that is not a working day (a Saturday on a Monday-to-Friday calendar) changes
nothing, which usually means the wrong date was copied: when a public holiday
falls on a weekend, offices close on the observed day instead (Independence Day
2026 is a Saturday; the observed holiday is Friday 3 July). The same date listed
twice is harmless but suggests one of the two was meant to be another day.

## Example

```yaml
leadspec: 1
calendars:
  office:
    label: Office hours
    timezone: America/Chicago
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "08:30", end: "17:30"}
    holidays:
      - {date: "2026-07-04", name: Independence Day}
      - {date: "2026-11-26", name: Thanksgiving Day}
      - {date: "2026-11-26", name: Day after Thanksgiving}
stages:
  - {id: lead, label: Lead, entry: "true", terminal: true}
```

## How to fix

Write the day the office is closed (the observed holiday), and give each holiday
its own date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from leadspec.calendars import DAY_NAMES, WEEKDAYS
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS409",
    name="holiday-mistake",
    severity=Severity.WARNING,
    summary="a holiday on a day that is not a working day, or listed twice",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for calendar in ctx.model.calendars.values():
        listed = calendar.spans.get("holidays", calendar.span)
        seen: dict[date, tuple[str, Span]] = {}
        for holiday in calendar.holidays:
            try:
                day = date.fromisoformat(holiday.date)
            except ValueError:
                continue  # not a date: LS104
            name = f"{holiday.name} ({holiday.date})" if holiday.name else holiday.date
            span = holiday.spans.get("date", holiday.span or listed)
            if day in seen:
                first, first_span = seen[day]
                yield diagnostic(
                    "LS409",
                    f"the calendar `{calendar.id}` lists {holiday.date} twice ({first}, then {name})",
                    span,
                    hint="give each holiday its own date, or remove the copy",
                    related=[Related(first_span, f"{first} is listed here first")],
                )
                continue
            seen[day] = (name, span)
            if WEEKDAYS[day.weekday()] not in calendar.days:
                yield diagnostic(
                    "LS409",
                    f"the calendar `{calendar.id}` has the holiday {name} on a {DAY_NAMES[day.weekday()]}, "
                    "which is not a working day anyway",
                    span,
                    hint="write the day the office is closed instead (the observed holiday)",
                )
