"""The fast schema verdict says "valid" exactly when jsonschema does.

`leadspec check` trusts `schema_verdict.plainly_valid` for a file and then never
asks jsonschema: a verdict of "valid" for a file jsonschema rejects would hide
every LS1xx finding in it. So the verdict is held to jsonschema's own on every
YAML fixture in the repository and on documents generated near the edge of
validity (each made from a real one by a few small edits).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from leadspec import schema, source
from leadspec.schema_verdict import VALIDATION_KEYWORDS, _Compiler, compiled, for_schema, plainly_valid

SCHEMA = schema.load_schema()
REFERENCE = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _data(path: Path) -> Any:
    document, _ = source.load(path, path.relative_to(REPO).as_posix())
    return None if document is None else document.data


FIXTURES = sorted(
    path
    for folder in ("definitions", "tests", "src/leadspec/scaffold")
    for path in (REPO / folder).rglob("*")
    if path.suffix in (".yaml", ".yml") and path.is_file()
)
DOCUMENTS = [(path, data) for path in FIXTURES if (data := _data(path)) is not None]


def test_the_bundled_schema_is_compiled() -> None:
    """A keyword the compiler lacks silently sends every file to jsonschema: the clean check slows down threefold."""
    assert for_schema() is not None


def test_the_keywords_are_jsonschemas() -> None:
    """A keyword jsonschema acts on and the compiler ignored would be a verdict of "valid" too many;
    one the compiler acts on and jsonschema ignores, a verdict of "invalid" too many."""
    assert set(jsonschema.Draft202012Validator.VALIDATORS) <= VALIDATION_KEYWORDS
    implemented = {name.removeprefix("_k_") for name in dir(_Compiler) if name.startswith("_k_")}
    assert {keyword.lstrip("$") for keyword in jsonschema.Draft202012Validator.VALIDATORS} >= implemented


@pytest.mark.parametrize(("path", "data"), DOCUMENTS, ids=[str(p.relative_to(REPO)) for p, _ in DOCUMENTS])
def test_fixture_verdicts_are_jsonschemas(path: Path, data: Any) -> None:
    assert plainly_valid(data) == REFERENCE.is_valid(data)


def test_the_fixtures_hold_both_verdicts() -> None:
    verdicts = {REFERENCE.is_valid(data) for _, data in DOCUMENTS}
    assert verdicts == {True, False}


# --- generated documents ---------------------------------------------------------------------------


def _schema_values(node: Any, found: list[Any], names: set[str]) -> None:
    """Every example, enum and const value and property name in the schema: values at the edge."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("examples", "enum") and isinstance(value, list):
                found.extend(value)
            elif key in ("const", "default"):
                found.append(value)
            elif key == "properties" and isinstance(value, dict):
                names.update(value)
            _schema_values(value, found, names)
    elif isinstance(node, list):
        for value in node:
            _schema_values(value, found, names)


