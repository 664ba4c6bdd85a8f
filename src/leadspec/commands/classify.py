"""`leadspec classify FILE [PATHS]`: run the definitions over lead records from a CRM export."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

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

ORDER = 22
PROGRESS_FROM = 16 * 1024 * 1024  # bytes: smaller files finish before a progress line helps


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "classify",
        help="count the stages of lead records exported from a CRM (CSV or JSON Lines)",
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
        metavar="OUT.csv",
        help="also write a CSV with each record's row number, stage id and a note (no stage, two stages...)",
    )
    parser.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        help="how FILE is written (default: jsonl for .jsonl and .ndjson, else csv)",
    )
    parser.add_argument(
        "--encoding", default="utf-8", help="FILE's text encoding (default: utf-8; a BOM is skipped)"
    )
    parser.add_argument("--delimiter", default=",", help="CSV cell separator (default: ,)")
    add_config_option(parser)
    parser.set_defaults(run=run)


def _read_map(path: Path) -> dict[str, str]:
    """The --map file: column name -> field id."""
    import json

    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise UserError(f"cannot read the column map {path}: {reason}") from None
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        first = str(error).splitlines()[0] if str(error) else "not valid"
        raise UserError(
            f"the column map {path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
            f"{first}"
        ) from None
    if not isinstance(data, dict) or not data:
        raise UserError(
            f"the column map {path} should map column names to field ids, like `Lead Score: lead_score`"
        )
    found: dict[str, str] = {}
    for column, field_id in data.items():
        if not isinstance(field_id, str) or isinstance(column, (dict, list)) or column is None:
            raise UserError(
                f"in the column map {path}, {column!r} should map to a field id (text), not {field_id!r}"
            )
        found[str(column)] = field_id
    return found


def _input_format(args: argparse.Namespace) -> str:
    if args.input_format:
        return str(args.input_format)
    return "jsonl" if Path(args.file).suffix.lower() in (".jsonl", ".ndjson") else "csv"


class _Progress:
    """`classifying leads.csv: 42% (420,000 records)` on stderr, rewritten in place, a few times a second."""

    def __init__(self, name: str, binary: IO[bytes], size: int) -> None:
        self.name = name
        self.binary = binary
        self.size = size
        self.last = 0.0
        self.shown = False

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        try:
            done = min(self.binary.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return
        sys.stderr.write(f"\rclassifying {self.name}: {done:4.0%} ({rows:,} records)")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from leadspec.classify import (
        ClassifyError,
        classify_csv,
        classify_jsonl,
        open_text,
        render_json,
        render_table,
        used_fields,
    )

    config = config_from(args)
    if len(args.delimiter) != 1:
        raise UserError("--delimiter must be one character, like , or ;")
    explicit = _read_map(args.map) if args.map is not None else None
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
    checked = checked_membership(args.paths, config, "nothing classified")
    if checked is None:
        return EXIT_FINDINGS
    loaded, membership = checked
    required = used_fields(loaded.model, loaded.context.exprs)
    name = "stdin" if args.file == "-" else args.file
    out_file, temporary = None, None
    binary: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(source, "rb")  # noqa: SIM115
    text = None
    progress = None
    try:
        out = None
        if args.out is not None:
            temporary = args.out.with_name(f".{args.out.name}.tmp-{os.getpid()}")
            try:
                out_file = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as error:
                raise UserError(f"cannot write {args.out}: {error.strerror}") from None
            writer = csv.writer(out_file)
            writer.writerow(["row", "stage", "note"])
            out = writer.writerows
        if args.file != "-" and sys.stderr.isatty():
            size = source.stat().st_size
            if size >= PROGRESS_FROM:
                progress = _Progress(name, binary, size)
        text = open_text(binary, args.encoding)
        common: dict[str, Any] = {
            "file": name,
            "required": required,
            "explicit": explicit,
            "out": out,
            "progress": progress,
        }
        if _input_format(args) == "jsonl":
            summary = classify_jsonl(text, loaded.model, membership, **common)
        else:
            summary = classify_csv(text, loaded.model, membership, delimiter=args.delimiter, **common)
        if out_file is not None:
            out_file.close()
            try:
                os.replace(temporary, args.out)  # type: ignore[arg-type]
            except OSError as error:
                raise UserError(f"cannot write {args.out}: {error.strerror or error}") from None
            temporary = None
    except ClassifyError as error:
        raise UserError(str(error)) from None
    except UnicodeError:  # e.g. UTF-16 without a byte order mark: the codec refuses the whole file
        raise UserError(
            f"{name} cannot be read as {args.encoding} text; CRM exports are usually utf-8 (the default) "
            "or, from Excel, cp1252"
        ) from None
    except OSError as error:
        raise UserError(f"cannot read {name}: {error.strerror or error}") from None
    finally:
        if progress is not None:
            progress.close()
        if out_file is not None and not out_file.closed:
            out_file.close()
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if text is not None:
            text.detach()  # the binary file is closed below (stdin is left open)
        if binary is not sys.stdin.buffer:
            binary.close()
    emit(render_json(summary) if args.format == "json" else render_table(summary), None)
    if args.out is not None:
        print(f"Wrote each record's stage to {args.out}", file=sys.stderr)
    return EXIT_OK
