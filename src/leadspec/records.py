"""Lead records from a file, opened in DuckDB as one relation with each record's row number.

DuckDB reads the file (CSV, JSON Lines, Parquet, or a table in a DuckDB
database) in parallel and in bounded memory, so leadspec never splits a CSV line
or parses JSON itself. This module says how to read each kind of file, and turns
what DuckDB cannot read into rows a person can find in the file:

- rows are numbered as a spreadsheet numbers them: the header is row 1, a record
  whose quoted cell holds line breaks is one row, a blank line is a row with no
  record (DuckDB counts rows the same way in its rejects table); JSON Lines by
  line; Parquet files and tables by position, from 1;
- a CSV record that cannot be read (a cell too many or too few, a stray quote,
  bytes that are not text) is skipped by DuckDB and listed in its rejects table;
  the records after it keep their own row numbers (`row_numbers`).

The relation `RECORDS` has the column `row`, the column `unreadable` (NULL for
a record that could be read, else why not: JSON Lines only, the CSV reader
keeps those in its rejects table) and the file's columns as text or as typed
values (Parquet, tables).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Literal

from leadspec.structs import struct

InputFormat = Literal["csv", "jsonl", "parquet", "duckdb"]
FORMATS: tuple[InputFormat, ...] = ("csv", "jsonl", "parquet", "duckdb")
RECORDS = "leadspec_records"
REJECTS = "leadspec_rejects"
_SCANS = "leadspec_reject_scans"
SAMPLE = 100  # JSON Lines objects whose keys name the columns
_DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16": "utf-16", "latin-1": "latin-1"}
_BLOCK = 1 << 20
_BLANK_LINE = re.compile(rb"\n\r?\n")


class RecordsError(Exception):
    """The file cannot be read at all (no header, not the format named, unknown table): exit code 2."""


@struct
class Opened:
    """A file opened as the view `RECORDS`."""

    name: str  # the file as the user named it
    input_format: InputFormat
    header: tuple[str, ...]  # the columns, as the file names them
    skipped: tuple[int, ...] = ()  # CSV rows with no record: blank lines (rejected ones come after the scan)

    @property
    def unit(self) -> str:
        return "line" if self.input_format == "jsonl" else "row"


def input_format_of(path: str, given: str | None) -> InputFormat:
    """The format named by --input-format, else by the file's extension (CSV when it says nothing)."""
    if given:
        return given  # type: ignore[return-value]
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".duckdb", ".ddb", ".db"):
        return "duckdb"
    return "csv"


