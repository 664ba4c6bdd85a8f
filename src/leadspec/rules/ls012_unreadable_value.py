"""A value that cannot be read: a number too long to hold, or a value tagged as something it is not.

## What it means

leadspec reads numbers exactly (no rounding), but not without limit: a number
written with thousands of digits is almost certainly a pasted identifier or a
damaged file, and reading it would make every check slow. A value marked with
a type tag that does not fit it (`!!int twelve`) cannot be read either.

## Example

```yaml
leadspec: 1
targets:
  period: quarter
  revenue: !!int 1.2 million
  average_deal_size: 40000
```

## How to fix

Write the number plainly (`revenue: 1200000`) and drop the tag. If the long
value is an identifier or code rather than a number, put it in quotes.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS012",
    name="unreadable-value",
    severity=Severity.ERROR,
    summary="a value that cannot be read as what it says it is",
    needs_complete_model=False,
)
