"""A stage no lead can get to from a starting stage.

## What it means

Stages marked `start: true` are where a lead's life begins (a Response, say).
From there, leads move only along exits. leadspec follows every exit that some
lead can really take (an exit no lead in its stage can meet does not count), and
the `then:` stages of the reasons an exit asks for. A stage that cannot be
reached this way from any starting stage is never used in practice: an exit
pointing to it is missing, or it is left over from an earlier process.

When no stage is marked `start: true`, this check is skipped. Deprecated stages
are not reported.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: response
    label: Response
    start: true
    entry: lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    terminal: true
```

No exit leads from Response to MQL.

## How to fix

Add the exit that brings leads into the stage, mark the stage `start: true` if
leads can begin there, or mark it `deprecated: true` if it is no longer used.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import join, stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.rules.topics import missing_into, unreachable

RULE = Rule(
    code="LS307",
    name="unreachable-stage",
    severity=Severity.WARNING,
    summary="a stage no lead can get to from a starting stage",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    starts = [stage_name(stage) for stage in ctx.model.stages if stage.start]
    lost = {found.stage.id for found in analysis.unreachable}
    for found in analysis.unreachable:
        before = [
            stage.id
            for stage in ctx.model.stages
            if stage.id in lost and any(e.to == found.stage.id for e in stage.exits)
        ]
        yield diagnostic(
            "LS307",
            f"no chain of exits leads to {stage_name(found.stage)} from a starting stage "
            f"({join(starts, 'or')}), so no lead ever gets there",
            found.stage.span,
            hint="add an exit into this stage from an earlier one, mark it `start: true` if leads can "
            "begin here, or mark it `deprecated: true` if it is no longer used",
            about=unreachable(found.stage.id),
            # after an unreachable stage with an exit into this one, else a missing hand-off into it
            follows=(*map(unreachable, before), *missing_into(ctx.model, found.stage.id)),
        )
