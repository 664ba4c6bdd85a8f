"""Shared helpers for the SQL tests: small models, running the compiled SQL in DuckDB, the reference answer."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))

from analysis_helpers import Built, fld, make  # noqa: E402
from model_gen import small_model  # noqa: E402

from leadspec.classify import read_text  # noqa: E402
from leadspec.membership import Membership  # noqa: E402
from leadspec.sql import compile_select  # noqa: E402

__all__ = ["Built", "fld", "make", "reference", "run_duckdb", "small_model"]


def reference(built: Built, cells: Mapping[str, str | None]) -> tuple[str | None, bool, int]:
    """(stage column, in scope, stages met) for one record, from `membership` on the cells read as classify reads them.

    Enum values keep their case (`ignore_case=False`): the SQL compares them as written.
    """
    model = built.model
    lead = {
        name: None if raw is None else read_text(model.fields[name], raw, ignore_case=False).value
        for name, raw in cells.items()
    }
    rule = Membership(model, built.exprs)
    placed = rule.placement(lead)
    if model.lifecycle.policy == "first_match":
        # stages_met counts every stage whose own condition holds, before the policy
        met = len(Membership(_exclusive(model), built.exprs).placement(lead).stages)
    else:
        met = len(placed.stages)
    stage = ";".join(stage.id for stage in placed.stages) or None
    return stage, placed.in_scope, met


def _exclusive(model: Any) -> Any:
    from leadspec.structs import replace

    return replace(model, lifecycle=replace(model.lifecycle, policy="exclusive"))


def run_duckdb(
    built: Built, records: Sequence[Mapping[str, str | None]], *, types: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The compiled SQL run by DuckDB over a table of the records (text columns unless `types` says)."""
    fields = list(built.model.fields)
    connection = duckdb.connect()
    columns = ", ".join(f'"{name}" {(types or {}).get(name, "VARCHAR")}' for name in fields)
    connection.execute(f"CREATE TABLE leads (row_number INTEGER, {columns})")
    marks = ", ".join("?" for _ in range(len(fields) + 1))
    connection.executemany(
        f"INSERT INTO leads VALUES ({marks})",
        [[number, *(record.get(name) for name in fields)] for number, record in enumerate(records)],
    )
    sql = compile_select(Membership(built.model, built.exprs), {f: f for f in fields}, "duckdb", "leads")
    result = connection.execute(sql + " ORDER BY row_number")
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
