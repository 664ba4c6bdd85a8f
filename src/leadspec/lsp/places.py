"""Where each id is defined and named, read from the files as written.

Ids are found by where they stand in a file's data, one table row per kind of
place (a team's id is a key under `teams:`, an exit's `to` names a stage), and
inside criteria by the expression tokenizer. A new kind of id (named conditions,
say) is one more row here; the features (go to definition, references, hover,
completion) work from these tables and need no change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from leadspec.expr.ast import And, Compare, Expr, Member, Not, Or
from leadspec.expr.parser import ExprSyntaxError, parse, tokenize
from leadspec.lsp.positions import Positions
from leadspec.source import DataPath, Document
from leadspec.structs import struct

ANY = "*"  # any key or list index at this step of a path
KEY = "<key>"  # the key at this step is the id (the last step of a pattern)

Pattern = tuple[str, ...]

# Where ids are defined: (pattern, kind). The id is the key for KEY, else the value.
DEFINED: tuple[tuple[Pattern, str], ...] = (
    (("teams", KEY), "team"),
    (("calendars", KEY), "calendar"),
    (("fields", KEY), "field"),
    (("picklists", KEY), "picklist"),
    (("terms", KEY), "term"),
    (("conditions", KEY), "condition"),
    (("stages", ANY, "id"), "stage"),
)

_SLA: tuple[tuple[Pattern, tuple[str, ...]], ...] = (
    (("sla", "owner"), ("team",)),
    (("sla", "calendar"), ("calendar",)),
    (("sla", "escalate", "to"), ("team",)),
)
_SEE_ALSO = ("stage", "term", "picklist")  # what a see_also link may name
_LEAD_KEYS: tuple[tuple[Pattern, tuple[str, ...]], ...] = ((("examples", ANY, "lead", KEY), ("field",)),)

# Where ids are named: (pattern, the kinds the id may be, first that is defined wins).
NAMED: tuple[tuple[Pattern, tuple[str, ...]], ...] = (
    (("stages", ANY, "owner"), ("team",)),
    (("stages", ANY, "replaced_by"), ("stage",)),
    (("stages", ANY, "see_also", ANY), _SEE_ALSO),
    *((("stages", ANY, *tail), kinds) for tail, kinds in _SLA + _LEAD_KEYS),
    (("stages", ANY, "exits", ANY, "to"), ("stage",)),
    (("stages", ANY, "exits", ANY, "reason"), ("picklist",)),
    (("stages", ANY, "exits", ANY, "set", KEY), ("field",)),
    *((("stages", ANY, "exits", ANY, *tail), kinds) for tail, kinds in _SLA + _LEAD_KEYS),
    (("picklists", ANY, "values", ANY, "then"), ("stage",)),
    (("terms", ANY, "replaced_by"), ("term",)),
    (("terms", ANY, "see_also", ANY), _SEE_ALSO),
    (("targets", "capacity", KEY), ("team",)),
    (("targets", "capacity", ANY, "stage"), ("stage",)),
    (("waivers", ANY, "code"), ("code",)),  # matched at the end of any path (`ends_with`)
)

# Criteria, and what a bare name in one may be.
CRITERIA: tuple[Pattern, ...] = (
    ("stages", ANY, "entry"),
    ("stages", ANY, "exits", ANY, "when"),
    ("lifecycle", "scope"),
    ("conditions", ANY, "when"),
)
CRITERION_NAMES: tuple[str, ...] = ("field", "condition")

# The entries a waiver can be attached to (its finding must lie inside the entry).
ENTRIES: tuple[Pattern, ...] = tuple(pattern[:-1] for pattern, _ in DEFINED if pattern[-1] == "id") + tuple(
    pattern[:-1] + (ANY,) for pattern, _ in DEFINED if pattern[-1] == KEY
)

VALUE = "value"  # an enum value in a criterion: `ident` is "field.value"


@struct
class Place:
    """An id written at `start`..`end` (character indices) of one file."""

    kinds: tuple[str, ...]
    ident: str
    start: int
    end: int
    defines: bool = False


def matches(pattern: Pattern, path: DataPath) -> bool:
    if len(pattern) != len(path):
        return False
    return all(step in (ANY, KEY) or step == part for step, part in zip(pattern, path, strict=True))


def ends_with(pattern: Pattern, path: DataPath) -> bool:
    return len(path) >= len(pattern) and matches(pattern, path[len(path) - len(pattern) :])


def named_kinds(path: DataPath) -> tuple[tuple[str, ...], bool] | None:
    """The kinds of id the value (or, second True, the key) at `path` names, if it names one."""
    for pattern, kinds in NAMED:
        if matches(pattern, path) or (pattern[0] == "waivers" and ends_with(pattern, path)):
            return kinds, pattern[-1] == KEY
    return None


def is_criterion(path: DataPath) -> bool:
    return any(matches(pattern, path) for pattern in CRITERIA)


def walk(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every value of a file's data with its path, parents first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))


def places(document: Document) -> tuple[Place, ...]:
    """Every id defined or named in one file, words inside criteria included (cached per Document)."""
    return _places(_Held(document))


class _Held:
    """A Document hashed by identity, for the cache."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def __hash__(self) -> int:
        return id(self.document)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Held) and other.document is self.document


