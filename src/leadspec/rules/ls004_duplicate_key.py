"""The same key appears twice in one mapping.

## What it means

Most YAML tools silently keep only one of the two entries (usually the last),
so half of what was written disappears without a word: a team defined twice, a
stage attribute set twice with different values. leadspec reports the second
key and points at the first ("first defined here"), and uses the first.

## Example

```yaml
leadspec: 1
teams:
  marketing:
    label: Marketing
  sales:
    label: Sales
  marketing:
    label: Demand generation
```

## How to fix

Keep one entry: merge what both say into the first, or rename one of them if
they really are two different things.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS004",
    name="duplicate-key",
    severity=Severity.ERROR,
    summary="the same key twice in one mapping",
    needs_complete_model=False,
)
