"""A criterion cannot be read as a condition.

## What it means

An `entry`, `when` or `scope` criterion cannot be read as a condition. leadspec
points at the exact column inside the criterion and says what it expected there,
for example "expected a value after `>=`" or "a single `=` is not a comparison".

Criteria are written in a small language:

- comparisons of a field with a value: `lead_score >= 50`, `country == "US"`
  (operators `==`, `!=`, `<`, `<=`, `>`, `>=`); ranges such as `40 <= lead_score < 50`;
- lists: `country in ["US", "CA"]`, `country not in ["US", "CA"]`;
- a yes/no field alone: `email_verified`;
- `and`, `or`, `not` (in lower case), parentheses, `true` and `false`;
- text values in double quotes, numbers written with digits only (`50`, `0.5`, `-3`).

Common causes: `=` instead of `==`, `AND`/`&&` instead of `and`, text without
quotes (`country == US`), a missing closing quote or bracket, and conditions
nested more than 64 levels deep.

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
    entry: lead_score => 50
```

`=>` is not a comparison: leadspec reports it at the `=>` with the hint
"write >= for 'at least'".

## How to fix

Rewrite the criterion at the column shown, following the hint: use `==` to
compare, write `and`/`or`/`not` in lower case, put text values in double quotes
(`country == "US"`), and close every `(`, `[` and `"`. A comparison always has
a field on one side and a value on the other; to compare two fields, describe
the rule with a field that holds the result instead.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS206",
    name="expression-syntax",
    severity=Severity.ERROR,
    summary="a criterion cannot be read as a condition",
    needs_complete_model=False,
)
