"""Conversion rates the reverse waterfall cannot use.

## What it means

New leads come in at one stage (the first starting stage from which the rates
lead to the won stage), and the waterfall follows the rates from there. Rates out
of a stage those rates never reach are left out of every figure. Usually a rate
is missing in the chain: with `mql->sal` and `sql->customer` but no `sal->sql`,
the waterfall can only start at SQL, and MQL and SAL get no figures at all.

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
  conversion: {mql->sql: 0.5, sql->customer: 0.25, nurture->mql: 0.1}
```

## How to fix

Add the missing rate (the message says where the chain stops), or remove the
rates that are not meant to count.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.model import Model
from leadspec.rules import Rule
from leadspec.targets import Waterfall, label, usable_rates

RULE = Rule(
    code="LS417",
    name="rate-left-out",
    severity=Severity.WARNING,
    summary="conversion rates out of a stage the reverse waterfall never reaches",
    needs_complete_model=True,
    needs_exact_model=True,
)


def _stops(model: Model, rates: dict[tuple[str, str], Fraction], start: str, won: str) -> str | None:
    """The first stage the rates from `start` reach that has no rate onward (and is no end)."""
    onward = {source for source, _ in rates}
    seen, queue = {start}, [start]
    while queue:
        stage_id = queue.pop(0)
        stage = model.stage(stage_id)
        if stage_id not in onward and stage_id != won and stage is not None and not stage.terminal:
            return stage_id
        for source, target in rates:
            if source == stage_id and target not in seen:
                seen.add(target)
                queue.append(target)
    return None


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    waterfall = ctx.waterfall
    if not isinstance(waterfall, Waterfall) or model.targets is None:
        return
    rates = usable_rates(model)
    left: dict[str, list[tuple[str, str]]] = {}
    for pair in rates:
        if waterfall.volume(pair[0]) is None:
            left.setdefault(pair[0], []).append(pair)
    entry = label(model, waterfall.entry)
    for source, pairs in left.items():
        spans = [
            model.targets.conversion_spans[pair] for pair in pairs if pair in model.targets.conversion_spans
        ]
        written = ", ".join(f"`{s}->{t}`" for s, t in pairs)
        stop = _stops(model, rates, source, waterfall.won)
        if stop is not None:
            why = (
                f"the rates from {label(model, source)} stop at {label(model, stop)}, which has no rate "
                f"onward, so they never reach {label(model, waterfall.won)}; the waterfall starts at "
                f"{entry} instead"
            )
            hint = f"add the rate out of `{stop}` toward `{waterfall.won}`"
        else:
            why = f"new leads come in at {entry}, and no conversion rate leads from there to {label(model, source)}"
            hint = (
                f"add the rate into `{source}`, or remove {'this rate' if len(pairs) == 1 else 'these rates'}"
            )
        yield diagnostic(
            "LS417",
            f"the conversion rate{'' if len(pairs) == 1 else 's'} {written} {'is' if len(pairs) == 1 else 'are'} "
            f"left out of the figures: {why}",
            spans[0] if spans else model.targets.span,
            hint=hint,
            related=[Related(span, "also left out") for span in spans[1:]],
        )
