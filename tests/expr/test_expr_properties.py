"""Property tests: code round-trips, evaluation agrees, and no text makes the parser crash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from expr_support import FIELDS, nesting, shape
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Lit, Member, Not, Or
from leadspec.expr.evaluate import evaluate
from leadspec.expr.parser import MAX_DEPTH, ExprSyntaxError, parse
from leadspec.expr.render import to_code, to_words
from leadspec.expr.typecheck import typecheck

# -- random trees over a small field set ----------------------------------------------------

ints = st.integers(min_value=-1000, max_value=1000)
decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
texts = st.text(max_size=8)  # any characters: quotes, backslashes and newlines must survive to_code
ORDER_OPS = ["<", "<=", ">", ">="]
ALL_OPS = ["==", "!=", *ORDER_OPS]


def lit(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Lit]:
    return values.map(lambda v: Lit(v, 0, 0))


def compare(field: str, ops: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Expr]:
    return st.builds(lambda op, v: Compare(field, op, v, 0, 0, 0, 0), st.sampled_from(ops), lit(values))


def member(field: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Expr]:
    return st.builds(
        lambda vs, negated: Member(field, tuple(vs), negated, 0, 0, 0, 0),
        st.lists(lit(values), min_size=1, max_size=4),
        st.booleans(),
    )


def atoms(well_typed: bool) -> st.SearchStrategy[Expr]:
    if well_typed:
        score = st.integers(min_value=0, max_value=100) | st.decimals(min_value=0, max_value=100, places=1)
        money = st.integers(min_value=0, max_value=10**9) | st.decimals(min_value=0, max_value=10**6, places=2)
        country = st.sampled_from(FIELDS["country"].values)
        industry = st.sampled_from(FIELDS["industry"].values)
    else:
        score = money = ints | decimals
        country = industry = texts
    return st.one_of(
        compare("lead_score", ALL_OPS, score),
        compare("annual_revenue", ALL_OPS, money),
        compare("email_verified", ["==", "!="], st.booleans()),
        compare("country", ["==", "!="], country),
        compare("industry", ["==", "!="], industry),
        member("lead_score", score),
        member("country", country),
        member("industry", industry),
        member("is_partner", st.booleans()),
        st.sampled_from(["email_verified", "competitor", "is_partner"]).map(lambda f: BoolField(f, 0, 0)),
        st.booleans().map(lambda b: Const(b, 0, 0)),
    )


def _and(children: list[Expr]) -> Expr:
    # The parser flattens nested `and`s, so canonical trees never hold an And directly in an And.
    flat: list[Expr] = []
    for child in children:
        flat.extend(child.operands if isinstance(child, And) else (child,))
    return And(tuple(flat), 0, 0)


def _or(children: list[Expr]) -> Expr:
    flat: list[Expr] = []
    for child in children:
        flat.extend(child.operands if isinstance(child, Or) else (child,))
    return Or(tuple(flat), 0, 0)


def trees(well_typed: bool = False) -> st.SearchStrategy[Expr]:
    return st.recursive(
        atoms(well_typed),
        lambda children: st.one_of(
            children.map(lambda c: Not(c, 0, 0)),
            st.lists(children, min_size=2, max_size=4).map(_and),
            st.lists(children, min_size=2, max_size=4).map(_or),
        ),
        max_leaves=16,
    )


def lead_values(field: str) -> st.SearchStrategy[Any]:
    kind = FIELDS[field].type
    if kind == "integer":
        good: st.SearchStrategy[Any] = st.integers(min_value=-5, max_value=105)
    elif kind == "number":
        good = st.integers(min_value=-5, max_value=2000) | decimals | st.floats(allow_nan=False, width=32)
    elif kind == "boolean":
        good = st.booleans()
    else:
        good = st.sampled_from(FIELDS[field].values) | texts
    # Mostly sensible values, sometimes blank, now and then a value of the wrong kind.
    return st.one_of(good, good, good, st.none(), ints, texts, st.booleans())


leads = st.fixed_dictionaries({}, optional={name: lead_values(name) for name in FIELDS})


# -- properties --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(trees())
def test_to_code_parses_back_to_the_same_tree(tree: Expr) -> None:
    assume(nesting(tree) <= MAX_DEPTH)
    assert shape(parse(to_code(tree))) == shape(tree)


@settings(max_examples=400, deadline=None)
@given(trees(), leads)
def test_reparsed_code_evaluates_the_same(tree: Expr, lead: dict[str, Any]) -> None:
    assume(nesting(tree) <= MAX_DEPTH)
    assert evaluate(parse(to_code(tree)), lead) == evaluate(tree, lead)


@settings(max_examples=300, deadline=None)
@given(trees(), leads)
def test_not_negates_and_and_or_combine(tree: Expr, lead: dict[str, Any]) -> None:
    result = evaluate(tree, lead)
    assert evaluate(Not(tree, 0, 0), lead) is (not result)
    other = Const(True, 0, 0)
    assert evaluate(And((tree, other), 0, 0), lead) is result
    assert evaluate(Or((tree, Const(False, 0, 0)), 0, 0), lead) is result


@settings(max_examples=300, deadline=None)
@given(atoms(well_typed=False))
def test_an_atom_on_a_blank_field_is_false(atom: Expr) -> None:
    assume(not isinstance(atom, Const))
    assert evaluate(atom, {}) is False
    assert evaluate(Not(atom, 0, 0), {}) is True


@settings(max_examples=300, deadline=None)
@given(trees(well_typed=True))
def test_well_typed_trees_inside_the_domains_have_no_issues(tree: Expr) -> None:
    assert typecheck(tree, FIELDS) == []
    assert isinstance(to_words(tree, FIELDS), str)


# -- parsing arbitrary text --------------------------------------------------------------

WORDS = [
    "lead_score", "country", "email_verified", "and", "or", "not", "in", "true", "false", "AND", "Not",
    "==", "!=", "<", "<=", ">", ">=", "=", "=>", "<>", "&&", "||", "!", "(", ")", "[", "]", ",",
    '"US"', "'CA'", '"', "'", "\\", "50", "-3", "0.5", "5.", ".5", "1e3", "-", "+", "null", " ", "\n",
]
ALPHABET = "abcxyz_ANDOR0123456789.-+ \t\n=!<>&|()[],\"'\\é\u201c\u200b;"
arbitrary_text = st.one_of(
    st.text(alphabet=ALPHABET, max_size=40),
    st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=25).map("".join),
)


@settings(max_examples=1500, deadline=None)
@given(arbitrary_text)
def test_parse_raises_nothing_but_syntax_errors(text: str) -> None:
    try:
        tree = parse(text)
    except ExprSyntaxError as error:
        assert error.message
        assert 0 <= error.start <= error.end <= len(text)
        if text:
            assert error.end > error.start
        return
    # Whatever parses is canonical after one round through to_code, and the checks never crash.
    assert shape(parse(to_code(tree))) == shape(tree)
    typecheck(tree, FIELDS)
    to_words(tree, FIELDS)
    evaluate(tree, {"lead_score": 50, "country": "US", "email_verified": True})


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.sampled_from(["(", "not ", "not (", "( not "]))
def test_nesting_is_limited_without_recursion_errors(depth: int, opener: str) -> None:
    closer = ")" if "(" in opener else ""
    text = opener * depth + "x" + closer * depth
    levels = depth * (opener.count("(") + opener.count("not"))
    try:
        parse(text)
    except ExprSyntaxError as error:
        assert levels > MAX_DEPTH
        assert "nested more than 64 levels" in error.message
    else:
        assert levels <= MAX_DEPTH


def test_decimal_literals_survive_exactly() -> None:
    tree = parse("annual_revenue >= 1234567890.123456789012345678901234567890")
    assert isinstance(tree, Compare)
    assert tree.value.value == Decimal("1234567890.123456789012345678901234567890")
    assert shape(parse(to_code(tree))) == shape(tree)
