"""The SQL dialects `leadspec sql` writes, by the names users type, and how each reads a number safely.

A text cell that is not a number must become NULL, never an error that stops
the query. Most engines have a safe cast (`TRY_CAST`, BigQuery's `SAFE_CAST`);
PostgreSQL and Redshift do not, so there a pattern decides first which texts
the plain `CAST` may see, and it admits only texts the cast cannot refuse.

Every engine holds numbers as `DECIMAL(38, 18)` (BigQuery: `BIGNUMERIC`): exact,
never a float, and the same answers everywhere for numbers with up to 20
digits before the point and 18 after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from leadspec.structs import struct

if TYPE_CHECKING:  # sqlglot is imported where SQL is built: `leadspec check` never loads it
    from sqlglot import exp

PRECISION = 38
SCALE = 18
INTEGER_DIGITS = PRECISION - SCALE

# The spellings of a number `classify.read_text` accepts (its `_NUMBER`), in ASCII digits and
# without backslashes, which some engines' string literals would eat.
NUMBER_PATTERN = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,6})?$"
# PostgreSQL: the same with an exponent of at most 3 digits, which its NUMERIC always holds.
_PG_NUMBER = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$"
# Redshift: no exponent and at most 20 digits before the point, which DECIMAL(38, 18) always holds.
_REDSHIFT_NUMBER = f"^[+-]?0*([0-9]{{1,{INTEGER_DIGITS}}}([.][0-9]*)?|[.][0-9]+)$"


class SqlError(Exception):
    """The SQL cannot be written as asked (unknown dialect, a field without a column): exit code 2."""


def number_type(dialect: str) -> exp.DataType:
    """The exact type numbers are compared in."""
    from sqlglot import exp

    if dialect == "bigquery":
        return exp.DataType.build("BIGNUMERIC", dialect="bigquery")
    return exp.DataType.build(f"DECIMAL({PRECISION}, {SCALE})")


def matches(text: exp.Expression, pattern: str) -> exp.Expression:
    """`text` matches `pattern` (anchored by the pattern itself) in every dialect."""
    from sqlglot import exp

    return exp.RegexpLike(this=text, expression=exp.Literal.string(pattern))


def _safe_cast(text: exp.Expression, dialect: str) -> exp.Expression:
    """TRY_CAST / SAFE_CAST to the number type: NULL when the number does not fit."""
    from sqlglot import exp

    return exp.TryCast(this=text, to=number_type(dialect), safe=True)


def _postgres_number(text: exp.Expression, dialect: str) -> exp.Expression:
    """NUMERIC holds any text the pattern admits; then NULL unless it fits DECIMAL(38, 18), as elsewhere."""
    from sqlglot import exp

    wide = exp.Cast(this=text.copy(), to=exp.DataType.build("DECIMAL"))
    fits = exp.LT(this=exp.Abs(this=wide.copy()), expression=exp.Literal.number(f"1e{INTEGER_DIGITS}"))
    narrow = exp.Cast(this=wide, to=number_type(dialect))
    return exp.Case(
        ifs=[exp.If(this=exp.and_(matches(text, _PG_NUMBER), fits, copy=False), true=narrow)],
    )


def _redshift_number(text: exp.Expression, dialect: str) -> exp.Expression:
    from sqlglot import exp

    return exp.Case(
        ifs=[
            exp.If(
                this=matches(text, _REDSHIFT_NUMBER), true=exp.Cast(this=text.copy(), to=number_type(dialect))
            )
        ]
    )


@struct
class Dialect:
    """One target: the name users type, sqlglot's name for it, and its safe number reading."""

    name: str
    sqlglot: str
    number: Callable[[exp.Expression, str], exp.Expression]
    # `SELECT * EXCLUDE (...)` / `* EXCEPT (...)`: cells can be read once in a first query and the
    # helper columns left out; elsewhere each comparison reads its cell in line.
    star_except: bool = False
    # Cells read first as written, the full reading only for the rest (`cells.Cells._quick`).
    quick: bool = False

    def blanks(self) -> exp.Expression:
        """The characters trimmed around a cell: space, tab, line feed, carriage return.

        Snowflake and BigQuery read `\\t` escapes in a literal (and BigQuery has no CHR); elsewhere
        CHR(9) keeps a raw tab or line break out of the SQL text.
        """
        from sqlglot import exp

        if self.name in ("snowflake", "bigquery"):
            return exp.Literal.string(" \t\n\r")
        codes = [exp.Chr(expressions=[exp.Literal.number(code)]) for code in (9, 10, 13)]
        return exp.Concat(expressions=[exp.Literal.string(" "), *codes], safe=True)

    def plain_digits(self, text: exp.Expression) -> exp.Expression:
        """`text` is 1 to 18 ASCII digits and nothing else: a BIGINT holds it, any cast reads it exactly.

        DuckDB's GLOB is several times cheaper than its regular expressions; elsewhere a pattern.
        """
        from sqlglot import exp

        if self.name == "duckdb":
            only = exp.Not(this=exp.Glob(this=text, expression=exp.Literal.string("*[!0-9]*")))
            size = exp.Between(
                this=exp.Length(this=text.copy()), low=exp.Literal.number(1), high=exp.Literal.number(18)
            )
            return exp.and_(only, size, copy=False)
        return matches(text, "^[0-9]{1,18}$")

    def read_number(self, text: exp.Expression) -> exp.Expression:
        """The number a (trimmed, non-empty) text spells, or NULL; never an error in the engine."""
        return self.number(text, self.sqlglot)


DIALECTS: dict[str, Dialect] = {
    name: Dialect(name, target, number, star_except, quick=name == "duckdb")
    for name, target, number, star_except in (
        ("duckdb", "duckdb", _safe_cast, True),
        ("postgres", "postgres", _postgres_number, False),
        ("snowflake", "snowflake", _safe_cast, True),
        ("bigquery", "bigquery", _safe_cast, True),
        ("databricks", "databricks", _safe_cast, True),
        ("spark", "spark", _safe_cast, False),
        ("redshift", "redshift", _redshift_number, False),
    )
}
ALIASES = {"postgresql": "postgres", "pg": "postgres", "spark2": "spark", "sparksql": "spark"}


def dialect(name: str) -> Dialect:
    """The dialect called `name` (any case), or SqlError listing the ones there are."""
    from leadspec.suggest import closest

    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key in DIALECTS:
        return DIALECTS[key]
    hint = closest(key, [*DIALECTS, *ALIASES])
    more = f" (did you mean {ALIASES.get(hint, hint)}?)" if hint else ""
    raise SqlError(f"no SQL dialect called {name!r}{more}; choose one of {', '.join(DIALECTS)}")
