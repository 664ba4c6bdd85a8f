"""A lead can take two exits of one stage at the same time.

## What it means

Each exit of a stage says where a lead goes next, who must act, and how fast.
If one lead meets two exits' conditions at once, nobody can tell which hand-off
applies: two teams may work it, or each may think the other has it. leadspec
found leads in the stage that meet several of its exits, and gives one as an
example.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  sdr_status: {label: SDR status, type: enum, values: [open, accepted, rejected]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: "true"
    exits:
      - to: sal
        when: sdr_status == "accepted"
      - to: nurture
        when: lead_score < 20
  - id: sal
    label: Sales Accepted Lead
    entry: "true"
    terminal: true
  - id: nurture
    label: Nurture
    entry: "true"
    terminal: true
```

An MQL the SDR accepted with a score under 20 meets both exits.

## How to fix

Make the exits' conditions exclude each other, for example
`lead_score < 20 and sdr_status != "accepted"` for the exit to Nurture.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import (
    agreeing,
    capitalized,
    example_text,
    exit_name,
    join,
    region_words,
    stage_name,
    stage_name_of,
)
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS304",
    name="ambiguous-exit",
    severity=Severity.ERROR,
    summary="a lead can take two exits of one stage at once",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.ambiguous_exits:
        stage = stage_name(found.stage)
        who = capitalized(region_words(analysis.space, found.region, found.box))
        targets = [exit_name(found.stage, exit_, stage_name_of(ctx.model, exit_.to)) for exit_ in found.exits]
        count = "both" if len(targets) == 2 else f"all {len(targets)}"
        example = example_text(analysis.space, found.box, found.witness)
        yield diagnostic(
            "LS304",
            f"{who} {agreeing(who, 'meet', 'meets')} the entry of {stage} and {count} of its exits at once, "
            f"to {join(targets, 'and')} (example: {example})",
            found.exits[-1].span,
            hint=f"make the exits' conditions exclude each other, so a lead leaving {stage} has one way out",
            related=[
                Related(
                    exit_.span,
                    f"the exit to {exit_name(found.stage, exit_, stage_name_of(ctx.model, exit_.to))}",
                )
                for exit_ in found.exits[:-1]
            ],
            witness=found.witness,
        )
