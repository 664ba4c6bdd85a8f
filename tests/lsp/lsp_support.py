"""Helpers for driving `leadspec lsp` with a real LSP client (pytest-lsp) as an editor would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

# A small lifecycle that checks clean, in two files (stages name the fields and teams of
# shared.yaml), so the tests see only what their own edits cause.
SHARED = """\
leadspec: 1

lifecycle:
  policy: first_match

teams:
  marketing:
    label: Marketing
    codeowners: ["@acme/marketing"]
  sdr:
    label: Sales development
    codeowners: ["@acme/sdr"]

calendars:
  office:
    label: Office hours
    timezone: Europe/Dublin
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "09:00", end: "17:00"}

fields:
  lead_score:
    label: Lead score
    type: integer
    min: 0
    max: 100
    description: Engagement score from marketing automation.
  sdr_status:
    label: SDR status
    type: enum
    values: [new, accepted, rejected]
    value_labels: {new: New, accepted: Accepted, rejected: Rejected}

picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: not_now, label: Not now, then: nurture}
"""

STAGES = """\
leadspec: 1

stages:
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    terminal: true
    definition: A sales development rep has accepted the lead.
    entry: sdr_status == "accepted"
  - id: nurture
    label: Nurture
    owner: marketing
    terminal: true
    definition: Not ready yet.
    entry: sdr_status == "rejected"
  - id: mql
    label: Marketing Qualified Lead
    abbr: MQL
    owner: marketing
    definition: A lead engaged enough for a sales development rep to call.
    entry: sdr_status != "new" or lead_score >= 50
    exits:
      - to: sal
        when: sdr_status == "accepted"
        sla: {within: 1 business day, owner: sdr, calendar: office}
      - to: nurture
        when: sdr_status == "rejected"
        reason: rejection_reason
        sla: {within: 1 business day, owner: sdr, calendar: office}
  - id: lead
    label: Lead
    owner: marketing
    start: true
    definition: Anyone who gave us their details.
    entry: sdr_status == "new"
    exits:
      - to: mql
        when: lead_score >= 50
"""


def write_project(root: Path) -> Path:
    """The two files under root/definitions with a pyproject.toml that names them; the root."""
    (root / "definitions").mkdir()
    (root / "definitions" / "shared.yaml").write_text(SHARED, encoding="utf-8")
    (root / "definitions" / "stages.yaml").write_text(STAGES, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["definitions"]\n', encoding="utf-8")
    return root


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    """Open `path` in the client (with `text`, or what is on disk); its uri."""
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="yaml",
                version=1,
                text=text if text is not None else path.read_text(encoding="utf-8"),
            )
        )
    )
    return uri


def replace(
    client: LanguageClient, uri: str, version: int, line: int, start: int, end: int, text: str
) -> None:
    """Type over characters `start`..`end` of 0-based `line`, as an editor sends a keystroke."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=start),
                        end=types.Position(line=line, character=end),
                    ),
                    text=text,
                )
            ],
        )
    )


async def diagnostics_until(
    client: LanguageClient,
    uri: str,
    wanted: Callable[[Sequence[types.Diagnostic]], bool],
    timeout: float = 20.0,
) -> Sequence[types.Diagnostic]:
    """The diagnostics of `uri` once they satisfy `wanted` (fails after `timeout` seconds)."""

    async def wait() -> Sequence[types.Diagnostic]:
        while uri not in client.diagnostics or not wanted(client.diagnostics[uri]):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return await asyncio.wait_for(wait(), timeout)


async def first_finding(client: LanguageClient, uri: str, code: str) -> types.Diagnostic:
    """The first finding with `code` the server publishes for `uri` (fails after 20 seconds)."""
    found = await diagnostics_until(client, uri, lambda found: any(item.code == code for item in found))
    return next(item for item in found if item.code == code)


def line_of(path: Path, needle: str) -> tuple[int, int]:
    """0-based (line, column) of the first occurrence of `needle` in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if needle in line:
            return number, line.index(needle)
    raise AssertionError(f"{needle!r} is not in {path}")


def misspell_a_field(client: LanguageClient, project: Path) -> tuple[str, int, int]:
    """Open stages.yaml and type `lead_scor` over a criterion's `lead_score`, unsaved: uri, line, column."""
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    line, column = line_of(path, "when: lead_score >= 50")
    column += len("when: ")
    replace(client, uri, 2, line, column, column + len("lead_score"), "lead_scor")
    return uri, line, column


class Buffer:
    """An open file as the editor holds it: its text, changed by typing and by accepted fixes."""

    def __init__(self, client: LanguageClient, path: Path) -> None:
        self.client = client
        self.text = path.read_text(encoding="utf-8")
        self.version = 1
        self.uri = open_file(client, path, self.text)

    def edit(self, where: types.Range, new: str) -> None:
        """Replace `where` (ASCII text: characters are UTF-16 units) with `new`, and tell the server."""
        lines = self.text.split("\n")
        start = sum(len(line) + 1 for line in lines[: where.start.line]) + where.start.character
        end = sum(len(line) + 1 for line in lines[: where.end.line]) + where.end.character
        self.text = self.text[:start] + new + self.text[end:]
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                content_changes=[types.TextDocumentContentChangePartial(range=where, text=new)],
            )
        )

    def type(self, line: int, start: int, end: int, new: str) -> None:
        self.edit(
            types.Range(
                start=types.Position(line=line, character=start), end=types.Position(line=line, character=end)
            ),
            new,
        )

    def accept(self, action: types.CodeAction) -> None:
        """Apply a quick fix's edits, last first, as an editor applies a WorkspaceEdit."""
        assert action.edit is not None and action.edit.changes is not None
        edits = sorted(
            action.edit.changes[self.uri], key=lambda e: (e.range.start.line, e.range.start.character)
        )
        for item in reversed(edits):
            self.edit(item.range, item.new_text)

    def line(self, number: int) -> str:
        return self.text.split("\n")[number]
