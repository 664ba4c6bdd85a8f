"""The targets cannot be worked back from revenue to leads.

## What it means

The reverse waterfall starts from the deals the revenue goal needs and follows
the conversion rates backwards to the leads each stage must take in. leadspec
could not do that: no rate leads to the stage where deals are won (Customer),
the rates lead to Customer but the lifecycle's main path no longer gets there
(an exit on the way was taken away, and the path now ends in Disqualified),
or the rates send leads round a loop they never leave (every lead in Nurture
goes back to MQL, and every MQL back to Nurture). `leadspec targets` and the
site's targets page then have no figures to show. (Rates out of one stage that
add up to more than 1 are LS412.)

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
  conversion: {mql->sql: 0.5, sql->nurture: 0.4, nurture->mql: 0.1}
```

## How to fix

Add the rate into the won stage (such as `sql->customer`), restore the chain of
exits to it, or lower a rate of 1 on the loop so that some leads leave it.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.rules.topics import missing_handoff, unreachable
from leadspec.targets import WaterfallError, label, over_one

RULE = Rule(
    code="LS414",
    name="waterfall-unsolvable",
    severity=Severity.ERROR,
    summary="the targets cannot be worked back from revenue to the leads each stage needs",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    problem = ctx.waterfall
    if not isinstance(problem, WaterfallError) or model.targets is None:
        return
    if problem.cause == "impossible" and over_one(model.targets):
        return  # LS412 says which stage's rates add up to more than 1
    spans = problem.spans or (model.targets.spans.get("conversion", model.targets.span),)
    if problem.cause == "loop":
        hint = "lower one of the rates on the loop, so that some leads leave it"
    elif problem.cause == "won-off-path" and problem.won is not None:
        won = label(model, problem.won)
        hint = (
            f"every figure is worked back from the deals along the main path: restore the chain of "
            f"exits that leads to {won}, so the path ends where deals are won"
        )
    else:
        hint = (
            "every figure is worked back from the deals: give the rates from the first stage to the won one"
        )
    yield diagnostic(
        "LS414",
        f"the targets cannot be worked back: {problem}",
        spans[0],
        hint=hint,
        related=[Related(span, "also on the loop") for span in spans[1:]],
        # a rate on a hand-off that is gone, or a stage no lead reaches, breaks the chain
        follows=(
            *(missing_handoff(*pair) for pair in model.targets.conversion_spans),
            *map(unreachable, model.stage_ids),
        ),
    )
