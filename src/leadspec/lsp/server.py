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
from leadspec.lsp import actions, completion, findings, hover, places
from leadspec.lsp.positions import Positions
from leadspec.lsp.view import View, current
from leadspec.lsp.workspace import Checked, Project, ProjectError, check, key_of, project_for, reload

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
        self.dirty: set[Project] = set()  # projects changed since their findings were published
        self.told: set[str] = set()  # configuration problems already shown to the user

    # --- what is open --------------------------------------------------------------------

    def open_texts(self) -> dict[Path, str]:
        return {
            Path(path): document.source
            for uri, document in self.workspace.text_documents.items()
            if (path := to_fs_path(uri)) is not None
        }

    def uri_of(self, path: Path) -> str:
        """The uri the editor knows a file by when it is open (a link, another spelling), else its own."""
        wanted = key_of(path)
        for uri in self.workspace.text_documents:
            opened = to_fs_path(uri)
            if opened is not None and key_of(Path(opened)) == wanted:
                return uri
        return path.absolute().as_uri()

    def project_of(self, uri: str) -> Project | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        try:
            project = project_for(Path(path))
        except ProjectError as error:
            self.tell(error)
            return None
        if project.paths == (Path(path),) and not _says_leadspec(
            self.workspace.get_text_document(uri).source
        ):
            return None  # a YAML file outside the definitions that is no leadspec file (a CI workflow)
        return project

    def tell(self, error: ProjectError) -> None:
        """Show a problem with the project's configuration or paths, once, as `leadspec check` would say it."""
        if str(error) not in self.told:
            self.told.add(str(error))
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"leadspec: {error}"))

    # --- findings as you type --------------------------------------------------------------

    def changed(self, uri: str) -> None:
        """`uri` changed: check its project once typing pauses; any check under way is now stale."""
        project = self.project_of(uri)
        if project is not None:
            self.dirty.add(project)
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
        overlay = self.open_texts()
        loop = asyncio.get_running_loop()
        for stale in list(self.dirty):
            try:
                project = reload(stale)  # with its configuration as it is now
                done = await loop.run_in_executor(self.checker, check, project, overlay)
            except ProjectError as error:
                self.dirty.discard(stale)
                self.tell(error)
                continue
            self.checked.pop(stale, None)  # an equal key would keep the old configuration
            self.checked[project] = done
            if generation != self.generation:
                return  # the text changed while it ran: the newer check publishes (it is still dirty)
            self.dirty.discard(stale)
            self.publish(project, done)

    def publish(self, project: Project, done: Checked) -> None:
        encoding = self.encoding
        before = self.shown.get(project, set())
        now: set[str] = set()
        for path, found in findings.by_file(done, encoding).items():
            uri = self.uri_of(path)
            document = self.workspace.text_documents.get(uri)
            if found:
                now.add(uri)
            elif uri not in before and document is None:
                continue  # a closed file with nothing shown: nothing to clear
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=found, version=document.version if document else None
                )
            )
        for uri in before - now - {self.uri_of(path) for path in done.files.values()}:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.shown[project] = now

    # --- what the features look at ---------------------------------------------------------

    def view_of(self, uri: str) -> tuple[View, str, str, Positions] | None:
        """The view of `uri`'s project, the file as shown there, its current text and its positions."""
        project = self.project_of(uri)
        path = to_fs_path(uri)
        if project is None or path is None:
            return None
        checked = self.checked.get(project)
        if checked is None:  # asked before the first check finished: check now
            try:
                checked = self.checked[project] = check(project, self.open_texts())
            except ProjectError as error:
                self.tell(error)
                return None
        view = current(checked, self.open_texts())
        shown = view.display(Path(path))
        if shown is None:
            return None
        text = self.workspace.get_text_document(uri).source
        return view, shown, text, Positions(text, self.encoding)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding)

    def location(self, view: View, shown: str, place: places.Place) -> types.Location:
        positions = Positions(view.documents[shown].text, self.encoding)
        return types.Location(
            uri=self.uri_of(view.path(shown)),
            range=types.Range(start=positions.position(place.start), end=positions.position(place.end)),
        )

    def named_at(self, uri: str, position: types.Position) -> tuple[View, str, str] | None:
        """The view, and the (kind, id) named at a position, if an id is written there."""
        found = self.view_of(uri)
        if found is None:
            return None
        view, shown, _text, positions = found
        document = view.documents.get(shown)
        if document is None:
            return None
        place = places.at_index(places.places(document), positions.index(position))
        if place is None:
            return None
        return view, places.resolve(place, places.definitions(view.documents)), place.ident


def _says_leadspec(text: str) -> bool:
    return any(line.startswith("leadspec:") for line in text.splitlines()[:50])


server = LeadspecServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LeadspecServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LeadspecServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LeadspecServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LeadspecServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)  # the file on disk stands in for the closed buffer again


@server.feature(types.INITIALIZED)
def on_initialized(ls: LeadspecServer, params: types.InitializedParams) -> None:
    """Ask to hear of definitions and configuration changed on disk (a `git checkout`, another tool)."""
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if not (watched and watched.dynamic_registration):
        return
    ls.client_register_capability(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="leadspec-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[
                            types.FileSystemWatcher(glob_pattern=pattern)
                            for pattern in ("**/*.yaml", "**/*.yml", "**/pyproject.toml", "**/CODEOWNERS")
                        ]
                    ),
                )
            ]
        )
    )


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def on_files_changed(ls: LeadspecServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Files changed on disk: every project checked so far may read them (they are few), so check them all."""
    ls.dirty.update(ls.checked)
    for change in params.changes:
        ls.changed(change.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: LeadspecServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.view_of(params.text_document.uri)
    if found is None:
        return None
    view, shown, _text, positions = found
    text = hover.hover(view, shown, positions.index(params.position))
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', "'"]))
def on_completion(ls: LeadspecServer, params: types.CompletionParams) -> types.CompletionList | None:
    found = ls.view_of(params.text_document.uri)
    if found is None:
        return None
    view, shown, text, positions = found
    items = completion.complete(view, shown, text, positions.index(params.position))
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def on_definition(ls: LeadspecServer, params: types.DefinitionParams) -> list[types.Location] | None:
    named = ls.named_at(params.text_document.uri, params.position)
    if named is None:
        return None
    view, kind, ident = named
    if kind == places.VALUE:  # a value in a criterion: its field, where the values are listed
        kind, ident = "field", ident.partition(".")[0]
    defined = places.definitions(view.documents).get((kind, ident), [])
    return [ls.location(view, shown, place) for shown, place in defined] or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def on_references(ls: LeadspecServer, params: types.ReferenceParams) -> list[types.Location] | None:
    named = ls.named_at(params.text_document.uri, params.position)
    if named is None:
        return None
    view, kind, ident = named
    found = places.references(view.documents, kind, ident, params.context.include_declaration)
    return [ls.location(view, shown, place) for shown, place in found]


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def on_code_action(ls: LeadspecServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    found = ls.view_of(uri)
    if found is None:
        return None
    view, shown, text, _positions = found
    document = view.documents.get(shown)
    return [
        action
        for diagnostic in params.context.diagnostics
        if diagnostic.source == findings.SOURCE
        for action in actions.fixes(uri, text, document, diagnostic, ls.encoding)
    ]


def serve() -> None:
    """Run over stdin and stdout until the editor says goodbye.

    The protocol gets its own copies of the two streams; anything else printed goes
    to standard error, so a stray line can never corrupt a message.
    """
    stdin = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    server.start_io(stdin, stdout)
