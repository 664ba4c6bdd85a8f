"""The top level of the file is a list or a single value instead of a set of keys.

## What it means

A definitions file is a mapping: `leadspec: 1` and sections such as `teams:`
and `stages:`, each at the start of a line. A file whose first entry starts
with `- ` is a list, and a file with one line of text is a single value;
leadspec cannot tell what either should define.

## Example

```yaml
- leadspec: 1
  teams:
    marketing:
      label: Marketing
```

## How to fix

Start the file with `leadspec: 1` at the beginning of the first line and put
the definitions under section keys, each at the start of a line. In the
example, remove the `- ` and unindent the rest by two spaces.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS011",
    name="not-a-mapping",
    severity=Severity.ERROR,
    summary="the top level of the file is not a set of keys",
    needs_complete_model=False,
)
