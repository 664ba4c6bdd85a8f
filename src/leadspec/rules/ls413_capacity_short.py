"""A team cannot work the leads the targets need.

## What it means

Worked back from the revenue goal through the conversion rates, a stage must
take in a number of leads each period; the team whose capacity names that stage
can work reps x leads per rep of them. leadspec found a team with fewer than
the targets need: "Sales needs 120 SQLs per quarter; 6 reps × 15 = 90: short
by 30". Either the goal will be missed, or the leads will wait, and the SLA on
them will slip. The counts are the ones `leadspec targets` and the site's
targets page show (rounded up).

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
  period: quarter
  revenue: 1200000
  average_deal_size: 40000
  conversion: {mql->sql: 0.5, sql->customer: 0.25}
  capacity:
    sales: {reps: 6, per_rep: 15, stage: sql}
```

## How to fix

Add reps (the hint says how many), raise what one rep works per period if that
is realistic, lower the revenue goal, or improve the conversion rates after the
stage. Run `leadspec targets` to see every stage's figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.targets import Waterfall, count, need_sentence

RULE = Rule(
    code="LS413",
    name="capacity-short",
    severity=Severity.WARNING,
    summary="a team's capacity is short of the leads the targets need",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    waterfall = ctx.waterfall
    if not isinstance(waterfall, Waterfall) or model.targets is None:
        return
    spans = {item.team: item.span for item in model.targets.capacity}
    for check_ in waterfall.capacity:
        if check_.spare >= 0 or check_.need == 0:
            continue
        more = check_.reps_needed - check_.reps
        each = math.ceil(Fraction(check_.need) / check_.reps)
        yield diagnostic(
            "LS413",
            need_sentence(model, waterfall, check_),
            spans.get(check_.team),
            hint=f"that takes {count(more)} more rep{'' if more == 1 else 's'} at {count(check_.per_rep)} each, "
            f"or {count(each)} per rep; or lower the revenue goal, or raise the conversion rates after this stage",
        )
