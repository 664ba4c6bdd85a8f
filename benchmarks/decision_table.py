"""The lifecycle analysis at decision-table scale (issue 15, goals 2 and 3).

The evaluation design of Calvanese et al. (BPM 2016, "Semantic DMN" tables): a
table of N rules over M decimal columns, each column from 0 to 100, made as a
partition of that space into N boxes (a random box is split on a random column
at a random point, until there are N), then 10% of the rules perturbed (one
bound of one column moved in or out by up to half the box's width), so that
overlaps and gaps appear. Seeded: the same arguments give the same table. The
table is written as N terminal stages of a definitions file, rule k being stage
`r{k}` with `entry: 12.5 <= c1 < 40 and c3 >= 7.25` (a column a rule leaves
whole is not named).

For each size, in a child process of its own: `leadspec check FILE` (wall time,
start-up included, best of --runs; peak RSS from `os.wait4`; CPU time of the
child) and, for goal 3, `leadspec diff A B` on two folders: the table and a
copy with another 10% of its rules perturbed. The curve per size: rules,
columns, overlaps found (LS301), gaps found (LS302: one finding for all the
leads in no stage), seconds, MB, and the time per overlap found.

`--verify` checks every size against z3 (needs z3-solver, a test extra),
independently of leadspec: the sets of rules some value is in exactly (two or
more; all-SAT over one flag per rule) must be the sets LS301 names, a gap must
exist exactly when LS302 is reported, and every example lead (witness) must be
in exactly the rules its finding says, evaluated on the table itself.

Goals: at 1,500 rules x 5 columns, the check in under 1 s and 150 MB, and
`leadspec diff` in under 3 s; from 500 to 5,000 rules the time per overlap found
at most 3x that at 500 (near-linear in the overlaps, not in the square of the
rules). Exit code 0 when the goals the sizes say something of are met (and
--verify agrees), 1 when not, 2 when it cannot run.

    python benchmarks/decision_table.py [--sizes 500,1500,5000] [--columns 3,5] [--runs 3] [--keep DIR]
    python benchmarks/decision_table.py --verify     # also checks every size against z3
    python benchmarks/decision_table.py --quick      # 60 and 120 rules, one run: a smoke test
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = Decimal(100)
STEP = Decimal("0.01")
PERTURBED = 0.10
GOAL_RULES, GOAL_COLUMNS = 1500, 5
GOAL_SECONDS, GOAL_MB, GOAL_DIFF_SECONDS = 1.0, 150.0, 3.0
PER_OVERLAP_SLACK = 3.0

Bounds = tuple[Decimal, Decimal]  # [low, high), high == 100 included


@dataclass(frozen=True)
class Table:
    """N rules over `columns` decimal columns: per rule, per column, [low, high) (100 included)."""

    columns: int
    rules: list[list[Bounds]]

    def holds(self, rule: int, lead: dict[str, object]) -> bool:
        """Whether the lead meets rule `rule` (evaluated on the bounds, not by leadspec)."""
        for column, (low, high) in enumerate(self.rules[rule]):
            value = lead.get(f"c{column + 1}")
            if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
                return False
            value = Decimal(value)
            if not (low <= value <= TOP) or value > high or (value == high and high != TOP):
                return False
        return True

    def rules_of(self, lead: dict[str, object]) -> tuple[int, ...]:
        return tuple(rule for rule in range(len(self.rules)) if self.holds(rule, lead))


def _point(rng: random.Random, low: Decimal, high: Decimal) -> Decimal | None:
    """A random multiple of 0.01 in the middle half of (`low`, `high`), or None if there is none."""
    steps = int((high - low) / STEP)
    if steps < 2:
        return None
    return low + STEP * rng.randint(max(1, steps // 4), min(steps - 1, steps - steps // 4))


def partition(rules: int, columns: int, seed: int) -> Table:
    """`rules` boxes that tile [0, 100]^columns: the largest box split on a random column, repeatedly.

    Splitting the largest box (at a random point of its middle half) keeps the
    rules of one size as a real table's are, not slivers in one corner.
    """
    rng = random.Random(seed)
    full = [(Decimal(0), TOP)] * columns
    heap: list[tuple[Decimal, int, list[Bounds]]] = [(-(TOP**columns), 0, full)]
    made = 1
    while len(heap) < rules:
        _, _, box = heapq.heappop(heap)
        column = rng.randrange(columns)
        low, high = box[column]
        cut = _point(rng, low, high)
        if cut is None:  # too narrow to split on this column: try again later
            heapq.heappush(heap, (Decimal(0), made, box))
            made += 1
            continue
        for part in (
            [*box[:column], (low, cut), *box[column + 1 :]],
            [*box[:column], (cut, high), *box[column + 1 :]],
        ):
            volume = Decimal(1)
            for part_low, part_high in part:
                volume *= part_high - part_low
            heapq.heappush(heap, (-volume, made, part))
            made += 1
    return Table(columns, [box for _, _, box in sorted(heap, key=lambda item: item[1])])


def perturb(table: Table, seed: int, share: float = PERTURBED) -> Table:
    """`table` with `share` of its rules changed: one inner bound of one column moved in or out."""
    rng = random.Random(seed)
    rules = [list(rule) for rule in table.rules]
    for index in rng.sample(range(len(rules)), round(len(rules) * share)):
        rule = rules[index]
        inner = [
            (column, side)
            for column, (low, high) in enumerate(rule)
            for side in (0, 1)
            if (low, high)[side] not in (0, TOP)
        ]
        if not inner:
            continue
        column, side = rng.choice(inner)
        low, high = rule[column]
        width = high - low
        move = STEP * rng.randint(1, max(1, int(width / 2 / STEP)))
        if rng.random() < 0.5:  # outward: an overlap with the neighbours
            low, high = (max(Decimal(0), low - move), high) if side == 0 else (low, min(TOP, high + move))
        else:  # inward: a gap
            low, high = (
                (min(low + move, high - STEP), high) if side == 0 else (low, max(high - move, low + STEP))
            )
        rule[column] = (low, high)
    return Table(table.columns, rules)


def warp(table: Table, seed: int) -> Table:
    """`table` with column 1 stretched below a random point and squeezed above it (or the reverse).

    Every bound moves with the values it sits on, so a tiling stays a tiling:
    the rules keep their neighbours, and the leads near the moved bounds change
    rule, which is what `leadspec diff` then has to work out.
    """
    rng = random.Random(seed)
    point = Decimal(rng.randint(30, 70))
    image = point + Decimal(rng.choice([-1, 1]) * rng.randint(5, 15))
    thousandth = Decimal("0.001")

    def moved(value: Decimal) -> Decimal:
        if value in (0, TOP):
            return value
        if value <= point:
            return (value * image / point).quantize(thousandth)
        return (image + (value - point) * (TOP - image) / (TOP - point)).quantize(thousandth)

    rules = [[(moved(rule[0][0]), moved(rule[0][1])), *rule[1:]] for rule in table.rules]
    return Table(table.columns, rules)


def decision_table(rules: int, columns: int, seed: int = 0) -> Table:
    """The benchmark's table: a partition of the space, 10% of its rules perturbed."""
    return perturb(partition(rules, columns, seed), seed + 1)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def entry(rule: list[Bounds]) -> str:
    """The rule as a criterion: each column it narrows, `low <= cK < high` (or one side of it)."""
    parts = []
    for column, (low, high) in enumerate(rule):
        name = f"c{column + 1}"
        if low > 0 and high < TOP:
            parts.append(f"{_number(low)} <= {name} < {_number(high)}")
        elif low > 0:
            parts.append(f"{name} >= {_number(low)}")
        elif high < TOP:
            parts.append(f"{name} < {_number(high)}")
    return " and ".join(parts) or "true"


