"""The lifecycle analysis did not run, because other errors come first.

## What it means

The checks for gaps, overlaps, hand-off gaps and failing examples (LS301 to
LS311) are exact: they prove something about every possible lead. They can only
do that on definitions that are exactly as written, so they wait until no file
has a reading or schema error, no id is defined twice, and every criterion is
understood. Until then this note says that those checks have not run, so a
clean-looking result is not mistaken for a proven one.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >=
    terminal: true
```

## How to fix

Fix the other errors; the analysis then runs by itself.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS300",
    name="analysis-skipped",
    severity=Severity.INFO,
    summary="the lifecycle analysis did not run because of other errors",
)
