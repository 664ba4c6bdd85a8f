"""A criterion compares a number field with a value outside its range.

## What it means

A criterion compares a number field with a value outside the field's declared
range (its `min` and `max`), such as `lead_score > 150` when scores run from 0 to
100, or `lead_score >= -5` when the minimum is 0. Either the condition can never
hold (or always holds), or the field's range is wrong; both mean the definitions
do not say what the teams agreed on. Values at the edge of the range, such as
`lead_score <= 100`, are fine.

Because fields may be declared in any file under `definitions/`, this check
stays quiet when some file could not be read.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    start: true
    terminal: true
    entry: lead_score > 150
```

The message reads: `lead_score` (Lead score) is a whole number from 0 to 100, so
150 is outside its range.

## How to fix

Compare with a value inside the range (here 0 to 100). If leads really can have
such values, widen the field's `min` or `max` under `fields:` so the checks
reason over the real range.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS210",
    name="bound-outside-domain",
    severity=Severity.ERROR,
    summary="a criterion compares a number field with a value outside its range",
    needs_complete_model=True,
)
