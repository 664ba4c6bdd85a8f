"""Byte-exact serialisation shared by the exporters: JSON, XML text, CSV cells.

Every export is UTF-8 with LF line ends and a final line break, with keys sorted and no
timestamps, so the same definitions always give the same bytes and a drift check can
compare them. Escaping is done here once: JSON by the json module, XML text by `xml_text`
(which also refuses the characters XML 1.0 cannot carry at all), CSV cells by `csv_cell`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnsafeText(ValueError):
    """Text that no escaping can carry into the file (LS505 reports it first)."""


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def xml_text(text: str) -> str:
    """`text` as XML character data: &, < and > escaped; impossible characters refused."""
    bad = _NOT_XML.search(text)
    if bad:
        raise UnsafeText(f"U+{ord(bad.group()):04X} cannot be written in XML")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_element(name: str, value: str | bool | int, indent: int) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    else:
        text = xml_text(value)
    return f"{'    ' * indent}<{name}>{text}</{name}>\n"


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading `'` defuses formula starts."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")
