"""Run the definitions over lead records exported from a CRM, fast and in flat memory.

Reading: CSV (with its header) or JSON Lines, streamed in chunks of a few
hundred records; nothing holds the whole file. Columns are matched to fields
through each field's id and `crm` names, or an explicit map. A stretch of CSV
lines with no quote (nor anything else `csv.reader` treats specially) is split
at the delimiter directly, which gives exactly `csv.reader`'s records in well
under half its time (`_CsvRecords`); any other stretch goes through `csv.reader`.

Speed: a tree-walking evaluation per record would cost tens of microseconds;
here a record costs a join and a couple of dictionary look-ups per column. The
criteria are compiled into a decision diagram over the fields, built lazily: a
node knows, for the fields read so far, what is left of the scope and of each
stage's own condition (each comparison on those fields replaced by true or
false, the rest simplified). Nodes that leave the same conditions are one node,
so the diagram stays small however many distinct records there are. Fields no
criterion reads are levels too, without comparisons: their cells are only
checked against the field's domain.

A CSV chunk goes through it in one loop compiled for the file's column
positions (`_compiled_walker`): the true/false and picklist cells of a record,
joined into one text, find the node after those fields in one look-up
(`_Diagram.joined`); each other cell finds its class (which of the field's
comparisons it meets, and whether it is worth reporting) in its column's dict,
and the class the next node. A cell, a joined text or a class seen for the
first time raises KeyError out of the loop (or, for a column where new cells
are frequent, is handled in line); Python then reads the cell by its field's
type (`read_text`), decides its comparisons with the reference evaluator,
builds what is new, remembers it and lets the loop go on. At the end every
condition is a constant and `membership.place` applies the membership rule, so
a record's stage is exactly what `membership.Membership` says for the record's
values (tests/classify/test_classify_exact.py checks that on random records).

The caches are bounded (cleared when they grow past a limit), so memory does
not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce
from itertools import chain, islice, repeat
from operator import getitem, itemgetter
from types import CodeType, FunctionType
from typing import IO, Any, Literal

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or
from leadspec.expr.evaluate import evaluate
from leadspec.membership import Membership, fields_of, lifecycle_criteria, own_condition, place
from leadspec.model import Criterion, Field, Model
from leadspec.values import domain_words, value_problem

InputFormat = Literal["csv", "jsonl"]
Problem = Literal["outside", "empty", "case", "encoding"]

# Records read and classified together. Small on purpose: a chunk's cells must still be in the CPU
# cache when the diagram walks them (4,096 rows of 25 cells made the walk twice as slow).
CHUNK = 256
TRIM_EVERY = 512  # chunks between looks at the size of the caches
CACHE_LIMIT = 200_000  # cell texts remembered, over all columns, before the caches are cleared
ADAPT_EVERY = 4096  # CSV records between looks at how often each look-up misses
MISS_RATE = 256  # a look-up missing in more than 1 record in this many is checked in line
EXAMPLES = 3  # example row numbers per finding
UNREADABLE_SHOWN = 10  # unreadable rows listed one by one

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?")


class ClassifyError(Exception):
    """The records cannot be classified at all (missing column, unreadable file): exit code 2."""


# -- reading one value -----------------------------------------------------------------


@dataclass(frozen=True)
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
    stripped = text.strip()
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
            raise ClassifyError(f"the column map names the column {column!r}, which {source} does not have{more}")
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
            f"{source} has no column for {len(missing)} field(s) the criteria need, "
            f"by the fields' names and CRM names {how}:\n"
            + "\n".join(lines)
            + f"\nThe columns of {source}: {columns or '(none)'}\n"
            "Name the right column for each in a --map file (YAML or JSON, column name: field id)."
        )
    return found


# -- the compiled decision diagram --------------------------------------------------------

_TRUE = "T"
_FALSE = "F"
IR = Any  # int (atom number), _TRUE, _FALSE, ("not", IR), ("and", tuple[IR]), ("or", tuple[IR])


def _simplify_not(inner: IR) -> IR:
    if inner == _TRUE:
        return _FALSE
    if inner == _FALSE:
        return _TRUE
    return ("not", inner)


def _substitute(ir: IR, truth: Mapping[int, bool]) -> IR:
    """`ir` with the decided atoms replaced by constants, simplified."""
    if isinstance(ir, int):
        if ir in truth:
            return _TRUE if truth[ir] else _FALSE
        return ir
    if isinstance(ir, str):
        return ir
    if ir[0] == "not":
        return _simplify_not(_substitute(ir[1], truth))
    conjunction = ir[0] == "and"
    stop, skip = (_FALSE, _TRUE) if conjunction else (_TRUE, _FALSE)
    kept = []
    for operand in ir[1]:
        value = _substitute(operand, truth)
        if value == stop:
            return stop
        if value != skip:
            kept.append(value)
    if not kept:
        return skip
    if len(kept) == 1:
        return kept[0]
    return (ir[0], tuple(kept))


@dataclass(frozen=True)
class Outcome:
    """What a record comes to: its stages (ids), whether it is in scope, and the cells worth reporting.

    `problems` are cells of fields the criteria read, `other` cells of fields no
    criterion reads (those are only checked against their domain: a cell there
    that is not valid text does not make the record unreadable).
    """

    stages: tuple[str, ...]
    in_scope: bool
    problems: tuple[tuple[str, Problem], ...]  # (field id, problem), in level order
    other: tuple[tuple[str, Problem], ...] = ()

    @property
    def unreadable(self) -> bool:
        return any(problem == "encoding" for _, problem in self.problems)


class _Column:
    """One field's cells: raw cell (text, or a JSON value's key) -> class number, remembered.

    A class is what a cell means to the criteria: which of the field's
    comparisons it meets, and whether it is worth reporting.
    """

    def __init__(self, field_: Field, atoms: list[tuple[int, Expr]], reader: Callable[[Any], Reading]):
        self.field = field_
        self.atoms = atoms
        self.reader = reader
        self.known: dict[Any, int] = {}
        self.classes: list[tuple[dict[int, bool], Problem | None]] = []
        self.index: dict[tuple[tuple[bool, ...], Problem | None], int] = {}
        self.examples: dict[Problem, list[tuple[str, str]]] = {}  # problem -> [(cell as written, value read)]
        # A number field compared only with number literals: every number between two neighbouring
        # literals (or equal to one) meets the same comparisons, so each such piece is decided once.
        self.cuts: list[Any] | None = None
        self.pieces: dict[int, tuple[bool, ...]] = {}
        self.clean: dict[int, int] = {}  # piece -> class of a number in it that is worth no report
        self.misses = 0  # cells looked up here that were not remembered (see _Diagram._adapt)
        # The same as ints when every literal and bound is whole: comparing ints is many times
        # faster than comparing an int with a Decimal, and a plain-digits cell is an int.
        self.whole_cuts: list[int] | None = None
        self.whole_low = None if field_.minimum is None else math.ceil(field_.minimum)
        self.whole_high = None if field_.maximum is None else math.floor(field_.maximum)
        if field_.type in ("integer", "number"):
            literals = [_number_literals(atom) for _, atom in atoms]
            if all(found is not None for found in literals):
                self.cuts = sorted({value for found in literals for value in found})  # type: ignore[union-attr]
                if all(value == int(value) for value in self.cuts):
                    self.whole_cuts = [int(value) for value in self.cuts]

    def forget(self) -> None:
        """Drop the remembered cells (not the classes: the diagram's nodes are keyed by them)."""
        self.known.clear()

    def signature(self, value: Any) -> tuple[bool, ...]:
        """Which of the field's comparisons `value` meets, decided by the reference evaluator."""
        if self.cuts is not None and isinstance(value, Decimal):
            index = bisect_left(self.cuts, value)
            piece = 2 * index + 1 if index < len(self.cuts) and self.cuts[index] == value else 2 * index
            found = self.pieces.get(piece)
            if found is None:
                found = self.pieces[piece] = self._evaluate(value)
            return found
        return self._evaluate(value)

    def _evaluate(self, value: Any) -> tuple[bool, ...]:
        lead = {self.field.id: value}
        return tuple(evaluate(atom, lead) for _, atom in self.atoms)

    def class_of(self, raw: Any) -> int:
        number = self.known.get(raw)
        if number is not None:
            return number
        self.misses += 1
        cuts = self.whole_cuts
        if cuts is not None and isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 19:
            # Plain digits, the common case in a number column: the same answer as `read_text`
            # (Decimal(raw), compared by piece), without its general parsing.
            whole = int(raw)
            low, high = self.whole_low, self.whole_high
            if (low is None or whole >= low) and (high is None or whole <= high):
                index = bisect_left(cuts, whole)
                piece = 2 * index + 1 if index < len(cuts) and cuts[index] == whole else 2 * index
                number = self.clean.get(piece)
                if number is None:
                    signature = self.pieces.get(piece)
                    if signature is not None:
                        number = self.index.get((signature, None))
                        if number is not None:
                            self.clean[piece] = number
                if number is not None:
                    self.known[raw] = number
                    return number
        reading = self.reader(raw)
        signature = self.signature(reading.value)
        key = (signature, reading.problem)
        truth = {atom: value for (atom, _), value in zip(self.atoms, signature, strict=True)}
        if reading.problem is not None:
            shown = self.examples.setdefault(reading.problem, [])
            example = (raw if isinstance(raw, str) else _json_shown(raw), _shown_value(reading.value))
            if len(shown) < EXAMPLES and example not in shown:
                shown.append(example)
        number = self.index.get(key)
        if number is None:
            number = len(self.classes)
            self.index[key] = number
            self.classes.append((truth, key[1]))
        self.known[raw] = number
        return number


def _number_literals(atom: Expr) -> list[Any] | None:
    """The number literals of a comparison, or None when it has other kinds of literal."""
    if isinstance(atom, Compare):
        values = [atom.value.value]
    elif isinstance(atom, Member):
        values = [item.value for item in atom.values]
    else:
        return None
    if all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values):
        return values
    return None


