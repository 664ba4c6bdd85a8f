"""A stage that is not terminal, but that no lead can ever leave.

## What it means

A stage that is not marked `terminal: true` is a step on the way somewhere, so
a lead should be able to leave it. leadspec reports such a stage when it has no
exits at all, or when none of its exits can be met by a lead in it. Leads that
get there are stuck for good, and any SLA on the stage can never be met.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
  - id: response
    label: Response
    entry: lead_score < 50
    terminal: true
```

## How to fix

Add the exits that leads take from this stage, or mark it `terminal: true` if
it really is an end (Customer, Disqualified).
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS308",
    name="no-way-out",
    severity=Severity.WARNING,
    summary="a stage that is not terminal but cannot be left",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.no_way_out:
        stage = stage_name(found.stage)
        if found.why == "no_exits":
            message = f"{stage} is not terminal but has no exits, so a lead that gets here can never leave"
        else:
            message = (
                f"{stage} is not terminal, but no lead in it can meet any of its exits, "
                "so a lead that gets here can never leave"
            )
        yield diagnostic(
            "LS308",
            message,
            found.stage.span,
            hint="add the exits leads take from this stage, or mark it `terminal: true` if it is an end",
        )
