"""An example lead that does not land where it is written.

## What it means

`examples:` are unit tests for definitions: named leads that must land in the
stage they sit under, or, under an exit, must take that exit. leadspec runs each
example through the criteria and reports one that does not, with the condition
that decided it and the stage the lead is really in. (Examples with unknown
fields or impossible values are reported as LS212 instead.)

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: email_verified and lead_score >= 50
    terminal: true
    examples:
      - name: engaged director at a mid-size software company
        lead: {lead_score: 45, email_verified: true}
  - id: response
    label: Response
    entry: not email_verified or lead_score < 50
    terminal: true
```

The example has a score of 45, below MQL's bar of 50; it is a Response.

## How to fix

If the example is right, the definition is wrong: change the criteria. If the
definition is right, correct the example (or move it to the stage it belongs to).
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.analysis.lifecycle import Decision, FailingExample
from leadspec.analysis.words import join, lead_text, stage_name, stage_name_of
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS311",
    name="failing-example",
    severity=Severity.ERROR,
    summary="an example lead that does not land where it is written",
    needs_complete_model=True,
    needs_exact_model=True,
)


def _values(decision: Decision) -> str:
    """ "; the example has lead_score=45": the values the deciding condition looked at."""
    if not decision.values:
        return ""
    shown = [
        f"{name} missing" if value is None else lead_text({name: value}, more=False)
        for name, value in decision.values
    ]
    return "; the example has " + ", ".join(shown)


def _why(ctx: Context, found: FailingExample) -> str:
    stage = stage_name(found.stage)
    decision = found.decision
    if found.why == "earlier":
        return (
            f"it meets the criteria of {stage}, but {stage_name(found.actual[0])} comes first "
            "(the lifecycle's policy is first_match)"
        )
    assert decision is not None
    part = f"`{decision.text}`"
    if found.why == "scope":
        return f"it is outside the lifecycle's scope: it does not meet {part}{_values(decision)}"
    if found.why == "entry":
        return f"it does not meet {part} in the entry of {stage}{_values(decision)}"
    if found.why == "exit":
        assert found.by_exit is not None
        return (
            f"it meets {part} of the exit to {stage_name_of(ctx.model, found.by_exit.to)}{_values(decision)}"
        )
    assert found.exit is not None
    return f"it does not meet {part} of the exit's condition{_values(decision)}"


def check(ctx: Context) -> Iterable[Diagnostic]:
    analysis = ctx.analysis
    for found in analysis.failing_examples:
        stage = stage_name(found.stage)
        name = found.example.name
        if found.exit is None:
            if found.actual:
                landed = f"it is in {join([stage_name(other) for other in found.actual], 'and')}"
            else:
                landed = "it is in no stage"
            message = f'the example "{name}" should be in {stage}, but {landed}: {_why(ctx, found)}'
        else:
            message = (
                f'the example "{name}" should take the exit from {stage} to '
                f"{stage_name_of(ctx.model, found.exit.to)}, but {_why(ctx, found)}"
            )
        related = []
        if found.decision is not None:
            related.append(Related(found.decision.criterion.span, "this condition decided it"))
        yield diagnostic(
            "LS311",
            message,
            found.example.span,
            hint="if the example is right, change the criteria; if the criteria are right, "
            "correct the example or move it where it belongs",
            related=related,
            witness=dict(found.example.lead),
        )