def sql_text(text: str) -> str:
    """A SQL string literal (file paths and names go into table functions, which take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def sql_name(name: str) -> str:
    """A quoted SQL identifier: file columns keep their names exactly, whatever they hold."""
    return '"' + name.replace('"', '""') + '"'


def connect(scratch: Path, *, memory_limit: str = "2GB", threads: int | None = None) -> Any:
    """A DuckDB of its own in bounded memory: past `memory_limit` it spills to `scratch`, not grows.

    Insertion order is not kept (queries that need an order say ORDER BY), which lets
    big sorts and aggregates stream instead of buffering the whole file.
    """
    import duckdb

    settings: dict[str, Any] = {
        "memory_limit": memory_limit,
        "temp_directory": str(scratch / "spill"),
        "preserve_insertion_order": False,
    }
    if threads is not None:
        settings["threads"] = threads
    return duckdb.connect(config=settings)


def spool(stream: IO[bytes], scratch: Path) -> Path:
    """Standard input copied to a file: DuckDB reads files (in parallel, more than once)."""
    target = scratch / "stdin"
    with open(target, "wb") as out:
        shutil.copyfileobj(stream, out, _BLOCK)
    return target


def open_records(
    con: Any,
    path: Path,
    name: str,
    input_format: InputFormat,
    *,
    scratch: Path,
    encoding: str = "utf-8",
    delimiter: str = ",",
    table: str | None = None,
) -> Opened:
    """Create the view `RECORDS` over the file; RecordsError when it cannot be read at all."""
    if input_format == "csv":
        return _open_csv(con, path, name, scratch, encoding, delimiter)
    if input_format == "jsonl":
        return _open_jsonl(con, path, name, scratch, encoding)
    if input_format == "parquet":
        return _open_parquet(con, path, name)
    return _open_table(con, path, name, table)


# -- text ---------------------------------------------------------------------------------


def _codec(encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise RecordsError(f"{encoding!r} is no text encoding Python knows (try utf-8 or cp1252)") from None
    if not getattr(codec, "_is_text_encoding", True):
        raise RecordsError(f"{encoding!r} is not a text encoding (try utf-8 or cp1252)")
    return codec.name


def _utf8_file(path: Path, name: str, scratch: Path, encoding: str) -> Path:
    """The file as UTF-8 for DuckDB: as it is when it is UTF-8 already, else transcoded once.

    Bytes that are not text in `encoding` are written on unchanged (`surrogateescape`), so
    DuckDB finds them invalid and rejects that one record, never the whole file.
    """
    codec = _codec(encoding)
    if codec == "utf-8":
        return path
    target = scratch / "utf8"
    try:
        with open(path, "rb") as raw, open(target, "wb") as out:
            text = io.TextIOWrapper(raw, encoding=codec, errors="surrogateescape", newline="")
            while block := text.read(_BLOCK):
                out.write(block.encode("utf-8", "surrogateescape"))
    except UnicodeError:  # e.g. UTF-16 without a byte order mark: the codec refuses the whole file
        raise RecordsError(
            f"{name} cannot be read as {encoding} text; CRM exports are usually utf-8 (the default) "
            "or, from Excel, cp1252"
        ) from None
    return target


def _first_line(path: Path) -> bytes:
    """The bytes up to the end of the first line (whole blocks: a header may be long)."""
    with open(path, "rb") as raw:
        head = raw.read(_BLOCK)
        while head and b"\n" not in head and b"\r" not in head:
            more = raw.read(_BLOCK)
            if not more:
                break
            head += more
    return head


def _header(path: Path, name: str, delimiter: str) -> list[str]:
    """The header row, read by Python's csv module: DuckDB renames odd or repeated names."""
    head = _first_line(path)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\n" not in head[: error.start]:  # the bad byte is in the header row itself
            raise RecordsError(
                f"the header row of {name} is not valid text in this encoding; "
                "if the file comes from Excel, try --encoding cp1252"
            ) from None
        text = head[: error.start].decode("utf-8-sig")
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except StopIteration:
        raise RecordsError(f"{name} is empty: a CSV file needs a header row naming its columns") from None
    except csv.Error as error:
        raise RecordsError(f"the header row of {name} cannot be read: {error}") from None
    return [cell.strip() for cell in row]


def _open_csv(con: Any, path: Path, name: str, scratch: Path, encoding: str, delimiter: str) -> Opened:
    source = _utf8_file(path, name, scratch, encoding)
    header = _header(source, name, delimiter)
    if not any(header):
        raise RecordsError(f"{name} is empty: a CSV file needs a header row naming its columns")
    # DuckDB's own names for the columns: unique, never empty. The report uses the file's names.
    inner = [f"c{index}" for index in range(len(header))]
    columns = "{" + ", ".join(f"{sql_text(c)}: 'VARCHAR'" for c in inner) + "}"
    options = (
        f"header = true, columns = {columns}, delim = {sql_text(delimiter)}, quote = '\"', escape = '\"', "
        "auto_detect = false, strict_mode = true, store_rejects = true, "
        f"rejects_table = {sql_text(REJECTS)}, rejects_scan = {sql_text(_SCANS)}"
    )
    selected = ", ".join(
        f"{sql_name(c)} AS {sql_name(h or c)}" for c, h in zip(inner, column_labels(header), strict=True)
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RECORDS} AS SELECT ordinality + 1 AS leadspec_row, NULL::VARCHAR AS leadspec_unreadable, "
        f"{selected} FROM read_csv({sql_text(str(source))}, {options}) WITH ORDINALITY"
    )
    return Opened(name, "csv", tuple(header), _blank_rows(source))


def column_labels(header: Sequence[str]) -> list[str]:
    """Column names DuckDB can hold side by side: a repeated name gets a suffix (the first keeps its own)."""
    seen: dict[str, int] = {}
    names = []
    for index, name in enumerate(header):
        key = name.casefold()  # DuckDB's identifiers ignore case
        if not name or key in seen:
            name = f"{name or 'column'} ({index + 1})"
        seen[key] = index
        names.append(name)
    return names


