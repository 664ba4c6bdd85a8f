"""A criterion uses a field that is not declared.

## What it means

A criterion names a field that no definitions file declares under `fields:`.
leadspec cannot tell which values the field may take, so it cannot check the
lifecycle for gaps or overlaps. The message suggests the closest declared field
("did you mean `lead_score`?"); field ids are lower case and case matters.

Because fields may be declared in any file under `definitions/`, this check
stays quiet when some file could not be read.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    start: true
    terminal: true
    entry: lead_scor >= 50
```

`lead_scor` is not a declared field; the hint says "did you mean `lead_score`?".

## How to fix

Correct the spelling to a declared field id, or declare the field under
`fields:` with its `label` and `type` (and `min`/`max` or `values`). If you meant
a value rather than a field, compare a field with it in quotes:
`country == "US"`.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS207",
    name="unknown-field",
    severity=Severity.ERROR,
    summary="a criterion uses a field that is not declared",
    needs_complete_model=True,
)
