"""Reading one definitions file: bytes -> text -> plain data that remembers where it was written.

Why not `yaml.safe_load`: it silently keeps the last of two duplicate keys, reads
`NO` (Norway) as false and `010` as 8, expands "billion laughs" aliases until the
machine runs out of memory, builds whatever deep nesting it is given, and forgets
where every value stood. So this module drives PyYAML's event parser (the C one
when it is installed) and composes the data itself, iteratively, resolving plain
scalars with the YAML 1.2 core schema, and turns each of those traps into a
positioned diagnostic (LS001-LS013) instead of a wrong value or a traceback.

The result is a `Document`: the plain data (dicts with text keys, lists, text,
int, Decimal, bool, None; never float, so 0.1 stays 0.1) plus a parallel tree of
positions, so any later phase can turn a data path into a file:line:column, and
a character offset inside an expression into the exact column even when the
expression is quoted, escaped or folded over several lines.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from leadspec.diagnostics import Diagnostic, Related, Span, diagnostic
from leadspec.structs import field, struct

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "DataPath", "Document", "load", "load_bytes", "load_text"]

DataPath = tuple[str | int, ...]

MAX_DEPTH = 64  # nesting levels of lists and mappings; real definitions use fewer than 10
MAX_ALIAS_NODES = 10_000  # values that aliases may add by expansion, in total per file
_MAX_NUMBER_CHARS = 4300  # Python's own limit for turning digits into an int

# The C parser is several times faster; the pure-Python one reads the same language.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BREAKS = "\r\n\x85\u2028\u2029"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SPACE = " \t"
# Characters YAML does not allow anywhere in a file (its "printable" set, inverted).
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CORE_TAG = "tag:yaml.org,2002:"

# --- scalar resolution: YAML 1.2 core schema -------------------------------------------

_CORE_WORDS: dict[str, Any] = {
    "null": None, "Null": None, "NULL": None, "~": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}  # fmt: skip
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_OCT = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_CORE_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

# How YAML 1.1 tools (PyYAML's resolver, many CRM importers) read the same text.
_Y11_INT = re.compile(
    r"[-+]?(?:0b[0-1_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)"
)
_Y11_FLOAT = re.compile(
    r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_Y11_BOOLS = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}
_NUMERIC_START = frozenset("0123456789+-.")
_AMBIGUOUS_START = frozenset("0123456789+-.yYnNoO<")


def _resolve_core(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema.

    Raises ValueError or ArithmeticError for a number Python cannot hold.
    """
    if not text:
        return None
    first = text[0]
    if first not in _NUMERIC_START:
        if first in "nNtTfF~":
            return _CORE_WORDS.get(text, text)
        return text
    if first == "0" and len(text) > 2:
        if _CORE_OCT.fullmatch(text):
            return int(text[2:], 8)
        if _CORE_HEX.fullmatch(text):
            return int(text[2:], 16)
    if _CORE_INT.fullmatch(text):
        if len(text) > _MAX_NUMBER_CHARS:
            raise ValueError("too many digits")
        return int(text)
    if _CORE_FLOAT.fullmatch(text):
        if len(text) > _MAX_NUMBER_CHARS:
            raise ValueError("too many digits")
        return Decimal(text)
    if _CORE_INF.fullmatch(text):
        return Decimal("-Infinity") if first == "-" else Decimal("Infinity")
    if _CORE_NAN.fullmatch(text):
        return Decimal("NaN")
    return text


def _resolve_yaml11(text: str) -> Any:
    """What a YAML 1.1 tool makes of a plain scalar (numbers and yes/no only; the rest is text)."""
    lowered = text.lower()
    if lowered in _Y11_BOOLS:
        return _Y11_BOOLS[lowered]
    if text in _CORE_WORDS:
        return _CORE_WORDS[text]
    if not text or text[0] not in _NUMERIC_START or len(text) > _MAX_NUMBER_CHARS:
        return text
    if _Y11_INT.fullmatch(text):
        digits = text.replace("_", "")
        sign = -1 if digits[0] == "-" else 1
        digits = digits.lstrip("+-")
        if digits == "0":
            return 0
        if digits.startswith("0b"):
            return sign * int(digits[2:], 2)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if digits[0] == "0":
            return sign * int(digits, 8)
        if ":" in digits:
            return sign * _base60(digits.split(":"))
        return sign * int(digits)
    if _Y11_FLOAT.fullmatch(text):
        digits = text.replace("_", "")
        lowered = digits.lower()
        if lowered.endswith(".inf"):
            return Decimal("-Infinity") if digits[0] == "-" else Decimal("Infinity")
        if lowered.endswith(".nan"):
            return Decimal("NaN")
        if ":" in digits:
            sign = -1 if digits[0] == "-" else 1
            parts = digits.lstrip("+-").split(":")
            whole = _base60(parts[:-1]) * 60
            return sign * (Decimal(whole) + Decimal(parts[-1]))
        return Decimal(digits)
    return text


def _base60(parts: list[str]) -> int:
    total = 0
    for part in parts:
        total = total * 60 + int(part)
    return total


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, Decimal)):
        return "number"
    if value is None:
        return "null"
    return "text"


def _same(first: Any, second: Any) -> bool:
    kind = _kind(first)
    if kind != _kind(second):
        return False
    if kind == "number":
        if isinstance(first, Decimal) and isinstance(second, Decimal) and first.is_nan():
            return second.is_nan()
        return bool(first == second)
    return bool(first == second)


def _number(value: int | Decimal) -> str:
    """A number as a person would type it (100000, not 1E+5)."""
    if isinstance(value, Decimal) and value.is_finite():
        plain = format(value, "f")
        return plain if len(plain) <= 40 else str(value)
    return str(value)


