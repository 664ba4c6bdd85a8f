"""Some leads are in two stages (or more) at once.

## What it means

Every lead should be in exactly one stage, so that marketing and sales agree on
whose lead it is. A lead is in a stage when it meets the stage's `entry` and
none of its exits. leadspec found leads (any combination of values inside the
fields' declared ranges and lists) that are in several stages at the same time,
and gives one such lead as an example. When three or more stages share leads,
they are reported together as one finding.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
stages:
  - id: valid_response
    label: Valid Response
    entry: email_verified and lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    entry: email_verified and lead_score >= 45
    terminal: true
  - id: unverified
    label: Unverified
    entry: not email_verified
    terminal: true
```

A verified lead with a score from 45 to 49 is both a Valid Response and an MQL.

## How to fix

Make the entries exclude each other: here `lead_score >= 50` for MQL. If your
stages are ordered bands where the first match wins, say so with
`lifecycle: {policy: first_match}`; then overlaps are resolved by the order of
the stages.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import agreeing, capitalized, example_text, join, region_words, stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.rules.topics import missing_out_of

RULE = Rule(
    code="LS301",
    name="overlap",
    severity=Severity.ERROR,
    summary="some leads are in two stages at once",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for overlap in analysis.overlaps:
        names = [stage_name(stage) for stage in overlap.stages]
        who = capitalized(region_words(analysis.space, overlap.region, overlap.box))
        if len(names) == 2:
            where = f"both {names[0]} and {names[1]}"
        else:
            where = f"{len(names)} stages at once: {join(names, 'and')}"
        example = example_text(analysis.space, overlap.box, overlap.witness)
        primary = overlap.stages[-1]
        yield diagnostic(
            "LS301",
            f"{who} {agreeing(who, 'are', 'is')} in {where} (example: {example})",
            primary.span,
            hint="make the entry criteria exclude each other so each lead is in one stage, "
            "or declare `lifecycle: {policy: first_match}` if the first matching stage should win",
            related=[
                Related(stage.span, f"{stage_name(stage)} is defined here") for stage in overlap.stages[:-1]
            ],
            witness=overlap.witness,
            # a stage keeps leads that an exit, now gone, used to take out
            follows=tuple(missing_out_of(ctx.model, [stage.id for stage in overlap.stages])),
        )
