"""Type checks: each mistake against the declared fields gets its code, its words and its place."""

from __future__ import annotations

from decimal import Decimal

import pytest
from expr_support import FIELDS

from leadspec.diagnostics import Span
from leadspec.expr.parser import ExprSyntaxError, parse
from leadspec.expr.typecheck import TypeIssue, explain_words, typecheck
from leadspec.model import Field


def issues(text: str, fields: dict[str, Field] = FIELDS) -> list[TypeIssue]:
    return typecheck(parse(text), fields)


def only(text: str) -> TypeIssue:
    found = issues(text)
    assert len(found) == 1, found
    return found[0]


def marked(text: str, issue: TypeIssue) -> str:
    return text[issue.start : issue.end]


@pytest.mark.parametrize(
    "text",
    [
        'lead_score >= 50 and country in ["US", "CA"] and not competitor',
        "40 <= lead_score < 50",
        "lead_score > 49.5",  # an integer field compared with a decimal is fine
        "lead_score >= 0 and lead_score <= 100",  # the edges of the range are inside it
        "email_verified == true or email_verified != false",
        'industry == "software" or industry not in ["retail"]',
        "email_verified in [true, false]",
        "annual_revenue > 1000000",
        "discount <= 0.5 and discount >= 0",
        "true and not false",
        "is_partner",
        'company_size == "10"',
    ],
)
def test_well_typed_conditions_have_no_issues(text: str) -> None:
    assert issues(text) == []


# -- LS207 unknown field --------------------------------------------------------------


def test_unknown_field_suggests_the_closest() -> None:
    text = "lead_scor >= 50"
    issue = only(text)
    assert issue.code == "LS207"
    assert issue.message == "there is no field `lead_scor`"
    assert marked(text, issue) == "lead_scor"
    assert issue.hint == "did you mean `lead_score`?"


def test_unknown_field_with_wrong_case_suggests_the_real_id() -> None:
    issue = only("Lead_Score > 5")
    assert (issue.code, issue.hint) == ("LS207", "did you mean `lead_score`?")


def test_unknown_bare_field_and_in_lists_are_found_too() -> None:
    text = 'email_verifed and contry in ["US"]'
    found = issues(text)
    assert [(i.code, marked(text, i), i.hint) for i in found] == [
        ("LS207", "email_verifed", "did you mean `email_verified`?"),
        ("LS207", "contry", "did you mean `country`?"),
    ]


def test_unknown_field_that_is_an_enum_value_explains_quoting() -> None:
    issue = only("US")
    assert issue.code == "LS207"
    assert issue.hint == 'if you meant the value "US" of `country`, write country == "US"'


def test_unknown_field_without_any_close_match_lists_fields() -> None:
    issue = only("budget_approved")
    assert issue.code == "LS207"
    assert issue.hint == (
        "declare it under `fields:`, or use a field that exists: `annual_revenue`, `company_size`, "
        "`competitor`, `country`, `discount`, `email_verified`, `industry`, `is_partner` and 1 more"
    )


def test_unknown_field_with_no_fields_declared() -> None:
    found = issues("lead_score > 5", {})
    assert [(i.code, i.hint) for i in found] == [
        ("LS207", "declare the field under `fields:` in a definitions file")
    ]


# -- LS208 type mismatch ---------------------------------------------------------------


def test_number_field_compared_with_text() -> None:
    text = 'lead_score >= "high"'
    issue = only(text)
    assert issue.code == "LS208"
    assert (
        issue.message
        == '`lead_score` (Lead score) is a whole number from 0 to 100, but is compared with "high"'
    )
    assert marked(text, issue) == '"high"'
    assert issue.hint == "compare it with a number, like lead_score >= 50"


def test_number_in_quotes_gets_remove_quotes_hint() -> None:
    issue = only('lead_score == "50"')
    assert (issue.code, issue.hint) == ("LS208", "remove the quotes: 50")


def test_number_field_compared_with_true() -> None:
    issue = only("annual_revenue == true")
    assert issue.code == "LS208"
    assert (
        issue.message
        == "`annual_revenue` (Annual revenue) is a number of at least 0, but is compared with true"
    )


def test_ordering_on_enum() -> None:
    text = 'lead_score > 5 and country < "US"'
    issue = only(text)
    assert issue.code == "LS208"
    assert issue.message == (
        "`country` (Country) is one of US, CA, GB, NO or DE, so it can only be compared with == or !=, not <"
    )
    assert marked(text, issue) == 'country < "US"'
    assert issue.hint == 'list the values you mean: country in ["US", "CA", "GB"]'


def test_ordering_on_boolean() -> None:
    issue = only("email_verified >= true")
    assert issue.code == "LS208"
    assert issue.message.endswith("so it can only be compared with == or !=, not >=")
    assert issue.hint == "write email_verified or not email_verified"


def test_non_boolean_field_alone() -> None:
    text = "email_verified and lead_score"
    issue = only(text)
    assert issue.code == "LS208"
    assert issue.message == (
        "`lead_score` (Lead score) is a whole number from 0 to 100, so it cannot stand alone as a condition"
    )
    assert marked(text, issue) == "lead_score"
    assert issue.hint == "compare it with a value, like lead_score >= 50"


def test_enum_field_alone_suggests_a_value() -> None:
    issue = only("not country")
    assert (issue.code, issue.hint) == ("LS208", 'compare it with a value, like country == "US"')


def test_boolean_compared_with_quoted_true() -> None:
    issue = only('email_verified == "true"')
    assert issue.code == "LS208"
    assert issue.message == (
        '`email_verified` (Email verified) is a yes/no field (true or false), but is compared with "true"'
    )
    assert issue.hint == "write true without quotes"


