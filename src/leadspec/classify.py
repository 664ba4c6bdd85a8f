"""Run the definitions over lead records exported from a CRM: how many are in each stage, and what is wrong.

The records are read and classified by DuckDB (embedded: nothing to start), in
parallel and in bounded memory, spilling to disk rather than growing. The
stage of a record is the SQL that `leadspec.sql` compiles from the membership
rule (`membership.py`), so `classify`, `leadspec sql`, the dbt export and
`explain` agree by construction (tests/classify/test_classify_exact.py checks
it on random models and records). This module maps the file's columns to the
fields, asks DuckDB for the counts (on every thread), then for a few example
rows of each problem (reading the file in order, stopping once they are found),
or with --out classifies the file once into a narrow table that the counts and
the written file both read; then shows the result. How files are
opened is `records.py`.

The readers of single values (`read_text`, `read_json`) stay here: `explain`
reads a lead typed on the command line with them, the way the SQL reads a
cell (`sql/cells.py` mirrors `read_text`).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, Literal

from leadspec.expr.ast import Expr
from leadspec.flow import ordered_stages
from leadspec.membership import Membership, fields_of, lifecycle_criteria
from leadspec.model import Criterion, Field, Model
from leadspec.records import (
    RECORDS,
    InputFormat,
    Opened,
    column_labels,
    connect,
    open_records,
    rejected,
    row_numbers,
    spool,
    sql_name,
    sql_text,
    why_not_json,
)
from leadspec.structs import field, struct
from leadspec.values import domain_words, value_problem

Problem = Literal["outside", "empty", "case", "encoding"]

EXAMPLES = 3  # example row numbers per finding
UNREADABLE_SHOWN = 10  # unreadable rows listed one by one

# Numbers from here on are no values: SQL holds numbers as DECIMAL(38, 18), 20 digits before the point
# (sql/dialects.py), and a cell must mean the same in `explain`, `classify` and every warehouse.
TOO_LARGE = Decimal(10) ** 20
# The blanks around a cell's value: only these (the SQL trims the same four in every dialect).
BLANKS = " \t\n\r"
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,6})?"
)  # ASCII digits, as SQL reads them


class ClassifyError(Exception):
    """The records cannot be classified at all (missing column, unreadable file): exit code 2."""


# -- reading one value -----------------------------------------------------------------


@struct
class Reading:
    """A cell read by its field's type.

    `value` is what the criteria see: a bool, a Decimal, an enum value, None
    (missing), or, when the text means nothing for this field, the text itself
    (which no comparison matches, as the evaluator defines). `problem` says why
    the cell is worth reporting: `outside` the field's domain, `empty` although
    the field is required, `case` (an enum value matched only ignoring case), or
    `encoding` (bytes that are not text in the file's encoding).
    """

    value: Any
    problem: Problem | None = None


def _bad_text(text: str) -> bool:
    """Undecodable bytes, kept by the `surrogateescape` error handler as lone surrogates."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_text(field: Field, text: str, *, ignore_case: bool = True) -> Reading:
    """A cell's text as a value of `field`: booleans true/false/yes/no/1/0, exact numbers, enum values.

    With `ignore_case`, an enum value that matches only ignoring case is taken
    (and reported as `case`) when it matches exactly one value.
    """
    stripped = text.strip(BLANKS)
    if not stripped:
        return Reading(None, None if field.optional else "empty")
    if _bad_text(stripped):
        return Reading(stripped, "encoding")
    if field.type == "boolean":
        low = stripped.lower()
        if low in TRUE_WORDS:
            return Reading(True)
        if low in FALSE_WORDS:
            return Reading(False)
        return Reading(stripped, "outside")
    if field.type in ("integer", "number"):
        if _NUMBER.fullmatch(stripped) is None:
            return Reading(stripped, "outside")
        try:
            number = Decimal(stripped)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return Reading(stripped, "outside")
        if abs(number) >= TOO_LARGE:
            return Reading(stripped, "outside")
        return Reading(number, "outside" if value_problem(field, number) else None)
    if stripped in field.values:
        return Reading(stripped)
    if ignore_case:
        matches = [value for value in field.values if value.casefold() == stripped.casefold()]
        if len(matches) == 1:
            return Reading(matches[0], "case")
    return Reading(stripped, "outside")


def read_json(field: Field, value: Any, *, ignore_case: bool = True) -> Reading:
    """A JSON value as a value of `field`: text is read like a CSV cell, numbers exactly."""
    if value is None:
        return Reading(None, None if field.optional else "empty")
    if isinstance(value, str):
        return read_text(field, value, ignore_case=ignore_case)
    if isinstance(value, bool):
        if field.type == "boolean":
            return Reading(value)
        return Reading(json.dumps(value), "outside")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        number = Decimal(value)
        if field.type == "boolean" and number in (0, 1):
            return Reading(number == 1)
        if field.type in ("integer", "number") and number.is_finite():
            return Reading(number, "outside" if value_problem(field, number) else None)
        return Reading(str(value), "outside")
    return Reading(json.dumps(value, default=str, ensure_ascii=False)[:200], "outside")


# -- columns ---------------------------------------------------------------------------


def column_names(field: Field) -> list[str]:
    """The column names that mean this field: its id, then its API name in each CRM."""
    return list(dict.fromkeys([field.id, *field.crm.values()]))


def used_fields(model: Model, exprs: Mapping[Criterion, Expr]) -> list[str]:
    """Fields some criterion of the lifecycle reads: the columns a record must have."""
    found: dict[str, None] = {}
    for _, criterion in lifecycle_criteria(model):
        tree = exprs.get(criterion)
        if tree is not None:
            for name in fields_of(tree):
                found.setdefault(name)
    return [name for name in model.fields if name in found]


def map_columns(
    header: Sequence[str],
    model: Model,
    required: Sequence[str],
    explicit: Mapping[str, str] | None = None,
    *,
    source: str = "the file",
) -> dict[str, int]:
    """field id -> column index: the explicit map first, then the fields' own names.

    Every field in `required` must get a column; the error names each missing one
    with the names that were tried.
    """
    from leadspec.suggest import closest

    found: dict[str, int] = {}
    taken: set[int] = set()
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    for column, field_id in (explicit or {}).items():
        if field_id not in model.fields:
            hint = closest(field_id, model.fields)
            more = f" (did you mean `{hint}`?)" if hint else ""
            raise ClassifyError(f"the column map names `{field_id}`, which is no field{more}")
        if column not in positions:
            hint = closest(column, header)
            more = f" (did you mean {hint!r}?)" if hint else ""
            raise ClassifyError(
                f"the column map names the column {column!r}, which {source} does not have{more}"
            )
        if field_id in found:
            raise ClassifyError(
                f"the column map gives `{field_id}` two columns: {header[found[field_id]]!r} and {column!r}"
            )
        found[field_id] = positions[column]
        taken.add(positions[column])
    lowered: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if index not in taken:
            lowered.setdefault(name.strip().casefold(), []).append(index)
    for field_id, field_ in model.fields.items():
        if field_id in found:
            continue
        names = column_names(field_)
        exact = [positions[n] for n in names if n in positions and positions[n] not in taken]
        loose = sorted({i for n in names for i in lowered.get(n.strip().casefold(), [])})
        candidates = list(dict.fromkeys(exact)) or loose
        if len(candidates) > 1:
            shown = " and ".join(repr(header[i]) for i in candidates)
            raise ClassifyError(
                f"two columns could be `{field_id}` ({field_.label}): {shown}; "
                "say which one in a --map file (column name: field id)"
            )
        if candidates:
            found[field_id] = candidates[0]
            taken.add(candidates[0])
    missing = [name for name in required if name not in found]
    if missing:
        lines = []
        for name in missing:
            field_ = model.fields[name]
            tried = ", ".join(column_names(field_))
            lines.append(f"  `{name}` ({field_.label}): looked for {tried} (also ignoring case)")
        columns = ", ".join(repr(name) for name in header[:40]) + (" ..." if len(header) > 40 else "")
        how = "and the column map" if explicit else "(no column map given)"
        raise ClassifyError(
            f"{source} has no column for {'a field' if len(missing) == 1 else f'{len(missing)} fields'} "
            "the criteria need, "
            f"by the fields' names and CRM names {how}:\n"
            + "\n".join(lines)
            + f"\nThe columns of {source}: {columns or '(none)'}\n"
            "Name the right column for each in a --map file (YAML or JSON, column name: field id)."
        )
    return found


# -- the run ---------------------------------------------------------------------------------


@struct(frozen=False)
class FieldReport:
    """Cells of one field worth a line in the report."""

    field: Field
    column: str
    count: int = 0  # records with a value outside the domain (or empty although required)
    rows: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # cell texts as written


@struct(frozen=False)
class Summary:
    """What `classify` found; `render_table` and `render_json` show it."""

    file: str
    input_format: str
    columns: dict[str, str]  # field id -> column name
    stage_order: list[str]
    stage_labels: dict[str, str]
    stages: Counter[str] = field(default_factory=Counter)
    several: Counter[tuple[str, ...]] = field(default_factory=Counter)
    several_rows: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    no_stage: int = 0
    no_stage_rows: list[int] = field(default_factory=list)
    outside_scope: int = 0
    unreadable: int = 0
    unreadable_rows: list[tuple[int, str]] = field(default_factory=list)
    fields: dict[str, FieldReport] = field(default_factory=dict)
    has_scope: bool = False
    policy: str = "exclusive"
    blank: list[str] = field(default_factory=list)  # optional fields read as blank: the file has no column

    @property
    def records(self) -> int:
        """Records read (classified or not), unreadable rows included."""
        return (
            sum(self.stages.values())
            + sum(self.several.values())
            + self.no_stage
            + self.outside_scope
            + self.unreadable
        )

    @property
    def unit(self) -> str:
        return "line" if self.input_format == "jsonl" else "row"


CLASSIFIED = "leadspec_classified"
IN_ORDER_UP_TO = 1000  # rejected rows up to which --out is written piece by piece, not sorted whole
PIECE = 250_000  # records a piece of --out is written in (see Run.write)
_STAGE = "leadspec_stage"
_IN_SCOPE = "leadspec_in_scope"
_MET = "leadspec_stages_met"
_OUTSIDE = "leadspec_outside_{field}"
_BLANK = "leadspec_blank_{field}"


class Run:
    """One file in one DuckDB connection: the compiled rule over it, the counts, --out."""

    def __init__(
        self,
        con: Any,
        opened: Opened,
        rule: Membership,
        required: Sequence[str],
        explicit: Mapping[str, str] | None = None,
    ) -> None:
        from leadspec.sql import Names, compile_select

        self.con = con
        self.opened = opened
        self.rule = rule
        model = rule.model
        header = list(opened.header)
        mapping = map_columns(header, model, required, explicit, source=opened.name)
        names = _view_names(opened)
        self.columns = {field_id: names[index] for field_id, index in mapping.items()}
        # Optional fields the criteria read but the file has no column for are blank, as `explain` reads them.
        blank = [name for name in used_fields(model, rule.exprs) if name not in self.columns]
        relation = RECORDS
        if blank:
            relation = "leadspec_with_blanks"
            nulls = ", ".join(f"NULL::VARCHAR AS {sql_name(_BLANK.format(field=name))}" for name in blank)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {relation} AS SELECT *, {nulls} FROM {RECORDS}")
            self.columns.update({name: _BLANK.format(field=name) for name in blank})
        self.summary = Summary(
            file=opened.name,
            input_format=opened.input_format,
            columns={field_id: header[index] for field_id, index in mapping.items()},
            stage_order=[stage.id for stage in ordered_stages(model)],
            stage_labels={stage.id: stage.label for stage in model.stages},
            has_scope=model.lifecycle.scope is not None,
            policy=model.lifecycle.policy,
            blank=blank,
        )
        for field_id, index in mapping.items():
            self.summary.fields[field_id] = FieldReport(model.fields[field_id], header[index])
        self.read = [
            field_id for field_id in model.fields if field_id in self.columns and field_id not in blank
        ]
        query = compile_select(
            rule,
            self.columns,
            "duckdb",
            relation,
            names=Names(stage=_STAGE, in_scope=_IN_SCOPE, stages_met=_MET, outside=_OUTSIDE),
            pretty=False,  # for DuckDB alone: the indented text took sqlglot a third longer to write
        )
        con.execute(f"CREATE OR REPLACE TEMP VIEW {CLASSIFIED} AS {query}")
        self.source = CLASSIFIED  # where the counts, examples and --out read the classified records
        self.cells = {f: sql_name(self.columns[f]) for f in self.read}  # field id -> its cell in `source`
        self.skipped: tuple[int, ...] = ()
        self.rejected: list[tuple[int, str]] = []  # (row, why) of the CSV records DuckDB refused

    def materialize(self, scratch: Path, keep: Sequence[tuple[str, str]] = ()) -> None:
        """Classify every record once into a narrow Parquet file that the counts, examples and --out read.

        For --out: the records must be read in file order, with row numbers. Done once, the
        counting and writing that follow read the result in parallel instead of classifying
        the file again. A file in the scratch folder, not a table: written as the records
        stream by, it keeps memory flat however long the file (a temp table of 10,000,000
        records filled the 2 GB memory limit). It holds what the rest reads: stage, scope,
        the outside-the-domain flags, the --keep columns, and the read cells (one list) only
        of the rows with a value outside a domain.

        A CSV record's row is its place in that file (`_in_order`): DuckDB numbers a CSV
        file's records on one thread only, and the file keeps their order when written on
        every thread (10,000,000 records: 25.7 s -> 13.4 s on two threads).
        """
        flags = [self._outside(field_id) for field_id in self.read]
        problem = " OR ".join(flags) or "false"
        cells = ", ".join(f"{sql_name(self.columns[f])}::VARCHAR" for f in self.read)
        kept = "".join(f", {sql_name(column)}" for column, _ in keep)
        result = sql_text(str(scratch / "classified.parquet"))
        select = (
            f"SELECT leadspec_unreadable, {_STAGE}, {_IN_SCOPE}"
            + "".join(f", {flag}" for flag in flags)
            + (f", CASE WHEN leadspec_problem THEN [{cells}] END AS leadspec_cells" if cells else "")
            + kept
            + f" FROM (SELECT *, {problem} AS leadspec_problem FROM {CLASSIFIED})"
        )
        self.con.execute("SET preserve_insertion_order = true")  # the file keeps the records' order
        numbered = self.opened.input_format != "csv" or not self._in_order(select)
        if numbered:
            select = select.replace("SELECT ", "SELECT leadspec_row, ", 1)
        self.con.execute(f"COPY ({select}) TO {result} (FORMAT PARQUET)")
        self.con.execute("SET preserve_insertion_order = false")
        self.source = (
            f"read_parquet({result})"
            if numbered  # a CSV's rows start at 2, after the header (as `records` numbers them)
            else f"(SELECT file_row_number + 2 AS leadspec_row, * FROM read_parquet({result}, file_row_number = true))"
        )
        self.cells = {f: f"leadspec_cells[{index}]" for index, f in enumerate(self.read, 1)}

    def _in_order(self, select: str) -> bool:
        """Whether DuckDB keeps the records' order through `select`: a plan of scans and projections.

        A join does not keep it (DuckDB turns a long IN list outside a CASE into one): then
        the records are numbered as they are read instead.
        """
        plan = "".join(str(row[-1]) for row in self.con.execute(f"EXPLAIN {select}").fetchall())
        return "JOIN" not in plan.upper()

    def _outside(self, field_id: str) -> str:
        return sql_name(_OUTSIDE.format(field=field_id))

    def count(self) -> Summary:
        """Counts per stage and per problem, then a few example rows of each problem.

        Two passes, because row numbers cost the parallelism: DuckDB numbers the rows
        of a CSV file only on one thread. The first pass counts, on every thread,
        without row numbers; the second reads the rows in file order and stops as
        soon as every problem the counts found has its examples, which in a real
        export is within the first few thousand rows.
        """
        flags = [self._outside(field_id) for field_id in self.read]
        groups = self.con.execute(
            f"SELECT leadspec_unreadable IS NOT NULL AS bad, {_STAGE}, {_IN_SCOPE}"
            + "".join(f", {flag}" for flag in flags)
            + f", count(*) FROM {self.source} GROUP BY ALL"
        ).fetchall()
        summary = self.summary
        skipped_rows = self._skipped(summary)
        outside_counts: Counter[str] = Counter()
        for bad, stage, in_scope, *rest in groups:
            *outside, count = rest
            if bad:
                summary.unreadable += count
                continue
            for field_id, flag in zip(self.read, outside, strict=True):
                if flag:
                    outside_counts[field_id] += count
            if not in_scope:
                summary.outside_scope += count
            elif stage is None:
                summary.no_stage += count
            elif ";" in stage:
                summary.several[tuple(stage.split(";"))] += count
            else:
                summary.stages[stage] += count
        for field_id, total in outside_counts.items():
            summary.fields[field_id].count = total
        self._examples(summary, skipped_rows, [f for f in self.read if outside_counts[f]])
        return summary

    def _examples(self, summary: Summary, skipped_rows: list[tuple[int, str]], problems: list[str]) -> None:
        """The first rows of each problem the counts found, reading the file in order until all are found."""
        bad_total = summary.unreadable - len(skipped_rows)  # JSON Lines lines that are no object
        wanted: list[str] = []
        if bad_total:
            wanted.append("leadspec_unreadable IS NOT NULL")
        if summary.no_stage or summary.several:
            wanted.append(f"({_IN_SCOPE} AND ({_STAGE} IS NULL OR strpos({_STAGE}, ';') > 0))")
        wanted += [self._outside(field_id) for field_id in problems]
        shown = EXAMPLES * 3  # rows whose cells are looked at to find EXAMPLES different ones
        needs: dict[Any, int] = {
            "bad": min(bad_total, UNREADABLE_SHOWN),
            None: min(summary.no_stage, EXAMPLES),
        }
        needs.update({stages: min(count, EXAMPLES) for stages, count in summary.several.items()})
        needs.update({field_id: min(summary.fields[field_id].count, shown) for field_id in problems})
        found: dict[Any, list[Any]] = {key: [] for key in needs}
        if wanted:
            cells = ", ".join(f"coalesce({self.cells[f]}::VARCHAR, '')" for f in problems)
            self.con.execute("SET preserve_insertion_order = true")  # rows stream out in file order
            cursor = self.con.execute(
                f"SELECT leadspec_row, leadspec_unreadable IS NOT NULL, {_STAGE}, {_IN_SCOPE}"
                + "".join(f", {self._outside(f)}" for f in problems)
                + (f", [{cells}]" if problems else "")
                # OFFSET 0 keeps the filter above the scan: pushed down, it made DuckDB read the
                # whole file before the first row came out (the in-list joins turned around).
                + f" FROM (SELECT *, {' OR '.join(wanted)} AS leadspec_wanted FROM {self.source} OFFSET 0)"
                " WHERE leadspec_wanted"
            )
            missing = sum(1 for key, count in needs.items() if len(found[key]) < count)
            while missing and (batch := cursor.fetchmany(64)):
                for row, bad, stage, in_scope, *rest in batch:
                    keys: list[tuple[Any, Any]] = []
                    if bad:
                        keys.append(("bad", row))
                    else:
                        if in_scope and stage is None:
                            keys.append((None, row))
                        elif in_scope and ";" in stage:
                            keys.append((tuple(stage.split(";")), row))
                        flags, texts = rest[: len(problems)], (rest[-1] if problems else [])
                        keys += [(f, (row, texts[i])) for i, f in enumerate(problems) if flags[i]]
                    for key, item in keys:
                        if key in needs and len(found[key]) < needs[key]:  # a file changed since the counts
                            found[key].append(item)
                            missing -= len(found[key]) == needs[key]
            # The next statement ends the scan where it stands (`execute` returns the connection itself).
            self.con.execute("SET preserve_insertion_order = false")
        number = row_numbers(self.skipped) if self.skipped else None

        def fix(row: int) -> int:
            return number(row - 1) if number is not None else row

        summary.no_stage_rows = sorted(fix(row) for row in found[None])
        for stages in summary.several:
            summary.several_rows[stages] = sorted(fix(row) for row in found[stages])
        for field_id in problems:
            first = sorted((fix(row), text) for row, text in found[field_id])
            report = summary.fields[field_id]
            report.rows = [row for row, _ in first[:EXAMPLES]]
            report.examples = list(dict.fromkeys(text for _, text in first))[:EXAMPLES]
        self._unreadable(summary, sorted(fix(row) for row in found["bad"]), skipped_rows)

    def _skipped(self, summary: Summary) -> list[tuple[int, str]]:
        """CSV rows DuckDB could not read (known once the file was scanned) and blank lines."""
        rows = rejected(self.con)
        summary.unreadable += len(rows)
        self.rejected = rows
        self.skipped = tuple(sorted({*self.opened.skipped, *(row for row, _ in rows)}))
        return rows

    def _unreadable(self, summary: Summary, bad_rows: list[int], skipped: list[tuple[int, str]]) -> None:
        shown = list(skipped[:UNREADABLE_SHOWN])
        if bad_rows:  # JSON Lines: say what is wrong with each line shown, in Python's words
            lines = dict(
                self.con.execute(
                    "SELECT row, line FROM leadspec_lines WHERE row IN ("
                    + ", ".join(map(str, bad_rows))
                    + ")"
                ).fetchall()
            )
            shown += [(row, why_not_json(lines.get(row, ""))) for row in bad_rows]
        summary.unreadable_rows = sorted(shown)[:UNREADABLE_SHOWN]

    def kept(self, keep: Sequence[str]) -> list[tuple[str, str]]:
        """(view column, name in the file) of each --keep column: exactly, else ignoring case; ClassifyError if none."""
        header = list(self.opened.header)
        names = _view_names(self.opened)
        found: list[tuple[str, str]] = []
        for wanted in keep:
            index = header.index(wanted) if wanted in header else None
            if index is None:
                loose = [i for i, name in enumerate(header) if name.casefold() == wanted.casefold()]
                index = loose[0] if len(loose) == 1 else None
            if index is None:
                raise ClassifyError(
                    f"--keep {wanted}: {self.opened.name} has no column {wanted!r}; its columns: "
                    + ", ".join(repr(name) for name in header)
                )
            if header[index].casefold() in ("row", "stage", "note"):
                raise ClassifyError(
                    f"--keep {wanted}: the --out file already has a column {header[index]!r} "
                    "(row, stage, note); rename the column or keep another"
                )
            found.append((names[index], header[index]))
        return found

    def write(self, target: Path, scratch: Path, keep: Sequence[tuple[str, str]] = ()) -> None:
        """Each record's row number, stage id and a note (and the `kept` columns), as CSV or Parquet.

        The kept columns (a record's id) make two --out files of the same records, taken on
        different days, a stage history (`leadspec funnel --snapshot`).
        """
        read = self.read
        outside = ", ".join(f"CASE WHEN {self._outside(f)} THEN {sql_text(f)} END" for f in read)
        note = (
            f"concat_ws('; ', CASE WHEN NOT {_IN_SCOPE} THEN 'outside the lifecycle''s scope' "
            f"WHEN {_STAGE} IS NULL THEN 'in no stage' "
            f"WHEN strpos({_STAGE}, ';') > 0 THEN 'in ' || (length({_STAGE}) - length(replace({_STAGE}, ';', '')) + 1) "
            "|| ' stages' END"
            + (
                f", CASE WHEN {' OR '.join(self._outside(f) for f in read)} THEN 'outside the domain: ' || "
                f"concat_ws(', ', {outside}) END"
                if read
                else ""
            )
            + ")"
        )
        body = (
            f"SELECT leadspec_row AS row, CASE WHEN leadspec_unreadable IS NULL THEN coalesce({_STAGE}, '') ELSE '' END AS stage, "
            f"CASE WHEN leadspec_unreadable IS NULL THEN {note} ELSE 'unreadable: ' || leadspec_unreadable END AS note"
            + "".join(f", {sql_name(column)} AS {sql_name(name)}" for column, name in keep)
            + f" FROM {self.source}"
        )
        if len(self.rejected) <= IN_ORDER_UP_TO:
            pieces = self._in_file_order(body, [name for _, name in keep])
        else:  # many rejected rows: put them in place by sorting (memory then grows with the file)
            self._skip_table()
            pieces = [
                "SELECT c.row + coalesce(s.before, 0) AS row, c.stage, c.note"
                + "".join(f", c.{sql_name(name)}" for _, name in keep)
                + f" FROM ({body}) c ASOF LEFT JOIN leadspec_skips s ON c.row - 1 >= s.key "
                "UNION ALL SELECT row, '', 'unreadable: ' || why"
                + ", NULL" * len(keep)
                + " FROM leadspec_rejected ORDER BY row"
            ]
        self.con.execute("SET preserve_insertion_order = true")
        if target.suffix.lower() in (".parquet", ".pq"):
            self._write_parquet(target, scratch, pieces)
            return
        # CSV: each piece to a file of its own, then the files one after the other. DuckDB keeps a
        # CSV's order by holding what it wrote ahead: in one COPY of 10,000,000 records that was
        # 700 MB, against 90 MB a piece.
        try:
            self._write_pieces(target, scratch, pieces)
        except OSError as error:  # the disk with --out is full: say which file could not be written
            raise OSError(error.errno, error.strerror, str(target)) from None

    def _write_parquet(self, target: Path, scratch: Path, pieces: list[str]) -> None:
        """Each piece to a Parquet file of its own, then all of them, in order, into `target` on one thread.

        One COPY of all the pieces held 0.9 GB at 10,000,000 records (row groups finished out of
        order, and the pieces' scans side by side); this way 0.12 GB. The classifying is done:
        writing on one thread is the cheap part.
        """
        parts = [scratch / f"out-{index}.parquet" for index in range(len(pieces))]
        for piece, part in zip(pieces, parts, strict=True):
            self.con.execute(f"COPY ({piece}) TO {sql_text(str(part))} (FORMAT PARQUET)")
        threads = self.con.execute("SELECT current_setting('threads')").fetchone()[0]
        self.con.execute("SET threads = 1")
        try:
            listed = ", ".join(sql_text(str(part)) for part in parts)
            # by name: a rejected row's piece has NULL where the kept columns have their own type
            self.con.execute(
                f"COPY (SELECT * FROM read_parquet([{listed}], union_by_name = true)) TO {sql_text(str(target))} "
                "(FORMAT PARQUET)"
            )
        finally:
            self.con.execute(f"SET threads = {int(threads)}")
            for part in parts:
                part.unlink(missing_ok=True)

    def _write_pieces(self, target: Path, scratch: Path, pieces: list[str]) -> None:
        with open(target, "wb") as out:
            for index, piece in enumerate(pieces):
                part = scratch / f"out-{index}.csv"
                self.con.execute(
                    f"COPY ({piece}) TO {sql_text(str(part))} (FORMAT CSV, HEADER {str(index == 0).lower()})"
                )
                with open(part, "rb") as written:
                    shutil.copyfileobj(written, out, 1 << 20)
                part.unlink()

    def _in_file_order(self, body: str, kept: Sequence[str]) -> list[str]:
        """The records and the rejected rows between them, in file order, as queries of at most `PIECE` records.

        Sorting every record to put a few rejected rows back in place made --out's memory grow
        with the file (1.7 GB for 10,000,000 records). The records come out of `source` in file
        order already, so each piece is read by its row range (Parquet skips the rest); the row
        numbers move past the skipped rows by a CASE over the few places where they do (see
        records.row_numbers). A piece with rejected rows in it is sorted, alone: memory stays
        that of a piece, where a piece of its own for each run between two rejected rows cost
        a statement each (10,000,000 records with 140 rejected rows: 314 pieces, 10.1 s).
        """
        before = self._skip_keys()
        shift = " ".join(
            f"WHEN row - 1 >= {key} THEN {count}" for key, count in sorted(before.items(), reverse=True)
        )
        moved = f"row + CASE {shift} ELSE 0 END" if before else "row"
        first, end = self.con.execute(
            f"SELECT coalesce(min(leadspec_row), 1), coalesce(max(leadspec_row), 0) FROM {self.source}"
        ).fetchone()  # CSV rows start at 2 (the header is row 1), JSON Lines at 1
        starts = list(range(first, end + 1, PIECE)) or [first]
        among: dict[int, list[tuple[int, str]]] = {start: [] for start in starts}
        for row, why in self.rejected:
            after = row - bisect.bisect_left(self.skipped, row)  # the record that follows it
            place = bisect.bisect_right(starts, after) - 1
            among[starts[max(place, 0)]].append((row, why))
        pieces: list[str] = []
        for start in starts:
            records = (
                f"SELECT {moved} AS row, * EXCLUDE (row) FROM ({body} WHERE leadspec_row BETWEEN {start} AND "
                f"{min(start + PIECE - 1, end)})"
            )
            if not among[start]:
                pieces.append(records)
                continue
            rejected = " UNION ALL ".join(
                f"SELECT CAST({row} AS BIGINT) AS row, '' AS stage, {sql_text('unreadable: ' + why)} AS note"
                + "".join(f", NULL AS {sql_name(name)}" for name in kept)
                for row, why in among[start]
            )
            pieces.append(f"SELECT * FROM ({records} UNION ALL {rejected}) ORDER BY row")
        return pieces

    def _skip_keys(self) -> dict[int, int]:
        """Records (plus the header) before each skipped row -> rows skipped up to there (records.row_numbers)."""
        keys: dict[int, int] = {}
        for index, row in enumerate(self.skipped, 1):
            keys[row - index] = index
        return keys

    def _skip_table(self) -> None:
        """Rows with no record read, as the ASOF join wants them (see records.row_numbers)."""
        keys = self._skip_keys()
        self.con.execute("CREATE OR REPLACE TEMP TABLE leadspec_skips (key BIGINT, before BIGINT)")
        self.con.executemany("INSERT INTO leadspec_skips VALUES (?, ?)", list(keys.items()))
        self.con.execute("CREATE OR REPLACE TEMP TABLE leadspec_rejected (row BIGINT, why VARCHAR)")
        if self.rejected:
            self.con.executemany("INSERT INTO leadspec_rejected VALUES (?, ?)", self.rejected)


def classify_path(
    path: Path,
    name: str,
    rule: Membership,
    *,
    required: Sequence[str],
    input_format: InputFormat,
    explicit: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
    table: str | None = None,
    out: Path | None = None,
    keep: Sequence[str] = (),
    threads: int | None = None,
    memory_limit: str = "2GB",
    stdin: IO[bytes] | None = None,
    watch: Callable[[Any], AbstractContextManager[Any]] | None = None,
) -> Summary:
    """Classify the records of one file (or `stdin`) and write --out: the whole run, in a DuckDB of its own.

    Raises ClassifyError or RecordsError for a file that cannot be classified,
    and duckdb.Error for what the engine refuses (the command words both).
    """
    with tempfile.TemporaryDirectory(prefix="leadspec-classify-") as scratch_name:
        scratch = Path(scratch_name)
        con = connect(scratch, memory_limit=memory_limit, threads=threads)
        try:
            if stdin is not None:
                path = spool(stdin, scratch)
            opened = open_records(
                con,
                path,
                name,
                input_format,
                scratch=scratch,
                encoding=encoding,
                delimiter=delimiter,
                table=table,
            )
            run = Run(con, opened, rule, required, explicit)
            kept = run.kept(keep)
            with watch(con) if watch is not None else contextlib.nullcontext():
                if out is not None:
                    run.materialize(scratch, kept)
                summary = run.count()
                if out is not None:
                    run.write(out, scratch, kept)
            return summary
        finally:
            con.close()


def _view_names(opened: Opened) -> list[str]:
    """The names the view `RECORDS` gives the file's columns (see records.column_labels)."""
    return column_labels(opened.header) if opened.input_format in ("csv", "jsonl") else list(opened.header)


# -- showing the summary ------------------------------------------------------------------------


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else ""


def _rows(rows: Sequence[int], unit: str = "row") -> str:
    if not rows:
        return ""
    word = unit if len(rows) == 1 else unit + "s"
    return f"{word} {', '.join(str(r) for r in rows)}"


def render_table(summary: Summary) -> str:
    """The summary as a plain-text table for a terminal."""
    total = summary.records
    unit = summary.unit
    lines = [f"Classified {total:,} record{'s' if total != 1 else ''} from {summary.file}.", ""]
    table: list[tuple[str, int, str]] = []
    for stage_id in summary.stage_order:
        label = summary.stage_labels[stage_id]
        table.append((f"{label} ({stage_id})", summary.stages.get(stage_id, 0), ""))
    for stages, count in sorted(summary.several.items(), key=lambda item: (-item[1], item[0])):
        names = " + ".join(summary.stage_labels[s] for s in stages)
        table.append(
            (f"In {len(stages)} stages: {names}", count, _rows(summary.several_rows.get(stages, []), unit))
        )
    table.append(("In no stage", summary.no_stage, _rows(summary.no_stage_rows, unit)))
    if summary.has_scope:
        table.append(("Outside the lifecycle's scope", summary.outside_scope, ""))
    table.append(("Unreadable", summary.unreadable, _rows([r for r, _ in summary.unreadable_rows], unit)))
    width = max(len(name) for name, _, _ in table + [("Total", 0, "")])
    digits = max(len(f"{total:,}"), len("Records"))
    lines.append(f"{'Stage':<{width}}  {'Records':>{digits}}  {'Share':>6}  Example {unit}s")
    for name, count, rows in table:
        lines.append(f"{name:<{width}}  {count:>{digits},}  {_share(count, total):>6}  {rows}".rstrip())
    lines.append(f"{'Total':<{width}}  {total:>{digits},}")
    if summary.several:
        rule = "the first stage wins" if summary.policy == "first_match" else "an overlap"
        lines += [
            "",
            f"Records in two or more stages are {rule}: `leadspec check` reports the criteria (LS301).",
        ]
    problems = [r for r in summary.fields.values() if r.count]
    if problems:
        lines += [
            "",
            "Values outside a field's domain (those records are classified as the criteria read them):",
        ]
        for report in problems:
            examples = ", ".join(_example(report.field, text) for text in report.examples)
            lines.append(
                f"  {report.field.id} ({report.field.label}), column {report.column!r}: "
                f"{report.count:,} record{'s' if report.count != 1 else ''}, {_rows(report.rows, unit)}"
            )
            lines.append(f"    should be {_domain(report.field)}; found {examples}")
    if summary.unreadable_rows:
        lines += ["", "Unreadable records:"]
        for row, why in summary.unreadable_rows:
            lines.append(f"  {unit} {row}: {why}")
        if summary.unreadable > len(summary.unreadable_rows):
            lines.append(f"  ... and {summary.unreadable - len(summary.unreadable_rows):,} more")
    if summary.blank:
        lines += ["", "No column, so read as blank (optional fields): " + ", ".join(summary.blank)]
    lines += ["", "Columns read (field <- column):"]
    pairs = [f"{name} <- {column}" if name != column else name for name, column in summary.columns.items()]
    width = max((len(p) for p in pairs), default=0) + 2
    per_line = max(1, 100 // width)
    for start in range(0, len(pairs), per_line):
        lines.append("  " + "".join(p.ljust(width) for p in pairs[start : start + per_line]).rstrip())
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    if not text.strip():
        return "(empty)"
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (
        '"'
        + shown.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8", "backslashreplace").decode()
        + '"'
    )


def _example(field_: Field, text: str) -> str:
    """A cell as found, with the enum value it was probably meant to be (values compare case-sensitively)."""
    shown = _quote(text)
    if field_.type == "enum":
        close = [value for value in field_.values if value.casefold() == text.strip().casefold()]
        if close:
            return f"{shown} (did you mean {close[0]}?)"
    return shown


def _domain(field_: Field) -> str:
    words = domain_words(field_)
    return words if field_.optional else f"{words} (required)"


def summary_document(summary: Summary) -> dict[str, Any]:
    """The summary as plain data, for `--format json`."""
    return {
        "file": summary.file,
        "format": summary.input_format,
        "records": summary.records,
        "stages": {stage_id: summary.stages.get(stage_id, 0) for stage_id in summary.stage_order},
        "several_stages": [
            {"stages": list(stages), "records": count, "rows": summary.several_rows.get(stages, [])}
            for stages, count in sorted(summary.several.items(), key=lambda item: (-item[1], item[0]))
        ],
        "no_stage": {"records": summary.no_stage, "rows": summary.no_stage_rows},
        "outside_scope": {"records": summary.outside_scope},
        "unreadable": {
            "records": summary.unreadable,
            "rows": [{"row": row, "problem": why} for row, why in summary.unreadable_rows],
        },
        "outside_domain": [
            {
                "field": report.field.id,
                "column": report.column,
                "records": report.count,
                "rows": report.rows,
                "examples": report.examples,
                "domain": domain_words(report.field),
                "required": not report.field.optional,
            }
            for report in summary.fields.values()
            if report.count
        ],
        "columns": dict(summary.columns),
        "blank": list(summary.blank),
    }


def render_json(summary: Summary) -> str:
    return json.dumps(summary_document(summary), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "ClassifyError",
    "FieldReport",
    "Reading",
    "Run",
    "Summary",
    "classify_path",
    "column_names",
    "map_columns",
    "read_json",
    "read_text",
    "render_json",
    "render_table",
    "summary_document",
    "used_fields",
]