def _json_shown(raw: Any) -> str:
    return raw[2] if isinstance(raw, tuple) and len(raw) == 3 else str(raw)


def _shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(eq=False)
class _NodeInfo:
    """What a node of the diagram stands for: what is left of each criterion, and the cells to report."""

    level: int
    residuals: tuple[IR, ...]
    problems: tuple[Any, ...]
    by_class: dict[int, Any] = field(default_factory=dict)


_MISS = object()
_SEP = "\x1f"  # joins the cells of one record's text columns into one dictionary key


class _Diagram:
    """The lazily built decision diagram: one level per column read.

    The first `split` levels are the text columns (true/false and picklist
    fields the criteria read): few distinct cells each. Their nodes are plain
    dicts from raw cell text to the next node. The other levels (number fields
    the criteria read, then the fields no criterion reads) are keyed by class
    number instead: a column of numbers has thousands of distinct cells, which
    are mapped to their few classes once (`_Column.known`). A field no
    criterion reads has no comparison, so its classes only say whether its
    cell is worth reporting.

    For CSV, `joined` maps the text columns' cells joined into one string
    straight to the node after the text levels: one look-up instead of one per
    column. A key is stored only when it holds exactly `split - 1` separators,
    so that it says unambiguously which cells it joins.

    Plain dicts (not subclasses with `__missing__`) keep each look-up as fast
    as Python allows; a look-up of something new raises KeyError, and the
    Python-level code fills it in and goes on. `info` says what each node
    stands for (by `id`: a plain dict carries no attributes).
    """

    def __init__(
        self,
        model: Model,
        membership: Membership,
        text_fields: Sequence[str],
        class_fields: Sequence[str],
        readers: Mapping[str, Callable[[Any], Reading]],
        unread: Iterable[str] = (),
    ) -> None:
        self.model = model
        order = [*text_fields, *class_fields]
        self.split = len(text_fields)
        self.unread = frozenset(unread)  # fields no criterion reads (their cells are only checked)
        self.criteria = [criterion for _, criterion in lifecycle_criteria(model)]
        self.position = {criterion: index for index, criterion in enumerate(self.criteria)}
        atoms_by_field: dict[str, list[tuple[int, Expr]]] = {}
        self._atoms: dict[Expr, int] = {}

        def compile_(expr: Expr) -> IR:
            if isinstance(expr, Const):
                return _TRUE if expr.value else _FALSE
            if isinstance(expr, (Compare, Member, BoolField)):
                number = self._atoms.get(expr)
                if number is None:
                    number = len(self._atoms)
                    self._atoms[expr] = number
                    atoms_by_field.setdefault(expr.field, []).append((number, expr))
                return number
            if isinstance(expr, Not):
                return _simplify_not(compile_(expr.operand))
            if isinstance(expr, And):
                return _substitute(("and", tuple(compile_(o) for o in expr.operands)), {})
            if isinstance(expr, Or):
                return _substitute(("or", tuple(compile_(o) for o in expr.operands)), {})
            raise TypeError(f"not an expression: {expr!r}")

        start = tuple(compile_(membership.tree(criterion)) for criterion in self.criteria)
        scope = model.lifecycle.scope
        self.scope = None if scope is None else self.position[scope]
        self.own: list[tuple[tuple[int, ...] | None, tuple[int, ...]]] = []
        for stage in model.stages:
            must, must_not = own_condition(model, stage)
            self.own.append(
                (None, ()) if stage.entry is None
                else (tuple(self.position[c] for c in must), tuple(self.position[c] for c in must_not))
            )
        unmapped = set(atoms_by_field) - set(order)
        if unmapped:  # pragma: no cover - map_columns requires every field the criteria read
            raise ClassifyError("no column for " + ", ".join(sorted(unmapped)))
        self.columns = [_Column(model.fields[name], atoms_by_field.get(name, []), readers[name]) for name in order]
        self.levels = len(order)
        self.tables: list[dict[tuple[Any, ...], Any]] = [{} for _ in range(self.levels + 1)]
        self.nodes: list[dict[Any, Any]] = []
        self.info: dict[int, _NodeInfo] = {}
        self.outcomes: list[Outcome] = []
        self.outcome_index: dict[Outcome, int] = {}
        self.joined: dict[str, Any] = {}
        self.root: Any = self.node(0, start, ())
        self.chunks = 0
        self._text_cells: Callable[[Sequence[str]], Any] | None = None  # the rest is set by for_csv

    # -- building ---------------------------------------------------------------------------

    def _key(self, residuals: tuple[IR, ...], problems: tuple[Any, ...]) -> tuple[Any, ...]:
        """What a node stands for: what is left of the scope and of each stage's own condition.

        `place` depends on nothing else (`membership.own_condition`), so nodes
        that agree on these lead to the same outcomes, whatever is left of the
        single criteria, and can be one node.
        """
        own = []
        for must, must_not in self.own:
            if must is None:
                own.append(_FALSE)
                continue
            parts = tuple(residuals[i] for i in must) + tuple(_simplify_not(residuals[i]) for i in must_not)
            own.append(_substitute(("and", parts), {}))
        scope = residuals[self.scope] if self.scope is not None else _TRUE
        return (scope, tuple(own), problems)

    def node(self, level: int, residuals: tuple[IR, ...], problems: tuple[Any, ...]) -> Any:
        key = self._key(residuals, problems)
        table = self.tables[level]
        found = table.get(key)
        if found is not None:
            return found
        if level == self.levels:
            found = self._outcome(residuals, problems)
        else:
            found = {}
            self.nodes.append(found)
            self.info[id(found)] = _NodeInfo(level, residuals, problems)
        table[key] = found
        return found

    def _outcome(self, residuals: tuple[IR, ...], problems: tuple[Any, ...]) -> int:
        def meets(criterion: Criterion) -> bool:
            value = residuals[self.position[criterion]]
            assert value in (_TRUE, _FALSE), "every field the criteria read has a column"
            return bool(value == _TRUE)

        placed = place(self.model, meets)
        outcome = Outcome(
            tuple(stage.id for stage in placed.stages),
            placed.in_scope,
            tuple(p for p in problems if p[0] not in self.unread),
            tuple(p for p in problems if p[0] in self.unread),
        )
        number = self.outcome_index.get(outcome)
        if number is None:
            number = len(self.outcomes)
            self.outcome_index[outcome] = number
            self.outcomes.append(outcome)
        return number

    def child(self, node: dict[Any, Any], key: Any) -> Any:
        """The node (or outcome) after `node` for this key, built if new, and remembered in `node`.

        `key` is the raw cell on a text level, the cell's class number on the others.
        """
        info = self.info[id(node)]
        column = self.columns[info.level]
        number = column.class_of(key) if info.level < self.split else key
        found = info.by_class.get(number)
        if found is None:
            truth, problem = column.classes[number]
            residuals = tuple(_substitute(r, truth) for r in info.residuals) if truth else info.residuals
            problems = info.problems
            if problem is not None:
                problems = (*problems, (column.field.id, problem))  # type: ignore[union-attr]
            found = self.node(info.level + 1, residuals, problems)
            info.by_class[number] = found
        node[key] = found
        return found

    # -- walking ----------------------------------------------------------------------------

    def walk_from(self, node: Any, keys: Iterable[Any]) -> Any:
        """Follow `keys` (raw cells, then class numbers) from `node`, filling in what is new."""
        for key in keys:
            found = node.get(key, _MISS)
            node = self.child(node, key) if found is _MISS else found
        return node

    def walk(self, cells: Sequence[Any]) -> int:
        """One record's outcome from its raw cells in level order (JSON Lines records, one by one)."""
        split = self.split
        keys = list(cells[:split])
        keys += [column.class_of(raw) for column, raw in zip(self.columns[split:], cells[split:], strict=True)]
        return int(self.walk_from(self.root, keys))

    def for_csv(self, positions: Sequence[int]) -> None:
        """Get ready for CSV records: `positions[level]` is the column index of each level's field."""
        if len(positions) != self.levels or not all(type(p) is int and p >= 0 for p in positions):
            raise ValueError("one column index (int) per level")  # pragma: no cover - _Run passes them
        split = self.split
        text = list(positions[:split])
        self._text_positions = text
        self._text_cells = itemgetter(*text) if text else None
        self._class_positions = list(positions[split:])
        self._class_miss = [column.class_of for column in self.columns[split:]]
        # Look-ups that miss often are better checked in line than left to raise KeyError (see
        # `_adapt`): site 0 is the text columns' joined cells (misses counted in `_misses[0]`),
        # site 1 + k the k-th class column (counted by the column).
        self._sites = (False,) * (1 + len(self._class_positions))
        self._misses = [0]
        self._seen = 0  # records since the last look at the misses
        self._walkers: dict[tuple[bool, ...], Callable[..., None]] = {}
        self._walker = self._walker_for(self._sites)

    def _walker_for(self, sites: tuple[bool, ...]) -> Callable[..., None]:
        found = self._walkers.get(sites)
        if found is None:
            found = self._walkers[sites] = _compiled_walker(self._text_positions, self._class_positions, sites)
        return found

    def csv_outcomes(self, records: Sequence[Sequence[str]]) -> list[int]:
        """Each CSV record's outcome number; what is new is filled in on the way.

        The compiled walker (`_compiled_walker`) looks every record up with
        plain subscripts; the first look-up of something new raises KeyError
        out of it. The records before are in `found` by then, and the iterator
        has just handed out the record that raised: `_slow` places that one,
        and the walker goes on with the rest of the same iterator.
        """
        found: list[int] = []
        append = found.append
        remaining = iter(records)
        knowns = [column.known for column in self.columns[self.split :]]
        arguments = (remaining, append, self.root, self.joined, _SEP.join, self._text_cells, self._text_missed,
                     *knowns, *self._class_miss)
        walker = self._walker
        while True:
            try:
                walker(*arguments)
                break
            except KeyError:
                append(self._slow(records[len(found)]))
        self._seen += len(found)
        if self._seen >= ADAPT_EVERY:
            self._adapt()
        return found

    def _adapt(self) -> None:
        """Check in line the look-ups that missed in more than 1 record in MISS_RATE since the last look.

        A miss that raises costs some microseconds (the exception, and `_slow`
        placing the record from scratch), a check in line a few tens of
        nanoseconds on every record: worth it for a column of nearly all
        different numbers, not for one that repeats.
        """
        misses = [self._misses[0]] + [column.misses for column in self.columns[self.split :]]
        sites = tuple(count * MISS_RATE > self._seen for count in misses)
        if sites != self._sites:
            self._sites = sites
            self._walker = self._walker_for(sites)
        self._misses = [0]
        for column in self.columns[self.split :]:
            column.misses = 0
        self._seen = 0

    def _text_missed(self, key: str, record: Sequence[str]) -> Any:
        """The node after the text levels for a record whose joined text cells are new (in-line check)."""
        self._misses[0] += 1
        cells = self._text_cells(record)  # type: ignore[misc]
        node = self._text_state(cells if self.split > 1 else (cells,))
        if self.split == 1 or key.count(_SEP) == self.split - 1:
            self.joined[key] = node
        return node

    def _slow(self, record: Sequence[str]) -> int:
        """One CSV record's outcome by Python-level steps, building and remembering what is new."""
        split = self.split
        if split == 0:
            node = self.root
        else:
            cells = self._text_cells(record)  # type: ignore[misc]
            key = _SEP.join(cells) if split > 1 else cells
            node = self.joined.get(key)
            if node is None:
                self._misses[0] += 1
                node = self._text_state(cells if split > 1 else (cells,))
                if split == 1 or key.count(_SEP) == split - 1:
                    self.joined[key] = node
        for column, position in zip(self.columns[split:], self._class_positions, strict=True):
            number = column.class_of(record[position])
            found = node.get(number, _MISS)
            node = self.child(node, number) if found is _MISS else found
        return int(node)

    def _text_state(self, cells: Sequence[str]) -> Any:
        """The node after the text levels for these cells: C-level walk, Python for what is new."""
        try:
            return reduce(getitem, cells, self.root)
        except KeyError:
            return self.walk_from(self.root, cells)

    def trim(self) -> None:
        """Forget remembered cells once there are too many: memory stays flat as the file grows.

        The biggest caches go first, until half the limit is left: a column of
        nearly all different numbers is emptied again and again, while the
        small caches that nearly every record hits stay warm.
        """
        self.chunks += 1
        if self.chunks % TRIM_EVERY:
            return
        caches: list[tuple[int, Callable[[], None]]] = [(len(self.joined), self.joined.clear)]
        caches += [(len(column.known), column.forget) for column in self.columns]
        caches += [(len(node), node.clear) for node in self.nodes]
        size = sum(length for length, _ in caches)
        if size <= CACHE_LIMIT:
            return
        caches.sort(key=lambda cache: -cache[0])
        for length, clear in caches:
            clear()
            size -= length
            if size <= CACHE_LIMIT // 2:
                break