def _ambiguity(text: str, value: Any) -> tuple[str, str] | None:
    """(message, hint) when YAML 1.1 tools would read this plain scalar differently.

    Many tools that will read these files (PyYAML, CRM importers, older editors)
    follow YAML 1.1, where `NO` is false and `010` is 8. Rather than guess which
    meaning the author had in mind, leadspec asks them to write it unambiguously.
    """
    if not text or text[0] not in _AMBIGUOUS_START:
        return None
    if text == "<<":
        return (
            '`<<` means "merge the keys of this mapping here" to some YAML tools (YAML 1.1 merge keys) '
            "and is an ordinary key to others",
            "write the keys out in full; leadspec does not merge mappings",
        )
    lowered = text.lower()
    if lowered in _Y11_BOOLS:
        truth = "true" if _Y11_BOOLS[lowered] else "false"
        meaning = "yes" if _Y11_BOOLS[lowered] else "no"
        return (
            f"`{text}` means {truth} to some YAML tools (YAML 1.1, e.g. PyYAML and many CRM importers) "
            f'and the text "{text}" to others',
            f'write "{text}" in quotes if you mean the text, or {truth} if you mean {meaning}',
        )
    if text[0] not in _NUMERIC_START:
        return None
    try:
        other = _resolve_yaml11(text)
    except (ValueError, ArithmeticError):
        return None
    unsigned = text.lstrip("+-")
    leading_zero = (
        isinstance(value, int)
        and not isinstance(value, bool)
        and len(unsigned) > 1
        and unsigned[0] == "0"
        and unsigned.isdigit()
    )
    if _same(value, other) and not leading_zero:
        return None
    quoted = f'write "{text}" in quotes if you mean the text'
    if leading_zero:
        if isinstance(other, int) and other != value:
            message = (
                f"`{text}` starts with a zero: some YAML tools (YAML 1.1) read it as the octal number "
                f"{other}, others as {value}"
            )
        elif isinstance(other, str):
            message = (
                f'`{text}` starts with a zero: it means the text "{text}" to some YAML tools (YAML 1.1) '
                f"and the number {value} to others"
            )
        else:
            message = f"`{text}` starts with a zero, which YAML drops: it is read as the number {value}"
        return message, f"{quoted} (a code, ZIP or id), or {value} if you mean the number"
    if isinstance(value, str) and _kind(other) == "number":
        if ":" in text:
            why = ", which reads it in base 60 like minutes and seconds"
        elif "_" in text:
            why = ", which ignores underscores in numbers"
        elif "0b" in text:
            why = ", which reads 0b as binary"
        else:
            why = ""
        message = (
            f"`{text}` means the number {_number(other)} to some YAML tools (YAML 1.1{why}) "
            f'and the text "{text}" to others'
        )
        if ":" in text:
            return message, f'write "{text}" in quotes (times of day are text)'
        return message, f"{quoted}, or {_number(other)} if you mean the number"
    if _kind(value) == "number" and isinstance(other, str):
        return (
            f'`{text}` means the text "{text}" to some YAML tools (YAML 1.1, e.g. PyYAML) '
            f"and the number {_number(value)} to others",
            f"{quoted}, or {_number(value)} if you mean the number",
        )
    return (
        f"`{text}` is read differently by different YAML tools (YAML 1.1 and 1.2)",
        f"{quoted}, or write the number plainly",
    )


# --- positions -----------------------------------------------------------------------


class _Lines:
    """Where each line starts, counting line breaks exactly as YAML does.

    Built on first use: most files never need it (the parser reports lines and
    columns itself; this is for offsets inside values, block scalars and errors).
    """

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0]
            self._starts.extend(match.end() for match in _BREAK.finditer(self.text))
        return self._starts

    def index(self, line0: int, column0: int) -> int:
        starts = self.starts
        line0 = min(max(line0, 0), len(starts) - 1)
        return starts[line0] + column0

    def position(self, index: int) -> tuple[int, int]:
        """1-based (line, column) of a character index."""
        starts = self.starts
        line0 = bisect.bisect_right(starts, index) - 1
        return line0 + 1, index - starts[line0] + 1

    def line_text(self, text: str, line0: int) -> str:
        starts = self.starts
        start = starts[line0]
        end = starts[line0 + 1] if line0 + 1 < len(starts) else len(text)
        return text[start:end].rstrip(_BREAKS)


_SCALAR, _MAP, _SEQ, _ALIAS = 0, 1, 2, 3


class _Node:
    """Where one value was written, parallel to the plain data."""

    __slots__ = (
        "end",
        "flagged",
        "flow",
        "height",
        "indent",
        "items",
        "keys",
        "kind",
        "props",
        "raw",
        "size",
        "source_end",
        "start",
        "style",
        "target",
        "value",
    )  # fmt: skip

    def __init__(self, kind: int, start: tuple[int, int], end: tuple[int, int]) -> None:
        self.kind = kind
        self.start = start  # 0-based (line, column)
        self.end = end  # 0-based, just past the last character
        self.value: Any = None
        self.items: Any = None  # dict key -> value node, or list of nodes
        self.keys: dict[str, _Node] | None = None  # dict key -> key node
        self.style = ""
        self.raw = ""
        self.props = False  # written with an anchor or tag before the value
        self.flow = False
        self.target: _Node | None = None  # for aliases: the anchored node
        self.size = 1
        self.height = 0
        self.flagged = False  # already has a diagnostic of its own
        self.source_end = end  # a block scalar's end before trimming its trailing line breaks
        self.indent = -1  # for block scalars: the indentation of the enclosing block collection


# --- the document --------------------------------------------------------------------


