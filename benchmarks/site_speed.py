"""How much `leadspec site build` adds to a bare `mkdocs build` of the same pages.

`leadspec site build` checks the definitions, generates the pages and then runs
the same mkdocs build in-process; the bare `mkdocs build` only renders pages that
already exist. Both run as separate processes (start-up included) on a copy of
this repository's definitions, site/ and mkdocs.yml, alternating, in one run,
each into its own output folder; the script prints the median and best of each.

    python benchmarks/site_speed.py [--runs 7]

Target: `leadspec site build` within 1.5x of the bare `mkdocs build`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5


def _project(folder: Path) -> Path:
    shutil.copytree(ROOT / "definitions", folder / "definitions")
    shutil.copytree(ROOT / "site", folder / "site")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def _commands(project: Path) -> dict[str, list[str]]:
    return {
        "leadspec site build": [
            sys.executable,
            "-m",
            "leadspec",
            "site",
            "build",
            "--out",
            str(project / "out-leadspec"),
        ],
        "mkdocs build": [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(project / "out-mkdocs"),
        ],
    }


def _time(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leadspec-site-speed-") as temporary:
        project = _project(Path(temporary))
        commands = _commands(project)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache and .pyc files
            _time(command, project)
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(_time(command, project))
        pages = len(list((project / "out-leadspec").rglob("*.html")))
    print(f"bundled definitions: {pages} HTML pages; {args.runs} runs each, interleaved\n")
    print(f"{'command':<22} {'median s':>9} {'best s':>8} {'vs mkdocs':>10}")
    reference = statistics.median(times["mkdocs build"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<22} {median:>9.2f} {min(samples):>8.2f} {median / reference:>9.2f}x")
    ratio = statistics.median(times["leadspec site build"]) / reference
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(
        f"\nleadspec site build {verdict} the target (within {TARGET}x of a bare mkdocs build): {ratio:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
