"""Whether a concrete value fits a field's declared domain.

Example leads, an exit's `set`, and real CRM records are all checked the same
way, so a value is "outside the domain" for one reason everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leadspec.expr.render import exact_normal, range_text
from leadspec.model import Field


def _number_words(value: Decimal) -> str:
    return format(exact_normal(value), "f") if value == value.to_integral_value() else str(value)


def domain_words(field: Field) -> str:
    """The field's domain as a person would say it: "a whole number from 0 to 100"."""
    if field.type == "boolean":
        return "true or false"
    if field.type == "enum":
        return "one of " + ", ".join(field.values)
    noun = "a whole number" if field.type == "integer" else "a number"
    return noun + range_text(field, _number_words)


def value_problem(field: Field, value: Any) -> str | None:
    """Why `value` cannot be a value of `field`, or None when it can. None means missing."""
    if value is None:
        return None if field.optional else f"`{field.id}` ({field.label}) is required and cannot be empty"
    if field.type == "boolean":
        return None if isinstance(value, bool) else _outside(field, value)
    if field.type == "enum":
        return None if isinstance(value, str) and value in field.values else _outside(field, value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return _outside(field, value)
    number = Decimal(value)
    if field.type == "integer" and number != number.to_integral_value():
        return _outside(field, value)
    return None if field.admits(number) else _outside(field, value)


def _outside(field: Field, value: Any) -> str:
    shown = (
        f'"{value}"'
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return f"`{field.id}` ({field.label}) is {domain_words(field)}, not {shown}"