def _blank_rows(source: Path) -> tuple[int, ...]:
    """The rows of blank lines, which DuckDB skips without a word (a rare thing: found only when there).

    A row is a record or a blank line, counted as DuckDB's rejects table counts them: a
    record that spans lines (a line break inside quotes) is one row, and an empty line
    inside its quotes is no blank line (the random-records test found one shifting every
    row number after it).
    """
    found = False
    with open(source, "rb") as raw:
        tail = b""
        while block := raw.read(_BLOCK):
            if _BLANK_LINE.search(tail + block):  # one pattern: two `in` tests took three times as long
                found = True
                break
            tail = block[-2:]
    if not found:
        return ()
    # Counted here, line by line, not by DuckDB reading the file as lines: that stopped at the
    # first bytes that are not UTF-8, which the records' own reader rejects one record at a time.
    # An odd number of quotes on a line opens or closes a quoted cell: the lines inside one are
    # part of its record. (Python's CSV reader took 13 times as long: 2 s per million rows.)
    blank: list[int] = []
    row = 0
    inside = False
    with open(source, "rb") as raw:
        for line in raw:
            if not inside:
                row += 1
                if not line.strip(b"\r\n"):
                    blank.append(row)
            if line.count(b'"') % 2:
                inside = not inside
    return tuple(blank)


def rejected(con: Any) -> list[tuple[int, str]]:
    """CSV rows DuckDB could not read, with why in plain words, once the file has been scanned."""
    try:
        rows = con.execute(
            f"SELECT line, error_type::VARCHAR, error_message, csv_line FROM {REJECTS} ORDER BY line"
        ).fetchall()
    except Exception:  # no scan stored rejects (not a CSV file, or nothing read yet)
        return []
    found: dict[int, str] = {}
    for line, kind, message, text in rows:
        found.setdefault(int(line), _why(kind, message, text))
    return sorted(found.items())


def _why(kind: str, message: str, text: str | None) -> str:
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        counted = message.rsplit("Found:", 1)
        cells = counted[1].strip() if len(counted) == 2 else "a different number of"
        expected = message.split("Columns:", 1)[1].split("Found")[0].strip() if "Columns:" in message else "?"
        plural = "" if cells == "1" else "s"
        return f"has {cells} cell{plural}, the header has {expected}"
    if kind == "INVALID ENCODING" or kind == "INVALID UNICODE":
        return "holds bytes that are not text in the file's encoding (try --encoding cp1252 for Excel files)"
    if kind == "UNQUOTED VALUE":
        return 'cannot be read as CSV (a quote (") inside a cell that is not quoted, or a quote never closed)'
    if kind == "LINE SIZE OVER MAXIMUM":
        return "cannot be read as CSV (the record is longer than 2,000,000 characters)"
    return f"cannot be read as CSV ({message.splitlines()[0] if message else kind.lower()})"


def row_numbers(skipped: Sequence[int]) -> Any:
    """The row of the k-th record read (k from 1), given the rows with no record read (sorted).

    Rows 2, 3, ... go to records in order, passing over the skipped ones.
    """
    keys = [row - index for index, row in enumerate(skipped, 1)]  # records (plus header) before each skip

    def number(k: int) -> int:
        return k + 1 + bisect.bisect_right(keys, k)

    return number


# -- JSON Lines ------------------------------------------------------------------------------


