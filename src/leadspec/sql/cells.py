"""One source column read as a value of its field, in SQL, the way `classify.read_text` reads a cell.

The column may hold text (a CSV loaded as is) or already typed values (a
warehouse table): it is first cast to text, so both read the same way. Then,
like `read_text` with case kept (`ignore_case=False`):

- surrounding spaces, tabs and line breaks are dropped; NULL or nothing left is *missing*;
- a boolean is true/yes/1 or false/no/0 in any case;
- a number is a decimal numeral (`+5`, `.5`, `4.5E+1`), read exactly (`dialects.number_type`);
- an enum value is the text itself, compared case-sensitively.

A cell that is present but not a value of the field's type (`n/a` for a
number, `maybe` for a boolean) is neither missing nor a value: it matches no
`==`, `in` or ordering, and meets every `!=` and `not in`, as the reference
evaluator treats a value of another kind. `outside` says whether the cell is
outside the field's domain as `values.value_problem` defines it (a required
field left empty included).

In DuckDB (`Dialect.quick`), each reading first tries the cell as written, since nearly every cell of a real
export is clean: a boolean spelled `true`/`false`/`1`/`0`, an enum value exactly,
a number of plain digits. Only a cell that is not takes the full reading
(trimming, case, the number pattern), which costs several times as much per
cell (two-argument TRIM most of all: measured in DuckDB, 1M cells, 0.15 s
against 0.02 s for the quick test). Both give the same value for every text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlglot import exp

from leadspec.classify import FALSE_WORDS, TRUE_WORDS
from leadspec.model import Field
from leadspec.sql.dialects import (
    INTEGER_DIGITS,
    NUMBER_PATTERN,
    SCALE,
    Dialect,
    SqlError,
    matches,
    number_type,
)


class Cells:
    """SQL expressions for the cells of one record: field id -> column in `columns`."""

    def __init__(self, fields: Mapping[str, Field], columns: Mapping[str, str], dialect: Dialect) -> None:
        self.fields = fields
        self.columns = columns
        self.dialect = dialect

    def column(self, field_id: str) -> exp.Column:
        """The source column, quoted: the name is the table's exactly (PostgreSQL would fold Lead_Score__c)."""
        name = self.columns.get(field_id)
        if name is None:
            raise SqlError(f"no column is given for the field `{field_id}`, which the criteria read")
        return exp.column(exp.to_identifier(name, quoted=True))

    def raw(self, field_id: str) -> exp.Expression:
        """The cell as text, as written (NULL when the column is NULL)."""
        return exp.Cast(this=self.column(field_id), to=exp.DataType.build("VARCHAR"))

    def _quick(
        self,
        raw: exp.Expression,
        missing: exp.Expression,
        quick: list[tuple[exp.Expression, exp.Expression]],
        full: exp.Expression,
    ) -> exp.Expression:
        """`missing` for a NULL cell, else the first quick reading whose test the text passes, else `full`.

        The engine evaluates a CASE branch only for the rows that reach it, so the full
        reading costs only the cells that need it. Only for dialects that ask for it
        (`Dialect.quick`): the reading is three times as long as SQL text, and Spark's
        optimizer ran out of memory on the inlined form (the other engines were not measured).
        """
        if not self.dialect.quick:
            return full
        ifs = [exp.If(this=exp.Is(this=raw, expression=exp.null()), true=missing)]
        ifs += [exp.If(this=test, true=value) for test, value in quick]
        return exp.Case(ifs=ifs, default=full)

    def trimmed(self, field_id: str) -> exp.Expression:
        """The cell as text without surrounding blanks (NULL when the column is NULL)."""
        return exp.Trim(this=self.raw(field_id), expression=self.dialect.blanks())

    def present(self, field_id: str) -> exp.Expression:
        """True when the cell holds something (never NULL)."""
        full = _false_if_null(exp.NEQ(this=self.trimmed(field_id), expression=exp.Literal.string("")))
        return self._quick(self.raw(field_id), exp.false(), [], full)

    def text(self, field_id: str) -> exp.Expression:
        """An enum cell's value: the trimmed text when it is one of the field's values, else NULL.

        A text outside the domain compares like a value of another kind: no `==` or
        `in` holds, every `!=` and `not in` does (`present` is still true). That is
        what the reference does with the text itself, since every value a criterion
        names is one of the field's values (`literal` refuses others): so the domain
        test is `IS NULL`, not a second IN over the values.
        """
        raw = self.raw(field_id)
        values = list(self.fields[field_id].values)
        if not values:
            return exp.Cast(this=exp.null(), to=exp.DataType.build("VARCHAR"))
        trimmed = self.trimmed(field_id)
        full = exp.Case(ifs=[exp.If(this=_in(trimmed, values), true=trimmed.copy())])
        return self._quick(raw, exp.null(), [(_in(raw.copy(), values), raw.copy())], full)

    def number(self, field_id: str) -> exp.Expression:
        """A number cell's exact value, NULL when missing or not a number."""
        raw = self.raw(field_id)
        whole = exp.Cast(
            this=exp.Cast(this=raw.copy(), to=exp.DataType.build("BIGINT")),
            to=number_type(self.dialect.sqlglot),
        )
        text = self.trimmed(field_id)
        full = exp.Case(
            ifs=[exp.If(this=matches(text, NUMBER_PATTERN), true=self.dialect.read_number(text.copy()))]
        )
        return self._quick(raw, exp.null(), [(self.dialect.plain_digits(raw.copy()), whole)], full)

    def boolean(self, field_id: str) -> exp.Expression:
        """A boolean cell's value, NULL when missing or not one of the words."""
        raw = self.raw(field_id)
        low = exp.Lower(this=self.trimmed(field_id))
        full = exp.Case(
            ifs=[
                exp.If(this=_in(low, sorted(TRUE_WORDS)), true=exp.true()),
                exp.If(this=_in(low.copy(), sorted(FALSE_WORDS)), true=exp.false()),
            ]
        )
        spelled = [("true", True), ("false", False), ("1", True), ("0", False)]
        quick = [
            (exp.EQ(this=raw.copy(), expression=exp.Literal.string(word)), exp.Boolean(this=value))
            for word, value in spelled
        ]
        return self._quick(raw, exp.null(), quick, full)

    def value(self, field_id: str) -> exp.Expression:
        """The cell as its field's type: what the criteria compare."""
        kind = self.fields[field_id].type
        if kind == "boolean":
            return self.boolean(field_id)
        if kind == "enum":
            return self.text(field_id)
        return self.number(field_id)

    def literal(self, field_id: str, value: object) -> exp.Expression:
        """A literal of the field's type; numbers as exact text cast to the number type."""
        field = self.fields[field_id]
        if field.type == "boolean" and isinstance(value, bool):
            return exp.Boolean(this=value)
        if field.type == "enum" and isinstance(value, str):
            if value not in field.values:  # `text` reads every other text as no value
                raise SqlError(
                    f"a criterion compares `{field_id}` with {value!r}, which is not one of its values; "
                    "run `leadspec check`"
                )
            return exp.Literal.string(value)
        if (
            field.type in ("integer", "number")
            and isinstance(value, (int, Decimal))
            and not isinstance(value, bool)
        ):
            return number_literal(Decimal(value), self.dialect)
        raise SqlError(
            f"a criterion compares `{field_id}` ({field.type}) with {value!r}, which is not of its type; "
            "run `leadspec check`"
        )

    def helpers(self, field_ids: list[str]) -> list[exp.Expression]:
        """The cells read once, as columns of a first query: each field's value, see `Refs`.

        Whether a cell is present is not a column: it matters only for the few cells that
        are no value (`!=`, `not in`, an optional field's domain), so it is read there, lazily.
        """
        return [exp.alias_(self.value(field_id), helper_name(field_id), copy=False) for field_id in field_ids]

    def whole(self, field_id: str) -> exp.Expression:
        """The number in the cell has no fraction (NULL when there is none)."""
        number = self.number(field_id)
        return exp.EQ(this=exp.Floor(this=number), expression=number.copy())

    def outside(self, field_id: str) -> exp.Expression:
        """True when the cell is outside the field's domain (`values.value_problem`), never NULL.

        One CASE over the value already read: no value (missing, or present but not one
        of the field's values) is outside for a required field, and for an optional one
        when something is written there; a number is then held to its bounds and, for an
        integer field, to being whole.
        """
        field = self.fields[field_id]
        value = self.value(field_id)
        no_value = exp.true() if not field.optional else self.present(field_id)
        ifs = [exp.If(this=exp.Is(this=value, expression=exp.null()), true=no_value)]
        if field.type in ("integer", "number"):
            if field.minimum is not None:
                low = exp.LTE if field.minimum_open else exp.LT
                below = low(this=value.copy(), expression=number_literal(field.minimum, self.dialect))
                ifs.append(exp.If(this=below, true=exp.true()))
            if field.maximum is not None:
                high = exp.GTE if field.maximum_open else exp.GT
                above = high(this=value.copy(), expression=number_literal(field.maximum, self.dialect))
                ifs.append(exp.If(this=above, true=exp.true()))
            if field.type == "integer":
                ifs.append(exp.If(this=exp.Not(this=exp.paren(self.whole(field_id))), true=exp.true()))
        return exp.Case(ifs=ifs, default=exp.false())


