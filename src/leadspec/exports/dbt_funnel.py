"""dbt: the funnel measures as models over the CRM's stage history, so the warehouse computes them.

`leadspec export dbt --history SOURCE.TABLE` adds these to the package (exports/dbt.py), each
model the SAME SQL text `leadspec funnel` runs in DuckDB (funnel/history.py, stays.py,
measures.py, sla.py), parsed as DuckDB and written for --dialect by sqlglot; the contract
tables it reads become `{{ ref(...) }}` and `$as_of` the macro `leadspec_as_of()` (the var
`leadspec_as_of`, else the current time). A model here only wraps a measure to name its
window (`period`) and its SLA, never restates one.

Models (under `models/funnel/`):

- `leadspec_history`: the history source (`lead_id, stage, entered_at, reason, owner`) with
  each stage value mapped to a stage id as `leadspec funnel` maps it (id, label, abbr, API and
  CRM values; the seeds `leadspec_stage_exact` / `_loose`), unknown values left out, and a
  stage repeating the lead's current one dropped. Rows at the same instant keep no order.
- `leadspec_stays`: one row per visit of a lead to a stage.
- `leadspec_funnel_volumes`, `leadspec_funnel_conversion`: per `period` of the seed
  `leadspec_windows` (each year, quarter and month of --years, midnights in --timezone).
- `leadspec_sla_clocks` (every stay's deadline and verdict), `leadspec_sla_compliance`,
  `leadspec_open_breaches` (oldest deadline first, with the team that owes the action), when
  the definitions have SLAs and calendars.

Seeds: `leadspec_windows`, `leadspec_handoffs`, `leadspec_slas`, `leadspec_stage_exact`,
`leadspec_stage_loose` (and the calendar seeds dbt.py writes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

import sqlglot
from sqlglot import exp

from leadspec.exports.writer import ExportError
from leadspec.model import Model
from leadspec.sql.dialects import dialect as find_dialect
from leadspec.structs import struct

AS_OF_MACRO = "leadspec_as_of"
_TABLE = "leadspec_dbt_ref__"
_PARAM = "leadspec_dbt_param__"
_SOURCE = "leadspec_dbt_history_source"

# The history source read as funnel/history.py's raw rows (generic shape), for HISTORY_SELECT.
HISTORY_RAW = """
WITH leadspec_history_raw AS (
    SELECT CAST(h.lead_id AS VARCHAR) AS lead_id, CAST(h.stage AS VARCHAR) AS value, {stage} AS stage,
        CAST(h.entered_at AS TIMESTAMPTZ) AS entered_at,
        nullif(CAST(h.reason AS VARCHAR), '') AS reason, nullif(CAST(h.owner AS VARCHAR), '') AS owner,
        'warehouse' AS source, 0 AS source_row
    FROM {source} AS h
    {joins}
    WHERE h.lead_id IS NOT NULL AND h.entered_at IS NOT NULL
)
{history}
"""

# A measure grouped by window position, with the window's label and bounds.
BY_WINDOW = """
SELECT w.label AS period, w.starts_at AS period_starts_at, w.ends_at AS period_ends_at, m.*
FROM ({measure}) AS m
JOIN leadspec_windows AS w ON w.position = m.position
"""

COMPLIANCE = """
SELECT w.label AS period, w.starts_at AS period_starts_at, s.sla_key, s.owner, s.within_text, m.*
FROM ({measure}) AS m
JOIN leadspec_windows AS w ON w.position = m.position
JOIN leadspec_slas AS s ON s.sla = m.sla
"""

BREACHES = """
SELECT s.sla_key, s.owner AS owed_by, m.*
FROM ({measure}) AS m
JOIN leadspec_slas AS s ON s.sla = m.sla
"""

SEEDS_ABOUT = {
    "leadspec_windows": "The periods the funnel is measured in: each year, quarter and month (starts_at "
    "included, ends_at not).",
    "leadspec_handoffs": "Each hand-off the conversion is measured for: every exit of the definitions and "
    "every target rate (is_exit false: only a target rate).",
    "leadspec_slas": "Every SLA whose clocks can be counted: its stage, the team that owes the action, and "
    "its clock (and its escalation's) in microseconds, as `leadspec funnel` counts them.",
    "leadspec_stage_exact": "Stage values as the CRMs write them (id, label, abbr, API and CRM values) and "
    "the stage id each names.",
    "leadspec_stage_loose": "The same values in lower case, where that names a single stage.",
}

WINDOW_COLUMNS = (
    ("position", "INT"),
    ("label", "TEXT"),
    ("kind", "TEXT"),
    ("starts_at", "TIMESTAMPTZ"),
    ("ends_at", "TIMESTAMPTZ"),
)
HANDOFF_COLUMNS = (("stage", "TEXT"), ("to_stage", "TEXT"), ("is_exit", "BOOLEAN"))
STAGE_VALUE_COLUMNS = (("value", "TEXT"), ("stage", "TEXT"))


@struct
class FunnelModel:
    name: str
    sql: str  # DuckDB text over the contract tables
    description: str


def models(has_slas: bool) -> list[FunnelModel]:
    """The funnel's models, each from the SQL `leadspec funnel` runs."""
    from leadspec.funnel import history, measures, sla, stays

    found = [
        FunnelModel(
            "leadspec_history",
            HISTORY_RAW.format(
                stage=history.STAGE_OF,
                source=_SOURCE,
                joins=history.stage_joins("CAST(h.stage AS VARCHAR)"),
                history=history.HISTORY_SELECT,
            ),
            "One row per stage a lead entered, stage values mapped to stage ids as `leadspec funnel` maps "
            "them; unknown values are left out.",
        ),
        FunnelModel(
            "leadspec_stays",
            stays.STAYS_SELECT,
            "One row per visit of a lead to a stage (visit 2 or more: recycled), as of the var "
            "leadspec_as_of (default: now).",
        ),
        FunnelModel(
            "leadspec_funnel_volumes",
            BY_WINDOW.format(measure=measures.VOLUMES_SQL),
            "Stays that began in each period, per stage (entered), and the distinct leads among them.",
        ),
        FunnelModel(
            "leadspec_funnel_conversion",
            BY_WINDOW.format(measure=measures.CONVERSION_SQL),
            "Cohort conversion per hand-off: of the stays in `stage` that began in the period, those whose "
            "next stage was `to_stage` (reached), still in the stage, and the time to it (microseconds).",
        ),
    ]
    if has_slas:
        found += [
            FunnelModel(
                "leadspec_sla_clocks",
                sla.CLOCKS_SELECT,
                "Every stay's clock of every SLA of its stage: deadline, escalation time, verdict "
                "(met, missed, overdue, pending, unknown), counted in the SLA's business calendar.",
            ),
            FunnelModel(
                "leadspec_sla_compliance",
                COMPLIANCE.format(measure=sla.COMPLIANCE_SQL),
                "Each SLA's verdicts for the leads that entered its stage in the period; the share kept "
                "is met / (met + missed + overdue).",
            ),
            FunnelModel(
                "leadspec_open_breaches",
                BREACHES.format(measure=sla.BREACHES_SQL),
                "Leads still in a stage past an SLA's deadline, with the team that owes the action.",
            ),
        ]
    return found


