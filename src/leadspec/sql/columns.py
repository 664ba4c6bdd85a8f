"""Which column of a warehouse table holds each field, when the table's columns are not at hand.

`classify.map_columns` matches fields to a file's header. A table named on the
command line has no header to look at, so the column is decided from the
definitions alone: the `--map` file first (column name: field id, the same file
`classify --map` reads), then the field's API name in the CRM the table was
synced from (`--crm`, or the only CRM the fields name), else the field's id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leadspec.model import Model
from leadspec.sql.dialects import SqlError
from leadspec.suggest import closest


def field_crms(model: Model, fields: Sequence[str]) -> list[str]:
    """The CRMs in which some of `fields` has an API name, in a stable order."""
    return sorted({crm for name in fields for crm in model.fields[name].crm})


def table_columns(
    model: Model, fields: Sequence[str], explicit: Mapping[str, str] | None = None, crm: str | None = None
) -> dict[str, str]:
    """field id -> column name for each of `fields` (and each field the map names)."""
    found: dict[str, str] = {}
    for column, field_id in (explicit or {}).items():
        if field_id not in model.fields:
            hint = closest(field_id, model.fields)
            more = f" (did you mean `{hint}`?)" if hint else ""
            raise SqlError(f"the column map names `{field_id}`, which is no field{more}")
        if field_id in found:
            raise SqlError(
                f"the column map gives `{field_id}` two columns: {found[field_id]!r} and {column!r}"
            )
        found[field_id] = column
    rest = [name for name in fields if name not in found]
    crms = field_crms(model, rest)
    if crm is not None and crm not in crms:
        hint = closest(crm, crms)
        named = f"the fields have API names in {', '.join(crms)}" if crms else "no field has a CRM API name"
        raise SqlError(f"--crm {crm}: {named}" + (f" (did you mean {hint}?)" if hint else ""))
    if crm is None and len(crms) > 1:
        raise SqlError(
            f"the fields have API names in several CRMs ({', '.join(crms)}): say which one the table comes "
            "from with --crm NAME, or name each column in a --map file (column name: field id)"
        )
    chosen = crm or (crms[0] if crms else None)
    for name in rest:
        found[name] = model.fields[name].crm.get(chosen, name) if chosen else name
    taken: dict[str, str] = {}
    for field_id, column in found.items():
        if column in taken:
            raise SqlError(
                f"`{taken[column]}` and `{field_id}` would both be read from the column {column!r}; "
                "name the right column for each in a --map file"
            )
        taken[column] = field_id
    return found