@struct(frozen=False)
class Document:
    """One definitions file as plain data, with a way back to the file for every value."""

    path: str
    text: str
    data: dict[str, Any]
    _root: _Node | None = field(default=None, repr=False, compare=False)
    _lines: _Lines | None = field(default=None, repr=False, compare=False)

    def span(self, path: DataPath) -> Span:
        """Where the value at `path` was written, or its nearest written ancestor."""
        node, _key, _complete = self._walk(path)
        return self._span(node)

    def spans_in(self, path: DataPath, keys: Iterable[Any]) -> list[Span]:
        """`[span((*path, key)) for key in keys]`, walking down to a mapping at `path` once, not once per key."""
        node, _key, complete = self._walk(path)
        if not complete or node is None or node.kind != _MAP:
            return [self.span((*path, key)) for key in keys]
        items = node.items
        here = _span_of(self.path, node)
        return [
            _span_of(self.path, items[key]) if isinstance(key, str) and key in items else here for key in keys
        ]

    def key_span(self, path: DataPath) -> Span:
        """Where the key of the mapping entry at `path` was written (for unknown-key errors)."""
        _node, key, complete = self._walk(path)
        if complete and key is not None:
            return self._span(key)
        return self.span(path)

    def scalar_offsets(self, path: DataPath) -> tuple[tuple[int, int], ...]:
        """For a text value: the 1-based (line, column) in the file of each of its characters.

        Follows aliases to where the characters really are. Empty for anything but text.
        """
        node, _key, complete = self._walk(path, through_aliases=True)
        if not complete or node is None or self._lines is None:
            return ()
        if node.kind == _ALIAS and node.target is not None:
            node = node.target
        if node.kind != _SCALAR or not isinstance(node.value, str):
            return ()
        indices = _scalar_indices(self.text, self._lines, node)
        position = self._lines.position
        return tuple(position(index) for index in indices)

    def _walk(self, path: DataPath, through_aliases: bool = False) -> tuple[_Node | None, _Node | None, bool]:
        node = self._root
        key: _Node | None = None
        if node is None:
            return None, None, not path
        for part in path:
            if through_aliases and node.kind == _ALIAS and node.target is not None:
                node = node.target
            if node.kind == _MAP and isinstance(part, str) and part in node.items:
                key = node.keys[part]  # type: ignore[index]
                node = node.items[part]
            elif (
                node.kind == _SEQ
                and isinstance(part, int)
                and not isinstance(part, bool)
                and 0 <= part < len(node.items)
            ):
                key = None
                node = node.items[part]
            else:
                return node, None, False
        return node, key, True

    def _span(self, node: _Node | None) -> Span:
        if node is None:
            return Span(self.path, 1, 1)
        return _span_of(self.path, node)


def _span_of(display: str, node: _Node) -> Span:
    return Span(display, node.start[0] + 1, node.start[1] + 1, node.end[0] + 1, node.end[1] + 1)


# --- loading -------------------------------------------------------------------------


def load(
    path: Path, display: str | None = None, *, max_bytes: int = 2_000_000
) -> tuple[Document | None, list[Diagnostic]]:
    """Read one file. The Document is None when the file cannot be used at all.

    Never raises for anything in the file: every problem is a diagnostic.
    """
    shown = display if display is not None else str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return None, [_too_large(shown, size, max_bytes)]
            data = handle.read(max_bytes + 1)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        return None, [
            diagnostic(
                "LS001",
                f"the file cannot be read: {reason}",
                Span(shown, 1, 1),
                hint="check that the file exists and that you may read it",
            )
        ]
    if len(data) > max_bytes:  # it grew, or it is not a regular file
        return None, [_too_large(shown, len(data), max_bytes)]
    return load_bytes(data, shown)


def _too_large(display: str, size: int, limit: int) -> Diagnostic:
    return diagnostic(
        "LS008",
        f"the file is {size:,} bytes, more than the limit of {limit:,} bytes",
        Span(display, 1, 1),
        hint="split it into several files under definitions/, or raise `max-file-size` in [tool.leadspec]",
    )


