"""A YAML tag (`!something` in front of a value) that leadspec does not accept.

## What it means

Tags tell a YAML tool to build a special kind of object. Some tools will build
Python objects or even run commands for tags like
`!!python/object/apply:os.system`, which is why a definitions file, which
anyone may propose a change to, must never rely on them. leadspec never builds
such objects; it reports the tag instead. The plain core tags `!!str`,
`!!int`, `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq` are accepted and
honoured (`!!str 10` is the text "10").

## Example

```yaml
leadspec: 1
teams:
  marketing:
    label: !upper Marketing
```

## How to fix

Remove the tag. If the value must stay text although it looks like something
else, put it in quotes instead (`"10"`).
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS005",
    name="unsupported-tag",
    severity=Severity.ERROR,
    summary="a YAML tag such as !!python/object",
    needs_complete_model=False,
)
