"""An escalation to the team that owns the SLA.

## What it means

An escalation tells someone else that the owner has missed the deadline, so that
the lead does not sit unattended. Escalating to the owner itself tells nobody new:
the team that did not act is the only one that hears about it.

## Example

```yaml
leadspec: 1
teams:
  sdr: {label: Sales development}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: sdr
    entry: "true"
    sla: {within: 4h, owner: sdr, escalate: {after: 8h, to: sdr}}
    exits:
      - to: sal
        when: sdr_status == "accepted"
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    entry: sdr_status == "accepted"
    terminal: true
```

## How to fix

Escalate to the team that can step in: sales leadership, revenue operations, or
the team's own managers defined as a team of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import placed_slas

RULE = Rule(
    code="LS407",
    name="escalation-to-owner",
    severity=Severity.WARNING,
    summary="an escalation to the team that owns the SLA",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for placed in placed_slas(ctx.model):
        escalate = placed.sla.escalate
        if escalate is None or escalate.to != placed.sla.owner:
            continue
        yield diagnostic(
            "LS407",
            f"the SLA of {placed.where} escalates to `{escalate.to}`, the team that owns it",
            escalate.spans.get("to", escalate.span),
            hint="escalate to a team that can step in when the owner misses the deadline",
        )