def write_model(path: Path, table: Table) -> None:
    """The table as one definitions file: M number fields (0 to 100) and one terminal stage per rule."""
    lines = ["leadspec: 1", "", "teams:", "  ops:", "    label: Operations", "", "fields:"]
    for column in range(table.columns):
        lines += [
            f"  c{column + 1}:",
            f"    label: Column {column + 1}",
            "    type: number",
            "    min: 0",
            "    max: 100",
            f"    description: Input {column + 1} of the decision table.",
        ]
    lines += ["", "stages:"]
    for index, rule in enumerate(table.rules):
        lines += [
            f"  - id: r{index}",
            f"    label: Rule {index}",
            "    owner: ops",
            f"    definition: Leads that rule {index} of the decision table decides.",
            f"    entry: {entry(rule)}",
            "    terminal: true",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- timing -------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    mb: float
    stdout: str
    code: int


# Runs leadspec and, at exit, writes the process's own peak RSS (VmHWM) to stderr: the peak RSS
# `os.wait4` gives for a child also counts the pages of this process it was forked from, which
# holds the outputs of the runs before it.
_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            for line in status:\n"
    "                if line.startswith('VmHWM:'):\n"
    "                    sys.stderr.write('\\npeak-kb ' + line.split()[1] + '\\n')\n"
    "    except OSError:\n"
    "        pass\n"
    "atexit.register(peak)\n"
    "sys.argv = ['leadspec', *sys.argv[1:]]\n"
    "runpy.run_module('leadspec', run_name='__main__', alter_sys=True)\n"
)


