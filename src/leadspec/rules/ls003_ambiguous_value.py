"""A value that different YAML tools read differently.

## What it means

leadspec reads YAML 1.2, where `NO` is the text "NO". Many tools that will
also read these files (PyYAML, CRM importers, older editors) follow YAML 1.1,
where the same unquoted value means something else:

| written | YAML 1.1 tools read | YAML 1.2 (leadspec) reads |
| --- | --- | --- |
| `yes`, `no`, `on`, `off`, `y`, `n` (any case) | true / false | text |
| `010` (leading zero) | 8 (octal) | 10 |
| `1_000` | 1000 | text |
| `17:30`, `1:30:00` | 1050, 5400 (base 60) | text |
| `0b101` | 5 | text |
| `1e5`, `08` | text | a number |
| `<<` as a key | "merge the following keys" | an ordinary key |

The classic victim is Norway's country code `NO`, which turns into `false` in a
CRM export. Rather than guess what the author meant, leadspec asks for a
spelling that every tool reads the same way. Dates such as `2026-12-25` are not
reported: every tool agrees they are dates, and leadspec reads them as text.

## Example

```yaml
leadspec: 1
fields:
  country:
    label: Country
    type: enum
    values: [US, GB, SE, NO]
```

## How to fix

Put the value in quotes if you mean the text (`"NO"`, `"17:30"`, `"010"`), or
write the unambiguous value if you mean the other reading (`false`, `8`,
`1000`). The message says both meanings.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS003",
    name="ambiguous-value",
    severity=Severity.ERROR,
    summary="a value that YAML tools read differently",
    needs_complete_model=False,
)
