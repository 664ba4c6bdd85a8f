"""Which definitions an open file belongs to, and their check with the editor's unsaved text.

A stage file names fields and teams defined in another file, so an open file is
checked as `leadspec check` checks it: with the other files of the configured
`paths` of the nearest pyproject.toml, or alone when it is outside them. The open
buffers' text stands in for the files on disk; everything else is `api.load`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path

from leadspec import api, source
from leadspec.api import Loaded, UsageError
from leadspec.config import Config, ConfigError, load_config
from leadspec.diagnostics import Diagnostic
from leadspec.source import Document
from leadspec.structs import field, struct


@struct
class Project:
    """One set of definitions checked together: what it reads, from where, and its configuration."""

    root: Path
    paths: tuple[Path, ...]
    config: Config = field(compare=False)
    anchor: Path | None = field(default=None, compare=False)  # a file it was found from, to find it again


@struct(frozen=False)
class Checked:
    """One check of a project: its result, and each file's text as it was read (display -> ...)."""

    project: Project
    loaded: Loaded
    files: dict[str, Path] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    def display_of(self, path: Path) -> str | None:
        wanted = key_of(path)
        return next((shown for shown, file in self.files.items() if key_of(file) == wanted), None)


class ProjectError(Exception):
    """An open file's project cannot be checked: its configuration or paths are wrong (told to the user)."""


def project_for(path: Path) -> Project:
    """The definitions `path` is checked with, found as `leadspec check` finds them from its folder."""
    try:
        config = load_config(start=path.parent)
    except ConfigError as error:
        raise ProjectError(str(error)) from None
    paths = tuple(_absolute(config.root, raw) for raw in config.paths)  # not from the server's folder
    try:
        configured = api.collect_files(paths, config.root)
    except UsageError:
        configured = []
    if key_of(path) in {key_of(file) for file in configured}:
        return Project(config.root, paths, config, path)
    return Project(config.root, (path,), config, path)


def reload(project: Project) -> Project:
    """The project found again from its file: pyproject.toml may have changed since."""
    return project if project.anchor is None else project_for(project.anchor)


def check(project: Project, overlay: Mapping[Path, str]) -> Checked:
    """`api.load` of the project, reading `overlay`'s text instead of those files on disk.

    Runs from the project's root, as `leadspec check` does, so files are shown (and
    `per-path-ignores` match them) the same way.
    """
    texts = {key_of(path): text for path, text in overlay.items()}
    documents: dict[str, Document] = {}
    with _LOCK:
        before = Path.cwd()
        os.chdir(project.config.root)
        try:
            files = api.collect_files(project.paths, project.config.root)
            loaded = api.load(files, project.config, read=_reader(texts, documents))
            api.baselined(loaded, project.config)  # the editor shows what `leadspec check` reports
        except UsageError as error:  # a configured folder gone since: said as `leadspec check` says it
            raise ProjectError(str(error)) from None
        finally:
            os.chdir(before)
    return Checked(
        project=project,
        loaded=loaded,
        files=dict(zip(loaded.report.files, files, strict=True)),
        documents=documents,
    )


def _absolute(root: Path, raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else root / path


def key_of(path: Path) -> str:
    """A file as a dictionary key: the same file however it was named."""
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


_LOCK = threading.Lock()


# file -> (what it was read from: the buffer's text, or the file's size and time), what reading gave
_read: dict[str, tuple[object, str, tuple[Document | None, list[Diagnostic]]]] = {}


def _reader(texts: Mapping[str, str], documents: dict[str, Document]) -> api.Reader:
    """A reader for `api.load` that takes an open buffer's text for its file, and keeps every Document.

    A file read before and unchanged since (the same buffer text, or the same size and
    time on disk) is not parsed again: a keystroke changes one file, and the check
    re-reads all.
    """

    def read(
        path: Path, display: str | None = None, *, max_bytes: int = 2_000_000
    ) -> tuple[Document | None, list[Diagnostic]]:
        key, shown = key_of(path), display or str(path)
        text = texts.get(key)
        stamp: object = text if text is not None else _stamp(path, max_bytes)
        cached = _read.get(key)
        if stamp is not None and cached is not None and cached[0] == stamp and cached[1] == shown:
            result = cached[2]
        elif text is not None:
            result = source.load_bytes(text.encode("utf-8", "surrogatepass"), shown)
        else:
            result = source.load(path, display, max_bytes=max_bytes)
        if stamp is not None:
            _read[key] = (stamp, shown, result)
        if result[0] is not None:
            documents[result[0].path] = result[0]
        return result[0], list(result[1])

    return read


def _stamp(path: Path, max_bytes: int) -> tuple[int, int, int] | None:
    """A file on disk as it is now (None when it cannot be looked at: read it, and say why)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, max_bytes
