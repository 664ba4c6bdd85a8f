"""dbt: the lifecycle as a dbt package a data team adds to its project (models, tests, seeds).

The files (relative to --out):

- `dbt_project.yml`: the package `leadspec_lifecycle`; its model is a table.
- `models/<model>.sql`: `sql.rule_select` over `{{ source('<source>', '<table>') }}` for the
  warehouse's dialect: every column of the source, then `stage`, `in_scope`, `stages_met` and one
  `outside_<field>` per field read (the same query `leadspec sql` prints).
- `models/_leadspec.yml`: the source (its schema, database and table can be moved by dbt vars
  without exporting again) and the model with its tests: `stage` is a stage id
  (`accepted_values`; NULL passes, it is out of scope or in no stage, which the next tests
  catch), no record in scope in two stages (when the policy is `exclusive`) or in none, each an
  error; one `outside_<field>` test per field at `severity: warn`, so a dirty cell is reported
  without failing the build (unless the project sets the var `leadspec_outside_severity: error`).
- `macros/leadspec_tests.sql`: the generic tests above, so the package needs no other package.
- `seeds/leadspec_picklists.csv`: every value of the stages and picklists (value, API name,
  label, deprecated, ...); `seeds/leadspec_calendars.csv` and `seeds/leadspec_calendar_days.csv`:
  the business calendars for the years asked, one row per calendar and day, as
  `funnel.worktime` lays them out (working time before each day, openings in UTC, the zone's
  offsets), so deadlines can be worked out in the warehouse; `seeds/_leadspec_seeds.yml`
  gives every seed column its type in the dialect, so dbt guesses nothing.
- `README.md`: how to install and run it.

dbt renders the SQL and YAML with Jinja; text from the definitions that holds a Jinja opening
(`{{`, `{%`, `{#`) is kept literal with `{% raw %}`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import yaml
from sqlglot import exp

from leadspec.calendars import usable_calendars
from leadspec.exports.picklists import value_sets
from leadspec.exports.writer import ExportError
from leadspec.flow import ordered_stages
from leadspec.membership import Membership
from leadspec.sql import SqlError, rule_select
from leadspec.sql.compile import Names
from leadspec.sql.dialects import dialect as find_dialect
from leadspec.structs import struct

PACKAGE = "leadspec_lifecycle"
# A cell outside its field's domain warns; a project that wants it to fail the build sets the var
# (a test's own config outranks anything dbt_project.yml says, so a var is the only handle).
OUTSIDE_SEVERITY = "{{ var('leadspec_outside_severity', 'warn') }}"
MACROS = "leadspec_tests"
MAX_YEARS = 30  # a seed of one row per calendar and day stays small enough to load in seconds
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_JINJA = ("{{", "{%", "{#")
_PLACEHOLDER = "leadspec_dbt_source_placeholder"


class DbtOptionError(ExportError):
    """An option of `leadspec export dbt` that cannot be used (exit code 2)."""


@struct
class DbtOptions:
    """What the command line says about the warehouse (see `parse_source` and `parse_years`)."""

    source: str = "crm"
    table: str = "leads"
    dialect: str = "duckdb"
    model: str = "lead_stages"
    columns: Mapping[str, str] | None = None  # field id -> column; None: each field's id
    years: tuple[int, int] | None = None  # None: the years the calendars list holidays for
    history: tuple[str, str] | None = None  # the stage history's source and table: the funnel models
    timezone: str | None = None  # the zone of the funnel periods' midnights (None: UTC)


def parse_source(text: str, option: str = "--source") -> tuple[str, str]:
    """`--source crm.leads` -> ("crm", "leads"): a dbt source name and a table in it."""
    parts = text.split(".")
    if len(parts) != 2 or not all(_NAME.match(part) for part in parts):
        example = "salesforce.lead" if option == "--source" else "crm.lead_history"
        raise DbtOptionError(
            f"{option} {text!r}: write SOURCE.TABLE, two plain names joined by a dot (letters, digits, "
            f"underscores), for example {option} {example}; the schema and database the source "
            "lives in are dbt vars (leadspec_source_schema, leadspec_source_database)"
        )
    return parts[0], parts[1]


def parse_timezone(text: str) -> str:
    """--timezone: an IANA zone name (the funnel periods' midnights)."""
    from leadspec.calendars import CalendarError, load_zone

    try:
        load_zone(text)
    except CalendarError as error:
        raise DbtOptionError(f"--timezone: {error}" + (f"; {error.hint}" if error.hint else "")) from None
    return text


def parse_model_name(text: str) -> str:
    if not _NAME.match(text):
        raise DbtOptionError(
            f"--model {text!r}: a dbt model name is letters, digits and underscores, for example lead_stages"
        )
    return text


def parse_years(text: str) -> tuple[int, int]:
    """`--years 2026` or `--years 2025-2027`: the years the calendar seed covers."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise DbtOptionError(
            f"--years {text!r}: write a year or a range of years, for example --years 2025-2027"
        )
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if last < first:
        raise DbtOptionError(f"--years {text!r}: the range ends before it starts; write {last}-{first}")
    if last - first + 1 > MAX_YEARS:
        raise DbtOptionError(
            f"--years {text!r}: {last - first + 1} years is more than the {MAX_YEARS} a calendar seed holds; "
            "give the years your data covers"
        )
    if first < 1971 or last > 9998:
        raise DbtOptionError(f"--years {text!r}: give years from 1971 to 9998")
    return first, last


def check_dialect(name: str) -> str:
    """The dialect's canonical name, or DbtOptionError listing the ones there are."""
    try:
        return find_dialect(name).name
    except SqlError as error:
        raise DbtOptionError(f"--dialect: {error}") from None


# --- the files --------------------------------------------------------------------------------


def render(rule: Membership, analysis: Any, options: DbtOptions) -> dict[str, bytes]:
    """Every file of the package, relative path -> bytes (the writer adds the marker).

    `analysis` is the lifecycle analysis of the checked definitions (`Context.analysis`): a
    test that the definitions themselves break (a waived gap or overlap) is left out, since
    it would fail on every correct table.
    """
    model = rule.model
    columns = dict(options.columns) if options.columns is not None else {name: name for name in model.fields}
    sql = _model_sql(rule, columns, options)
    read = [name for name in model.fields if name in columns]
    files = {
        "dbt_project.yml": _yaml(_project()),
        f"models/{options.model}.sql": sql.encode("utf-8"),
        "models/_leadspec.yml": _yaml(_schema(rule, analysis, options, columns, read)),
        f"macros/{MACROS}.sql": TEST_MACROS.encode("utf-8"),
        "seeds/leadspec_picklists.csv": _csv(PICKLIST_COLUMNS, _picklist_rows(rule)),
        "seeds/_leadspec_seeds.yml": b"",
        "README.md": b"",
    }
    seeds = {"leadspec_picklists": PICKLIST_COLUMNS}
    calendars = usable_calendars(model.calendars)
    years = options.years or _holiday_years(calendars)
    if calendars:
        first, last = date(years[0], 1, 1), date(years[1], 12, 31)
        files["seeds/leadspec_calendars.csv"] = _csv(
            CALENDAR_COLUMNS,
            (
                (
                    ident,
                    work.calendar.timezone,
                    str(_us(work.day_length)),
                    first.isoformat(),
                    last.isoformat(),
                )
                for ident, work in sorted(calendars.items())
            ),
        )
        files["seeds/leadspec_calendar_days.csv"] = _csv(DAY_COLUMNS, _day_rows(calendars, first, last))
        seeds |= {"leadspec_calendars": CALENDAR_COLUMNS, "leadspec_calendar_days": DAY_COLUMNS}
    funnel: list[str] = []
    if options.history is not None:
        funnel = _funnel_files(files, seeds, model, options, years, bool(calendars))
    files["seeds/_leadspec_seeds.yml"] = _yaml(
        _seeds_yml(seeds, options.dialect, years if calendars else None)
    )
    if funnel:
        files["models/_leadspec.yml"] = _yaml(
            _with_funnel(_schema(rule, analysis, options, columns, read), options, funnel)
        )
    files["README.md"] = _readme(rule, analysis, options, read, years if calendars else None).encode("utf-8")
    return files


def _funnel_files(
    files: dict[str, bytes],
    seeds: dict[str, Sequence[tuple[str, str]]],
    model: Any,
    options: DbtOptions,
    years: tuple[int, int],
    has_calendars: bool,
) -> list[str]:
    """Add the funnel's models, seeds and macro (exports/dbt_funnel.py); returns the models' names."""
    from leadspec.calendars import load_zone
    from leadspec.exports import dbt_funnel

    assert options.history is not None
    zone = load_zone(options.timezone) if options.timezone else UTC
    funnel_seeds = dbt_funnel.seed_rows(model, years, zone)
    for name, (columns, rows) in funnel_seeds.items():
        files[f"seeds/{name}.csv"] = _csv(columns, ([_cell(value) for value in row] for row in rows))
        seeds[name] = columns
    source, table = options.history
    call = f"{{{{ source('{source}', '{table}') }}}}"
    written = dbt_funnel.render_models(model, options.dialect, call, funnel_seeds, has_calendars)
    for name, text in written.items():
        files[f"models/funnel/{name}.sql"] = text.encode("utf-8")
    files["macros/leadspec_funnel.sql"] = dbt_funnel.as_of_macro(options.dialect).encode("utf-8")
    return list(written)


def _with_funnel(schema: dict[str, Any], options: DbtOptions, funnel: Sequence[str]) -> dict[str, Any]:
    """The schema with the history table among the sources and the funnel models described."""
    from leadspec.exports import dbt_funnel

    assert options.history is not None
    source, table = options.history
    entry = {
        "name": table,
        "description": "The stage history: lead_id, stage (id, label or CRM value), entered_at, reason, owner.",
        "identifier": f"{{{{ var('leadspec_history_table', '{table}') }}}}",
    }
    same = next((s for s in schema["sources"] if s["name"] == source), None)
    if same is not None:
        if any(t["name"] == table for t in same["tables"]):
            raise DbtOptionError(
                f"--history {source}.{table} is the leads table (--source); name the history table"
            )
        same["tables"].append(entry)
    else:
        schema["sources"].append(
            {
                "name": source,
                "description": "The CRM's stage history.",
                "database": "{{ var('leadspec_history_database', target.database) }}",
                "schema": f"{{{{ var('leadspec_history_schema', '{source}') }}}}",
                "tables": [entry],
            }
        )
    schema["models"].extend(dbt_funnel.describe(funnel))
    return schema


def _model_sql(rule: Membership, columns: Mapping[str, str], options: DbtOptions) -> str:
    """The compiled query over `{{ source(...) }}`, with the definitions' text kept out of Jinja."""
    target = find_dialect(options.dialect)
    relation = exp.Table(this=exp.to_identifier(_PLACEHOLDER, quoted=False))
    try:
        select = rule_select(rule, columns, options.dialect, relation, names=Names())
    except SqlError as error:
        raise DbtOptionError(str(error)) from None
    text = select.sql(dialect=target.sqlglot, pretty=True)
    pieces = text.split(_PLACEHOLDER)
    if len(pieces) != 2:
        raise ExportError("the compiled model does not read its source exactly once (a bug in leadspec)")
    call = f"{{{{ source('{options.source}', '{options.table}') }}}}"
    header = (
        "-- Each record of the leads source with its lifecycle stage, written by `leadspec export dbt`\n"
        "-- from the definitions: do not edit, export again. Columns added: stage (NULL: out of scope\n"
        "-- or in no stage), in_scope, stages_met (above 1: in several stages), outside_<field>\n"
        "-- (the cell is not a value of the field).\n"
    )
    return header + _literal(pieces[0]) + call + _literal(pieces[1]) + "\n"


def _literal(text: str) -> str:
    """`text` as Jinja leaves it: wrapped in raw when it holds something Jinja would read."""
    if not any(opening in text for opening in _JINJA):
        return text
    if "endraw" in text:
        raise ExportError(
            "a value in the definitions holds both a Jinja opening and `endraw`: dbt cannot carry it"
        )
    return "{% raw %}" + text + "{% endraw %}"


def _project() -> dict[str, Any]:
    return {
        "name": PACKAGE,
        "version": "1.0.0",
        "config-version": 2,
        "require-dbt-version": [">=1.10.5", "<2.0.0"],
        "profile": PACKAGE,
        "model-paths": ["models"],
        "seed-paths": ["seeds"],
        "macro-paths": ["macros"],
        "models": {PACKAGE: {"+materialized": "table"}},
    }


def _schema(
    rule: Membership, analysis: Any, options: DbtOptions, columns: Mapping[str, str], read: Sequence[str]
) -> dict[str, Any]:
    model = rule.model
    fields = model.fields
    stage_ids = [stage.id for stage in ordered_stages(model) if stage.entry is not None]
    gaps, overlaps = _promises(rule, analysis)
    met_tests: list[Any] = []
    if overlaps:
        met_tests.append("leadspec_in_at_most_one_stage")
    if gaps:
        met_tests.append("leadspec_in_some_stage")
    source_columns = [
        {"name": columns[name], "description": _text(_field_words(fields[name]))} for name in read
    ]
    policy = model.lifecycle.policy
    return {
        "version": 2,
        "sources": [
            {
                "name": options.source,
                "description": "The leads, as the CRM sync writes them (one column per field).",
                "database": "{{ var('leadspec_source_database', target.database) }}",
                "schema": f"{{{{ var('leadspec_source_schema', '{options.source}') }}}}",
                "tables": [
                    {
                        "name": options.table,
                        "identifier": f"{{{{ var('leadspec_source_table', '{options.table}') }}}}",
                        "columns": source_columns,
                    }
                ],
            }
        ],
        "models": [
            {
                "name": options.model,
                "description": _text(
                    "Each lead of the source with its stage under the lifecycle's definitions "
                    f"(policy: {policy}), written by `leadspec export dbt`."
                ),
                "columns": [
                    {
                        "name": "stage",
                        "description": "The stage id; NULL when out of scope or in no stage"
                        + (
                            "; the first stage met under first_match."
                            if policy == "first_match"
                            else "; a lead in several stages gets their ids joined with `;` (mql;sal)."
                        ),
                        "data_tests": [{"accepted_values": {"arguments": {"values": stage_ids}}}],
                    },
                    {
                        "name": "in_scope",
                        "description": "Whether the lead is inside the lifecycle's scope.",
                        "data_tests": ["not_null"],
                    },
                    {
                        "name": "stages_met",
                        "description": "How many stages' conditions the lead meets in scope, before the "
                        "policy: 0 is in no stage, above 1 is in several.",
                        "data_tests": met_tests,
                    },
                    *(
                        {
                            "name": f"outside_{name}",
                            "description": _text(
                                f"The {columns[name]} cell is not a value of {fields[name].label}"
                                + ("" if fields[name].optional else " (or is empty: the field is required)")
                                + "; the lead is placed as if the value were missing."
                            ),
                            "data_tests": [{"leadspec_is_false": {"config": {"severity": OUTSIDE_SEVERITY}}}],
                        }
                        for name in read
                    ),
                ],
            }
        ],
    }


def _promises(rule: Membership, analysis: Any) -> tuple[bool, bool]:
    """(no lead in scope is in no stage, none is in two): what the definitions promise for clean data."""
    decided = analysis is not None and analysis.skipped is None and analysis.complete
    no_gaps = not (decided and analysis.gaps)
    no_overlaps = rule.model.lifecycle.policy == "exclusive" and not (decided and analysis.overlaps)
    return no_gaps, no_overlaps


def _field_words(field: Any) -> str:
    return f"{field.label} (the field `{field.id}`)."


def _text(text: str) -> str:
    """Text for a YAML value dbt renders with Jinja (descriptions): kept literal."""
    return _literal(text)


TEST_MACROS = """\
{#- Generic tests of the leadspec_lifecycle package, written by `leadspec export dbt`. -#}

{% test leadspec_in_at_most_one_stage(model, column_name) %}
{#- Leads in scope that meet the conditions of two stages or more. -#}
select * from {{ model }} where in_scope and {{ column_name }} > 1
{% endtest %}

{% test leadspec_in_some_stage(model, column_name) %}
{#- Leads in scope that are in no stage. -#}
select * from {{ model }} where in_scope and {{ column_name }} = 0
{% endtest %}

{% test leadspec_is_false(model, column_name) %}
{#- Rows where the flag is true (a cell outside its field's domain). -#}
select * from {{ model }} where {{ column_name }}
{% endtest %}
"""


# --- seeds --------------------------------------------------------------------------------------

# (column, type) with sqlglot's type names, written in the dialect's spelling.
PICKLIST_COLUMNS = (
    ("picklist", "TEXT"),
    ("value", "TEXT"),
    ("api_name", "TEXT"),
    ("label", "TEXT"),
    ("deprecated", "BOOLEAN"),
    ("position", "INT"),
    ("replaced_by", "TEXT"),
    ("next_stage", "TEXT"),
    ("description", "TEXT"),
)
CALENDAR_COLUMNS = (
    ("calendar", "TEXT"),
    ("timezone", "TEXT"),
    ("day_length_us", "BIGINT"),
    ("first_day", "DATE"),
    ("last_day", "DATE"),
)
DAY_COLUMNS = (
    ("calendar", "TEXT"),
    ("day_number", "INT"),
    ("local_date", "DATE"),
    ("working", "BOOLEAN"),
    ("work_day", "INT"),
    ("opens_at", "TIMESTAMPTZ"),
    ("closes_at", "TIMESTAMPTZ"),
    ("open_wall_us", "BIGINT"),
    ("length_us", "BIGINT"),
    ("worked_before_us", "BIGINT"),
    ("offset_us", "BIGINT"),
    ("offset_change_us", "BIGINT"),
    ("offset_after_us", "BIGINT"),
    ("wall_offset_us", "BIGINT"),
    ("wall_change_us", "BIGINT"),
    ("wall_offset_after_us", "BIGINT"),
)


def _picklist_rows(rule: Membership) -> list[tuple[str, ...]]:
    return [
        (
            value_set.id,
            value.id,
            value.api_value,
            value.label,
            "false" if value.active else "true",
            str(value.order),
            value.replaced_by or "",
            value.next_stage or "",
            value.description or "",
        )
        for value_set in value_sets(rule.model)
        for value in value_set.values
    ]


def _holiday_years(calendars: Mapping[str, Any]) -> tuple[int, int]:
    """The years the calendars list holidays for; without any, this year (`calendars.today`)."""
    from leadspec.calendars import today

    years = [day.year for work in calendars.values() for day in work.holidays]
    return (min(years), max(years)) if years else (today().year, today().year)


def _day_rows(calendars: Mapping[str, Any], first: date, last: date) -> list[tuple[str, ...]]:
    from leadspec.funnel.worktime import calendar_days

    rows: list[tuple[str, ...]] = []
    for ident in sorted(calendars):
        for row in calendar_days(calendars[ident], first, last):
            rows.append(tuple(_cell(getattr(row, name)) for name, _ in DAY_COLUMNS))
    return rows


def _cell(value: object) -> str:
    """A seed cell: empty for NULL, instants in UTC with their offset, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _us(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _seeds_yml(
    seeds: Mapping[str, Sequence[tuple[str, str]]], dialect: str, years: tuple[int, int] | None
) -> dict[str, Any]:
    from leadspec.exports.dbt_funnel import SEEDS_ABOUT

    target = find_dialect(dialect).sqlglot
    about = {
        **SEEDS_ABOUT,
        "leadspec_picklists": "Every value of the lifecycle stages (picklist `stages`) and of each picklist.",
        "leadspec_calendars": "The business calendars: zone and working time of a working day.",
        "leadspec_calendar_days": "One row per calendar and day"
        + (f" of {years[0]}-{years[1]}" if years else "")
        + ": whether it is a working day, its opening and closing in UTC and the working time before it.",
    }
    return {
        "version": 2,
        "seeds": [
            {
                "name": name,
                "description": about[name],
                "config": {
                    "column_types": {
                        column: exp.DataType.build(kind, dialect="duckdb").sql(dialect=target)
                        for column, kind in columns
                    }
                },
            }
            for name, columns in seeds.items()
        ],
    }


# --- text ---------------------------------------------------------------------------------------


def _csv(header: Sequence[tuple[str, str]], rows: Any) -> bytes:
    """A seed as dbt reads it: the values exactly (no spreadsheet defusing: the warehouse is the reader)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([name for name, _ in header])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _yaml(data: Mapping[str, Any]) -> bytes:
    text = yaml.safe_dump(
        dict(data), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return (
        "# Written by `leadspec export dbt` from the definitions: do not edit, export again.\n" + text
    ).encode("utf-8")


def _readme(
    rule: Membership, analysis: Any, options: DbtOptions, read: Sequence[str], years: tuple[int, int] | None
) -> str:
    gaps, overlaps = _promises(rule, analysis)
    met = []
    if overlaps:
        met.append("`leadspec_in_at_most_one_stage`: no lead in scope meets two stages")
    if gaps:
        met.append("`leadspec_in_some_stage`: every lead in scope is in a stage")
    seeds = "- `leadspec_picklists`: every value of the stages and picklists (value, API name, label, deprecated).\n"
    if years:
        seeds += (
            f"- `leadspec_calendars`, `leadspec_calendar_days`: the business calendars for {years[0]}-{years[1]}, "
            "one row per calendar and day (opening and closing in UTC, working time before the day). "
            "Export again with `--years FIRST-LAST` to cover the years your data spans.\n"
        )
    funnel = ""
    if options.history is not None:
        funnel = f"""
## Funnel health (the history `{options.history[0]}.{options.history[1]}`)

`models/funnel/` computes what `leadspec funnel` reports, with the same SQL: `leadspec_stays`,
`leadspec_funnel_volumes`, `leadspec_funnel_conversion` per period of the seed `leadspec_windows`
(each year, quarter and month, midnights in {options.timezone or "UTC"}), and, with SLAs,
`leadspec_sla_clocks`, `leadspec_sla_compliance` and `leadspec_open_breaches`. They are measured as
of now, or as of the var `leadspec_as_of` (ISO 8601 with a zone, e.g. `dbt build --vars
"{{leadspec_as_of: '2026-10-01T00:00:00Z'}}"`). The history table holds `lead_id, stage,
entered_at, reason, owner`; its table name is the var `leadspec_history_table`.
"""
    return f"""# {PACKAGE}

A dbt package written by `leadspec export dbt` from the lifecycle definitions. Do not edit it:
change the definitions and export again (`--check` tells CI when it is out of date).

## Install

Copy this folder into your dbt project (for example as `leadspec/`), then add it to
`packages.yml` and install it:

```yaml
packages:
  - local: leadspec
```

```sh
dbt deps
dbt build --select package:{PACKAGE}
```

## Where the leads are read

The source `{options.source}` table `{options.table}`, written for {options.dialect}. Move it without
exporting again with vars in your `dbt_project.yml`:

```yaml
vars:
  leadspec_source_database: analytics   # default: the target's database
  leadspec_source_schema: salesforce    # default: {options.source}
  leadspec_source_table: lead           # default: {options.table}
```

## What it builds

- `{options.model}`: every lead with `stage` (the stage id; NULL when out of scope or in no stage),
  `in_scope`, `stages_met` and `outside_<field>` for each of the {len(read)} fields it reads.
{seeds}
## Tests

- `stage` is one of the lifecycle's stage ids (`accepted_values`).
{"".join(f"- {line} (an error).{chr(10)}" for line in met)}- `outside_<field>` is false for every row (`leadspec_is_false`, severity warn: a dirty cell is
  reported, the build goes on). To fail the build on them, in your `dbt_project.yml`:

```yaml
vars:
  leadspec_outside_severity: error
```
{funnel}"""
