"""A waiver names a code leadspec does not have.

## What it means

The `code` of a waiver must be one of leadspec's diagnostic codes
(`leadspec rule --all` lists them). A code that does not exist waives nothing,
usually because of a typo.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: response
    label: Response
    entry: lead_score >= 0
    terminal: true
    waivers:
      - code: LS999
        reason: Typo for the code we meant
```

## How to fix

Correct the code, or remove the waiver.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS902",
    name="waiver-unknown-code",
    severity=Severity.ERROR,
    summary="a waiver names a code leadspec does not have",
)