def load_bytes(data: bytes, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Decode strictly as UTF-8 (a leading byte-order mark is fine), then compose."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            diagnostic(
                "LS002",
                "the file is saved as UTF-16 text; leadspec reads UTF-8",
                Span(display, 1, 1),
                hint="save it again with the encoding UTF-8",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [_not_utf8(data, error, display)]
    return load_text(text, display)


def _not_utf8(data: bytes, error: UnicodeDecodeError, display: str) -> Diagnostic:
    before = data[: error.start].decode("utf-8", errors="replace")
    line, column = _Lines(before).position(len(before))
    byte = data[error.start]
    guess = bytes([byte]).decode("cp1252", errors="replace")
    hint = "save the file with the encoding UTF-8"
    if guess.isprintable() and guess != "\ufffd":
        hint += f" (it looks like Windows-1252 or Latin-1, where this byte is “{guess}”)"
    return diagnostic(
        "LS002",
        f"the file is not valid UTF-8 text: the byte 0x{byte:02X} here cannot be read",
        Span(display, line, column),
        hint=hint,
    )


def load_text(text: str, display: str = "<text>") -> tuple[Document | None, list[Diagnostic]]:
    """Compose decoded text into a Document; `load` without the file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _Lines(text)
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, column = lines.position(bad.start())
        char = bad.group()
        if char == "\0":
            message = "the file contains a NUL (zero) byte, which text files never hold"
            hint = (
                "the file may be damaged or not a text file; if your editor saved it as UTF-16, "
                "save it again as UTF-8"
            )
        else:
            message = f"the file contains the invisible control character U+{ord(char):04X}, which YAML does not allow"
            hint = "delete it (such characters often come with text pasted from another program)"
        return None, [diagnostic("LS002", message, Span(display, line, column), hint=hint)]
    composer = _Composer(text, lines, display)
    root: _Node | None = None
    try:
        root = composer.run()
    except _Fatal:
        root = None
    except yaml.MarkedYAMLError as error:
        composer.diagnostics.append(
            _nesting_before(error, text, lines, display) or _syntax_error(error, text, lines, display)
        )
        root = None
    except yaml.YAMLError as error:  # reader errors carry no line and column
        composer.diagnostics.append(
            diagnostic("LS001", f"the YAML cannot be read: {error}", composer.last_span(), hint=None)
        )
        root = None
    except (RecursionError, MemoryError):
        composer.diagnostics.append(
            diagnostic(
                "LS001",
                "the file is too complex to read",
                composer.last_span(),
                hint="simplify the structure around this place",
            )
        )
        root = None
    except Exception as error:  # a defect in leadspec must still not end in a traceback
        composer.diagnostics.append(
            diagnostic(
                "LS001",
                "leadspec could not read the file from this place on",
                composer.last_span(),
                hint=f"please report this to the leadspec maintainers ({type(error).__name__}: {error})",
            )
        )
        root = None
    diagnostics = composer.diagnostics
    if root is None:
        return None, diagnostics
    if root.kind != _MAP:
        diagnostics.append(_not_a_mapping(root, text, display))
        return None, diagnostics
    document = Document(path=display, text=text, data=root.value, _root=root, _lines=lines)
    usable = _check_version(document, root, diagnostics)
    return (document if usable else None), diagnostics


def _not_a_mapping(root: _Node, text: str, display: str) -> Diagnostic:
    if root.kind == _SCALAR and root.style == "" and root.raw == "" and not root.props:
        return diagnostic(
            "LS009",
            "the file holds no definitions",
            Span(display, 1, 1),
            hint="add `leadspec: 1` and some definitions, or delete the file",
        )
    hint = "start the file with `leadspec: 1` and put the definitions under keys such as `stages:`"
    value = root.value
    if isinstance(value, list):
        what = "a list"
        if value and isinstance(value[0], dict):
            hint = "remove the `- ` in front of the first key and unindent the rest by two spaces"
    else:
        what = "a single value"
    return diagnostic(
        "LS011",
        f"the top level of the file is {what}, but a definitions file must be a set of keys "
        "(`leadspec: 1`, `stages:` ...)",
        _span_of(display, root),
        hint=hint,
    )


def _check_version(document: Document, root: _Node, diagnostics: list[Diagnostic]) -> bool:
    """LS013; False when the file is written for another format version and cannot be read."""
    if "leadspec" not in root.value:
        diagnostics.append(
            diagnostic(
                "LS013",
                "the file does not say which format version it uses (`leadspec: 1` is missing)",
                Span(document.path, 1, 1),
                hint="add `leadspec: 1` as the first line",
            )
        )
        return True
    node = root.items["leadspec"]
    value = node.value
    if type(value) is int and value == 1:
        return True
    if node.flagged:
        return True
    span = _span_of(document.path, node)
    if type(value) is int:
        diagnostics.append(
            diagnostic(
                "LS013",
                f"this file says format version {value}; this leadspec reads version 1",
                span,
                hint="use a leadspec that reads this version, or write the file in version 1",
            )
        )
        return False
    if isinstance(value, str):
        shown = f'the text "{value}"'
    elif isinstance(value, bool):
        shown = f"`{node.raw}` (a yes/no value)"
    elif value is None:
        shown = "empty"
    elif isinstance(value, Decimal):
        shown = f"`{node.raw}`"
    else:
        shown = "a list" if isinstance(value, list) else "a mapping"
    diagnostics.append(
        diagnostic(
            "LS013",
            f"the format version must be the whole number 1, but here it is {shown}",
            span,
            hint="write `leadspec: 1`",
        )
    )
    return True


# --- composing -----------------------------------------------------------------------


def _nesting_before(error: yaml.MarkedYAMLError, text: str, lines: _Lines, display: str) -> Diagnostic | None:
    """LS007 when the data nests past MAX_DEPTH before the place where the parser gave up.

    Parsers read ahead of the events they hand over: on a long run of brackets the
    libyaml in PyYAML 6.0.4's wheels scans to its own nesting limit, and fails there,
    before leadspec has seen the events that pass MAX_DEPTH. The text up to that
    place is composed once more, so the finding is leadspec's own, at the place
    where its limit is passed, whatever limit, wording or read-ahead the parser has.
    """
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    prefix = text[: lines.index(mark.line, mark.column)]
    composer = _Composer(prefix, _Lines(prefix), display)
    try:
        composer.run()
    except (_Fatal, yaml.YAMLError, RecursionError, MemoryError):
        pass  # the prefix stops inside the structure: its own ending is no finding
    return next((found for found in composer.diagnostics if found.code == "LS007"), None)


class _Fatal(Exception):
    """The file cannot be used; the reason is already among the diagnostics."""


_PENDING: Any = object()  # an anchor whose value is still being composed
_MISSING: Any = object()
_WANT_KEY: Any = object()


class _Frame:
    __slots__ = ("anchor", "key", "key_node", "node")

    def __init__(self, node: _Node, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.key: Any = _WANT_KEY
        self.key_node: _Node | None = None


class _Composer:
    """Builds plain data and positions from parser events, without recursion."""

    def __init__(self, text: str, lines: _Lines, display: str) -> None:
        self.text = text
        self.lines = lines
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, Any] = {}
        self.expanded = 0
        self.last: tuple[int, int] = (0, 0)

    def last_span(self) -> Span:
        return Span(self.display, self.last[0] + 1, self.last[1] + 1)

    def _report(
        self, code: str, message: str, node: _Node, hint: str, related: tuple[Related, ...] = ()
    ) -> None:
        self.diagnostics.append(
            diagnostic(code, message, _span_of(self.display, node), hint=hint, related=related)
        )

    def run(self) -> _Node | None:
        """The root node of the only document, or None for a file with no document."""
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        document_start = yaml.DocumentStartEvent
        stack: list[_Frame] = []
        root: _Node | None = None
        documents = 0
        stream_end = yaml.StreamEndEvent
        # Typed loosely: PyYAML's stubs do not know the attributes each event class has.
        parser: Any = _LOADER(self.text)
        event: Any
        try:
            while True:
                event = parser.get_event()
                kind = type(event)
                if kind is stream_end or event is None:
                    break
                mark = event.start_mark
                self.last = (mark.line, mark.column)
                if kind is scalar_event:
                    node = self._scalar(event)
                    if node.style in ("|", ">") and stack:
                        node.indent = _block_indent(stack[-1])
                    if event.anchor is not None:
                        self.anchors[event.anchor] = node
                elif kind is mapping_start or kind is sequence_start:
                    stack.append(self._start(event, kind is mapping_start, len(stack)))
                    continue
                elif kind is mapping_end or kind is sequence_end:
                    frame = stack.pop()
                    node = self._finish(frame.node, event)
                    if frame.anchor is not None:
                        self.anchors[frame.anchor] = node
                elif kind is alias_event:
                    node = self._alias(event, len(stack))
                elif kind is document_start:
                    documents += 1
                    if documents > 1:
                        self.diagnostics.append(
                            diagnostic(
                                "LS010",
                                "a second YAML document starts here; leadspec reads one document per file",
                                Span(self.display, mark.line + 1, mark.column + 1),
                                hint="remove the `---` line, or move what follows into a file of its own",
                            )
                        )
                        raise _Fatal
                    continue
                else:
                    continue
                if stack:
                    self._attach(stack[-1], node)
                else:
                    root = node
        finally:
            parser.dispose()
        if documents == 0:
            self.diagnostics.append(
                diagnostic(
                    "LS009",
                    "the file is empty"
                    if not self.text.strip()
                    else "the file holds only comments, no definitions",
                    Span(self.display, 1, 1),
                    hint="add `leadspec: 1` and some definitions, or delete the file",
                )
            )
            raise _Fatal
        return root

    # nodes

    def _node(self, kind: int, event: Any) -> _Node:
        start, end = event.start_mark, event.end_mark
        return _Node(kind, (start.line, start.column), (end.line, end.column))

    def _start(self, event: Any, mapping: bool, depth: int) -> _Frame:
        node = self._node(_MAP if mapping else _SEQ, event)
        if depth >= MAX_DEPTH:
            self._report(
                "LS007",
                f"the data is nested more than {MAX_DEPTH} levels deep here",
                node,
                "definitions never need this much nesting; look for runaway indentation or brackets",
            )
            raise _Fatal  # and stop parsing: some parsers slow down badly on deep nesting
        node.flow = bool(event.flow_style)
        node.props = event.anchor is not None or event.tag is not None
        if mapping:
            node.value, node.items, node.keys = {}, {}, {}
        else:
            node.value, node.items = [], []
        tag = event.tag
        if tag is not None and tag != "!" and tag != _CORE_TAG + ("map" if mapping else "seq"):
            self._unsupported_tag(node, tag, "a set of keys" if mapping else "a list")
        if event.anchor is not None:
            self.anchors[event.anchor] = _PENDING
        return _Frame(node, event.anchor)

    def _finish(self, node: _Node, event: Any) -> _Node:
        if node.flow or not node.items:
            mark = event.end_mark
            node.end = (mark.line, mark.column)
        # else: a block collection ends where its last entry ends (tracked by _attach), not
        # at the next line's start where the parser notices it has ended
        children = node.items.values() if node.kind == _MAP else node.items
        size = 1
        height = 0
        for child in children:
            size += child.size
            if child.height > height:
                height = child.height
        if node.kind == _MAP:
            size += len(node.items)  # the keys
        node.size = size
        node.height = height + 1
        return node

    def _attach(self, frame: _Frame, node: _Node) -> None:
        parent = frame.node
        if node.end > parent.end:
            parent.end = node.end
        if parent.kind == _SEQ:
            parent.items.append(node)
            parent.value.append(node.value)
            return
        if frame.key is _WANT_KEY:
            frame.key = self._key(node)
            frame.key_node = node
            return
        key, key_node = frame.key, frame.key_node
        frame.key, frame.key_node = _WANT_KEY, None
        if key is None or key_node is None:
            return
        if key in parent.items:
            first = parent.keys[key]  # type: ignore[index]
            self._report(
                "LS004",
                f"the key `{key}` appears twice in this mapping; YAML tools silently keep only one of the two",
                key_node,
                "remove one of them, or merge the two entries into one",
                (Related(_span_of(self.display, first), "first defined here"),),
            )
            return
        parent.items[key] = node
        parent.keys[key] = key_node  # type: ignore[index]
        parent.value[key] = node.value

    def _key(self, node: _Node) -> str | None:
        """The text of a mapping key; keys that are not text are reported (LS001)."""
        value = node.value
        if isinstance(value, str):
            return value
        target = node.target if node.kind == _ALIAS else node
        if target is None or target.kind != _SCALAR:
            if not node.flagged:
                what = (
                    "a list"
                    if isinstance(value, list)
                    else "a set of keys"
                    if isinstance(value, dict)
                    else "empty"
                )
                self._report(
                    "LS001", f"a key here is {what}, but keys must be text", node, "write the key as text"
                )
            return None
        if not node.flagged:
            raw = target.raw
            if isinstance(value, bool):
                what = "a yes/no value"
            elif value is None:
                what = "empty (null)"
            else:
                what = "a number"
            self._report(
                "LS001",
                f"the key `{raw}` is read as {what}, but keys must be text",
                node,
                f'put it in quotes: "{raw}"',
            )
        return target.raw

    def _scalar(self, event: Any) -> _Node:
        node = self._node(_SCALAR, event)
        style = event.style or ""
        raw: str = event.value
        node.style = style
        node.raw = raw
        tag = event.tag
        node.props = tag is not None or event.anchor is not None
        if style in ("|", ">"):
            node.end = self._trimmed_end(node)
        if tag is None:
            node.value = self._plain(raw, node) if style == "" else raw
        elif tag == "!":
            node.value = raw  # the non-specific tag: text, whatever it looks like
        else:
            node.value = self._tagged(tag, raw, node)
        return node

    def _trimmed_end(self, node: _Node) -> tuple[int, int]:
        """A block scalar's end without the line breaks it swallowed after its last line."""
        start = self.lines.index(*node.start)
        index = self.lines.index(*node.end)
        while index > start and self.text[index - 1] in " \t\r\n\x85\u2028\u2029":
            index -= 1
        line, column = self.lines.position(index)
        return line - 1, column - 1

    def _plain(self, raw: str, node: _Node) -> Any:
        try:
            value = _resolve_core(raw)
        except (ValueError, ArithmeticError):
            return self._unreadable(node, raw, None)
        if raw and raw[0] in _AMBIGUOUS_START:
            found = _ambiguity(raw, value)
            if found is not None:
                message, hint = found
                self._report("LS003", message, node, hint)
                node.flagged = True
        return value

    def _unreadable(self, node: _Node, raw: str, tag: str | None) -> None:
        if tag is None:
            digits = len(raw.lstrip("+-"))
            message = f"this number has {digits:,} characters, more than leadspec can read"
            hint = "put it in quotes if it is a code or an id; otherwise write a smaller number"
        else:
            wanted = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "empty"}[
                tag
            ]
            message = f"`{raw}` is marked `!!{tag}` ({wanted}) but cannot be read as one"
            hint = f"remove the `!!{tag}` tag, or write {wanted}"
        self._report("LS012", message, node, hint)
        node.flagged = True
        return None

    def _tagged(self, tag: str, raw: str, node: _Node) -> Any:
        if tag.startswith(_CORE_TAG):
            name = tag[len(_CORE_TAG) :]
            if name == "str":
                return raw
            if name in ("int", "float", "bool", "null"):
                try:
                    value = _resolve_core(raw)
                except (ValueError, ArithmeticError):
                    return self._unreadable(node, raw, name)
                kind = _kind(value)
                if name == "int" and kind == "number" and isinstance(value, int):
                    return value
                if name == "float" and kind == "number":
                    return Decimal(value)
                if name == "bool" and kind == "bool":
                    return value
                if name == "null" and kind == "null":
                    return None
                return self._unreadable(node, raw, name)
            if name in ("map", "seq"):
                shown = _show_tag(tag)
                self._report(
                    "LS005",
                    f"the tag `{shown}` is for {'a set of keys' if name == 'map' else 'a list'}, not a single value",
                    node,
                    f"remove `{shown}`",
                )
                node.flagged = True
                return raw
        self._unsupported_tag(node, tag, "a single value")
        return raw

    def _unsupported_tag(self, node: _Node, tag: str, _what: str) -> None:
        shown = _show_tag(tag)
        if "python/" in tag:
            message = (
                f"the tag `{shown}` asks YAML tools to build Python objects or run code; "
                "definitions hold plain data only"
            )
        else:
            message = f"the tag `{shown}` is not supported; definitions hold plain text, numbers, lists and keys only"
        self._report(
            "LS005", message, node, "remove the tag (and put the value in quotes if it must stay text)"
        )
        node.flagged = True

    def _alias(self, event: Any, depth: int) -> _Node:
        node = self._node(_ALIAS, event)
        name = event.anchor
        target = self.anchors.get(name, _MISSING)
        if target is _MISSING:
            self._report(
                "LS006",
                f"the alias `*{name}` refers to no anchor: there is no `&{name}` before it",
                node,
                f"define `&{name}` on a value above this line, or write the value out",
            )
            node.flagged = True
            return node
        if target is _PENDING:
            self._report(
                "LS006",
                f"the alias `*{name}` is inside the value of its own anchor `&{name}`, which would make it endless",
                node,
                "remove the alias, or point it at an anchor outside this value",
            )
            node.flagged = True
            return node
        if depth + target.height > MAX_DEPTH:
            self._report(
                "LS007",
                f"the alias `*{name}` makes the data nested more than {MAX_DEPTH} levels deep here",
                node,
                "write the value out, or use fewer nested aliases",
            )
            raise _Fatal
        self.expanded += target.size
        if self.expanded > MAX_ALIAS_NODES:
            self._report(
                "LS006",
                f"with this alias, the aliases in this file expand to more than {MAX_ALIAS_NODES:,} values "
                '(aliases of aliases grow very fast: this is how "billion laughs" files make YAML tools hang)',
                node,
                "write the values out, or use fewer, non-nested aliases",
            )
            raise _Fatal
        node.target = target
        node.value = target.value
        node.size = target.size
        node.height = target.height
        node.raw = target.raw
        return node


