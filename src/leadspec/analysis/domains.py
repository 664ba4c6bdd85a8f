"""Each field's declared domain, cut into finitely many cells.

Every atom of a criterion compares one field with literals, so if a field's
domain is cut at every literal the model uses for it (and at its bounds), each
atom is either true on a whole cell or false on a whole cell. A cell is a point
(`= 50`), an open interval between two neighbouring cut points (`50 < x < 100`),
an enum or boolean value, or "missing" for optional fields. That turns every
field, whatever its type, into a small finite set, and a per-field value set
into a bit mask over its cells: exact, and cheap to intersect and complement.

Integer fields keep only the cells that hold an integer, so "over 49 and under
50" is no cell at all for a whole-number field. The truth of a comparison on a
cell is computed on the cell's representative value with the same rules as
`leadspec.expr.evaluate`, which is what keeps the analysis and the evaluator
in agreement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import Any, NamedTuple

from leadspec.expr.evaluate import compare, kind_of
from leadspec.model import Field

# Enough digits for exact midpoints of any literal the parser accepts (at most 100 characters).
_PRECISION = 1000


class _Missing:
    """The value of an optional field that a lead leaves empty."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Cell(NamedTuple):
    """One piece of a field's domain on which every atom of the model has a fixed truth.

    Numeric cells are intervals: `low`/`high` are None when unbounded; a point has
    low == high with both ends closed. Boolean and enum cells have `value`. The
    missing cell has `missing=True`. (A named tuple: fields have hundreds of cells.)
    """

    value: Any = None
    low: Decimal | None = None
    high: Decimal | None = None
    low_closed: bool = False
    high_closed: bool = False
    numeric: bool = False
    missing: bool = False

    @property
    def is_point(self) -> bool:
        return self.numeric and self.low is not None and self.low == self.high


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _number(value: object) -> Decimal | None:
    """A lead's or literal's number as an exact Decimal; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    return None


class FieldDomain:
    """One field's cells, in order: values low to high, then "missing" last.

    Missing is last so that picking the first cell of a set prefers a real value
    for an example lead.
    """

    def __init__(self, field: Field, cuts: Iterable[object] = ()) -> None:
        self.field = field
        self.id = field.id
        self.optional = field.optional
        cells: list[Cell] = []
        if field.type == "boolean":
            cells = [Cell(value=False), Cell(value=True)]
        elif field.type == "enum":
            cells = [Cell(value=value) for value in field.values]
        else:
            cells = self._numeric_cells(field, cuts)
        self.values_count = len(cells)
        # A field no value fits (min above max) cannot be reasoned about.
        self.empty = not cells
        if field.optional:
            cells.append(Cell(missing=True))
        self.cells: tuple[Cell, ...] = tuple(cells)
        self.width = len(cells)
        self.full = (1 << self.width) - 1
        self.missing_bit = (1 << (self.width - 1)) if field.optional else 0
        self._representatives: list[Any] | None = None
        self._masks: dict[tuple[str, str, object], int] = {}
        self._default: int | None = None

    # -- construction ---------------------------------------------------------

    @staticmethod
    def _numeric_cells(field: Field, cuts: Iterable[object]) -> list[Cell]:
        if field.no_number_fits:
            return []  # no value fits: the analysis stays quiet (the field itself is the problem)
        points: set[Decimal] = set()
        for cut in cuts:
            number = _number(cut)
            if number is None:
                continue
            if field.minimum is not None and number < field.minimum:
                continue
            if field.maximum is not None and number > field.maximum:
                continue
            points.add(number)  # an open bound is a cut too: the cell beside it starts there
        if field.minimum is not None:
            points.add(Decimal(field.minimum))
        if field.maximum is not None:
            points.add(Decimal(field.maximum))
        ordered = sorted(points)
        integer = field.type == "integer"
        raw: list[Cell] = []
        previous: Decimal | None = None
        if field.minimum is None:
            raw.append(Cell(low=None, high=ordered[0] if ordered else None, numeric=True))
        for index, point in enumerate(ordered):
            if index > 0:
                raw.append(Cell(low=previous, high=point, numeric=True))
            raw.append(Cell(low=point, high=point, low_closed=True, high_closed=True, numeric=True))
            previous = point
        if field.maximum is None and ordered:
            raw.append(Cell(low=ordered[-1], high=None, numeric=True))
        # An open bound is an edge, not a value: the one-point cell on it is outside the domain.
        if field.minimum_open:
            raw = [cell for cell in raw if not (cell.low_closed and cell.low == field.minimum)]
        if field.maximum_open:
            raw = [cell for cell in raw if not (cell.high_closed and cell.high == field.maximum)]
        if integer:
            raw = [cell for cell in raw if _integers_in(cell)]
        return raw

    # -- looking things up -----------------------------------------------------

    def cell_of(self, value: object) -> int | None:
        """The index of the cell holding `value` (None/MISSING = missing); None if outside the domain."""
        if value is None or value is MISSING:
            return self.width - 1 if self.optional else None
        if self.field.type == "boolean":
            if isinstance(value, bool):
                return 1 if value else 0
            return None
        if self.field.type == "enum":
            if isinstance(value, str) and value in self.field.values:
                return self.field.values.index(value)
            return None
        number = _number(value)
        if number is None:
            return None
        if self.field.type == "integer" and number != number.to_integral_value():
            return None
        return self._numeric_cell(number)

    def _numeric_cell(self, number: Decimal) -> int | None:
        # Cells are sorted; find the last cell whose lower edge admits `number`.
        lo, hi = 0, self.values_count
        while lo < hi:
            mid = (lo + hi) // 2
            cell = self.cells[mid]
            if cell.low is None or cell.low < number or (cell.low == number and cell.low_closed):
                lo = mid + 1
            else:
                hi = mid
        index = lo - 1
        if index < 0:
            return None
        cell = self.cells[index]
        if cell.high is not None and (number > cell.high or (number == cell.high and not cell.high_closed)):
            return None
        return index

    def representative(self, index: int) -> Any:
        """A concrete value inside cell `index`, as a lead would hold it (MISSING for missing)."""
        if self._representatives is None:
            self._representatives = [self._representative(i) for i in range(self.width)]
        return self._representatives[index]

    def _representative(self, index: int) -> Any:
        cell = self.cells[index]
        if cell.missing:
            return MISSING
        if not cell.numeric:
            return cell.value
        integer = self.field.type == "integer"
        if cell.is_point:
            assert cell.low is not None
            return int(cell.low) if integer else cell.low
        low, high = cell.low, cell.high
        # Prefer a whole number, the nearest one above the lower end (or below the upper end).
        if low is None and high is None:
            whole = 0
        elif low is not None:
            whole = _floor(low) + 1
        else:
            assert high is not None
            whole = _ceil(high) - 1
        if (low is None or whole > low) and (high is None or whole < high):
            return whole if integer else Decimal(whole)
        assert low is not None and high is not None and not integer
        with localcontext() as context:
            context.prec = _PRECISION
            return (low + high) / 2

    def default_cell(self) -> int:
        """The cell an example lead uses for a field the finding does not care about: 0 if allowed."""
        if self._default is None:
            zero = self.cell_of(0) if self.field.type in ("integer", "number") else None
            self._default = zero if zero is not None else 0
        return self._default

    def holds(self, index: int, op: str, literal: object) -> bool:
        """Whether `field op literal` is true for every value of cell `index`."""
        value = self.representative(index)
        if value is MISSING:
            return False
        return compare(value, op, literal)

    def compare_mask(self, op: str, literal: object) -> int:
        """The cells where `field op literal` holds (as a bit mask over this field's cells)."""
        key = (op, kind_of(literal), literal)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._fast_mask(op, literal)
            if mask is None:
                mask = 0
                for index in range(self.values_count):
                    if self.holds(index, op, literal):
                        mask |= 1 << index
            self._masks[key] = mask
        return mask

    def _fast_mask(self, op: str, literal: object) -> int | None:
        """For a number that is a cut point: cells below / at / above it, without testing each cell."""
        if self.field.type not in ("integer", "number") or kind_of(literal) != "number":
            return None
        number = _number(literal)
        if number is None:
            return None
        index = self._numeric_cell(number)
        if index is None or not self.cells[index].is_point:
            return None
        values = (1 << self.values_count) - 1
        at = 1 << index
        below = at - 1
        above = values & ~(below | at)
        return {
            "==": at,
            "!=": values & ~at,
            "<": below,
            "<=": below | at,
            ">": above,
            ">=": above | at,
        }[op]

    def member_mask(self, literals: Iterable[object], negated: bool) -> int:
        """The cells where `field in [...]` (or `not in`) holds; never the missing cell."""
        found = 0
        for literal in literals:
            found |= self.compare_mask("==", literal)
        values = (1 << self.values_count) - 1
        return (values & ~found) if negated else found

    def true_mask(self) -> int:
        """The cells where the boolean field alone (`email_verified`) holds."""
        return self.compare_mask("==", True)


def _integers_in(cell: Cell) -> bool:
    if cell.is_point:
        assert cell.low is not None
        return cell.low == cell.low.to_integral_value()
    if cell.low is None or cell.high is None:
        return True
    return _floor(cell.low) + 1 < cell.high


def collect_cuts(atoms: Iterable[tuple[str, Iterable[object]]]) -> dict[str, set[object]]:
    """field id -> every literal some atom compares it with."""
    cuts: dict[str, set[object]] = {}
    for field_id, literals in atoms:
        bucket = cuts.setdefault(field_id, set())
        for literal in literals:
            number = _number(literal)
            if number is not None:
                bucket.add(number)
    return cuts


def build_domains(fields: Mapping[str, Field], cuts: Mapping[str, Iterable[object]]) -> list[FieldDomain]:
    """One domain per declared field, in declaration order."""
    return [FieldDomain(field, cuts.get(field_id, ())) for field_id, field in fields.items()]
