"""`leadspec export TARGET --out DIR [--check]`: the picklists as files a CRM loads.

Refuses to write anything while `check` finds errors (including the CRM rules LS501-LS507
for TARGET, even when the definitions mention TARGET nowhere else). `--check` writes
nothing: it exits 1 and prints a unified diff when DIR is not what the export would write,
like a formatter's check mode in CI.

`leadspec export dbt` writes a dbt package for the warehouse instead (`exports.dbt`): it has
options of its own (`--source`, `--dialect`, `--crm`/`--map`, `--model`, `--years`), which
the CRM targets refuse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    config_from,
    load_definitions,
)
from leadspec.exports import DATA_TARGETS, TARGETS

if TYPE_CHECKING:
    from leadspec.api import Loaded
    from leadspec.exports.dbt import DbtOptions

ORDER = 30


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "export",
        help="write the stages and picklists as files a CRM loads",
        usage="leadspec export {salesforce,hubspot,dynamics,pipedrive,csv,dbt} [PATHS ...] --out DIR [--check]",
        description="Export the lifecycle stages and every picklist for a CRM: salesforce (an SFDX "
        "project), hubspot (properties API request bodies), dynamics (Dataverse global choices), "
        "pipedrive (Fields API v2 request bodies) or csv (one row per value); or dbt: a dbt package "
        "with the model that gives each lead in the warehouse its stage, its tests, and the picklists "
        "and calendars as seeds. Nothing is written while `leadspec check` finds errors. Exit code 0 "
        "when written (or up to date with --check), 1 for errors or an out-of-date export, 2 when the "
        "command could not run.",
    )
    parser.add_argument("target", choices=TARGETS + DATA_TARGETS, help="the CRM or format to export for")
    parser.add_argument("--out", "-o", type=Path, required=True, help="the folder to (re)write")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and show a diff if the folder is not what the export would write",
    )
    add_paths_argument(parser)
    add_config_option(parser)
    dbt = parser.add_argument_group("dbt options (only with the dbt target)")
    dbt.add_argument(
        "--source",
        metavar="SOURCE.TABLE",
        help="the dbt source and table the leads are read from (default: crm.leads)",
    )
    dbt.add_argument("--dialect", metavar="NAME", help="the warehouse's SQL dialect (default: duckdb)")
    dbt.add_argument("--crm", metavar="CRM", help="read columns by the fields' API names in this CRM")
    dbt.add_argument(
        "--map",
        type=Path,
        metavar="MAP",
        help="YAML or JSON file naming the field each column holds (column name: field id)",
    )
    dbt.add_argument("--model", metavar="NAME", help="the model's name (default: lead_stages)")
    dbt.add_argument(
        "--history",
        metavar="SOURCE.TABLE",
        help="also the funnel measures (stays, volumes, conversion, SLA compliance, open breaches) as models "
        "over this stage history table (lead_id, stage, entered_at, reason, owner)",
    )
    dbt.add_argument(
        "--timezone",
        metavar="ZONE",
        help="with --history: the zone of the funnel periods' midnights (default: UTC)",
    )
    dbt.add_argument(
        "--years",
        metavar="FIRST-LAST",
        help="the years the calendar seed covers (default: the years the calendars list holidays for)",
    )
    parser.set_defaults(run=run)


DBT_OPTIONS = ("source", "dialect", "crm", "map", "model", "years", "history", "timezone")


def run(args: argparse.Namespace) -> int:

    from leadspec.exports import build
    from leadspec.exports.writer import ExportError, drift, write
    from leadspec.reporters import render

    given = [f"--{name}" for name in DBT_OPTIONS if getattr(args, name) is not None]
    if args.target not in DATA_TARGETS and given:
        raise UserError(f"{', '.join(given)}: only for `leadspec export dbt`, not for {args.target}")
    options, column_map = _dbt_options(args) if args.target == "dbt" else (None, None)
    config = config_from(args)
    loaded = load_definitions(args.paths, config)
    report = build.checked_report(loaded, args.target, config)
    if report.diagnostics:
        sys.stdout.write(render("text", report, color=False))
    if report.exit_code:
        print(
            f"leadspec: nothing exported: fix the errors above first ({args.out} is unchanged)",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    try:
        if options is not None:
            files = _dbt_files(loaded, options, column_map, args.crm)
            if files is None:
                return EXIT_FINDINGS
        else:
            files = build.render(loaded.model, args.target)
        if args.check:
            difference = drift(args.out, files)
            if difference:
                sys.stdout.write(difference)
                print(
                    f"leadspec: {args.out} is out of date; run `leadspec export {args.target} "
                    f"--out {args.out}`{' with the same options' if options else ''} and commit the result",
                    file=sys.stderr,
                )
                return EXIT_FINDINGS
            print(f"{args.out} is up to date ({len(files)} files)")
            return EXIT_OK
        write(args.out, files)
    except ExportError as error:
        raise UserError(str(error)) from None
    print(f"Exported {len(files)} files for {args.target} to {args.out}")
    return EXIT_OK


def _dbt_options(args: argparse.Namespace) -> tuple[DbtOptions, Mapping[str, str] | None]:
    """The dbt options and the --map (column -> field id), checked before anything is read (exit code 2)."""
    from leadspec.commands import read_column_map
    from leadspec.exports.dbt import (
        DbtOptionError,
        DbtOptions,
        check_dialect,
        parse_model_name,
        parse_source,
        parse_timezone,
        parse_years,
    )

    try:
        source, table = parse_source(args.source) if args.source is not None else ("crm", "leads")
        options = DbtOptions(
            source=source,
            table=table,
            dialect=check_dialect(args.dialect or "duckdb"),
            model=parse_model_name(args.model) if args.model is not None else "lead_stages",
            years=parse_years(args.years) if args.years is not None else None,
            history=parse_source(args.history, "--history") if args.history is not None else None,
            timezone=parse_timezone(args.timezone) if args.timezone is not None else None,
        )
        if options.timezone is not None and options.history is None:
            raise DbtOptionError("--timezone is the zone of the funnel's periods: give --history too")
    except DbtOptionError as error:
        raise UserError(str(error)) from None
    return options, read_column_map(args.map) if args.map is not None else None


def _dbt_files(
    loaded: Loaded, options: DbtOptions, column_map: Mapping[str, str] | None, crm: str | None
) -> dict[str, bytes] | None:
    """The dbt package with its marker; None (after saying why) when a criterion cannot be read."""
    from leadspec import structs
    from leadspec.classify import used_fields
    from leadspec.exports import dbt
    from leadspec.exports.writer import MARKER
    from leadspec.membership import Membership, UnreadableCriteria
    from leadspec.sql import SqlError
    from leadspec.sql.columns import table_columns

    try:
        rule = Membership(loaded.model, loaded.context.exprs)
    except UnreadableCriteria as error:
        print(f"leadspec: nothing exported: {error} (run `leadspec check`)", file=sys.stderr)
        return None
    try:
        columns = table_columns(loaded.model, used_fields(loaded.model, rule.exprs), column_map, crm)
    except SqlError as error:
        raise UserError(str(error)) from None
    files = dbt.render(rule, loaded.context.analysis, structs.replace(options, columns=columns))
    files[MARKER] = b"leadspec export dbt\n"
    return files
