"""The CRM API value of a stage or picklist value changed.

## What it means

The value the CRM stores for a stage or picklist value (`api_name`, or a per-CRM
value under `crm:`) changed. Records in the CRM hold the old value, and they do not
change with it: they would silently drop out of every report and automation that uses
the new one. A label may change freely; an API value may not.

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
    api_name: Marketing Qualified
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

Keep the old API value. If the CRM really needs another value, add a new stage or
value with it, and mark the old one `deprecated: true` with `replaced_by:` the new one.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS434",
    name="api-value-changed",
    severity=Severity.ERROR,
    summary="the CRM API value of a stage or picklist value changed",
)
