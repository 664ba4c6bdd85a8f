"""A field's type changed.

## What it means

A field changed its type (for example from a number to a list of values). The values
records hold now do not fit the new type, and every criterion over the field means
something else. Lead movement cannot be computed across such a change either.

`leadspec diff` reports this.

## Example

The base:

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: lead
    label: Lead
    entry: lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    api_name: MQL
    entry: lead_score >= 50
    terminal: true
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: No budget}
      - {id: bad_timing, label: Bad timing}
```

The head:

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: number, min: 0, max: 100}
stages:
  - id: lead
    label: Lead
    entry: lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    api_name: MQL
    entry: lead_score >= 50
    terminal: true
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: No budget}
      - {id: bad_timing, label: Bad timing}
```

## How to fix

Keep the type. For data of another kind, add a new field, move the criteria to it,
and retire the old field once no criterion uses it.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS437",
    name="field-type-changed",
    severity=Severity.ERROR,
    summary="a field's type changed",
)
