"""Completion: ids where the format expects one, field names and values inside criteria.

What is expected where comes from the tables of `places` (the same ones go to
definition reads); inside a criterion, the expression tokenizer reads the text
before the cursor to tell a field from a value of the field being compared.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from leadspec.expr.parser import ExprSyntaxError, Token, tokenize
from leadspec.lsp import places
from leadspec.lsp.positions import Positions
from leadspec.lsp.view import View
from leadspec.model import Model
from leadspec.source import DataPath, Document
from leadspec.structs import struct

Kind = types.CompletionItemKind
_ITEM_KIND = {
    "field": Kind.Field,
    "condition": Kind.Function,
    "stage": Kind.Class,
    "team": Kind.Module,
    "calendar": Kind.Module,
    "picklist": Kind.Enum,
    "term": Kind.Reference,
    "code": Kind.Constant,
}
_CRITERION_KEY = re.compile(r"^\s*(?:-\s+)?(entry|when|scope)\s*:\s*(?:>-?|\|-?)?\s*")
_WORD_TAIL = re.compile(r"[A-Za-z0-9_]*$")
# A mapping of fields to values: an example's `lead:` and an exit's `set:`.
_LEAD_KEY = re.compile(r"^\s*(?:-\s+)?(lead|set)\s*:\s*$")
_HOLDER = {"lead": re.compile(r"^\s*examples\s*:"), "set": re.compile(r"^\s*exits\s*:")}
_KEY_TYPED = re.compile(r"^\s*([A-Za-z0-9_]*)$")
_VALUE_TYPED = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*[\"']?[A-Za-z0-9_.-]*$")
_KEYS_WRITTEN = re.compile(r"(?:^|[{,\n])\s*([A-Za-z_][A-Za-z0-9_]*)\s*:")
_FLOW_LOOK_BACK = 4000  # characters searched back for the `{` of a flow mapping


@struct
class Wanted:
    """What the cursor is in: ids of `kinds`, a criterion with `before` the text before the cursor,
    or a lead's (or an exit's `set:`) field names but those `written`, or the values of field `value_of`."""

    kinds: tuple[str, ...] = ()
    before: str | None = None
    written: frozenset[str] | None = None
    value_of: str | None = None


def complete(view: View, shown: str, text: str, index: int) -> list[types.CompletionItem]:
    """The completions at character `index` of file `shown`, whose text is now `text`."""
    document = view.documents.get(shown)
    positions = Positions(text)
    wanted = _wanted(document, positions, index) if document is not None and document.text == text else None
    if wanted is None:
        wanted = _wanted_on_line(text, index)
    if wanted is None:
        return []
    if wanted.before is not None:
        return _in_criterion(view, wanted.before)
    if wanted.written is not None:
        return [item for item in _ids(view, "field") if item.label not in wanted.written]
    if wanted.value_of is not None:
        return _values(view.model, wanted.value_of, quoted=False, bare_booleans=True)
    return [item for kind in wanted.kinds for item in _ids(view, kind)]


def _wanted(document: Document, positions: Positions, index: int) -> Wanted | None:
    path = _path_at(document, positions, index)
    if path is None:
        return None
    if places.is_criterion(path):
        offsets = document.scalar_offsets(path)
        value = _value(document.data, path)
        if not isinstance(value, str):
            return Wanted(before="")
        typed = sum(1 for place in offsets if positions.index_of(*place) < index)
        return Wanted(before=value[:typed])
    named = places.named_kinds(path)
    if named is not None and not named[1]:
        return Wanted(kinds=named[0])
    return None


def _wanted_on_line(text: str, index: int) -> Wanted | None:
    """For text YAML cannot read yet: a criterion is what follows `entry:`/`when:`/`scope:` on the line,
    and a field name or value is wanted inside a `lead:` or `set:` mapping (`_in_lead`)."""
    start = text.rfind("\n", 0, index) + 1
    line = text[start:index]
    in_lead = _in_lead(text, start, index)
    if in_lead is not None:
        return in_lead
    match = _CRITERION_KEY.match(line)
    if match is None:
        return None
    return Wanted(before=line[match.end() :].lstrip("\"'"))


def _in_lead(text: str, start: int, index: int) -> Wanted | None:
    """A key or a value being typed in a `lead:` or `set:` mapping, flow (`{a: 1, b`) or block style.

    Read from the text, not the YAML: while a key is half typed the file does not parse.
    """
    opened = _open_brace(text, index)
    line_start = text.rfind("\n", 0, opened) + 1 if opened is not None else 0
    if opened is not None and _mapping_of_fields(text, line_start, text[line_start:opened]):
        body = text[opened + 1 : index]
        item = body[body.rfind(",") + 1 :]
        written = frozenset(_KEYS_WRITTEN.findall(body))
    else:  # block style: the line is an entry of the mapping its parent line opens
        line = text[start:index]
        indent = len(line) - len(line.lstrip(" "))
        parent = _parent_line(text, start, indent)
        if parent is None or not _mapping_of_fields(text, *parent):
            return None
        item = line
        written = frozenset(_KEYS_WRITTEN.findall(text[parent[0] + len(parent[1]) : start]))
    key = _KEY_TYPED.match(item)
    if key is not None:
        return Wanted(written=written - {key.group(1)})
    value = _VALUE_TYPED.match(item)
    if value is not None:
        return Wanted(value_of=value.group(1))
    return None


def _mapping_of_fields(text: str, start: int, line: str) -> bool:
    """Whether `line` (starting at `start`) opens an example's `lead:` or an exit's `set:`.

    The key alone could be anything's id (a term called `lead`), so the list it is in must
    be `examples:` or `exits:`: the key's item, then the list, are the lines above it
    indented less.
    """
    key = _LEAD_KEY.match(line)
    if key is None:
        return False
    for _ in range(2):
        indent = len(line) - len(line.lstrip(" "))
        parent = _parent_line(text, start, indent)
        if parent is None:
            return False
        start, line = parent
        if _HOLDER[key.group(1)].match(line):
            return True
    return False


def _open_brace(text: str, index: int) -> int | None:
    """Where the flow mapping the cursor is inside opens (`{`), or None outside one."""
    depth = 0
    for at in range(index - 1, max(-1, index - _FLOW_LOOK_BACK), -1):
        char = text[at]
        if char == "}":
            depth += 1
        elif char == "{":
            if depth == 0:
                return at
            depth -= 1
        elif char in "[]":
            return None
    return None


def _parent_line(text: str, start: int, indent: int) -> tuple[int, str] | None:
    """The nearest line above `start` indented less than `indent` (its start and text), skipping blanks."""
    end = start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(line) - len(line.lstrip(" ")) < indent:
                return begin, line
        end = begin - 1
    return None


def _value(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _path_at(document: Document, positions: Positions, index: int) -> DataPath | None:
    """The path of the innermost value written around `index` (a scalar's end counts)."""
    best: DataPath | None = None
    todo: list[tuple[DataPath, Any]] = [((), document.data)]
    while todo:
        path, data = todo.pop()
        if path:
            span = document.span(path)
            start = positions.index_of(span.line, span.column)
            end = positions.index_of(span.end_line or span.line, span.end_column or span.column)
            if not start <= index <= max(end, start):
                continue
            best = path
        if isinstance(data, dict):
            todo.extend(((*path, key), value) for key, value in data.items())
        elif isinstance(data, list):
            todo.extend(((*path, number), value) for number, value in enumerate(data))
    return best


# --- ids -----------------------------------------------------------------------------


def _ids(view: View, kind: str) -> list[types.CompletionItem]:
    model = view.model
    if kind == "code":
        from leadspec.rules import registry

        return [
            types.CompletionItem(label=module.rule.code, kind=Kind.Constant, detail=module.rule.summary)
            for module in registry
        ]
    labels: dict[str, str] = {}
    if kind == "stage":
        labels = {stage.id: stage.label for stage in model.stages}
    elif kind == "term":
        labels = {term.id: term.term for term in model.terms.values()}
    else:
        table = {
            "team": model.teams,
            "calendar": model.calendars,
            "picklist": model.picklists,
            "field": model.fields,
            "condition": model.conditions,
        }.get(kind, {})
        labels = {ident: entry.label for ident, entry in table.items()}
    return [
        types.CompletionItem(label=ident, kind=_ITEM_KIND.get(kind, Kind.Value), detail=f"{label} ({kind})")
        for ident, label in labels.items()
    ]


# --- inside a criterion --------------------------------------------------------------


def _in_criterion(view: View, before: str) -> list[types.CompletionItem]:
    model = view.model
    quote = _open_quote(before)
    if quote is not None:  # typing a value inside quotes: the compared field's values, bare
        field = _compared_field(_tokens(before[:quote]))
        return _values(model, field, quoted=False)
    tokens = _tokens(before)
    if tokens is None:
        return []
    word = _WORD_TAIL.search(before)
    if word is not None and word.group() and tokens and tokens[-1].kind in ("name", "kw"):
        tokens = tokens[:-1]  # the word being typed
    field = _compared_field(tokens)
    if field is not None:
        return _values(model, field, quoted=True)
    last = tokens[-1] if tokens else None
    if last is None or last.kind == "(" or (last.kind == "kw" and last.text in ("and", "or", "not")):
        return [item for kind in places.CRITERION_NAMES for item in _ids(view, kind)]
    return []


def _tokens(text: str) -> list[Token] | None:
    try:
        return [token for token in tokenize(text) if token.kind != "eof"]
    except ExprSyntaxError:
        return None


def _open_quote(text: str) -> int | None:
    """Where the string the text ends inside starts, or None when it ends outside quotes."""
    opened: int | None = None
    closing = ""
    for offset, char in enumerate(text):
        if opened is None and char in "\"'":
            opened, closing = offset, char
        elif opened is not None and char == closing:
            opened = None
    return opened


def _compared_field(tokens: list[Token] | None) -> str | None:
    """The field whose value comes next: after `field ==`, `field !=` or inside `field in [...`."""
    if not tokens:
        return None
    last = tokens[-1]
    if last.kind == "op" and last.text in ("==", "!=") and len(tokens) >= 2 and tokens[-2].kind == "name":
        return tokens[-2].text
    if last.kind in ("[", ","):
        depth = 0
        for back in range(len(tokens) - 1, -1, -1):
            token = tokens[back]
            if token.kind == "]":
                return None
            if token.kind == "[":
                depth = back
                break
        else:
            return None
        before = tokens[:depth]
        if before and before[-1].kind == "kw" and before[-1].text == "in":
            before = before[:-1]
            if before and before[-1].kind == "kw" and before[-1].text == "not":
                before = before[:-1]
            if before and before[-1].kind == "name":
                return before[-1].text
    return None


def _values(
    model: Model, field_id: str | None, quoted: bool, bare_booleans: bool = False
) -> list[types.CompletionItem]:
    field = model.fields.get(field_id or "")
    if field is None:
        return []
    if field.type == "boolean" and (quoted or bare_booleans):
        return [types.CompletionItem(label=word, kind=Kind.Keyword) for word in ("true", "false")]
    if field.type != "enum":
        return []
    return [
        types.CompletionItem(
            label=f'"{value}"' if quoted else value,
            kind=Kind.EnumMember,
            detail=field.value_labels.get(value, value),
            filter_text=value,
        )
        for value in field.values
    ]
