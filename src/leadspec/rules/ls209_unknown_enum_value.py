"""A criterion uses a value that the enum field does not have.

## What it means

A criterion compares an `enum` field with a value that is not in the field's
`values`. No lead can ever have that value, so the comparison never matches (or,
with `!=` and `not in`, always matches), which is almost always a typo. Values
are case-sensitive: `"us"` is not `"US"`. The hint names the value you probably
meant.

Because fields may be declared in any file under `definitions/`, this check
stays quiet when some file could not be read.

## Example

```yaml
leadspec: 1
fields:
  country: {label: Country, type: enum, values: [US, CA, GB]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    start: true
    terminal: true
    entry: country == "us"
```

The message reads: `country` (Country) has no value "us"; its values are US, CA
or GB, with the hint: values are case-sensitive: write "US".

## How to fix

Use the value exactly as it is written in the field's `values`. If leads really
can have the new value, add it to `values` under the field (and to the CRM
picklist it mirrors).
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS209",
    name="unknown-enum-value",
    severity=Severity.ERROR,
    summary="a criterion uses a value that the enum field does not have",
    needs_complete_model=True,
)
