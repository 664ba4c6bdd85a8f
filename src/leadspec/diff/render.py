"""A diff as text (a terminal), JSON (scripts) or Markdown (a pull-request comment).

Every format says the same things in the same order: which two revisions,
how the base was chosen, problems either side has, breaking changes first,
then lead movement, then the other changes. The Markdown starts with a hidden
marker (`MARKER`) so a CI job can find and update its own comment, and stays
under GitHub's 65,536-character limit for a comment, saying what it left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from leadspec.analysis.words import lead_text
from leadspec.diagnostics import Diagnostic, Report
from leadspec.diff import Diff
from leadspec.diff.movement import Move
from leadspec.diff.sides import Side
from leadspec.reporters._common import dumps, json_value, one_line, plural, where
from leadspec.reporters.github import escape_markdown
from leadspec.reporters.json import document as json_document
from leadspec.reporters.text import format_diagnostic

MARKER = "<!-- leadspec-diff -->"
COMMENT_LIMIT = 65_536
_RESERVE = 600  # room for the notes saying what was left out


def summary(diff: Diff) -> str:
    """ "1 breaking change, 2 lead movements, 3 other changes" or "no changes"."""
    parts = []
    if diff.breaking:
        parts.append(plural(len(diff.breaking), "breaking change"))
    if diff.moves:
        parts.append(plural(len(diff.moves), "lead movement"))
    if diff.changes:
        parts.append(plural(len(diff.changes), "other change"))
    return ", ".join(parts) if parts else "no changes"


def witness_text(move: Move, whole: int = 6) -> str:
    """The example lead: all of it when short, else the fields that matter and `...`."""
    return lead_text(move.witness) if len(move.witness) <= whole else lead_text(move.witness, move.shown)


def _problem_lines(side: Side, which: str) -> list[str]:
    problems = side.problems
    if not problems:
        return []
    lines = [
        f"The {which} ({side.name}) has problems ({plural(len(problems), 'error')}); "
        "what could be read is compared:"
    ]
    for item in problems[:20]:
        place = where(item.span)
        lines.append(f"  {place + ': ' if place else ''}{item.code} {one_line(item.message)}")
    if len(problems) > 20:
        lines.append(f"  …and {len(problems) - 20} more (run `leadspec check` on it)")
    return lines


def _sources(diff: Diff) -> Report:
    """One report holding both sides' file texts, so findings can quote their line."""
    return Report(
        diagnostics=list(diff.breaking),
        sources={**diff.base.report.sources, **diff.head.report.sources},
    )


# -- text -------------------------------------------------------------------------------


def text(diff: Diff, *, color: bool = False) -> str:
    lines = [f"Comparing {diff.base.name} with {diff.head.name}"]
    if diff.base_words:
        lines.append(f"(base: {diff.base_words})")
    lines += [f"note: {note}" for note in diff.notes]
    for side, which in ((diff.base, "base"), (diff.head, "head")):
        found = _problem_lines(side, which)
        if found:
            lines += ["", *found]
    report = _sources(diff)
    if diff.breaking:
        lines += ["", f"Breaking changes ({len(diff.breaking)})", ""]
        lines.append("\n\n".join(format_diagnostic(report, item, color=color) for item in diff.breaking))
    lines += ["", f"Lead movement ({len(diff.moves)})" if diff.moves else "Lead movement"]
    if diff.movement_skipped:
        lines.append(f"  not worked out: {diff.movement_skipped}")
    elif not diff.moves:
        lines.append("  no lead changes stage")
    for move in diff.moves:
        lines += [
            "",
            f"  {move.source.name} → {move.target.name}",
            f"    {move.sentence}",
            f"    example lead: {witness_text(move)}",
        ]
    if diff.changes:
        lines += ["", f"Other changes ({len(diff.changes)})", ""]
        lines += [f"  - {one_line(change.text)}" for change in diff.changes]
    lines += ["", f"{summary(diff)[:1].upper()}{summary(diff)[1:]}."]
    return "\n".join(lines) + "\n"


# -- JSON -------------------------------------------------------------------------------


def _side(side: Side, problems: bool = True) -> dict[str, Any]:
    tree = side.tree
    found: dict[str, Any] = {
        "name": side.name,
        "kind": tree.kind,
        "ref": tree.ref,
        "commit": tree.commit,
        "files": side.report.files,
        "exact": side.exact,
    }
    if problems:
        found["problems"] = json_document(Report(diagnostics=side.problems))["diagnostics"]
    return found


def _place(place: Any) -> dict[str, Any]:
    return {"kind": place.kind, "stage": place.stage, "name": place.name}


