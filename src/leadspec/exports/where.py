"""Exact places inside a definitions file for findings about the CRM parts of the model.

The model keeps the span of each attribute's value, not of every nested key nor of every
character. A finding that needs more (the `field:` inside `crm: {salesforce: ...}`, or the
column of a control character inside a quoted label) re-reads that one file and asks the
loader's position map. This runs only when there is a finding, so a clean check pays nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from leadspec.diagnostics import Span
from leadspec.source import Document, load_text


@lru_cache(maxsize=16)
def _document(file: str, stamp: float) -> Document | None:
    try:
        text = Path(file).read_bytes().decode("utf-8").lstrip("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None
    document, _problems = load_text(text, file)
    return document


def _load(file: str) -> Document | None:
    try:
        stamp = Path(file).stat().st_mtime
    except OSError:
        return None
    return _document(file, stamp)


def _path_of(document: Document, span: Span) -> tuple[Any, ...] | None:
    """The data path of the value written at `span` (matched by where it starts)."""
    target = (span.line, span.column)
    stack: list[tuple[tuple[Any, ...], Any]] = [((), document.data)]
    while stack:
        path, value = stack.pop()
        if path:
            found = document.span(path)
            if (found.line, found.column) == target:
                return path
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
    return None


def inner(span: Span | None, *keys: str) -> Span | None:
    """The span of `keys` below the value written at `span`, or `span` when that fails."""
    if span is None or not keys:
        return span
    document = _load(span.file)
    if document is None:
        return span
    path = _path_of(document, span)
    if path is None:
        return span
    node: Any = document.data
    for part in path:
        node = node[part]
    full = path
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            break
        node = node[key]
        full = (*full, key)
    return document.span(full) if full != path else span


def character(span: Span | None, index: int) -> Span | None:
    """The place of character `index` of the text value written at `span`."""
    if span is None:
        return None
    document = _load(span.file)
    if document is None:
        return span
    path = _path_of(document, span)
    if path is None:
        return span
    offsets = document.scalar_offsets(path)
    if 0 <= index < len(offsets):
        line, column = offsets[index]
        return Span(span.file, line, column, line, column + 1)
    return span
