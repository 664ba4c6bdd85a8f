"""Validate a definitions file against `schema/leadspec.schema.json`, with positions.

The JSON Schema is the one authoritative description of the format (it also
drives editor completion and the site's reference pages), so the linter uses it
as is and only translates jsonschema's errors into diagnostics a marketing-ops
person can act on: which entry, which key, what is expected, where.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from leadspec.diagnostics import Diagnostic, Edit, Fix, diagnostic
from leadspec.schema_verdict import plainly_valid
from leadspec.source import Document
from leadspec.suggest import certain, closest

DataPath = tuple[str | int, ...]

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a set of `key: value` entries",
    "array": "a list",
    "null": "nothing",
}

# Keys whose entries are named things: "the stage `mql`, exit `sal`".
_NOUNS = {
    "teams": "team",
    "calendars": "calendar",
    "fields": "field",
    "stages": "stage",
    "picklists": "picklist",
    "terms": "term",
    "exits": "exit",
    "values": "value",
    "examples": "example",
    "waivers": "waiver",
    "holidays": "holiday",
}


def schema_path() -> Path:
    """Where the schema lives: inside the installed package, or in a source checkout.

    Found beside this module rather than through importlib.resources, whose import
    alone cost `leadspec check` several milliseconds.
    """
    packaged = Path(__file__).with_name("data") / "leadspec.schema.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schema" / "leadspec.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(
        load_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _child(node: Any, key: str | int) -> Any:
    if isinstance(key, int):
        return node[key] if isinstance(node, list) and 0 <= key < len(node) else None
    return node.get(key) if isinstance(node, dict) else None


def describe(data: Any, path: DataPath) -> str:
    """Name the place a path leads to as a person would: "the stage `mql`, exit `sal`: sla"."""
    if not path:
        return "the file"
    nouns: list[str] = []
    keys: list[str] = []
    node = data
    index = 0
    while index < len(path):
        key = path[index]
        child = _child(node, key)
        if isinstance(key, str) and key in _NOUNS and index + 1 < len(path):
            which = path[index + 1]
            item = _child(child, which)
            label: object = which
            if isinstance(which, int):
                named = (
                    item.get("id") or item.get("to") or item.get("name") if isinstance(item, dict) else None
                )
                label = named if isinstance(named, str) else None
            if keys:
                nouns.append(".".join(keys))
                keys = []
            noun = _NOUNS[key]
            nouns.append(f"{noun} `{label}`" if label is not None else f"{noun} {int(which) + 1}")
            node = item
            index += 2
            continue
        keys.append(str(key) if isinstance(key, str) else f"item {key + 1}")
        node = child
        index += 1
    text = ", ".join(nouns)
    if text:
        text = "the " + text
        return f"{text}: {'.'.join(keys)}" if keys else text
    return f"`{'.'.join(keys)}`"


def _value_words(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a set of `key: value` entries"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _expected_words(expected: str | Sequence[str]) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _leaf_errors(error: Any) -> Iterator[Any]:
    """For anyOf/oneOf, descend to the alternative that got furthest."""
    if error.context:
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        if best is not None:
            yield from _leaf_errors(best)
            return
    yield error


def validate(document: Document) -> tuple[list[Diagnostic], set[DataPath]]:
    """Check one file; return diagnostics and the data paths that failed.

    The failed paths let the model builder skip broken entries while still
    using the rest of the file, so one typo does not hide every other finding.
    """
    diagnostics: list[Diagnostic] = []
    failed: set[DataPath] = set()
    if plainly_valid(document.data):
        return diagnostics, failed  # nothing for jsonschema to explain: it is not even imported
    seen: set[tuple[str, DataPath, str]] = set()
    for top in _validator().iter_errors(document.data):
        for error in _leaf_errors(top):
            path: DataPath = tuple(error.absolute_path)
            if path[:1] == ("leadspec",) or (
                error.validator == "required" and "leadspec" in error.validator_value and not path
            ):
                continue  # the format version is the loader's to report (LS013)
            if _is_reference(error):
                continue  # the model checks know what it should name (LS202, LS507)
            for made in _translate(document, error, path):
                # One value, one complaint: alternatives of a schema (number vs whole
                # number) may each reject it in their own words.
                key = (made.code, path, made.message if made.code != "LS103" else "")
                if key in seen:
                    continue
                seen.add(key)
                diagnostics.append(made)
            failed.update(_failed_paths(error, path))
    return diagnostics, failed


def _is_reference(error: Any) -> bool:
    """Whether the error is an id that names something defined elsewhere, written as no id can be.

    `calendar: us-office` breaks the id rules, but what the person needs to hear is
    that no calendar has that id, and which one they meant: the checks on the model
    say that with the ids of calendars (LS202). Reported here as well, the value would
    be dropped and the SLA would seem to have no calendar at all (LS405).
    """
    id_rules = load_schema()["$defs"]["id"]
    if error.validator not in ("pattern", "maxLength") or error.validator_value != id_rules[error.validator]:
        return False
    *place, key, _ = error.absolute_schema_path
    if not place or place[-1] != "properties" or key == "id":
        return False  # an id being defined (a stage's `id:`) or a key: the id rules are the news
    root = load_schema()
    written: Any = root
    for step in (*place, key):
        while isinstance(written, dict) and step not in written and "$ref" in written:
            written = root["$defs"][written["$ref"].removeprefix("#/$defs/")]  # the walk goes on inside it
        if not isinstance(written, dict | list):
            return False
        written = written[step]
    return isinstance(written, dict) and written.get("$ref") == "#/$defs/id"


def _failed_paths(error: Any, path: DataPath) -> list[DataPath]:
    """The values to leave out of the model for this error.

    Only the offending value goes, never the entry around it: one misspelt key
    must not hide the rest of a stage from the other checks.
    """
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        error.instance, dict
    ):
        allowed = _schema_properties(error.schema)
        return [(*path, key) for key in error.instance if key not in allowed]
    if error.validator == "propertyNames" or "propertyNames" in error.relative_schema_path:
        return [(*path, error.instance)]
    return [path] if path else []


def _schema_properties(schema: dict[str, Any]) -> list[str]:
    props = list(schema.get("properties", {}))
    for branch in schema.get("allOf", []):
        props.extend(branch.get("properties", {}))
    return props


def _translate(document: Document, error: Any, path: DataPath) -> Iterator[Diagnostic]:
    where = describe(document.data, path)
    validator = error.validator
    if validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = _schema_properties(error.schema)
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in instance:
            if key in allowed:
                continue
            close = closest(str(key), allowed)
            hint = (
                f"did you mean `{close}`?"
                if close
                else "allowed here: " + ", ".join(f"`{name}`" for name in sorted(allowed))
            )
            owner = f" in {where}" if path else ""
            span = document.key_span((*path, key))
            meant = certain(str(key), allowed)
            yield diagnostic(
                "LS101",
                f"unknown key `{key}`{owner}",
                span,
                hint=hint,
                fix=Fix(f"write `{meant}`", (Edit(span, str(key), meant),)) if meant else None,
            )
        return
    if validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        for name in missing:
            description = error.schema.get("properties", {}).get(name, {}).get("description")
            hint = f"add `{name}:`" + (f" ({_first_sentence(description)})" if description else "")
            yield diagnostic("LS102", f"{where} is missing `{name}`", document.span(path), hint=hint)
        return
    if validator == "type":
        yield diagnostic(
            "LS103",
            f"{where} should be {_expected_words(error.validator_value)}, not {_value_words(error.instance)}",
            document.span(path),
            hint=_type_hint(error.validator_value, error.instance),
        )
        return
    if validator == "propertyNames" or "propertyNames" in error.relative_schema_path:
        key = error.instance
        is_id = error.schema.get("pattern") == load_schema()["$defs"]["id"]["pattern"]
        own = error.schema.get("description")
        yield diagnostic(
            "LS104",
            f"`{key}` in {where} is not " + ("a valid id" if is_id or not own else "written as expected"),
            document.key_span((*path, key)),
            hint="ids are lower_snake_case: start with a letter, then letters, digits or _ "
            "(at most 64 characters), e.g. `lead_score`"
            if is_id or not own
            else _first_sentence(own),
        )
        return
    yield diagnostic(
        "LS104",
        f"{where}: {_invalid_words(error)}",
        document.span(path),
        hint=_invalid_hint(error),
    )


def _first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return sentence[0].lower() + sentence[1:] if sentence else sentence


def _type_hint(expected: Any, instance: Any) -> str | None:
    if expected == "boolean" and isinstance(instance, str):
        return "write true or false"
    if expected == "string" and not isinstance(instance, str):
        return f'put it in quotes: "{_value_words(instance)}"' if instance is not None else None
    if expected in ("integer", "number") and isinstance(instance, str):
        return "write the number without quotes or units"
    return None


def _invalid_words(error: Any) -> str:
    value = _value_words(error.instance)
    validator = error.validator
    bound = error.validator_value
    if validator == "enum":
        return f"{value} is not one of " + ", ".join(_value_words(v) for v in bound)
    if validator == "const":
        return f"{value} should be {_value_words(bound)}"
    if validator == "pattern":
        if bound == "\\S":
            return "this must say something: it is empty or only spaces"
        return f"{value} is not in the expected form"
    if validator == "format":
        return f"{value} is not a valid {bound}"
    if validator == "minimum":
        return f"{value} is below the minimum of {bound}"
    if validator == "exclusiveMinimum":
        return f"{value} must be more than {bound}"
    if validator == "maximum":
        return f"{value} is above the maximum of {bound}"
    if validator == "exclusiveMaximum":
        return f"{value} must be less than {bound}"
    if validator == "minLength":
        return "this must not be empty" if bound == 1 else f"this needs at least {bound} characters"
    if validator == "maxLength":
        return f"this is longer than {bound} characters"
    if validator == "minItems":
        return "this list must not be empty" if bound == 1 else f"this list needs at least {bound} items"
    if validator == "maxItems":
        return f"this list has more than {bound} items"
    if validator == "uniqueItems":
        return "this list repeats a value"
    if validator == "minProperties":
        return "this must not be empty"
    if validator == "not":
        return f"{value} is not allowed here"
    return error.message


def _invalid_hint(error: Any) -> str | None:
    examples = error.schema.get("examples")
    description = error.schema.get("description")
    if error.validator == "enum" and isinstance(error.instance, str):
        close = closest(error.instance, [v for v in error.validator_value if isinstance(v, str)])
        if close:
            return f"did you mean `{close}`?"
    if error.validator == "format" and error.validator_value == "date":
        return 'write a real calendar date as "YYYY-MM-DD", e.g. "2026-12-25"'
    scalars = [e for e in examples or () if not isinstance(e, (dict, list))]
    if scalars:
        return "for example: " + ", ".join(_value_words(e) for e in scalars[:3])
    if description:
        return _first_sentence(description)
    return None