def json(diff: Diff) -> str:
    return dumps(
        {
            "version": 1,
            "base": {**_side(diff.base), "chosen": diff.base_words},
            "head": _side(diff.head),
            "summary": {
                "breaking": len(diff.breaking),
                "moves": len(diff.moves),
                "changes": len(diff.changes),
                "text": summary(diff),
            },
            "notes": diff.notes,
            "breaking": json_document(Report(diagnostics=list(diff.breaking)))["diagnostics"],
            "movement": {
                "skipped": diff.movement_skipped,
                "moves": [
                    {
                        "from": _place(move.source),
                        "to": _place(move.target),
                        "leads": move.words,
                        "all": move.everyone,
                        "text": move.sentence,
                        "witness": json_value(move.witness),
                    }
                    for move in diff.moves
                ],
            },
            "changes": [
                {"kind": c.kind, "subject": c.subject, "text": c.text, "before": c.before, "after": c.after}
                for c in diff.changes
            ],
        }
    )


# -- Markdown ------------------------------------------------------------------------------


class _Budget:
    """Adds lines while they fit under the comment limit; counts what did not."""

    def __init__(self, limit: int) -> None:
        self.limit = limit - _RESERVE
        self.used = 0
        self.lines: list[str] = []

    def add(self, *lines: str) -> bool:
        size = sum(len(line) + 1 for line in lines)
        if self.used + size > self.limit:
            return False
        self.lines.extend(lines)
        self.used += size
        return True

    def items(self, lines: Iterable[str], what: str) -> None:
        items = list(lines)
        for index, line in enumerate(items):
            if not self.add(line):
                left = len(items) - index
                self.lines.append(
                    f"\n*…and {plural(left, what)} more, left out to fit a comment: run `leadspec diff` to see them all.*"
                )
                return


def _md(text: str) -> str:
    """Text for Markdown: literal, except that `quoted` parts become code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: nothing is quoted
        return escape_markdown(text)
    return "".join(_code(part) if index % 2 else escape_markdown(part) for index, part in enumerate(parts))


def _code(text: str) -> str:
    return "<code>" + escape_markdown(text) + "</code>"


def _breaking_md(item: Diagnostic) -> str:
    location = where(item.span)
    text = f"- **{item.code}** {_code(location) + ' ' if location else ''}{_md(item.message)}"
    if item.witness:
        text += f"<br>example: {_code(', '.join(f'{k}={v}' for k, v in item.witness.items()))}"
    if item.hint:
        text += f"<br>*fix:* {_md(item.hint)}"
    return text


def markdown(diff: Diff, *, limit: int = COMMENT_LIMIT) -> str:
    budget = _Budget(limit)
    mark = "❌ " if diff.breaking else ""
    budget.add(MARKER, f"### {mark}leadspec diff: {summary(diff)}", "")
    comparing = f"Comparing **{_md(diff.base.name)}** with **{_md(diff.head.name)}**"
    if diff.base_words:
        comparing += f" (base: {_md(diff.base_words)})"
    budget.add(comparing + ".", "")
    for note in diff.notes:
        budget.add(f"> {_md(note)}", "")
    for side, which in ((diff.base, "base"), (diff.head, "head")):
        problems = side.problems
        if problems:
            budget.add(
                f"> ⚠️ The {which} has problems ({plural(len(problems), 'error')}); what could be read is compared. "
                f"First: {_code(where(problems[0].span))} {_md(problems[0].message)}",
                "",
            )
    if diff.breaking:
        budget.add(f"#### Breaking changes ({len(diff.breaking)})", "")
        budget.items((_breaking_md(item) for item in diff.breaking), "breaking change")
        budget.add("")
    budget.add("#### Lead movement", "")
    if diff.movement_skipped:
        budget.add(f"Not worked out: {_md(diff.movement_skipped)}.", "")
    elif not diff.moves:
        budget.add("No lead changes stage.", "")
    else:
        budget.add("| From | To | Which leads | Example lead |", "| --- | --- | --- | --- |")
        budget.items(
            (
                f"| {_md(move.source.name)} | {_md(move.target.name)} | "
                f"{'all of them' if move.everyone else _md(move.words)} | {_code(witness_text(move))} |"
                for move in diff.moves
            ),
            "movement",
        )
        budget.add("")
    if diff.changes:
        budget.add("<details>", f"<summary>Other changes ({len(diff.changes)})</summary>", "")
        budget.items((f"- {_md(change.text)}" for change in diff.changes), "change")
        budget.lines += ["", "</details>"]
    return "\n".join(budget.lines) + "\n"


FORMATS = {"text": text, "json": json, "markdown": markdown}


def render(name: str, diff: Diff, **options: Any) -> str:
    if name == "text":
        return text(diff, color=bool(options.get("color")))
    return FORMATS[name](diff)  # type: ignore[operator]


__all__ = ["COMMENT_LIMIT", "FORMATS", "MARKER", "markdown", "render", "summary", "text"]
