"""Expression trees back to text: canonical code, and plain words for people.

`to_code` is what leadspec writes when it shows or rewrites a criterion, so it
must parse back to the same tree. `to_words` is what the glossary site and
messages show to sales and marketing, so it uses field labels, reads like a
sentence, and turns `not` into its plain meaning instead of saying "not".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or, Ref, Value
from leadspec.model import Field

_NEGATED_OP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_FLIPPED_OP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_LOWER = frozenset({">", ">="})
_UPPER = frozenset({"<", "<="})
_OP_WORDS = {">=": "is at least", ">": "is more than", "<": "is less than", "<=": "is at most"}


# -- small shared helpers (typecheck uses these for its messages) ---------------


def literal_code(value: Value) -> str:
    """A literal as the expression language writes it; parses back to an equal value of the same type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text if "." in text else text + ".0"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def exact_normal(value: Decimal) -> Decimal:
    """`value` without trailing zeros, digit for digit.

    `Decimal.normalize()` alone rounds to the decimal context's 28 significant digits, so a
    bound of 3.1415926535897932384626433832794 would be shown as a different number, one
    that is in a stage; a context as precise as the value itself cannot round it.
    """
    if not value.is_finite():
        return value
    digits = len(value.as_tuple().digits)
    return value.normalize(Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN))


def number_text(value: int | Decimal) -> str:
    """A number as a person reads it: exact, no trailing zeros, thousands separated from 10,000 up."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if value != value.to_integral_value():
            return format(exact_normal(value), ",f" if abs(value) >= 10000 else "f")
        value = int(value)
    return f"{value:,}" if abs(value) >= 10000 else str(value)


def value_words(value: Value) -> str:
    """A literal in a sentence: text as is, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return number_text(value)
    return value


