"""Definition text as Markdown content, never as markup.

Everything the definitions say (labels, definitions, descriptions, example
names, CRM names) is written by people, and a page must show it exactly as
written: `<script>` is five characters, `[click](javascript:...)` is not a link,
`{: onclick=...}` is not an attribute list, and `--8<--` includes no file. So
every value goes through `inline` (or `block`, `cell`, `code`) on its way into
a page: HTML-significant characters become entities and Markdown-significant
ones are backslash-escaped. The page templates make this the default: any value
that is not already `Md` is escaped when it is printed.
"""

from __future__ import annotations

import re

# Characters with a meaning inside a line of Markdown (with the extensions the site uses:
# tables for |, attr_list for { }, abbr and links for [ ], emphasis, code, headings).
_INLINE = re.compile(r"([\\`*_{}\[\]#|!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# What a paragraph may not start with: a list marker or a numbered list.
_LIST_START = re.compile(r"^([-+])")
_NUMBERED_START = re.compile(r"^(\d+)([.)])")


class Md(str):
    """Text that is already Markdown made by leadspec, printed as is."""

    __slots__ = ()


def _entities(text: str) -> str:
    return "".join(_ENTITIES.get(char, char) for char in text)


def one_line(text: str) -> str:
    """Whitespace (also line breaks) collapsed to single spaces."""
    return " ".join(text.split())


def inline(value: object) -> Md:
    """A value inside a line: shown exactly, never interpreted."""
    if isinstance(value, Md):
        return value
    text = one_line(str(value))
    text = _INLINE.sub(r"\\\1", _entities(text))
    text = _NUMBERED_START.sub(r"\1\\\2", _LIST_START.sub(r"\\\1", text))
    # A line starting with ~~~ would open a fenced code block.
    return Md("&#126;" + text[1:] if text.startswith("~") else text)


def block(value: object) -> Md:
    """Free text as paragraphs: blank lines separate them, other line breaks are spaces."""
    if isinstance(value, Md):
        return value
    paragraphs = [part for part in re.split(r"\n\s*\n", str(value).strip()) if part.strip()]
    return Md("\n\n".join(inline(part) for part in paragraphs))


def cell(value: object) -> Md:
    """A table cell: one line, paragraphs joined by a line break."""
    if isinstance(value, Md):
        return value
    paragraphs = [part for part in re.split(r"\n\s*\n", str(value).strip()) if part.strip()]
    return Md("<br>".join(inline(part) for part in paragraphs))


def code(value: object) -> Md:
    """An inline code span that shows any text literally (backticks included)."""
    text = one_line(str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return Md(f"{fence}{padded}{fence}")


def code_block(value: object, language: str = "text") -> Md:
    """A fenced block that shows the text as written, line breaks included."""
    text = str(value).strip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Md(f"{fence}{language}\n{text}\n{fence}")


def title(value: object) -> str:
    """A name for the navigation and the browser tab.

    mkdocs prints navigation titles as HTML, and the theme strips tags and then
    *unescapes* entities for `<title>`, so an escaped `</title>` would become real
    again there. Angle brackets are therefore replaced by look-alike quotes, and
    `&` is written as an entity.
    """
    text = one_line(str(value)).replace("<", "\u2039").replace(">", "\u203a")
    return text.replace("&", "&amp;").replace('"', "&quot;")


def attribute(value: object) -> str:
    """Text for an HTML attribute value in double quotes."""
    return _entities(one_line(str(value)))


def _anchor_id(ident: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", ident.lower()).strip("-") or "x"


def heading_anchor(ident: str) -> Md:
    """`{#id}` after a heading's text (attr_list): the heading's stable anchor."""
    return Md("{#" + _anchor_id(ident) + "}")


def paragraph_anchor(ident: str) -> Md:
    """`{: #id }` on the line after a paragraph (attr_list): the paragraph's anchor."""
    return Md("{: #" + _anchor_id(ident) + " }")


def inline_anchor(ident: str) -> Md:
    """`{: #id }` right after a link (attr_list): an anchor inside a table cell."""
    return Md("{: #" + _anchor_id(ident) + " }")
