"""A named condition that uses itself, directly or through other conditions.

## What it means

A named condition (under `conditions:`) may use other named conditions by id. If
`a` uses `b` and `b` uses `a`, neither says anything: to know whether a lead meets
`a` you would first have to know whether it meets `a`. The message names the whole
cycle. Every criterion that uses a condition on the cycle is left out of the
lifecycle analysis until the cycle is broken.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  demo_requested: {label: Demo requested, type: boolean}
conditions:
  engaged:
    label: Engaged
    when: lead_score >= 50 or hot
  hot:
    label: Hot
    when: demo_requested and engaged
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: engaged
    terminal: true
```

`engaged` uses `hot`, which uses `engaged`.

## How to fix

Write one of the conditions without the other: usually one of them is the
smaller idea (`hot: demo_requested`) and the other is built on it.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS215",
    name="condition-cycle",
    severity=Severity.ERROR,
    summary="a named condition that uses itself",
)
