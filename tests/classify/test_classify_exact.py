"""Property tests: for every record, classify says exactly what the membership rule says.

classify runs the SQL that `leadspec.sql` compiles from the criteria in DuckDB;
the reference is `Membership` (the reference evaluator) on the record's values
read one by one with `read_text` / `read_json` (case kept: enum values compare
case-sensitively). Records are random, with values on and next to every
literal the criteria use, the fields' bounds, blanks, wrong case, junk, cells
that are not UTF-8 (their whole row is unreadable), and control characters.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from classify_support import loaded, membership, reference_lead, reference_stage, run_csv, run_jsonl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leadspec.classify as classify_module
from leadspec.classify import read_text
from leadspec.expr.ast import And, Compare, Expr, Member, Not, Or
from leadspec.membership import lifecycle_criteria
from leadspec.model import Field

MODELS = ("bundled", "small", "bands")
BAD_BYTE = "\udce9"  # an undecodable byte, as the reader keeps it (surrogateescape)
SEP = "\x1f"


def _literals(model_name: str) -> dict[str, set[Any]]:
    found: dict[str, set[Any]] = {}
    tree_of = membership(model_name).tree

    def walk(expr: Expr) -> None:
        if isinstance(expr, Compare):
            found.setdefault(expr.field, set()).add(expr.value.value)
        elif isinstance(expr, Member):
            found.setdefault(expr.field, set()).update(v.value for v in expr.values)
        elif isinstance(expr, Not):
            walk(expr.operand)
        elif isinstance(expr, (And, Or)):
            for operand in expr.operands:
                walk(operand)

    for _, criterion in lifecycle_criteria(loaded(model_name).model):
        walk(tree_of(criterion))
    return found


def _number_texts(field: Field, literals: set[Any]) -> st.SearchStrategy[str]:
    points: set[Decimal] = set()
    for value in literals:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            base = Decimal(value)
            points.update({base, base - 1, base + 1, base - Decimal("0.5"), base + Decimal("0.001")})
    for bound in (field.minimum, field.maximum):
        if bound is not None:
            points.update({bound, bound - 1, bound + 1})
    exact = st.sampled_from(sorted(points)) if points else st.just(Decimal(0))
    anything = st.one_of(
        exact,
        st.integers(-1000, 3_000_000).map(Decimal),
        st.decimals(min_value=-20, max_value=20, places=3, allow_nan=False, allow_infinity=False),
    )

    def spelled(value: Decimal, style: int) -> str:
        text = format(value, "f")
        if style == 1 and value == value.to_integral_value():
            return text + ".00"  # 45.00
        if style == 2:
            return f" {text} "
        if style == 3 and value >= 0:
            return "+" + text
        if style == 4 and value != 0 and value == value.to_integral_value() and abs(value) < 10**6:
            return f"{value.normalize():E}"  # 4.5E+1
        if style == 5 and value >= 0:
            return "00" + text  # 0045
        return text

    junk = st.sampled_from(
        ["", " ", "n/a", "1,000", "1_000", "NaN", "inf", "-", "4 5", "٣", "1e999999", BAD_BYTE]
    )
    return st.one_of(st.builds(spelled, anything, st.integers(0, 5)), junk)


def _cell(field: Field, literals: set[Any]) -> st.SearchStrategy[str]:
    if field.type == "boolean":
        return st.sampled_from(
            ["true", "false", "TRUE", "Yes", "no", "1", "0", "", " ", "maybe", "t", BAD_BYTE]
        )
    if field.type == "enum":
        values = list(field.values)
        variants = [v.upper() for v in values] + [v.capitalize() for v in values] + [f" {v} " for v in values]
        junk = ["", "junk", "n/a", f"{values[0]}{SEP}{values[-1]}", SEP, f"{values[0]}{BAD_BYTE}"]
        return st.one_of(
            st.sampled_from(values), st.sampled_from(variants), st.sampled_from(junk), st.text(max_size=4)
        )
    return _number_texts(field, literals)


@st.composite
def records(
    draw: st.DrawFn, model_name: str, size: int = 12
) -> tuple[list[str], list[list[str]], list[dict[str, str]]]:
    """(header, CSV rows, cells by field id) with the columns named by id or a CRM's API name."""
    model = loaded(model_name).model
    literals = _literals(model_name)
    crm = draw(st.sampled_from([None, "salesforce", "hubspot"]))
    fields = list(model.fields.values())
    names = {f.id: (f.crm.get(crm, f.id) if crm else f.id) for f in fields}
    if len(set(names.values())) != len(names):
        names = {f.id: f.id for f in fields}
    order = draw(st.permutations([f.id for f in fields]))
    header = [names[name] for name in order] + ["Email"]
    count = draw(st.integers(1, size))
    cells_list = []
    rows = []
    for number in range(count):
        cells = {f.id: draw(_cell(f, literals.get(f.id, set()))) for f in fields}
        cells_list.append(cells)
        rows.append([cells[name] for name in order] + [f"lead{number}@example.com"])
    return header, rows, cells_list


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # so a cell holding \r or \n is quoted
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogateescape")