def _compiled_walker(text: Sequence[int], classes: Sequence[int], checked: Sequence[bool]) -> Callable[..., None]:
    """A function that walks CSV records through the diagram, written for this file's column positions.

    Per record it is one join and one look-up for the text columns (`text`:
    their positions), then two look-ups per other column (`classes`): the
    cell's class, the next node. All are plain subscripts in one loop, with no
    Python call per record, which is what a general loop over the levels would
    cost. A look-up of something new raises KeyError out of it (see
    `_Diagram.csv_outcomes`), except at the sites `checked` in line (site 0:
    the text columns, 1 + k: the k-th class column), which call
    `_Diagram._text_missed` or the column's `class_of` instead.

    Why `compile` is safe here: the source is this function's fixed text plus
    column positions, each checked to be an int; no name, value, cell or other
    text from the definitions or the file goes into it. The tables and
    functions it uses are passed in as arguments, and it runs without builtins.
    """
    if not all(type(i) is int and i >= 0 for i in [*text, *classes]) or len(checked) != 1 + len(classes):
        raise ValueError("column positions must be ints, one check flag per site")  # pragma: no cover
    knowns = [f"k{n}" for n in range(len(classes))]
    misses = [f"m{n}" for n in range(len(classes))]
    lines = [f"def walk(records, append, root, joined, join, get, text_missed, {', '.join(knowns + misses)}):"]
    lines.append("    for r in records:")
    if text:
        key = "join(get(r))" if len(text) > 1 else f"r[{text[0]}]"
        if checked[0]:
            lines.append(f"        key = {key}")
            lines.append("        n = joined[key] if key in joined else text_missed(key, r)")
        else:
            lines.append(f"        n = joined[{key}]")
    else:
        lines.append("        n = root")
    for known, missed, index, check in zip(knowns, misses, classes, checked[1:], strict=True):
        if check:
            lines.append(f"        c = r[{index}]")
            lines.append(f"        n = n[{known}[c] if c in {known} else {missed}(c)]")
        else:
            lines.append(f"        n = n[{known}[r[{index}]]]")
    lines.append("        append(n)")
    module = compile("\n".join(lines) + "\n", "<leadspec classify walker>", "exec")
    code = next(c for c in module.co_consts if isinstance(c, CodeType))
    return FunctionType(code, {"__builtins__": {}})


