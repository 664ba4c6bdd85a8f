"""GitHub Actions: workflow-command annotations and the job summary.

`render` prints `::error file=…,line=…::message` lines, which GitHub shows on the
pull request's changed lines. `summary_markdown` is the table the CLI appends to
$GITHUB_STEP_SUMMARY. Every value is escaped the way the runner un-escapes it, so
a message with a comma, colon or line break arrives intact.
"""

from __future__ import annotations

import re
from typing import Any

from leadspec.diagnostics import Diagnostic, Report, Severity
from leadspec.reporters._common import details, location, rule_info, summary_line, where, writable

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SEVERITY_MARK = {
    Severity.ERROR: "❌ error",
    Severity.WARNING: "⚠️ warning",
    Severity.INFO: "ℹ️ info",
}


def escape_data(text: str) -> str:
    """The message part of a workflow command (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property of a workflow command, where `:` and `,` are separators."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diag: Diagnostic) -> str:
    """One workflow command for one finding."""
    loc = location(diag.span)
    props: list[tuple[str, Any]] = [
        ("file", loc.file),
        ("line", loc.line),
        ("col", loc.column),
        ("endLine", loc.end_line),
        ("endColumn", loc.end_column),
    ]
    name = rule_info(diag.code).name
    props.append(("title", f"{diag.code} {name}" if name else diag.code))
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props if value is not None)
    message = "\n".join([diag.message, *details(diag)])
    return writable(f"::{_COMMAND[diag.severity]} {rendered}::{escape_data(message)}")


def render(report: Report, **_: Any) -> str:
    return "".join(annotation(diag) + "\n" for diag in report.sorted())


# Characters that mean something in GitHub-flavoured Markdown or inline HTML; a
# backslash makes each one literal (CommonMark allows it before any ASCII punctuation).
_MARKDOWN_SPECIAL = r"([\\`*_{}\[\]<>()#+!|~&$-])"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def escape_markdown(text: str) -> str:
    """Text for one table cell: literal everywhere, line breaks as `<br>`."""
    text = re.sub(_CONTROL, "\N{REPLACEMENT CHARACTER}", writable(text))
    text = re.sub(_MARKDOWN_SPECIAL, r"\\\1", text)
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def summary_markdown(report: Report, *, max_rows: int = 500) -> str:
    """A heading, the counts and a table of findings for the job summary page.

    GitHub caps a step summary at 1 MiB, so a very long run is cut at `max_rows`
    rows with a line saying how many were left out.
    """
    lines = ["## leadspec", "", summary_line(report)]
    diagnostics = report.sorted()
    if diagnostics:
        lines += ["", "| Severity | Code | Where | Message |", "| --- | --- | --- | --- |"]
        for diag in diagnostics[:max_rows]:
            message = "\n".join([diag.message, *details(diag)])
            name = rule_info(diag.code).name
            code = f"{diag.code} {name}" if name else diag.code
            lines.append(
                f"| {_SEVERITY_MARK[diag.severity]} | {escape_markdown(code)} "
                f"| {escape_markdown(where(diag.span))} | {escape_markdown(message)} |"
            )
        if len(diagnostics) > max_rows:
            lines += ["", f"…and {len(diagnostics) - max_rows} more; run `leadspec check` to see them all."]
    return "\n".join(lines) + "\n"
