"""Expression trees for entry and exit criteria.

Every atom compares one field with literals, which is what lets the analysis
decide gaps and overlaps exactly. Chains (`40 <= score < 50`) and literals on
the left are normalised by the parser into field-first `Compare` nodes joined by
`And`, so later phases see one shape. `start`/`end` are 0-based character
offsets into the criterion text (end exclusive), used to point at the exact
column of a problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal as TypingLiteral

from leadspec.structs import struct

Value = bool | int | Decimal | str
CompareOp = TypingLiteral["==", "!=", "<", "<=", ">", ">="]


@struct
class Lit:
    """A literal with its place: `value` is bool, int, Decimal (never float) or str."""

    value: Value
    start: int
    end: int


@struct
class Compare:
    """`field op value`, always field first (the parser flips `50 <= score`)."""

    field: str
    op: CompareOp
    value: Lit
    start: int
    end: int
    field_start: int
    field_end: int


@struct
class Member:
    """`field in [a, b]` or, with `negated`, `field not in [a, b]`."""

    field: str
    values: tuple[Lit, ...]
    negated: bool
    start: int
    end: int
    field_start: int
    field_end: int


@struct
class BoolField:
    """A boolean field used alone as a condition: `email_verified`."""

    field: str
    start: int
    end: int


@struct
class Const:
    """`true` or `false`."""

    value: bool
    start: int
    end: int


@struct
class Not:
    """`not operand`."""

    operand: Expr
    start: int
    end: int


@struct
class And:
    """`a and b and ...`: met when every operand is."""

    operands: tuple[Expr, ...]
    start: int
    end: int


@struct
class Or:
    """`a or b or ...`: met when some operand is."""

    operands: tuple[Expr, ...]
    start: int
    end: int


@struct
class Ref:
    """A named condition used by its name (`mql_bar`), resolved to the condition's own tree.

    The parser reads the name as a `BoolField`; resolution (`expr.conditions`) swaps in
    this node once the condition is checked. `start`/`end` are offsets into *this*
    criterion's text, while `expr`'s offsets are into the condition's: a walker that
    quotes criterion text stops here, one that decides or compiles goes into `expr`.
    """

    name: str
    label: str
    expr: Expr
    start: int
    end: int


Expr = Compare | Member | BoolField | Const | Not | And | Or | Ref
Atom = Compare | Member | BoolField


def nodes(expr: Expr, *, through_refs: bool) -> Iterator[Expr]:
    """Every node of `expr`, parents first, left to right (no recursion: depth is the parser's).

    `through_refs`: go on into a named condition's own tree (what it decides), or stop at
    its name (what the criterion says; the tree's offsets are into another text).
    """
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (And, Or)):
            stack.extend(reversed(node.operands))
        elif isinstance(node, Ref) and through_refs:
            stack.append(node.expr)