def dbt_sql(text: str, dialect: str, refs: Sequence[str], source: str) -> str:
    """DuckDB `text` for `dialect`, its tables named in `refs` as `{{ ref() }}`, `$as_of` as the macro.

    `source` is the Jinja that reads the history source (for `leadspec_history`).
    """
    target = find_dialect(dialect).sqlglot
    tree = sqlglot.parse_one(text, read="duckdb")
    names = set(refs)
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if table.name in names and table.name not in ctes and not table.args.get("db"):
            table.set("this", exp.to_identifier(_TABLE + table.name, quoted=False))
    for placeholder in list(tree.find_all(exp.Placeholder)):
        if placeholder.name != "as_of":
            raise ExportError(f"the funnel SQL has a parameter ${placeholder.name} dbt cannot fill (a bug)")
        placeholder.replace(exp.column(_PARAM + "as_of"))
    written = tree.sql(dialect=target, pretty=True)
    for name in sorted(names, key=len, reverse=True):
        written = written.replace(_TABLE + name, f"{{{{ ref('{name}') }}}}")
    written = written.replace(_PARAM + "as_of", f"{{{{ {AS_OF_MACRO}() }}}}")
    return written.replace(_SOURCE, source)


def as_of_macro(dialect: str) -> str:
    """The macro `leadspec_as_of()`: the var `leadspec_as_of` as an instant, else the current time."""
    target = find_dialect(dialect).sqlglot
    kind = exp.DataType.build("TIMESTAMPTZ", dialect="duckdb").sql(dialect=target)
    return (
        f"{{% macro {AS_OF_MACRO}() -%}}\n"
        "{#- The instant the funnel is measured as of: the var leadspec_as_of (ISO 8601 with a zone), "
        "else now. -#}\n"
        "{%- if var('leadspec_as_of', none) -%}\n"
        f"CAST('{{{{ var(\"leadspec_as_of\") }}}}' AS {kind})\n"
        "{%- else -%}\ncurrent_timestamp\n{%- endif -%}\n{%- endmacro %}\n"
    )


