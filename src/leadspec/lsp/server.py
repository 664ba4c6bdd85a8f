"""The wiring: protocol messages in, feature modules called, results out.

Findings are refreshed for the whole project of a changed file once typing has
paused for `DEBOUNCE` seconds. Every change bumps a generation counter, and a
check's result is published only if no change came while it ran, so the editor
never shows findings for text that is no longer there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sys
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from leadspec import __version__
from leadspec.lsp import findings
from leadspec.lsp.workspace import Checked, Project, ProjectError, check, project_for

DEBOUNCE = 0.15  # seconds of quiet after the last keystroke before the definitions are checked


class LeadspecServer(LanguageServer):
    """A pygls server that keeps the last check of each project and who was told what."""

    def __init__(self) -> None:
        super().__init__(
            "leadspec", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.generation = 0
        self.pending: asyncio.Task[None] | None = None
        # One check at a time, off the event loop, so completion and hover answer meanwhile.
        self.checker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="check")
        self.checked: dict[Project, Checked] = {}
        self.shown: dict[Project, set[str]] = {}  # uris that have findings on screen
        self.told: set[str] = set()  # configuration problems already shown to the user

    # --- what is open --------------------------------------------------------------------

    def open_texts(self) -> dict[Path, str]:
        return {
            Path(path): document.source
            for uri, document in self.workspace.text_documents.items()
            if (path := to_fs_path(uri)) is not None
        }

    def project_of(self, uri: str) -> Project | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        try:
            project = project_for(Path(path))
        except ProjectError as error:
            if str(error) not in self.told:
                self.told.add(str(error))
                self.window_show_message(
                    types.ShowMessageParams(types.MessageType.Error, f"leadspec: {error}")
                )
            return None
        if project.paths == (Path(path),) and not _says_leadspec(
            self.workspace.get_text_document(uri).source
        ):
            return None  # a YAML file outside the definitions that is no leadspec file (a CI workflow)
        return project

    def last_check(self, uri: str) -> Checked | None:
        project = self.project_of(uri)
        return None if project is None else self.checked.get(project)

    # --- findings as you type --------------------------------------------------------------

    def changed(self) -> None:
        """Something changed: check again once typing pauses; any check under way is now stale."""
        self.generation += 1
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.get_running_loop().create_task(self.refresh(self.generation))

    async def refresh(self, generation: int) -> None:
        await asyncio.sleep(DEBOUNCE)
        try:
            await self._refresh(generation)
        except Exception:  # noqa: BLE001 - a bug in leadspec: to the editor's log, and keep serving
            self.window_log_message(
                types.LogMessageParams(
                    types.MessageType.Error, f"leadspec: internal error\n{traceback.format_exc()}"
                )
            )

    async def _refresh(self, generation: int) -> None:
        projects = {
            project for uri in list(self.workspace.text_documents) if (project := self.project_of(uri))
        }
        overlay = self.open_texts()
        loop = asyncio.get_running_loop()
        for project in projects:
            done = await loop.run_in_executor(self.checker, check, project, overlay)
            self.checked[project] = done
            if generation != self.generation:
                return  # the text changed while it ran: a newer check will publish
            self.publish(project, done)

    def publish(self, project: Project, done: Checked) -> None:
        encoding = str(self.workspace.position_encoding)
        before = self.shown.get(project, set())
        now: set[str] = set()
        for path, found in findings.by_file(done, encoding).items():
            uri = path.absolute().as_uri()
            document = self.workspace.text_documents.get(uri)
            if found:
                now.add(uri)
            elif uri not in before:
                continue  # nothing shown there, nothing to clear
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=found, version=document.version if document else None
                )
            )
        for uri in before - now - {path.absolute().as_uri() for path in done.files.values()}:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.shown[project] = now


def _says_leadspec(text: str) -> bool:
    return any(line.startswith("leadspec:") for line in text.splitlines()[:50])


server = LeadspecServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LeadspecServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.changed()


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LeadspecServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.changed()


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LeadspecServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.changed()


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LeadspecServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.changed()  # the file on disk stands in for the closed buffer again


def serve() -> None:
    """Run over stdin and stdout until the editor says goodbye.

    The protocol gets its own copies of the two streams; anything else printed goes
    to standard error, so a stray line can never corrupt a message.
    """
    stdin = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    server.start_io(stdin, stdout)
