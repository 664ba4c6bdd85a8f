"""What every output format shares: rule look-ups, plain-words values, counts.

Kept free of json/xml imports so that loading the reporters costs `leadspec check`
nothing at start-up; each format imports what it needs when it renders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from leadspec.diagnostics import Diagnostic, Report, Severity, Span

# C0 controls except tab, DEL and C1 controls: they would move the cursor, ring the
# bell or recolour a terminal if printed raw, and hide what a file really contains.
# Lone surrogates (a YAML "\ud800" escape can make one) cannot be written as UTF-8 at all.
_CONTROL = r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]"
_SURROGATE = r"[\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r"}


def escape_char(match: re.Match[str]) -> str:
    """A matched character as a visible escape: `\\n`, `\\x1b`, `\\ud800`."""
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")


def one_line(text: str) -> str:
    """Text made safe for a single output line: line breaks and controls shown as escapes."""
    return re.sub(_CONTROL, escape_char, text)


def writable(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates shown as `\\udXXX` escapes."""
    return re.sub(_SURROGATE, escape_char, text)


class RuleInfo(NamedTuple):
    """What the registry says about a code, or a stand-in when the code is unknown."""

    code: str
    name: str
    summary: str
    doc: str
    severity: Severity | None


def rule_info(code: str) -> RuleInfo:
    """Look a code up without ever failing: a report must print even for an odd code."""
    from leadspec import rules

    try:
        rule = rules.registry.get(code)
        doc = rules.registry.doc(code)
    except KeyError:
        return RuleInfo(code=code, name="", summary="", doc="", severity=None)
    return RuleInfo(code=code, name=rule.name, summary=rule.summary, doc=doc, severity=rule.severity)


class Location(NamedTuple):
    """A span in the form every format prints; absent parts are None."""

    file: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None


def location(span: Span | None) -> Location:
    """Normalise a span: no line means whole file, and an end before the start is dropped."""
    if span is None:
        return Location(None, None, None, None, None)
    if span.line < 1:
        return Location(span.file, None, None, None, None)
    column = span.column if span.column >= 1 else 1
    end_line, end_column = span.end_line, span.end_column
    if end_line is not None and end_line < span.line:
        end_line = end_column = None
    if end_line is None:
        end_column = None
    elif end_column is not None and (end_column < 1 or (end_line == span.line and end_column < column)):
        end_column = None
    return Location(span.file, span.line, column, end_line, end_column)


def where(span: Span | None) -> str:
    """`path:line:col`, `path` or "" — the prefix a finding is printed with."""
    loc = location(span)
    if loc.file is None:
        return ""
    if loc.line is None:
        return one_line(loc.file)
    return f"{one_line(loc.file)}:{loc.line}:{loc.column}"


def format_value(value: Any) -> str:
    """One witness value as a person writes it: `true`, `45`, `0.5`, `open`."""
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value.is_finite() and -30 <= value.adjusted() <= 30:
            return format(value, "f")
        return str(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_.+\-]+", text) and text not in {"true", "false"}:
        return text
    # Quote anything that could be misread as several values or a keyword.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{one_line(escaped)}"'


def format_witness(witness: Mapping[str, Any]) -> str:
    """`lead_score=45, email_verified=true` in the order the analysis gave."""
    return ", ".join(f"{one_line(str(name))}={format_value(value)}" for name, value in witness.items())


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def counts_text(report: Report) -> str:
    """`2 errors, 1 warning` or `no problems found`."""
    parts = []
    errors, warnings, infos = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    if infos:
        parts.append(f"{infos} info")
    return ", ".join(parts) if parts else "no problems found"


def summary_line(report: Report) -> str:
    """The last line of a run: `Checked 4 files: 2 errors, 1 warning.`, and how many `--fix` can fix.

    When named files were checked along with the rest of their definitions, it
    says so, and how many errors were found elsewhere, since those were not shown.
    """
    along = report.read_along
    fixable = sum(1 for found in report.diagnostics if found.fix is not None)
    fixes = f" {fixable} fixable with `leadspec check --fix`." if fixable else ""
    if along is None:
        return f"Checked {plural(len(report.files), 'file')}: {counts_text(report)}.{fixes}"
    checked = report.files[0] if len(report.files) == 1 else plural(len(report.files), "file")
    others = plural(len(along.files), "other file")
    line = f"Checked {checked} (with the {others} of {', '.join(along.paths)}): {counts_text(report)}.{fixes}"
    if along.errors:
        line += f" {plural(along.errors, 'error')} in other files: `leadspec check` shows them."
    return line


def details(diag: Diagnostic) -> list[str]:
    """The lines that follow a message in formats with one text block per finding."""
    lines = []
    if diag.witness:
        lines.append(f"example lead: {format_witness(diag.witness)}")
    if diag.hint:
        lines.append(f"hint: {diag.hint}")
    return lines


def json_value(value: Any) -> Any:
    """A witness value ready for JSON; Decimals become `ExactNumber` so no digit is lost."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return ExactNumber(value) if value.is_finite() else str(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_value(v) for v in value]
        return items if isinstance(value, list | tuple) else sorted(items, key=repr)
    return str(value)


class ExactNumber:
    """A Decimal to be written into JSON as a number with exactly its own digits."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal) -> None:
        self.value = value


def dumps(document: Any) -> str:
    """JSON with indent 2 and a trailing newline, writing `ExactNumber` digits verbatim.

    The standard encoder would turn a Decimal into a float (0.1 -> 0.1000000000000000055...)
    or refuse it; here each one goes out as a unique placeholder string that is then
    replaced by the Decimal's own text.
    """
    import json
    import secrets

    token = secrets.token_hex(8)
    numbers: list[str] = []

    def default(obj: Any) -> Any:
        if isinstance(obj, ExactNumber):
            numbers.append(str(obj.value))
            return f"{token}:{len(numbers) - 1}"
        raise TypeError(f"cannot write {type(obj).__name__} as JSON")

    text = json.dumps(document, indent=2, ensure_ascii=False, default=default)
    # A lone surrogate can only sit inside a JSON string, where `\udXXX` is its own escape.
    text = writable(text)
    if numbers:
        text = re.sub(rf'"{token}:(\d+)"', lambda m: numbers[int(m.group(1))], text)
    return text + "\n"
