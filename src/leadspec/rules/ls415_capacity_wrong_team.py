"""A team's capacity is for a stage the team neither owns nor acts on.

## What it means

A capacity says how many leads of one stage a team's reps work per period, and
is compared with the leads the targets need in that stage. The team named does
not own the stage, and no SLA on the stage or on its exits makes the team act on
its leads, so the comparison is probably about the wrong stage or the wrong team
(SDRs counted against SQLs, say, when they work MQLs).

## Example

```yaml
leadspec: 1
teams:
  sales: {label: Sales}
  marketing: {label: Marketing}
fields:
  status: {label: Status, type: enum, values: [mql, accepted, rejected, won]}
  score: {label: Score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    abbr: MQL
    owner: sales
    start: true
    entry: status in ["mql", "accepted"] or (status == "rejected" and score >= 90)
    exits:
      - {to: sql, when: status == "accepted"}
  - id: sql
    label: Sales Qualified Lead
    abbr: SQL
    owner: sales
    entry: status in ["accepted", "rejected", "won"]
    exits:
      - {to: customer, when: status == "won"}
      - {to: nurture, when: status == "rejected"}
  - id: nurture
    label: Nurture
    owner: sales
    entry: status == "rejected"
    exits:
      - {to: mql, when: score >= 90, set: {status: mql}}
  - id: customer
    label: Customer
    owner: sales
    terminal: true
    entry: status == "won"
targets:
  revenue: 1200000
  average_deal_size: 40000
  conversion: {mql->sql: 0.5, sql->customer: 0.25}
  capacity:
    marketing: {reps: 4, per_rep: 100, stage: sql}
```

## How to fix

Name the stage the team really works, or the team that works this stage. If
the team does act on these leads, say so: make it the `owner` of the SLA on the
hand-off it must act on.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.model import Stage
from leadspec.rules import Rule
from leadspec.rules.topics import missing_out_of, unreachable
from leadspec.targets import team_label

RULE = Rule(
    code="LS415",
    name="capacity-wrong-team",
    severity=Severity.WARNING,
    summary="a team's capacity is for a stage the team neither owns nor acts on",
    needs_complete_model=True,
)


def _workers(stage: Stage) -> list[str]:
    """Teams that own the stage or must act on its leads under an SLA."""
    slas = [stage.sla, *(exit_.sla for exit_ in stage.exits)]
    found = [stage.owner, *(sla.owner for sla in slas if sla is not None)]
    return list(dict.fromkeys(team for team in found if team is not None))


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    if model.targets is None:
        return
    for capacity in model.targets.capacity:
        stage = model.stage(capacity.stage)
        if stage is None or capacity.team not in model.teams:
            continue  # LS202
        workers = _workers(stage)
        if not workers or capacity.team in workers:
            continue
        if any(team not in model.teams for team in workers):
            continue  # LS202: the undefined team may be this one, misspelt
        who = " and ".join(team_label(model, team) for team in workers)
        yield diagnostic(
            "LS415",
            f"the capacity of {team_label(model, capacity.team)} counts leads in {stage.label}, "
            f"which {team_label(model, capacity.team)} neither owns nor acts on under an SLA "
            f"({stage.label} is worked by {who})",
            capacity.span,
            hint=f"name the stage {team_label(model, capacity.team)} works, or give this capacity to {who}",
            # the team may have acted on an exit that is gone
            follows=(*missing_out_of(model, [stage.id]), unreachable(stage.id)),
        )
