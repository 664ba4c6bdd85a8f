"""A required key is missing.

## What it means

Some keys must be present for an entry to mean anything: a stage needs an `id`,
a `label` and an `entry` criterion; a field needs a `label` and a `type`; an exit
needs `to` and `when`; an SLA needs `within` and `owner`.

## Example

```yaml
leadspec: 1
stages:
  - id: mql
    label: Marketing Qualified Lead
```

The stage has no `entry`, so nobody could tell which leads are MQLs.

## How to fix

Add the key the message names. The hint quotes what the key is for.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(code="LS102", name="missing-key", severity=Severity.ERROR, summary="a required key is missing")