def field_order(
    model: Model, membership: Membership, fields: Iterable[str]
) -> tuple[list[str], list[str], list[str]]:
    """(text fields, number fields, unread fields), each in reading order.

    Text fields: true/false and picklist fields the criteria read, most-read
    first (their answers settle the most, so the diagram stays narrow). Then
    the number fields the criteria read. Fields no criterion reads come last
    and are levels without comparisons: their cells are only checked against
    their domain.
    """
    uses: Counter[str] = Counter()
    for _, criterion in lifecycle_criteria(model):
        uses.update(fields_of(membership.tree(criterion)))
    position = {name: index for index, name in enumerate(model.fields)}
    chosen = sorted(fields, key=lambda name: (-uses[name], position[name]))
    text = [n for n in chosen if uses[n] and model.fields[n].type in ("boolean", "enum")]
    numbers = [n for n in chosen if uses[n] and n not in text]
    unread = [n for n in chosen if not uses[n]]
    return text, numbers, unread


# -- the run ---------------------------------------------------------------------------------


@dataclass
class FieldReport:
    """Cells of one field worth a line in the report."""

    field: Field
    column: str
    count: int = 0  # records with a value outside the domain (or empty although required)
    rows: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # cell texts as written
    case_count: int = 0  # records whose enum value matched only ignoring case
    case_rows: list[int] = field(default_factory=list)
    case_examples: list[tuple[str, str]] = field(default_factory=list)  # (as written, value taken)


