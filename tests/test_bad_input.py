"""Every bad input of the hazard corpus, end to end through the real command.

`tests/fixtures/yaml_hazards/` pairs each hostile or broken file with the exact
diagnostics the loader gives (checked in tests/source). Here each one goes
through `leadspec check` as a user would run it: the same diagnostics at
file:line:col, exit code 1 when any is an error, and never an internal error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli, write_definitions

CORPUS = Path(__file__).parent / "fixtures" / "yaml_hazards"
FILES = sorted(CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hazard_through_the_cli(path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    shutil.copyfile(path, folder / path.name)
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    expected = [line for line in path.with_suffix(".expected").read_text().splitlines() if line]
    for line in expected:
        position, code, message = line.split(" ", 2)
        shown = f"definitions/{path.name}:{position}: error {code} {message}"
        assert shown in result.stdout, result.stdout
    if expected:
        assert result.exit_code == 1


def test_impossible_date_is_caught_by_the_format_check(tmp_path: Path) -> None:
    write_definitions(
        tmp_path,
        {
            "calendar.yaml": (
                "leadspec: 1\ncalendars:\n  office:\n    label: Office\n    timezone: Europe/Oslo\n"
                "    working_days: [mon]\n    hours: {start: \"09:00\", end: \"17:00\"}\n"
                "    holidays:\n      - {date: 2024-02-30, name: Leap day that is not}\n"
            )
        },
    )
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    assert result.exit_code == 1
    assert '9:16: error LS104 the calendar `office`, holiday `Leap day that is not`: date: "2024-02-30" is not a valid date' in result.stdout


def test_ten_thousand_nested_parentheses(tmp_path: Path) -> None:
    condition = "(" * 10_000 + "lead_score > 1" + ")" * 10_000
    write_definitions(
        tmp_path,
        {
            "deep.yaml": (
                "leadspec: 1\nfields:\n  lead_score: {label: Lead score, type: integer, min: 0, max: 100}\n"
                f"stages:\n  - id: all\n    label: All\n    terminal: true\n    entry: {condition}\n"
            )
        },
    )
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "definitions/deep.yaml:8:76: error LS206" in result.stdout
    assert "nested more than 64 levels" in result.stdout


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\nmax-file-size = 1000\n")
    write_definitions(tmp_path, {"big.yaml": "leadspec: 1\n" + "# padding\n" * 200})
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "definitions/big.yaml:1:1: error LS008" in result.stdout
