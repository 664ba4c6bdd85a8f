"""How fast `leadspec classify` reads a CRM export, next to a bare `csv.reader` loop, and in how much memory.

The data (generated into a temporary folder, or --keep DIR): Salesforce-style
CSV exports of the bundled definitions' leads, every field under its API name
plus e-mail and name columns (25 columns, ~146 bytes a row), with the shares of
a real funnel: 30% responses, 24% valid responses, 7% MQLs, 12% nurture,
9% disqualified, 5% partners... each profile filling its fields the way that
stage does. Numbers are skewed as in real exports, not uniform: lead score
exponential around 25, fit score normal around 52, engagement exponential
around 3, employees log-normal (median ~250, long tail to 2,000,000), days
since last touch exponential around 40. On 1,000,000 rows that is ~22,000
different employee counts, ~3,600 different day counts, ~29,000 different
combinations of the 16 true/false and picklist cells, every e-mail and name
different. A little dirt as in real exports: 0.1% lead scores out of range or
not numbers, 0.2% picklist values in the wrong case, 0.1% blank employee
counts, one ragged row in 100,000.

The worst case (`worst`) is the same funnel with every number column spread
evenly over its whole domain instead (employees 1..2,000,000, days 0..3,650,
engagement 0..500, scores 0..100): nearly every employee count is new, so the
classifier looks most of them up the slow way and its caches fill and are
cleared over and over.

In one run, on the same files:

- a bare `csv.reader` loop (`for row in reader: n += 1`), the floor;
- `classify_csv` in-process (definitions loaded beforehand), runs alternating
  with the bare loop so both see the same machine;
- `leadspec classify FILE --format json` as a command (start-up and loading included);
- the peak memory of each command (`resource.getrusage` of the child, max RSS) at both sizes.

    python benchmarks/classify_speed.py [--runs 5] [--sizes 250000,1000000] [--keep DIR] [--no-worst]
    python benchmarks/classify_speed.py --instructions 200000 [--data worst]   # needs valgrind

With --instructions N, the same comparison is made in instructions executed
(valgrind's callgrind) on an N-row file instead: a figure that other work on a
shared machine cannot disturb (it ignores memory stalls, which time includes).

Targets (issue 4): throughput at least half that of the bare loop (ratio of
times at most 2.0) on the 1,000,000-row file, and memory flat as the file grows
(peak RSS at 1,000,000 rows within 1.25x of that at 250,000). Times are CPU
seconds of this process (`time.process_time`), which other work on a shared
machine disturbs less than wall time; wall times are printed too. The ratio
is that of the best times; each run's own ratio (bare and classify back to
back) is printed too, since a busy machine moves single runs a lot.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# Share of leads by where they are in the funnel; each profile fills the fields the way that stage does.
PROFILES = [
    ("response", 0.30),
    ("valid_response", 0.24),
    ("mql", 0.07),
    ("nurture", 0.12),
    ("sal", 0.03),
    ("sql", 0.03),
    ("customer", 0.02),
    ("closed_lost", 0.03),
    ("disqualified", 0.09),
    ("partner", 0.05),
    ("random", 0.02),  # anything at all, inside the domains
]

SENIORITY = ["c_level", "vp", "director", "manager", "individual_contributor", "student", "unknown"]
SENIORITY_W = [3, 7, 14, 26, 38, 4, 8]
REGIONS = ["north_america", "emea", "apac", "latam"]
REGIONS_W = [55, 35, 6, 4]
COUNTRIES = ["US", "CA", "MX", "BR", "GB", "IE", "DE", "FR", "NL", "NO", "SE", "DK", "ES", "IT", "AU", "SG", "IN", "JP"]
INDUSTRIES = ["software", "financial_services", "professional_services", "manufacturing", "healthcare",
              "retail", "education", "public_sector", "other", ""]


def _generate(path: Path, rows: int, seed: int, worst: bool = False) -> None:
    """Write `rows` leads to `path` as a Salesforce-style CSV export (see the module docstring)."""
    from leadspec.api import load
    from leadspec.config import load_config

    model = load([ROOT / "definitions"], load_config(None)).model
    fields = list(model.fields.values())
    header = [f.crm.get("salesforce", f.id) for f in fields] + ["Email", "Name"]
    ids = [f.id for f in fields]
    rng = random.Random(seed)
    names, weights = zip(*PROFILES, strict=True)
    profiles = rng.choices(names, weights, k=rows)

    def tf(p: float) -> str:
        return "true" if rng.random() < p else "false"

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, profile in enumerate(profiles):
            lead: dict[str, str] = {
                "lead_score": str(min(100, int(rng.expovariate(1 / 25)))),
                "fit_score": str(max(0, min(100, int(rng.gauss(52, 20))))),
                "engagement_actions": str(min(500, int(rng.expovariate(1 / 3)))),
                "key_content_downloaded": tf(0.3),
                "demo_requested": tf(0.06),
                "industry": rng.choice(INDUSTRIES),
                "employees": str(max(1, min(2_000_000, int(rng.lognormvariate(5.5, 1.6))))),
                "seniority": rng.choices(SENIORITY, SENIORITY_W)[0],
                "region": rng.choices(REGIONS, REGIONS_W)[0],
                "country": rng.choice(COUNTRIES) if rng.random() < 0.8 else "",
                "email_verified": tf(0.8),
                "is_competitor": tf(0.01),
                "is_partner": "false",
                "unsubscribed": tf(0.08),
                "disqualified": "false",
                "sdr_status": "new",
                "days_since_last_touch": str(min(3650, int(rng.expovariate(1 / 40)))),
                "bant_budget": "",
                "bant_authority": "",
                "bant_need": "",
                "bant_timeframe": "",
                "motivation": "",
                "deal_status": "none",
            }
            if profile in ("mql", "sal", "sql", "nurture", "customer", "closed_lost"):
                lead.update(email_verified="true", is_competitor="false", fit_score=str(rng.randint(40, 100)),
                            employees=str(rng.randint(20, 20000)), lead_score=str(rng.randint(50, 100)),
                            engagement_actions=str(rng.randint(3, 40)))
                if lead["seniority"] == "student":
                    lead["seniority"] = "manager"
            if profile == "mql":
                lead["sdr_status"] = rng.choice(["new", "new", "working"])
            elif profile == "sal":
                lead["sdr_status"] = "accepted"
            elif profile in ("sql", "customer", "closed_lost"):
                lead["sdr_status"] = "accepted"
                for name in ("bant_budget", "bant_authority", "bant_need", "bant_timeframe"):
                    lead[name] = tf(0.9)
                lead["motivation"] = rng.choice(["low", "medium", "high", "high"])
                lead["deal_status"] = {"sql": "open", "customer": "won", "closed_lost": "lost"}[profile]
            elif profile == "nurture":
                lead["sdr_status"] = "rejected"
                lead["lead_score"] = str(rng.randint(0, 40))
            elif profile == "disqualified":
                lead["disqualified"] = "true"
                lead["sdr_status"] = rng.choice(["new", "working", "rejected"])
            elif profile == "partner":
                lead["is_partner"] = "true"
            elif profile == "random":
                for f in fields:
                    if f.type == "boolean":
                        lead[f.id] = rng.choice(["true", "false"] + ([""] if f.optional else []))
                    elif f.type == "enum":
                        lead[f.id] = rng.choice(list(f.values) + ([""] if f.optional else []))
                    else:
                        lead[f.id] = str(rng.randint(int(f.minimum or 0), int(min(f.maximum or 1000, 5000))))
            if worst:
                lead.update(lead_score=str(rng.randint(0, 100)), fit_score=str(rng.randint(0, 100)),
                            engagement_actions=str(rng.randint(0, 500)), employees=str(rng.randint(1, 2_000_000)),
                            days_since_last_touch=str(rng.randint(0, 3650)))
            dirt = rng.random()
            if dirt < 0.001:
                lead["lead_score"] = rng.choice(["150", "-3", "n/a", "45.5"])
            elif dirt < 0.003:
                lead["sdr_status"] = lead["sdr_status"].capitalize()
            elif dirt < 0.004:
                lead["employees"] = ""
            row = [lead[i] for i in ids] + [f"lead{number}@example.com", f"Lead {number}"]
            if dirt > 0.99999:
                row = row[:-1]  # a ragged row, as a broken export has now and then
            writer.writerow(row)


def _bare(path: Path) -> int:
    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for _row in csv.reader(handle):
            count += 1
    return count


def _timed(function, *args):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.process_time() - cpu, time.perf_counter() - wall, result


def _command(path: Path) -> tuple[float, float, int, dict]:  # type: ignore[type-arg]
    """`leadspec classify` in a child process: its CPU time, wall time, peak RSS (KiB) and JSON output."""
    child = (
        "import resource, subprocess, sys, time, json\n"
        "w = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - w\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': p.returncode, 'cpu': u.ru_utime + u.ru_stime, 'wall': w, "
        "'rss': u.ru_maxrss, 'out': p.stdout, 'err': p.stderr}))\n"
    )
    command = [sys.executable, "-m", "leadspec", "classify", str(path), str(ROOT / "definitions"), "--format", "json"]
    done = subprocess.run([sys.executable, "-c", child, *command], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    data = json.loads(done.stdout)
    if data["rc"] != 0:
        raise SystemExit(f"leadspec classify failed:\n{data['err']}")
    return data["cpu"], data["wall"], data["rss"], json.loads(data["out"])


_CHILD = """
import csv, sys
mode, path = sys.argv[1], sys.argv[2]
if mode == "bare":
    with open(path, newline="", encoding="utf-8") as handle:
        count = 0
        for _row in csv.reader(handle):
            count += 1
