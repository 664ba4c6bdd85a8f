"""A stage was removed without a deprecation.

## What it means

A stage that existed in the base is gone from the head, and it was not deprecated
first. Records in the CRM still hold its API value, reports and automation still
filter on it, and links to its glossary page break. Removing a stage is allowed only
through `deprecated: true` with `replaced_by:` the stage its leads move to: the exports
then mark the value inactive (or hidden) instead of deleting it, and every tool knows
where the old records belong.

`leadspec diff` reports this; `leadspec check` cannot see it (it only reads one revision).

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
    entry: lead_score >= 0
    terminal: true
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: No budget}
      - {id: bad_timing, label: Bad timing}
```

## How to fix

Put the stage back with `deprecated: true` and `replaced_by:` the stage that takes
its leads. A stage that was deprecated in the base may be removed later.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS431",
    name="stage-removed",
    severity=Severity.ERROR,
    summary="a stage was removed without a deprecation",
)
