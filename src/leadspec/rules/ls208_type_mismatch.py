"""A criterion uses a field in a way its type does not allow.

## What it means

A criterion uses a field in a way its type does not allow:

- a number field (`integer` or `number`) compared with text or with `true`/`false`,
  as in `lead_score >= "high"` or `lead_score == "50"` (quotes make it text);
- an `enum` field compared with a number, or with `<`, `<=`, `>`, `>=`
  (its values have no order; only `==`, `!=`, `in` and `not in` apply);
- a `boolean` field compared with anything but `true`/`false`, or with `<`/`>`;
- a field that is not `boolean` used alone as a condition (`lead_score` on its own);
- a value in an `in [...]` list of the wrong kind for the field.

Comparing an `integer` field with a decimal (`lead_score > 49.5`) is fine.

Because fields may be declared in any file under `definitions/`, this check
stays quiet when some file could not be read.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    start: true
    terminal: true
    entry: lead_score >= "high"
```

The message reads: `lead_score` (Lead score) is a whole number from 0 to 100,
but is compared with "high".

## How to fix

Compare the field with a value of its own type: a number without quotes for
number fields (`lead_score >= 50`), a quoted value from the field's `values` for
enum fields (`country == "US"`), `true`/`false` or the field alone for boolean
fields (`email_verified`, `not email_verified`). For several enum values use
`country in ["US", "CA"]` instead of `<` or `>`. If the field's type is wrong,
change its `type` under `fields:`.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS208",
    name="type-mismatch",
    severity=Severity.ERROR,
    summary="a criterion uses a field in a way its type does not allow",
    needs_complete_model=True,
)
