"""Definition text is content, never markup: whatever people write shows exactly as written."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadspec.site.markup import Md, block, cell, code, code_block, inline, title

# The extensions the site's pages go through (mkdocs adds toc, tables and fenced_code itself).
EXTENSIONS = ["abbr", "admonition", "attr_list", "tables", "toc", "fenced_code", "pymdownx.snippets"]


def render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(fragment: str) -> Elements:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![image](javascript:alert(1))",
    '{: onclick="alert(1)" }',
    "{: onclick=alert(1) }",
    "Paragraph {: #made-up .class data-x=1 }",
    "*text*{: onmouseover=alert(1) }",
    "*[MQL]: <b>bold</b>",
    '--8<-- "/etc/passwd"',
    "# not a heading",
    "- not a list",
    "1. not a list",
    "2026) not a list",
    "> not a quote",
    "~~~ not a fence",
    "``` not a fence",
    "[TOC]",
    "<http://example.com>",
    "a | b | c",
    "*emphasis* _emphasis_ **strong** `code`",
    "&lt;script&gt; &amp; &#60;",
    "\\*escaped\\* and a trailing backslash\\",
    "[ref]: javascript:alert(1)",
    '!!! warning "not an admonition"',
]

# Text people plausibly write, plus everything Markdown and HTML care about.
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&\"'`*_{}[]()#+-.!|\\~:=^$%/;@ \n\t")),
        st.characters(min_codepoint=32, max_codepoint=0x2FF),
    ),
    max_size=60,
)


def _shown(fragment: str) -> str:
    return " ".join("".join(elements(fragment).text).split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_becomes_one_paragraph_of_the_same_text(text: str) -> None:
    out = render(inline(text))
    parsed = elements(out)
    assert parsed.tags == ["p"], out
    assert parsed.attrs == []
    assert _shown(out) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_a_heading_is_only_the_heading_text(text: str) -> None:
    out = render("## " + inline(text))
    parsed = elements(out)
    assert parsed.tags == ["h2"], out
    assert [name for name, _ in parsed.attrs] == ["id"]
    assert _shown(out) == " ".join(text.split())


@settings(max_examples=400, deadline=None)
@given(texts)
def test_any_inline_text_shows_exactly_as_written(text: str) -> None:
    expected = " ".join(text.split())
    out = render("Before " + inline(text) + " after")
    parsed = elements(out)
    assert set(parsed.tags) <= {"p"}, out
    assert parsed.attrs == []
    assert _shown(out) == " ".join(f"Before {expected} after".split())


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3))
def test_a_table_cell_stays_in_its_cell(cells: list[str]) -> None:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    rule = "| " + " | ".join("---" for _ in cells) + " |"
    row = "| " + " | ".join(cell(text) for text in cells) + " |"
    out = render("\n".join([header, rule, row]))
    parsed = elements(out)
    assert parsed.tags.count("td") == len(cells), out
    assert set(parsed.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}
    shown = [" ".join(part.split()) for part in re.findall(r"<td>(.*?)</td>", out, re.S)]
    assert [html.unescape(re.sub(r"<br ?/?>", " ", s)) for s in shown] == [
        " ".join(" ".join(text.split()).split()) for text in cells
    ]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_block_of_paragraphs_is_only_paragraphs(text: str) -> None:
    out = render(block(text))
    parsed = elements(out)
    assert set(parsed.tags) <= {"p"}, out
    assert parsed.attrs == []
    assert _shown(out) == " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(texts.filter(lambda t: t.strip()))
def test_a_code_span_shows_the_text_literally(text: str) -> None:
    out = render("x " + code(text) + " y")
    parsed = elements(out)
    assert parsed.tags == ["p", "code"], out
    inside = html.unescape(re.search(r"<code>(.*)</code>", out, re.S).group(1))  # type: ignore[union-attr]
    assert inside.strip() == " ".join(text.split()).strip()


def test_a_code_block_keeps_line_breaks_and_shows_markup_as_text() -> None:
    text = "a <script>x</script>\n    and ``` b\n`c`"
    out = render(code_block(text))
    assert "<script>" not in out
    assert html.unescape(re.search(r"<code[^>]*>(.*)</code>", out, re.S).group(1)).rstrip("\n") == text  # type: ignore[union-attr]


def test_markdown_made_by_leadspec_is_kept() -> None:
    link = Md("[MQL](stages/mql.md)")
    assert inline(link) is link
    assert "<a href" in render(inline(link))


def test_titles_cannot_close_the_title_element_even_after_unescaping() -> None:
    shown = title("Closers </title><script>x()</script> & co")
    assert "<" not in html.unescape(shown) and ">" not in html.unescape(shown)
    assert "Closers" in shown and "&amp; co" in shown
