"""Rendering: canonical code that reads back the same, and sentences sales and marketing can read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from expr_support import FIELDS, shape
from hypothesis import given
from hypothesis import strategies as st

from leadspec.diagnostics import Span
from leadspec.expr.ast import And, Compare, Lit, Member, Or
from leadspec.expr.parser import parse
from leadspec.expr.render import number_text, to_code, to_words
from leadspec.model import Field
from leadspec.values import domain_words


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            'lead_score>=50 and country in ["US","CA"] and not competitor',
            'lead_score >= 50 and country in ["US", "CA"] and not competitor',
        ),
        ("50 <= lead_score", "lead_score >= 50"),
        ("40 <= lead_score < 50", "40 <= lead_score < 50"),
        ("lead_score >= 40 and lead_score < 50", "40 <= lead_score < 50"),
        ("50 > lead_score >= 40", "50 > lead_score >= 40"),
        ("(a and b) and c", "a and b and c"),
        ("a and b or c", "(a and b) or c"),
        ("a and (b or c)", "a and (b or c)"),
        ("not (a or b)", "not (a or b)"),
        ("not not a", "not not a"),
        ("x not in [1, 2.50, true,]", "x not in [1, 2.50, true]"),
        ("country == 'it\\'s'", 'country == "it\'s"'),
        (r'x == "a\\b\"c"', r'x == "a\\b\"c"'),
        ("((true))", "true"),
        ("10 <= s <= 20 or s == 0", "10 <= s <= 20 or s == 0"),
    ],
)
def test_to_code_is_canonical_and_reads_back(text: str, code: str) -> None:
    tree = parse(text)
    assert to_code(tree) == code
    assert shape(parse(code)) == shape(tree)


def test_to_code_keeps_decimal_and_integer_apart() -> None:
    tree = Compare("x", "==", Lit(Decimal("5"), 0, 0), 0, 0, 0, 0)
    assert to_code(tree) == "x == 5.0"
    assert shape(parse(to_code(tree))) == ("compare", "x", "==", ("Decimal", Decimal("5")))
    tree = Compare("x", "==", Lit(Decimal("1E+2"), 0, 0), 0, 0, 0, 0)
    assert to_code(tree) == "x == 100.0"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            'lead_score >= 50 and country in ["US", "CA"] and not competitor',
            "Lead score is at least 50 and Country is US or CA and Competitor is no",
        ),
        ("lead_score > 50", "Lead score is more than 50"),
        ("lead_score < 50", "Lead score is less than 50"),
        ("lead_score <= 50", "Lead score is at most 50"),
        ("lead_score == 50", "Lead score is 50"),
        ("lead_score != 50", "Lead score is not 50"),
        ("40 <= lead_score < 50", "Lead score is 40 to 49"),
        ("40 < lead_score <= 50", "Lead score is 41 to 50"),
        ("49 < lead_score < 51", "Lead score is 50"),
        ("lead_score >= 40.5 and lead_score < 50", "Lead score is 41 to 49"),
        ("40 <= annual_revenue < 50", "Annual revenue is from 40 up to but not including 50"),
        ("40 <= annual_revenue <= 50", "Annual revenue is from 40 to 50"),
        ("0 < discount <= 0.25", "Discount is more than 0 and at most 0.25"),
        ("0 < discount < 0.25", "Discount is more than 0 and less than 0.25"),
        ('country in ["US", "CA", "GB"]', "Country is US, CA or GB"),
        ('country not in ["US", "CA"]', "Country is not US or CA"),
        ('country == "US"', "Country is US"),
        ('country != "US"', "Country is not US"),
        ("email_verified", "Email verified is yes"),
        ("email_verified == false", "Email verified is no"),
        ("email_verified != true", "Email verified is no"),
        ("email_verified != false", "Email verified is yes"),
        ("annual_revenue >= 1000000", "Annual revenue is at least 1,000,000"),
        ("discount >= 0.10", "Discount is at least 0.1"),
        (
            'email_verified and (country == "US" or industry == "software")',
            "Email verified is yes and (either Country is US or Industry is software)",
        ),
        (
            '(lead_score > 80 and country == "US") or competitor',
            "(Lead score is more than 80 and Country is US) or Competitor is yes",
        ),
        ("10 <= lead_score <= 20 or competitor", "Lead score is 10 to 20 or Competitor is yes"),
        # `not` is said in plain terms; a blank optional field also meets a negated condition.
        ("not lead_score >= 50", "Lead score is less than 50"),
        ('not (lead_score >= 50 or country == "US")', "Lead score is less than 50 and Country is not US"),
        (
            'not (lead_score >= 50 and country == "US")',
            "Lead score is less than 50 or Country is not US",
        ),
        ('not industry == "software"', "Industry is not software or blank"),
        ('not industry in ["software", "retail"]', "Industry is not software or retail or blank"),
        ("not is_partner", "Is partner is no or blank"),
        ("not not competitor", "Competitor is yes"),
        ("true", "always"),
        ("not true", "never"),
        ("unknown_field > 3", "unknown_field is more than 3"),
    ],
)
def test_to_words(text: str, words: str) -> None:
    assert to_words(parse(text), FIELDS) == words


def test_to_words_nested_or_inside_and_inside_or() -> None:
    tree = Or(
        (
            And(
                (
                    Member("country", (Lit("US", 0, 0),), False, 0, 0, 0, 0),
                    parse("competitor or email_verified"),
                ),
                0,
                0,
            ),
            parse("lead_score > 90"),
        ),
        0,
        0,
    )
    assert to_words(tree, FIELDS) == (
        "(Country is US and (either Competitor is yes or Email verified is yes)) or Lead score is more than 90"
    )


FINITE = st.decimals(allow_nan=False, allow_infinity=False)


@given(value=FINITE)
def test_numbers_in_words_are_exact(value: Decimal) -> None:
    """Whatever a definition writes, words state that number (not one rounded to 28 digits)."""
    assert Decimal(number_text(value).replace(",", "")) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("3.1415926535897932384626433832794"), "3.1415926535897932384626433832794"),
        (Decimal("12345678901234567890123456789012.50"), "12,345,678,901,234,567,890,123,456,789,012.5"),
        (Decimal("1E+30"), "1,000,000,000,000,000,000,000,000,000,000"),
        (Decimal("0.50"), "0.5"),
        (Decimal("9999.00"), "9999"),
    ],
)
def test_number_text(value: Decimal, text: str) -> None:
    assert number_text(value) == text


def test_domain_words_state_long_bounds_exactly() -> None:
    field = Field(
        id="x",
        label="X",
        type="number",
        span=Span("f.yaml", 1, 1),
        minimum=Decimal("12345678901234567890123456789012345.000"),
    )
    assert domain_words(field) == "a number of at least 12345678901234567890123456789012345"
