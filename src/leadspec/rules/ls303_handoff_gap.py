"""A hand-off that drops leads: they leave a stage but the next stage will not take them.

## What it means

When a lead meets an exit of stage S, it leaves S for the exit's `to` stage T.
If the lead (after the exit's `set` field updates, if any) does not meet T's
entry, it is in neither stage: marketing has let go and sales will not take it.
leadspec found such leads and gives one as an example, before and after the
hand-off.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  sdr_status: {label: SDR status, type: enum, values: [open, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    exits:
      - to: sal
        when: sdr_status == "accepted"
  - id: sal
    label: Sales Accepted Lead
    entry: sdr_status == "accepted" and lead_score >= 60
    terminal: true
  - id: response
    label: Response
    entry: lead_score < 50
    terminal: true
```

An MQL with a score from 50 to 59 that the SDR accepts leaves MQL, but SAL asks
for a score of at least 60.

## How to fix

Make the target's entry accept every lead the exit sends (here drop
`lead_score >= 60` from SAL, or ask for it in the exit's condition), or correct
the exit's `set`.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import (
    agreeing,
    capitalized,
    example_text,
    join,
    lead_text,
    region_words,
    stage_name,
)
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS303",
    name="handoff-gap",
    severity=Severity.ERROR,
    summary="an exit sends leads the next stage does not take",
    needs_complete_model=True,
    needs_exact_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for gap in analysis.handoff_gaps:
        source, target = stage_name(gap.stage), stage_name(gap.target)
        who = capitalized(region_words(analysis.space, gap.region, gap.box))
        example = example_text(analysis.space, gap.box, gap.witness)
        if gap.missed == "scope":
            outcome = f"{agreeing(who, 'are', 'is')} outside the lifecycle's scope after the hand-off"
        else:
            outcome = f"{agreeing(who, 'do not meet', 'does not meet')} the entry of {target}"
            if gap.exit.set:
                written = {name: value for name, value in gap.exit.set.items() if value is not None}
                cleared = [name for name, value in gap.exit.set.items() if value is None]
                changes = []
                if written:
                    changes.append(f"sets {lead_text(written, more=False)}")
                if cleared:
                    changes.append(f"clears {join(cleared, 'and')}")
                outcome += f" once the hand-off {' and '.join(changes)}"
        yield diagnostic(
            "LS303",
            f"{who} {agreeing(who, 'leave', 'leaves')} {source} for {target} but {outcome}, "
            f"so {agreeing(who, 'they end', 'it ends')} up in no stage "
            f"(example: {example})",
            gap.exit.span,
            hint=f"make the entry of {target} accept every lead this exit sends, "
            "or narrow the exit's condition to the leads it accepts",
            related=[
                Related(
                    gap.target.entry.span if gap.target.entry else gap.target.span, f"the entry of {target}"
                )
            ],
            witness=gap.witness,
        )
