"""A team's capacity is for a stage the targets give no leads.

## What it means

The capacity is compared with the leads the reverse waterfall says the stage
needs. No conversion rate leads into this stage from where new leads come in,
so the waterfall gives it no leads, and the capacity is never really compared
with anything: `leadspec targets` would show the team with nothing to do.

## Example

```yaml
leadspec: 1
teams:
  sales: {label: Sales}
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
    sales: {reps: 2, per_rep: 50, stage: nurture}
```

## How to fix

Add the conversion rate into the stage (here `sql->nurture`), or name the stage
the team works that is on the waterfall.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.targets import Waterfall, label, team_label

RULE = Rule(
    code="LS416",
    name="capacity-off-waterfall",
    severity=Severity.WARNING,
    summary="a team's capacity is for a stage the targets give no leads",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    waterfall = ctx.waterfall
    if not isinstance(waterfall, Waterfall) or model.targets is None:
        return
    for capacity in model.targets.capacity:
        if model.stage(capacity.stage) is None or waterfall.volume(capacity.stage) is not None:
            continue
        yield diagnostic(
            "LS416",
            f"the capacity of {team_label(model, capacity.team)} is for {label(model, capacity.stage)}, "
            f"but no conversion rate leads there from {label(model, waterfall.entry)}, where new leads "
            "come in, so the targets give it no leads to compare with",
            capacity.span,
            hint=f"add the conversion rate into `{capacity.stage}`, or name the stage the team works",
        )
