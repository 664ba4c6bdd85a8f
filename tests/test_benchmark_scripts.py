"""The benchmark scripts say what to install instead of ending in a traceback (or timing a failure)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

# The packages are hidden in the script's own interpreter, standing for a venv without the test extras.
RUN = (
    "import runpy, sys\n"
    "for name in {hidden!r}: sys.modules[name] = None\n"
    "sys.argv = ['benchmarks/check_speed.py', '--runs', '1']\n"
    "runpy.run_path('benchmarks/check_speed.py', run_name='__main__')\n"
)


@pytest.mark.parametrize(
    ("hidden", "named"),
    [
        (["yamllint"], "cannot import yamllint."),
        (["yamllint", "check_jsonschema"], "cannot import yamllint, check-jsonschema."),
    ],
)
def test_check_speed_without_the_test_extras_names_what_to_install(hidden: list[str], named: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", RUN.format(hidden=hidden)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and completed.stdout == ""  # nothing was timed
    assert named in completed.stderr and "pip install -e '.[test]'" in completed.stderr