def _block_indent(frame: _Frame) -> int:
    """The column a block collection is indented to (where its keys or dashes start)."""
    node = frame.node
    if node.flow:
        return -1
    if node.props and node.kind == _MAP:
        first = next(iter(node.keys.values()), None) if node.keys else frame.key_node
        if first is not None:
            return first.start[1]
    return node.start[1]


def _show_tag(tag: str) -> str:
    if tag.startswith(_CORE_TAG):
        return "!!" + tag[len(_CORE_TAG) :]
    return tag


# --- syntax errors in plain words ----------------------------------------------------


def _syntax_error(error: yaml.MarkedYAMLError, text: str, lines: _Lines, display: str) -> Diagnostic:
    """LS001 for a parser error: the place, what is wrong there, and how to fix it."""
    problem = (error.problem or "").lower()
    context = (error.context or "").lower()
    problem_mark = error.problem_mark or error.context_mark
    context_mark = error.context_mark or error.problem_mark
    here = (problem_mark.line, problem_mark.column) if problem_mark is not None else (0, 0)
    there = (context_mark.line, context_mark.column) if context_mark is not None else here

    def at(where: tuple[int, int], message: str, hint: str | None) -> Diagnostic:
        return diagnostic("LS001", message, Span(display, where[0] + 1, where[1] + 1), hint=hint)

    def char(where: tuple[int, int]) -> str:
        index = lines.index(*where)
        return text[index] if 0 <= index < len(text) else ""

    # A tab in the indentation is the classic: it looks right in the editor.
    for line0 in sorted({here[0], there[0]}):
        if line0 >= len(lines.starts):
            continue
        line = lines.line_text(text, line0)
        indent = len(line) - len(line.lstrip(_SPACE))
        tab = line.find("\t", 0, indent)
        if tab >= 0 and (
            "tab" in problem or "cannot start any token" in problem or "indent" in problem or line0 == here[0]
        ):
            return at(
                (line0, tab),
                "a tab is used for indentation here",
                f"YAML indentation must use spaces; replace the tab at column {tab + 1} with spaces",
            )
    if char(here) == "\t":
        return at(
            here, "YAML does not allow a tab here", f"replace the tab at column {here[1] + 1} with spaces"
        )

    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        quote = char(there) or '"'
        return at(
            there, "this quoted text is never closed", f"add the closing {quote} at the end of the text"
        )
    if "escape" in problem:
        index = lines.index(*here)
        if text[index : index + 1] != "\\" and text[index - 1 : index] == "\\":
            index -= 1
        sequence = text[index : index + 2]
        row, column = lines.position(index)
        return diagnostic(
            "LS001",
            f"`{sequence}` is not a valid escape in double-quoted text",
            Span(display, row, column),
            hint="write \\\\ for a backslash, or use single quotes, where a backslash is an ordinary character",
        )
    if "mapping values are not allowed" in problem:
        misaligned = _misaligned_key(text, lines, here, display)
        if misaligned is not None:
            return misaligned
        return at(
            here,
            "there is a `: ` inside a value here, so it reads as a second key on the same line",
            'put the whole value in quotes, e.g. description: "Score: high"',
        )
    if "could not find expected ':'" in problem:
        return at(
            there,
            "this line has no `:` after its key (or it continues the value above with too little indentation)",
            "add `: ` after the key, or indent the line further if it belongs to the value above",
        )
    if "cannot start any token" in problem:
        found = char(here)
        if found == "%":
            return at(here, "a line cannot start with `%` in YAML", "put the value in quotes")
        return at(
            here,
            f"a value cannot start with `{found}` unless it is in quotes",
            f'put the value in quotes, e.g. "{lines.line_text(text, here[0])[here[1] :].strip()}"',
        )
    if "expected ',' or ']'" in problem:
        return at(
            there,
            "this [ ] list is not closed, or two of its items have no comma between them",
            "add the closing `]`, and put items that contain commas, colons or brackets in quotes",
        )
    if "expected ',' or '}'" in problem:
        return at(
            there,
            "this { } mapping is not closed, or two of its entries have no comma between them",
            "add the closing `}`, and put values that contain commas, colons or brackets in quotes",
        )
    if "sequence entries are not allowed" in problem:
        return at(
            here,
            "a list item (`- `) cannot start here",
            "start the list on the next line, indented under its key",
        )
    if (
        "did not find expected key" in problem
        or "expected <block end>" in problem
        or "'-' indicator" in problem
    ):
        return at(
            here,
            "this line does not line up with the lines above it",
            "indent it exactly like the other keys or list items at its level (with spaces)",
        )
    if "anchor" in context or "alias" in context:
        return at(
            there,
            "`&` or `*` here starts an anchor or alias, but no name follows it",
            "put the value in quotes if `&` or `*` is meant as text",
        )
    if "block scalar" in context:
        return at(
            there,
            "the `|` or `>` that starts this block of text is followed by something it does not allow",
            "end the line with only `|` or `>` (optionally `-` or `+`) and write the text on the lines below",
        )
    if "tag" in problem:
        return at(
            here,
            "this tag is not valid",
            "remove the tag (and put the value in quotes if it starts with `!`)",
        )
    if "document start" in problem:
        return at(
            here,
            "there is text after the end of the document (`...`)",
            "remove the `...` line or what follows it",
        )
    if "node content" in problem:
        return at(
            here,
            "a value is expected here",
            "write the value, in quotes if it starts with a special character",
        )
    return at(
        here,
        f"the YAML cannot be read here: {error.problem or error.context or 'syntax error'}",
        "check the indentation and quoting on this line and the one above",
    )


