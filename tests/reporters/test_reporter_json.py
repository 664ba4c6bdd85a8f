"""The JSON document scripts consume: stable keys, exact numbers, every detail."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from conftest import run_cli, write_definitions
from leadspec.diagnostics import Related, Report, Span
from leadspec.reporters import json as json_format

KEYS = [
    "code",
    "name",
    "severity",
    "message",
    "hint",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "related",
    "witness",
    "follows",
    "fix",
]


def test_document_shape_and_values(report: Report) -> None:
    out = json_format.render(report)
    assert out.endswith("}\n") and out.startswith('{\n  "version": 1,\n')
    doc = json.loads(out)
    assert list(doc) == ["version", "files", "summary", "diagnostics"]
    assert doc["files"] == ["definitions/clean.yaml", "definitions/fields.yaml", "definitions/sales.yaml"]
    assert doc["summary"] == {"errors": 2, "warnings": 1, "info": 1}
    assert [x["code"] for x in doc["diagnostics"]] == ["LS305", "LS301", "LS207", "LS901"]
    for item in doc["diagnostics"]:
        assert list(item) == KEYS
    unknown = doc["diagnostics"][2]
    assert unknown == {
        "code": "LS207",
        "name": "unknown-field",
        "severity": "error",
        "message": 'unknown field "lead_scor"',
        "hint": 'did you mean "lead_score"?',
        "file": "definitions/sales.yaml",
        "line": 4,
        "column": 12,
        "end_line": 4,
        "end_column": 21,
        "related": [
            {
                "file": "definitions/fields.yaml",
                "line": 3,
                "column": 3,
                "message": '"lead_score" is declared here',
            }
        ],
        "witness": None,
        "follows": None,
        "fix": None,
    }
    no_place = doc["diagnostics"][3]
    assert no_place["file"] is None and no_place["line"] is None and no_place["severity"] == "info"


def test_witness_numbers_keep_their_exact_digits() -> None:
    witness = {
        "annual_revenue": Decimal("0.1000000000000000000000001"),
        "discount": Decimal("0.10"),
        "big": Decimal("123456789012345678901234567890"),
        "employees": 12,
        "verified": True,
        "industry": None,
        "country": "NO",
    }
    report = Report(diagnostics=[d("LS302", "gap", Span("a.yaml", 1, 1), witness=witness)])
    out = json_format.render(report)
    assert '"annual_revenue": 0.1000000000000000000000001,' in out
    assert '"discount": 0.10,' in out
    parsed = json.loads(out, parse_float=Decimal)["diagnostics"][0]["witness"]
    assert parsed == witness
    assert type(parsed["employees"]) is int and parsed["verified"] is True


TRICKY = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(message=TRICKY, hint=TRICKY, value=TRICKY, file=TRICKY.filter(bool))
def test_any_text_survives_the_round_trip(message: str, hint: str, value: str, file: str) -> None:
    report = Report(
        files=[file],
        diagnostics=[
            d(
                "LS207",
                message,
                Span(file, 1, 1),
                hint=hint,
                related=(Related(Span(file, 2, 1), message),),
                witness={value: value},
            )
        ],
    )
    item = json.loads(json_format.render(report))["diagnostics"][0]
    assert (item["message"], item["hint"], item["file"]) == (message, hint, file)
    assert item["related"][0]["message"] == message
    assert item["witness"] == {value: value}


def test_same_report_same_bytes(report: Report) -> None:
    shuffled = Report(files=list(reversed(report.files)), diagnostics=list(reversed(report.diagnostics)))
    assert json_format.render(shuffled) == json_format.render(report)


def test_a_lone_surrogate_is_written_as_its_json_escape() -> None:
    report = Report(diagnostics=[d("LS207", "bad \ud800 value", Span("a.yaml", 1, 1))])
    out = json_format.render(report)
    out.encode("utf-8")  # would raise if the surrogate were written raw
    assert json.loads(out)["diagnostics"][0]["message"] == "bad \ud800 value"


def test_a_certain_fix_is_in_the_document(tmp_path: Path) -> None:
    """What `check --fix` would write, for tools that apply fixes themselves (an editor, a bot)."""
    write_definitions(
        tmp_path,
        {
            "defs.yaml": "leadspec: 1\n"
            "fields:\n"
            "  lead_score: {label: Lead score, type: integer, min: 0, max: 100}\n"
            "stages:\n"
            "  - id: all\n"
            "    label: All\n"
            "    start: true\n"
            "    terminal: true\n"
            "    entry: lead_scor >= 0\n"
        },
    )
    result = run_cli(["check", "--format", "json", "definitions"], cwd=tmp_path)
    (found,) = [item for item in json.loads(result.stdout)["diagnostics"] if item["code"] == "LS207"]
    assert found["fix"] == {
        "title": "write lead_score",
        "edits": [
            {
                "file": "definitions/defs.yaml",
                "line": 9,
                "column": 12,
                "end_line": 9,
                "end_column": 21,
                "old": "lead_scor",
                "new": "lead_score",
            }
        ],
    }
