"""Shared helpers for the classify tests: models, running classify in-process, the reference answer."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from leadspec.api import Loaded, load
from leadspec.classify import Summary, classify_path, read_json, read_text, used_fields
from leadspec.config import load_config
from leadspec.membership import Membership

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parents[1]
BUNDLED = REPO / "definitions"


@cache
def loaded(name: str) -> Loaded:
    """`bundled` (the definitions that ship), or a fixture under fixtures/ by file stem."""
    path = BUNDLED if name == "bundled" else FIXTURES / f"{name}.yaml"
    return load([path], load_config(start=REPO))


@cache
def membership(name: str) -> Membership:
    found = loaded(name)
    return Membership(found.model, found.context.exprs)


@dataclass
class Classified:
    summary: Summary
    out: list[tuple[int, str, str]]  # --out rows: (row, stage, note)


def run_file(
    name: str,
    data: bytes | str,
    input_format: str,
    *,
    explicit: Mapping[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    collect: bool = True,
) -> Classified:
    """classify_path over `data` written to a file, with the model `name`, reading back what --out wrote."""
    found = loaded(name)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"leads.{input_format}"
        path.write_bytes(raw)
        out = Path(folder) / "out.csv" if collect else None
        summary = classify_path(
            path,
            path.name,
            membership(name),
            required=used_fields(found.model, found.context.exprs),
            input_format=input_format,  # type: ignore[arg-type]
            explicit=explicit,
            encoding=encoding,
            delimiter=delimiter,
            out=out,
            threads=2,
        )
        rows: list[tuple[int, str, str]] = []
        if out is not None:
            with out.open(encoding="utf-8", newline="") as handle:
                rows = [(int(row), stage, note) for row, stage, note in list(csv.reader(handle))[1:]]
    return Classified(summary, rows)


def run_csv(
    name: str,
    data: bytes | str,
    *,
    explicit: Mapping[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    collect: bool = True,
) -> Classified:
    return run_file(
        name, data, "csv", explicit=explicit, delimiter=delimiter, encoding=encoding, collect=collect
    )


def run_jsonl(name: str, data: bytes | str, *, explicit: Mapping[str, str] | None = None) -> Classified:
    return run_file(name, data, "jsonl", explicit=explicit)


def csv_text(header: Sequence[str], records: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def jsonl_text(records: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(record, default=str) + "\n" for record in records)


def reference_lead(name: str, cells: Mapping[str, Any], *, json_values: bool = False) -> dict[str, Any]:
    """The lead a record means, read cell by cell with the public readers (field id -> value)."""
    model = loaded(name).model
    lead: dict[str, Any] = {}
    for field_id, raw in cells.items():
        field = model.fields[field_id]
        reading = (
            read_json(field, raw, ignore_case=False)
            if json_values
            else read_text(field, raw, ignore_case=False)
        )
        lead[field_id] = reading.value
    return lead


def reference_stage(name: str, lead: Mapping[str, Any]) -> tuple[str, bool]:
    """(stage column as --out writes it, in scope) from the reference membership rule."""
    placed = membership(name).placement(lead)
    return ";".join(stage.id for stage in placed.stages), placed.in_scope


def crm_header(name: str, crm: str | None) -> dict[str, str]:
    """field id -> column name as that CRM's export names it (the id when it has no name there)."""
    model = loaded(name).model
    return {f.id: (f.crm.get(crm, f.id) if crm else f.id) for f in model.fields.values()}


def decimal_text(value: Decimal) -> str:
    return format(value, "f")
