"""Parsing criteria: the trees people's conditions become, and the errors their mistakes get."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from expr_support import shape

from leadspec.expr.ast import And, BoolField, Compare, Const, Lit, Member, Not, Or
from leadspec.expr.parser import MAX_DEPTH, ExprSyntaxError, parse

# -- what conditions mean -------------------------------------------------------------


def test_format_example_parses_to_and_of_three() -> None:
    tree = parse('lead_score >= 50 and country in ["US", "CA"] and not competitor')
    assert shape(tree) == (
        "and",
        (
            ("compare", "lead_score", ">=", ("int", 50)),
            ("member", "country", False, (("str", "US"), ("str", "CA"))),
            ("not", ("bool", "competitor")),
        ),
    )


def test_and_binds_tighter_than_or() -> None:
    assert shape(parse("a or b and c")) == ("or", (("bool", "a"), ("and", (("bool", "b"), ("bool", "c")))))
    assert shape(parse("a and b or c")) == ("or", (("and", (("bool", "a"), ("bool", "b"))), ("bool", "c")))


def test_not_binds_tighter_than_and_but_looser_than_comparison() -> None:
    assert shape(parse("not a and b")) == ("and", (("not", ("bool", "a")), ("bool", "b")))
    assert shape(parse("not lead_score > 5")) == ("not", ("compare", "lead_score", ">", ("int", 5)))


def test_parentheses_group() -> None:
    assert shape(parse("a and (b or c)")) == ("and", (("bool", "a"), ("or", (("bool", "b"), ("bool", "c")))))


def test_nested_and_or_are_flattened() -> None:
    assert shape(parse("(a and b) and (c and d)")) == (
        "and",
        (("bool", "a"), ("bool", "b"), ("bool", "c"), ("bool", "d")),
    )
    assert shape(parse("a or (b or (c or d))")) == ("or", (("bool", "a"), ("bool", "b"), ("bool", "c"), ("bool", "d")))


def test_literal_on_the_left_is_flipped_to_field_first() -> None:
    assert shape(parse("50 <= lead_score")) == ("compare", "lead_score", ">=", ("int", 50))
    assert shape(parse("50 > lead_score")) == ("compare", "lead_score", "<", ("int", 50))
    assert shape(parse('"US" == country')) == ("compare", "country", "==", ("str", "US"))
    assert shape(parse('"US" != country')) == ("compare", "country", "!=", ("str", "US"))


def test_range_chain_becomes_two_comparisons() -> None:
    tree = parse("40 <= lead_score < 50")
    assert shape(tree) == (
        "and",
        (("compare", "lead_score", ">=", ("int", 40)), ("compare", "lead_score", "<", ("int", 50))),
    )
    assert isinstance(tree, And)
    first, second = tree.operands
    assert isinstance(first, Compare) and isinstance(second, Compare)
    assert (first.start, first.end, first.field_start, first.field_end) == (0, 16, 6, 16)
    assert (second.start, second.end, second.field_start, second.field_end) == (6, 21, 6, 16)
    assert (first.value.start, first.value.end, second.value.start, second.value.end) == (0, 2, 19, 21)


def test_descending_chain_and_decimal_chain() -> None:
    assert shape(parse("50 > x >= 40")) == (
        "and",
        (("compare", "x", "<", ("int", 50)), ("compare", "x", ">=", ("int", 40))),
    )
    assert shape(parse("0 < x <= 5.5")) == (
        "and",
        (("compare", "x", ">", ("int", 0)), ("compare", "x", "<=", ("Decimal", Decimal("5.5")))),
    )


def test_chain_inside_and_is_flattened() -> None:
    assert shape(parse("a and 40 <= s < 50")) == (
        "and",
        (("bool", "a"), ("compare", "s", ">=", ("int", 40)), ("compare", "s", "<", ("int", 50))),
    )


def test_member_and_not_member() -> None:
    tree = parse("country not in ['US', \"CA\"]")
    assert tree == Member("country", (Lit("US", 16, 20), Lit("CA", 22, 26)), True, 0, 27, 0, 7)
    assert shape(parse("x in [1, 2.5, true,]")) == (
        "member",
        "x",
        False,
        (("int", 1), ("Decimal", Decimal("2.5")), ("bool", True)),
    )


def test_literal_types() -> None:
    assert shape(parse("x == 0.50")) == ("compare", "x", "==", ("Decimal", Decimal("0.50")))
    assert shape(parse("x == -3")) == ("compare", "x", "==", ("int", -3))
    assert shape(parse("x == true")) == ("compare", "x", "==", ("bool", True))
    assert shape(parse("x != false")) == ("compare", "x", "!=", ("bool", False))
    assert shape(parse(r'x == "say \"hi\" \\ bye"')) == ("compare", "x", "==", ("str", 'say "hi" \\ bye'))
    assert shape(parse(r"x == 'it\'s'")) == ("compare", "x", "==", ("str", "it's"))


def test_decimals_are_never_floats() -> None:
    tree = parse("x > 0.1")
    assert isinstance(tree, Compare)
    assert type(tree.value.value) is Decimal and tree.value.value == Decimal("0.1")


def test_constants_and_bare_field() -> None:
    assert parse("true") == Const(True, 0, 4)
    assert parse(" false ") == Const(False, 1, 6)
    assert parse("email_verified") == BoolField("email_verified", 0, 14)


def test_offsets_of_not_and_groups() -> None:
    tree = parse("not (a or b)")
    assert isinstance(tree, Not) and (tree.start, tree.end) == (0, 12)
    assert isinstance(tree.operand, Or) and (tree.operand.start, tree.operand.end) == (5, 11)
    tree = parse("(a) and b")
    assert isinstance(tree, And) and (tree.start, tree.end) == (0, 9)


def test_whitespace_and_newlines_from_yaml_are_fine() -> None:
    assert shape(parse("lead_score >= 50\n  and\temail_verified")) == (
        "and",
        (("compare", "lead_score", ">=", ("int", 50)), ("bool", "email_verified")),
    )


# -- syntax errors: message, exact place, hint ---------------------------------------------

BOTH_FIELDS = "are both field names; a condition compares a field with a value"

SYNTAX_ERRORS = [
    # text, message, start, end, words the hint must contain (None: no hint)
    ("", "the condition is empty", 0, 0, "lead_score >= 50"),
    ("   ", "the condition is empty", 0, 3, "lead_score >= 50"),
    ("lead_score >=", "expected a value after `>=`", 11, 13, None),
    ("lead_score >= )", "expected a value after `>=`", 14, 15, None),
    ("x == (1)", "expected a value after `==`", 5, 6, "parentheses"),
    ("x == [1]", "expected a value after `==`", 5, 6, "country in"),
    ("x == >= 1", "`==` is followed by another comparison `>=`", 5, 7, None),
    ("lead_score = 50", "a single `=` is not a comparison", 11, 12, "use == to compare"),
    ("lead_score => 50", "`=>` is not a comparison here", 11, 13, "write >="),
    ("lead_score =< 50", "`=<` is not a comparison here", 11, 13, "write <="),
    ("lead_score <> 50", "`<>` is not a comparison here", 11, 13, "use !="),
    ("x === 1", "`===` is not a comparison here", 2, 5, "use =="),
    ("a AND b", "`AND` is not understood: words like `and` are written in lower case", 2, 5, "write `and`"),
    ("a Or b", "`Or` is not understood: words like `or` are written in lower case", 2, 4, "write `or`"),
    ("NOT a", "`NOT` is not understood: words like `not` are written in lower case", 0, 3, "write `not`"),
    ("x == TRUE", "`TRUE` is not understood: words like `true` are written in lower case", 5, 9, "write `true`"),
    ("a && b", "`&&` is not understood in conditions", 2, 4, "write `and`"),
    ("a || b", "`||` is not understood in conditions", 2, 4, "write `or`"),
    ("a & b", "`&` is not understood in conditions", 2, 3, "write `and`"),
    ("!a", "`!` is not understood in conditions", 0, 1, "write `not`"),
    ("lead_score > threshold", f"`lead_score` and `threshold` {BOTH_FIELDS}", 13, 22, '"threshold"'),
    ("country == US", f"`country` and `US` {BOTH_FIELDS}", 11, 13, 'put it in quotes: "US"'),
    ("email_verified == yes", f"`email_verified` and `yes` {BOTH_FIELDS}", 18, 21, "write true or false"),
    ("industry == null", f"`industry` and `null` {BOTH_FIELDS}", 12, 16, "no empty value"),
    ("50 > 40", "`50 > 40` compares two values; one side must be a field", 0, 7, None),
    ('"a" == "b"', '`"a" == "b"` compares two values; one side must be a field', 0, 10, None),
    ("country in []", "the list is empty", 11, 13, "at least one value"),
    ("country in [ ]", "the list is empty", 11, 14, "at least one value"),
    ("country in", "expected a list after `in`", 8, 10, "square brackets"),
    ('country in "US"', "expected a list after `in`", 11, 15, "square brackets"),
    ('country in ("US")', "expected a list after `in`", 11, 12, "use square brackets"),
    ('country in ["US"', "this `[` is never closed", 11, 12, "add a `]`"),
    ('country in ["US" "CA"]', 'expected `,` or `]` before "CA"', 17, 21, "commas"),
    ("country in [US]", "`US` in a list must be a value", 12, 14, 'put text in quotes: "US"'),
    ('country == "US', "this text value has no closing quote", 11, 14, 'add a closing "'),
    ("country == 'US", "this text value has no closing quote", 11, 14, "add a closing '"),
    (r'x == "a\nb"', "`\\n` is not allowed in a text value", 7, 9, "backslash"),
    ("(a or b", "this `(` is never closed", 0, 1, "add a `)`"),
    ("a and (b or (c", "this `(` is never closed", 12, 13, "add a `)`"),
    ("a or b)", "this `)` has no matching `(`", 6, 7, None),
    ("(a b)", "expected `)`, `and` or `or` before `b`", 3, 4, "join conditions"),
    ("lead_score >= 50 country", "expected `and` or `or` before `country`", 17, 24, "join conditions"),
    ('country "US"', 'expected a comparison between `country` and "US"', 8, 12, 'country == "US"'),
    ("lead_score > 1,000", "a comma is only used between values in a list", 14, 15, "without separators"),
    ("x is 5", "`is` is not understood in conditions", 2, 4, "use =="),
    ("x between 1", "`between` is not understood in conditions", 2, 9, "40 <= lead_score < 50"),
    ("x not y", "`not` goes before a condition, not after it", 2, 5, None),
    ('"US" in country', "a list check starts with the field", 5, 7, "country in"),
    ("and x", "expected a condition before `and`", 0, 3, None),
    ("x and", "expected a condition after `and`", 2, 5, "ends too early"),
    ("x or", "expected a condition after `or`", 2, 4, "ends too early"),
    ("not", "expected a condition after `not`", 0, 3, "ends too early"),
    ("x and and y", "`and` is written twice", 6, 9, "remove one"),
    ("x and or y", "expected a condition after `and`, but found `or`", 6, 8, None),
    ("()", "expected a condition inside the parentheses", 1, 2, None),
    (">= 50", "expected a field name before `>=`", 0, 2, "lead_score >= 50"),
    ("in [1]", "expected a field name before `in`", 0, 2, None),
    ("[1]", "a list in [ ] can only follow `in`", 0, 1, None),
    ('"US"', 'the text "US" on its own is not a condition', 0, 4, 'country == "US"'),
    ("50", "the number `50` on its own is not a condition", 0, 2, "lead_score >= 50"),
    ("x < 5 < 10", "a range puts the field between two values, like 40 <= lead_score < 50", 0, 10, None),
    ("40 < x > 50", "a range must point one way, like 40 <= lead_score < 50 or 50 > lead_score >= 40", 0, 11, None),
    ("1 == x == 1", "only <, <=, > and >= can form a range, like 40 <= lead_score < 50", 0, 11, None),
    ("1 < x < 5 < 6", "a comparison can have at most two bounds, like 40 <= lead_score < 50", 0, 13, None),
    ("lead-score > 5", "`lead-score` is not a field name: field names cannot contain `-`", 0, 10, "`lead_score`"),
    ("x > 1e3", "`1e3` is not a number conditions can read", 4, 7, "digits only"),
    ("x > 1_000", "`1_000` is not a number conditions can read", 4, 9, "digits only"),
    ("x >= 50and y", "`50and` needs a space before `and`", 5, 10, "write 50 and"),
    ("x > 5.", "`5.` is not a complete number", 4, 6, "write 5 or 5.0"),
    ("x > .5", "a number cannot start with `.`", 4, 5, "0.5"),
    ("x > - 3", "a minus sign must touch its number", 4, 5, "-3"),
    ("x > +3", "`+` has no meaning here", 4, 5, None),
    ("x == \u201cUS\u201d", "`\u201c` is a curly quote", 5, 6, "straight quotes"),
    ("x\u200b == 1", "there is an invisible character here (U+200B ZERO WIDTH SPACE)", 1, 2, "delete it"),
    ("pa\u00eds == 1", "`\u00ed` cannot be part of a field name", 2, 3, None),
    ("x == 1 ; y", "`;` has no meaning in a condition", 7, 8, None),
    ("x > " + "9" * 101, "this number is too long (101 characters)", 4, 105, None),
]


@pytest.mark.parametrize(
    ("text", "message", "start", "end", "hint"), SYNTAX_ERRORS, ids=[c[0][:30] or "empty" for c in SYNTAX_ERRORS]
)
def test_syntax_error(text: str, message: str, start: int, end: int, hint: str | None) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert error.message == message
    assert str(error) == message
    assert (error.start, error.end) == (start, end), f"points at {text[error.start:error.end]!r}"
    if hint is None:
        return
    assert error.hint is not None and hint in error.hint


def test_error_points_at_least_one_character_when_there_is_text() -> None:
    for text, *_ in SYNTAX_ERRORS:
        if text:
            with pytest.raises(ExprSyntaxError) as caught:
                parse(text)
            assert caught.value.end > caught.value.start, text


def test_messages_use_no_parser_jargon() -> None:
    for text, *_ in SYNTAX_ERRORS:
        with pytest.raises(ExprSyntaxError) as caught:
            parse(text)
        for jargon in ("token", "eof", "EOF", "RBRACKET", "identifier", "Traceback"):
            assert jargon not in caught.value.message


# -- nesting limit -----------------------------------------------------------------------


def test_64_levels_are_allowed() -> None:
    text = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert parse(text) == BoolField("x", MAX_DEPTH, MAX_DEPTH + 1)
    assert shape(parse("not " * MAX_DEPTH + "x"))[0] == "not"
    assert shape(parse("not (" * (MAX_DEPTH // 2) + "x" + ")" * (MAX_DEPTH // 2)))[0] == "not"


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1),
        "not " * (MAX_DEPTH + 1) + "x",
        "not (" * 33 + "x" + ")" * 33,
    ],
    ids=["parentheses", "nots", "mixed"],
)
def test_65_levels_are_refused(text: str) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse(text)
    assert caught.value.message == "this condition is nested more than 64 levels deep; simplify it"


def test_ten_thousand_parentheses_fail_fast_with_the_depth_error() -> None:
    text = "(" * 10_000 + "lead_score > 5" + ")" * 10_000
    began = time.perf_counter()
    with pytest.raises(ExprSyntaxError) as caught:
        parse(text)
    assert time.perf_counter() - began < 1.0
    assert caught.value.message == "this condition is nested more than 64 levels deep; simplify it"
    assert (caught.value.start, caught.value.end) == (64, 65)  # the 65th "("


def test_ten_thousand_unclosed_parentheses_and_nots_fail_with_the_depth_error() -> None:
    for text in ("(" * 10_000, "not " * 10_000, "not (" * 10_000):
        with pytest.raises(ExprSyntaxError) as caught:
            parse(text)
        assert "nested more than 64 levels" in caught.value.message


def test_long_flat_conditions_are_not_limited() -> None:
    text = " and ".join(f"lead_score != {i}" for i in range(5_000))
    tree = parse(text)
    assert isinstance(tree, And) and len(tree.operands) == 5_000
    text = " or ".join(["a"] * 5_000)
    tree = parse(text)
    assert isinstance(tree, Or) and len(tree.operands) == 5_000
