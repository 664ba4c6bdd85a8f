"""An alias (`*name`) that cannot be expanded safely.

## What it means

YAML lets you mark a value with an anchor (`&name`) and repeat it elsewhere
with an alias (`*name`). leadspec accepts aliases, but reports:

- an alias inside the value of its own anchor, which would make the value
  endless;
- an alias with no anchor of that name before it;
- aliases that together expand to more than 10,000 values. Aliases of aliases
  grow very fast (ten aliases of ten aliases of ten ...), which is how a
  "billion laughs" file makes YAML tools run out of memory. The file is not
  read any further.

## Example

```yaml
leadspec: 1
teams:
  marketing: &team
    label: Marketing
    description: *team
```

`*team` is inside the value of `&team` itself.

## How to fix

Point the alias at an anchor defined above and outside the value, or write the
value out in full. Definitions rarely need aliases: repeating a short value is
clearer to the next reader.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS006",
    name="alias",
    severity=Severity.ERROR,
    summary="an alias that refers to itself, to nothing, or expands too far",
    needs_complete_model=False,
)
