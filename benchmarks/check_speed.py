"""How long `leadspec check` takes on the bundled definitions, next to yamllint and check-jsonschema.

`leadspec check` runs in every commit, so its wall time (start-up included) is
what a person waits for. All three tools run as separate processes on the same
files, alternating, in one run; the script prints the median and best of each.

    python benchmarks/check_speed.py [--runs 15]

Target (issue 15): leadspec check takes at most 0.4x yamllint's wall time. The CPU
time of each run (user + system, where the platform reports it) is printed too: on
a machine shared with other work it moves far less than the wall time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.4  # leadspec check's median wall time over yamllint's


# Each tool runs as `python -m MODULE` with this interpreter: no PATH lookup, and a tool that is
# missing is found before timing starts (a missing module exits 1, which would be timed as a run).
TOOLS = {"leadspec check": "leadspec", "yamllint": "yamllint", "check-jsonschema": "check_jsonschema"}
PACKAGES = {"leadspec": "leadspec", "yamllint": "yamllint", "check_jsonschema": "check-jsonschema"}


def _missing() -> list[str]:
    """The packages of TOOLS this interpreter cannot import."""
    missing = []
    for module in TOOLS.values():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(PACKAGES[module])
    return missing


def _commands() -> dict[str, list[str]]:
    files = sorted(str(p) for p in (ROOT / "definitions").rglob("*.y*ml"))
    schema = str(ROOT / "schema" / "leadspec.schema.json")
    arguments = {
        "leadspec check": ["check", "definitions"],
        "yamllint": ["-d", "relaxed", *files],
        "check-jsonschema": ["--schemafile", schema, *files],
    }
    return {name: [sys.executable, "-m", TOOLS[name], *arguments[name]] for name in TOOLS}


# The tools run as they do for a user, from compiled .pyc files: the warm-up run writes them, which
# PYTHONDONTWRITEBYTECODE (set in some shells and CI images) would stop, making every timed run
# compile the modules changed since the last install.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    """User + system time of the finished child processes so far (0 where it is not reported)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(command: list[str], clean: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of one run; SystemExit when the tool did not run its check.

    Exit code 1 is a tool's findings, except for a `clean` run (leadspec on its own bundled
    definitions, which have none): there it means the run failed, as when `python -m
    leadspec` finds a stray `leadspec` folder instead of the package and exits at once.
    """
    cpu = _cpu()
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if completed.returncode not in ((0,) if clean else (0, 1)) or "No module named" in completed.stderr:
        raise SystemExit(
            f"{' '.join(command)} failed (exit code {completed.returncode}):\n{completed.stderr}"
        )
    return elapsed, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    missing = _missing()
    if missing:
        print(
            f"check_speed.py times leadspec next to yamllint and check-jsonschema, and {sys.executable} "
            f"cannot import {', '.join(missing)}. Install the test extras in this environment: "
            "pip install -e '.[test]' (from the leadspec checkout).",
            file=sys.stderr,
        )
        return 2
    commands = _commands()
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm the file cache and .pyc files
        _time(command, clean=name == "leadspec check")
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, cpu = _time(command, clean=name == "leadspec check")
            walls[name].append(wall)
            cpus[name].append(cpu)
    files = len(list((ROOT / "definitions").rglob("*.y*ml")))
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "definitions").rglob("*.y*ml"))
    print(f"bundled definitions: {files} files, {lines} lines; {args.runs} runs each, interleaved\n")
    print(f"{'tool':<18} {'median ms':>10} {'best ms':>9} {'vs yamllint':>12} {'cpu ms':>8} {'cpu vs':>7}")
    reference = statistics.median(walls["yamllint"])
    cpu_reference = statistics.median(cpus["yamllint"]) or 1.0
    for name in commands:
        median, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(
            f"{name:<18} {median * 1000:>10.1f} {min(walls[name]) * 1000:>9.1f} {median / reference:>11.2f}x"
            f" {cpu * 1000:>8.1f} {cpu / cpu_reference:>6.2f}x"
        )
    ours = statistics.median(walls["leadspec check"])
    verdict = "meets" if ours <= TARGET * reference else "MISSES"
    print(f"\nleadspec check {verdict} the target (at most {TARGET}x yamllint's wall time).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
