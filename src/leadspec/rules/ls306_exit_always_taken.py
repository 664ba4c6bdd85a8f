"""Every lead that enters a stage leaves it at once, so nobody is ever in it.

## What it means

A lead is in a stage when it meets the stage's entry and none of its exits. If
every lead that meets the entry also meets one exit's condition, the stage is
always empty: leads pass straight through. Usually the exit's condition is too
wide (it forgot to say "and the SDR accepted it") or it is the entry written
again.

leadspec reports the exit that every lead meets, or the stage when its exits
together catch every lead.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    exits:
      - to: sal
        when: lead_score >= 40
  - id: sal
    label: Sales Accepted Lead
    entry: lead_score >= 40
    terminal: true
  - id: response
    label: Response
    entry: lead_score < 40
    terminal: true
```

Every MQL has a score of at least 50, so every MQL meets `lead_score >= 40`
and moves on to SAL at once.

## How to fix

Narrow the exit's condition to the event that really ends the stage (an SDR
status, a meeting booked), or remove the stage if leads are meant to pass
straight through.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import example_text, stage_name, stage_name_of
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS306",
    name="exit-always-taken",
    severity=Severity.WARNING,
    summary="every lead entering a stage leaves it at once",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.always_left:
        stage = stage_name(found.stage)
        entry_text = found.stage.entry.text if found.stage.entry is not None else ""
        related = [Related(found.stage.entry.span, f"the entry of {stage}")] if found.stage.entry else []
        if found.exit is not None:
            message = (
                f"every lead meeting the entry of {stage} (`{entry_text}`) also meets its exit to "
                f"{stage_name_of(ctx.model, found.exit.to)} (`{found.exit.when.text}`), so no lead ever stays in "
                f"{stage}"
            )
            span = found.exit.span
        else:
            message = (
                f"every lead meeting the entry of {stage} (`{entry_text}`) meets one of its exits, "
                f"so no lead ever stays in {stage}"
            )
            span = found.stage.span
        yield diagnostic(
            "LS306",
            f"{message} (example: {example_text(analysis.space, found.box, found.witness)})",
            span,
            hint="narrow the exit's condition to the event that really ends the stage, "
            "or remove the stage if leads are meant to pass straight through",
            related=related,
            witness=found.witness,
        )