@dataclass
class Summary:
    """What `classify` found; `render_table` and `render_json` show it."""

    file: str
    input_format: InputFormat
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


OutWriter = Callable[[Iterable[tuple[int, str, str]]], None]
Progress = Callable[[int], None]


class _Run:
    """One pass over the records: the diagram, the counts, the examples, and --out."""

    def __init__(
        self,
        model: Model,
        membership: Membership,
        header: Sequence[str],
        mapping: Mapping[str, int],
        input_format: InputFormat,
        file: str,
        out: OutWriter | None,
        readers: Mapping[str, Callable[[Any], Reading]],
    ) -> None:
        text, numbers, unread = field_order(model, membership, mapping)
        self.order = [*text, *numbers, *unread]  # the cells of a JSON Lines record, in this order
        # Fields no criterion reads are the diagram's last levels: no comparison, only their domain.
        self.diagram = _Diagram(model, membership, text, [*numbers, *unread], readers, unread)
        if input_format == "csv":
            self.diagram.for_csv([mapping[name] for name in self.order])
        self.out = out
        self.counts: Counter[int] = Counter()
        self.summary = Summary(
            file=file,
            input_format=input_format,
            columns={name: header[index] for name, index in mapping.items()},
            stage_order=[stage.id for stage in model.stages],
            stage_labels={stage.id: stage.label for stage in model.stages},
            has_scope=model.lifecycle.scope is not None,
            policy=model.lifecycle.policy,
        )
        for name, index in mapping.items():
            self.summary.fields[name] = FieldReport(model.fields[name], header[index])
        self.labels: list[tuple[str, str]] = []  # outcome number -> (stage column, note column) for --out
        self.wanted: set[int] = set()  # outcome numbers whose rows are still wanted as examples
        self.known = 0  # outcomes looked at so far

    # -- outcomes ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Look at outcomes new since the last chunk: their --out labels and whether rows are wanted."""
        outcomes = self.diagram.outcomes
        while self.known < len(outcomes):
            outcome = outcomes[self.known]
            self.labels.append(self._label(outcome))
            if self._wants(outcome):
                self.wanted.add(self.known)
            self.known += 1

    def _label(self, outcome: Outcome) -> tuple[str, str]:
        """(stage column, note column) of --out for a record with this outcome."""
        if outcome.unreadable:
            bad = ", ".join(name for name, problem in outcome.problems if problem == "encoding")
            return "", f"unreadable: {bad} not valid text"
        notes = []
        if not outcome.in_scope:
            notes.append("outside the lifecycle's scope")
        elif not outcome.stages:
            notes.append("in no stage")
        elif len(outcome.stages) > 1:
            notes.append(f"in {len(outcome.stages)} stages")
        outside = [name for name, problem in (*outcome.problems, *outcome.other) if problem in ("outside", "empty")]
        if outside:
            notes.append("outside the domain: " + ", ".join(outside))
        return ";".join(outcome.stages), "; ".join(notes)

    def _wants_cells(self, problems: Iterable[tuple[str, Problem]]) -> bool:
        for name, problem in problems:
            report = self.summary.fields[name]
            if problem in ("outside", "empty") and len(report.rows) < EXAMPLES:
                return True
            if problem == "case" and len(report.case_rows) < EXAMPLES:
                return True
        return False

    def _wants(self, outcome: Outcome) -> bool:
        summary = self.summary
        if self._wants_cells(outcome.other):
            return True
        if outcome.unreadable:
            return len(summary.unreadable_rows) < UNREADABLE_SHOWN
        if self._wants_cells(outcome.problems):
            return True
        if not outcome.in_scope:
            return False
        if not outcome.stages:
            return len(summary.no_stage_rows) < EXAMPLES
        if len(outcome.stages) > 1:
            return len(summary.several_rows.get(outcome.stages, [])) < EXAMPLES
        return False

    def _example_cells(self, problems: Iterable[tuple[str, Problem]], row: int) -> None:
        for name, problem in problems:
            report = self.summary.fields[name]
            if problem in ("outside", "empty") and len(report.rows) < EXAMPLES:
                report.rows.append(row)
            elif problem == "case" and len(report.case_rows) < EXAMPLES:
                report.case_rows.append(row)

    def _example(self, number: int, row: int) -> None:
        outcome = self.diagram.outcomes[number]
        summary = self.summary
        self._example_cells(outcome.other, row)
        if outcome.unreadable:
            if len(summary.unreadable_rows) < UNREADABLE_SHOWN:
                bad = [name for name, problem in outcome.problems if problem == "encoding"]
                columns = ", ".join(repr(summary.fields[name].column) for name in bad)
                summary.unreadable_rows.append((row, f"the cells of {columns} are not valid text"))
            return
        self._example_cells(outcome.problems, row)
        if outcome.in_scope and not outcome.stages and len(summary.no_stage_rows) < EXAMPLES:
            summary.no_stage_rows.append(row)
        if outcome.in_scope and len(outcome.stages) > 1:
            rows = summary.several_rows.setdefault(outcome.stages, [])
            if len(rows) < EXAMPLES:
                rows.append(row)

    # -- records ----------------------------------------------------------------------------

    def cells(self, cells: Sequence[Sequence[Any]], rows: Sequence[int]) -> None:
        """Classify records given as raw cells in the order of `order` (JSON Lines)."""
        self._done([self.diagram.walk(record) for record in cells], rows)

    def csv_rows(self, records: Sequence[Sequence[str]], first_row: int) -> None:
        """Classify CSV records of the header's width, numbered from `first_row`."""
        numbers = self.diagram.csv_outcomes(records)
        self._done(numbers, range(first_row, first_row + len(numbers)))

    def _done(self, numbers: list[int], rows: Sequence[int]) -> None:
        self.counts.update(numbers)
        self._refresh()
        if self.out is not None:
            labels = self.labels
            stages = map(_stage_of, map(labels.__getitem__, numbers))
            self.out(zip(rows, stages, map(_note_of, map(labels.__getitem__, numbers)), strict=True))
        if self.wanted:
            present = self.wanted.intersection(numbers)
            if present:
                for index, number in enumerate(numbers):
                    if number in present:
                        self._example(number, rows[index])
                        if not self._wants(self.diagram.outcomes[number]):
                            present.discard(number)
                            self.wanted.discard(number)
                            if not present:
                                break
        self.diagram.trim()

    def unreadable(self, row: int, why: str) -> None:
        self.summary.unreadable += 1
        if len(self.summary.unreadable_rows) < UNREADABLE_SHOWN:
            self.summary.unreadable_rows.append((row, why))
        if self.out is not None:
            self.out([(row, "", f"unreadable: {why}")])

    # -- the end ----------------------------------------------------------------------------

    def finish(self) -> Summary:
        summary = self.summary
        for number, count in self.counts.items():
            outcome = self.diagram.outcomes[number]
            for name, problem in (*outcome.problems, *outcome.other):
                report = summary.fields[name]
                if problem in ("outside", "empty"):
                    report.count += count
                elif problem == "case":
                    report.case_count += count
            if outcome.unreadable:
                summary.unreadable += count
            elif not outcome.in_scope:
                summary.outside_scope += count
            elif not outcome.stages:
                summary.no_stage += count
            elif len(outcome.stages) == 1:
                summary.stages[outcome.stages[0]] += count
            else:
                summary.several[outcome.stages] += count
        for column in self.diagram.columns:
            report = summary.fields[column.field.id]
            for problem in ("outside", "empty"):
                for text, _ in column.examples.get(problem, []):  # type: ignore[call-overload]
                    if len(report.examples) < EXAMPLES and text not in report.examples:
                        report.examples.append(text)
            report.case_examples = list(column.examples.get("case", []))
        summary.unreadable_rows.sort()
        return summary


