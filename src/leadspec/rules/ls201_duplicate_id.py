"""The same id is defined twice.

## What it means

Ids are how definitions, CRM exports and past data refer to a stage, field,
picklist or term, so each must name exactly one thing across all definition
files. Stages and glossary terms share one namespace (a stage is a term too), and
values inside one picklist must have distinct ids. `lifecycle` and `targets` may
appear only once in the whole set of files.

The finding points at the second definition and names the first.

## Example

```yaml
leadspec: 1
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
  - id: mql
    label: Marketing Qualified Lead (EMEA)
    entry: lead_score >= 60
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
```

## How to fix

Rename one of the two, or merge them into one entry. If one replaces the other,
keep the old id with `deprecated: true` and `replaced_by:` the new one.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS201", name="duplicate-id", severity=Severity.ERROR, summary="the same id is defined twice"
)
