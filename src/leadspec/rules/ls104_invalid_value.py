"""A value of the right kind that is still not allowed.

## What it means

The value is outside what the format allows: an id that is not lower_snake_case,
a field `type` that does not exist, a date that is not on the calendar
(`2026-02-30`), a conversion rate above 1, an empty waiver reason, a list that
repeats a value.

## Example

```yaml
leadspec: 1
calendars:
  us_office:
    label: US office hours
    timezone: America/Chicago
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "08:30", end: "17:30"}
    holidays:
      - {date: "2026-02-30", name: Not a day}
```

## How to fix

Follow the hint: it says the allowed form or gives an example.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS104", name="invalid-value", severity=Severity.ERROR, summary="a value the format does not allow"
)
