"""Large files: memory kept within a limit by spilling to disk, and a progress line only on a terminal."""

from __future__ import annotations

import io
import random
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from classify_support import FIXTURES, csv_text

import leadspec.commands.classify as classify_command
from leadspec.cli import main


def _export(rows: int, seed: int) -> str:
    """Records whose lead scores, revenues and columns no criterion reads are nearly all different."""
    rng = random.Random(seed)
    header = [
        "Lead_Score__c",
        "Email_Verified__c",
        "AnnualRevenue",
        "SDR_Status__c",
        "Is_Partner__c",
        "Region__c",
    ]
    records = [
        [
            str(rng.randint(0, 100)),
            rng.choice(["true", "false"]),
            f"{rng.randint(0, 10**7)}.{rng.randint(0, 99):02d}",
            rng.choice(["open", "accepted", "rejected"]),
            "false",
            rng.choice(["emea", "na", "", f"bad{rng.randint(0, 10**6)}"]),
        ]
        for _ in range(rows)
    ]
    return csv_text(header, records)


def test_a_memory_limit_far_below_the_file_is_kept_by_spilling_to_disk(tmp_path: Path) -> None:
    """Flat memory: the engine works within --memory-limit, spilling to disk rather than growing or failing."""
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "defs.yaml").write_text((FIXTURES / "small.yaml").read_text(encoding="utf-8"))
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    (tmp_path / "leads.csv").write_text(_export(200_000, 4), encoding="utf-8")  # ~9 MB
    args = ["classify", "leads.csv", "--format", "json", "--out", "stages.parquet", "--threads", "1"]
    stdout = io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(io.StringIO()):
        previous = Path.cwd()
        import os

        os.chdir(tmp_path)
        try:
            assert main([*args, "--memory-limit", "48MB"]) == 0
        finally:
            os.chdir(previous)
    import json

    import duckdb

    assert json.loads(stdout.getvalue())["records"] == 200_000
    rows = duckdb.connect().execute(
        f"SELECT count(*), min(row), max(row) FROM '{tmp_path / 'stages.parquet'}'"
    )
    assert rows.fetchone() == (200_000, 2, 200_001)


def test_a_memory_limit_too_small_to_start_is_said_plainly(tmp_path: Path) -> None:
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "defs.yaml").write_text((FIXTURES / "small.yaml").read_text(encoding="utf-8"))
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    (tmp_path / "leads.csv").write_text(_export(10, 5), encoding="utf-8")
    stderr = io.StringIO()
    assert _run(["classify", "leads.csv", "--memory-limit", "lots"], tmp_path, stderr) == 2
    assert "--memory-limit must be an amount of memory like 2GB" in stderr.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(args: list[str], cwd: Path, stderr: io.StringIO) -> int:
    import os

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
            return main(args)
    finally:
        os.chdir(previous)


def test_a_progress_line_on_a_terminal_for_a_large_file_and_none_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "defs.yaml").write_text((FIXTURES / "small.yaml").read_text(encoding="utf-8"))
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    (tmp_path / "leads.csv").write_text(_export(2000, 3), encoding="utf-8")
    monkeypatch.setattr(classify_command, "PROGRESS_FROM", 0)  # "large" from the first byte
    terminal = _Terminal()
    assert _run(["classify", "leads.csv"], tmp_path, terminal) == 0
    shown = terminal.getvalue()
    assert "\rclassifying leads.csv: " in shown and "%" in shown
    assert shown.endswith("\r\033[K")  # the line is wiped when done
    pipe = io.StringIO()
    assert _run(["classify", "leads.csv"], tmp_path, pipe) == 0
    assert pipe.getvalue() == ""
    monkeypatch.setattr(classify_command, "PROGRESS_FROM", 10**12)
    small_file = _Terminal()
    assert _run(["classify", "leads.csv"], tmp_path, small_file) == 0
    assert small_file.getvalue() == ""
