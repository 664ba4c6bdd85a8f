"""A `see_also` that points to nothing.

## What it means

`see_also` links a stage or term to related entries on the glossary site. It
names the id of a term, a stage, a picklist, or a picklist value written as
`picklist.value` (for example `rejection_reason.no_budget`). A link to an id that
does not exist would be a dead link on the published glossary.

## Example

```yaml
leadspec: 1
terms:
  bant:
    term: BANT
    definition: Budget, authority, need and timeframe, the sales qualification checklist.
    see_also: [sales_qualified]
```

## How to fix

Use an existing id (the hint suggests the closest one), or remove the link.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.suggest import closest

RULE = Rule(
    code="LS203",
    name="broken-see-also",
    severity=Severity.WARNING,
    summary="a see_also link to nothing",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    targets = set(model.terms) | set(model.stage_ids) | set(model.picklists) | set(model.conditions)
    for picklist in model.picklists.values():
        targets.update(f"{picklist.id}.{value.id}" for value in picklist.values)
    unchecked = {ident for _, ident in model.unchecked}
    entries = [("stage", s.id, s.see_also, s.spans) for s in model.stages]
    entries += [("term", t.id, t.see_also, t.spans) for t in model.terms.values()]
    for kind, ident, links, spans in entries:
        for link in links:
            if link in targets or link.split(".")[0] in unchecked:
                continue
            close = closest(link, sorted(targets))
            yield diagnostic(
                "LS203",
                f"the {kind} `{ident}` links to `{link}` in see_also, which is not defined",
                spans.get("see_also"),
                hint=f"did you mean `{close}`?"
                if close
                else "link to a term, stage, picklist, condition or `picklist.value`",
            )
