"""A baseline: the findings a project had when it adopted leadspec, so only new ones are reported.

`check --write-baseline FILE` records every finding by code, file and a fingerprint;
with `baseline = "FILE"` in `[tool.leadspec]` a finding that matches an entry is not
reported, and an entry that matches no finding any more is (LS903, like an unused
waiver), so the baseline only ever shrinks. The fingerprint is the code, the file,
the message and the text of the line the finding points at, never the line number:
an edit above a finding (a new field, a longer comment) leaves it baselined. Two
identical findings need two entries.

The file is JSON with one entry per line, so a finding about an entry can point
at its line and a review of the baseline reads one finding per line.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from leadspec.diagnostics import Diagnostic, Report, Span, diagnostic
from leadspec.structs import struct

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that cannot be used: a configuration error (exit code 2)."""


@struct
class Entry:
    code: str
    file: str  # relative to the project root, with `/`
    fingerprint: str
    line: int  # where the entry stands in the baseline file


def project_file(display: str, root: Path) -> str:
    """A finding's file as the baseline names it: relative to the project root, whatever the current folder."""
    try:
        return Path(display).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(display).as_posix()


def fingerprint(found: Diagnostic, report: Report, root: Path) -> tuple[str, str]:
    """(file, fingerprint) of a finding; the file is "" for one about the run as a whole."""
    file = project_file(found.span.file, root) if found.span is not None else ""
    line = (report.source_line(found.span) or "").strip()
    digest = hashlib.sha256("\0".join((found.code, file, found.message, line)).encode()).hexdigest()
    return file, digest[:16]


def render(report: Report, root: Path) -> str:
    """The baseline file for every finding of `report`."""
    lines = []
    for found in sorted(report.diagnostics, key=lambda d: d.sort_key):
        file, digest = fingerprint(found, report, root)
        entry = {"code": found.code, "file": file, "fingerprint": digest, "message": found.message}
        lines.append("    " + json.dumps(entry, ensure_ascii=False))
    findings = "[\n" + ",\n".join(lines) + "\n  ]" if lines else "[]"
    return f'{{\n  "leadspec_baseline": {FORMAT},\n  "findings": {findings}\n}}\n'


def read(path: Path) -> list[Entry]:
    """The entries of a baseline file; BaselineError says what is wrong with it, and where."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: the baseline file does not exist; write it with `leadspec check --write-baseline {path}`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: the baseline file cannot be read: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{path}:{error.lineno}:{error.colno}: the baseline is not valid JSON ({error.msg}); "
            "write it again with `leadspec check --write-baseline`"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("leadspec_baseline") != FORMAT
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(
            f'{path}: not a leadspec baseline (it needs "leadspec_baseline": {FORMAT} and a "findings" list); '
            "write it with `leadspec check --write-baseline`"
        )
    lines = text.splitlines()
    entries = []
    search_from = 0
    for index, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) for key in ("code", "file", "fingerprint")
        ):
            raise BaselineError(
                f"{path}: finding {index + 1} needs a code, a file and a fingerprint; "
                "write the baseline again with `leadspec check --write-baseline`"
            )
        line, search_from = _line_of(lines, item["fingerprint"], search_from)
        entries.append(Entry(item["code"], item["file"], item["fingerprint"], line))
    return entries


def _line_of(lines: Sequence[str], digest: str, start: int) -> tuple[int, int]:
    """The 1-based line that holds an entry's fingerprint, searching on from the previous entry's."""
    for number in range(start, len(lines)):
        if digest in lines[number]:
            return number + 1, number + 1
    return 1, start


def apply(
    found: Iterable[Diagnostic],
    report: Report,
    entries: Sequence[Entry],
    baseline: str,
    root: Path,
    *,
    stale_reported: bool,
    enabled: Callable[[str], bool] = lambda code: True,
) -> list[Diagnostic]:
    """The findings no entry accounts for, and an LS903 for each entry that matches no finding.

    `stale_reported` is False when some definitions file could not be read (an entry's
    finding may live there); `enabled(code)` says whether a code is checked in this run
    at all (an entry for a code switched off matches nothing, and says nothing).
    """
    left = Counter((entry.code, entry.file, entry.fingerprint) for entry in entries)
    kept = []
    for item in found:
        key = (item.code, *fingerprint(item, report, root))
        if left[key] > 0:
            left[key] -= 1
            continue
        kept.append(item)
    if stale_reported:
        for entry in entries:
            key = (entry.code, entry.file, entry.fingerprint)
            if left[key] <= 0 or not enabled(entry.code):
                continue
            left[key] -= 1
            kept.append(
                diagnostic(
                    "LS903",
                    f"this baseline entry for {entry.code} in {entry.file or 'the run'} no longer matches any finding",
                    Span(baseline, entry.line, 1),
                    hint="the finding it recorded is gone: run `leadspec check --write-baseline` "
                    "again to record only what remains",
                )
            )
    return kept
