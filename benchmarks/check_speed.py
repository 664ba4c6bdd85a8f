"""How long `leadspec check` takes on the bundled definitions, next to yamllint and check-jsonschema.

`leadspec check` runs in every commit, so its wall time (start-up included) is
what a person waits for. All three tools run as separate processes on the same
files, alternating, in one run; the script prints the median and best of each.

    python benchmarks/check_speed.py [--runs 15]

Target: leadspec, which does far more than either, is no slower than yamllint.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr}")
    return elapsed


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
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache and .pyc files
        _time(command)
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_time(command))
    files = len(list((ROOT / "definitions").rglob("*.y*ml")))
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "definitions").rglob("*.y*ml"))
    print(f"bundled definitions: {files} files, {lines} lines; {args.runs} runs each, interleaved\n")
    print(f"{'tool':<18} {'median ms':>10} {'best ms':>9} {'vs yamllint':>12}")
    reference = statistics.median(times["yamllint"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<18} {median * 1000:>10.1f} {min(samples) * 1000:>9.1f} {median / reference:>11.2f}x")
    ours = statistics.median(times["leadspec check"])
    verdict = "meets" if ours <= reference else "MISSES"
    print(f"\nleadspec check {verdict} the target (no slower than yamllint).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
