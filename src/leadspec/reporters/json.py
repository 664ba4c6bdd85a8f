"""A stable JSON document for scripts and other tools.

The shape is versioned (`"version": 1`) and only ever grows: new keys may be added,
existing ones keep their meaning. Findings are sorted as in every other format, and
example-lead numbers keep their exact digits.
"""

from __future__ import annotations

from typing import Any

from leadspec.diagnostics import Diagnostic, Report, Severity
from leadspec.reporters._common import dumps, json_value, location, rule_info

VERSION = 1


def _diagnostic(diag: Diagnostic, cause: Diagnostic | None = None) -> dict[str, Any]:
    loc = location(diag.span)
    came = location(cause.span) if cause is not None else None
    return {
        "code": diag.code,
        "name": rule_info(diag.code).name or None,
        "severity": diag.severity.value,
        "message": diag.message,
        "hint": diag.hint,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "related": [
            {
                "file": rel.file,
                "line": rel.line,
                "column": rel.column,
                "message": related.message,
            }
            for related in diag.related
            for rel in [location(related.span)]
        ],
        "witness": json_value(dict(diag.witness)) if diag.witness is not None else None,
        # The finding this one follows from (listed before it), or null.
        "follows": None
        if cause is None or came is None
        else {"code": cause.code, "file": came.file, "line": came.line, "column": came.column},
        # The certain fix `check --fix` would make: each edit replaces `old` (the text from the
        # position to the end position, end exclusive) with `new`; or null.
        "fix": None
        if diag.fix is None
        else {
            "title": diag.fix.title,
            "edits": [
                {
                    "file": edit.span.file,
                    "line": edit.span.line,
                    "column": edit.span.column,
                    "end_line": edit.span.end_line,
                    "end_column": edit.span.end_column,
                    "old": edit.old,
                    "new": edit.new,
                }
                for edit in diag.fix.edits
            ],
        },
    }


def document(report: Report) -> dict[str, Any]:
    """The report as plain data (Decimals wrapped for exact writing by `dumps`)."""
    return {
        "version": VERSION,
        "files": sorted(report.files),
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
        },
        "diagnostics": [_diagnostic(diag, cause) for diag, cause in report.grouped()],
    }


def render(report: Report, **_: Any) -> str:
    return dumps(document(report))
