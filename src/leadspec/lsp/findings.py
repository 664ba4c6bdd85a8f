"""leadspec findings -> protocol diagnostics, file by file.

A finding keeps its code, its severity and its hint; the hint is also stored in
`data` with the code, and so is its certain fix (the one `check --fix` applies)
as edits in this file, so a code action can offer them without checking again.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from leadspec.diagnostics import Diagnostic, Severity, Span
from leadspec.lsp.positions import Positions
from leadspec.lsp.workspace import Checked
from leadspec.structs import replace

SOURCE = "leadspec"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def by_file(checked: Checked, encoding: str) -> dict[Path, list[types.Diagnostic]]:
    """Every file read, with its findings (an empty list for a clean file, so the editor clears it).

    A finding about the run as a whole (no place, such as LS300 "the analysis did not run") is
    shown on the first line of the first file with an error, else of the first file: an editor
    shows nothing without a place, and a clean-looking file would hide that gaps and overlaps
    were not looked for.
    """
    report = checked.loaded.report
    out: dict[Path, list[types.Diagnostic]] = {path: [] for path in checked.files.values()}
    positions: dict[str, Positions] = {}
    for found in report.sorted():
        if found.span is None:
            home = _home(report.diagnostics, report.files)
            if home is None:
                continue
            found = replace(found, span=Span(home, 1, 1))
        shown = found.span.file
        path = checked.files.get(shown) or _beside(checked, shown)
        if path is None:
            continue
        if shown not in positions:
            text = report.sources.get(shown)
            positions[shown] = Positions(text if text is not None else _read(path), encoding)
        out.setdefault(path, []).append(_convert(found, positions[shown], checked, encoding))
    return out


def _home(found: list[Diagnostic], files: list[str]) -> str | None:
    """Where a finding without a place is shown: the first file with an error, else the first file."""
    with_errors = {d.span.file for d in found if d.span is not None and d.severity is Severity.ERROR}
    return next((name for name in files if name in with_errors), files[0] if files else None)


def _beside(checked: Checked, shown: str) -> Path | None:
    """A file beside the definitions that a finding is about (a stale CODEOWNERS, LS421)."""
    path = checked.project.root / shown
    return path if path.is_file() else None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _convert(found: Diagnostic, positions: Positions, checked: Checked, encoding: str) -> types.Diagnostic:
    assert found.span is not None
    message = found.message if found.hint is None else f"{found.message}\nhint: {found.hint}"
    related = []
    for item in found.related:
        path = checked.files.get(item.span.file)
        if path is None:
            continue
        text = checked.loaded.report.sources.get(item.span.file, "")
        where = positions if item.span.file == found.span.file else Positions(text, encoding)
        related.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=path.absolute().as_uri(), range=where.range(item.span)),
                message=item.message,
            )
        )
    return types.Diagnostic(
        range=positions.range(found.span),
        message=message,
        severity=_SEVERITY[found.severity],
        code=found.code,
        source=SOURCE,
        related_information=related or None,
        data={"code": found.code, "hint": found.hint, "fix": _fix(found, positions)},
    )


def _fix(found: Diagnostic, positions: Positions) -> dict[str, object] | None:
    """The finding's certain fix as plain data for `data`, when all its edits are in the finding's file."""
    fix = found.fix
    if fix is None or found.span is None or any(edit.span.file != found.span.file for edit in fix.edits):
        return None
    edits = [{"range": positions.range(edit.span), "new": edit.new} for edit in fix.edits]
    return {"title": fix.title, "edits": edits}