def join_or(items: Sequence[str]) -> str:
    """ "US", "US or CA", "US, CA or GB"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def field_ref(field_id: str, fields: Mapping[str, Field]) -> str:
    """How messages name a field: its id as written in criteria, and its label when that says more."""
    field = fields.get(field_id)
    if field is None or not field.label or field.label == field_id:
        return f"`{field_id}`"
    return f"`{field_id}` ({field.label})"


def range_text(field: Field, number: Callable[[Decimal], str] | None = None) -> str:
    """ " from 0 to 100", " of at least 1", " of less than 5" or "" for an unbounded number field.

    An open bound (`above`/`below`) is said as the edge it is not: "from 0 up to but not
    including 1000". `number` writes each bound (`number_text` unless given).
    """
    say = number or number_text
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        if not field.minimum_open and not field.maximum_open:
            return f" from {say(low)} to {say(high)}"
        if not field.minimum_open:
            return f" from {say(low)} up to but not including {say(high)}"
        upper = "less than" if field.maximum_open else "at most"
        return f" of more than {say(low)} and {upper} {say(high)}"
    if low is not None:
        return f" of {'more than' if field.minimum_open else 'at least'} {say(low)}"
    if high is not None:
        return f" of {'less than' if field.maximum_open else 'at most'} {say(high)}"
    return ""


def field_kind(field: Field, max_values: int = 8) -> str:
    """What a field holds, in words: "a whole number from 0 to 100", "one of US, CA or GB"."""
    if field.type == "integer":
        return "a whole number" + range_text(field)
    if field.type == "number":
        return "a number" + range_text(field)
    if field.type == "boolean":
        return "a yes/no field (true or false)"
    values = list(field.values)
    if len(values) > max_values:
        shown = ", ".join(values[:max_values])
        return f"one of {shown} and {len(values) - max_values} more"
    return "one of " + join_or(values)


# -- canonical code ----------------------------------------------------------------


def to_code(expr: Expr) -> str:
    """Canonical text for `expr`: `parse(to_code(e))` equals `e` apart from offsets.

    Ranges on one field that sit next to each other in an `and` are written as a
    chain (`40 <= lead_score < 50`), which parses back to the same two comparisons.
    """
    if isinstance(expr, Compare):
        return f"{expr.field} {expr.op} {literal_code(expr.value.value)}"
    if isinstance(expr, Member):
        keyword = "not in" if expr.negated else "in"
        return f"{expr.field} {keyword} [{', '.join(literal_code(v.value) for v in expr.values)}]"
    if isinstance(expr, BoolField):
        return expr.field
    if isinstance(expr, Ref):
        return expr.name  # the condition by its name, as the criterion uses it
    if isinstance(expr, Const):
        return "true" if expr.value else "false"
    if isinstance(expr, Not):
        inner = to_code(expr.operand)
        return f"not ({inner})" if isinstance(expr.operand, (And, Or)) else f"not {inner}"
    if isinstance(expr, And):
        parts: list[str] = []
        operands = expr.operands
        i = 0
        while i < len(operands):
            operand = operands[i]
            following = operands[i + 1] if i + 1 < len(operands) else None
            if following is not None and _range_pair(operand, following):
                assert isinstance(operand, Compare) and isinstance(following, Compare)
                parts.append(
                    f"{literal_code(operand.value.value)} {_FLIPPED_OP[operand.op]} {operand.field} "
                    f"{following.op} {literal_code(following.value.value)}"
                )
                i += 2
                continue
            code = to_code(operand)
            parts.append(f"({code})" if isinstance(operand, (Or, And)) else code)
            i += 1
        return " and ".join(parts)
    if isinstance(expr, Or):
        # `and` binds tighter, but brackets around an `and` inside `or` spare readers the rule.
        return " or ".join(
            to_code(o) if not isinstance(o, (And, Or)) or _is_chain(o) else f"({to_code(o)})"
            for o in expr.operands
        )
    raise TypeError(f"not an expression: {expr!r}")


def _is_chain(expr: Expr) -> bool:
    """An `and` that is one range, written `40 <= lead_score < 50`."""
    return isinstance(expr, And) and len(expr.operands) == 2 and _range_pair(*expr.operands)


def _range_pair(first: Expr, second: Expr) -> bool:
    """Two comparisons on one field bounding it from both sides (in either order)."""
    if not (isinstance(first, Compare) and isinstance(second, Compare) and first.field == second.field):
        return False
    if isinstance(first.value.value, (bool, str)) or isinstance(second.value.value, (bool, str)):
        return False
    return (first.op in _LOWER and second.op in _UPPER) or (first.op in _UPPER and second.op in _LOWER)


# -- plain words -----------------------------------------------------------------


def to_words(expr: Expr, fields: Mapping[str, Field]) -> str:
    """A sentence saying what `expr` requires, with field labels instead of ids.

    Negation is pushed down to the comparisons (exact, because a comparison with
    a blank field is simply false), so "not lead_score >= 50" reads "Lead score
    is less than 50", with "or blank" added for optional fields.
    """
    return _Words(fields).words(expr, False)


class _Words:
    def __init__(self, fields: Mapping[str, Field]) -> None:
        self.fields = fields

    def label(self, field_id: str) -> str:
        field = self.fields.get(field_id)
        return field.label if field is not None and field.label else field_id

    def blank_suffix(self, field_id: str, negated: bool) -> str:
        # `not (x == 1)` also holds when x is blank; say so where a field may be blank.
        field = self.fields.get(field_id)
        return " or blank" if negated and field is not None and field.optional else ""

    @staticmethod
    def kind(expr: Expr, negated: bool) -> str:
        while isinstance(expr, Not):
            expr, negated = expr.operand, not negated
        if isinstance(expr, And):
            return "or" if negated else "and"
        if isinstance(expr, Or):
            return "and" if negated else "or"
        return "atom"

    def words(self, expr: Expr, negated: bool) -> str:
        while isinstance(expr, Not):
            expr, negated = expr.operand, not negated
        if isinstance(expr, Const):
            return "always" if expr.value != negated else "never"
        if isinstance(expr, (And, Or)):
            joiner = "and" if isinstance(expr, And) != negated else "or"
            if joiner == "and":
                return self.conjunction(expr.operands, negated)
            parts = []
            for operand in expr.operands:
                text = self.words(operand, negated)
                grouped = self.kind(operand, negated) == "and" and not self.one_range(operand, negated)
                parts.append(f"({text})" if grouped else text)
            return " or ".join(parts)
        return self.atom(expr, negated)

    def one_range(self, expr: Expr, negated: bool) -> bool:
        """An `and` that reads as one phrase ("Lead score is 40 to 49") needs no brackets."""
        return (
            not negated
            and isinstance(expr, And)
            and len(expr.operands) == 2
            and _range_pair(*expr.operands)
            and self.range_words(*expr.operands) is not None  # type: ignore[arg-type]
        )

    def conjunction(self, operands: Sequence[Expr], negated: bool) -> str:
        parts: list[str] = []
        i = 0
        while i < len(operands):
            operand = operands[i]
            following = operands[i + 1] if i + 1 < len(operands) else None
            if not negated and following is not None and _range_pair(operand, following):
                assert isinstance(operand, Compare) and isinstance(following, Compare)
                text = self.range_words(operand, following)
                if text is not None:
                    parts.append(text)
                    i += 2
                    continue
            text = self.words(operand, negated)
            parts.append(f"(either {text})" if self.kind(operand, negated) == "or" else text)
            i += 1
        return " and ".join(parts)

    def range_words(self, first: Compare, second: Compare) -> str | None:
        low, high = (first, second) if first.op in _LOWER else (second, first)
        lo = low.value.value
        hi = high.value.value
        assert isinstance(lo, (int, Decimal)) and isinstance(hi, (int, Decimal))
        label = self.label(low.field)
        field = self.fields.get(low.field)
        if field is not None and field.type == "integer":
            lo_inc = math.floor(lo) + 1 if low.op == ">" else math.ceil(lo)
            hi_inc = math.ceil(hi) - 1 if high.op == "<" else math.floor(hi)
            if lo_inc > hi_inc:
                return None
            if lo_inc == hi_inc:
                return f"{label} is {number_text(lo_inc)}"
            return f"{label} is {number_text(lo_inc)} to {number_text(hi_inc)}"
        a, b = number_text(lo), number_text(hi)
        if low.op == ">=" and high.op == "<=":
            return f"{label} is from {a} to {b}"
        if low.op == ">=":
            return f"{label} is from {a} up to but not including {b}"
        if high.op == "<=":
            return f"{label} is more than {a} and at most {b}"
        return f"{label} is more than {a} and less than {b}"

    def atom(self, expr: Expr, negated: bool) -> str:
        if isinstance(expr, Ref):
            return f"{expr.label} is {'not met' if negated else 'met'}"
        if isinstance(expr, BoolField):
            verb = "is no" if negated else "is yes"
            return f"{self.label(expr.field)} {verb}{self.blank_suffix(expr.field, negated)}"
        if isinstance(expr, Member):
            values = join_or([value_words(v.value) for v in expr.values])
            outside = expr.negated != negated
            verb = "is not" if outside else "is"
            return f"{self.label(expr.field)} {verb} {values}{self.blank_suffix(expr.field, negated)}"
        if isinstance(expr, Compare):
            op = _NEGATED_OP[expr.op] if negated else expr.op
            value = expr.value.value
            label = self.label(expr.field)
            suffix = self.blank_suffix(expr.field, negated)
            if isinstance(value, bool) and op in ("==", "!="):
                return f"{label} is {value_words(value == (op == '=='))}{suffix}"
            if op == "==":
                return f"{label} is {value_words(value)}{suffix}"
            if op == "!=":
                return f"{label} is not {value_words(value)}{suffix}"
            return f"{label} {_OP_WORDS[op]} {value_words(value)}{suffix}"
        raise TypeError(f"not an expression: {expr!r}")


__all__ = ["to_code", "to_words", "literal_code", "number_text", "field_kind", "field_ref", "join_or"]
