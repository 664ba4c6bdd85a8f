"""The compiled SQL, run by DuckDB, means what the membership rule means: example by example."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sql.sql_support import fld, make, reference, run_duckdb

SCORE = fld("score", "integer", min=0, max=100)
RATE = fld("rate", "number", min=0, max=1, optional=True)
STATUS = fld("status", "enum", values=["open", "accepted", "rejected"], optional=True)
VERIFIED = fld("verified", "boolean", optional=True)
FIELDS = [SCORE, RATE, STATUS, VERIFIED]


def _stages(records: list[dict[str, Any]], built: Any) -> list[tuple[Any, Any, Any]]:
    rows = run_duckdb(built, records)
    got = [(row["stage"], row["in_scope"], row["stages_met"]) for row in rows]
    assert got == [reference(built, record) for record in records]
    return got


def _one(entry: str, cells: dict[str, Any], **kw: Any) -> Any:
    built = make(FIELDS, [{"id": "s", "entry": entry}], **kw)
    return _stages([cells], built)[0][0]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('status == "open"', None),
        ('status != "open"', None),
        ('not (status == "open")', "s"),
        ('status in ["open", "accepted"]', None),
        ('status not in ["open", "accepted"]', None),
        ('not (status not in ["open"])', "s"),
        ("rate > 0.5", None),
        ("not (rate > 0.5)", "s"),
        ("verified", None),
        ("not verified", "s"),
        ("verified == false", None),
        ("verified != true", None),
    ],
)
def test_a_missing_value_makes_every_comparison_false_and_not_makes_it_true(
    entry: str, expected: Any
) -> None:
    assert _one(entry, {"score": "1", "rate": None, "status": "", "verified": "  "}) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("accepted", "s"), ("open", None), ("Accepted", "s"), ("junk", "s"), ("", None)],
)
def test_not_in_is_true_for_any_other_value_and_false_for_a_missing_one(cell: str, expected: Any) -> None:
    assert _one('status not in ["open", "rejected"]', {"score": "1", "status": cell}) == expected


def test_enum_values_compare_case_sensitively_and_a_wrongly_cased_value_is_outside_the_domain() -> None:
    built = make(FIELDS, [{"id": "s", "entry": 'status == "accepted"'}])
    rows = run_duckdb(built, [{"score": "1", "status": "ACCEPTED"}, {"score": "1", "status": " accepted "}])
    assert [(row["stage"], row["outside_status"]) for row in rows] == [(None, True), ("s", False)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0.3", "s"),
        ("0.30000000000000004", None),  # 0.1 + 0.2 in floating point: just above the bound
        ("0.299999999999999999", "s"),
        ("3E-1", "s"),
        (".3", "s"),
        ("+0.30", "s"),
    ],
)
def test_decimals_compare_exactly(cell: str, expected: Any) -> None:
    assert _one("rate <= 0.3", {"score": "1", "rate": cell}) == expected


def test_a_strict_decimal_bound_leaves_out_the_bound_itself() -> None:
    built = make(FIELDS, [{"id": "s", "entry": "0.1 < rate < 0.3"}])
    records = [{"score": "1", "rate": text} for text in ("0.1", "0.1000001", "0.2999999", "0.3")]
    assert [stage for stage, _, _ in _stages(records, built)] == [None, "s", "s", None]


@pytest.mark.parametrize(
    ("cell", "outside", "ne_met"),
    [
        ("n/a", True, True),  # not a number: outside, and unequal to every number (like the evaluator)
        ("101", True, True),  # a number out of bounds: outside, but still compared as a number
        ("50", False, False),
        ("50.5", True, True),  # not a whole number
        ("", True, False),  # required and empty: outside; missing for the rule
        ("1,000", True, True),
        ("1e999999", True, True),
    ],
)
def test_text_that_is_not_a_value_of_the_field_is_outside_its_domain(
    cell: str, outside: bool, ne_met: bool
) -> None:
    built = make(FIELDS, [{"id": "s", "entry": "score != 50"}])
    (row,) = run_duckdb(built, [{"score": cell}])
    assert (row["outside_score"], row["stage"] == "s") == (outside, ne_met)


@pytest.mark.parametrize(
    ("cell", "value"), [("yes", True), ("TRUE", True), ("1", True), ("No", False), ("0", False)]
)
def test_booleans_are_read_in_the_spellings_classify_accepts(cell: str, value: bool) -> None:
    built = make(FIELDS, [{"id": "s", "entry": "verified"}])
    (row,) = run_duckdb(built, [{"score": "1", "verified": cell}])
    assert (row["stage"] == "s", row["outside_verified"]) == (value, False)


def test_typed_warehouse_columns_read_like_their_text() -> None:
    built = make(FIELDS, [{"id": "s", "entry": "score >= 50 and rate < 0.5 and verified"}])
    types = {"score": "INTEGER", "rate": "DOUBLE", "verified": "BOOLEAN"}
    rows = run_duckdb(
        built,
        [{"score": 50, "rate": 0.1, "verified": True}, {"score": 49, "rate": 0.1, "verified": True}],
        types=types,
    )
    assert [row["stage"] for row in rows] == ["s", None]


def test_first_match_takes_the_first_stage_and_still_counts_the_overlap() -> None:
    stages = [{"id": "hot", "entry": "score >= 50"}, {"id": "any", "entry": "score >= 0"}]
    records = [{"score": "70"}, {"score": "10"}, {"score": ""}]
    assert _stages(records, make(FIELDS, stages, policy="first_match")) == [
        ("hot", True, 2),
        ("any", True, 1),
        (None, True, 0),
    ]
    assert [stage for stage, _, _ in _stages(records, make(FIELDS, stages))] == ["hot;any", "any", None]


def test_a_record_outside_the_scope_is_in_no_stage() -> None:
    built = make(FIELDS, [{"id": "s", "entry": "score >= 0"}], scope='status != "rejected"')
    records = [
        {"score": "5", "status": "rejected"},
        {"score": "5", "status": ""},
        {"score": "5", "status": "open"},
    ]
    assert _stages(records, built) == [(None, False, 0), (None, False, 0), ("s", True, 1)]


def test_an_exit_taken_keeps_the_record_out_of_the_stage() -> None:
    stages = [
        {"id": "mql", "entry": "score >= 50", "exits": [{"to": "sal", "when": 'status == "accepted"'}]},
        {"id": "sal", "entry": 'status == "accepted"'},
    ]
    records = [{"score": "60", "status": "accepted"}, {"score": "60", "status": "open"}]
    assert [stage for stage, _, _ in _stages(records, make(FIELDS, stages))] == ["sal", "mql"]


def test_the_tree_api_selects_from_any_relation_with_only_the_rule_columns_and_chosen_names() -> None:
    """What classify on DuckDB and the dbt export build on: a relation that is not a table, renamed columns."""
    import duckdb
    from sqlglot import exp

    from leadspec.membership import Membership
    from leadspec.sql import Names, rule_select

    built = make(FIELDS, [{"id": "s", "entry": "score >= 50"}])
    source = exp.to_table("read_csv_stand_in")
    select = rule_select(
        Membership(built.model, built.exprs),
        {"score": "Lead Score"},
        "duckdb",
        source,
        keep_source=False,
        names=Names(stage="lifecycle_stage", outside="{field}_is_bad"),
    )
    connection = duckdb.connect()
    connection.execute(
        """CREATE TABLE read_csv_stand_in AS SELECT * FROM (VALUES ('70'), ('x')) t("Lead Score")"""
    )
    result = connection.execute(select.sql(dialect="duckdb"))
    assert [column[0] for column in result.description] == [
        "lifecycle_stage",
        "in_scope",
        "stages_met",
        "score_is_bad",
    ]
    assert result.fetchall() == [("s", True, 1, False), (None, True, 0, True)]


def test_the_cell_reader_and_the_sql_agree_on_the_largest_number() -> None:
    """`read_text` calls a number outside from the size SQL's DECIMAL(38, 18) cannot hold."""
    from leadspec.classify import TOO_LARGE
    from leadspec.sql.dialects import INTEGER_DIGITS

    assert Decimal(10) ** INTEGER_DIGITS == TOO_LARGE


def test_a_criterion_naming_a_value_outside_the_fields_values_is_refused_not_compiled() -> None:
    """The SQL reads an enum text outside the field's values as no value, which compares as the
    reference compares that text only while every value a criterion names is one of the field's
    (what `check` requires, LS209): a tree naming another is refused, never compiled wrong."""
    from leadspec.membership import Membership
    from leadspec.sql import SqlError, compile_select
    from leadspec.structs import replace

    built = make(FIELDS, [{"id": "s", "entry": 'status == "open"'}])
    exprs = {
        criterion: replace(tree, value=replace(tree.value, value="closed"))
        for criterion, tree in built.exprs.items()
    }
    rule = Membership(built.model, exprs)
    with pytest.raises(SqlError, match="'closed', which is not one of its values"):
        compile_select(rule, {f: f for f in built.model.fields}, "duckdb", "leads")
