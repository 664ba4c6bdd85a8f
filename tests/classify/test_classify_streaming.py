"""Streaming: memory stays flat as the file grows, and a progress line only on a terminal."""

from __future__ import annotations

import io
import random
import tracemalloc
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from classify_support import FIXTURES, csv_text, loaded, membership, run_csv

import leadspec.classify as classify_module
import leadspec.commands.classify as classify_command
from leadspec.cli import main


def _export(rows: int, seed: int) -> str:
    """Records whose lead scores, revenues and columns no criterion reads are nearly all different."""
    rng = random.Random(seed)
    header = ["Lead_Score__c", "Email_Verified__c", "AnnualRevenue", "SDR_Status__c", "Is_Partner__c", "Region__c"]
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


def _peak(text: bytes) -> int:
    """classify's own peak allocation (the definitions are loaded beforehand, --out goes nowhere)."""
    loaded("small")
    membership("small")
    tracemalloc.start()
    try:
        run_csv("small", text, collect=False)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_file_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the records, each with new cell texts: the remembered texts are bounded, so the peak is not."""
    monkeypatch.setattr(classify_module, "CACHE_LIMIT", 3000)
    monkeypatch.setattr(classify_module, "TRIM_EVERY", 4)
    small, large = _export(6000, 1).encode(), _export(24000, 2).encode()  # encoded before measuring
    peak_small, peak_large = _peak(small), _peak(large)
    assert peak_large < peak_small * 1.25, (peak_small, peak_large)


def test_without_the_bound_memory_would_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with the caches never cleared, the same files do grow the peak."""
    monkeypatch.setattr(classify_module, "CACHE_LIMIT", 10**9)
    small, large = _export(6000, 1).encode(), _export(24000, 2).encode()
    assert _peak(large) > _peak(small) * 1.5


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
    assert "\rclassifying leads.csv: " in shown
    assert "records)" in shown
    assert shown.endswith("\r\033[K")  # the line is wiped when done
    pipe = io.StringIO()
    assert _run(["classify", "leads.csv"], tmp_path, pipe) == 0
    assert pipe.getvalue() == ""
    monkeypatch.setattr(classify_command, "PROGRESS_FROM", 10**12)
    small_file = _Terminal()
    assert _run(["classify", "leads.csv"], tmp_path, small_file) == 0
    assert small_file.getvalue() == ""
