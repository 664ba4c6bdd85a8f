"""`leadspec check FILE`: a named file is checked as part of the definitions it belongs to.

Fields and teams live in shared.yaml, so reading definitions/marketing.yaml alone
reported hundreds of unknown references. Now it is read with the other configured
definitions and only its own findings are shown; a file outside them stands alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_A_USER, REPO, run_as_a_user, run_cli, write_definitions

# The MQL bar (the named condition mql_bar) mistyped, as in the README's tour.
TOUR = "(lead_score >= 50 and engagement_actions >= 3 and not unsubscribed))"

ONE_FILE = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: everyone
    label: Everyone
    entry: lead_scor >= 0
    terminal: true
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled definitions and their [tool.leadspec]."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_clean_file_is_clean_with_the_rest_of_its_definitions(project: Path) -> None:
    result = run_cli(["check", "definitions/marketing.yaml"], cwd=project)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == (
        "Checked definitions/marketing.yaml (with the 3 other files of definitions/): no problems found.\n"
    )


def test_only_the_named_files_findings_are_reported(project: Path) -> None:
    _edit(project / "definitions" / "marketing.yaml", TOUR, TOUR.replace("lead_score", "lead_scor"))
    result = run_cli(["check", "definitions/marketing.yaml", "--format", "concise"], cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("definitions/")] == [
        "definitions/marketing.yaml"
    ]
    assert "there is no field `lead_scor`" in result.stdout


def test_errors_in_the_other_files_are_counted_not_shown(project: Path) -> None:
    _edit(project / "definitions" / "marketing.yaml", TOUR, TOUR.replace("lead_score", "lead_scor"))
    result = run_cli(["check", "definitions/sales.yaml", "--color", "never"], cwd=project)
    assert result.exit_code == 0, result.stdout
    assert "marketing.yaml" not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Checked definitions/sales.yaml (with the 3 other files of definitions/): 1 info."
        " 1 error in other files: `leadspec check` shows them."
    )


def test_two_named_files_are_counted(project: Path) -> None:
    result = run_cli(["check", "definitions/sales.yaml", "definitions/sdr.yaml"], cwd=project)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "Checked 2 files (with the 2 other files of definitions/): no problems found.\n"


def test_naming_every_file_is_a_plain_check(project: Path) -> None:
    named = sorted(f"definitions/{path.name}" for path in (project / "definitions").glob("*.yaml"))
    for args in (named, ["definitions"]):
        result = run_cli(["check", *args], cwd=project)
        assert result.stdout == "Checked 4 files: no problems found.\n", args


def test_a_file_outside_the_configured_paths_is_checked_alone(project: Path) -> None:
    (project / "other.yaml").write_text(ONE_FILE, encoding="utf-8")
    result = run_cli(["check", "other.yaml", "--color", "never"], cwd=project)
    assert result.exit_code == 1
    assert "other.yaml:7:12: error LS207 there is no field `lead_scor`" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 1 file: 1 error")


def test_an_inside_and_an_outside_file_together(project: Path) -> None:
    (project / "other.yaml").write_text(ONE_FILE, encoding="utf-8")
    named = ["definitions/marketing.yaml", "other.yaml"]
    result = run_cli(["check", *named, "--format", "concise"], cwd=project)
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " error " in line] == ["other.yaml"]
    result = run_cli(["check", *named, "--color", "never"], cwd=project)
    assert result.stdout.splitlines()[-1].startswith(
        "Checked 2 files (with the 3 other files of definitions/): 1 error"
    )


def test_without_configured_definitions_the_named_file_stands_alone(tmp_path: Path) -> None:
    (tmp_path / "lifecycle.yaml").write_text(ONE_FILE, encoding="utf-8")
    result = run_cli(["check", "lifecycle.yaml", "--format", "concise"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "lifecycle.yaml:7:12: error LS207" in result.stdout


def test_from_inside_the_definitions_folder(project: Path) -> None:
    result = run_cli(["check", "marketing.yaml"], cwd=project / "definitions")
    assert result.exit_code == 0, result.stdout
    assert (
        result.stdout
        == "Checked marketing.yaml (with the 3 other files of this folder): no problems found.\n"
    )


def test_a_name_longer_than_any_file_name_is_no_such_file(tmp_path: Path) -> None:
    # Was: internal error: OSError: [Errno 36] File name too long.
    result = run_cli(["check", "a" * 300], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, f"leadspec: {'a' * 300}: no such file or folder\n")


@AS_A_USER
def test_a_file_in_a_folder_that_cannot_be_searched_is_ls001_at_the_file(tmp_path: Path) -> None:
    # Was: internal error: PermissionError, for `check` and for `diff` with such a folder.
    locked = write_definitions(tmp_path, {"one.yaml": ONE_FILE}) / "locked"
    locked.mkdir()
    (locked / "more.yaml").write_text(ONE_FILE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    locked.chmod(0o444)  # its names can be listed, its files not looked at
    finding = "definitions/locked/more.yaml:1:1: error LS001 the file cannot be read: permission denied"
    try:
        for args in (["check"], ["check", "definitions/locked/more.yaml"]):
            result = run_as_a_user([*args, "--format", "concise"], tmp_path)
            assert result.returncode == 1, result.stderr
            assert finding in result.stdout.splitlines()
            assert result.stderr == ""
    finally:
        locked.chmod(0o755)
