"""SARIF 2.1.0, the format GitHub code scanning (and many IDEs) import.

One run; the driver lists one rule per code that occurs, with its documentation
page as help, so the alert page on GitHub explains the finding and its fix.
Paths are relative to `%SRCROOT%` (the repository root on GitHub). Each result
carries a fingerprint made of code, file and message, without the line, so an
alert keeps its identity when lines above it move.

A finding with no place in a file (LS300, "the analysis did not run") is not a
result: GitHub refuses a whole upload in which one result has no location. It is
a notification of the run's invocation instead, which is what SARIF has for
something the tool says about the run itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import leadspec
from leadspec.diagnostics import Diagnostic, Fix, Report, Severity, Span
from leadspec.reporters._common import (
    RuleInfo,
    details,
    dumps,
    json_value,
    location,
    rule_info,
)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# The project has no home page of its own yet; the package index page stands in.
INFORMATION_URI = "https://pypi.org/project/leadspec/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "leadspec/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> tuple[str, str | None]:
    """A path as a SARIF URI: relative ones against %SRCROOT%, absolute ones as file: URIs."""
    from pathlib import PurePosixPath, PureWindowsPath
    from urllib.parse import quote

    if re.match(r"^[A-Za-z]:[\\/]", path) or path.startswith("\\\\"):
        return PureWindowsPath(path).as_uri(), None
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri(), None
    while posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe="/"), SRCROOT


def _artifact(path: str) -> dict[str, Any]:
    uri, base = _uri(path)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _physical(span: Span, sources: Mapping[str, str]) -> dict[str, Any]:
    """Where a finding is. One about a whole file spans all its lines: SARIF validators flag a
    location without a region (SARIF2017), and line 1 is where a viewer should open the file."""
    loc = location(span)
    region: dict[str, Any]
    if loc.line is None:
        region = {"startLine": 1}
        text = sources.get(span.file)
        if text:
            region["endLine"] = len(text.splitlines()) or 1
    else:
        region = {"startLine": loc.line, "startColumn": loc.column}
        if loc.end_line is not None:
            region["endLine"] = loc.end_line
            if loc.end_column is not None:
                region["endColumn"] = loc.end_column
    return {"artifactLocation": _artifact(span.file), "region": region}


def _fix(fix: Fix, sources: Mapping[str, str]) -> dict[str, Any]:
    """A certain fix as SARIF's: per file, the regions replaced and the text put in their place."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        region = _physical(edit.span, sources)["region"]
        changes.setdefault(edit.span.file, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.new}}
        )
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {"artifactLocation": _artifact(file), "replacements": replacements}
            for file, replacements in changes.items()
        ],
    }


def _section(doc: str, title: str) -> str:
    """The text under `## title` in a rule's documentation page."""
    match = re.search(rf"^##\s+{re.escape(title)}\s*$(.*?)(?=^##\s|\Z)", doc, re.M | re.S)
    return match.group(1).strip() if match else ""


def _descriptor(info: RuleInfo, severity: Severity, help_uri: str | None) -> dict[str, Any]:
    short = info.summary or info.name or info.code
    full = _section(info.doc, "What it means") or short
    descriptor: dict[str, Any] = {
        "id": info.code,
        "name": info.name or info.code,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": _LEVEL[info.severity or severity]},
    }
    page = info.doc or short
    descriptor["help"] = {"text": page, "markdown": page}
    if help_uri:
        descriptor["helpUri"] = help_uri.format(code=info.code, name=info.name)
    descriptor["properties"] = {"tags": ["leadspec"]}
    return descriptor


def fingerprint(diag: Diagnostic) -> str:
    """A hash of what a finding is, not where: GitHub matches alerts across runs with it."""
    import hashlib

    file = diag.span.file if diag.span is not None else ""
    data = "\0".join((diag.code, file.replace("\\", "/"), diag.message))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _message(diag: Diagnostic) -> str:
    return "\n".join([diag.message, *details(diag)])


def document(
    report: Report,
    *,
    tool_version: str | None = None,
    help_uri: str | None = None,
    srcroot: str | None = None,
) -> dict[str, Any]:
    """The SARIF log as plain data.

    `help_uri` is a template such as `https://example.org/rules/{code}/`; `srcroot`
    (an absolute `file:` URI ending in `/`) tells viewers where %SRCROOT% is.
    """
    diagnostics = report.sorted()
    codes = sorted({diag.code for diag in diagnostics})
    first_severity: dict[str, Severity] = {}
    for diag in diagnostics:
        first_severity.setdefault(diag.code, diag.severity)
    rules = [_descriptor(rule_info(code), first_severity[code], help_uri) for code in codes]
    index = {code: i for i, code in enumerate(codes)}

    seen: Counter[str] = Counter()
    results = []
    notifications = []
    for diag in diagnostics:
        if diag.span is None:
            notifications.append(
                {
                    "level": _LEVEL[diag.severity],
                    "message": {"text": _message(diag)},
                    "associatedRule": {"id": diag.code, "index": index[diag.code]},
                }
            )
            continue
        result: dict[str, Any] = {
            "ruleId": diag.code,
            "ruleIndex": index[diag.code],
            "level": _LEVEL[diag.severity],
            "message": {"text": _message(diag)},
            "locations": [{"physicalLocation": _physical(diag.span, report.sources)}],
        }
        if diag.related:
            result["relatedLocations"] = [
                {
                    "id": n,
                    "physicalLocation": _physical(rel.span, report.sources),
                    "message": {"text": rel.message},
                }
                for n, rel in enumerate(diag.related, start=1)
            ]
        # Identical findings in one file are told apart by their order, as GitHub does.
        key = fingerprint(diag)
        seen[key] += 1
        result["partialFingerprints"] = {FINGERPRINT_KEY: f"{key}:{seen[key]}"}
        if diag.witness is not None:
            result["properties"] = {"exampleLead": json_value(dict(diag.witness))}
        if diag.fix is not None:
            result["fixes"] = [_fix(diag.fix, report.sources)]
        results.append(result)

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "leadspec",
                "version": tool_version or leadspec.__version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        # The tool ran to the end: findings, even errors, are its output, not its failure.
        "invocations": [
            {
                "executionSuccessful": True,
                **({"toolExecutionNotifications": notifications} if notifications else {}),
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if srcroot:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": srcroot if srcroot.endswith("/") else srcroot + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(
    report: Report,
    *,
    tool_version: str | None = None,
    help_uri: str | None = None,
    srcroot: str | None = None,
    **_: Any,
) -> str:
    return dumps(document(report, tool_version=tool_version, help_uri=help_uri, srcroot=srcroot))
