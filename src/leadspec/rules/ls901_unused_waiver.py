"""A waiver that no longer matches any finding.

## What it means

A waiver records that both teams knowingly accepted a finding. When the finding
goes away (someone fixed the definition), the waiver is left behind and would
silently accept the *next* problem of that kind in the same place. So a waiver
that matches nothing is reported.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: response
    label: Response
    entry: lead_score >= 0
    terminal: true
    waivers:
      - code: LS301
        reason: Agreed in the Q3 review to live with the overlap until the new scoring model
```

## How to fix

Remove the waiver.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS901",
    name="unused-waiver",
    severity=Severity.WARNING,
    summary="a waiver that no longer matches any finding",
)
