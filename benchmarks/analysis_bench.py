"""Lifecycle analysis speed against an SMT (z3) reference, on generated models.

    python benchmarks/analysis_bench.py [--sizes 5,10,20,40,60] [--seeds 3] [--fields 40] [--atoms 20]

Models come from `tests/analysis/model_gen.py` (stages as score bands narrowed by
conditions on many fields, exits to later stages with `set`, sometimes a scope):
from 5 to 60 stages, 40 fields, criteria of up to 20 atoms. For each size the
script times, on the same models in the same run:

- `analysis`: `leadspec.analysis.analyze` (every finding, with example leads);
- `+messages`: the same plus every LS3xx rule turning findings into messages
  (regions in words included);
- `z3`: the reference in `tests/analysis/smt_reference.py`, deciding the same
  findings with one incremental solver (push/pop per query);
- `z3 fresh`: the same queries with a new solver each (how a simple encoding runs).

It checks that both agree on every finding, and prints medians (over the
models) of the best of three CPU times, in milliseconds, and how many times
faster the analysis is. Needs z3-solver (test-only).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
sys.path.insert(0, str(ROOT / "src"))

from analysis_helpers import summarize  # noqa: E402
from model_gen import realistic_model  # noqa: E402

from leadspec.analysis.lifecycle import analyze  # noqa: E402
from leadspec.context import Context  # noqa: E402
from leadspec.rules import registry  # noqa: E402


def _time(function, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Best CPU time of `repeat` runs: steadier than wall time on a shared machine."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return best, result


def _messages(built) -> int:  # type: ignore[no-untyped-def]
    context = Context(model=built.model, exprs=built.exprs)
    count = 0
    for module in registry:
        if module.check is not None and module.rule.code.startswith("LS3"):
            count += sum(1 for _ in module.check(context))
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,10,15,20,30,40,50,60")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--fields", type=int, default=40)
    parser.add_argument("--atoms", type=int, default=20)
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh-solver z3 run (slow)")
    args = parser.parse_args()
    try:
        import smt_reference
    except ImportError:
        print("z3-solver is not installed: pip install z3-solver", file=sys.stderr)
        return 2

    print(
        f"{args.fields} fields, criteria of up to {args.atoms} atoms, {args.seeds} models per size; "
        "median of best-of-3 CPU milliseconds per model"
    )
    header = f"{'stages':>6} {'findings':>8} {'analysis':>9} {'+messages':>10} {'z3':>9} {'z3 fresh':>9} {'x z3':>6} {'x fresh':>8}"
    print(header)
    print("-" * len(header))
    for size in [int(part) for part in args.sizes.split(",")]:
        ours, full, z3_times, fresh_times, findings = [], [], [], [], []
        for seed in range(args.seeds):
            built = realistic_model(seed, size, args.fields, args.atoms)
            elapsed, analysis = _time(lambda built=built: analyze(built.model, built.exprs), repeat=3)
            ours.append(elapsed)
            elapsed, _ = _time(
                lambda built=built: (analyze(built.model, built.exprs), _messages(built)), repeat=3
            )
            full.append(elapsed)
            mine = summarize(analysis)
            findings.append(
                sum(len(v) for k, v in mine.items() if k not in ("unreachable", "failing_examples"))
            )
            elapsed, reference = _time(lambda built=built: smt_reference.findings(built), repeat=3)
            z3_times.append(elapsed)
            for kind, values in reference.items():
                if mine[kind] != values:
                    print(f"DISAGREEMENT on {kind} (seed {seed}, {size} stages): {mine[kind] ^ values}")
                    return 1
            if not args.no_fresh:
                elapsed, _ = _time(
                    lambda built=built: smt_reference.findings(built, incremental=False), repeat=2
                )
                fresh_times.append(elapsed)
        ms = lambda values: statistics.median(values) * 1000  # noqa: E731
        fresh = f"{ms(fresh_times):9.1f}" if fresh_times else f"{'-':>9}"
        ratio_fresh = f"{ms(fresh_times) / ms(ours):7.1f}x" if fresh_times else f"{'-':>8}"
        print(
            f"{size:>6} {statistics.median(findings):>8.0f} {ms(ours):9.1f} {ms(full):10.1f} {ms(z3_times):9.1f} "
            f"{fresh} {ms(z3_times) / ms(ours):5.1f}x {ratio_fresh}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