# Compiled on first use (re caches it): only a file with a YAML error needs it.
_KEY_LINE = r"([ ]*)(?:- )?([^\s:#'\"{}\[\]]+):(?:[ \t]|$)"


def _misaligned_key(text: str, lines: _Lines, here: tuple[int, int], display: str) -> Diagnostic | None:
    """LS001 for a `key:` line indented deeper than the `key: value` line above it.

    YAML reads such a line as more words of the value above and then stumbles on its
    `: ` ("mapping values are not allowed"). The cause is the indentation of one of
    the two lines, so the usual advice for a `: ` inside a value (quote it) would not
    help; None when the `: ` really sits inside a value.
    """
    line0, column0 = here
    if line0 >= len(lines.starts):
        return None
    line = lines.line_text(text, line0)
    if not re.fullmatch(_KEY_LINE, line[: column0 + 1]):
        return None
    key = line[:column0].strip(" -")
    indent = len(line) - len(line.lstrip(" "))
    above = ""
    for above0 in range(line0 - 1, -1, -1):
        above = lines.line_text(text, above0)
        if above.strip(_SPACE) and not above.lstrip(_SPACE).startswith("#"):
            break
    match = re.match(_KEY_LINE, above)
    if match is None or len(match.group(1)) >= indent or not above[match.end() :].strip(_SPACE):
        return None
    other, other_column = match.group(2), match.start(2) + 1
    return diagnostic(
        "LS001",
        f"this line does not line up with line {above0 + 1} above it: `{key}:` starts in column "
        f"{indent + 1} and `{other}:` in column {other_column}, so `{key}` is read as more of the value of `{other}`",
        Span(display, line0 + 1, indent + 1, line0 + 1, indent + 1 + len(key)),
        hint=f"line the keys up: if `{key}:` and `{other}:` belong together, start both in the same column, "
        f"under the key they belong to (with spaces); only if `{line.strip(_SPACE)}` is more text of "
        f"`{other}` put that whole value in quotes",
        related=(Related(Span(display, above0 + 1, other_column), f"`{other}:` starts here"),),
    )


