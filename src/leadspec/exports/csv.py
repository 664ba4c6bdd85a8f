"""CSV: one row per value, for spreadsheets and CRM import wizards.

`values.csv` has the columns picklist, id, label, api_value, order, active, description,
next_stage, replaced_by; the stages come first (picklist `stages`), then each picklist by
id, values in their defined order. A cell that a spreadsheet would run as a formula (one
starting with =, +, -, @, a tab or a carriage return) starts with a `'` instead.
"""

from __future__ import annotations

from leadspec.exports.formats import csv_bytes
from leadspec.exports.picklists import value_sets
from leadspec.model import Model

HEADER = (
    "picklist",
    "id",
    "label",
    "api_value",
    "order",
    "active",
    "description",
    "next_stage",
    "replaced_by",
)


def render(model: Model) -> dict[str, bytes]:
    rows = [
        (
            value_set.id,
            value.id,
            value.label,
            value.api_value,
            str(value.order),
            "true" if value.active else "false",
            (value.description or "").replace("\n", " "),
            value.next_stage or "",
            value.replaced_by or "",
        )
        for value_set in value_sets(model)
        for value in value_set.values
    ]
    return {"values.csv": csv_bytes(HEADER, rows)}
