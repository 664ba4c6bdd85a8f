"""Valid or not, fast: the JSON Schema compiled into plain Python checks that answer only yes or no.

Nearly every file `leadspec check` reads is valid, and for a valid file jsonschema
has nothing to explain, yet importing it and walking its validators cost most of
a clean run. So `schema.validate` asks this module first and only brings in
jsonschema, to word the errors, for a file that is not plainly valid.

The verdict must be jsonschema's (Draft 2020-12, with its format checker), keyword
for keyword: each check below follows the jsonschema function of the same name,
type rules and `enum`/`const` equality included. A schema using a keyword this
module does not implement is not compiled at all (`compiled()` is None) and every
file goes to jsonschema as before: slower, never wrong. The tests hold the verdicts
to jsonschema's over the test fixtures and generated documents.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

Check = Callable[[Any], bool]

# Every keyword jsonschema's Draft202012Validator acts on, in any release pyproject.toml allows (4.18
# still had `additionalItems`; a test keeps this in step with the installed jsonschema's own table).
# Any other key is an annotation or unknown, and ignored by both.
VALIDATION_KEYWORDS = frozenset(
    {
        "$dynamicRef", "additionalItems", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
        "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
        "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
        "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
        "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
        "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
    }
)  # fmt: skip
# Keys that change how references resolve: with one of them below the root, "#/$defs/x"
# may no longer mean the root's definition, so such a schema is left to jsonschema.
_SCOPE_KEYWORDS = ("$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$recursiveRef")

# jsonschema's `date` format: the same pattern, then a real calendar date.
_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class Unsupported(Exception):
    """The schema uses something this module does not implement: jsonschema decides alone."""


def compiled(schema: Mapping[str, Any]) -> Check | None:
    """One function `data -> is it valid`, or None when the schema needs jsonschema itself."""
    try:
        return _Compiler(schema).root()
    except (Unsupported, re.error):  # re.error: a pattern jsonschema would fail on in its own way
        return None


# --- jsonschema's type rules and equality (jsonschema._types, jsonschema._utils) -----------------


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


def _unbool(element: Any, true: object = object(), false: object = object()) -> Any:
    """True and 1 (False and 0) are different values to JSON Schema."""
    if element is True:
        return true
    if element is False:
        return false
    return element


def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and _equal(one[key], two[key]) for key in one)
    return bool(_unbool(one) == _unbool(two))


def _unique(container: list[Any]) -> bool:
    try:
        ordered = sorted(_unbool(item) for item in container)
        return not any(_equal(i, j) for i, j in zip(ordered, ordered[1:], strict=False))
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in container:
            item = _unbool(item)
            if any(_equal(other, item) for other in seen):
                return False
            seen.append(item)
        return True


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(_RE_DATE.fullmatch(value) and _date_from_iso(value))
    except ValueError:
        return False


def _date_from_iso(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


_FORMATS: dict[str, Check] = {"date": _is_date}


# --- the compiler ---------------------------------------------------------------------------------


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for each in checks:
            if not each(value):
                return False
        return True

    return check


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        # One slot per reference target, filled after it is compiled: recursive schemas
        # (a criterion inside a criterion) refer to themselves.
        self._refs: dict[str, list[Check]] = {}

    def root(self) -> Check:
        if not isinstance(self._root, dict):
            raise Unsupported("the root is not an object")
        return self._schema(self._root, at_root=True)

    def _schema(self, schema: Any, at_root: bool = False) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema that is {type(schema).__name__}")
        if not at_root and any(key in schema for key in _SCOPE_KEYWORDS):
            raise Unsupported("a nested $id or anchor")
        checks: list[Check] = []
        for keyword, value in schema.items():
            if keyword not in VALIDATION_KEYWORDS or keyword in ("properties", "additionalProperties"):
                continue  # annotations; the object keywords are compiled together below
            make = getattr(self, "_k_" + keyword.lstrip("$"), None)
            if make is None:
                raise Unsupported(keyword)
            checks.append(make(value, schema))
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema))
        return _all(checks)

    # Each `_k_<keyword>(value, schema)` mirrors the jsonschema function of that name.

    def _k_ref(self, ref: Any, schema: Mapping[str, Any]) -> Check:
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            raise Unsupported(f"$ref {ref!r}")
        if ref not in self._refs:
            slot: list[Check] = []
            self._refs[ref] = slot
            slot.append(self._schema(self._resolve(ref)))
        target = self._refs[ref]
        return lambda value: target[0](value)

    def _resolve(self, ref: str) -> Any:
        node: Any = self._root
        pointer = ref[1:]
        if "%" in pointer:
            from urllib.parse import unquote

            pointer = unquote(pointer)
        for raw in pointer.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit():
                node = node[int(part)] if int(part) < len(node) else None
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise Unsupported(f"$ref {ref!r} leads nowhere")
        return node

    def _k_type(self, types: Any, schema: Mapping[str, Any]) -> Check:
        names = [types] if isinstance(types, str) else list(types)
        if any(name not in _TYPES for name in names):
            raise Unsupported(f"type {types!r}")
        if len(names) == 1:
            return _TYPES[names[0]]
        tests = [_TYPES[name] for name in names]
        return lambda value: any(test(value) for test in tests)

    def _object(self, schema: Mapping[str, Any]) -> Check:
        """`properties` and `additionalProperties` in one pass over the entries."""
        properties = {name: self._schema(sub) for name, sub in schema.get("properties", {}).items()}
        additional_schema = schema.get("additionalProperties", True)
        if "patternProperties" in schema and additional_schema is not True:
            patterns = re.compile("|".join(schema["patternProperties"])).search
        else:
            patterns = None
        if additional_schema is True:
            additional: Check | None = None
        else:
            additional = self._schema(additional_schema)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                test = properties.get(key)
                if test is not None:
                    if not test(item):
                        return False
                elif additional is not None and not (patterns is not None and patterns(key)):
                    if not additional(item):
                        return False
            return True

        return check

    def _k_patternProperties(self, patterns: Any, schema: Mapping[str, Any]) -> Check:
        compiled_patterns = [
            (re.compile(pattern).search, self._schema(sub)) for pattern, sub in patterns.items()
        ]

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for search, test in compiled_patterns:
                for key, item in value.items():
                    if search(key) and not test(item):
                        return False
            return True

        return check

    def _k_required(self, names: Any, schema: Mapping[str, Any]) -> Check:
        names = list(names)
        return lambda value: not isinstance(value, dict) or all(name in value for name in names)

    def _k_propertyNames(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        test = self._schema(sub)
        return lambda value: not isinstance(value, dict) or all(test(key) for key in value)

    def _k_minProperties(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or len(value) >= bound

    def _k_maxProperties(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or len(value) <= bound

    def _k_dependentRequired(self, table: Any, schema: Mapping[str, Any]) -> Check:
        pairs = [(name, list(needed)) for name, needed in table.items()]
        return lambda value: (
            not isinstance(value, dict)
            or all(name not in value or all(each in value for each in needed) for name, needed in pairs)
        )

    def _k_items(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("prefixItems")
        test = self._schema(sub)
        return lambda value: not isinstance(value, list) or all(test(item) for item in value)

    def _k_minItems(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) >= bound

    def _k_maxItems(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) <= bound

    def _k_uniqueItems(self, flag: Any, schema: Mapping[str, Any]) -> Check:
        if not flag:
            return lambda value: True
        return lambda value: not isinstance(value, list) or _unique(value)

    def _k_pattern(self, pattern: Any, schema: Mapping[str, Any]) -> Check:
        search = re.compile(pattern).search
        return lambda value: not isinstance(value, str) or search(value) is not None

    def _k_minLength(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= bound

    def _k_maxLength(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) <= bound

    def _k_format(self, name: Any, schema: Mapping[str, Any]) -> Check:
        if name not in _FORMATS:
            raise Unsupported(f"format {name!r}")
        return _FORMATS[name]

    def _k_minimum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not _is_number(value) or not value < bound

    def _k_maximum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not _is_number(value) or not value > bound

    def _k_exclusiveMinimum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not _is_number(value) or not value <= bound

    def _k_exclusiveMaximum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not _is_number(value) or not value >= bound

    def _k_enum(self, options: Any, schema: Mapping[str, Any]) -> Check:
        options = list(options)
        if any(isinstance(option, (list, dict)) for option in options):
            # jsonschema before 4.19 compared [1] and [True] as equal here, later releases not.
            raise Unsupported("an enum of lists or objects")
        return lambda value: any(_equal(option, value) for option in options)

    def _k_const(self, expected: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: _equal(value, expected)

    def _k_allOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        return _all([self._schema(sub) for sub in subs])

    def _k_anyOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        tests = [self._schema(sub) for sub in subs]
        return lambda value: any(test(value) for test in tests)

    def _k_oneOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        tests = [self._schema(sub) for sub in subs]
        return lambda value: sum(1 for test in tests if test(value)) == 1

    def _k_not(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        test = self._schema(sub)
        return lambda value: not test(value)

    def _k_if(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        condition = self._schema(sub)
        then = self._schema(schema["then"]) if "then" in schema else None
        otherwise = self._schema(schema["else"]) if "else" in schema else None

        def check(value: Any) -> bool:
            if condition(value):
                return then is None or then(value)
            return otherwise is None or otherwise(value)

        return check


@lru_cache(maxsize=1)
def for_schema() -> Check | None:
    """The bundled schema, compiled once per process."""
    from leadspec.schema import load_schema

    return compiled(load_schema())


def plainly_valid(data: Any) -> bool:
    """True only when jsonschema would find nothing wrong with `data`.

    False means "ask jsonschema": the data may be invalid, the schema may not be
    compiled, or a comparison may have failed (jsonschema then says what it says).
    """
    check = for_schema()
    if check is None:
        return False
    try:
        return check(data)
    except Exception:  # noqa: BLE001 - e.g. a NaN compared: jsonschema's own run decides
        return False
