"""Every YAML trap becomes a positioned diagnostic, never a wrong value or a traceback.

The corpus under tests/fixtures/yaml_hazards/ holds one file per hazard and a
`<name>.expected` file with the exact `LINE:COL CODE message` lines a user sees.
Each file is read with the C parser (when installed) and with the pure-Python
one, which must agree: leadspec falls back to the latter where libyaml is missing.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from leadspec import source
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.source import Document, load, load_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "yaml_hazards"
CORPUS = sorted(FIXTURES.glob("*.yaml"))
LOADERS = [yaml.SafeLoader]
if getattr(yaml, "CSafeLoader", None) is not None:
    LOADERS.insert(0, yaml.CSafeLoader)

# Files whose problem is local: the rest of the file still loads as a Document.
USABLE = {
    "binary_and_exponent", "crlf_line_endings", "duplicate_key", "duplicate_key_in_list",
    "impossible_date", "leading_zero", "long_integer", "merge_key", "missing_version",
    "non_text_keys", "python_tag", "self_alias", "sexagesimal", "undefined_alias",
    "underscore_number", "utf8_bom", "version_as_text", "yes_no_on",
}  # fmt: skip


def lines(diagnostics: list[Diagnostic]) -> list[str]:
    return [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in diagnostics if d.span]


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(source, "_LOADER", request.param)
    return request.param  # type: ignore[no-any-return]


def test_corpus_covers_the_brief() -> None:
    names = {path.stem for path in CORPUS}
    for wanted in (
        "duplicate_key", "yes_no_on", "leading_zero", "underscore_number", "sexagesimal", "python_tag",
        "billion_laughs", "self_alias", "deep_nesting", "tab_indentation", "not_utf8", "nul_byte", "empty",
        "comments_only", "two_documents", "top_level_list", "long_integer", "impossible_date",
        "missing_version", "version_2",
    ):  # fmt: skip
        assert wanted in names
    for path in CORPUS:
        assert path.with_suffix(".expected").is_file(), f"{path.name} has no .expected file"
        assert path.stat().st_size < 100_000


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_hazard(path: Path, parser: type) -> None:
    document, diagnostics = load(path, path.name)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert lines(diagnostics) == expected
    assert all(d.span is not None and d.span.file == path.name for d in diagnostics)
    assert all(d.severity is Severity.ERROR for d in diagnostics)
    assert (document is not None) == (path.stem in USABLE)


def load_fixture(name: str) -> tuple[Document | None, list[Diagnostic]]:
    return load(FIXTURES / f"{name}.yaml", f"{name}.yaml")


# --- what the user sees beyond the message --------------------------------------------


def test_duplicate_key_points_at_both_and_keeps_the_first() -> None:
    document, (found,) = load_fixture("duplicate_key")
    assert found.related[0].message == "first defined here"
    assert (found.related[0].span.line, found.related[0].span.column) == (3, 3)
    assert document is not None
    assert document.data["teams"]["marketing"] == {"label": "Marketing"}
    assert list(document.data["teams"]) == ["marketing", "sales"]


def test_norway_stays_text_and_the_hint_says_how_to_write_it() -> None:
    document, found = load_fixture("yes_no_on")
    assert document is not None
    assert document.data["fields"]["country"]["values"] == ["US", "GB", "NO", "SE"]
    assert found[0].hint == 'write "NO" in quotes if you mean the text, or false if you mean no'
    assert found[1].hint == 'write "yes" in quotes if you mean the text, or true if you mean yes'


def test_tab_indentation_hint_names_the_column() -> None:
    _document, (found,) = load_fixture("tab_indentation")
    assert found.hint == "YAML indentation must use spaces; replace the tab at column 1 with spaces"


def test_tab_deeper_in_the_indentation() -> None:
    _document, (found,) = load_text("leadspec: 1\nteams:\n  marketing:\n  \tlabel: x\n", "f.yaml")
    assert (found.code, found.span.line, found.span.column) == ("LS001", 4, 3)
    assert found.hint is not None and "column 3" in found.hint


def test_impossible_date_is_left_as_text_for_the_schema() -> None:
    document, found = load_fixture("impossible_date")
    assert found == []
    assert document is not None
    holiday = document.data["calendars"]["us_office"]["holidays"][0]
    assert holiday["date"] == "2024-02-30"


def test_python_tag_builds_nothing() -> None:
    document, _found = load_fixture("python_tag")
    assert document is not None
    assert document.data["teams"]["marketing"]["label"] == ["echo pwned"]
    assert document.data["teams"]["sdr"]["label"] == "10"  # !!str is honoured


def test_long_integer_leaves_the_rest_readable() -> None:
    document, (found,) = load_fixture("long_integer")
    assert found.code == "LS012"
    assert document is not None
    assert document.data["targets"]["revenue"] is None
    assert document.data["targets"]["average_deal_size"] == 40000


def test_missing_version_still_loads() -> None:
    document, (found,) = load_fixture("missing_version")
    assert found.hint == "add `leadspec: 1` as the first line"
    assert document is not None and "teams" in document.data


def test_non_text_keys_are_kept_as_written() -> None:
    document, found = load_fixture("non_text_keys")
    assert [d.hint for d in found] == [
        'put it in quotes: "1"',
        'put it in quotes: "true"',
        'put it in quotes: "null"',
    ]
    assert document is not None
    assert document.data["picklists"]["rejection_reason"]["crm"] == {
        "1": "first",
        "true": "second",
        "null": "third",
    }


def test_not_utf8_hint_guesses_the_encoding() -> None:
    _document, (found,) = load_fixture("not_utf8")
    assert found.hint is not None and "Windows-1252" in found.hint and "É" in found.hint


def test_utf8_bom_is_invisible() -> None:
    document, found = load_fixture("utf8_bom")
    assert found == []
    assert document is not None
    assert document.text.startswith("leadspec: 1")
    assert document.span(("leadspec",)).column == 11


# --- files that are too big ------------------------------------------------------------


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:  # a sparse 4 GB file: reading it would take ages
        handle.truncate(4 * 1024**3)
    started = time.perf_counter()
    document, (found,) = load(huge, "huge.yaml")
    assert time.perf_counter() - started < 1
    assert document is None
    assert (found.code, found.span.line, found.span.column) == ("LS008", 1, 1)
    assert "4,294,967,296 bytes" in found.message and "2,000,000" in found.message


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text("leadspec: 1\n" + "# padding\n" * 20, encoding="utf-8")
    assert load(path, max_bytes=10_000)[0] is not None
    document, (found,) = load(path, max_bytes=100)
    assert document is None and found.code == "LS008"


def test_display_path_is_kept_as_given(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text("teams: {}\n", encoding="utf-8")
    document, (found,) = load(path, "definitions/defs.yaml")
    assert document is not None and document.path == "definitions/defs.yaml"
    assert found.span is not None and found.span.file == "definitions/defs.yaml"
    document, _found = load(path)
    assert document is not None and document.path == str(path)


def test_unreadable_path_is_a_diagnostic(tmp_path: Path) -> None:
    document, (found,) = load(tmp_path, "definitions")
    assert document is None
    assert found.code == "LS001" and found.message.startswith("the file cannot be read")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("leadspec: 1\n", encoding="utf-8")
    path.chmod(0)
    document, (found,) = load(path)
    assert document is None and found.code == "LS001"


# --- the resolution table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None),
        ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
        ("42", 42), ("-7", -7), ("+3", 3), ("0", 0), ("0x1F", 31),
        ("1.5", Decimal("1.5")), ("0.1", Decimal("0.1")), (".5", Decimal("0.5")), ("-2.50", Decimal("-2.50")),
        (".inf", Decimal("Infinity")), ("-.Inf", Decimal("-Infinity")), ("+.INF", Decimal("Infinity")),
        ("2026-12-25", "2026-12-25"), ("08:30", "08:30"), ("mql", "mql"), ("truly", "truly"), ("nullable", "nullable"),
        ("'42'", "42"), ('"true"', "true"), ("'NO'", "NO"), ("'010'", "010"), ("!!str 42", "42"), ("! 12", "12"),
        ("!!int 12", 12), ("!!int 0x10", 16), ("!!float 1", Decimal(1)), ("!!bool false", False), ("!!null ~", None),
    ],
)  # fmt: skip
def test_core_schema_values(written: str, value: object) -> None:
    document, found = load_text(f"leadspec: 1\nx: {written}\n")
    assert found == []
    assert document is not None
    got = document.data["x"]
    assert got == value and type(got) is type(value)


def test_nan_is_a_decimal() -> None:
    document, _found = load_text("leadspec: 1\nx: .nan\n")
    assert document is not None and document.data["x"].is_nan()


@pytest.mark.parametrize(
    ("written", "value", "other"),
    [
        ("yes", "yes", "true"), ("No", "No", "false"), ("OFF", "OFF", "false"), ("y", "y", "true"),
        ("n", "n", "false"), ("yEs", "yEs", "true"),
        ("010", 10, "8"), ("-010", -10, "-8"), ("08", 8, '"08"'), ("007", 7, "7"),
        ("1_000", "1_000", "1000"), ("17:30", "17:30", "1050"), ("1:30:00", "1:30:00", "5400"),
        ("0b101", "0b101", "5"), ("1e5", Decimal("1e5"), '"1e5"'), ("0o17", 15, '"0o17"'),
    ],
)  # fmt: skip
def test_ambiguous_values(written: str, value: object, other: str) -> None:
    document, (found,) = load_text(f"leadspec: 1\nx: {written}\n", "f.yaml")
    assert (found.code, found.span.line, found.span.column) == ("LS003", 2, 4)
    assert f"`{written}`" in found.message
    assert other.strip('"') in found.message
    assert found.hint is not None and f'"{written}" in quotes' in found.hint
    assert document is not None and document.data["x"] == value


def test_quoted_and_tagged_values_are_never_ambiguous() -> None:
    _document, found = load_text("leadspec: 1\nx: ['NO', \"yes\", !!str on, '010', '17:30']\n")
    assert found == []


def test_floats_are_exact_decimals_everywhere() -> None:
    document, _found = load_text("leadspec: 1\nconversion: {a->b: 0.1, b->c: 0.7}\nlist: [0.2, {x: 0.3}]\n")
    assert document is not None
    assert document.data["conversion"] == {"a->b": Decimal("0.1"), "b->c": Decimal("0.7")}
    assert document.data["list"] == [Decimal("0.2"), {"x": Decimal("0.3")}]


@pytest.mark.parametrize(
    ("written", "code"),
    [("!!int twelve", "LS012"), ("!!float abc", "LS012"), ("!!bool yes", "LS012"), ("!!map x", "LS005"),
     ("!!binary aGk=", "LS005"), ("!!timestamp 2026-01-01", "LS005"), ("!<tag:example.com,2026:x> 1", "LS005")],
)  # fmt: skip
def test_tags_that_do_not_fit(written: str, code: str) -> None:
    document, (found,) = load_text(f"leadspec: 1\nx: {written}\n", "f.yaml")
    assert (found.code, found.span.line, found.span.column) == (code, 2, 4)
    assert document is not None


def test_tagged_collections() -> None:
    document, found = load_text("leadspec: 1\nm: !!map {a: 1}\ns: !!seq [1]\nt: !!set {a: null}\n", "f.yaml")
    assert [(d.code, d.span.line) for d in found] == [("LS005", 4)]
    assert document is not None and document.data["m"] == {"a": 1} and document.data["s"] == [1]


# --- aliases and depth ----------------------------------------------------------------


def test_aliases_within_the_budget_are_expanded() -> None:
    text = (
        "leadspec: 1\nsla: &sla {within: 2 business days, owner: sdr}\nexits:\n  - sla: *sla\n  - sla: *sla\n"
    )
    document, found = load_text(text)
    assert found == []
    assert document is not None
    assert document.data["exits"] == [{"sla": document.data["sla"]}] * 2


def test_alias_budget_counts_expanded_values() -> None:
    items = ", ".join(["x"] * 99)
    base = f"leadspec: 1\nbase: &b [{items}]\n"  # 100 values
    within = base + "uses: [" + ", ".join(["*b"] * 99) + "]\n"  # 9,900 values
    assert load_text(within)[0] is not None
    over = base + "uses: [" + ", ".join(["*b"] * 101) + "]\n"  # 10,100 values
    document, (found,) = load_text(over, "f.yaml")
    assert document is None
    assert (found.code, found.span.line, found.span.column) == ("LS006", 3, 8 + 100 * 4)


def test_billion_laughs_is_fast() -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 30):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        levels.append(f"a{level}: &a{level} [{refs}]")
    started = time.perf_counter()
    document, (found,) = load_text("leadspec: 1\n" + "\n".join(levels) + "\n")
    assert time.perf_counter() - started < 1
    assert document is None and found.code == "LS006"


def nested(levels: int) -> str:
    """A file whose deepest list is at `levels` (the top-level mapping is level 1)."""
    return "leadspec: 1\nx: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"


def test_depth_limit_is_exact() -> None:
    assert load_text(nested(64)) == (load_text(nested(64))[0], [])
    document, (found,) = load_text(nested(65), "f.yaml")
    assert document is None
    assert (found.code, found.span.line, found.span.column) == ("LS007", 2, 4 + 63)


def test_depth_counts_through_aliases() -> None:
    deep = "[" * 40 + "]" * 40
    text = f"leadspec: 1\nanchor: &deep {deep}\nwrapper: " + "[" * 30 + "*deep" + "]" * 30 + "\n"
    document, (found,) = load_text(text, "f.yaml")
    assert document is None
    assert (found.code, found.span.line, found.span.column) == ("LS007", 3, 10 + 30)


class _ReadAheadLimit(yaml.SafeLoader):
    """A parser with its own nesting limit, met while scanning ahead (as libyaml in PyYAML 6.0.4)."""

    limit = 200

    def fetch_flow_collection_start(self, token_class: type) -> None:
        if self.flow_level >= self.limit:
            raise yaml.scanner.ScannerError(None, None, "exceeded maximum nesting depth", self.get_mark())
        super().fetch_flow_collection_start(token_class)


@pytest.mark.parametrize(
    "text", ["x: " + "[" * 1000, "x:\n  - " + "{a: [" * 250, "x: " + "[" * 300 + "]" * 300]
)
def test_nesting_is_found_whatever_limit_the_parser_has(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "_LOADER", yaml.SafeLoader)
    expected = lines(load_text("leadspec: 1\n" + text, "f.yaml")[1])
    monkeypatch.setattr(source, "_LOADER", _ReadAheadLimit)
    document, found = load_text("leadspec: 1\n" + text, "f.yaml")
    assert document is None
    assert lines(found) == expected and expected[0].split()[1] == "LS007"


def test_a_megabyte_of_brackets_is_refused_quickly() -> None:
    started = time.perf_counter()
    document, (found,) = load_text("leadspec: 1\nx: " + "[" * 1_000_000)
    assert time.perf_counter() - started < 2
    assert document is None and found.code == "LS007"


# --- syntax errors in plain words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("leadspec: 1\nx: 'abc\n", (2, 4), "never closed"),
        ("leadspec: 1\nx: [a, b\n", (2, 4), "not closed"),
        ("leadspec: 1\nx: {a: 1\ny: 2\n", (2, 4), "not closed"),
        ("leadspec: 1\nx: a: b\n", (2, 5), "second key"),
        ("leadspec: 1\nx: 1\ny\nz: 2\n", (3, 1), "no `:`"),
        ("leadspec: 1\nx: @home\n", (2, 4), "cannot start with `@`"),
        ("leadspec: 1\nx: - a\n", (2, 4), "list item"),
        ("leadspec: 1\nx:\n  - a\n  b: 1\n", (4, 3), "line up"),
        ("leadspec: 1\nx: & a\n", (2, 4), "anchor"),
    ],
)
def test_syntax_errors(text: str, where: tuple[int, int], words: str, parser: type) -> None:
    document, (found,) = load_text(text, "f.yaml")
    assert document is None
    assert found.code == "LS001"
    assert (found.span.line, found.span.column) == where
    assert words in found.message
    assert found.hint


def test_several_documents_reported_even_when_the_second_is_empty() -> None:
    document, (found,) = load_text("leadspec: 1\n---\n", "f.yaml")
    assert document is None
    assert (found.code, found.span.line) == ("LS010", 2)


def test_explicit_document_start_is_fine() -> None:
    document, found = load_text("---\nleadspec: 1\n...\n")
    assert found == [] and document is not None and document.data == {"leadspec": 1}
