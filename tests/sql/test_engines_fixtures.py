"""The engine runners themselves, with plain SQL: what goes in comes back, exactly and in order.

If a runner lost a decimal place, turned a NULL into text, or shuffled records, every agreement
test built on it would compare the wrong things; these pin that first.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sql.engines import ROW_COLUMN, Engine

TYPED = {"score": Decimal, "verified": bool, "status": str, "visits": int}
RECORDS = [
    {"score": Decimal("0.1"), "verified": True, "status": "accepted", "visits": 3},
    {"score": Decimal("45.0000000001"), "verified": False, "status": "Accepted", "visits": 0},
    {"score": None, "verified": None, "status": None, "visits": None},
    {"status": 'it\'s "quoted", ünïcode ✓'},  # missing keys are NULL
    {"score": Decimal("-123456789012345678.5"), "verified": True, "status": "", "visits": -(2**62)},
]


def _filled(record: dict[str, object]) -> dict[str, object]:
    return {name: record.get(name) for name in TYPED}


def test_a_select_star_gives_the_records_back_exactly_and_in_order(engine: Engine) -> None:
    got = engine.run("SELECT * FROM leads", RECORDS, TYPED)
    assert got == [_filled(record) for record in RECORDS]
    assert all(type(row["score"]) is Decimal for row in got if row["score"] is not None)


def test_the_order_is_the_records_order_even_when_the_query_sorts_otherwise(engine: Engine) -> None:
    got = engine.run(f"SELECT {ROW_COLUMN}, status FROM leads ORDER BY status DESC", RECORDS, TYPED)
    assert [row["status"] for row in got] == [record.get("status") for record in RECORDS]


def test_text_columns_hold_the_cells_as_written(engine: Engine) -> None:
    columns = {"Lead_Score__c": str, "Email_Verified__c": str}
    cells = [
        {"Lead_Score__c": " 45.00 ", "Email_Verified__c": "Yes"},
        {"Lead_Score__c": "", "Email_Verified__c": None},
    ]
    got = engine.run("SELECT * FROM leads", cells, columns)
    assert got == cells


def test_nulls_and_text_compare_as_sql_says_on_every_engine(engine: Engine) -> None:
    """The facts the compiled SQL leans on: NULL = x is unknown, text `=` is case-sensitive, decimals exact."""
    sql = (
        "SELECT status = 'accepted' AS exact, COALESCE(score > 0.1, FALSE) AS above, "
        "COALESCE(status IN ('accepted'), FALSE) AS listed FROM leads"
    )
    got = engine.run(sql, RECORDS[:3], TYPED)
    assert got == [
        {"exact": True, "above": False, "listed": True},
        {"exact": False, "above": True, "listed": False},
        {"exact": None, "above": False, "listed": False},
    ]


def test_an_empty_table_gives_no_rows(engine: Engine) -> None:
    assert engine.run("SELECT * FROM leads", [], TYPED) == []


def test_a_value_the_column_cannot_hold_exactly_is_refused_not_rounded(engine: Engine) -> None:
    with pytest.raises(ValueError, match="more than 10 places"):
        engine.run("SELECT * FROM leads", [{"score": Decimal("0.00000000001")}], TYPED)
    with pytest.raises(TypeError, match="is not a bool"):
        engine.run("SELECT * FROM leads", [{"verified": "true"}], TYPED)