# --- where each character of a text value was written --------------------------------


_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_ESCAPE_LENGTHS = {"x": 2, "u": 4, "U": 8}


def _scalar_indices(text: str, lines: _Lines, node: _Node) -> list[int]:
    """The index in `text` of each character of a text scalar's value."""
    start = lines.index(*node.start)
    stop = lines.index(*node.source_end)
    if node.props:
        start = _skip_properties(text, start, stop)
    value: str = node.value
    found = _reconstruct(text, start, stop, node.style, node.indent)
    if found is not None and found[0] == value:
        return found[1]
    return _align(text, start, stop, value)


def _skip_properties(text: str, index: int, stop: int) -> int:
    """Past `&anchor` and `!tag` in front of a value, and the space after them."""
    while index < stop:
        char = text[index]
        if char in " \t\r\n\x85\u2028\u2029":
            index += 1
        elif char == "#" and index > 0 and text[index - 1] in " \t\r\n":
            while index < stop and text[index] not in _BREAKS:
                index += 1
        elif char == "!" and text.startswith("!<", index):
            end = text.find(">", index)
            index = stop if end < 0 else end + 1
        elif char in "&!":
            while index < stop and text[index] not in " \t\r\n\x85\u2028\u2029,[]{}":
                index += 1
        else:
            break
    return index


def _reconstruct(
    text: str, start: int, stop: int, style: str, parent_indent: int = -1
) -> tuple[str, list[int]] | None:
    """Rebuild the value from the source with each character's index, following YAML's rules."""
    chars: list[str] = []
    where: list[int] = []
    try:
        if style in ("", None):
            _flow(text, start, stop, chars, where, quote="")
        elif style == "'":
            _flow(text, start + 1, stop - 1, chars, where, quote="'")
        elif style == '"':
            _flow(text, start + 1, stop - 1, chars, where, quote='"')
        elif style in ("|", ">"):
            _block(text, start, stop, style == ">", chars, where, parent_indent)
        else:
            return None
    except (IndexError, ValueError):
        return None
    return "".join(chars), where


