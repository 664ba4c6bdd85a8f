"""An SLA time that is not a duration.

## What it means

SLA `within` and escalation `after` say how long a team has to act. leadspec reads
`4h`, `30 minutes`, `1 day`, `2 weeks`, `8 business hours`, `2 business days` and ISO
8601 durations such as `PT4H` or `P2D`. Anything else cannot be turned into a
deadline.

## Example

```yaml
leadspec: 1
teams:
  sdr: {label: Sales development}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: sdr_status == "new"
    sla: {within: 0 hours, owner: sdr}
```

A duration of no time at all cannot be met. Text that is not a duration at all
(`within: soon`) is reported as LS104 by the format check.

## How to fix

Write a number above zero and a unit: `within: 1 business day`.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS211",
    name="invalid-duration",
    severity=Severity.ERROR,
    summary="an SLA time that is not a duration",
)
