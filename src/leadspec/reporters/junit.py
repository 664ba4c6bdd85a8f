"""JUnit XML, the test-report format CI dashboards (GitLab, Jenkins, Azure) display.

Each checked file is one test case named after the file: it fails when the file
has findings at error level, and passes otherwise. A failing case carries a single
`<failure>` listing every error in the file, because most dashboards read only the
first failure element of a case and would silently drop the rest; warnings and
info go to `<system-out>`. Findings that belong to no file get a case of their own.
"""

from __future__ import annotations

import re
from typing import Any

from leadspec.diagnostics import Diagnostic, Report, Severity
from leadspec.reporters._common import details, escape_char, one_line, plural, where

NO_FILE = "(configuration)"

# XML 1.0 allows tab, line feed, carriage return and everything from space upwards,
# except surrogates and U+FFFE/U+FFFF; anything else makes the document unreadable.
# (A pattern string, not compiled here: compiling it costs start-up time for every format.)
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def xml_text(text: str) -> str:
    """Text with characters XML 1.0 cannot hold shown as `\\xNN` escapes."""
    return re.sub(_NOT_XML, escape_char, text)


def _entry(diag: Diagnostic) -> str:
    prefix = where(diag.span)
    head = f"{diag.severity.value} {diag.code} {one_line(diag.message)}"
    lines = [f"{prefix}: {head}" if prefix else head]
    lines += [f"  {where(rel.span)}: note: {one_line(rel.message)}" for rel in diag.related]
    lines += [f"  {one_line(line)}" for line in details(diag)]
    return "\n".join(lines)


def _failure_summary(errors: list[Diagnostic]) -> tuple[str, str]:
    """The failure's `type` (the code, or the codes) and its one-line `message`."""
    codes = sorted({d.code for d in errors})
    first = errors[0]
    message = one_line(first.message)
    if len(errors) > 1:
        message = f"{plural(len(errors), 'error')}, first: {first.code} {message}"
    return " ".join(codes), message


def render(report: Report, **_: Any) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Diagnostic]] = {name: [] for name in sorted(report.files)}
    for diag in report.sorted():
        key = diag.span.file if diag.span is not None else NO_FILE
        by_file.setdefault(key, []).append(diag)

    cases = []
    failures = 0
    for name in sorted(by_file, key=lambda n: (n == NO_FILE, n)):
        found = by_file[name]
        case = ET.Element("testcase", classname="leadspec", name=xml_text(name), time="0")
        errors = [d for d in found if d.severity is Severity.ERROR]
        others = [d for d in found if d.severity is not Severity.ERROR]
        if errors:
            failures += 1
            kind, message = _failure_summary(errors)
            failure = ET.SubElement(case, "failure", type=kind, message=xml_text(message))
            failure.text = xml_text("\n".join(_entry(d) for d in errors))
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = xml_text("\n".join(_entry(d) for d in others))
        cases.append(case)

    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "time": "0"}
    # `skipped` only on <testsuite>: Jenkins' xUnit schema (junit-10.xsd) refuses it on <testsuites>.
    root = ET.Element("testsuites", name="leadspec", **counts)
    suite = ET.SubElement(root, "testsuite", name="leadspec", **counts, skipped="0")
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
