"""A hand-off between two teams with no SLA.

## What it means

An exit from a stage one team owns to a stage another team owns is a hand-off:
one team lets go of the lead and another must pick it up. Without an SLA nobody
has promised to act on it, and the lead can wait forever between the two teams,
which is the blame game the SLA exists to end ("Sales will act on those leads in
an agreed-upon timeframe").

A hand-off counts as covered when the exit has an `sla`, or when the stage it goes
to has one: both clocks start when the lead arrives.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing}
  sdr: {label: Sales development}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    entry: "true"
    exits:
      - to: sal
        when: sdr_status == "accepted"
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    entry: sdr_status == "accepted"
    terminal: true
```

Marketing hands every accepted MQL to the SDR team, and nobody says how soon the
SDRs must act.

## How to fix

Add an SLA owned by the receiving team to the exit:
`sla: {within: 1 business day, owner: sdr, calendar: us_office}`. If the teams
knowingly leave this hand-off without one, waive the finding on the exit.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import handoff_covered, handoffs

RULE = Rule(
    code="LS401",
    name="handoff-without-sla",
    severity=Severity.WARNING,
    summary="a hand-off between two teams with no SLA",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    for source, exit_, target in handoffs(model):
        if handoff_covered(exit_, target):
            continue
        giver = model.teams.get(source.owner or "")
        taker = model.teams.get(target.owner or "")
        yield diagnostic(
            "LS401",
            f"the exit from `{source.id}` to `{target.id}` hands leads from "
            f"{giver.label if giver else source.owner} to {taker.label if taker else target.owner}, "
            "and no SLA says how soon they must act",
            exit_.to_span or exit_.span,
            hint=f"add `sla: {{within: ..., owner: {target.owner}}}` to the exit (the receiving team acts)",
        )
