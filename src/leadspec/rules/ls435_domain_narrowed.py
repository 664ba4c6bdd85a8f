"""A field no longer allows values it allowed before.

## What it means

A field's domain is narrower in the head than in the base: a maximum lowered, a
minimum raised, an enum value dropped, or an optional field made required. Records
that hold the dropped values are no longer valid leads: no stage describes them, and
the exports and checks treat their values as impossible. The example lead shows one
value that is no longer allowed.

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
  lead_score: {label: Lead score, type: integer, min: 0, max: 90}
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

Keep the old domain while records can hold those values. If the data has been
cleaned (no record holds them any more), the narrowing is safe: accept it knowingly
for the run that merges it, with `leadspec diff --ignore LS435`.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS435",
    name="domain-narrowed",
    severity=Severity.ERROR,
    summary="a field no longer allows values it allowed before",
)
