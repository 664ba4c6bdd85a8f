"""`leadspec funnel HISTORY...`: is the agreement kept? Funnel health measured from the CRM's stage history."""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_engine_options,
    check_engine_options,
    checked_definitions,
    config_from,
    emit,
    out_of_memory,
)
from leadspec.structs import struct

if TYPE_CHECKING:
    from leadspec.funnel.report import FunnelReport
    from leadspec.model import Model

ORDER = 24


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "funnel",
        help="funnel health from the CRM's stage history: volumes and conversion against targets, SLAs kept",
        description="Measure whether the agreement is kept, from each lead's stage history: leads entering "
        "each stage against the reverse waterfall, conversion per hand-off against the target rates, time "
        "in each stage, SLA compliance counted in each SLA's calendar, open breaches, the closed loop's "
        "reasons, recycled leads, and transitions or stage values the definitions do not allow. HISTORY "
        "is a generic file (lead_id, stage, entered_at, reason, owner), a Salesforce LeadHistory export, "
        "or HubSpot (or Fivetran) contact property history: CSV, JSON Lines, Parquet or a DuckDB table. "
        "Exit code 0 when the report was made, 1 when the definitions have errors, 2 when the command "
        "could not run (bad rows are listed in the report with their row numbers).",
    )
    parser.add_argument(
        "history", nargs="*", metavar="HISTORY", help="stage history files (several are read together)"
    )
    parser.add_argument(
        "--definitions",
        action="append",
        default=[],
        metavar="PATH",
        help="definition files or folders (default: `paths` from [tool.leadspec], else definitions/)",
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    add_measure_options(parser)
    add_config_option(parser)
    parser.set_defaults(run=run)


def add_measure_options(parser: argparse._ActionsContainer) -> None:
    """The options that say what to measure and how to read the history (`funnel`, `site build --funnel`)."""
    parser.add_argument("--period", help="a quarter (2026-Q3), month (2026-11) or year (2026)")
    parser.add_argument("--from", dest="start", metavar="DAY", help="first day of the period (2026-07-01)")
    parser.add_argument("--to", dest="end", metavar="DAY", help="last day of the period, included")
    parser.add_argument(
        "--by",
        choices=("month", "quarter"),
        help="also per month or quarter (default: one step below the period)",
    )
    parser.add_argument(
        "--as-of",
        metavar="TIME",
        help="measure as of this instant (ISO 8601, e.g. 2026-10-01T09:00-05:00; default: now)",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the zone of times written without one (IANA name such as America/Chicago), and of the "
        "period's midnights (default: UTC; such times are otherwise bad rows)",
    )
    parser.add_argument(
        "--map",
        type=Path,
        metavar="MAP",
        help="YAML or JSON file naming the role of each column (column name: lead_id, stage, entered_at, "
        "reason, owner or field)",
    )
    parser.add_argument(
        "--snapshot",
        action="append",
        default=[],
        metavar="DAY=FILE",
        help="a `classify --out` file taken on DAY (2026-07-01=leads-0701.csv) that also holds the records' "
        "id column; give two or more, and --id",
    )
    parser.add_argument(
        "--id", dest="id_column", metavar="COLUMN", help="the records' id column of the snapshots"
    )
    parser.add_argument(
        "--input-format", choices=("csv", "jsonl", "parquet", "duckdb"), help="how HISTORY is written"
    )
    parser.add_argument("--table", help="the table to read in a DuckDB database file")
    parser.add_argument(
        "--breaches", type=int, default=20, metavar="N", help="open breaches listed (default: 20)"
    )
    add_engine_options(parser)


def _zone(name: str | None) -> tzinfo:
    from leadspec.calendars import CalendarError, load_zone

    if name is None:
        return UTC
    try:
        return load_zone(name)
    except CalendarError as error:
        raise UserError(f"--timezone: {error}" + (f"; {error.hint}" if error.hint else "")) from None


def _instant(text: str, zone: tzinfo, option: str) -> datetime:
    from leadspec.calendars import to_instant

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f'{option} "{text}" is not a date and time: write ISO 8601 such as 2026-10-01T09:00-05:00'
        ) from None
    return moment if moment.tzinfo is not None else to_instant(moment, zone)


def _snapshots(texts: list[str], zone: tzinfo) -> list[tuple[datetime, Path, str]]:
    found = []
    for text in texts:
        day, sep, name = text.partition("=")
        if not sep or not name:
            raise UserError(
                f"--snapshot {text}: write the day it was taken and the file, like 2026-07-01=leads.csv"
            )
        path = Path(name)
        if not path.is_file():
            raise UserError(f"--snapshot {text}: {name}: no such file")
        found.append((_instant(day, zone, "--snapshot"), path, name))
    if len(found) == 1:
        raise UserError("give two or more --snapshot files: the transitions are the changes between them")
    return sorted(found, key=lambda item: item[0])


