"""`leadspec sql`: the membership rule as SQL for a warehouse table, as a view or a plain SELECT."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    checked_membership,
    config_from,
    emit,
)

ORDER = 23


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from leadspec.sql.dialects import DIALECTS

    parser = commands.add_parser(
        "sql",
        help="write the SQL that gives each record of a warehouse table its stage",
        description="Write the SQL that gives each record of a table its stage under the definitions "
        "(NULL when in no stage), whether it is in the lifecycle's scope, how many stages it meets "
        "(above 1: an overlap in the data) and, per field, whether its value is outside the field's "
        "domain. Columns are the fields' API names in the CRM the table comes from (--crm, or the "
        "only CRM the fields name), else their ids, or what a --map file says. Exit code 0 when the "
        "SQL was written, 1 when the definitions have errors, 2 when the command could not run.",
    )
    add_paths_argument(parser)
    parser.add_argument(
        "--table", required=True, metavar="NAME", help="the table of leads (may be qualified: crm.leads)"
    )
    parser.add_argument(
        "--view", metavar="NAME", help="write CREATE OR REPLACE VIEW NAME AS ... instead of a plain SELECT"
    )
    parser.add_argument(
        "--dialect",
        default="duckdb",
        metavar="NAME",
        help=f"the SQL dialect: {', '.join(DIALECTS)} (default: duckdb)",
    )
    parser.add_argument("--crm", metavar="CRM", help="read columns by the fields' API names in this CRM")
    parser.add_argument(
        "--map",
        type=Path,
        metavar="MAP",
        help="YAML or JSON file naming the field each column holds (column name: field id), as for classify",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the SQL to FILE instead of stdout"
    )
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec.classify import used_fields
    from leadspec.commands import read_column_map
    from leadspec.sql import SqlError, compile_select, compile_view, dialect
    from leadspec.sql.columns import table_columns

    config = config_from(args)
    try:
        dialect(args.dialect)
    except SqlError as error:
        raise UserError(str(error)) from None
    explicit = read_column_map(args.map) if args.map is not None else None
    checked = checked_membership(args.paths, config, "no SQL written")
    if checked is None:
        return EXIT_FINDINGS
    loaded, rule = checked
    try:
        columns = table_columns(loaded.model, used_fields(loaded.model, rule.exprs), explicit, args.crm)
        if args.view:
            text = compile_view(rule, columns, args.dialect, args.table, args.view)
        else:
            text = compile_select(rule, columns, args.dialect, args.table)
    except SqlError as error:
        raise UserError(str(error)) from None
    except Exception as error:  # sqlglot refusing a table or view name
        from sqlglot.errors import SqlglotError

        if isinstance(error, SqlglotError):
            raise UserError(f"--table/--view: not a table name in {args.dialect}: {error}") from None
        raise
    emit(text + ";\n", args.output)
    return EXIT_OK
