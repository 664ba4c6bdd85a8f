"""A picklist value (or a whole picklist) was removed without a deprecation.

## What it means

A value of a picklist (a rejection reason, a lead status...) that existed in the base
is gone from the head, and it was not deprecated first. Records in the CRM still hold
it; deleting it from the CRM's picklist leaves them with a value nobody can pick or
report on. Removing a value is allowed only through `deprecated: true` with
`replaced_by:`.

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
```

## How to fix

Put the value back with `deprecated: true` and `replaced_by:` the value its records
move to.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS432",
    name="picklist-value-removed",
    severity=Severity.ERROR,
    summary="a picklist value (or a whole picklist) was removed without a deprecation",
)
