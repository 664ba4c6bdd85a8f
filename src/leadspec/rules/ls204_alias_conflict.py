"""Two glossary entries claim the same name, abbreviation or alias.

## What it means

The glossary exists so that one word means one thing. When two entries (terms or
stages) both answer to the same name, abbreviation or alias (compared without
regard to case), a reader cannot tell which one is meant, and the site cannot link
the word to one definition.

## Example

```yaml
leadspec: 1
terms:
  sales_qualified_lead:
    term: Sales Qualified Lead
    abbr: SQL
    definition: A lead sales has qualified as a real opportunity.
  opportunity:
    term: Opportunity
    aliases: [SQL]
    definition: A deal sales is working in the pipeline.
```

## How to fix

Keep the name on the entry it belongs to and remove it from the other. If the two
entries mean the same thing, merge them, or mark one `deprecated` with
`replaced_by`.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS204",
    name="alias-conflict",
    severity=Severity.ERROR,
    summary="two glossary entries claim the same name",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    claimed: dict[str, tuple[str, Span | None]] = {}
    entries: list[tuple[str, list[tuple[str, str]], dict[str, Span]]] = []
    for stage in model.stages:
        names = [("label", stage.label)] + ([("abbr", stage.abbr)] if stage.abbr else [])
        names += [("aliases", alias) for alias in stage.aliases]
        entries.append((f"the stage `{stage.id}`", names, stage.spans))
    for term in model.terms.values():
        names = [("term", term.term)] + ([("abbr", term.abbr)] if term.abbr else [])
        names += [("aliases", alias) for alias in term.aliases]
        entries.append((f"the term `{term.id}`", names, term.spans))
    for owner, names, spans in entries:
        mine: set[str] = set()
        for key, name in names:
            folded = " ".join(name.casefold().split())
            if folded in mine:
                continue
            mine.add(folded)
            first = claimed.get(folded)
            if first is None:
                claimed[folded] = (owner, spans.get(key))
                continue
            other, other_span = first
            yield diagnostic(
                "LS204",
                f'"{name}" is claimed by {owner} and by {other}',
                spans.get(key),
                hint="a name, abbreviation or alias must belong to one glossary entry: "
                "remove it from one of them, or merge the two",
                related=[Related(other_span, f'"{name}" also claimed here')] if other_span else [],
            )