def test_boolean_compared_with_zero() -> None:
    issue = only("competitor == 0")
    assert (issue.code, issue.hint) == ("LS208", "write false instead of 0")


def test_enum_compared_with_number_that_is_one_of_its_values() -> None:
    issue = only("company_size == 50")
    assert issue.code == "LS208"
    assert issue.hint == 'put the value in quotes: "50"'


def test_in_list_with_wrong_literal_types_marks_each_bad_value() -> None:
    text = 'email_verified in [true, "no", 1] or lead_score in [1, "2"]'
    found = issues(text)
    assert [(i.code, marked(text, i)) for i in found] == [("LS208", '"no"'), ("LS208", "1"), ("LS208", '"2"')]


# -- LS209 unknown enum value -------------------------------------------------------------


def test_enum_value_with_wrong_case() -> None:
    text = 'country == "us"'
    issue = only(text)
    assert issue.code == "LS209"
    assert issue.message == '`country` (Country) has no value "us"; its values are US, CA, GB, NO or DE'
    assert marked(text, issue) == '"us"'
    assert issue.hint == 'values are case-sensitive: write "US"'


def test_enum_value_misspelt() -> None:
    issue = only('industry != "sofware"')
    assert (issue.code, issue.hint) == ("LS209", 'did you mean "software"?')


def test_enum_value_unknown_in_a_list() -> None:
    text = 'country in ["US", "Narnia"]'
    issue = only(text)
    assert issue.code == "LS209"
    assert marked(text, issue) == '"Narnia"'
    assert issue.hint is not None and 'add "Narnia" to the field\'s `values`' in issue.hint


# -- LS210 bound outside the domain -----------------------------------------------------------


def test_bound_above_max() -> None:
    text = "lead_score > 150"
    issue = only(text)
    assert issue.code == "LS210"
    assert (
        issue.message
        == "`lead_score` (Lead score) is a whole number from 0 to 100, so 150 is outside its range"
    )
    assert marked(text, issue) == "150"
    assert issue.hint == (
        "compare it with a value from 0 to 100, or change the field's `max` if leads can really have 150"
    )


def test_bound_below_min() -> None:
    issue = only("lead_score >= -5")
    assert issue.code == "LS210"
    assert "so -5 is outside its range" in issue.message
    assert issue.hint is not None and "`min`" in issue.hint


def test_decimal_bound_outside_decimal_range() -> None:
    issue = only("discount > 0.75")
    assert issue.code == "LS210"
    assert issue.message == "`discount` (Discount) is a number from 0 to 0.5, so 0.75 is outside its range"


def test_bound_check_on_chain_and_list() -> None:
    text = "90 <= lead_score <= 101 or lead_score in [5, 200]"
    assert [(i.code, marked(text, i)) for i in issues(text)] == [("LS210", "101"), ("LS210", "200")]


def test_unbounded_side_is_not_checked() -> None:
    assert issues("annual_revenue > 99999999999999999999") == []


# -- reporting order and labels ---------------------------------------------------------------


def test_issues_come_in_text_order() -> None:
    text = 'nope and country == "xx" and lead_score > 500'
    assert [i.code for i in issues(text)] == ["LS207", "LS209", "LS210"]


def test_field_without_a_distinct_label_is_named_once() -> None:
    span = Span("f.yaml", 1, 1)
    fields = {"score": Field("score", "score", "integer", span, minimum=Decimal(0), maximum=Decimal(10))}
    issue = typecheck(parse('score == "x"'), fields)[0]
    assert issue.message == '`score` is a whole number from 0 to 10, but is compared with "x"'


def test_long_value_lists_are_shortened_in_messages() -> None:
    span = Span("f.yaml", 1, 1)
    values = tuple(f"v{i}" for i in range(20))
    fields = {"tier": Field("tier", "Tier", "enum", span, values=values)}
    issue = typecheck(parse("tier"), fields)[0]
    assert "one of v0, v1, v2, v3, v4, v5, v6, v7 and 12 more" in issue.message


# -- two names compared (`country == US`): the fields tell which one is the value ---------


@pytest.mark.parametrize(
    ("text", "message", "marked_text", "hint"),
    [
        (
            "country == US",
            "`US` is a value of `country` (Country), not a field",
            "US",
            'write country == "US"',
        ),
        (
            "US != country",
            "`US` is a value of `country` (Country), not a field",
            "US",
            'write country != "US"',
        ),
        ("country == us", "`us` is neither a field nor a value of `country`", "us", 'write "US"'),
        (
            "email_verified == yes",
            "`yes` is not a field; `email_verified`",
            "yes",
            "write email_verified == true",
        ),
        (
            "lead_score > threshold",
            "`threshold` is not a field; `lead_score`",
            "threshold",
            "lead_score >= 50",
        ),
        ("industry == null", "`null` is not a field", "null", "no empty value"),
        ("contry == US", "neither `contry` nor `US` is a field", "contry", "did you mean `country`?"),
    ],
)
def test_two_names_say_which_is_the_value(text: str, message: str, marked_text: str, hint: str) -> None:
    with pytest.raises(ExprSyntaxError) as raised:
        parse(text)
    error = explain_words(raised.value, FIELDS)
    assert message in error.message
    assert text[error.start : error.end] == marked_text
    assert error.hint is not None and hint in error.hint


def test_two_real_fields_keep_the_parsers_words() -> None:
    with pytest.raises(ExprSyntaxError) as raised:
        parse("lead_score == discount")
    assert explain_words(raised.value, FIELDS) is raised.value
