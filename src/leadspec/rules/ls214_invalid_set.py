"""An exit's `set` writes an unknown field or a value the field cannot hold.

## What it means

`set` is the field update the CRM makes when a lead takes an exit (for example
resetting the lead score when sales recycles a lead). It can only write fields
that exist, with values inside their domains.

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
      - to: nurture
        when: lead_score >= 90
        set: {lead_score: -1}
  - id: nurture
    label: Nurture
    entry: lead_score < 50
    terminal: true
```

## How to fix

Write a value inside the field's domain (here 0 to 100), or fix the field id.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.suggest import closest
from leadspec.values import value_problem

RULE = Rule(
    code="LS214",
    name="invalid-set",
    severity=Severity.ERROR,
    summary="an exit's set writes an unknown field or an impossible value",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    for stage in model.stages:
        for exit_ in stage.exits:
            where = f"the exit from `{stage.id}` to `{exit_.to}`"
            for key, value in exit_.set.items():
                span = exit_.spans.get(f"set.{key}", exit_.span)
                field = model.fields.get(key)
                if field is None:
                    if ("field", key) in model.unchecked:
                        continue
                    close = closest(key, model.fields)
                    yield diagnostic(
                        "LS214",
                        f"{where} sets `{key}`, which is not a field",
                        span,
                        hint=f"did you mean `{close}`?" if close else "use the id of a field under `fields:`",
                    )
                    continue
                problem = value_problem(field, value)
                if problem:
                    yield diagnostic(
                        "LS214",
                        f"{where} sets `{key}` to a value it cannot hold: {problem}",
                        span,
                        hint="write a value inside the field's domain, or widen the field",
                    )
