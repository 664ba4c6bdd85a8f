"""Check a parsed criterion against the declared fields.

The lifecycle analysis reasons over each field's declared domain, so every
comparison must be one the domain can answer: the field exists (LS207), the
literal has the field's type and the operator suits it (LS208), an enum value is
one of the field's values (LS209), and a number lies inside the field's range
(LS210). Messages name the field by id and label and say what it holds, so a
marketing-ops reader sees the fix without opening the field's definition.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal

from leadspec.expr.ast import BoolField, Compare, Expr, Lit, Member, nodes
from leadspec.expr.parser import EMPTY_WORDS, FLIPPED, ExprSyntaxError
from leadspec.expr.render import (
    exact_normal,
    field_kind,
    field_ref,
    join_or,
    literal_code,
    number_text,
    range_text,
)
from leadspec.model import Field
from leadspec.structs import struct
from leadspec.suggest import certain, closest

UNKNOWN_FIELD = "LS207"
TYPE_MISMATCH = "LS208"
UNKNOWN_ENUM_VALUE = "LS209"
BOUND_OUTSIDE_DOMAIN = "LS210"

_NUMBER = r"-?[0-9]+(\.[0-9]+)?"  # compiled on first use (re caches it): start-up counts


@struct
class TypeIssue:
    """One problem found, with 0-based offsets into the criterion text (end exclusive)."""

    code: str
    message: str
    start: int
    end: int
    hint: str | None
    # The text that certainly replaces start..end (a misspelt name with one candidate).
    replacement: str | None = None


def typecheck(
    expr: Expr,
    fields: Mapping[str, Field],
    broken: Collection[str] = (),
    conditions: Collection[str] = (),
) -> list[TypeIssue]:
    """Every type problem in `expr`, in the order they appear in the text.

    `broken` names fields that are declared but whose definition has its own finding
    (a mistyped `type:`): they exist, so a reference to one is no LS207, and what they
    hold is unknown, so nothing more is said about it until the definition is fixed.
    `conditions` are the ids of named conditions: each stands alone like a true/false
    field, and cannot be compared with a value.
    """
    checker = _Checker(fields, broken, conditions)
    for atom in _atoms(expr):
        checker.check(atom)
    return sorted(checker.issues, key=lambda issue: (issue.start, issue.end, issue.code))


def explain_words(
    error: ExprSyntaxError, fields: Mapping[str, Field], broken: Collection[str] = ()
) -> ExprSyntaxError:
    """The parser's error for `name op name`, said with the fields known.

    The parser cannot tell a field from an unquoted value, so `sdr_status == accepted`
    leaves it "two names"; here the one that is no field is named, as the value of the
    other when it is one (`accepted` of `sdr_status`), with the quoted fix.
    """
    words = error.words
    if words is None:
        return error
    is_field = {word.text: word.text in fields or word.text in broken for word in (words.left, words.right)}
    if all(is_field.values()):
        return error  # two real fields: the parser's words are right
    if not any(is_field.values()):
        close = closest(words.left.text, [*fields, *broken])
        return ExprSyntaxError(
            f"neither `{words.left.text}` nor `{words.right.text}` is a field; "
            "a condition compares a field with a value",
            words.left.start,
            words.left.end,
            f'did you mean `{close}`? A value is written in quotes: {close} {words.op} "{words.right.text}"'
            if close
            else error.hint,
        )
    name, op, word = (
        (words.left.text, words.op, words.right)
        if is_field[words.left.text]
        else (words.right.text, FLIPPED[words.op], words.left)
    )
    field = fields.get(name)
    if field is None:  # declared, but its definition is broken: what it holds is unknown
        return ExprSyntaxError(
            f"`{word.text}` is not a field; a value is written in quotes",
            word.start,
            word.end,
            f'write {name} {op} "{word.text}"',
        )
    checker = _Checker(fields)
    ref = field_ref(name, fields)
    if word.text.lower() in EMPTY_WORDS and word.text not in field.values:
        message = f"`{word.text}` is not a field; {ref} is {field_kind(field)}"
        hint = error.hint
    elif field.type == "enum" and word.text in field.values:
        message = f"`{word.text}` is a value of {ref}, not a field: a value is written in quotes"
        hint = f'write {name} {op} "{word.text}"'
        return ExprSyntaxError(message, word.start, word.end, hint, replacement=literal_code(word.text))
    elif field.type == "enum":
        message = f"`{word.text}` is neither a field nor a value of {ref}, which is {field_kind(field)}"
        hint = checker.enum_hint(field, word.text)
    elif field.type == "boolean" and word.text.lower() in _YES_NO:
        message = f"`{word.text}` is not a field; {ref} is {field_kind(field)}"
        hint = f"write {name} {op} {_YES_NO[word.text.lower()]}"
    else:
        message = f"`{word.text}` is not a field; {ref} is {field_kind(field)}"
        hint = checker.mismatch_hint(field, word.text)
    return ExprSyntaxError(message, word.start, word.end, hint)


_YES_NO = {"yes": "true", "on": "true", "no": "false", "off": "false"}


def _atoms(expr: Expr) -> Iterator[Compare | Member | BoolField]:
    # A resolved condition was checked where it is defined: not gone into again.
    for node in nodes(expr, through_refs=False):
        if isinstance(node, (Compare, Member, BoolField)):
            yield node


def _is_number(value: object) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if _is_number(value):
        return "number"
    return "text"


class _Checker:
    def __init__(
        self, fields: Mapping[str, Field], broken: Collection[str] = (), conditions: Collection[str] = ()
    ) -> None:
        self.fields = fields
        self.broken = broken
        self.conditions = conditions
        self.issues: list[TypeIssue] = []

    def add(
        self,
        code: str,
        message: str,
        start: int,
        end: int,
        hint: str | None = None,
        replacement: str | None = None,
    ) -> None:
        self.issues.append(TypeIssue(code, message, start, end, hint, replacement))

    def check(self, atom: Compare | Member | BoolField) -> None:
        if isinstance(atom, BoolField):
            if atom.field in self.conditions:
                return
            field = self.known(atom.field, atom.start, atom.end, alone=True)
            if field is not None and field.type != "boolean":
                self.add(
                    TYPE_MISMATCH,
                    f"{field_ref(field.id, self.fields)} is {field_kind(field)}, "
                    "so it cannot stand alone as a condition",
                    atom.start,
                    atom.end,
                    f"compare it with a value, like {self.example(field)}",
                )
            return
        field = self.known(atom.field, atom.field_start, atom.field_end)
        if field is None:
            return
        if isinstance(atom, Compare):
            if atom.op not in ("==", "!=") and field.type in ("enum", "boolean"):
                self.ordering_on_unordered(atom, field)
                return
            self.literal(field, atom.value)
        else:
            for value in atom.values:
                self.literal(field, value)

    def known(self, field_id: str, start: int, end: int, alone: bool = False) -> Field | None:
        if field_id in self.conditions:
            self.add(
                TYPE_MISMATCH,
                f"`{field_id}` is a named condition: it is met or not, and cannot be compared with a value",
                start,
                end,
                f"write {field_id} or not {field_id}",
            )
            return None
        field = self.fields.get(field_id)
        if field is None and field_id not in self.broken:
            # A condition can stand alone (`alone`), never be compared: only then is it a candidate.
            names = [*self.fields, *self.broken, *(self.conditions if alone else ())]
            self.add(
                UNKNOWN_FIELD,
                f"there is no field `{field_id}`",
                start,
                end,
                self.unknown_hint(field_id),
                certain(field_id, names),
            )
        return field

    def unknown_hint(self, name: str) -> str:
        ids = sorted({*self.fields, *self.broken})
        close = closest(name, [*ids, *self.conditions])
        if close:
            return f"did you mean `{close}`?"
        for field in self.fields.values():
            if field.type == "enum" and name in field.values:
                return f'if you meant the value "{name}" of `{field.id}`, write {field.id} == "{name}"'
        if not ids:
            return "declare the field under `fields:` in a definitions file"
        shown = ", ".join(f"`{i}`" for i in ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        return f"declare it under `fields:`, or use a field that exists: {shown}"

    def example(self, field: Field) -> str:
        if field.type == "enum":
            return f'{field.id} == "{field.values[0]}"' if field.values else f'{field.id} == "..."'
        if field.type == "boolean":
            return f"{field.id} == true"
        low, high = field.minimum, field.maximum
        if low is not None and high is not None:
            point = (Decimal(low) + Decimal(high)) / 2
        else:
            point = Decimal(low if low is not None else high if high is not None else 0)
        if field.type == "integer" or point == point.to_integral_value():
            return f"{field.id} >= {literal_code(int(point))}"
        return f"{field.id} >= {literal_code(exact_normal(point))}"

    def ordering_on_unordered(self, atom: Compare, field: Field) -> None:
        ref = field_ref(field.id, self.fields)
        if field.type == "enum":
            hint = f"list the values you mean: {field.id} in [{', '.join(literal_code(v) for v in field.values[:3])}]"
        else:
            hint = f"write {field.id} or not {field.id}"
        self.add(
            TYPE_MISMATCH,
            f"{ref} is {field_kind(field)}, so it can only be compared with == or !=, not {atom.op}",
            atom.start,
            atom.end,
            hint,
        )

    def literal(self, field: Field, lit: Lit) -> None:
        value = lit.value
        ref = field_ref(field.id, self.fields)
        wanted = {"integer": "number", "number": "number", "boolean": "boolean", "enum": "text"}[field.type]
        if _kind_of(value) != wanted:
            self.add(
                TYPE_MISMATCH,
                f"{ref} is {field_kind(field)}, but is compared with {literal_code(value)}",
                lit.start,
                lit.end,
                self.mismatch_hint(field, value),
            )
            return
        if field.type == "enum":
            assert isinstance(value, str)
            if value not in field.values:
                meant = certain(value, field.values)
                self.add(
                    UNKNOWN_ENUM_VALUE,
                    f"{ref} has no value {literal_code(value)}; its values are {join_or(list(field.values))}",
                    lit.start,
                    lit.end,
                    self.enum_hint(field, value),
                    None if meant is None else literal_code(meant),
                )
            return
        if wanted == "number":
            assert isinstance(value, (int, Decimal))
            low, high = field.minimum, field.maximum
            below = low is not None and value < low
            above = high is not None and value > high
            if below or above:
                key = "min" if below else "max"
                self.add(
                    BOUND_OUTSIDE_DOMAIN,
                    f"{ref} is {field_kind(field)}, so {number_text(value)} is outside its range",
                    lit.start,
                    lit.end,
                    f"compare it with a value{range_text(field)}, or change the field's `{key}` "
                    f"if leads can really have {number_text(value)}",
                )

    def mismatch_hint(self, field: Field, value: object) -> str | None:
        if field.type in ("integer", "number"):
            if isinstance(value, str) and _looks_numeric(value):
                return f"remove the quotes: {value.strip()}"
            return f"compare it with a number, like {self.example(field)}"
        if field.type == "boolean":
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
                meant = "true" if value.strip().lower() in ("true", "yes") else "false"
                return f"write {meant} without quotes"
            if _is_number(value) and value in (0, 1):
                return f"write {'true' if value == 1 else 'false'} instead of {value}"
            return "compare it with true or false, or write the field alone"
        text = literal_code(value).strip('"') if not isinstance(value, str) else value
        if text in field.values:
            return f'put the value in quotes: "{text}"'
        return f"compare it with one of its values, like {self.example(field)}"

    def enum_hint(self, field: Field, value: str) -> str:
        same_case = [v for v in field.values if v.lower() == value.lower()]
        if same_case:
            return f"values are case-sensitive: write {literal_code(same_case[0])}"
        close = closest(value, field.values)
        if close:
            return f"did you mean {literal_code(close)}?"
        return f"use one of its values, or add {literal_code(value)} to the field's `values` if leads can have it"


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(_NUMBER, text.strip()) is not None
