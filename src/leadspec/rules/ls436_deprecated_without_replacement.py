"""A stage or picklist value was deprecated without replaced_by.

## What it means

A stage or picklist value is newly `deprecated: true` in the head but says nothing
about `replaced_by:`. Deprecation is how a value is retired without breaking records;
the replacement is what tells the CRM migration, the reports and the people where
those records go now.

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
      - {id: bad_timing, label: Bad timing, deprecated: true}
```

## How to fix

Add `replaced_by:` with the id of the stage or value that takes its place.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS436",
    name="deprecated-without-replacement",
    severity=Severity.ERROR,
    summary="a stage or picklist value was deprecated without replaced_by",
)
