"""Places in a text, counted leadspec's way and the protocol's way.

leadspec's spans are 1-based lines and columns, counting characters and every line
break YAML knows (NEL and the Unicode line and paragraph separators too). The
protocol counts from 0, breaks lines at \\n, \\r\\n and \\r only, and counts columns
in the code units the client and server agreed on (UTF-16 unless told otherwise).
A finding after an emoji or a `\u2028` lands on the right character only when both
ways are converted through the character index, which is what this module does.
"""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

from leadspec.diagnostics import Span
from leadspec.source import _BREAK as _YAML_BREAK  # the one definition of YAML's line breaks

_LSP_BREAK = re.compile("\r\n|[\r\n]")


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [0, *(match.end() for match in pattern.finditer(text))]


class Positions:
    """Converts between character indices, leadspec (line, column) and protocol positions in one text."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = str(encoding)
        self._yaml = _starts(_YAML_BREAK, text)
        self._lsp = _starts(_LSP_BREAK, text)

    # --- leadspec's places -------------------------------------------------------------

    def index_of(self, line: int, column: int) -> int:
        """The character index of a 1-based leadspec (line, column), kept inside the text."""
        starts = self._yaml
        row = min(max(line - 1, 0), len(starts) - 1)
        return min(starts[row] + max(column - 1, 0), len(self.text))

    def place_of(self, index: int) -> tuple[int, int]:
        """The 1-based leadspec (line, column) of a character index."""
        row = bisect.bisect_right(self._yaml, index) - 1
        return row + 1, index - self._yaml[row] + 1

    # --- the protocol's places ---------------------------------------------------------

    def position(self, index: int) -> types.Position:
        index = min(max(index, 0), len(self.text))
        row = bisect.bisect_right(self._lsp, index) - 1
        return types.Position(line=row, character=self._units(self.text[self._lsp[row] : index]))

    def index(self, position: types.Position) -> int:
        """The character index of a protocol position; past the end of a line is its end."""
        starts = self._lsp
        if position.line >= len(starts):
            return len(self.text)
        start = starts[position.line]
        end = starts[position.line + 1] if position.line + 1 < len(starts) else len(self.text)
        line = self.text[start:end].rstrip("\r\n")
        count = 0
        for offset, char in enumerate(line):
            if count >= position.character:
                return start + offset
            count += self._units(char)
        return start + len(line)

    def range(self, span: Span) -> types.Range:
        """The protocol range of a span; a span without an end covers the word it starts on."""
        start = self.index_of(span.line, span.column)
        if span.end_line is not None and span.end_column is not None:
            end = max(self.index_of(span.end_line, span.end_column), start)
        else:
            end = self.word_end(start)
        return types.Range(start=self.position(start), end=self.position(end))

    def word_end(self, index: int) -> int:
        """Just past the id-like word at `index` (or one character), so a place is never invisible."""
        end = index
        while end < len(self.text) and (self.text[end].isalnum() or self.text[end] in "_-"):
            end += 1
        if end == index and index < len(self.text) and self.text[index] not in "\r\n":
            end += 1
        return end

    def _units(self, piece: str) -> int:
        if piece.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return len(piece)
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(piece.encode("utf-8"))
        return len(piece.encode("utf-16-le")) // 2
