"""A conversion rate on a hand-off that does not exist.

## What it means

A conversion rate `from->to` says which share of the leads in one stage go on to
another. leadspec found a rate between two stages that both exist, but the first
has no exit to the second: no lead can ever make that move, so the rate counts
leads that will never arrive, and every figure worked back through it is wrong.
Often the rate skips a stage (`mql->sql` where leads go MQL -> SAL -> SQL), or is
written the wrong way round. (A rate naming a stage that does not exist at all is
LS202.)

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
  conversion: {mql->sql: 0.5, mql->customer: 0.05, sql->customer: 0.25}
```

## How to fix

Put the rate on an exit that exists (the hint lists the stage's exits), split a
rate that skips a stage into one rate per hand-off, or add the missing exit to
the stage.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.rules.topics import missing_handoff

RULE = Rule(
    code="LS411",
    name="rate-without-handoff",
    severity=Severity.ERROR,
    summary="a conversion rate between two stages with no exit from one to the other",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    targets = model.targets
    if targets is None:
        return
    for (source, target), span in targets.conversion_spans.items():
        stage, there = model.stage(source), model.stage(target)
        if stage is None or there is None or ("stage", source) in model.unchecked:
            continue  # a stage that is not defined is LS202's
        exits = [exit_.to for exit_ in stage.exits]
        if target in exits or any(model.stage(to) is None for to in exits):
            continue  # an exit to an undefined stage is LS202's: it may be this one, misspelt
        if stage.terminal or not exits:
            hint = (
                f"`{source}` is an end stage: no lead leaves it, so it has no conversion rates; remove this one"
                if stage.terminal
                else f"`{source}` has no exits yet: add its exit to `{target}`, or remove this rate"
            )
        elif any(exit_.to == source for exit_ in there.exits):
            hint = f"`{target}` has an exit to `{source}`: did you mean `{target}->{source}`?"
        else:
            listed = [f"`{source}->{to}`" for to in dict.fromkeys(exits)]
            hint = (
                f"the only hand-off out of `{source}` is {listed[0]}"
                if len(listed) == 1
                else f"the hand-offs out of `{source}` are {', '.join(listed)}"
            ) + ": put the rate on one that exists, or add the exit"
        yield diagnostic(
            "LS411",
            f"{stage.label} has no exit to {there.label}, but the targets count on one "
            f"(the conversion rate `{source}->{target}`)",
            span,
            hint=hint,
            about=missing_handoff(source, target),
        )