def _break_at(text: str, index: int) -> tuple[str, int]:
    """The value a line break at `index` stands for, and the index after it."""
    char = text[index]
    if char == "\r" and text.startswith("\r\n", index):
        return "\n", index + 2
    return ("\n" if char in "\r\n\x85" else char), index + 1


def _flow(text: str, index: int, stop: int, chars: list[str], where: list[int], quote: str) -> None:
    """Plain, single- and double-quoted scalars: escapes, and line folding."""
    while index < stop:
        char = text[index]
        if char in _SPACE or char in _BREAKS:
            index = _fold(text, index, stop, chars, where)
        elif quote == "'" and char == "'":
            chars.append("'")  # '' stands for one quote
            where.append(index)
            index += 2
        elif quote == '"' and char == "\\":
            code = text[index + 1]
            if code in _ESCAPES:
                chars.append(_ESCAPES[code])
                where.append(index)
                index += 2
            elif code in _ESCAPE_LENGTHS:
                length = _ESCAPE_LENGTHS[code]
                chars.append(chr(int(text[index + 2 : index + 2 + length], 16)))
                where.append(index)
                index += 2 + length
            elif code in _BREAKS:
                _ignored, index = _break_at(text, index + 1)  # an escaped line break joins the lines
                while True:
                    after = index
                    while after < stop and text[after] in _SPACE:
                        after += 1
                    if after < stop and text[after] in _BREAKS:
                        value, index = _break_at(text, after)
                        chars.append(value)
                        where.append(after)
                    else:
                        index = after
                        break
            else:
                raise ValueError("unknown escape")
        else:
            chars.append(char)
            where.append(index)
            index += 1


def _fold(text: str, index: int, stop: int, chars: list[str], where: list[int]) -> int:
    """Whitespace inside a flow scalar: kept within a line, folded across line breaks."""
    first = index
    while index < stop and text[index] in _SPACE:
        index += 1
    if index >= stop or text[index] not in _BREAKS:
        for position in range(first, index):
            chars.append(text[position])
            where.append(position)
        return index
    line_break, index = _break_at(text, index)
    more: list[tuple[str, int]] = []
    while True:
        after = index
        while after < stop and text[after] in _SPACE:
            after += 1
        if after < stop and text[after] in _BREAKS:
            value, index = _break_at(text, after)
            more.append((value, after))
        else:
            index = after
            break
    if line_break != "\n":
        chars.append(line_break)
        where.append(first)
    elif not more:
        chars.append(" ")  # a single line break reads as a space
        where.append(first)
    for value, position in more:
        chars.append(value)
        where.append(position)
    return index


def _block(
    text: str, start: int, stop: int, folded: bool, chars: list[str], where: list[int], parent_indent: int
) -> None:
    """Literal `|` and folded `>` block scalars."""
    index = start + 1
    chomping = ""
    explicit = 0
    while index < stop and text[index] in "+-123456789":
        if text[index] in "+-":
            chomping = text[index]
        else:
            explicit = int(text[index])
        index += 1
    while index < stop and text[index] not in _BREAKS:  # the rest of the header: spaces, a comment
        index += 1
    if index < stop:
        _ignored, index = _break_at(text, index)
    # Split the body into (start, end, break index or -1) lines.
    body: list[tuple[int, int, int]] = []
    while index < stop:
        end = index
        while end < stop and text[end] not in _BREAKS:
            end += 1
        if end < stop:
            body.append((index, end, end))
            _ignored, index = _break_at(text, end)
        else:
            if text[index:end].strip(" "):
                body.append((index, end, -1))
            index = end
    content = [(s, e, b) for (s, e, b) in body if text[s:e].strip(" ")]
    if not content:
        if chomping == "+":
            for _s, _e, line_break in body:
                if line_break >= 0:
                    chars.append(_break_at(text, line_break)[0])
                    where.append(line_break)
        return
    if explicit:
        indent = max(parent_indent + 1, 1) + explicit - 1
    else:
        first_start, first_end, _b = content[0]
        first_line = text[first_start:first_end]
        indent = len(first_line) - len(first_line.lstrip(" "))
    if indent == 0:
        raise ValueError("no indentation")
    pending: list[tuple[str, int]] = []
    previous_break = -1
    previous_plain = False  # the previous content line started with a non-space
    seen = False
    for line_start, line_end, line_break in body:
        segment = text[line_start:line_end]
        spaces = len(segment) - len(segment.lstrip(" "))
        if not segment.strip(" ") and spaces <= indent:
            if line_break >= 0:
                pending.append((_break_at(text, line_break)[0], line_break))
            continue
        if spaces < indent:
            raise ValueError("less indented line inside the block")
        first = line_start + indent
        if seen:
            value = _break_at(text, previous_break)[0] if previous_break >= 0 else ""
            if folded and value == "\n" and previous_plain and text[first] not in _SPACE:
                if not pending:
                    chars.append(" ")
                    where.append(previous_break)
            elif value:
                chars.append(value)
                where.append(previous_break)
        for value, position in pending:
            chars.append(value)
            where.append(position)
        pending = []
        for position in range(first, line_end):
            chars.append(text[position])
            where.append(position)
        seen = True
        previous_break = line_break
        previous_plain = text[first] not in _SPACE
    if chomping != "-" and previous_break >= 0:
        chars.append(_break_at(text, previous_break)[0])
        where.append(previous_break)
    if chomping == "+":
        for value, position in pending:
            chars.append(value)
            where.append(position)


def _align(text: str, start: int, stop: int, value: str) -> list[int]:
    """Best effort when the rules above disagree with the parser: match characters in order."""
    where: list[int] = []
    cursor = start
    last = max(start, stop - 1)
    for char in value:
        found = text.find(char, cursor, min(stop, cursor + 80))
        if found >= 0:
            where.append(found)
            cursor = found + 1
        else:
            where.append(min(cursor, last))
    return where
