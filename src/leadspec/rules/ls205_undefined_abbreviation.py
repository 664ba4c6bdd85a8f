"""An abbreviation used in a definition that the glossary does not define.

## What it means

Sales and marketing fall out over words like MQL, SAL or BANT precisely because
each side reads them differently. Every abbreviation used in a definition or
description (a word of two or more capital letters, such as `ICP`, `SDR` or
`B2B`, also in the plural `MQLs`) must be defined in the glossary: as a term's
`abbr`, a stage's `abbr`, or a term or alias written in capitals. The site then
shows its expansion wherever it appears.

## Example

```yaml
leadspec: 1
fields:
  icp_fit:
    label: ICP fit
    type: boolean
    description: Whether the company matches our ICP.
```

## How to fix

Add a glossary term for it:

```yaml
terms:
  ideal_customer_profile:
    term: Ideal Customer Profile
    abbr: ICP
    definition: The kind of company that gets the most value from our product.
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, Span, diagnostic
from leadspec.model import Model
from leadspec.rules import Rule

RULE = Rule(
    code="LS205",
    name="undefined-abbreviation",
    severity=Severity.WARNING,
    summary="an abbreviation used in a definition but not defined",
    needs_complete_model=True,
)

# Two or more capitals (digits and & allowed inside: B2B, R&D), with an optional plural s.
_ABBREVIATION = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])s?(?![\w&])")


def abbreviations_in(text: str) -> list[str]:
    """The abbreviations a text uses, in order; shared with the site's tooltips."""
    return [m.group(1) for m in _ABBREVIATION.finditer(text) if sum(c.isupper() for c in m.group(1)) >= 2]


def defined_abbreviations(model: Model) -> set[str]:
    known: set[str] = set()
    for stage in model.stages:
        known.update(name for name in (stage.abbr, *stage.aliases) if name)
    for term in model.terms.values():
        known.update(name for name in (term.abbr, term.term, *term.aliases) if name)
    return known


def _texts(model: Model) -> Iterator[tuple[str, str, Span | None]]:
    for stage in model.stages:
        if stage.definition:
            yield f"the definition of stage `{stage.id}`", stage.definition, stage.spans.get("definition")
    for term in model.terms.values():
        if term.definition:
            yield f"the definition of `{term.id}`", term.definition, term.spans.get("definition")
    for field in model.fields.values():
        if field.description:
            yield f"the description of field `{field.id}`", field.description, field.spans.get("description")
    for picklist in model.picklists.values():
        if picklist.description:
            yield (
                f"the description of picklist `{picklist.id}`",
                picklist.description,
                picklist.spans.get("description"),
            )
        for value in picklist.values:
            if value.description:
                yield (
                    f"the description of `{picklist.id}.{value.id}`",
                    value.description,
                    value.spans.get("description"),
                )
    for team in model.teams.values():
        if team.description:
            yield f"the description of team `{team.id}`", team.description, team.spans.get("description")


def _word_span(span: Span | None, word: str, lines: dict[str, list[str] | None]) -> Span | None:
    """Where `word` itself is, so an editor puts the cursor on it rather than on the text's start.

    Texts are prose, often folded over several lines, and the model keeps only where each
    text begins. The abbreviation is written verbatim in the file (capitals need no escape),
    so its first whole-word occurrence from the text's start is this one. The file is read
    only when there is something to report; if it cannot be read or has changed, the text's
    start is still a correct place.
    """
    if span is None:
        return None
    if span.file not in lines:
        try:
            lines[span.file] = Path(span.file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines[span.file] = None
    text = lines[span.file]
    if text is None:
        return span
    pattern = re.compile(rf"(?<![\w&]){re.escape(word)}(?![\w&])")
    for number in range(span.line, min(len(text), span.line + 200) + 1):
        start = span.column - 1 if number == span.line else 0
        found = pattern.search(text[number - 1], start)
        if found:
            return Span(span.file, number, found.start() + 1, number, found.end() + 1)
    return span


def check(ctx: Context) -> Iterable[Diagnostic]:
    known = defined_abbreviations(ctx.model)
    lines: dict[str, list[str] | None] = {}
    for where, text, span in _texts(ctx.model):
        reported: set[str] = set()
        for abbreviation in abbreviations_in(text):
            if abbreviation in known or abbreviation in reported:
                continue
            reported.add(abbreviation)
            yield diagnostic(
                "LS205",
                f"{where} uses the abbreviation {abbreviation}, which the glossary does not define",
                _word_span(span, abbreviation, lines),
                hint=f"add a term with `abbr: {abbreviation}` so everyone reads it the same way",
            )
