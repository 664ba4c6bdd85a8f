"""An example lead that cannot exist: an unknown field, or a value outside the field's domain.

## What it means

Examples are unit tests for definitions: named leads that must land in a stage
(or take an exit). An example is only a real lead if every value fits its field:
a known field, the right kind of value, inside the field's range or list, and
every required (non-optional) field present. Otherwise the example proves nothing.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  country: {label: Country, type: enum, values: [US, CA]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    terminal: true
    examples:
      - name: keen prospect in Mexico
        lead: {lead_score: 120, country: MX}
```

## How to fix

Give the example values the fields can really hold, and every required field.
If the example is right and the field is too narrow, widen the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.model import Example, Model
from leadspec.rules import Rule
from leadspec.suggest import closest
from leadspec.values import value_problem

RULE = Rule(
    code="LS212",
    name="invalid-example",
    severity=Severity.ERROR,
    summary="an example lead that cannot exist",
    needs_complete_model=True,
)


def _problems(model: Model, example: Example, owner: str) -> Iterator[Diagnostic]:
    for key, value in example.lead.items():
        field = model.fields.get(key)
        span = example.spans.get(f"lead.{key}", example.span)
        if field is None:
            if ("field", key) in model.unchecked:
                continue
            close = closest(key, model.fields)
            yield diagnostic(
                "LS212",
                f'the example "{example.name}" of {owner} sets `{key}`, which is not a field',
                span,
                hint=f"did you mean `{close}`?" if close else "use the id of a field under `fields:`",
            )
            continue
        problem = value_problem(field, value)
        if problem:
            yield diagnostic("LS212", f'the example "{example.name}" of {owner}: {problem}', span)
    missing = [f.id for f in model.fields.values() if not f.optional and f.id not in example.lead]
    if missing:
        yield diagnostic(
            "LS212",
            f'the example "{example.name}" of {owner} leaves out required fields: '
            + ", ".join(f"`{name}`" for name in missing),
            example.span,
            hint="give every field that is not `optional: true` a value",
        )


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    for stage in model.stages:
        for example in stage.examples:
            yield from _problems(model, example, f"stage `{stage.id}`")
        for exit_ in stage.exits:
            for example in exit_.examples:
                yield from _problems(model, example, f"the exit from `{stage.id}` to `{exit_.to}`")
