"""A file that holds more than one YAML document.

## What it means

A line `---` starts a new YAML document. Many tools read only the first one
and silently ignore the rest, so leadspec accepts one document per file and
reports where the second one starts. The file is not used until it is fixed.

## Example

```yaml
leadspec: 1
teams:
  marketing:
    label: Marketing
---
teams:
  sales:
    label: Sales
```

## How to fix

Remove the `---` line and merge the sections, or move what follows it into a
file of its own (starting with `leadspec: 1`). A single `---` on the very first
line is fine.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS010",
    name="several-documents",
    severity=Severity.ERROR,
    summary="more than one YAML document in a file",
    needs_complete_model=False,
)
