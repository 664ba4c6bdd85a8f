"""What the editor features look at: the last check's model, and each file as it is now.

Completion and hover answer between checks, so they read the open buffers'
current text (parsed once per version) for places, and the last check for what
the ids mean.
"""

from __future__ import annotations

from pathlib import Path

from leadspec import source
from leadspec.lsp.workspace import Checked, key_of
from leadspec.model import Model
from leadspec.source import Document
from leadspec.structs import struct


@struct(frozen=False)
class View:
    checked: Checked
    documents: dict[str, Document]  # display -> the file as it is now (or as last readable)

    @property
    def model(self) -> Model:
        return self.checked.loaded.model

    def path(self, shown: str) -> Path:
        return self.checked.files[shown]

    def display(self, path: Path) -> str | None:
        return self.checked.display_of(path)


_parsed: dict[str, tuple[str, Document | None]] = {}  # file key -> (text, its Document)


def current(checked: Checked, texts: dict[Path, str]) -> View:
    """The check's files, with each open buffer read as it is now where its text changed since."""
    documents = dict(checked.documents)
    for path, text in texts.items():
        shown = checked.display_of(path)
        if shown is None:
            continue
        known = documents.get(shown)
        if known is not None and known.text == text:
            continue
        key = key_of(path)
        cached = _parsed.get(key)
        if cached is None or cached[0] != text:
            document, _problems = source.load_text(text, shown)
            cached = _parsed[key] = (text, document)
        if cached[1] is not None:
            documents[shown] = cached[1]
    return View(checked, documents)