def _run(arguments: list[str], cwd: Path) -> Run:
    """One `leadspec ARGUMENTS` in a child process: wall and CPU seconds, peak RSS in MB, output, exit code."""
    command = [sys.executable, "-c", _PEAK, *arguments]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if code not in (0, 1):
        raise SystemExit(f"leadspec {' '.join(arguments)} could not run (exit code {code}):\n{stderr}")
    peak = re.search(r"^peak-kb (\d+)$", stderr, re.MULTILINE)
    kb = int(peak.group(1)) if peak else usage.ru_maxrss  # both KiB on Linux
    return Run(wall, usage.ru_utime + usage.ru_stime, kb / 1024, stdout, code)


def check(path: Path) -> Run:
    return _run(["check", "--color", "never", str(path)], path.parent)


def diff(base: Path, head: Path) -> Run:
    return _run(["diff", "--color", "never", str(base), str(head)], base.parent)


_SUMMARY = re.compile(r"Checked 1 file: (.*)\.$")


def counts(run: Run) -> tuple[int, int]:
    """(LS301, LS302) findings in one check's output; SystemExit when it reports anything else."""
    lines = run.stdout.splitlines()
    overlaps = sum(" error LS301 " in line for line in lines)
    gaps = sum(" error LS302 " in line for line in lines)
    summary = _SUMMARY.match(lines[-1]) if lines else None
    expected = f"{overlaps + gaps:,} error{'s' if overlaps + gaps != 1 else ''}"
    if summary is None or summary.group(1).replace(",", "") != expected.replace(",", ""):
        if overlaps + gaps or summary is None or summary.group(1) != "no problems":
            raise SystemExit(f"leadspec check did not give only overlaps and gaps:\n{run.stdout[-2000:]}")
    return overlaps, gaps


# -- the z3 reference ----------------------------------------------------------------


def _reaching(table: Table) -> list[list[int]]:
    """For each rule, the rules whose bounds reach its own on every column (touching included).

    Column by column, bit sets of the rules by their lower bounds and by their
    upper bounds, sorted, so that the table's pairs are not compared one by one.
    """
    count = len(table.rules)
    found = [(1 << count) - 1] * count
    for column in range(table.columns):
        bounds = [rule[column] for rule in table.rules]
        by_low = sorted(range(count), key=lambda rule: bounds[rule][0])
        by_high = sorted(range(count), key=lambda rule: bounds[rule][1], reverse=True)
        lows = [bounds[rule][0] for rule in by_low]
        highs = [-bounds[rule][1] for rule in by_high]
        starting, ending = [0], [0]  # the first k rules by low (by high, from the top), as bit sets
        for rule in by_low:
            starting.append(starting[-1] | 1 << rule)
        for rule in by_high:
            ending.append(ending[-1] | 1 << rule)
        for rule, (low, high) in enumerate(bounds):
            found[rule] &= (
                starting[bisect.bisect_right(lows, high)] & ending[bisect.bisect_right(highs, -low)]
            )
    return [[other for other in range(count) if bits >> other & 1] for bits in found]


