"""A named condition that no stage, exit or scope uses.

## What it means

A named condition is written once so that every criterion that needs it says the
same thing. One that no criterion of the lifecycle uses (directly, or through
another condition that is used) decides nothing: it is usually left over from a
change, or a criterion still spells it out instead of naming it. The glossary
would still publish it as if it mattered.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
conditions:
  mql_bar:
    label: MQL bar
    when: lead_score >= 50
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 50
    terminal: true
```

The entry of `mql` spells out the bar instead of using `mql_bar`.

## How to fix

Use the condition by its id where it is meant (`entry: mql_bar`), or remove it.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.expr.conditions import names_used
from leadspec.expr.parser import ExprSyntaxError, parse
from leadspec.membership import lifecycle_criteria
from leadspec.model import Criterion
from leadspec.rules import Rule

RULE = Rule(
    code="LS216",
    name="unused-condition",
    severity=Severity.WARNING,
    summary="a named condition that no criterion uses",
    needs_complete_model=True,  # its user may be in a file that could not be read
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    if not model.conditions:
        return  # nothing to be unused: the criteria need not be read again
    names = set(model.conditions)

    def named_in(criterion: Criterion) -> tuple[str, ...] | None:
        """The conditions a criterion names (as written, so a criterion with a type error
        still counts as a use); None when it cannot be read at all."""
        tree = ctx.parsed.get(criterion)
        if tree is None:  # not parsed by this run (it does not parse, or the context was made by hand)
            try:
                tree = parse(criterion.text)
            except ExprSyntaxError:
                return None
        return names_used(tree, names)

    todo: list[str] = []
    for _, criterion in lifecycle_criteria(model):
        found = named_in(criterion)
        if found is None:
            return  # an unreadable criterion may be the one that uses it
        todo.extend(found)
    used: set[str] = set()
    while todo:
        name = todo.pop()
        if name in used:
            continue
        used.add(name)
        found = named_in(model.conditions[name].when)
        if found is None:
            return
        todo.extend(found)
    for condition in model.conditions.values():
        if condition.id not in used:
            yield diagnostic(
                "LS216",
                f"the condition `{condition.id}` ({condition.label}) is used by no stage, exit or scope",
                condition.span,
                hint=f"use it by its id where it is meant (for example `entry: {condition.id}`), or remove it",
            )
