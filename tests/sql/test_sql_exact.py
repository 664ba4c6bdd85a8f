"""Property test: on random models and random records, the SQL in DuckDB says what `membership` says.

Models come from the analysis tests' generator (optional fields, strict and
non-strict decimal bounds, `in` / `not in`, `not`, chains, scope, both
policies). Records hold blanks, NULLs, values on and next to every literal,
numbers out of bounds, other spellings (`+5`, `.5`, `4.5E+1`, ` yes `), wrong
types and wrong case. The reference reads each cell with `classify.read_text`
(case kept) and places the lead with `Membership`. Every other dialect's text
must parse back with sqlglot.

Left out on purpose (documented limits of the SQL, see leadspec.sql.dialects):
digits other than 0-9, numbers beyond 20 digits before the point or 18 after it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadspec.classify import read_text
from leadspec.expr.ast import And, Compare, Expr, Member, Not, Or
from leadspec.membership import Membership, lifecycle_criteria
from leadspec.model import Field
from leadspec.sql import compile_select
from leadspec.sql.dialects import DIALECTS
from sql.sql_support import Built, reference, run_duckdb, small_model


def _literals(built: Built) -> dict[str, set[Any]]:
    found: dict[str, set[Any]] = {}

    def walk(node: Expr) -> None:
        if isinstance(node, Compare):
            found.setdefault(node.field, set()).add(node.value.value)
        elif isinstance(node, Member):
            found.setdefault(node.field, set()).update(item.value for item in node.values)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, (And, Or)):
            for operand in node.operands:
                walk(operand)

    for _, criterion in lifecycle_criteria(built.model):
        walk(built.exprs[criterion])
    return found


def _spelled(value: Decimal, style: int) -> str:
    text = format(value, "f")
    if style == 1 and value == value.to_integral_value():
        return text + ".00"
    if style == 2:
        return f"\t{text} "
    if style == 3 and value >= 0:
        return "+" + text
    if style == 4 and value != 0 and value == value.to_integral_value():
        return f"{value.normalize():E}"
    if style == 5 and 0 < value < 1:
        return text.lstrip("0")  # .5
    return text


def _cell(field: Field, literals: set[Any]) -> st.SearchStrategy[str | None]:
    blank = st.sampled_from([None, "", "  ", "\t"])
    if field.type == "boolean":
        return st.one_of(
            blank, st.sampled_from(["true", "false", "TRUE", " Yes ", "no", "1", "0", "maybe", "t", "2"])
        )
    if field.type == "enum":
        values = list(field.values)
        odd = [v.upper() for v in values] + [v.capitalize() for v in values] + [f" {v}\t" for v in values]
        return st.one_of(
            blank,
            st.sampled_from(values),
            st.sampled_from(odd),
            st.sampled_from(["junk", "5", "open accepted"]),
        )
    points: set[Decimal] = set()
    for value in literals:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            base = Decimal(value)
            points.update(
                {
                    base,
                    base - 1,
                    base + 1,
                    base - Decimal("0.5"),
                    base + Decimal("0.001"),
                    base - Decimal("1e-18"),
                }
            )
    for bound in (field.minimum, field.maximum):
        if bound is not None:
            points.update({bound, bound - 1, bound + 1, bound + Decimal("0.5")})
    numbers = st.one_of(
        st.sampled_from(sorted(points) or [Decimal(0)]),
        st.integers(-50, 50).map(Decimal),
        st.decimals(min_value=-10, max_value=10, places=3, allow_nan=False, allow_infinity=False),
    )
    junk = st.sampled_from(["n/a", "1,000", "NaN", "inf", "-", "4 5", "true", "1e", "e5", "--1"])
    return st.one_of(blank, st.builds(_spelled, numbers, st.integers(0, 5)), junk)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), data=st.data())
def test_every_record_gets_the_stage_the_membership_rule_gives(seed: int, data: st.DataObject) -> None:
    built = small_model(seed)
    model = built.model
    literals = _literals(built)
    count = data.draw(st.integers(1, 12))
    records = [
        {name: data.draw(_cell(field, literals.get(name, set()))) for name, field in model.fields.items()}
        for _ in range(count)
    ]
    rows = run_duckdb(built, records)
    for record, row in zip(records, rows, strict=True):
        assert (row["stage"], row["in_scope"], row["stages_met"]) == reference(built, record), (record, row)
        for name, field in model.fields.items():
            raw = record[name]
            problem = read_text(field, "" if raw is None else raw, ignore_case=False).problem
            assert row[f"outside_{name}"] == (problem is not None), (name, raw, row)
    rule = Membership(model, built.exprs)
    columns = {name: name for name in model.fields}
    for name, target in DIALECTS.items():
        if name != "duckdb":
            sqlglot.parse_one(compile_select(rule, columns, name, "leads"), read=target.sqlglot)
