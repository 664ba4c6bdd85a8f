"""The id of a stage or picklist value changed.

## What it means

A stage or picklist value has a new id but the same label or API value: it was
renamed. Ids are stable forever: other definitions, exports, saved links and the
CRM's records refer to them. A change of id is a removal of the old one plus a new
one, and needs a deprecation like any removal.

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
  - id: marketing_qualified_lead
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

Change the id back, or keep the old entry with `deprecated: true` and
`replaced_by:` the new id next to the new entry.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS433",
    name="id-changed",
    severity=Severity.ERROR,
    summary="the id of a stage or picklist value changed",
)
