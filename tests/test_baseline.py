"""A baseline: today's findings recorded, only new ones reported, stale entries reported (LS903)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The bundled definitions with a misspelt team on every marketing stage (six LS202) and a
    stale CODEOWNERS (LS421), as a team adopting leadspec might find them."""
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    shutil.copytree(REPO / ".github", tmp_path / ".github")
    (tmp_path / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["definitions"]\n', encoding="utf-8")
    marketing = tmp_path / "definitions" / "marketing.yaml"
    marketing.write_text(
        marketing.read_text(encoding="utf-8").replace("    owner: marketing\n", "    owner: marketng\n"),
        encoding="utf-8",
    )
    return tmp_path


def _use_baseline(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.leadspec]\npaths = ["definitions"]\nbaseline = "leadspec-baseline.json"\n', encoding="utf-8"
    )


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_baseline_hides_todays_findings_and_keeps_them_hidden_through_edits_above(project: Path) -> None:
    before = run_cli(["check", "--format", "concise"], cwd=project)
    assert before.exit_code == 1 and before.stdout.count("error LS202") == 6
    written = run_cli(["check", "--write-baseline", "leadspec-baseline.json"], cwd=project)
    assert written.exit_code == 0
    assert "Recorded 7 findings in leadspec-baseline.json." in written.stderr
    assert 'With `baseline = "leadspec-baseline.json"` under [tool.leadspec]' in written.stderr
    document = json.loads((project / "leadspec-baseline.json").read_text(encoding="utf-8"))
    assert document["leadspec_baseline"] == 1
    assert sorted({item["code"] for item in document["findings"]}) == ["LS202", "LS421"]
    assert all(set(item) == {"code", "file", "fingerprint", "message"} for item in document["findings"])
    _use_baseline(project)
    assert run_cli(["check"], cwd=project).stdout == "Checked 4 files: no problems found.\n"
    # Lines added above the findings move them, but they stay baselined.
    marketing = project / "definitions" / "marketing.yaml"
    _edit(
        marketing, "stages:\n", "# Reviewed in the Q3 meeting.\n# Owners to be corrected in Q4.\n\nstages:\n"
    )
    result = run_cli(["check"], cwd=project)
    assert result.exit_code == 0 and result.stdout == "Checked 4 files: no problems found.\n"


def test_a_new_finding_is_reported_and_a_fixed_one_leaves_a_stale_entry(project: Path) -> None:
    run_cli(["check", "--write-baseline", "leadspec-baseline.json"], cwd=project)
    _use_baseline(project)
    sales = project / "definitions" / "sales.yaml"
    _edit(sales, "    owner: sales\n", "    owner: sails\n")  # new: reported
    marketing = project / "definitions" / "marketing.yaml"
    _edit(marketing, "    owner: marketng\n    start: true", "    owner: marketing\n    start: true")  # fixed
    result = run_cli(["check", "--format", "concise"], cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any("error LS202 the stage `sql` names the team `sails`" in line for line in lines)
    assert "names the team `marketng`" not in result.stdout  # the five others are still recorded
    stale = [line for line in lines if " LS903 " in line]
    entries = (project / "leadspec-baseline.json").read_text(encoding="utf-8").splitlines()
    response = next(n for n, text in enumerate(entries, 1) if "the stage `response` names the team" in text)
    assert (
        f"leadspec-baseline.json:{response}:1: warning LS903 this baseline entry for LS202 in "
        "definitions/marketing.yaml no longer matches any finding"
    ) in stale
    # A code not checked in this run has no say about its entries: none of them is stale.
    narrowed = run_cli(["check", "--format", "concise", "--ignore", "LS202"], cwd=project)
    assert "LS903 this baseline entry for LS202" not in narrowed.stdout
    assert "LS202" not in narrowed.stdout


def test_two_identical_findings_need_two_entries(project: Path) -> None:
    run_cli(["check", "--write-baseline", "leadspec-baseline.json"], cwd=project)
    path = project / "leadspec-baseline.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    duplicate = next(
        item for item in document["findings"] if "the SLA of the stage `response`" in item["message"]
    )
    document["findings"].remove(duplicate)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    _use_baseline(project)
    result = run_cli(["check", "--format", "concise"], cwd=project)
    assert result.stdout.count("error LS202") == 1
    assert "the SLA of the stage `response` names the team `marketng`" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            None,
            "leadspec-baseline.json: the baseline file does not exist; write it with `leadspec check --write-baseline",
        ),
        (
            '{"leadspec_baseline": 1,\n  "findings": [\n    {"code": "LS202",}\n]}',
            "leadspec-baseline.json:3:22: the baseline is not valid JSON",
        ),
        (
            '{"findings": []}',
            'not a leadspec baseline (it needs "leadspec_baseline": 1 and a "findings" list)',
        ),
        (
            '{"leadspec_baseline": 1, "findings": [{"code": "LS202"}]}',
            "finding 1 needs a code, a file and a fingerprint",
        ),
    ],
)
def test_a_broken_baseline_is_a_configuration_error(project: Path, content: str | None, message: str) -> None:
    _use_baseline(project)
    if content is not None:
        (project / "leadspec-baseline.json").write_text(content, encoding="utf-8")
    result = run_cli(["check"], cwd=project)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
