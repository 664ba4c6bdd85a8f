"""With the first-match policy, a stage that earlier stages cover entirely.

## What it means

With `lifecycle: {policy: first_match}`, stages are ordered bands: a lead is in
the first stage in the list whose entry it meets (and none of whose exits it
meets). Overlaps are then allowed, but a stage whose every lead is already taken
by stages above it can never hold a lead: it is masked. Usually it sits too low
in the list, or a stage above it is too wide.

## Example

```yaml
leadspec: 1
lifecycle:
  policy: first_match
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    terminal: true
  - id: hot
    label: Hot Lead
    entry: lead_score >= 80
    terminal: true
  - id: response
    label: Response
    entry: lead_score < 50
    terminal: true
```

Every lead with a score of 80 or more is already an MQL, so no lead is ever a Hot
Lead.

## How to fix

Move the masked stage above the stages that cover it (here Hot Lead before
MQL), or narrow those stages.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import example_text, join, stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS310",
    name="masked-stage",
    severity=Severity.ERROR,
    summary="a stage earlier stages cover entirely (first-match policy)",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.masked:
        stage = stage_name(found.stage)
        covers = join([stage_name(other) for other in found.by], "and")
        yield diagnostic(
            "LS310",
            f"every lead that meets the criteria of {stage} is taken first by {covers} above it "
            f"(the lifecycle's policy is first_match), so no lead is ever in {stage} "
            f"(example: {example_text(analysis.space, found.box, found.witness)} is in {stage_name(found.taken_by)})",
            found.stage.span,
            hint=f"move {stage} above the stages that cover it, or narrow them",
            related=[Related(other.span, f"{stage_name(other)} comes first") for other in found.by],
            witness=found.witness,
        )