def _stage_of(label: tuple[str, str]) -> str:
    return label[0]


def _note_of(label: tuple[str, str]) -> str:
    return label[1]


# -- reading files ---------------------------------------------------------------------------


def open_text(binary: IO[bytes], encoding: str = "utf-8") -> io.TextIOWrapper:
    """The records as text. Bytes that are not text in `encoding` are kept as lone surrogates
    (`surrogateescape`), so one bad cell makes its own record unreadable, never the whole file.
    UTF-8 skips a byte order mark, as Excel writes one."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ClassifyError(f"{encoding!r} is no text encoding Python knows (try utf-8 or cp1252)") from None
    if name == "utf-8":
        name = "utf-8-sig"
    return io.TextIOWrapper(binary, encoding=name, errors="surrogateescape", newline="")


def _readers(model: Model, names: Iterable[str], json_values: bool) -> dict[str, Callable[[Any], Reading]]:
    readers: dict[str, Callable[[Any], Reading]] = {}
    for name in names:
        field_ = model.fields[name]
        if json_values:
            readers[name] = lambda raw, f=field_: _read_json_key(f, raw)
        else:
            readers[name] = lambda raw, f=field_: read_text(f, raw)
    return readers


def _json_key(value: Any) -> Any:
    """A JSON value as a dictionary key that no other value shares (True and 1 are equal in Python)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("\0json", "bool", "true" if value else "false")
    if isinstance(value, (int, Decimal)):
        return ("\0json", "number", str(value))
    text = json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    return ("\0json", type(value).__name__, text)


