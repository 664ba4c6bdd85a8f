"""An entry or exit condition that no lead can ever meet.

## What it means

A condition is checked against the fields' declared domains: a score field from
0 to 100 can never be above 100, a list field only holds its listed values. An
entry no lead can meet means the stage can never hold a lead; an exit that no
lead meeting the stage's entry can meet is a hand-off that never happens. Both
are almost always a typo or a range that was changed in one place only.

leadspec reports:

- an entry no lead can meet, or that only leads outside the lifecycle's `scope`
  meet;
- an exit no lead can meet at all, or no lead in the stage can meet (the exit
  contradicts the stage's entry).

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
      - to: response
        when: lead_score < 40
  - id: response
    label: Response
    entry: lead_score < 50
    terminal: true
```

A lead in MQL has a score of at least 50, so it can never have a score under 40:
the exit is dead.

## How to fix

Correct the range or value so that the condition describes real leads, or
remove the condition if it is no longer used.

A common cause of a dead exit: the entry already excludes what the exit waits
for (`entry: lead_score < 50` with an exit `when: lead_score >= 50`). A lead in
a stage always meets its entry, so such an exit never applies. Write the entry
as how leads get in (here `lead_score >= 50` for MQL, or `true` for a first
stage) and let the exits take out the leads that move on.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import stage_name, stage_name_of
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS305",
    name="dead-criterion",
    severity=Severity.ERROR,
    summary="an entry or exit no lead can ever meet",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for dead in analysis.dead:
        stage = stage_name(dead.stage)
        if dead.exit is None:
            assert dead.stage.entry is not None
            text = dead.stage.entry.text
            if dead.why == "never":
                message = (
                    f"no lead can meet the entry of {stage} (`{text}`) within the fields' ranges and "
                    "values, so the stage can never hold a lead"
                )
            else:
                message = (
                    f"only leads outside the lifecycle's scope meet the entry of {stage} (`{text}`), "
                    "so the stage can never hold a lead"
                )
            yield diagnostic(
                "LS305",
                message,
                dead.stage.entry.span,
                hint="check the ranges and values in the condition against the fields' definitions",
            )
            continue
        target = stage_name_of(ctx.model, dead.exit.to)
        text = dead.exit.when.text
        related = []
        if dead.why == "never":
            message = (
                f"no lead can meet the exit from {stage} to {target} (`{text}`) within the fields' "
                "ranges and values, so it is never taken"
            )
        else:
            message = (
                f"no lead in {stage} can take the exit to {target}: no lead meeting the entry of "
                f"{stage} also meets `{text}`"
            )
            if dead.stage.entry is not None:
                related.append(Related(dead.stage.entry.span, f"the entry of {stage}"))
        if dead.why == "never":
            hint = "check the condition against the fields' ranges and values"
        else:
            hint = (
                "a lead in a stage always meets its entry, so an exit must describe leads that still do: "
                "write the entry as how leads get in, and let the exit take out those that move on"
            )
        yield diagnostic("LS305", message, dead.exit.when.span, hint=hint, related=related)