EDGE_VALUES: list[Any] = []
NAMES: set[str] = set()
_schema_values(SCHEMA, EDGE_VALUES, NAMES)
PATTERNS = sorted({node for node in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', json.dumps(SCHEMA))})

scalars = st.one_of(
    st.sampled_from([v for v in EDGE_VALUES if not isinstance(v, (dict, list))] or [None]),
    st.sampled_from(sorted(NAMES)),
    st.sampled_from(PATTERNS).flatmap(lambda p: st.from_regex(json.loads(f'"{p}"'))),
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "\n", "x\n", "\x1c", "\u2003", "2026-02-30", "2026-12-25", "2026-12-25\n", "LS301"]
    ),
    st.integers(-3, 200),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-2, max_value=2),
    st.sampled_from([True, False, None, 0, 1, 1.0, Decimal("1"), Decimal("0.5")]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(sorted(NAMES)), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    places = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            places.extend(_places(value, (*at, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            places.extend(_places(value, (*at, index)))
    return places


def _get(data: Any, at: tuple[Any, ...]) -> Any:
    for step in at:
        data = data[step]
    return data


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A fixture document with one to three small edits: a value replaced, a key added or removed,
    a list item repeated or dropped, text given a trailing newline or space."""
    _, base = draw(st.sampled_from(DOCUMENTS))
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from(_places(data)))
        node = _get(data, at)
        kind = draw(st.sampled_from(["replace", "add", "remove", "repeat", "text"]))
        if kind == "replace" and at:
            _get(data, at[:-1])[at[-1]] = draw(values)
        elif kind == "add" and isinstance(node, dict):
            node[draw(st.sampled_from(sorted(NAMES)) | st.text(max_size=6))] = draw(values)
        elif kind == "add" and isinstance(node, list):
            node.append(draw(values))
        elif kind == "remove" and isinstance(node, dict) and node:
            del node[draw(st.sampled_from(list(node)))]
        elif kind == "remove" and isinstance(node, list) and node:
            del node[draw(st.integers(0, len(node) - 1))]
        elif kind == "repeat" and isinstance(node, list) and node:
            node.append(copy.deepcopy(draw(st.sampled_from(node))))
        elif kind == "text" and at and isinstance(node, str):
            _get(data, at[:-1])[at[-1]] = draw(
                st.sampled_from([node + "\n", " " + node, node.upper(), node[:-1]])
            )
    return data


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(near_valid())
def test_generated_verdicts_are_jsonschemas(data: Any) -> None:
    assert plainly_valid(data) == REFERENCE.is_valid(data)


# --- keywords the bundled schema does not use (yet) -------------------------------------------------

SMALL = [
    ({"anyOf": [{"type": "integer"}, {"minLength": 2}]}, [1, "a", "ab", 1.5, True]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [1, -1, 0.5, "x"]),
    ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"const": 1}}, ["a", "ab", 1, True, 1.0]),
    (
        {"patternProperties": {"^x_": {"type": "string"}}, "additionalProperties": False},
        [{"x_a": "s"}, {"x_a": 1}, {"y": 1}, {}],
    ),
    (
        {
            "properties": {"a": {}},
            "patternProperties": {"^b": True},
            "additionalProperties": {"type": "integer"},
        },
        [{"a": "s", "b1": "s", "c": 1}, {"c": "s"}],
    ),
    ({"maxItems": 1, "minItems": 1}, [[], [1], [1, 2], "ab"]),
    ({"minProperties": 1, "maxProperties": 1}, [{}, {"a": 1}, {"a": 1, "b": 2}, []]),
    ({"exclusiveMaximum": 2, "maximum": 5}, [1, 2, Decimal("1.5"), True, "3"]),
    ({"dependentRequired": {"a": ["b"]}}, [{"a": 1}, {"a": 1, "b": 2}, {"b": 1}, 3]),
    ({"enum": [1, "a", None, False]}, [1, True, 1.0, Decimal("1"), 0, False, "a", None, [1], {"a": 0}]),
    ({"const": True}, [True, 1, 1.0, [True]]),
    ({"uniqueItems": True}, [[1, True], [1, 1.0], [[1], [True]], [{"a": 1}, {"a": 1}], ["a", 1]]),
    ({"type": ["integer", "null"]}, [1, 1.0, None, False, Decimal("1")]),
    ({"not": {"type": "string"}}, ["a", 1]),
    ({"format": "date"}, ["2026-02-28", "2026-02-29", "2026-1-1", 20260101]),
]


@pytest.mark.parametrize(("small", "instances"), SMALL)
def test_small_schema_verdicts_are_jsonschemas(small: dict[str, Any], instances: list[Any]) -> None:
    check = compiled(small)
    assert check is not None
    reference = jsonschema.Draft202012Validator(
        small, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [check(each) for each in instances] == [reference.is_valid(each) for each in instances]


@pytest.mark.parametrize(
    "unsupported",
    [
        {"unevaluatedProperties": False},
        {"multipleOf": 0.1},
        {"enum": [[1]]},
        {"format": "email"},
        {"$ref": "other.json#/x"},
        {"$defs": {"a": {"$id": "a.json"}}, "$ref": "#/$defs/a"},
    ],
)
def test_a_keyword_not_compiled_leaves_the_verdict_to_jsonschema(unsupported: dict[str, Any]) -> None:
    assert compiled(unsupported) is None


def test_a_clean_check_does_not_import_jsonschema() -> None:
    """jsonschema costs about a third of a clean `leadspec check`; it is loaded only to word errors."""
    code = (
        "import sys\nfrom leadspec.cli import main\ncode = main(['check'])\n"
        "print(code, 'jsonschema' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert completed.stdout.splitlines()[-1] == "0 False", completed.stderr