elif mode != "start":
    from leadspec.api import load
    from leadspec.classify import classify_csv, open_text, used_fields
    from leadspec.config import load_config
    from leadspec.membership import Membership
    loaded = load([sys.argv[3]], load_config(None))
    membership = Membership(loaded.model, loaded.context.exprs)
    if mode == "classify":
        with open(path, "rb") as binary:
            classify_csv(open_text(binary), loaded.model, membership, file=path,
                         required=used_fields(loaded.model, loaded.context.exprs))
"""


def _instructions(mode: str, path: Path) -> int:
    """Instructions executed by a fresh Python running `mode` (callgrind's total)."""
    import os
    import re

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", os.path.realpath(sys.executable),
             "-c", _CHILD, mode, str(path), str(ROOT / "definitions")],
            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise SystemExit(f"valgrind failed for {mode}:\n{done.stderr[-2000:]}")
        return int(found.group(1))


def _file(folder: Path, rows: int, worst: bool) -> Path:
    path = folder / f"leads-{'worst-' if worst else ''}{rows}.csv"
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        _generate(path, rows, seed=rows + worst, worst=worst)
    return path


def instructions(rows: int, keep: Path | None, worst: bool) -> int:
    folder = keep or Path(tempfile.mkdtemp(prefix="leadspec-classify-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = _file(folder, rows, worst)
    counts = {}
    for mode in ("start", "bare", "load", "classify"):
        print(f"callgrind: {mode} ...", file=sys.stderr)
        counts[mode] = _instructions(mode, path)
    bare = counts["bare"] - counts["start"]
    ours = counts["classify"] - counts["load"]
    ratio = ours / bare
    print(f"data: {'worst case' if worst else 'realistic'}")
    print(f"{'rows':>9} {'bare csv loop':>16} {'classify':>16} {'ratio':>6} {'per row':>14}")
    print(f"{rows:>9,} {bare:>16,} {ours:>16,} {ratio:>6.2f} {bare // rows:>6,} / {ours // rows:>6,}")
    print("(instructions; classify without loading the definitions, the bare loop without Python's start-up)")
    print(f"throughput in instructions: {1 / ratio:.0%} of the bare loop (target at least 50%): "
          f"{'MET' if ratio <= 2.0 else 'NOT MET'}")
    return 0 if ratio <= 2.0 else 1


def _compare(path: Path, runs: int, in_process) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Bare loop and classify, alternating, `runs` times each: CPU and wall seconds of every run."""
    found: dict[str, list[float]] = {"bare_cpu": [], "bare_wall": [], "ours_cpu": [], "ours_wall": []}
    records = 0
    for _ in range(runs):
        cpu, wall, _n = _timed(_bare, path)
        found["bare_cpu"].append(cpu)
        found["bare_wall"].append(wall)
        cpu, wall, records = _timed(in_process, path)
        found["ours_cpu"].append(cpu)
        found["ours_wall"].append(wall)
    return {**found, "records": records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250000,1000000")
    parser.add_argument("--keep", type=Path, help="generate the files into this folder and keep them")
    parser.add_argument("--no-worst", action="store_true", help="skip the worst case (high-cardinality numbers)")
    parser.add_argument("--instructions", type=int, metavar="ROWS",
                        help="compare instructions executed (valgrind) on a file of ROWS rows instead of times")
    parser.add_argument("--data", choices=("realistic", "worst"), default="realistic",
                        help="with --instructions: which data")
    args = parser.parse_args()
    if args.instructions:
        return instructions(args.instructions, args.keep, args.data == "worst")
    sizes = [int(s) for s in args.sizes.split(",")]

    from leadspec.api import load
    from leadspec.classify import classify_csv, open_text, used_fields
    from leadspec.config import load_config
    from leadspec.membership import Membership

    loaded = load([ROOT / "definitions"], load_config(None))
    membership = Membership(loaded.model, loaded.context.exprs)
    required = used_fields(loaded.model, loaded.context.exprs)

    def in_process(path: Path) -> int:
        with path.open("rb") as binary:
            summary = classify_csv(open_text(binary), loaded.model, membership,
                                   file=path.name, required=required)
        return summary.records

    folder = args.keep or Path(tempfile.mkdtemp(prefix="leadspec-classify-"))
    folder.mkdir(parents=True, exist_ok=True)
    cases = [(size, False) for size in sizes] + ([] if args.no_worst else [(sizes[-1], True)])
    results = []
    for size, worst in cases:
        path = _file(folder, size, worst)
        times = _compare(path, args.runs, in_process)
        result = dict(size=size, worst=worst, mb=path.stat().st_size / 1e6, **times)
        if not worst:
            command_cpu, command_wall, rss, document = _command(path)
            result.update(command_cpu=command_cpu, command_wall=command_wall, rss=rss,
                          stages=document["stages"], unreadable=document["unreadable"]["records"])
        results.append(result)
        if not args.keep:
            path.unlink()

    print(f"{'data':>10} {'rows':>9} {'MB':>5} {'bare csv s':>10} {'classify s':>10} {'ratio':>6} {'of bare':>7} "
          f"{'rows/s':>9} {'command s':>9} {'peak RSS MiB':>12}")
    for r in results:
        ratio = min(r["ours_cpu"]) / min(r["bare_cpu"])
        command = f"{r['command_cpu']:>9.2f} {r['rss'] / 1024:>12.1f}" if not r["worst"] else f"{'':>9} {'':>12}"
        print(f"{'worst' if r['worst'] else 'realistic':>10} {r['size']:>9,} {r['mb']:>5.0f} {min(r['bare_cpu']):>10.2f} "
              f"{min(r['ours_cpu']):>10.2f} {ratio:>6.2f} {1 / ratio:>7.0%} {r['size'] / min(r['ours_cpu']):>9,.0f} "
              f"{command}")
    print(f"(CPU seconds, best of {args.runs} runs; command: `leadspec classify` as a child, start-up included)")
    for r in results:
        each = ", ".join(f"{b / o:.0%}" for b, o in zip(r["bare_cpu"], r["ours_cpu"], strict=True))
        print(f"  {'worst' if r['worst'] else 'realistic'} {r['size']:,}: each run's throughput vs bare: {each}; "
              f"wall best bare {min(r['bare_wall']):.2f} s / classify {min(r['ours_wall']):.2f} s")
    plain = [r for r in results if not r["worst"]]
    last = plain[-1]
    ratio = min(last["ours_cpu"]) / min(last["bare_cpu"])
    speed_ok = ratio <= 2.0
    print(f"throughput on {last['size']:,} rows: {1 / ratio:.0%} of the bare loop "
          f"(target at least 50%): {'MET' if speed_ok else 'NOT MET'}")
    for r in results:
        if r["worst"]:
            print(f"worst case (high-cardinality numbers), {r['size']:,} rows: "
                  f"{min(r['bare_cpu']) / min(r['ours_cpu']):.0%} of the bare loop")
    ok = speed_ok
    if len(plain) > 1:
        growth = plain[-1]["rss"] / plain[0]["rss"]
        memory_ok = growth <= 1.25
        ok = ok and memory_ok
        print(f"memory: peak RSS x{growth:.2f} for x{plain[-1]['size'] / plain[0]['size']:.0f} rows "
              f"(target: flat, at most x1.25): {'MET' if memory_ok else 'NOT MET'}")
    print("stage counts at", f"{last['size']:,}:", json.dumps(last["stages"]), "unreadable:", last["unreadable"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