def _open_jsonl(con: Any, path: Path, name: str, scratch: Path, encoding: str) -> Opened:
    """Each line as text (so every line keeps its number), parsed as JSON by DuckDB."""
    source = _utf8_file(path, name, scratch, encoding)
    lines = (
        f"SELECT ordinality AS row, line FROM read_csv({sql_text(str(source))}, columns = {{'line': 'VARCHAR'}}, "
        "header = false, delim = '\x01', quote = '', escape = '', auto_detect = false, strict_mode = false, "
        f"store_rejects = true, rejects_table = {sql_text(REJECTS)}, rejects_scan = {sql_text(_SCANS)}) "
        "WITH ORDINALITY WHERE trim(coalesce(line, ''), ' \t\r') <> ''"
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW leadspec_lines AS {lines}")
    sample = con.execute(
        "SELECT line FROM leadspec_lines WHERE json_type(CASE WHEN json_valid(line) THEN line END) = 'OBJECT' "
        f"ORDER BY row LIMIT {SAMPLE}"
    ).fetchall()
    if not con.execute("SELECT count(*) FROM (SELECT 1 FROM leadspec_lines LIMIT 1)").fetchone()[0]:
        raise RecordsError(f"{name} is empty")
    if not sample:
        raise RecordsError(
            f"no line of {name} is a JSON object, so it names no columns: JSON Lines hold one lead per line, "
            'like {"lead_score": 45, "country": "US"} (for a CSV file, give --input-format csv)'
        )
    keys: dict[str, None] = {}
    for (line,) in sample:
        keys.update(dict.fromkeys(str(key) for key in json.loads(line)))
    header = list(keys)
    cells = ", ".join(
        f"CASE json_type(doc, {sql_text(_json_path(key))}) WHEN 'VARCHAR' THEN "
        f"json_extract_string(doc, {sql_text(_json_path(key))}) WHEN 'NULL' THEN NULL "
        f"ELSE json_extract(doc, {sql_text(_json_path(key))})::VARCHAR END AS {sql_name(column)}"
        for key, column in zip(header, column_labels(header), strict=True)
    )
    # Only lines that hold a JSON object are parsed further: the JSON functions refuse the others.
    parsed = (
        "SELECT row, CASE WHEN NOT json_valid(line) THEN 'is not valid JSON' "
        "WHEN json_type(CASE WHEN json_valid(line) THEN line END) <> 'OBJECT' THEN 'is not a JSON object ({...})' "
        "END AS why, line FROM leadspec_lines"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RECORDS} AS SELECT row AS leadspec_row, why AS leadspec_unreadable"
        + (f", {cells}" if cells else "")
        + f" FROM (SELECT row, why, CASE WHEN why IS NULL THEN line::JSON END AS doc FROM ({parsed}))"
    )
    return Opened(name, "jsonl", tuple(header))


def _json_path(key: str) -> str:
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def why_not_json(line: str) -> str:
    """What is wrong with a line that is no JSON object, in Python's words (for the few rows shown)."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return f"is not valid JSON ({error.msg} at character {error.colno})"
    except (ValueError, RecursionError):
        return "is not valid JSON"
    return "is not valid JSON" if isinstance(value, dict) else "is not a JSON object ({...})"


# -- typed sources -----------------------------------------------------------------------------


def _open_parquet(con: Any, path: Path, name: str) -> Opened:
    try:
        header = [
            str(row[0])
            for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({sql_text(str(path))})").fetchall()
        ]
    except Exception as error:  # duckdb.Error: not Parquet, or damaged
        raise RecordsError(f"{name} cannot be read as Parquet: {_first(error)}") from None
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RECORDS} AS SELECT file_row_number + 1 AS leadspec_row, NULL::VARCHAR AS leadspec_unreadable, "
        f"* EXCLUDE (file_row_number) FROM read_parquet({sql_text(str(path))}, file_row_number = true)"
    )
    return Opened(name, "parquet", tuple(header))


def _open_table(con: Any, path: Path, name: str, table: str | None) -> Opened:
    try:
        con.execute(f"ATTACH {sql_text(str(path))} AS leadspec_source (READ_ONLY)")
    except Exception as error:
        raise RecordsError(f"{name} cannot be opened as a DuckDB database: {_first(error)}") from None
    tables = [
        str(row[0])
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'leadspec_source' "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = 'leadspec_source' ORDER BY 1"
        ).fetchall()
    ]
    if table is None:
        if len(tables) != 1:
            listed = ", ".join(tables) or "none"
            raise RecordsError(f"{name} holds {len(tables)} tables ({listed}): name one with --table")
        table = tables[0]
    if table not in tables:
        from leadspec.suggest import closest

        hint = closest(table, tables)
        more = f" (did you mean {hint}?)" if hint else f"; it has: {', '.join(tables) or 'none'}"
        raise RecordsError(f"{name} has no table {table}{more}")
    relation = f"leadspec_source.{sql_name(table)}"
    header = [str(row[0]) for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RECORDS} AS SELECT row_number() OVER () AS leadspec_row, "
        f"NULL::VARCHAR AS leadspec_unreadable, * FROM {relation}"
    )
    return Opened(name, "duckdb", tuple(header))


def _first(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


__all__ = [
    "FORMATS",
    "RECORDS",
    "InputFormat",
    "column_labels",
    "Opened",
    "RecordsError",
    "input_format_of",
    "open_records",
    "rejected",
    "row_numbers",
    "spool",
    "sql_name",
    "sql_text",
    "why_not_json",
]
