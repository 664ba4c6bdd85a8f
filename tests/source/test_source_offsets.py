"""scalar_offsets: an error at character k of an expression points at the right column of the file.

For each scalar style, every character of the value is checked against the file
text at the reported (line, column): a copied character must be that same
character; an escape points at its backslash; a line break folded into a space
points at the end of the line it came from.
"""

from __future__ import annotations

import pytest

from leadspec.source import Document, load_text


def loaded(text: str) -> Document:
    document, found = load_text(text, "defs.yaml")
    assert found == []
    assert document is not None
    return document


def at(text: str, line: int, column: int) -> str:
    """The file character at a 1-based position; a line's end reads as a newline."""
    row = text.split("\n")[line - 1]
    return row[column - 1] if column <= len(row) else "\n"


def check(text: str, path: tuple[str | int, ...], value: str, special: dict[int, str] | None = None) -> None:
    """Each character of `value` sits at its reported place; `special` maps index -> file character there."""
    document = loaded(text)
    node = document.data
    for part in path:
        node = node[part]
    assert node == value
    offsets = document.scalar_offsets(path)
    assert len(offsets) == len(value)
    assert list(offsets) == sorted(set(offsets)), "positions must move forward"
    special = special or {}
    for index, (char, (line, column)) in enumerate(zip(value, offsets, strict=True)):
        expected = special.get(index, char)
        assert at(text, line, column) == expected, f"character {index} {char!r} at {line}:{column}"


def test_plain() -> None:
    text = "leadspec: 1\nentry: lead_score >= 40 and email_verified\n"
    check(text, ("entry",), "lead_score >= 40 and email_verified")


def test_plain_over_several_lines() -> None:
    text = "leadspec: 1\nentry: lead_score >= 40 and\n  email_verified\n\n  or x == 1   # note\n"
    value = "lead_score >= 40 and email_verified\nor x == 1"
    # the folded space is the end of line 2; the kept line break is the blank line 4
    check(text, ("entry",), value, {20: "\n", 35: "\n"})
    offsets = loaded(text).scalar_offsets(("entry",))
    assert offsets[20] == (2, 28)
    assert offsets[21] == (3, 3)
    assert offsets[35] == (4, 1)
    assert offsets[36] == (5, 3)


def test_double_quoted_with_escapes() -> None:
    text = 'leadspec: 1\nentry: "country == \\"NO\\" and\\tx \\u00e9 \\\\ y"\n'
    value = 'country == "NO" and\tx é \\ y'
    check(text, ("entry",), value, {11: "\\", 14: "\\", 19: "\\", 22: "\\", 24: "\\"})
    offsets = loaded(text).scalar_offsets(("entry",))
    assert offsets[11] == (2, 20)  # the escaped quote points at its backslash
    assert offsets[12] == (2, 22)  # and the N of NO follows it


def test_double_quoted_over_lines_with_an_escaped_line_break() -> None:
    text = 'leadspec: 1\nentry: "lead_score >= 40 and\n  email_verified and \\\n  x"\n'
    value = "lead_score >= 40 and email_verified and x"
    check(text, ("entry",), value, {20: "\n"})
    assert loaded(text).scalar_offsets(("entry",))[-1] == (4, 3)


def test_single_quoted() -> None:
    text = "leadspec: 1\nentry: 'owner == ''sales'' or\n  x'\n"
    value = "owner == 'sales' or x"
    check(text, ("entry",), value, {19: "\n"})
    offsets = loaded(text).scalar_offsets(("entry",))
    assert offsets[9] == (2, 18)  # the first '' stands for one quote and points at it
    assert offsets[10] == (2, 20)


def test_folded_block() -> None:
    text = (
        "leadspec: 1\nstages:\n  - id: mql\n    entry: >-\n      lead_score >= 40\n"
        "      and email_verified\n\n      or x\n    label: MQL\n"
    )
    value = "lead_score >= 40 and email_verified\nor x"
    check(text, ("stages", 0, "entry"), value, {16: "\n", 35: "\n"})
    offsets = loaded(text).scalar_offsets(("stages", 0, "entry"))
    assert offsets[0] == (5, 7)
    assert offsets[17] == (6, 7)
    assert offsets[36] == (8, 7)


def test_literal_block() -> None:
    text = "leadspec: 1\nentry: |\n  a == 1\n    or b\n\n  and c\nnext: 1\n"
    value = "a == 1\n  or b\n\nand c\n"
    check(text, ("entry",), value)
    offsets = loaded(text).scalar_offsets(("entry",))
    assert offsets[7] == (4, 3)  # the two extra spaces of a more-indented line are text


def test_literal_block_with_indentation_indicator() -> None:
    text = "leadspec: 1\nm:\n  entry: |2\n       x\n     y\n"
    # the indicator counts from the enclosing mapping's indentation (2): text starts at column 5
    check(text, ("m", "entry"), "   x\n y\n")


def test_block_in_a_list_with_tag_and_anchor() -> None:
    text = "leadspec: 1\nitems:\n  - &e !!str >\n      a\n      b\n  - *e\n"
    check(text, ("items", 0), "a b\n", {1: "\n"})
    # the alias's characters are the anchor's: that is where they are written
    assert loaded(text).scalar_offsets(("items", 1)) == loaded(text).scalar_offsets(("items", 0))


def test_flow_sequence_items() -> None:
    text = 'leadspec: 1\nvalues: [a b, "c\\td", \'e\'\'f\']\n'
    check(text, ("values", 0), "a b")
    check(text, ("values", 1), "c\td", {1: "\\"})
    check(text, ("values", 2), "e'f")


def test_keys_are_not_values() -> None:
    document = loaded("leadspec: 1\nteams: {marketing: {label: x}}\n")
    assert document.scalar_offsets(("teams", "marketing", "label")) == ((2, 28),)


@pytest.mark.parametrize("path", [("leadspec",), ("flag",), ("none",), ("list",), ("missing",), ("list", 5)])
def test_only_text_has_offsets(path: tuple[str | int, ...]) -> None:
    document = loaded("leadspec: 1\nflag: true\nnone:\nlist: [a]\n")
    assert document.scalar_offsets(path) == ()


def test_empty_text() -> None:
    assert loaded("leadspec: 1\nentry: ''\n").scalar_offsets(("entry",)) == ()


def test_crlf_and_unicode() -> None:
    text = "leadspec: 1\r\nentry: \"é 😀\r\n  x\"\r\n"
    document = loaded(text)
    assert document.data["entry"] == "é 😀 x"
    assert document.scalar_offsets(("entry",)) == ((2, 9), (2, 10), (2, 11), (2, 12), (3, 3))
