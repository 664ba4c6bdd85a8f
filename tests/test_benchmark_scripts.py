"""The benchmark scripts say what to install instead of ending in a traceback (or timing a failure)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


def script(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """A benchmark script run from the repository with this interpreter, its output kept."""
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=timeout
    )


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
    completed = script("-c", RUN.format(hidden=hidden), timeout=60)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and completed.stdout == ""  # nothing was timed
    assert named in completed.stderr and "pip install -e '.[test]'" in completed.stderr


def test_classify_speed_runs_every_line_on_small_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The classify benchmark on files of 1,000 and 2,500 rows (the larger repeats the smaller, as 10M repeats 1M)."""
    completed = script(
        "benchmarks/classify_speed.py",
        "--quick",
        "--sizes",
        "1000,2500",
        "--base",
        "1000",
        "--keep",
        str(tmp_path),
        timeout=600,
    )
    assert completed.returncode in (0, 1), (
        completed.stderr
    )  # 1: a goal missed, which small files say nothing of
    assert "Traceback" not in completed.stderr
    out = completed.stdout
    for line in (
        "leadspec classify (report)",
        "leadspec classify --out stages.csv",
        "leadspec classify --out stages.parquet",
        "DuckDB bare scan",
        "hand-written DuckDB query",
        "the same, cells read exactly",
        "the same, and every field's domain",
        "classify vs the hand-written query, 2 thread(s)",
        "classify with 2 threads vs 1",
        "Memory, peak RSS at 2,500 rows vs 1,000",
    ):
        assert line in out
    # The hand-written query is the same rule as classify's, or its timing compares nothing.
    assert out.count("the hand-written query vs classify: the same counts per stage") == 2
    assert (
        out.count("the hand-written query, cells read exactly, vs classify: the same counts per stage") == 2
    )
    assert "s with its cells read exactly" in out and "s reporting every field's domain too" in out
    # The query that reports what classify reports counts the same records outside each domain.
    assert (
        out.count("with every field's domain vs classify: the same counts per stage and outside each domain")
        == 2
    )
    if subprocess.run(["git", "cat-file", "-e", "f64abe4"], cwd=REPO, check=False).returncode == 0:
        assert "classify vs today's classify, 1 thread" in out
    # The 2,500-row file: the 1,000-row one repeated, header once, every e-mail its own.
    lines = (tmp_path / "leads-2500.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2501 and lines[0].startswith("Lead_Score__c,") and lines.count(lines[0]) == 1
    emails = [line.split(",")[23] for line in lines[1:]]
    assert len(set(emails)) == 2500 and "lead2499@example.com" in emails


def test_many_stages_checks_each_generated_file_and_prints_the_curve(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 15's many plain stages on 50 and 100 stages: each run is the expected check, the table is printed."""
    completed = script("benchmarks/many_stages.py", "--quick", "--keep", str(tmp_path))
    # 0: the expected findings every run, and goals these sizes say nothing of
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr
    out = completed.stdout
    assert "N  file KB   wall s  peak MB" in out and "(ratios to N=50, in this run)" in out
    rows = [line.split() for line in out.splitlines() if line.strip().split(" ")[0] in ("50", "100")]
    assert [row[0] for row in rows] == ["50", "100"]
    # The file: one integer field and stages `n == k` with a label, an owner and a definition, no exits.
    text = (tmp_path / "stages-100.yaml").read_text(encoding="utf-8")
    assert text.count("  - id: s") == 100 and "    entry: n == 99\n" in text and "exits" not in text


def test_lsp_speed_drives_the_server_and_prints_both_distributions() -> None:
    """The language server benchmark on a few runs: findings after the debounce and completion, each timed."""
    completed = script("benchmarks/lsp_speed.py", "--runs", "4")
    assert completed.returncode in (0, 1), completed.stderr  # 1: a target missed on a busy machine
    assert "Traceback" not in completed.stderr
    out = completed.stdout
    for name in ("findings after the debounce", "completion"):
        line = next(line for line in out.splitlines() if line.strip().startswith(name))
        assert "median" in line and "p90" in line and "(4 runs)" in line


def test_decision_table_checks_and_diffs_each_table_and_prints_the_curve(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 15's decision tables at 60 and 120 rules, 3 and 5 columns: the findings agree with z3, the curve is printed."""
    completed = script("benchmarks/decision_table.py", "--quick", "--verify", "--keep", str(tmp_path))
    # 0: only overlaps and gaps found, z3 agrees, and goals these sizes say nothing of
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr
    out = completed.stdout
    assert "rules cols overlaps gaps  check s" in out and "diff s" in out
    rows = [line.split() for line in out.splitlines() if line.split()[:1] in (["60"], ["120"])]
    assert [row[:2] for row in rows] == [["60", "3"], ["120", "3"], ["60", "5"], ["120", "5"]]
    assert all(int(row[2]) > 0 and row[3] == "1" for row in rows)  # overlaps and the gap found in each
    assert (
        "z3 agrees on every overlap, the gap and every example lead at 60 x 3, 120 x 3, 60 x 5, 120 x 5."
        in out
    )
    # The table: number columns from 0 to 100 and terminal stages whose entries name each narrowed column once.
    text = (tmp_path / "table-120x5" / "table" / "definitions.yaml").read_text(encoding="utf-8")
    assert text.count("  - id: r") == 120 and text.count("    terminal: true\n") == 120
    assert "    type: number\n    min: 0\n    max: 100\n" in text


def test_funnel_speed_measures_the_funnel_next_to_the_scan_and_the_ordering(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The funnel benchmark on two small generated histories: each line of the table and both verdicts."""
    completed = script(
        "benchmarks/funnel_speed.py", "--sizes", "2000,5000", "--keep", str(tmp_path), timeout=600
    )
    assert completed.returncode in (0, 1), (
        completed.stderr
    )  # 1: a target missed, which small files say nothing of
    assert "Traceback" not in completed.stderr
    lines = completed.stdout.splitlines()
    assert "in order" in lines[0] and "funnel peak RSS" in lines[0]
    assert lines[1].split()[0] == "2,000" and lines[2].split()[0] == "5,000"
    assert "the bare scan's wall time (target at most 3x)" in completed.stdout
    assert "putting each lead's entries in order alone takes" in completed.stdout
    assert "peak RSS 2,000 -> 5,000 rows" in completed.stdout
