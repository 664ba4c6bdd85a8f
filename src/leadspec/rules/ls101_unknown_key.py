"""A key the format does not know, usually a typo.

## What it means

Every section and entry of a definitions file has a fixed set of keys (see the
format reference). A key outside that set is almost always a misspelling, and a
misspelt key is silently meaningless: `entry_criteria:` instead of `entry:`
would leave the stage with no entry criterion at all. So leadspec refuses it.

## Example

```yaml
leadspec: 1
fields:
  lead_score:
    label: Lead score
    type: integer
    minimum: 0
```

`minimum` is not a key of a field; the bound is spelt `min`.

## How to fix

Use the key the hint suggests (`min`), or remove the key. `leadspec schema`
prints every allowed key with its description, and an editor set up with the
schema (see the README) completes keys as you type.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS101", name="unknown-key", severity=Severity.ERROR, summary="a key the format does not know"
)
