"""A baseline entry that no longer matches any finding.

## What it means

A baseline (`baseline = "FILE"` in `[tool.leadspec]`, written by
`leadspec check --write-baseline FILE`) records the findings a project had when it
adopted leadspec, so that `check` reports only new ones. When one of those findings
goes away (someone fixed the definition), its entry is left behind and would
silently accept the same finding if it ever came back. So an entry that matches
nothing is reported, the way an unused waiver is (LS901), and the baseline only
shrinks.

An entry is matched by the finding's code, its file, its message and the text of the
line it points at, not by the line number: editing the file above a finding does not
make its entry stale.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing}
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: response
    label: Response
    owner: marketing
    start: true
    terminal: true
    entry: lead_score >= 0
```

with the baseline written while the owner was misspelt `marketng`:

```json
{
  "leadspec_baseline": 1,
  "findings": [
    {"code": "LS202", "file": "definitions/example.yaml", "fingerprint": "3f5c0e1a9b2d4c6e", "message": "the stage `response` names the team `marketng`, which is not defined"}
  ]
}
```

Now that the owner is corrected, the entry matches nothing.

## How to fix

Run `leadspec check --write-baseline FILE` again to record only the findings that
remain, and commit the smaller baseline.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS903",
    name="stale-baseline-entry",
    severity=Severity.WARNING,
    summary="a baseline entry that no longer matches any finding",
)
