"""Decide whether one lead meets a criterion.

This is the reference meaning of the language (format.md): examples are run
with it and every witness the analysis reports is checked with it, so it stays
deliberately simple and exact:

- a field absent from the lead, or None, is *missing*, and every comparison
  with a missing value (==, !=, <, in, not in, a boolean field alone) is false;
  `not` then negates that result as usual;
- numbers compare exactly (int and Decimal; a float in the lead is read through
  its shortest decimal text, so 0.1 means 0.1);
- values of different kinds (text vs number vs true/false) are never equal and
  never ordered, so a bad value can make a condition false but never crash.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or, Ref, Value

_MISSING = object()


def evaluate(expr: Expr, lead: Mapping[str, object]) -> bool:
    """True when `lead` meets `expr`; recursion depth is bounded by the parser's nesting limit."""
    if isinstance(expr, And):
        return all(evaluate(operand, lead) for operand in expr.operands)
    if isinstance(expr, Or):
        return any(evaluate(operand, lead) for operand in expr.operands)
    if isinstance(expr, Not):
        return not evaluate(expr.operand, lead)
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        return evaluate(expr.expr, lead)
    if isinstance(expr, BoolField):
        return _value(lead, expr.field) is True
    if isinstance(expr, Compare):
        value = _value(lead, expr.field)
        if value is _MISSING:
            return False
        return compare(value, expr.op, expr.value.value)
    if isinstance(expr, Member):
        value = _value(lead, expr.field)
        if value is _MISSING:
            return False
        found = any(compare(value, "==", item.value) for item in expr.values)
        return found != expr.negated
    raise TypeError(f"not an expression: {expr!r}")


def _value(lead: Mapping[str, object], field: str) -> object:
    """The lead's value in the language's own kinds, or _MISSING."""
    value = lead.get(field)
    if value is None:
        return _MISSING
    if isinstance(value, float):
        if math.isnan(value):
            return value  # compares with nothing; see compare
        return Decimal(str(value))
    return value


def kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, Decimal)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "other"


def compare(value: object, op: str, literal: Value) -> bool:
    """`value op literal` as the language means it: only same-kind values are ordered
    or equal; the analysis decides comparisons with this too, so both agree."""
    kind = kind_of(value)
    same_kind = kind == kind_of(literal) and kind != "other"
    if kind == "number" and isinstance(value, Decimal) and value.is_nan():
        same_kind = False
    if op == "==":
        return same_kind and value == literal
    if op == "!=":
        return not (same_kind and value == literal)
    if not same_kind or kind == "boolean":
        return False
    # Same kind, and ordered: numbers with numbers, text with text.
    if op == "<":
        return value < literal  # type: ignore[operator]
    if op == "<=":
        return value <= literal  # type: ignore[operator]
    if op == ">":
        return value > literal  # type: ignore[operator]
    return value >= literal  # type: ignore[operator]
