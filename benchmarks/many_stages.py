"""How `leadspec check` grows with the number of stages, on the plainest model there is.

Issue 15's "many plain stages": one integer field `n` and N stages, stage k with
`entry: n == k` and a label, an owner and a definition, no exits, no start (so
the check finds one gap, n below 0 or at least N, and N stages with no way
out: 1 error and N warnings, which the script checks for every run). Each
file is generated into a temporary folder (or --keep DIR) and checked by
`python -m leadspec check FILE` in a child process of its own: wall time
(start-up included, best of --runs, the runs interleaved so a busy machine
disturbs every size alike) and peak RSS (`os.wait4` of that child).

The table gives, for each N, the wall time and peak RSS, and their ratios to
the smallest size next to the ratio of the sizes: near-linear growth keeps the
time ratio close to the size ratio.

Goals (issue 15, goal 4): 10,000 stages checked in under 5 s and 500 MB, and
from 250 to 10,000 stages the time per stage at most 2x that at 1,000 (the
smallest sizes are mostly start-up). Exit code 0 when the goals that the sizes
run can say something of are met, 1 when one is not, 2 when it cannot run.

    python benchmarks/many_stages.py [--sizes 250,500,1000,2000,5000,10000] [--runs 3] [--keep DIR]
    python benchmarks/many_stages.py --quick          # 50 and 100 stages, one run: a smoke test
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SIZE = 10_000
GOAL_SECONDS = 5.0
GOAL_MB = 500.0
PER_STAGE_SLACK = 2.0  # the time per stage at any size from 1,000 up, at most this times that at 1,000


def write_model(path: Path, count: int) -> None:
    """One integer field and `count` stages `n == k`, each with a label, an owner and a definition."""
    lines = [
        "leadspec: 1",
        "",
        "teams:",
        "  ops:",
        "    label: Operations",
        "",
        "fields:",
        '  "n":',
        "    label: Number",
        "    type: integer",
        "    description: The number of the stage the lead is in.",
        "",
        "stages:",
    ]
    for k in range(count):
        lines += [
            f"  - id: s{k}",
            f"    label: Stage {k}",
            "    owner: ops",
            f"    definition: Leads whose number is {k}.",
            f"    entry: n == {k}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check(path: Path, count: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `leadspec check` of `path`; SystemExit if it is not the expected run."""
    command = [sys.executable, "-m", "leadspec", "check", "--color", "never", str(path)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=path.parent, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    expected = f"Checked 1 file: 1 error, {count:,} warnings."
    summary = stdout.rstrip().splitlines()[-1] if stdout.strip() else ""
    if child.returncode != 1 or summary.replace(",", "") != expected.replace(",", ""):
        raise SystemExit(
            f"{' '.join(command)} did not give the expected findings ({expected!r}); exit code "
            f"{child.returncode}, last line {summary!r}\n{stderr}"
        )
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="numbers of stages, comma-separated (default 250 to 10,000)")
    parser.add_argument("--runs", type=int, help="runs per size, the best kept (default 3; 1 with --quick)")
    parser.add_argument("--keep", type=Path, help="write the generated files into this folder and keep them")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: 50 and 100 stages (or --sizes), one run"
    )
    args = parser.parse_args()
    default = "50,100" if args.quick else "250,500,1000,2000,5000,10000"
    sizes = sorted({int(part) for part in (args.sizes or default).split(",")})
    runs = args.runs or (1 if args.quick else 3)
    if not sizes or sizes[0] < 1 or runs < 1:
        print("--sizes needs positive numbers of stages and --runs at least 1", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="leadspec-many-stages-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        files = {size: folder / f"stages-{size}.yaml" for size in sizes}
        for size, path in files.items():
            write_model(path, size)
        _check(files[sizes[0]], sizes[0])  # warm the file cache and .pyc files
        walls: dict[int, list[float]] = {size: [] for size in sizes}
        peaks: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(runs):
            for size in sizes:
                wall, peak = _check(files[size], size)
                walls[size].append(wall)
                peaks[size].append(peak)
        file_kb = {size: path.stat().st_size / 1024 for size, path in files.items()}

    best = {size: min(values) for size, values in walls.items()}
    peak = {size: max(values) for size, values in peaks.items()}
    base = sizes[0]
    print(
        f"leadspec check on one integer field and N stages `n == k` (no exits); best wall of {runs} run(s), "
        f"peak RSS, each a child process\n"
    )
    header = f"{'N':>7} {'file KB':>8} {'wall s':>8} {'peak MB':>8} {'x N':>7} {'x wall':>7} {'x MB':>6} {'ms/stage':>9}"
    print(header)
    print("-" * len(header))
    for size in sizes:
        print(
            f"{size:>7,} {file_kb[size]:>8.0f} {best[size]:>8.2f} {peak[size]:>8.1f} "
            f"{size / base:>6.1f}x {best[size] / best[base]:>6.1f}x {peak[size] / peak[base]:>5.1f}x "
            f"{best[size] / size * 1000:>9.3f}"
        )
    print(f"\n(ratios to N={base:,}, in this run)")

    missed = []
    if GOAL_SIZE in best:
        if best[GOAL_SIZE] >= GOAL_SECONDS:
            missed.append(
                f"{GOAL_SIZE:,} stages took {best[GOAL_SIZE]:.2f} s (goal: under {GOAL_SECONDS:.0f} s)"
            )
        if peak[GOAL_SIZE] >= GOAL_MB:
            missed.append(
                f"{GOAL_SIZE:,} stages took {peak[GOAL_SIZE]:.0f} MB (goal: under {GOAL_MB:.0f} MB)"
            )
    if 1000 in best:
        per_stage = best[1000] / 1000
        for size in sizes:
            if size > 1000 and best[size] / size > PER_STAGE_SLACK * per_stage:
                missed.append(
                    f"{size:,} stages took {best[size] / size * 1000:.3f} ms a stage, more than "
                    f"{PER_STAGE_SLACK:.0f}x the {per_stage * 1000:.3f} ms at 1,000 (goal: near-linear)"
                )
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        said = GOAL_SIZE in best or (1000 in best and sizes[-1] > 1000)
        print(
            "Goals met."
            if said
            else "These sizes say nothing of the goals (they need 1,000 and more, or 10,000)."
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
