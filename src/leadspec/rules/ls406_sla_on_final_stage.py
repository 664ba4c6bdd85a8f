"""An SLA on a stage nobody can leave.

## What it means

An SLA on a stage is the time a lead may stay there before its owner moves it on.
A stage with no exits (an end stage such as Customer or Disqualified) can never
be left, so every lead in it misses that SLA.

## Example

```yaml
leadspec: 1
teams:
  sales: {label: Sales}
fields:
  deal_status: {label: Deal status, type: enum, values: [open, won]}
stages:
  - id: customer
    label: Customer
    owner: sales
    entry: "true"
    terminal: true
    sla: {within: 5 days, owner: sales}
```

## How to fix

If the team must act on each lead arriving in the stage (onboard a new customer,
suppress a disqualified record), put the SLA on the exits that lead there: that
is the hand-off promise. Otherwise remove it.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS406",
    name="sla-on-final-stage",
    severity=Severity.WARNING,
    summary="an SLA on a stage nobody can leave",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for stage in ctx.model.stages:
        if stage.sla is None or stage.exits:
            continue
        yield diagnostic(
            "LS406",
            f"the stage `{stage.id}` has an SLA ({stage.sla.within.text}), but no lead can ever leave it",
            stage.sla.span,
            hint="put the SLA on the exits into this stage (the receiving team acts on arrival), or remove it",
        )
