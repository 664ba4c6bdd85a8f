"""The default output, for people at a terminal.

Laid out like ruff and rustc: a `path:line:col: severity CODE message` header
(which editors and terminals turn into a link), the offending line with the span
underlined, the finding it follows from (consequences come right after their cause),
the other places involved, an example lead where one exists, and the hint last, as
the thing to do. Colour only when the caller asks for it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from leadspec.diagnostics import Diagnostic, Report, Severity
from leadspec.reporters._common import (
    format_witness,
    location,
    one_line,
    summary_line,
    where,
)

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_GUTTER = "\x1b[34m"
_NOTE = "\x1b[1;36m"
_HINT = "\x1b[1;32m"
_TAB = "    "


class _Style:
    """Wraps text in ANSI codes, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled and text else text


def _cell(char: str) -> tuple[str, int]:
    """How one source character is shown, and how many terminal columns that takes."""
    if char == "\t":
        return _TAB, len(_TAB)
    shown = one_line(char)
    if shown != char:
        return shown, len(shown)
    if unicodedata.combining(char):
        return char, 0
    return char, 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _snippet(report: Report, diag: Diagnostic, style: _Style) -> list[str]:
    """The quoted source line with the span underlined, or nothing if the line is unknown."""
    loc = location(diag.span)
    if loc.line is None or loc.column is None:
        return []
    source = report.source_line(diag.span)
    if source is None:
        return []
    start = loc.column - 1
    if loc.end_line == loc.line and loc.end_column is not None:
        end = max(loc.end_column - 1, start + 1)
    elif loc.end_line is not None and loc.end_line > loc.line:
        end = max(len(source), start + 1)  # runs on past this line: underline to its end
    else:
        end = start + 1
    shown: list[str] = []
    pad = width = 0
    for index, char in enumerate(source):
        text, cells = _cell(char)
        shown.append(text)
        if index < start:
            pad += cells
        elif index < end:
            width += cells
    if start >= len(source):  # the span points just past the line's end
        pad = sum(_cell(c)[1] for c in source) + (start - len(source))
    width = max(width, 1)
    number = str(loc.line)
    gutter = " " * len(number)
    caret = style(_SEVERITY_STYLE[diag.severity], "^" * width)
    return [
        f"  {style(_GUTTER, number + ' |')} {''.join(shown)}".rstrip(),
        f"  {style(_GUTTER, gutter + ' |')} {' ' * pad}{caret}",
    ]


def _header(diag: Diagnostic, style: _Style) -> str:
    prefix = where(diag.span)
    severity = style(_SEVERITY_STYLE[diag.severity], diag.severity.value)
    head = f"{severity} {style(_BOLD, diag.code)} {one_line(diag.message)}"
    return f"{style(_BOLD, prefix + ':')} {head}" if prefix else head


def format_diagnostic(
    report: Report, diag: Diagnostic, *, color: bool = False, cause: Diagnostic | None = None
) -> str:
    """One finding as a block of lines (no trailing newline); `cause` is the finding it follows from."""
    style = _Style(color)
    lines = [_header(diag, style)]
    lines.extend(_snippet(report, diag, style))
    if cause is not None:
        place = where(cause.span)
        lines.append(
            f"  {style(_NOTE, 'note:')} this follows from the {cause.code} finding above"
            + (f" ({place})" if place else "")
        )
    for related in diag.related:
        lines.append(f"  {where(related.span)}: {style(_NOTE, 'note:')} {one_line(related.message)}")
    if diag.witness:
        lines.append(f"  {style(_BOLD, 'example lead:')} {format_witness(diag.witness)}")
    if diag.hint:
        lines.append(f"  {style(_HINT, 'hint:')} {one_line(diag.hint)}")
    return "\n".join(lines)


def render(report: Report, *, color: bool = False, **_: Any) -> str:
    """Every finding, a blank line between them, then the summary line."""
    blocks = [format_diagnostic(report, diag, color=color, cause=cause) for diag, cause in report.grouped()]
    blocks.append(_Style(color)(_BOLD, summary_line(report)))
    return "\n\n".join(blocks) + "\n"
