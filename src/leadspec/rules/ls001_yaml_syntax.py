"""The file cannot be read as YAML.

## What it means

YAML is strict about indentation, quoting and colons, and one misplaced
character makes the rest of the file unreadable. leadspec reports the first
place where reading stopped, in plain words, with a hint for the usual cause:

- a tab used for indentation (YAML indentation must use spaces; editors often
  show tabs and spaces the same way);
- a `: ` (colon and space) inside an unquoted value, which YAML reads as a
  second key on the same line;
- a quote that is opened but never closed;
- a line indented differently from the other keys at its level;
- a key that is not text, such as `1:` or `true:` (keys must be text).

Nothing else in the file is checked until it can be read; the other files
still are.

## Example

```yaml
leadspec: 1
teams:
  marketing:
    label: Marketing
    description: Owns the funnel: from response to MQL
```

The second `: ` in the description makes YAML read `Owns the funnel` as a key.

## How to fix

Go to the line and column shown and follow the hint. For the example, put the
whole value in quotes:

```
    description: "Owns the funnel: from response to MQL"
```

For a tab, replace it with spaces (most editors have "convert indentation to
spaces"). For a key such as `1:`, write it in quotes (`"1":`).
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS001",
    name="yaml-syntax",
    severity=Severity.ERROR,
    summary="the file is not valid YAML",
    needs_complete_model=False,
)
