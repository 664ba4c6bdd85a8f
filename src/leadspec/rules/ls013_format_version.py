"""The file does not say `leadspec: 1`, the format version this leadspec reads.

## What it means

Every definitions file starts with `leadspec: 1`. The line says which version
of the format the file is written in, so that a later format can be told apart
and migrated instead of being misread. leadspec reports a file:

- without the line (the rest of the file is still checked);
- with a version other than 1, for example a file written for a newer
  leadspec; such a file is not checked further, since its meaning may differ;
- with something other than the number 1, such as `"1"` in quotes.

## Example

```yaml
leadspec: 2
teams:
  marketing:
    label: Marketing
```

## How to fix

Add `leadspec: 1` as the first line. If the file says another version, use the
leadspec release that reads it, or write the file in version 1.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS013",
    name="format-version",
    severity=Severity.ERROR,
    summary="`leadspec: 1` missing or another version",
    needs_complete_model=False,
)
