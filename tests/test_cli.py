"""The `leadspec` command as a person or a CI job uses it."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli, write_definitions
from leadspec import __version__

GOOD = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: low
    label: Low score
    entry: lead_score < 50
    terminal: true
  - id: high
    label: High score
    entry: lead_score >= 50
    terminal: true
"""

TYPO = GOOD.replace("entry: lead_score >= 50", "entry: lead_scor >= 50")


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"leadspec {__version__}"


@pytest.mark.parametrize("command", [[], ["check"], ["rule"], ["schema"]])
def test_help_on_every_command(command: list[str]) -> None:
    result = run_cli([*command, "--help"])
    assert result.exit_code == 0
    assert "usage: leadspec" in result.stdout


def test_no_command_shows_help_and_exits_2() -> None:
    result = run_cli([])
    assert result.exit_code == 2
    assert "check" in result.stdout


def test_clean_definitions_exit_0(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": GOOD})
    result = run_cli(["check", "definitions"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert "no problems found" in result.stdout


def test_error_exits_1_with_location_hint_and_source_line(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": TYPO})
    result = run_cli(["check", "definitions", "--color", "never"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "definitions/a.yaml:11:12: error LS207 there is no field `lead_scor`" in result.stdout
    assert "did you mean `lead_score`?" in result.stdout
    assert "entry: lead_scor >= 50" in result.stdout


def test_default_paths_come_from_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["lifecycle"]\n')
    (tmp_path / "lifecycle").mkdir()
    (tmp_path / "lifecycle" / "a.yaml").write_text(TYPO)
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path / "lifecycle")
    assert result.exit_code == 1
    assert "LS207" in result.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["check", "nowhere"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["check", "--format", "xml"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "invalid choice" in result.stderr


def test_select_and_ignore(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": TYPO + "    bogus: 1\n"})
    both = run_cli(["check", "definitions", "--format", "concise"], cwd=tmp_path)
    assert "LS207" in both.stdout and "LS101" in both.stdout
    only = run_cli(["check", "definitions", "--format", "concise", "--select", "LS1"], cwd=tmp_path)
    assert "LS101" in only.stdout and "LS207" not in only.stdout
    skip = run_cli(["check", "definitions", "--format", "concise", "--ignore", "LS101,LS207"], cwd=tmp_path)
    assert "LS101" not in skip.stdout and "LS207" not in skip.stdout
    assert skip.exit_code == 0
    typo = run_cli(["check", "definitions", "--select", "LS77"], cwd=tmp_path)
    assert typo.exit_code == 2 and "LS77 is no leadspec code" in typo.stderr


def test_json_output_to_file(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": TYPO})
    result = run_cli(["check", "definitions", "--format", "json", "-o", "report.json"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["errors"] == 1
    assert report["diagnostics"][0]["code"] == "LS207"
    assert (report["diagnostics"][0]["line"], report["diagnostics"][0]["column"]) == (11, 12)


def test_unwritable_output_leaves_nothing_behind(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": GOOD})
    result = run_cli(["check", "definitions", "-o", "missing/dir/report.txt"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_github_actions_gets_annotations_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_definitions(tmp_path, {"a.yaml": TYPO})
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(["check", "definitions"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "::error file=definitions/a.yaml,line=11,col=12" in result.stdout
    assert "LS207" in summary.read_text()


def test_rule_explains_a_code() -> None:
    result = run_cli(["rule", "ls207"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# LS207 unknown-field")
    assert "## How to fix" in result.stdout
    listing = run_cli(["rule", "--all"])
    assert "LS001" in listing.stdout and "LS902" in listing.stdout
    unknown = run_cli(["rule", "LS999"])
    assert unknown.exit_code == 2 and "no leadspec code" in unknown.stderr


def test_schema_command_prints_the_schema(tmp_path: Path) -> None:
    result = run_cli(["schema", "-o", "schema.json"], cwd=tmp_path)
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


HEAVY = ("jinja2", "mkdocs", "markdown", "dataclasses", "inspect", "pkgutil")


def test_check_does_not_import_site_or_export_machinery() -> None:
    """Start-up time matters in every commit: checking must not load jinja2 or mkdocs, nor
    dataclasses, inspect or pkgutil (leadspec.structs and leadspec.submodules stand in, issue 15)."""
    code = (
        "import sys\n"
        "from leadspec.cli import main\n"
        "main(['check', 'definitions', '--format', 'concise'])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('HEAVY', heavy)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in completed.stdout, completed.stdout + completed.stderr


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": TYPO})
    completed = subprocess.run(
        [sys.executable, "-m", "leadspec", "check", "definitions", "--format", "concise"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "LS207" in completed.stdout


def test_a_program_calling_main_keeps_its_garbage_collector(tmp_path: Path) -> None:
    """`leadspec` run as a command collects cycles rarely and sets the objects left at its end
    aside for the OS to reclaim (a fifth of a quick check in all); a program calling main() with
    arguments goes on with its collector as it was, every collectable object still collectable."""
    write_definitions(tmp_path, {"a.yaml": GOOD})
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    assert run_cli(["check", "definitions"], cwd=tmp_path).exit_code == 0
    assert (gc.get_freeze_count(), gc.get_threshold()) == (frozen, thresholds)


@pytest.mark.parametrize(
    "command", [["rule", "--all"], ["rule", "LS302"], ["check", "--format", "json"], ["schema"]]
)
def test_a_reader_that_stops_early_ends_the_command_quietly(command: list[str]) -> None:
    """`leadspec rule --all | head -1`: the pipe is closed before leadspec writes, every time."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, like `head` after its line
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "leadspec", *command],
            cwd=REPO,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert completed.stderr == ""  # no "internal error", no "Exception ignored"
    assert completed.returncode == 141  # 128 + SIGPIPE, what a shell shows for `git log | head`


def test_head_on_a_real_shell_pipe_prints_the_first_line_only() -> None:
    completed = subprocess.run(
        f"'{sys.executable}' -m leadspec rule --all | head -1",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.stderr == "" and completed.stdout.startswith("LS001")
    assert completed.stdout.count("\n") == 1