def _read_json_key(field_: Field, raw: Any) -> Reading:
    if isinstance(raw, tuple):
        kind, text = raw[1], raw[2]
        if kind == "bool":
            return read_json(field_, text == "true")
        if kind == "number":
            return read_json(field_, Decimal(text))
        return Reading(text[:200], "outside")
    return read_text(field_, raw)


class _CsvRecords:
    """A CSV text stream's records, exactly as `csv.reader(text, delimiter=..., strict=True)` reads them.

    Why not `csv.reader` alone: it steps through every character; on a stretch
    of lines without a quote, a line break inside a line or a cell over the
    field size limit, each record is simply the line without its line ending,
    split at the delimiter (a blank line has no cells), and `str.split` does
    that in well under half the time. Stretches with any of those go through
    `csv.reader` itself, which reads on past the stretch when a quoted cell
    spans lines; `read` hands back what `islice(reader, n)` would, and the
    error that stopped it.
    """

    def __init__(self, text: Iterable[str], delimiter: str) -> None:
        self.lines = iter(text)
        self.delimiter = delimiter
        self.splittable = delimiter not in '"\r\n'
        self.pending: list[str] = []  # lines read but not yet made into records (after an error)

    def header(self) -> list[str]:
        """The first record (raises StopIteration or csv.Error like `csv.reader`)."""
        return next(csv.reader(self.lines, delimiter=self.delimiter, strict=True))

    def read(self, size: int) -> tuple[list[list[str]], csv.Error | None]:
        """The records of up to `size` more lines, and the error that ended them early if any.

        No records and no error: the end of the text.
        """
        lines = self.pending
        self.pending = []
        if len(lines) < size:
            lines.extend(islice(self.lines, size - len(lines)))
        if not lines:
            return [], None
        if self.splittable:
            bare = list(map(str.rstrip, lines, repeat("\r\n")))
            text = "".join(bare)
            limit = csv.field_size_limit()
            if (
                '"' not in text
                and "\r" not in text
                and "\n" not in text
                and (len(text) <= limit or max(map(len, bare)) <= limit)
            ):
                records = list(map(str.split, bare, repeat(self.delimiter)))
                if "" in bare:
                    records = [cells if line else [] for cells, line in zip(records, bare, strict=True)]
                return records, None
        reader = csv.reader(chain(lines, self.lines), delimiter=self.delimiter, strict=True)
        records = []
        try:
            while reader.line_num < len(lines):
                records.append(next(reader))
        except StopIteration:  # pragma: no cover - lines were left, so there is a record or an error
            pass
        except csv.Error as error:
            self.pending = lines[reader.line_num :]
            return records, error
        return records, None


