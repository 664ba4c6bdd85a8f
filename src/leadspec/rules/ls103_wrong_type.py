"""A value of the wrong kind: text where a number is expected, a list where one value is.

## What it means

Each key expects one kind of value: text, a whole number, a number, true/false,
a list, or a set of `key: value` entries. A value of another kind cannot be
used.

## Example

```yaml
leadspec: 1
fields:
  lead_score:
    label: Lead score
    type: integer
    max: "one hundred"
```

## How to fix

Write the value in the expected form: numbers without quotes (`max: 100`), yes/no
as `true`/`false`, text in quotes when it could be read as something else.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(code="LS103", name="wrong-type", severity=Severity.ERROR, summary="a value of the wrong kind")
