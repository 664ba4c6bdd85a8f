"""Some leads are in no stage.

## What it means

Every lead inside the lifecycle's scope should be in some stage; otherwise
nobody owns it and it silently drops out of every report. leadspec found leads
(values inside the fields' declared ranges and lists) that meet no stage's
entry, or that meet an entry but also one of that stage's exits without landing
anywhere else. The finding names the region in words and gives an example lead.

Leads outside the lifecycle's `scope` are meant to be in no stage and are not
reported.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: response
    label: Response
    entry: lead_score < 45
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    terminal: true
```

Leads with a score from 45 to 49 are in neither stage.

## How to fix

Widen an entry so the ranges meet (here `lead_score < 50` for Response), add a
stage for those leads, or, if they are not meant to be covered, narrow the
lifecycle with `lifecycle: {scope: ...}`.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import agreeing, capitalized, example_text, join, region_words, stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS302",
    name="gap",
    severity=Severity.ERROR,
    summary="some leads are in no stage",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    model = ctx.model
    for gap in analysis.gaps:
        who = capitalized(region_words(analysis.space, gap.region, gap.box))
        example = example_text(analysis.space, gap.box, gap.witness)
        message = f"{who} {agreeing(who, 'are', 'is')} in no stage (example: {example})"
        if gap.entered:
            names = join([stage_name(stage) for stage in gap.entered], "and")
            whose = "its" if len(gap.entered) == 1 else "their"
            message += f"; such a lead meets the entry of {names} but also one of {whose} exits"
        span: Span | None = None
        if model.lifecycle.scope is not None:
            span = model.lifecycle.scope.span
        elif model.lifecycle.span is not None:
            span = model.lifecycle.span
        elif model.stages:
            span = model.stages[0].span
        yield diagnostic(
            "LS302",
            message,
            span,
            hint="widen an entry or add a stage for these leads; if they are not meant to be covered, "
            "leave them out with the lifecycle's `scope`",
            related=[Related(stage.span, f"{stage_name(stage)} is defined here") for stage in gap.entered],
            witness=gap.witness,
        )
