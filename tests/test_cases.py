"""Fixture-driven rule tests, one folder per behaviour (after sqlfluff's layout).

Each `tests/cases/<CODE>-<name>/` holds a `definitions/` folder and
`expected.txt`: the exact concise output of `leadspec check` run inside the
folder. The exit code must be 1 exactly when an error is expected.
Set LEADSPEC_UPDATE_CASES=1 to rewrite expected.txt after reviewing a change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_cli

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir()) if CASES_DIR.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Path) -> None:
    args = ["check", "--format", "concise", "--color", "never"]
    if (case / "pyproject.toml").is_file():
        args += ["--config", "pyproject.toml"]
    result = run_cli([*args, "definitions"], cwd=case)
    expected_file = case / "expected.txt"
    if os.environ.get("LEADSPEC_UPDATE_CASES"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert result.stderr == ""
    assert result.stdout == expected
    has_error = any(": error " in line for line in expected.splitlines())
    assert result.exit_code == (1 if has_error else 0)
    code = case.name.split("-")[0]
    if code.startswith("LS"):
        assert f" {code} " in expected, f"case {case.name} is named after {code} but does not show it"
