"""`leadspec classify FILE [PATHS]`: run the definitions over lead records from a CRM export."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_engine_options,
    add_paths_argument,
    check_engine_options,
    checked_membership,
    config_from,
    emit,
    out_of_memory,
    read_column_map,
)
from leadspec.outputs import reason, reason_in, staged

ORDER = 22
PROGRESS_FROM = 16 * 1024 * 1024  # bytes: smaller files finish before a progress line helps


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "classify",
        help="count the stages of lead records exported from a CRM (CSV, JSON Lines, Parquet, DuckDB)",
        description="Run the definitions over lead records exported from a CRM: how many records "
        "are in each stage, which are in no stage or in two, and which cells hold values outside "
        "their field's domain. Columns are matched to fields by the field's id or its `crm` API "
        "names (any CRM, also ignoring case), or by a --map file. Rows are numbered as in a "
        "spreadsheet (the header is row 1); JSON Lines by line. Exit code 0 when the records were "
        "read, 1 when the definitions have errors, 2 when the command could not run (for example "
        "a column the criteria need is missing).",
    )
    parser.add_argument(
        "file", metavar="FILE", help="the records: a .csv file, or .jsonl/.ndjson; - reads stdin"
    )
    add_paths_argument(parser)
    parser.add_argument(
        "--map",
        type=Path,
        metavar="MAP",
        help="YAML or JSON file naming the field each column holds (column name: field id); "
        "fields it leaves out are matched by name",
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="OUT",
        help="also write each record's row number, stage id and a note (no stage, two stages...): "
        "CSV, or Parquet when OUT ends in .parquet",
    )
    parser.add_argument(
        "--keep",
        action="extend",
        nargs="+",
        default=[],
        metavar="COLUMN",
        help="with --out: also copy these columns of FILE into OUT (the records' id), so that --out files "
        "taken on different days are a stage history for `leadspec funnel --snapshot`",
    )
    parser.add_argument(
        "--input-format",
        choices=("csv", "jsonl", "parquet", "duckdb"),
        help="how FILE is written (default by its extension: .jsonl/.ndjson, .parquet, .duckdb; else csv)",
    )
    parser.add_argument(
        "--table", help="the table to read in a DuckDB database file (needed when it holds several)"
    )
    add_engine_options(parser)
    parser.add_argument(
        "--encoding", default="utf-8", help="FILE's text encoding (default: utf-8; a BOM is skipped)"
    )
    parser.add_argument("--delimiter", default=",", help="CSV cell separator (default: ,)")
    add_config_option(parser)
    parser.set_defaults(run=run)


class _Progress:
    """`classifying leads.csv: 42%` on stderr, rewritten in place while DuckDB works (a terminal only)."""

    def __init__(self, name: str, con: Any) -> None:
        import threading

        self.name = name
        self.con = con
        self.done = threading.Event()
        self.shown = False
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _Progress:
        self.thread.start()
        return self

    def _watch(self) -> None:
        sys.stderr.write(f"\rclassifying {self.name}:   0%")  # at once: a large file may take a while
        sys.stderr.flush()
        self.shown = True
        while not self.done.wait(0.25):
            try:
                share = float(self.con.query_progress())
            except Exception:  # no query running at this moment
                continue
            if share >= 0:
                sys.stderr.write(f"\rclassifying {self.name}: {share:3.0f}%")
                sys.stderr.flush()
                self.shown = True

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    import duckdb

    from leadspec.classify import ClassifyError, classify_path, render_json, render_table, used_fields
    from leadspec.records import RecordsError, input_format_of

    config = config_from(args)
    if len(args.delimiter) != 1:
        raise UserError("--delimiter must be one character, like , or ;")
    check_engine_options(args)
    explicit = read_column_map(args.map) if args.map is not None else None
    source = Path(args.file)
    if args.file != "-" and not source.is_file():
        raise UserError(f"{args.file}: no such file" if not source.exists() else f"{args.file} is not a file")
    if (
        args.out is not None
        and args.file != "-"
        and args.out.exists()
        and args.out.resolve() == source.resolve()
    ):
        raise UserError("--out names the file being read; choose another file for the results")
    if args.keep and args.out is None:
        raise UserError("--keep copies columns into the --out file; give --out too")
    input_format = input_format_of(args.file, args.input_format)
    if args.file == "-" and input_format == "duckdb":
        raise UserError("a DuckDB database cannot be read from standard input; name the file")
    if args.table is not None and input_format != "duckdb":
        raise UserError("--table names a table in a DuckDB database file (.duckdb); FILE is not one")
    checked = checked_membership(args.paths, config, "nothing classified")
    if checked is None:
        return EXIT_FINDINGS
    loaded, membership = checked
    # A column for each field the criteria read, but optional ones: a missing column reads as blank.
    required = [
        f for f in used_fields(loaded.model, loaded.context.exprs) if not loaded.model.fields[f].optional
    ]
    name = "stdin" if args.file == "-" else args.file
    watch = sys.stderr.isatty() and (args.file == "-" or source.stat().st_size >= PROGRESS_FROM)
    temporary = None
    try:
        with contextlib.ExitStack() as stack:
            if args.out is not None:  # DuckDB writes beside --out, then it is put in place (outputs.py)
                temporary = stack.enter_context(staged(args.out))
            summary = classify_path(
                source,
                name,
                membership,
                required=required,
                input_format=input_format,
                explicit=explicit,
                encoding=args.encoding,
                delimiter=args.delimiter,
                table=args.table,
                out=temporary,
                keep=args.keep,
                threads=args.threads,
                memory_limit=args.memory_limit,
                stdin=sys.stdin.buffer if args.file == "-" else None,
                watch=(lambda con: _Progress(name, con)) if watch else None,
            )
    except (ClassifyError, RecordsError) as error:
        raise UserError(str(error)) from None
    except duckdb.OutOfMemoryException:
        raise out_of_memory(name, args) from None
    except duckdb.IOException as error:
        if args.out is not None and str(temporary) in str(error):
            raise UserError(
                f"cannot write {args.out}: {reason_in(str(error)) or _first_line(error)}"
            ) from None
        raise UserError(f"cannot read {name}: {_first_line(error)}") from None
    except duckdb.Error as error:
        raise UserError(f"{name} cannot be classified: {_first_line(error)}") from None
    except OSError as error:
        if (
            args.out is not None
            and error.filename is not None
            and (Path(error.filename).parent == args.out.parent or str(error.filename) == str(temporary))
        ):
            raise UserError(f"cannot write {args.out}: {reason(error)}") from None
        raise UserError(f"cannot read {name}: {reason(error)}") from None
    emit(render_json(summary) if args.format == "json" else render_table(summary), None)
    if args.out is not None:
        print(f"Wrote each record's stage to {args.out}", file=sys.stderr)
    return EXIT_OK


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
