"""Shared test data for the criteria language: a small field set and a tree-shape helper."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leadspec.diagnostics import Span
from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Lit, Member, Not, Or
from leadspec.model import Field

_SPAN = Span("definitions/fields.yaml", 1, 1)

FIELDS: dict[str, Field] = {
    "lead_score": Field("lead_score", "Lead score", "integer", _SPAN, minimum=Decimal(0), maximum=Decimal(100)),
    "email_verified": Field("email_verified", "Email verified", "boolean", _SPAN),
    "competitor": Field("competitor", "Competitor", "boolean", _SPAN),
    "country": Field("country", "Country", "enum", _SPAN, values=("US", "CA", "GB", "NO", "DE")),
    "annual_revenue": Field("annual_revenue", "Annual revenue", "number", _SPAN, minimum=Decimal(0)),
    "industry": Field(
        "industry", "Industry", "enum", _SPAN, values=("software", "finance", "retail"), optional=True
    ),
    "discount": Field("discount", "Discount", "number", _SPAN, minimum=Decimal("0"), maximum=Decimal("0.5")),
    "company_size": Field("company_size", "Company size", "enum", _SPAN, values=("10", "50", "250")),
    "is_partner": Field("is_partner", "Is partner", "boolean", _SPAN, optional=True),
}


def lit_shape(lit: Lit) -> tuple[str, Any]:
    # The type matters: True == 1 and Decimal(5) == 5 in Python, but not in the language.
    return (type(lit.value).__name__, lit.value)


def shape(expr: Expr) -> tuple[Any, ...]:
    """The tree without offsets, so trees parsed from different texts can be compared."""
    if isinstance(expr, Compare):
        return ("compare", expr.field, expr.op, lit_shape(expr.value))
    if isinstance(expr, Member):
        return ("member", expr.field, expr.negated, tuple(lit_shape(v) for v in expr.values))
    if isinstance(expr, BoolField):
        return ("bool", expr.field)
    if isinstance(expr, Const):
        return ("const", expr.value)
    if isinstance(expr, Not):
        return ("not", shape(expr.operand))
    if isinstance(expr, And):
        return ("and", tuple(shape(o) for o in expr.operands))
    if isinstance(expr, Or):
        return ("or", tuple(shape(o) for o in expr.operands))
    raise TypeError(expr)


def nesting(expr: Expr) -> int:
    """How many parentheses and `not`s deep `to_code(expr)` nests at most."""
    if isinstance(expr, Not):
        return 1 + (1 if isinstance(expr.operand, (And, Or)) else 0) + nesting(expr.operand)
    if isinstance(expr, (And, Or)):
        return 1 + max(nesting(o) for o in expr.operands)
    return 0
