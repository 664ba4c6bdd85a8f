"""A calendar's holidays end this year or earlier.

## What it means

A business-time SLA skips the calendar's holidays, but only the ones it lists.
Past the last year with holidays listed, every holiday counts as a working day:
a lead handed over on Friday 22 December gets a deadline on Christmas Day, and
nothing says so. This warning comes while there is still time to add them: when
the last year a calendar lists holidays for is the current year or earlier
(`leadspec sla due` also warns about a deadline computed past that year). A
calendar with no holidays at all is taken to have none, and is not reported.

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
      - {date: "2024-11-28", name: Thanksgiving Day}
      - {date: "2024-12-25", name: Christmas Day}
stages:
  - {id: lead, label: Lead, entry: "true", terminal: true}
```

## How to fix

Add the next year's holidays to the calendar (the days the office is closed, with
observed dates for holidays on a weekend). Keeping one year ahead means the
warning never fires.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from leadspec import calendars
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS410",
    name="holidays-running-out",
    severity=Severity.WARNING,
    summary="a calendar lists holidays up to this year or an earlier one only",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    year = calendars.today().year  # through the module, so tests can fix today's date
    for work in calendars.usable_calendars(ctx.model.calendars).values():
        last = work.last_holiday_year
        if last is None or last > year:
            continue
        calendar = work.calendar
        span = calendar.spans.get("holidays", calendar.span)
        latest = next((h for h in calendar.holidays if _day(h.date) == work.holiday_dates[-1]), None)
        if latest is not None:  # point at the last holiday listed
            span = latest.spans.get("date", latest.span or span)
        when = f"{last} only (this year)" if last == year else f"{last} only, and it is {year} now"
        yield diagnostic(
            "LS410",
            f"the calendar `{calendar.id}` lists holidays up to {when}: SLA deadlines after "
            f"{last} count every holiday as a working day",
            span,
            hint=f"add the holidays of {year + 1} to `holidays:`"
            if last == year
            else f"add the holidays of {last + 1} to {year + 1} to `holidays:`",
        )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