def verify(table: Table, path: Path) -> list[str]:
    """Disagreements between leadspec's findings on `path` and z3's on `table` (empty: they agree)."""
    import z3

    sys.path.insert(0, str(ROOT / "src"))
    from leadspec.api import load
    from leadspec.config import Config

    values = [z3.Real(f"c{column + 1}") for column in range(table.columns)]
    inside = []
    for rule in table.rules:
        parts = []
        for value, (low, high) in zip(values, rule, strict=True):
            if low > 0:
                parts.append(value >= z3.RealVal(str(low)))
            if high < TOP:
                parts.append(value < z3.RealVal(str(high)))
        inside.append(z3.And(*parts) if parts else z3.BoolVal(True))
    domain = [z3.And(value >= 0, value <= 100) for value in values]
    gap = z3.Solver()
    gap.add(*domain, *[z3.Not(box) for box in inside])
    has_gap = gap.check() == z3.sat
    # Every set of two or more rules some value is in exactly, by all-SAT inside each rule's box over
    # the rules whose bounds reach it (the others cannot share a value with it), that rule the smallest.
    reference: set[tuple[int, ...]] = set()
    for index, reach in enumerate(_reaching(table)):
        near = [other for other in reach if other != index]
        if not near:
            continue
        solver = z3.Solver()
        solver.add(*domain, inside[index])
        flags = {other: z3.Bool(f"rule{other}") for other in near}
        for other, flag in flags.items():
            solver.add(flag == inside[other], *([z3.Not(flag)] if other < index else []))
        solver.add(z3.Or(*flags.values()))
        while solver.check() == z3.sat:
            model = solver.model()
            chosen = {
                other for other, flag in flags.items() if z3.is_true(model.eval(flag, model_completion=True))
            }
            reference.add(tuple(sorted({index, *chosen})))
            solver.add(z3.Or(*[z3.Not(flag) if other in chosen else flag for other, flag in flags.items()]))

    loaded = load([path], Config())
    analysis = loaded.context.analysis
    problems = []
    mine = {}
    for overlap in analysis.overlaps:
        key = tuple(sorted(int(stage.id[1:]) for stage in overlap.stages))
        mine[key] = overlap
        if not overlap.exact:
            problems.append(f"overlap {key} not exact")
        elif table.rules_of(overlap.witness) != key:
            problems.append(
                f"the example lead of overlap {key} is in rules {table.rules_of(overlap.witness)}"
            )
    for key in sorted(reference - mine.keys()):
        problems.append(f"z3 finds leads in exactly rules {key}; leadspec does not report them")
    for key in sorted(mine.keys() - reference):
        problems.append(f"leadspec reports leads in exactly rules {key}; z3 finds none")
    if has_gap != bool(analysis.gaps):
        problems.append(f"z3 {'finds' if has_gap else 'finds no'} gap; leadspec reports {len(analysis.gaps)}")
    for found in analysis.gaps:
        if table.rules_of(found.witness):
            problems.append(f"the example lead of the gap is in rules {table.rules_of(found.witness)}")
    return problems


# -- the run ----------------------------------------------------------------------------


@dataclass
class Size:
    """One table size: its folder and the best figures of its runs."""

    rules: int
    columns: int
    folder: Path
    overlaps: int = 0
    gaps: int = 0
    check: Run | None = None
    movement: Run | None = None  # diff of the clean tiling and the same tiling warped: leads move
    revision: Run | None = None  # diff of the table and a perturbed copy

    @property
    def name(self) -> str:
        return f"{self.rules} x {self.columns}"


def _best(old: Run | None, new: Run) -> Run:
    if old is None:
        return new
    return Run(min(old.wall, new.wall), min(old.cpu, new.cpu), max(old.mb, new.mb), new.stdout, new.code)


