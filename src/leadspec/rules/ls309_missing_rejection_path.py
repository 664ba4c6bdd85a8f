"""A hand-off to another team with no way for that team to send a rejected lead back.

## What it means

When one team hands leads to another (marketing's MQL to the SDRs' SAL), the
receiving team will reject some of them: no budget, wrong person, not now. The
source material is clear that a rejected lead goes back to nurture, not in the
bin: the person who is not ready today may be ready in six months.

leadspec reports an exit from stage S to stage T when

1. S and T both have an `owner`, and the owners differ (a hand-off between teams);
2. T is not terminal, and some lead in S can take the exit; and
3. no exit of T that some lead in T can take leads back to a team that had the
   lead before: a stage owned by the owner of S, or of any stage from which S
   can be reached, other than T's own team. An exit counts by its `to:` and
   by the `then:` stages of the reasons it asks for.

An exit of T to a terminal "Disqualified" stage nobody owns does not count: that
is the bin.

A hand-off *into* a stage where rejected leads go (the `then:` of a reason, or the
target of an exit that asks for a `reason:`, such as Nurture) is not reported: that
stage is the rejection path.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing}
  sdr: {label: SDR team}
  sales: {label: Sales}
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  sdr_status: {label: SDR status, type: enum, values: [open, accepted, rejected]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    start: true
    entry: lead_score >= 50 and sdr_status == "open"
    exits:
      - to: sal
        when: lead_score >= 70
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    entry: lead_score >= 70 or sdr_status != "open"
    exits:
      - to: sql
        when: sdr_status == "accepted"
      - to: disqualified
        when: sdr_status == "rejected"
  - id: sql
    label: Sales Qualified Lead
    owner: sales
    entry: sdr_status == "accepted"
    terminal: true
  - id: disqualified
    label: Disqualified
    entry: sdr_status == "rejected"
    terminal: true
```

The SDR team can only throw a rejected lead away; nothing sends it back to
marketing.

## How to fix

Give the receiving stage an exit for rejected leads to a stage the sending team
owns, such as a Nurture stage owned by marketing, ideally with a `reason:`
picklist whose values say with `then:` where each kind of rejection goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.words import join, stage_name
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.rules.topics import unreachable

RULE = Rule(
    code="LS309",
    name="missing-rejection-path",
    severity=Severity.WARNING,
    summary="a hand-off with no way to send rejected leads back",
    needs_complete_model=True,
    needs_exact_model=True,
)


def _team(ctx: Context, team_id: str | None) -> str:
    team = ctx.model.teams.get(team_id) if team_id else None
    return team.label if team is not None else str(team_id)


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.missing_rejections:
        source, target = stage_name(found.stage), stage_name(found.target)
        giver, receiver = _team(ctx, found.stage.owner), _team(ctx, found.target.owner)
        back = join([_team(ctx, team) for team in found.teams], "or")
        yield diagnostic(
            "LS309",
            f"{giver} hands leads from {source} to {target} ({receiver}), but no exit of {target} "
            f"sends a lead back to {back}: a lead {receiver} rejects cannot go back to nurture",
            found.exit.span,
            hint=f"add an exit from {target} for rejected leads to a stage owned by {back} "
            "(for example a Nurture stage), with a `reason:` picklist saying why",
            related=[Related(found.target.span, f"{target} is defined here")],
            follows=(unreachable(found.stage.id), unreachable(found.target.id)),
        )
