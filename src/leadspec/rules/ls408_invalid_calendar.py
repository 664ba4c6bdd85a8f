"""A calendar that time cannot be counted on.

## What it means

Business hours and days are counted on a calendar, so the calendar must say
exactly when people work: a time zone this computer knows by its IANA name
(`America/Chicago`, `Europe/Dublin`, `UTC`), and a working day that ends after it
starts. A misspelt time zone or hours such as `17:30` to `08:30` leave every SLA
on the calendar without a deadline (`leadspec sla due` refuses them too).

## Example

```yaml
leadspec: 1
calendars:
  office:
    label: Office hours
    timezone: America/Chicgo
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "17:30", end: "08:30"}
stages:
  - {id: lead, label: Lead, entry: "true", terminal: true}
```

## How to fix

Use the time zone the hint suggests (the list is the IANA time zone database),
and write the hours of one working day, start before end: `{start: "08:30",
end: "17:30"}`. A night shift across midnight cannot be written; split the team
into two calendars if you need one.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.calendars import calendar_problems
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS408",
    name="invalid-calendar",
    severity=Severity.ERROR,
    summary="a calendar with an unknown time zone or working hours that end before they start",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for calendar in ctx.model.calendars.values():
        for problem in calendar_problems(calendar):
            yield diagnostic(
                "LS408",
                f"the calendar `{calendar.id}`: {problem}",
                calendar.spans.get(problem.key, calendar.span),
                hint=problem.hint,
            )
