"""Shared test helpers: run the real CLI in-process and capture what a user would see."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from leadspec.cli import main

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str], cwd: Path | None = None) -> Result:
    """Run `leadspec ARGS` in-process (much faster than a subprocess) from `cwd`."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse exits for --help/--version/usage errors
                code = int(exit_.code or 0)
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


def run_as_a_user(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`leadspec ARGS` in a child run as a user whom file permissions bind.

    As root (CI containers), with root's power to read and search anything dropped
    (setpriv), so a test of an unreadable folder runs there too; see `AS_A_USER`.
    """
    command = [sys.executable, "-m", "leadspec", *args]
    if os.geteuid() == 0:
        powers = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={powers}", f"--inh-caps={powers}", "--", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


AS_A_USER = pytest.mark.skipif(
    os.name != "posix" or (os.geteuid() == 0 and shutil.which("setpriv") is None),
    reason="needs file permissions that bind (as root: setpriv to drop the power to read anything)",
)


# The day the tests run as: LS410 (holidays running out) depends on today's date, and outputs
# must not change with the calendar. A test about LS410 sets its own day.
TODAY = date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("leadspec.calendars.today", lambda: TODAY)


@pytest.fixture
def cli() -> object:
    return run_cli


def write_definitions(root: Path, files: dict[str, str]) -> Path:
    """Lay out a definitions/ folder under `root` and return it."""
    folder = root / "definitions"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
