"""SARIF that GitHub code scanning accepts, judged by Microsoft's SARIF multitool.

The JSON schema alone allows a result without `locations`, yet GitHub refuses the
whole upload for one ("expected at least one location"), so the failing runs the
reusable workflow uploads were lost. `validate --rule-kind "Sarif;Ghas"` applies
the rules GitHub's ingestion applies; the tool comes from npm
(tests/reporters/sarif-multitool, installed by .ci/run with `npm ci`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_reporter_sarif import TRICKY

from conftest import REPO, run_cli
from leadspec.diagnostics import Report
from leadspec.reporters import sarif

MULTITOOL = Path(__file__).parent / "sarif-multitool"
# Rule cases whose SARIF has each shape a finding takes: a failing run (errors, so LS300 too),
# findings in two files with related locations, waivers, a config with per-path settings, a
# warning-only run. (The multitool takes about a second per file, so not every case.)
CASES = [
    REPO / "tests" / "cases" / name
    for name in (
        "LS207-unknown-fields",
        "LS201-duplicate-across-files",
        "LS901-waivers",
        "config-per-path-ignores-and-severity",
        "LS422-team-without-handle",
    )
]


def multitool() -> str:
    """The multitool's own executable (its npm `bin` goes through a shell, which splits `Sarif;Ghas`)."""
    node = shutil.which("node")
    if node is None or not (MULTITOOL / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail(
                "the SARIF multitool is missing: .ci/run installs it with `npm ci` in tests/reporters/sarif-multitool"
            )
        pytest.skip("run `npm ci` in tests/reporters/sarif-multitool to check SARIF with GitHub's rules")
    found = subprocess.run(
        [node, "-e", "process.stdout.write(require('@microsoft/sarif-multitool'))"],
        cwd=MULTITOOL,
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout


def validate(files: list[Path], out: Path) -> list[str]:
    """Every error or warning the multitool's SARIF and GitHub rules find, as `file: RULE message`."""
    completed = subprocess.run(
        # The files come first: an option that takes a list would swallow them.
        [
            multitool(),
            "validate",
            *map(str, files),
            "--rule-kind",
            "Sarif;Ghas",
            "--level",
            "Error;Warning",
            "--config",
            str(MULTITOOL / "validate.config.xml"),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    log = json.loads(out.read_text("utf-8-sig"))
    found = []
    for run in log["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        for note in (
            n for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", [])
        ):
            if note.get("level", "warning") == "error":
                found.append(f"the multitool failed: {note['message']['text']}")
        for result in run.get("results", []):
            if result.get("level", "warning") not in ("error", "warning"):
                continue
            where = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            found.append(f"{Path(where).name}: {result['ruleId']} {said(result, rules)}")
    return found


def said(result: dict[str, Any], rules: list[dict[str, Any]]) -> str:
    """A multitool finding in words: its rule's message template filled with the arguments."""
    message = result["message"]
    if "text" in message:
        return str(message["text"])
    rule = next((r for r in rules if r["id"] == result["ruleId"]), {})
    template = rule.get("messageStrings", {}).get(message.get("id"), {}).get("text", "{0}")
    return str(template.format(*message.get("arguments", [])))


def written(args: list[str], cwd: Path, out: Path) -> Path:
    result = run_cli(["check", "--format", "sarif", "--output", str(out), *args], cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    return out


def test_github_accepts_what_leadspec_writes(tmp_path: Path) -> None:
    """The bundled definitions, rule cases (a failing run with LS300, waivers, findings in
    two files) and hand-made places (whole files, absolute paths, no file at all)."""
    files = [written([], REPO, tmp_path / "bundled.sarif")]
    for case in CASES:
        config = ["--config", "pyproject.toml"] if (case / "pyproject.toml").is_file() else []
        files.append(written([*config, "definitions"], case, tmp_path / f"{case.name}.sarif"))
    tricky = tmp_path / "tricky.sarif"
    tricky.write_text(sarif.render(TRICKY, srcroot="file:///home/ci/repo/"), encoding="utf-8")
    files.append(tricky)

    assert validate(files, tmp_path / "validation.sarif") == []

    documents = {path.name: json.loads(path.read_text("utf-8")) for path in files}
    codes = {r["ruleId"] for doc in documents.values() for r in doc["runs"][0]["results"]}
    notified = {
        n["associatedRule"]["id"]
        for doc in documents.values()
        for inv in doc["runs"][0].get("invocations", [])
        for n in inv.get("toolExecutionNotifications", [])
    }
    assert {"LS201", "LS207", "LS901", "LS902"} <= codes  # what the cases are there to show
    assert "LS300" in notified  # the failing runs' note is there, only not as a result
    related = [
        r for doc in documents.values() for r in doc["runs"][0]["results"] if r.get("relatedLocations")
    ]
    assert related, "no result with related locations was checked"
    fixed = [r for doc in documents.values() for r in doc["runs"][0]["results"] if r.get("fixes")]
    assert fixed, "no result with a fix was checked"  # LS207's did-you-mean in its case, among others


def test_the_multitool_does_reject_what_github_refuses(tmp_path: Path) -> None:
    """Guards the test above: the validator runs GitHub's rules and its findings are read."""
    doc: dict[str, Any] = json.loads(sarif.render(Report(files=["a.yaml"])))
    doc["runs"][0]["results"] = [{"ruleId": "LS300", "level": "note", "message": {"text": "no place"}}]
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    found = validate([broken], tmp_path / "validation.sarif")
    assert found and all(line.startswith("broken.sarif: GH") for line in found), found
