"""One line per finding, for the fixture tests, grep and editors' problem matchers.

`path:line:col: severity CODE message`, sorted by file, line, column and code; no
hints and no summary, so two runs can be compared line by line.
"""

from __future__ import annotations

from typing import Any

from leadspec.diagnostics import Diagnostic, Report
from leadspec.reporters._common import one_line, where


def format_diagnostic(diag: Diagnostic) -> str:
    """The single line for one finding; a finding without a place has no prefix."""
    prefix = where(diag.span)
    line = f"{diag.severity.value} {diag.code} {one_line(diag.message)}"
    return f"{prefix}: {line}" if prefix else line


def render(report: Report, **_: Any) -> str:
    lines = [format_diagnostic(diag) for diag in report.sorted()]
    return "".join(line + "\n" for line in lines)
