"""The conversion rates out of one stage add up to more than 1.

## What it means

The rates out of a stage are shares of the same leads: of 100 SQLs, 25% are won,
55% lost and 10% sent back to nurture. Together they can be at most 1 (100%);
they can be less, for leads that stay or leave another way. Rates adding up to
more than 1 send more leads out of the stage than came in, so the volumes
worked back from them are impossible.

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
  conversion: {mql->sql: 0.5, sql->customer: 0.25, sql->nurture: 0.8, nurture->mql: 0.1}
```

## How to fix

Check each rate against what the CRM reports for the stage; a percentage
written as a share of a different base (of all leads instead of this stage's)
is the usual cause. Lower the rates until they add up to at most 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.targets import label, over_one, percent, written_rates_out

RULE = Rule(
    code="LS412",
    name="rates-over-one",
    severity=Severity.ERROR,
    summary="the conversion rates out of one stage add up to more than 1 (100%)",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    targets = model.targets
    if targets is None:
        return
    rates = written_rates_out(targets)
    for source, total in over_one(targets).items():
        spans = [targets.conversion_spans.get((source, target)) for target, _ in rates[source]]
        shares = ", ".join(f"{percent(rate)} to `{target}`" for target, rate in rates[source])
        name = label(model, source)
        yield diagnostic(
            "LS412",
            f"the conversion rates out of `{source}` add up to {percent(total)} ({shares}): "
            f"more leads would leave {name} than enter it",
            spans[0],
            hint="the rates out of one stage are shares of the same leads: together they can be at most 1 (100%)",
            related=[
                Related(span, f"also a rate out of `{source}`") for span in spans[1:] if span is not None
            ],
        )
