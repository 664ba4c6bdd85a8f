"""`check --fix` and `check --diff`: the findings' certain fixes, as minimal text edits.

A fix (`diagnostics.Fix`) is attached by the phase that is sure of it: a misspelt
name with one candidate, an enum value written without quotes, a stale CODEOWNERS
block. Here they only become new file texts. Everything outside the edited
characters stays byte for byte (comments, layout, line endings), because the text
is edited as text, never re-dumped from YAML. An edit is applied only where the file
still holds exactly what the check read there; a file that changed since it was
read is left alone, and overlapping fixes wait for the next run.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from leadspec import outputs
from leadspec.diagnostics import Diagnostic, Edit, Fix, Report
from leadspec.structs import field, struct

_BOM = "\ufeff"


@struct
class FileFix:
    """One file's new text, and how many findings it resolves."""

    display: str
    path: Path
    before: str
    after: str
    fixed: int


@struct(frozen=False)
class Plan:
    """What `--fix` would write, and what it leaves alone (with why, for the user)."""

    files: list[FileFix] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(item.fixed for item in self.files)


def plan(report: Report, root: Path | None = None) -> Plan:
    """The certain fixes of `report`'s findings, applied to the files as they are on disk now."""
    by_file: dict[str, list[tuple[Diagnostic, Fix]]] = {}
    for found in report.diagnostics:
        fix = found.fix
        if fix is None or not fix.edits:
            continue
        files = {edit.span.file for edit in fix.edits}
        if len(files) == 1:
            by_file.setdefault(files.pop(), []).append((found, fix))
    # A file beside the definitions (CODEOWNERS) is written from them: while the definitions
    # themselves are being fixed, its fix waits for the round that checks the fixed ones.
    if any(display in report.sources for display in by_file):
        by_file = {display: found for display, found in by_file.items() if display in report.sources}
    result = Plan()
    for display, fixes in sorted(by_file.items()):
        path = Path(display) if root is None or Path(display).is_absolute() else root / display
        planned = _plan_file(display, path, fixes, report.sources.get(display), result.left)
        if planned is not None:
            result.files.append(planned)
    return result


def _plan_file(
    display: str, path: Path, fixes: Sequence[tuple[Diagnostic, Fix]], seen: str | None, left: list[str]
) -> FileFix | None:
    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        left.append(f"{display}: cannot be read ({error}), so it is left alone")
        return None
    bom = _BOM if raw.startswith(_BOM) else ""
    text = raw[len(bom) :]
    if seen is not None and text != seen:
        left.append(f"{display} changed since it was checked, so it is left alone: run the check again")
        return None
    starts = _line_starts(text)
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    fixed = 0
    for found, fix in sorted(fixes, key=lambda item: item[0].sort_key):
        placed = [_place(text, starts, edit) for edit in fix.edits]
        places = [place for place in placed if place is not None]
        if len(places) != len(placed):
            left.append(
                f"{display}: the fix for {found.code} ({fix.title}) no longer fits the text, so it is left alone"
            )
            continue
        spans = [(start, end) for start, end, _ in places]
        if any(
            start < other_end and other_start < end
            for start, end in spans
            for other_start, other_end in taken
        ):
            continue  # overlaps a fix already chosen: the next run applies it, on the new text
        chosen.extend(places)
        taken.extend(spans)
        fixed += 1
    if not chosen:
        return None
    after = text
    for start, end, new in sorted(chosen, reverse=True):
        after = after[:start] + new + after[end:]
    if after == text:
        return None
    return FileFix(display, path, bom + text, bom + after, fixed)


def _line_starts(text: str) -> list[int]:
    """The offset each line starts at (lines end at `\\n`; a `\\r` before it belongs to its line)."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _place(text: str, starts: list[int], edit: Edit) -> tuple[int, int, str] | None:
    """(start, end, new) offsets of an edit, or None when the text there is not what was read."""
    span = edit.span
    if span.end_line is None or span.end_column is None:
        return None
    if not (1 <= span.line <= len(starts) and 1 <= span.end_line <= len(starts)):
        return None
    start = starts[span.line - 1] + span.column - 1
    end = starts[span.end_line - 1] + span.end_column - 1
    if not 0 <= start <= end <= len(text) or text[start:end] != edit.old:
        return None
    return start, end, edit.new


def diff(result: Plan) -> str:
    """The planned changes as one unified diff (what `--diff` prints)."""
    parts = []
    for item in result.files:
        parts.extend(
            difflib.unified_diff(
                item.before.splitlines(keepends=True),
                item.after.splitlines(keepends=True),
                fromfile=f"a/{item.display}",
                tofile=f"b/{item.display}",
            )
        )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in parts
    )


def write(result: Plan) -> tuple[list[FileFix], list[str]]:
    """Write each planned file in one step (`outputs`); a file whose text changed on disk meanwhile is skipped.

    Returns the files written, and why any other was left alone.
    """
    written: list[FileFix] = []
    left: list[str] = []
    for item in result.files:
        try:
            if item.path.read_bytes().decode("utf-8") != item.before:
                left.append(f"{item.display} changed while leadspec was fixing it, so it is left alone")
                continue
            outputs.write_text(item.path, item.after)
        except (OSError, UnicodeDecodeError, outputs.OutputError) as error:
            left.append(f"{item.display}: {error}, so it is left as it was")
            continue
        written.append(item)
    return written, left