@struct
class Request:
    """The measure options, checked before the definitions are loaded (a typo costs no load)."""

    history: tuple[str, ...]
    zone: tzinfo
    zone_name: str
    as_of: datetime
    snapshots: list[tuple[datetime, Path, str]]
    explicit: Any


def read_request(args: argparse.Namespace, history: list[str]) -> Request:
    """Check the measure options of `add_measure_options` and the HISTORY files; UserError if wrong."""
    from leadspec.commands import read_column_map

    if not history and not args.snapshot:
        raise UserError("name the stage history: HISTORY files, or two or more --snapshot DAY=FILE")
    if args.snapshot and not args.id_column:
        raise UserError("--snapshot needs --id COLUMN: the column that holds each record's id")
    if args.breaches < 0:
        raise UserError("--breaches must be 0 or more")
    check_engine_options(args)
    if args.table is not None and args.input_format not in (None, "duckdb"):
        raise UserError("--table names a table in a DuckDB database file")
    for name in history:
        if not Path(name).is_file():
            raise UserError(f"{name}: no such file" if not Path(name).exists() else f"{name} is not a file")
    zone = _zone(args.timezone)
    as_of = _instant(args.as_of, zone, "--as-of") if args.as_of else datetime.now(UTC).replace(microsecond=0)
    return Request(
        history=tuple(history),
        zone=zone,
        zone_name=args.timezone or "UTC",
        as_of=as_of,
        snapshots=_snapshots(args.snapshot, zone),
        explicit=read_column_map(args.map) if args.map is not None else None,
    )


def measure(args: argparse.Namespace, request: Request, model: Model) -> FunnelReport:
    """The funnel report for checked definitions: one source for `leadspec funnel` and the site's page."""
    import duckdb

    from leadspec.funnel import history, periods, report, stays
    from leadspec.records import RecordsError, connect

    files: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="leadspec-funnel-") as scratch:
        # Bounded memory: a history of millions of rows spills to the scratch folder, not to swap.
        con = connect(Path(scratch), memory_limit=args.memory_limit, threads=args.threads)
        try:
            history.create_tables(con)
            for name in request.history:
                shape = history.add_file(
                    con,
                    Path(name),
                    name,
                    model,
                    scratch=Path(scratch),
                    explicit=request.explicit,
                    timezone=args.timezone,
                    input_format=args.input_format,
                    table=args.table,
                )
                files.append((name, shape))
            if request.snapshots:
                history.add_snapshots(
                    con, request.snapshots, model, scratch=Path(scratch), id_column=args.id_column
                )
                files += [(name, "snapshot") for _, _, name in request.snapshots]
            loaded = history.finish(con)
            period = _period(args, con, model, request.as_of, request.zone)
            stays.build_stays(con, request.as_of)
            # The measures read the stays alone: free the history's rows (millions on a big CRM).
            con.execute(f"DROP TABLE {history.HISTORY}")
            return report.measure(
                con,
                model,
                period,
                request.as_of,
                zone=request.zone_name,
                files=files,
                loaded=loaded,
                breaches=args.breaches,
            )
        except (history.HistoryError, RecordsError) as error:
            raise UserError(str(error)) from None
        except periods.PeriodError as error:
            raise UserError(str(error)) from None
        except duckdb.OutOfMemoryException:
            raise out_of_memory(", ".join(request.history) or "the history", args) from None
        except duckdb.Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise UserError(f"the history cannot be read: {first}") from None
        finally:
            con.close()


def run(args: argparse.Namespace) -> int:
    from leadspec.funnel import report

    config = config_from(args)
    request = read_request(args, args.history)
    loaded_definitions = checked_definitions(args.definitions, config, "no funnel measured")
    if loaded_definitions is None:
        return EXIT_FINDINGS
    found = measure(args, request, loaded_definitions.model)
    render = {"json": report.render_json, "markdown": report.render_markdown}.get(
        args.format, report.render_text
    )
    emit(render(found), args.output)
    return EXIT_OK


def _period(args: argparse.Namespace, con: object, model: object, as_of: datetime, zone: tzinfo) -> object:
    """--period, --from/--to, else the targets' period (a quarter) holding the latest stage entry up to --as-of."""
    from leadspec.funnel import periods

    if args.period is not None and (args.start or args.end):
        raise UserError("give --period or --from/--to, not both")
    if args.period is None and not (args.start or args.end):
        latest = con.execute(  # type: ignore[attr-defined]
            "SELECT max(entered_at) FROM leadspec_history WHERE entered_at <= ?", [as_of]
        ).fetchone()[0]
        kind = getattr(getattr(model, "targets", None), "period", None)
        kind = kind if kind in periods.KINDS else "quarter"
        args.period = periods.period_of(latest or as_of, kind, zone)
    return periods.make_period(zone, period=args.period, start=args.start, end=args.end, by=args.by)