def _expected(model_name: str, cells: dict[str, Any], *, json_values: bool = False) -> tuple[str, str]:
    """(stage column, what the note must say first) per the reference rule."""
    if any(isinstance(cell, str) and BAD_BYTE in cell for cell in cells.values()):
        return "", "unreadable"
    stage, in_scope = reference_stage(model_name, reference_lead(model_name, cells, json_values=json_values))
    if not in_scope:
        return "", "outside the lifecycle's scope"
    if not stage:
        return "", "in no stage"
    if ";" in stage:
        return stage, f"in {stage.count(';') + 1} stages"
    return stage, ""


def _check(
    model_name: str, classified: Any, cells_list: list[dict[str, Any]], *, json_values: bool = False
) -> None:
    assert len(classified.out) == len(cells_list)
    tally: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    model = loaded(model_name).model
    for index, ((row, stage, note), cells) in enumerate(zip(classified.out, cells_list, strict=True)):
        assert row == index + (1 if json_values else 2)
        want_stage, want_note = _expected(model_name, cells, json_values=json_values)
        assert (stage, note.startswith(want_note)) == (want_stage, True), (
            cells,
            stage,
            note,
            want_stage,
            want_note,
        )
        tally[
            want_note
            if want_note in ("unreadable", "in no stage", "outside the lifecycle's scope")
            else want_stage
        ] += 1
        if want_note == "unreadable":
            continue
        for field_id, raw in cells.items():
            field = model.fields[field_id]
            reading = (
                classify_module.read_json(field, raw, ignore_case=False)
                if json_values
                else read_text(field, raw, ignore_case=False)
            )
            if reading.problem in ("outside", "empty"):
                outside[field_id] += 1
    summary = classified.summary
    assert summary.unreadable == tally["unreadable"]
    assert summary.no_stage == tally["in no stage"]
    assert summary.outside_scope == tally["outside the lifecycle's scope"]
    for stage_id in summary.stage_order:
        assert summary.stages.get(stage_id, 0) == tally[stage_id]
    assert sum(summary.several.values()) == sum(n for key, n in tally.items() if ";" in key)
    assert {name: report.count for name, report in summary.fields.items() if report.count} == dict(outside)


@pytest.mark.parametrize("model_name", MODELS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_csv_record_lands_where_the_membership_rule_puts_it(
    model_name: str, data: st.DataObject
) -> None:
    header, rows, cells_list = data.draw(records(model_name))
    classified = run_csv(model_name, _csv_bytes(header, rows))
    _check(model_name, classified, cells_list)


def _json_value(field: Field, literals: set[Any]) -> st.SearchStrategy[Any]:
    native: st.SearchStrategy[Any]
    if field.type == "boolean":
        native = st.sampled_from([True, False, 0, 1, 2, None])
    elif field.type in ("integer", "number"):
        points = sorted(
            {Decimal(v) for v in literals if isinstance(v, (int, Decimal)) and not isinstance(v, bool)}
        )
        native = st.one_of(
            st.sampled_from(points or [Decimal(0)]),
            st.integers(-5, 200),
            st.decimals(min_value=-20, max_value=20, places=2, allow_nan=False, allow_infinity=False),
            st.sampled_from([None, True, [1], {"a": 1}]),
        )
    else:
        native = st.sampled_from([None, 3, True, ["x"]])
    return st.one_of(native, _cell(field, literals).filter(lambda text: BAD_BYTE not in text))


@pytest.mark.parametrize("model_name", MODELS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_json_lines_record_lands_where_the_membership_rule_puts_it(
    model_name: str, data: st.DataObject
) -> None:
    model = loaded(model_name).model
    literals = _literals(model_name)
    count = data.draw(st.integers(1, 10))
    cells_list = [
        {f.id: data.draw(_json_value(f, literals.get(f.id, set()))) for f in model.fields.values()}
        for _ in range(count)
    ]
    text = "".join(json.dumps(cells, default=str) + "\n" for cells in cells_list)
    # Decimals went out as text; read them back as the file says them.
    parsed = [json.loads(line, parse_float=Decimal) for line in text.splitlines()]
    classified = run_jsonl(model_name, text)
    _check(model_name, classified, parsed, json_values=True)


@pytest.mark.parametrize("model_name", MODELS)
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_exact_across_many_records_read_in_parallel(model_name: str, data: st.DataObject) -> None:
    """Enough records for the engine to split the work: row numbers and answers still match record by record."""
    header, rows, cells_list = data.draw(records(model_name, size=150))
    classified = run_csv(model_name, _csv_bytes(header, rows))
    _check(model_name, classified, cells_list)


def test_a_cell_holding_the_separator_is_never_mistaken_for_two_cells() -> None:
    """Joined text cells are a cache key only when the join is unambiguous."""
    model = loaded("small").model
    header = [f.id for f in model.fields.values()]
    base = {
        "lead_score": "60",
        "email_verified": "true",
        "revenue": "",
        "sdr_status": "open",
        "is_partner": "false",
        "region": "",
    }
    # The text columns are joined SDR status first, then Email verified: these two join to the same text.
    one = dict(base, sdr_status=f"open{SEP}true", email_verified="false")
    two = dict(base, sdr_status="open", email_verified=f"true{SEP}false")
    cells_list = [base, one, two, one, two, base]
    rows = [[cells[name] for name in header] for cells in cells_list]
    classified = run_csv("small", _csv_bytes(header, rows))
    _check("small", classified, cells_list)
    assert [stage for _, stage, _ in classified.out] == ["mql", "", "cold", "", "cold", "mql"]