def classify_csv(
    text: io.TextIOBase,
    model: Model,
    membership: Membership,
    *,
    file: str,
    required: Sequence[str],
    explicit: Mapping[str, str] | None = None,
    delimiter: str = ",",
    out: OutWriter | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Classify every record of a CSV text stream (header first)."""
    reader = _CsvRecords(text, delimiter)
    try:
        header = reader.header()
    except StopIteration:
        raise ClassifyError(f"{file} is empty: a CSV file needs a header row naming its columns") from None
    except csv.Error as error:
        raise ClassifyError(f"the header row of {file} cannot be read: {error}") from None
    header = [name.lstrip("\ufeff").strip() if i == 0 else name.strip() for i, name in enumerate(header)]
    if any(_bad_text(name) for name in header):
        raise ClassifyError(
            f"the header row of {file} is not valid text in this encoding; "
            "if the file comes from Excel, try --encoding cp1252"
        )
    mapping = map_columns(header, model, required, explicit, source=file)
    run = _Run(model, membership, header, mapping, "csv", file, out, _readers(model, mapping, False))
    width = len(header)
    row = 1  # the header is row 1, as in a spreadsheet
    while True:
        chunk, error = reader.read(CHUNK)
        if chunk:
            _csv_chunk(run, chunk, row + 1, width)
            row += len(chunk)
        if error is not None:
            row += 1
            run.unreadable(row, f"cannot be read as CSV ({error})")
        elif not chunk:
            break
        if progress is not None:
            progress(row - 1)
    return run.finish()


def _csv_chunk(run: _Run, chunk: list[list[str]], first_row: int, width: int) -> None:
    lengths = set(map(len, chunk))
    if lengths == {width}:
        run.csv_rows(chunk, first_row)
        return
    start = 0
    for index, record in enumerate(chunk):
        if len(record) == width:
            continue
        if index > start:
            run.csv_rows(chunk[start:index], first_row + start)
        start = index + 1
        if record:  # a blank line is no record
            run.unreadable(
                first_row + index, f"has {len(record)} cell{'s' if len(record) != 1 else ''}, the header has {width}"
            )
    if start < len(chunk):
        run.csv_rows(chunk[start:], first_row + start)


def classify_jsonl(
    text: io.TextIOBase,
    model: Model,
    membership: Membership,
    *,
    file: str,
    required: Sequence[str],
    explicit: Mapping[str, str] | None = None,
    out: OutWriter | None = None,
    progress: Progress | None = None,
    sample: int = 100,
) -> Summary:
    """Classify every line of a JSON Lines stream; the keys of the first `sample` objects name the columns."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    lines = iter(text)
    buffered: list[tuple[int, str]] = []
    keys: dict[str, None] = {}
    objects = 0
    number = 0
    for line in lines:
        number += 1
        buffered.append((number, line))
        parsed = _parse_line(decoder, line)
        if isinstance(parsed, dict):
            keys.update(dict.fromkeys(str(key) for key in parsed))
            objects += 1
            if objects >= sample:
                break
    header = list(keys)
    if not buffered:
        raise ClassifyError(f"{file} is empty")
    if not objects and required:  # the whole file was read: no column names anywhere
        raise ClassifyError(
            f"no line of {file} is a JSON object, so it names no columns: JSON Lines hold one lead per line, "
            'like {"lead_score": 45, "country": "US"} (for a CSV file, give --input-format csv)'
        )
    mapping = map_columns(header, model, required, explicit, source=file)
    run = _Run(model, membership, header, mapping, "jsonl", file, out, _readers(model, mapping, True))
    names = [header[mapping[name]] for name in run.order]

    def records(chunk: Iterable[tuple[int, str]]) -> None:
        cells: list[tuple[Any, ...]] = []
        rows: list[int] = []

        def flush() -> None:
            if cells:
                run.cells(cells, list(rows))
                cells.clear()
                rows.clear()

        for line_number, line in chunk:
            if not line.strip():
                continue
            parsed = _parse_line(decoder, line)
            if isinstance(parsed, str):
                flush()
                run.unreadable(line_number, parsed)
                continue
            if not isinstance(parsed, dict):
                flush()
                run.unreadable(line_number, "is not a JSON object ({...})")
                continue
            cells.append(tuple(_json_key(parsed.get(name)) for name in names))
            rows.append(line_number)
        flush()

    records(buffered)
    while True:
        chunk = list(islice(enumerate(lines, number + 1), CHUNK))
        if not chunk:
            break
        records(chunk)
        number = chunk[-1][0]
        if progress is not None:
            progress(number)
    return run.finish()


def _parse_line(decoder: json.JSONDecoder, line: str) -> Any:
    """The line's JSON value, or a message (str) saying why it is not JSON."""
    stripped = line.strip()
    if not stripped:
        return None
    try:
        value = decoder.decode(stripped)
    except json.JSONDecodeError as error:
        return f"is not valid JSON ({error.msg} at character {error.colno})"
    except (ValueError, RecursionError):
        return "is not valid JSON"
    if isinstance(value, str):
        return "is not a JSON object ({...})"
    return value


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
    unit = "line" if summary.input_format == "jsonl" else "row"
    lines = [f"Classified {total:,} record{'s' if total != 1 else ''} from {summary.file}.", ""]
    table: list[tuple[str, int, str]] = []
    for stage_id in summary.stage_order:
        label = summary.stage_labels[stage_id]
        table.append((f"{label} ({stage_id})", summary.stages.get(stage_id, 0), ""))
    for stages, count in sorted(summary.several.items(), key=lambda item: (-item[1], item[0])):
        names = " + ".join(summary.stage_labels[s] for s in stages)
        table.append((f"In {len(stages)} stages: {names}", count, _rows(summary.several_rows.get(stages, []), unit)))
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
        lines += ["", f"Records in two or more stages are {rule}: `leadspec check` reports the criteria (LS301)."]
    problems = [r for r in summary.fields.values() if r.count]
    if problems:
        lines += ["", "Values outside a field's domain (those records are classified as the criteria read them):"]
        for report in problems:
            examples = ", ".join(_quote(text) for text in report.examples)
            lines.append(
                f"  {report.field.id} ({report.field.label}), column {report.column!r}: "
                f"{report.count:,} record{'s' if report.count != 1 else ''}, {_rows(report.rows, unit)}"
            )
            lines.append(f"    should be {_domain(report.field)}; found {examples}")
    fixed = [r for r in summary.fields.values() if r.case_count]
    if fixed:
        lines += ["", "Values matched ignoring upper and lower case:"]
        for report in fixed:
            shown = ", ".join(f"{_quote(a)} as {b}" for a, b in report.case_examples)
            lines.append(
                f"  {report.field.id} ({report.field.label}): {report.case_count:,} "
                f"record{'s' if report.case_count != 1 else ''} ({_rows(report.case_rows, unit)}): {shown}"
            )
    if summary.unreadable_rows:
        lines += ["", "Unreadable records:"]
        for row, why in summary.unreadable_rows:
            lines.append(f"  {unit} {row}: {why}")
        if summary.unreadable > len(summary.unreadable_rows):
            lines.append(f"  ... and {summary.unreadable - len(summary.unreadable_rows):,} more")
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
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8", "backslashreplace").decode() + '"'


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
        "matched_ignoring_case": [
            {
                "field": report.field.id,
                "records": report.case_count,
                "rows": report.case_rows,
                "examples": [{"cell": a, "value": b} for a, b in report.case_examples],
            }
            for report in summary.fields.values()
            if report.case_count
        ],
        "columns": dict(summary.columns),
    }


def render_json(summary: Summary) -> str:
    return json.dumps(summary_document(summary), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "ClassifyError",
    "FieldReport",
    "Outcome",
    "Reading",
    "Summary",
    "classify_csv",
    "classify_jsonl",
    "open_text",
    "column_names",
    "map_columns",
    "read_json",
    "read_text",
    "render_json",
    "render_table",
    "summary_document",
    "used_fields",
]
