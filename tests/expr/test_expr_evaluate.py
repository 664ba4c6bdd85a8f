"""Evaluation: which leads meet a condition, including leads with blank (missing) fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadspec.expr.evaluate import evaluate
from leadspec.expr.parser import parse

MQL = 'lead_score >= 50 and country in ["US", "CA"] and not competitor'


def meets(text: str, **lead: object) -> bool:
    return evaluate(parse(text), lead)


def test_format_example() -> None:
    assert meets(MQL, lead_score=72, country="US", competitor=False)
    assert not meets(MQL, lead_score=49, country="US", competitor=False)
    assert not meets(MQL, lead_score=72, country="GB", competitor=False)
    assert not meets(MQL, lead_score=72, country="CA", competitor=True)


@pytest.mark.parametrize(
    ("text", "low_fail", "low_pass", "high_pass", "high_fail"),
    [("40 <= lead_score < 50", 39, 40, 49, 50), ("40 < lead_score <= 50", 40, 41, 50, 51)],
)
def test_range_edges(text: str, low_fail: int, low_pass: int, high_pass: int, high_fail: int) -> None:
    assert not meets(text, lead_score=low_fail)
    assert meets(text, lead_score=low_pass)
    assert meets(text, lead_score=high_pass)
    assert not meets(text, lead_score=high_fail)


@pytest.mark.parametrize(
    "text",
    [
        'industry == "software"',
        'industry != "software"',
        'industry in ["software"]',
        'industry not in ["software"]',
        "score < 5",
        "score <= 5",
        "score > 5",
        "score >= 5",
        "score == 5",
        "score != 5",
        "is_partner",
        "is_partner == false",
        "is_partner != true",
    ],
)
def test_every_comparison_with_a_missing_value_is_false(text: str) -> None:
    assert not meets(text)  # field absent
    assert not meets(text, industry=None, score=None, is_partner=None)  # field present but None


def test_not_negates_the_false_of_a_missing_value() -> None:
    assert meets('not industry == "software"')
    assert meets('not industry != "software"')
    assert meets("not is_partner")
    assert meets("not (score > 5 or score <= 5)")  # blank is neither above nor at-or-below 5


def test_missing_inside_and_or() -> None:
    assert not meets('lead_score >= 50 and industry != "retail"', lead_score=60)
    assert meets('lead_score >= 50 or industry == "retail"', lead_score=60)
    assert meets('lead_score >= 50 and not industry == "retail"', lead_score=60)


def test_numbers_compare_exactly() -> None:
    assert meets("discount == 0.3", discount=Decimal("0.30"))
    assert meets("discount == 0.3", discount=0.3)  # a float in a lead is read as the decimal it shows
    assert meets("discount > 0.29999999999999999", discount=0.3)
    assert not meets("discount == 0.3", discount=0.1 + 0.2)  # the float shows as 0.30000000000000004
    assert meets("lead_score == 50", lead_score=Decimal("50.0"))
    assert meets("lead_score > 49.5", lead_score=50)
    assert not meets("lead_score > 49.5", lead_score=49)
    big = 10**40
    assert meets(f"revenue > {big}", revenue=big + 1)
    assert not meets(f"revenue > {big}", revenue=big)


def test_booleans_and_numbers_are_different_kinds() -> None:
    assert not meets("lead_score == 1", lead_score=True)
    assert not meets("email_verified == true", email_verified=1)
    assert not meets("email_verified", email_verified=1)
    assert meets("email_verified", email_verified=True)
    assert meets("email_verified == false", email_verified=False)
    assert meets("email_verified != true", email_verified=False)


def test_text_is_case_sensitive_and_not_a_number() -> None:
    assert not meets('country == "us"', country="US")
    assert not meets('size == "10"', size=10)
    assert meets('size != "10"', size=10)
    assert not meets("lead_score > 5", lead_score="72")


def test_bad_values_in_a_lead_never_crash() -> None:
    for value in (float("nan"), object(), [1], {"a": 1}):
        for text in ("x == 1", "x != 1", "x < 1", "x >= 1", "x in [1, 2]", "x not in [1]", "x"):
            assert isinstance(meets(text, x=value), bool)
    assert not meets("x < 1", x=float("nan"))
    assert not meets("x == 1", x=Decimal("NaN"))
    assert meets("x < 1", x=float("-inf"))


def test_constants() -> None:
    assert meets("true")
    assert not meets("false")
    assert meets("not false")


def test_deeply_nested_condition_at_the_limit_evaluates() -> None:
    assert meets("(" * 64 + "lead_score > 5" + ")" * 64, lead_score=6)
    assert meets("not " * 64 + "lead_score > 5", lead_score=6)
    assert not meets("not " * 63 + "lead_score > 5", lead_score=6)