def number_literal(value: Decimal, dialect: Dialect) -> exp.Expression:
    """`CAST('0.3' AS DECIMAL(38, 18))`: exact in every engine (BigQuery reads a bare 0.3 as a float)."""
    text = format(value, "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(whole.lstrip("0")) > INTEGER_DIGITS or len(fraction.rstrip("0")) > SCALE:
        raise SqlError(
            f"the number {text} has more than {INTEGER_DIGITS} digits before the point or {SCALE} after it, "
            "more than the SQL compares exactly"
        )
    return exp.Cast(this=exp.Literal.string(text), to=number_type(dialect.sqlglot))


def unless(condition: exp.Expression, otherwise: exp.Expression) -> exp.Expression:
    """False where `condition` holds, else `otherwise`: `otherwise AND NOT condition`, with
    `otherwise` evaluated only for the rows that need it (a CASE branch; AND may evaluate both)."""
    return exp.Case(ifs=[exp.If(this=condition, true=exp.false())], default=otherwise)


def _in(value: exp.Expression, items: list[str]) -> exp.Expression:
    return exp.In(this=value, expressions=[exp.Literal.string(item) for item in items])


def _false_if_null(condition: exp.Expression) -> exp.Expression:
    return exp.Coalesce(this=condition, expressions=[exp.false()])


HELPER = "_leadspec_"


def helper_name(field_id: str, what: str = "value") -> str:
    """The column a first query reads a cell into (left out of the final columns)."""
    return f"{HELPER}{what}_{field_id}"


class Refs(Cells):
    """The same cells read from the columns `Cells.helpers` wrote, so each cell is read once per record."""

    def present(self, field_id: str) -> exp.Expression:
        """A cell with a value is present; only the others are read again."""
        has_value = exp.Not(this=exp.Is(this=self.value(field_id), expression=exp.null()))
        return exp.Case(ifs=[exp.If(this=has_value, true=exp.true())], default=super().present(field_id))

    def whole(self, field_id: str) -> exp.Expression:
        """Plain digits are a whole number; only other numbers are tested (FLOOR of an exact
        decimal cost DuckDB more than reading the cell: 0.17 s a field for 1M records)."""
        plain = self.dialect.plain_digits(self.raw(field_id))
        return exp.Case(ifs=[exp.If(this=plain, true=exp.true())], default=super().whole(field_id))

    def value(self, field_id: str) -> exp.Expression:
        return exp.column(helper_name(field_id))

    text = boolean = number = value