@lru_cache(maxsize=64)
def _places(held: _Held) -> tuple[Place, ...]:
    document = held.document
    positions = Positions(document.text)
    found: list[Place] = []

    def at(span_line: int, span_column: int, length: int) -> tuple[int, int]:
        start = positions.index_of(span_line, span_column)
        return start, start + length

    for path, value in walk(document.data):
        if not path:
            continue
        key = path[-1]
        for pattern, kind in DEFINED:
            if matches(pattern, path):
                if pattern[-1] == KEY and isinstance(key, str):
                    span = document.key_span(path)
                    found.append(Place((kind,), key, *at(span.line, span.column, len(key)), defines=True))
                elif pattern[-1] != KEY and isinstance(value, str):
                    found.append(_scalar(document, positions, path, value, (kind,), defines=True))
        named = named_kinds(path)
        if named is not None:
            kinds, by_key = named
            if by_key and isinstance(key, str):
                span = document.key_span(path)
                found.append(Place(kinds, key, *at(span.line, span.column, len(key))))
            elif not by_key and isinstance(value, str):
                found.append(_scalar(document, positions, path, value, kinds))
        if is_criterion(path) and isinstance(value, str):
            found.extend(_criterion_places(document, positions, path, value))
    return tuple(found)


def _scalar(
    document: Document,
    positions: Positions,
    path: DataPath,
    value: str,
    kinds: tuple[str, ...],
    defines: bool = False,
) -> Place:
    offsets = document.scalar_offsets(path)
    if offsets:
        start = positions.index_of(*offsets[0])
        end = positions.index_of(*offsets[-1]) + 1
    else:
        span = document.span(path)
        start = positions.index_of(span.line, span.column)
        end = start + len(value)
    return Place(kinds, value, start, end, defines)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def criterion_words(text: str) -> list[tuple[str, int, int, str | None]]:
    """The names and quoted values of a criterion: (text, start, end, field of a value or None).

    Read by the expression tokenizer; text it cannot read still yields its names,
    so a half-typed criterion can be navigated.
    """
    try:
        tokens = tokenize(text)
    except ExprSyntaxError:
        return [
            (m.group(), m.start(), m.end(), None)
            for m in _NAME.finditer(text)
            if not _quoted(text, m.start())
        ]
    fields = _value_fields(text)
    words: list[tuple[str, int, int, str | None]] = []
    for token in tokens:
        if token.kind == "name":
            words.append((token.text, token.start, token.end, None))
        elif token.kind == "str" and token.start in fields:
            words.append((str(token.value), token.start, token.end, fields[token.start]))
    return words


def _quoted(text: str, index: int) -> bool:
    return (text[:index].count('"') % 2 == 1) or (text[:index].count("'") % 2 == 1)


def _value_fields(text: str) -> dict[int, str]:
    """Where each literal compared with a field starts -> that field."""
    try:
        tree = parse(text)
    except ExprSyntaxError:
        return {}
    out: dict[int, str] = {}
    todo: list[Expr] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, Compare):
            out[node.value.start] = node.field
        elif isinstance(node, Member):
            out.update((value.start, node.field) for value in node.values)
        elif isinstance(node, (And, Or)):
            todo.extend(node.operands)
        elif isinstance(node, Not):
            todo.append(node.operand)
    return out


def _criterion_places(document: Document, positions: Positions, path: DataPath, text: str) -> Iterator[Place]:
    offsets = document.scalar_offsets(path)
    if len(offsets) != len(text):
        return
    for word, start, end, field in criterion_words(text):
        first = positions.index_of(*offsets[start])
        last = positions.index_of(*offsets[end - 1]) + 1
        if field is None:
            yield Place(CRITERION_NAMES, word, first, last)
        else:
            yield Place((VALUE,), f"{field}.{word}", first, last)


# --- across files --------------------------------------------------------------------


def resolve(place: Place, defined: Mapping[tuple[str, str], Any]) -> str:
    """The kind a place names: the first of its kinds with a definition of that id."""
    return next((kind for kind in place.kinds if (kind, place.ident) in defined), place.kinds[0])


def at_index(found: Sequence[Place], index: int) -> Place | None:
    """The place under a cursor at `index` (just after a word counts, as editors ask there)."""
    return next((place for place in found if place.start <= index <= place.end), None)


def definitions(documents: Mapping[str, Document]) -> dict[tuple[str, str], list[tuple[str, Place]]]:
    """(kind, id) -> where it is defined, as (file, place)."""
    out: dict[tuple[str, str], list[tuple[str, Place]]] = {}
    for shown, document in documents.items():
        for place in places(document):
            if place.defines:
                out.setdefault((place.kinds[0], place.ident), []).append((shown, place))
    return out


def references(
    documents: Mapping[str, Document], kind: str, ident: str, declarations: bool = True
) -> list[tuple[str, Place]]:
    """Every place that names (kind, id), in every file, with its definitions when asked."""
    defined = definitions(documents)
    out: list[tuple[str, Place]] = []
    for shown, document in documents.items():
        for place in places(document):
            if place.ident != ident or kind not in place.kinds:
                continue
            if place.defines and not declarations:
                continue
            if place.defines or resolve(place, defined) == kind:
                out.append((shown, place))
    return out
