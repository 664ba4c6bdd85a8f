"""Properties: what PyYAML writes, leadspec reads back the same; positions always exist; nothing escapes."""

from __future__ import annotations

import math
import string
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leadspec.diagnostics import Span
from leadspec.source import Document, load_bytes, load_text

# Text that YAML 1.1 writers and 1.2 readers agree on: numbers-looking text is
# the subject of LS003 and tested there. Line separators other than \n trip
# PyYAML's own emitter, which is not what is under test.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029"), max_size=40
).filter(lambda s: not s or s[0] not in "0123456789+-.")
LEAVES = (
    TEXT
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.none()
)
DATA = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=25
)
DUMP_OPTIONS = st.fixed_dictionaries(
    {
        "default_style": st.sampled_from([None, None, "'", '"', "|", ">"]),
        "default_flow_style": st.sampled_from([False, True, None]),
        "width": st.sampled_from([12, 40, 80]),
        "indent": st.sampled_from([2, 3, 4]),
        "allow_unicode": st.booleans(),
    }
)


def as_read(value: Any) -> Any:
    """What leadspec should read for what PyYAML wrote: floats become exact Decimals."""
    if isinstance(value, float):
        if math.isinf(value):
            return Decimal("Infinity") if value > 0 else Decimal("-Infinity")
        return Decimal(repr(value))
    if isinstance(value, list):
        return [as_read(item) for item in value]
    if isinstance(value, dict):
        return {key: as_read(item) for key, item in value.items()}
    return value


def paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(paths(item, (*prefix, index)))
    return found


def no_floats(value: Any) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, list):
        return all(no_floats(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) for key in value) and all(no_floats(item) for item in value.values())
    return True


def line_exists(document: Document, span: Span) -> bool:
    count = len(document.text.splitlines()) or 1
    return 1 <= span.line <= count + 1 and span.column >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=DATA, options=DUMP_OPTIONS)
def test_what_pyyaml_writes_reads_back_equal(data: Any, options: dict[str, Any]) -> None:
    original = {"leadspec": 1, "data": data}
    text = yaml.safe_dump(original, **options)
    assume(yaml.safe_load(text) == original)  # PyYAML's emitter has bugs of its own at the edges
    document, found = load_text(text, "f.yaml")
    assert document is not None, found
    assert [d for d in found if d.code != "LS003"] == []
    if not found:
        assert document.data == as_read(original)
    assert no_floats(document.data)
    for path in paths(document.data):
        assert line_exists(document, document.span(path))
        assert line_exists(document, document.key_span(path))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(value=TEXT.filter(bool), options=DUMP_OPTIONS)
def test_every_character_of_a_text_value_is_located(value: str, options: dict[str, Any]) -> None:
    text = yaml.safe_dump({"leadspec": 1, "stages": [{"entry": value}]}, **options)
    assume(yaml.safe_load(text)["stages"][0]["entry"] == value)
    document, found = load_text(text, "f.yaml")
    assert document is not None
    assert [d for d in found if d.code != "LS003"] == []  # `Y` written plain is ambiguous, and says so
    offsets = document.scalar_offsets(("stages", 0, "entry"))
    assert len(offsets) == len(value)
    assert list(offsets) == sorted(set(offsets))
    rows = document.text.split("\n")
    for char, (line, column) in zip(value, offsets, strict=True):
        row = rows[line - 1]
        there = row[column - 1] if column <= len(row) else "\n"
        # a copied character is itself; anything else came from an escape or a line fold
        assert there == char or there in "\\ \t\n" or (char == "'" and there == "'"), (char, there, line, column)


YAMLISH = st.text(alphabet=string.ascii_letters[:6] + "0189 \t\n-:,[]{}#&*!|>'\"?%@`~.\\", max_size=120)


@settings(max_examples=1000, deadline=None)
@given(text=YAMLISH)
def test_no_text_ends_in_a_traceback(text: str) -> None:
    document, found = load_text("leadspec: 1\n" + text, "f.yaml")
    lines = len(("leadspec: 1\n" + text).split("\n"))
    for diag in found:
        assert diag.span is not None and 1 <= diag.span.line <= lines + 1
        assert diag.message and diag.code.startswith("LS0")
        assert "could not read the file from this place" not in diag.message, diag.hint  # a defect of ours
    if document is not None:
        assert no_floats(document.data)
        for path in paths(document.data):
            assert line_exists(document, document.span(path))


@settings(max_examples=500, deadline=None)
@given(data=st.binary(max_size=200))
def test_no_bytes_end_in_a_traceback(data: bytes) -> None:
    document, found = load_bytes(data, "f.yaml")
    assert document is not None or found
    assert not any("could not read the file from this place" in d.message for d in found)