def _folder(root: Path, rules: int, columns: int) -> Path:
    return root / f"table-{rules}x{columns}"


def prepare(rules: int, columns: int, seed: int, root: Path) -> None:
    """The table and the revisions its diffs compare, written under `root`."""
    folder = _folder(root, rules, columns)
    clean = partition(rules, columns, seed)
    table = perturb(clean, seed + 1)
    write_model(folder / "table" / "definitions.yaml", table)
    write_model(folder / "perturbed" / "definitions.yaml", perturb(table, seed + 2))
    write_model(folder / "tiling" / "definitions.yaml", clean)
    write_model(folder / "warped" / "definitions.yaml", warp(clean, seed + 3))


def _prepare_apart(sizes: list[int], columns: list[int], seed: int, root: Path) -> None:
    """`prepare` every size in a child process: a child started from this process counts its memory
    (the peak RSS of a forked child includes its parent's pages until it starts leadspec), so the
    tables are never held here while leadspec is timed."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; import decision_table as d\n"
        "for width in sys.argv[4].split(','):\n"
        "    for rules in sys.argv[3].split(','):\n"
        "        d.prepare(int(rules), int(width), int(sys.argv[2]), Path(sys.argv[5]))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(Path(__file__).resolve().parent),
            str(seed),
            ",".join(map(str, sizes)),
            ",".join(map(str, columns)),
            str(root),
        ],
        check=True,
    )


def _moves(run: Run) -> int:
    """How many movements `leadspec diff` reported ("Lead movement (7,470)")."""
    found = re.search(r"^Lead movement \(([\d,]+)\)", run.stdout, re.MULTILINE)
    return int(found.group(1).replace(",", "")) if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="numbers of rules, comma-separated (default 500,1500,5000)")
    parser.add_argument("--columns", help="numbers of columns, comma-separated (default 3,5)")
    parser.add_argument("--runs", type=int, help="runs per size, the best kept (default 3; 1 with --quick)")
    parser.add_argument("--seed", type=int, default=0, help="the seed the tables are made from (default 0)")
    parser.add_argument("--keep", type=Path, help="write the generated folders here and keep them")
    parser.add_argument("--no-diff", action="store_true", help="time leadspec check only")
    parser.add_argument("--verify", action="store_true", help="check every size's findings against z3")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: 60 and 120 rules (or --sizes), one run"
    )
    args = parser.parse_args()
    try:
        sizes = sorted(
            {int(part) for part in (args.sizes or ("60,120" if args.quick else "500,1500,5000")).split(",")}
        )
        columns = sorted({int(part) for part in (args.columns or "3,5").split(",")})
    except ValueError:
        print("--sizes and --columns take whole numbers, comma-separated", file=sys.stderr)
        return 2
    runs = args.runs or (1 if args.quick else 3)
    if sizes[0] < 2 or columns[0] < 1 or runs < 1:
        print("--sizes needs at least 2 rules, --columns at least 1 and --runs at least 1", file=sys.stderr)
        return 2
    if args.verify:
        try:
            import z3  # noqa: F401
        except ImportError:
            print("--verify needs z3-solver: pip install -e '.[test]'", file=sys.stderr)
            return 2

    with tempfile.TemporaryDirectory(prefix="leadspec-decision-table-") as temporary:
        root = args.keep or Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        _prepare_apart(sizes, columns, args.seed, root)
        table = [Size(rules, width, _folder(root, rules, width)) for width in columns for rules in sizes]
        check(table[0].folder / "table" / "definitions.yaml")  # warm the file cache and .pyc files
        for _ in range(runs):  # interleaved, so a busy machine disturbs every size alike
            for size in table:
                run = check(size.folder / "table" / "definitions.yaml")
                size.overlaps, size.gaps = counts(run)
                size.check = _best(size.check, run)
                if not args.no_diff:
                    size.revision = _best(
                        size.revision, diff(size.folder / "table", size.folder / "perturbed")
                    )
                    size.movement = _best(size.movement, diff(size.folder / "tiling", size.folder / "warped"))
        problems: dict[str, list[str]] = {}
        if args.verify:
            for size in table:
                made = decision_table(size.rules, size.columns, args.seed)  # the same table, seeded
                problems[size.name] = verify(made, size.folder / "table" / "definitions.yaml")

    print(
        f"The decision table of Calvanese et al. (a tiling of [0, 100]^columns, {PERTURBED:.0%} of the rules "
        f"perturbed; seed {args.seed}) as terminal stages; best of {runs} run(s), each a child process\n"
    )
    header = (
        f"{'rules':>6} {'cols':>4} {'overlaps':>8} {'gaps':>4} {'check s':>8} {'cpu s':>6} {'MB':>6} "
        f"{'ms/overlap':>10}"
    )
    if not args.no_diff:
        header += f" {'diff s':>7} {'MB':>6} {'moves':>6} {'diff2 s':>7} {'MB':>6}"
    print(header)
    print("-" * len(header))
    for size in table:
        assert size.check is not None
        line = (
            f"{size.rules:>6,} {size.columns:>4} {size.overlaps:>8,} {size.gaps:>4} {size.check.wall:>8.2f} "
            f"{size.check.cpu:>6.2f} {size.check.mb:>6.0f} {size.check.cpu / max(size.overlaps, 1) * 1000:>10.2f}"
        )
        if size.movement is not None and size.revision is not None:
            line += (
                f" {size.movement.wall:>7.2f} {size.movement.mb:>6.0f} {_moves(size.movement):>6,}"
                f" {size.revision.wall:>7.2f} {size.revision.mb:>6.0f}"
            )
        print(line)
    print(
        "\noverlaps: LS301 findings (leads in exactly those rules); gaps: LS302 (one finding for every lead in no "
        "rule);\nms/overlap: CPU of the whole check per overlap found, start-up included"
    )
    if not args.no_diff:
        print(
            "diff: the tiling against itself with column 1 warped (every lead that changes rule, 'moves');\n"
            "diff2: the table against a copy with another 10% of its rules perturbed (overlaps: no movement)"
        )

    missed = []
    for size in table:
        assert size.check is not None
        if (size.rules, size.columns) == (GOAL_RULES, GOAL_COLUMNS):
            if size.check.wall >= GOAL_SECONDS:
                missed.append(f"{size.name} took {size.check.wall:.2f} s (goal: under {GOAL_SECONDS:.0f} s)")
            if size.check.mb >= GOAL_MB:
                missed.append(f"{size.name} took {size.check.mb:.0f} MB (goal: under {GOAL_MB:.0f} MB)")
            for name, run in (("diff", size.movement), ("diff2", size.revision)):
                if run is not None and run.wall >= GOAL_DIFF_SECONDS:
                    missed.append(
                        f"{name} of {size.name} took {run.wall:.2f} s (goal: under {GOAL_DIFF_SECONDS:.0f} s)"
                    )
    for width in columns:
        line = [size for size in table if size.columns == width and size.overlaps and size.check]
        if len(line) >= 2 and line[0].rules >= 500:
            first, last = line[0], line[-1]
            assert first.check is not None and last.check is not None
            per_first, per_last = first.check.cpu / first.overlaps, last.check.cpu / last.overlaps
            if per_last > PER_OVERLAP_SLACK * per_first:
                missed.append(
                    f"{last.name}: {per_last * 1000:.2f} ms per overlap, more than {PER_OVERLAP_SLACK:.0f}x the "
                    f"{per_first * 1000:.2f} at {first.name} (goal: near-linear in the overlaps)"
                )
    for name, found in problems.items():
        for problem in found[:20]:
            missed.append(f"z3 disagrees at {name}: {problem}")
    if args.verify:
        agreed = [name for name, found in problems.items() if not found]
        if agreed:
            print(f"\nz3 agrees on every overlap, the gap and every example lead at {', '.join(agreed)}.")
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        said = any((size.rules, size.columns) == (GOAL_RULES, GOAL_COLUMNS) for size in table)
        print("Goals met." if said else "These sizes say nothing of the goals (they need 1,500 x 5).")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