def window_rows(years: tuple[int, int], zone: tzinfo) -> list[tuple[Any, ...]]:
    """Each year, quarter and month of `years` as (position, label, kind, starts_at, ends_at)."""
    from leadspec.funnel.periods import make_period

    rows: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    for year in range(years[0], years[1] + 1):
        named = [str(year), *(f"{year}-Q{q}" for q in range(1, 5))]
        for text in named:
            period = make_period(zone, period=text)
            for window, kind in zip(period.windows, period.kinds, strict=True):
                if window.label not in seen:
                    seen.add(window.label)
                    rows.append((len(rows), window.label, kind or "", window.start, window.end))
    return rows


def seed_rows(
    model: Model, years: tuple[int, int], zone: tzinfo
) -> dict[str, tuple[Sequence[tuple[str, str]], list[tuple[Any, ...]]]]:
    """The funnel's seeds: name -> (columns, rows), from the same functions `leadspec funnel` loads them with."""
    from leadspec.funnel import history, measures, sla

    exact, loose = history.stage_values(model)
    slas = sla.sla_rows(model)
    seeds: dict[str, tuple[Sequence[tuple[str, str]], list[tuple[Any, ...]]]] = {
        "leadspec_windows": (WINDOW_COLUMNS, window_rows(years, zone)),
        "leadspec_handoffs": (HANDOFF_COLUMNS, [tuple(row) for row in measures.handoffs(model)]),
        "leadspec_stage_exact": (STAGE_VALUE_COLUMNS, sorted(exact.items())),
        "leadspec_stage_loose": (STAGE_VALUE_COLUMNS, sorted(loose.items())),
    }
    if slas:
        seeds["leadspec_slas"] = (sla.SLA_COLUMNS, slas)
    return seeds


def render_models(
    model: Model, dialect: str, source: str, seeds: Mapping[str, Any], has_calendars: bool
) -> dict[str, str]:
    """`models/funnel/<name>.sql` -> text, for every funnel model the definitions allow."""
    found = models("leadspec_slas" in seeds and has_calendars)
    refs = [item.name for item in found] + list(seeds) + ["leadspec_calendars", "leadspec_calendar_days"]
    header = (
        "-- Written by `leadspec export dbt --history` from the definitions: do not edit, export again.\n"
        "-- The same SQL `leadspec funnel` runs, for this warehouse.\n"
    )
    return {item.name: header + dbt_sql(item.sql, dialect, refs, source) + "\n" for item in found}


def describe(found: Sequence[str]) -> list[dict[str, Any]]:
    """The funnel models' entries in `models/_leadspec.yml`."""
    about = {item.name: item.description for item in models(True)}
    return [{"name": name, "description": about[name]} for name in found]
