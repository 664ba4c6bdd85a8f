"""Quick fixes for a finding: the ones `check` already knows, applied as edits.

- the finding's certain fix (a misspelt name with one candidate, a value to quote):
  the preferred action, the very edits `check --fix` makes;
- otherwise "did you mean `x`?" in its hint: replace the word the finding points at
  with `x` (a suggestion the person confirms by choosing it);
- any finding of a model rule: accept it with a waiver on the entry it lies in,
  with a reason for the teams to fill in (a waiver without one is refused).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsprotocol import types

from leadspec.lsp import places
from leadspec.lsp.positions import Positions
from leadspec.source import Document

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
REASON = '"TODO: say why the teams accept this"'  # quoted: a `: ` in a plain value starts a key


def fixes(
    uri: str, text: str, document: Document | None, found: types.Diagnostic, encoding: str
) -> Iterator[types.CodeAction]:
    """The code actions for one of leadspec's diagnostics in the file `uri`, whose text is now `text`."""
    data = found.data if isinstance(found.data, dict) else {}
    code, hint = str(data.get("code") or found.code or ""), data.get("hint") or ""
    positions = Positions(text, encoding)
    start, end = positions.index(found.range.start), positions.index(found.range.end)
    written = text[start:end]
    certain = data.get("fix")
    meant = _DID_YOU_MEAN.search(hint)
    if isinstance(certain, dict) and certain.get("edits"):
        edits = [
            types.TextEdit(range=_range(edit["range"]), new_text=str(edit["new"]))
            for edit in certain["edits"]
        ]
        yield _action(_title(written, edits, str(certain["title"])), uri, found, edits, True)
    elif meant and _WORD.fullmatch(written) and _WORD.fullmatch(meant.group(1)):
        yield _edit(
            f"Replace `{written}` with `{meant.group(1)}`", uri, found, found.range, meant.group(1), False
        )
    if document is not None and document.text == text and _waivable(code, found.severity):
        waiver = _waiver(document, positions, start, code)
        if waiver is not None:
            at, inserted = waiver
            where = types.Range(start=positions.position(at), end=positions.position(at))
            yield _edit(f"Waive {code} here (with a reason to fill in)", uri, found, where, inserted, False)


def _title(written: str, edits: list[types.TextEdit], title: str) -> str:
    """How a certain fix reads in the editor's menu: what it writes over the word."""
    if len(edits) != 1 or not _WORD.fullmatch(written):
        return title[:1].upper() + title[1:]
    new = edits[0].new_text
    return f"Write {new} in quotes" if new == f'"{written}"' else f"Replace `{written}` with `{new}`"


def _edit(
    title: str, uri: str, found: types.Diagnostic, where: types.Range, new: str, preferred: bool
) -> types.CodeAction:
    return _action(title, uri, found, [types.TextEdit(range=where, new_text=new)], preferred)


def _action(
    title: str, uri: str, found: types.Diagnostic, edits: list[types.TextEdit], preferred: bool
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[found],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _range(raw: object) -> types.Range:
    """A range kept in a diagnostic's `data`: an lsprotocol object, or its JSON form after a round trip."""
    if isinstance(raw, types.Range):
        return raw
    assert isinstance(raw, dict)
    start, end = raw["start"], raw["end"]
    return types.Range(
        start=types.Position(line=start["line"], character=start["character"]),
        end=types.Position(line=end["line"], character=end["character"]),
    )


def _waivable(code: str, severity: types.DiagnosticSeverity | None) -> bool:
    """Findings about what the definitions mean (LS3xx-LS8xx), and warnings about how they are written.

    A file that cannot be read, a key the format does not have or a name that does not
    exist (LS0xx-LS2xx errors) is to be fixed, not accepted; nor are the waivers' own findings.
    """
    if re.fullmatch(r"LS[3-8]\d\d", code):
        return True
    return bool(re.fullmatch(r"LS2\d\d", code)) and severity != types.DiagnosticSeverity.Error


def _waiver(document: Document, positions: Positions, index: int, code: str) -> tuple[int, str] | None:
    """Where to insert a waiver for a finding at `index`, and the text: into the entry it lies in."""
    entry = None
    for path, value in places.walk(document.data):
        if not isinstance(value, dict) or not any(
            places.matches(pattern, path) for pattern in places.ENTRIES
        ):
            continue
        span = document.span(path)
        start = positions.index_of(span.line, span.column)
        end = positions.index_of(span.end_line or span.line, span.end_column or span.column)
        if start <= index < end:
            entry = (path, value, span, start, end)
    if entry is None:
        return None
    path, value, span, start, end = entry
    if document.text[start] == "{":  # a flow mapping: no block to add a key to
        return None
    indent = " " * (span.column - 1)
    item = f"- code: {code}\n{indent}    reason: {REASON}"
    waivers = value.get("waivers")
    if isinstance(waivers, list) and waivers:  # one more item after the last
        first = document.span((*path, "waivers", 0))
        before = document.text[
            positions.index_of(first.line, 1) : positions.index_of(first.line, first.column)
        ]
        dash = re.fullmatch(r"( *)- *", before)
        if dash is None:
            return None  # written some other way: leave it to the person
        last = document.span((*path, "waivers", len(waivers) - 1))
        after = _line_end(document.text, positions.index_of(last.end_line or last.line, last.end_column or 1))
        return after, f"\n{dash.group(1)}- code: {code}\n{dash.group(1)}  reason: {REASON}"
    if "waivers" in value:
        return None  # written some other way: leave it to the person
    after = _line_end(document.text, end)
    return after, f"\n{indent}waivers:\n{indent}  {item}"


def _line_end(text: str, index: int) -> int:
    """The end of the last line with text at or before `index` (a block's end may be the next line)."""
    index = min(index, len(text))
    while index > 0 and text[index - 1] in " \t\r\n":
        index -= 1
    newline = text.find("\n", index)
    line_end = len(text) if newline == -1 else newline
    if line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    return line_end
