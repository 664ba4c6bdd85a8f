"""Naming part of a criterion changes nothing: the same findings, stages and SQL.

Random small models (every feature of the language, see `model_gen.small_model`)
are written as definitions files twice: once as generated, once with criteria
moved into named conditions, used by name inside `not`, `and`, `or` and by other
conditions (a chain of names). Both are read by the real pipeline (`api.load`):
the exact analysis, the membership rule on every lead of the brute-force grid and
the compiled SQL must not tell them apart.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from analysis_helpers import all_leads, summarize  # noqa: E402
from model_gen import small_model  # noqa: E402

from leadspec.api import load  # noqa: E402
from leadspec.config import Config  # noqa: E402
from leadspec.membership import Membership  # noqa: E402
from leadspec.model import Field, Model  # noqa: E402


def _plain(value: Any) -> Any:
    """A value YAML writes as the number it is (the generator's decimals are halves: exact as floats)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _cell(value: Any) -> str | None:
    """A lead's value as a CSV cell holds it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field(field: Field) -> dict[str, Any]:
    found: dict[str, Any] = {"label": field.id.upper(), "type": field.type}
    if field.minimum is not None:
        found["above" if field.minimum_open else "min"] = _plain(field.minimum)
    if field.maximum is not None:
        found["below" if field.maximum_open else "max"] = _plain(field.maximum)
    if field.values:
        found["values"] = list(field.values)
    if field.optional:
        found["optional"] = True
    return found


class _Namer:
    """Moves criteria into named conditions and writes each use in one of several equivalent ways."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.conditions: dict[str, dict[str, str]] = {}

    def name(self, text: str) -> str:
        ident = f"c{len(self.conditions)}"
        self.conditions[ident] = {"label": f"Condition {len(self.conditions)}", "when": text}
        if self.rng.random() < 0.3:  # a condition that is only another condition's name
            outer = f"c{len(self.conditions)}"
            self.conditions[outer] = {"label": f"Condition {len(self.conditions)}", "when": ident}
            ident = outer
        return ident

    def use(self, text: str) -> str:
        if self.conditions and self.rng.random() < 0.25:
            return text  # left as written (never the first: every model names something)
        ident = self.name(text)
        return self.rng.choice(
            [ident, f"not not {ident}", f"{ident} and true", f"(false or {ident})", f"not (not {ident})"]
        )


def _documents(model: Model, namer: _Namer | None) -> dict[str, Any]:
    def criterion(text: str) -> str:
        return text if namer is None else namer.use(text)

    stages = []
    for stage in model.stages:
        assert stage.entry is not None
        raw: dict[str, Any] = {"id": stage.id, "label": stage.label, "entry": criterion(stage.entry.text)}
        if stage.start:
            raw["start"] = True
        if stage.exits:
            raw["exits"] = [
                {
                    "to": exit_.to,
                    "when": criterion(exit_.when.text),
                    **({"set": {k: _plain(v) for k, v in exit_.set.items()}} if exit_.set else {}),
                }
                for exit_ in stage.exits
            ]
        else:
            raw["terminal"] = True
        stages.append(raw)
    document: dict[str, Any] = {
        "leadspec": 1,
        "fields": {field.id: _field(field) for field in model.fields.values()},
        "stages": stages,
    }
    lifecycle: dict[str, Any] = {"policy": model.lifecycle.policy}
    if model.lifecycle.scope is not None:
        lifecycle["scope"] = criterion(model.lifecycle.scope.text)
    document["lifecycle"] = lifecycle
    if namer is not None and namer.conditions:
        document["conditions"] = namer.conditions
    return document


def _load(folder: Path, document: dict[str, Any]) -> Any:
    (folder / "definitions").mkdir(parents=True)
    (folder / "definitions" / "model.yaml").write_text(
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    loaded = load([folder / "definitions"], Config(root=folder))
    problems = [
        d for d in loaded.report.diagnostics if d.code in ("LS206", "LS207", "LS208", "LS215", "LS216")
    ]
    assert not problems, [d.message for d in problems]
    return loaded


@pytest.mark.parametrize("seed", range(80))
def test_naming_parts_of_criteria_changes_no_finding_no_stage_and_no_sql(seed: int, tmp_path: Path) -> None:
    built = small_model(seed)
    rng = random.Random(seed)
    namer = _Namer(rng)
    plain = _load(tmp_path / "plain", _documents(built.model, None))
    named = _load(tmp_path / "named", _documents(built.model, namer))
    assert summarize(plain.context.analysis) == summarize(named.context.analysis)
    rules = [Membership(side.model, side.context.exprs) for side in (plain, named)]
    for lead in all_leads(built):
        assert [s.id for s in rules[0].stages_of(lead)] == [s.id for s in rules[1].stages_of(lead)], lead
    # The SQL of both, run by DuckDB over the grid as text cells, gives every record the same stage.
    sys.path.insert(0, str(Path(__file__).parents[1] / "sql"))
    from sql_support import run_duckdb

    records = [{name: _cell(value) for name, value in lead.items()} for lead in all_leads(built)]
    sides = [SimpleNamespace(model=side.model, exprs=side.context.exprs) for side in (plain, named)]
    assert run_duckdb(sides[0], records) == run_duckdb(sides[1], records)
    codes = [
        sorted(d.code for d in side.report.diagnostics if d.code.startswith("LS3")) for side in (plain, named)
    ]
    assert codes[0] == codes[1]
