"""How fast `leadspec classify` (on DuckDB) runs next to today's classify, DuckDB's bare scan and a hand-written query.

Issue 12's speed benchmark. The data (generated once into a temporary folder,
or --keep DIR): Salesforce-style CSV exports of the bundled definitions' leads,
every field under its API name plus e-mail and name columns (25 columns, ~146
bytes a row), with the shares of a real funnel: 30% responses, 24% valid
responses, 7% MQLs, 12% nurture, 9% disqualified, 5% partners... each profile
filling its fields the way that stage does. Numbers are skewed as in real
exports, not uniform: lead score exponential around 25, fit score normal around
52, engagement exponential around 3, employees log-normal (median ~250, long
tail to 2,000,000), days since last touch exponential around 40. On 1,000,000
rows that is ~22,000 different employee counts, ~3,600 different day counts,
~29,000 different combinations of the 16 true/false and picklist cells, every
e-mail and name different. A little dirt as in real exports: 0.1% lead scores
out of range or not numbers, 0.2% picklist values in the wrong case, 0.1% blank
employee counts, one ragged row in 100,000. Files up to 1,000,000 rows are
written row by row in Python; a larger one is the 1,000,000-row file repeated
by DuckDB, each copy with its own e-mails and names (10,000,000 rows: ~1.5 GB).

In one run, on the same files, each in a child process of its own (wall time
and peak RSS by `getrusage` in a small parent; the best wall time of --runs,
the runs interleaved so a busy machine disturbs every line alike):

- `leadspec classify FILE --format json` (the report), and with `--out
  stages.csv` and `--out stages.parquet`, with `--threads 1` and `--threads 2`;
- today's classify: the revision before the rebuild (f64abe4, the hand-written
  reader and the generated Python, one thread), extracted with `git archive`;
- DuckDB's bare scan of the file: `SELECT count(*) FROM read_csv(..., all_varchar)`;
- the plain DuckDB query a user would write by hand for the same criteria: one
  CASE in lifecycle order over TRY_CAST columns, counts per stage (HAND_QUERY
  below: written by hand from the bundled definitions, not compiled, so it is a
  reference; its counts are compared with classify's), and the same query with its
  cells read exactly as classify must (EXACT_QUERY: TRY_CAST reads '12.7' as 13), to tell
  how much of the difference is exactness alone, and that query again reporting every
  field's domain as classify does (`domains_query`): the same report written by hand,
  whose counts are compared with classify's too.

For the DuckDB queries the time inside the query is printed too (without
Python's start-up and `import duckdb`).

Goals (issue 12): classify at least as fast as the hand-written query while also
reporting values outside the domains; at least 3x today's classify on one
thread; near-linear with threads (2 threads at least 1.7x one); memory flat as
the file grows (peak RSS at the largest size within 1.25x of the smallest).
Exit code 0 when every goal is met, 1 when one is not, 2 when it cannot run.

    python benchmarks/classify_speed.py [--sizes 1000000,10000000] [--runs 3] [--keep DIR]
    python benchmarks/classify_speed.py --quick            # 250,000 rows, one run: a smoke test
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
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
COUNTRIES = [
    "US",
    "CA",
    "MX",
    "BR",
    "GB",
    "IE",
    "DE",
    "FR",
    "NL",
    "NO",
    "SE",
    "DK",
    "ES",
    "IT",
    "AU",
    "SG",
    "IN",
    "JP",
]
INDUSTRIES = [
    "software",
    "financial_services",
    "professional_services",
    "manufacturing",
    "healthcare",
    "retail",
    "education",
    "public_sector",
    "other",
    "",
]


def _generate(path: Path, rows: int, seed: int) -> None:
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
                lead.update(
                    email_verified="true",
                    is_competitor="false",
                    fit_score=str(rng.randint(40, 100)),
                    employees=str(rng.randint(20, 20000)),
                    lead_score=str(rng.randint(50, 100)),
                    engagement_actions=str(rng.randint(3, 40)),
                )
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


BASE = 1_000_000  # larger files repeat this one (generating rows in Python takes ~20 s a million)
TODAY = "f64abe4"  # the last revision of the hand-written classify (one thread, CSV and JSON Lines)
THREADS = (1, 2)
GOAL_HAND = 1.0  # classify's speed / the hand-written query's, at least
GOAL_TODAY = 3.0  # classify's speed / today's classify's on one thread, at least
GOAL_THREADS = 1.7  # 2 threads / 1 thread, at least (near-linear)
GOAL_MEMORY = 1.25  # peak RSS at the largest size / at the smallest, at most

# The query a user writes by hand from the bundled definitions' criteria, for DuckDB: read every cell
# as text, TRY_CAST the typed ones, one CASE in lifecycle order (entry and none of the stage's exits;
# an exit on a missing value does not hold), counts per stage. Columns by their Salesforce API names.
# (Run with DuckDB's type_pushdown optimizer off: DuckDB 2.0.1 turns TRY_CAST of a read_csv column into
# the reader's strict cast, so with ignore_errors a row whose lead score is 'n/a' disappears.)
HAND_QUERY = """
WITH leads AS (
    SELECT
        TRY_CAST(Lead_Score__c AS INTEGER)                  AS lead_score,
        TRY_CAST(Fit_Score__c AS INTEGER)                   AS fit_score,
        TRY_CAST(Engagement_Actions_90d__c AS INTEGER)      AS engagement_actions,
        TRY_CAST(Key_Content_Downloaded__c AS BOOLEAN)      AS key_content_downloaded,
        TRY_CAST(Demo_Requested__c AS BOOLEAN)              AS demo_requested,
        TRY_CAST(NumberOfEmployees AS INTEGER)              AS employees,
        Seniority__c                                        AS seniority,
        Sales_Region__c                                     AS region,
        TRY_CAST(Email_Verified__c AS BOOLEAN)              AS email_verified,
        TRY_CAST(Is_Competitor__c AS BOOLEAN)               AS is_competitor,
        TRY_CAST(Is_Partner__c AS BOOLEAN)                  AS is_partner,
        TRY_CAST(HasOptedOutOfEmail AS BOOLEAN)             AS unsubscribed,
        TRY_CAST(Disqualified__c AS BOOLEAN)                AS disqualified,
        SDR_Status__c                                       AS sdr_status,
        TRY_CAST(Days_Since_Last_Sales_Touch__c AS INTEGER) AS days_since_last_touch,
        TRY_CAST(BANT_Budget__c AS BOOLEAN)                 AS bant_budget,
        TRY_CAST(BANT_Authority__c AS BOOLEAN)              AS bant_authority,
        TRY_CAST(BANT_Need__c AS BOOLEAN)                   AS bant_need,
        TRY_CAST(BANT_Timeframe__c AS BOOLEAN)              AS bant_timeframe,
        Motivation__c                                       AS motivation,
        Current_Opportunity_Status__c                       AS deal_status
    FROM read_csv({path}, header = true, all_varchar = true, ignore_errors = true)
)
SELECT
    CASE
        WHEN is_partner THEN 'outside_scope'
        WHEN deal_status = 'none' AND sdr_status = 'new'
            AND NOT coalesce((email_verified AND NOT is_competitor AND seniority <> 'student' AND NOT disqualified)
                             OR is_competitor OR seniority = 'student' OR disqualified, false)
            THEN 'response'
        WHEN deal_status = 'none' AND sdr_status = 'new'
            AND email_verified AND NOT is_competitor AND seniority <> 'student' AND NOT disqualified
            AND NOT coalesce(email_verified AND fit_score >= 40 AND employees >= 20
                             AND (demo_requested OR (lead_score >= 50 AND engagement_actions >= 3 AND NOT unsubscribed)), false)
            THEN 'valid_response'
        WHEN deal_status = 'none' AND NOT is_competitor AND seniority <> 'student'
            AND (sdr_status IN ('working', 'accepted')
                 OR (sdr_status = 'rejected' AND days_since_last_touch < 30)
                 OR (email_verified AND fit_score >= 40 AND employees >= 20
                     AND (demo_requested OR (lead_score >= 50 AND engagement_actions >= 3 AND NOT unsubscribed))))
            AND NOT coalesce((sdr_status = 'accepted' AND NOT disqualified)
                             OR (sdr_status = 'rejected' AND NOT disqualified AND days_since_last_touch < 30)
                             OR disqualified, false)
            THEN 'mql'
        WHEN deal_status = 'none' AND NOT is_competitor AND seniority <> 'student'
            AND (sdr_status = 'accepted' OR (sdr_status = 'rejected' AND days_since_last_touch < 30))
            AND NOT coalesce((sdr_status = 'accepted' AND NOT disqualified
                              AND bant_budget AND bant_authority AND bant_need AND bant_timeframe
                              AND motivation IN ('medium', 'high')
                              AND seniority IN ('c_level', 'vp', 'director', 'manager')
                              AND region IN ('north_america', 'emea')
                              AND (key_content_downloaded OR demo_requested))
                             OR (sdr_status = 'rejected' AND NOT disqualified)
                             OR disqualified, false)
            THEN 'sal'
        WHEN (deal_status IN ('open', 'won', 'lost', 'rejected')
              OR (deal_status = 'none' AND sdr_status = 'accepted'
                  AND NOT is_competitor AND seniority <> 'student' AND NOT disqualified
                  AND bant_budget AND bant_authority AND bant_need AND bant_timeframe
                  AND motivation IN ('medium', 'high')
                  AND seniority IN ('c_level', 'vp', 'director', 'manager')
                  AND region IN ('north_america', 'emea')
                  AND (key_content_downloaded OR demo_requested)))
            AND NOT coalesce(deal_status IN ('won', 'lost', 'rejected'), false)
            THEN 'sql'
        WHEN deal_status = 'won' THEN 'customer'
        WHEN deal_status = 'lost'
            AND NOT coalesce(days_since_last_touch >= 90 AND NOT is_competitor AND seniority <> 'student'
                             AND NOT disqualified, false)
            THEN 'closed_lost'
        WHEN NOT is_competitor AND seniority <> 'student' AND NOT disqualified
            AND ((deal_status = 'none' AND sdr_status = 'rejected') OR deal_status = 'rejected'
                 OR (deal_status = 'lost' AND days_since_last_touch >= 90))
            AND NOT coalesce(deal_status = 'none' AND days_since_last_touch >= 30 AND email_verified
                             AND fit_score >= 40 AND employees >= 20
                             AND (demo_requested OR (lead_score >= 50 AND engagement_actions >= 3 AND NOT unsubscribed)), false)
            THEN 'nurture'
        WHEN deal_status IN ('none', 'rejected') AND (is_competitor OR seniority = 'student' OR disqualified)
            THEN 'disqualified'
        ELSE 'no_stage'
    END AS stage,
    count(*) AS records
FROM leads
GROUP BY ALL
"""

# The hand-written query with its cells read exactly, as classify must: TRY_CAST reads '12.7' as 13,
# '1_000' as 1000 and '0x1F' as 31, and ' yes' as no boolean. A plain number is tested and cast, any
# other text matched against the numeral pattern; a boolean compared as written, else trimmed and
# lowered. A reference (how much of the gap is exactness alone), not a goal.
_BLANKS = "' ' || chr(9) || chr(10) || chr(13)"
# Braces doubled: the query is formatted with the file's path, like HAND_QUERY.
_NUMERAL = "'^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{{1,6}})?$'"
_EXACT_INTEGER = (
    "CASE WHEN CELL IS NULL THEN NULL"
    " WHEN NOT (CELL GLOB '*[!0-9]*') AND length(CELL) BETWEEN 1 AND 18 THEN CAST(CELL AS BIGINT)"
    f" WHEN regexp_matches(trim(CELL, {_BLANKS}), {_NUMERAL})"
    f" THEN TRY_CAST(trim(CELL, {_BLANKS}) AS DECIMAL(38, 18)) END"
)
_EXACT_BOOLEAN = (
    "CASE WHEN CELL IS NULL THEN NULL WHEN CELL = 'true' THEN true WHEN CELL = 'false' THEN false"
    f" WHEN lower(trim(CELL, {_BLANKS})) IN ('true', 'yes', '1') THEN true"
    f" WHEN lower(trim(CELL, {_BLANKS})) IN ('false', 'no', '0') THEN false END"
)
EXACT_QUERY = re.sub(
    r"TRY_CAST\((\w+) AS (INTEGER|BOOLEAN)\)",
    lambda m: (_EXACT_INTEGER if m.group(2) == "INTEGER" else _EXACT_BOOLEAN).replace("CELL", m.group(1)),
    HAND_QUERY,
)


@functools.cache
def domains_query() -> tuple[str, list[str]]:
    """EXACT_QUERY reporting, as classify does, which cells are outside their field's domain.

    A flag per field of the bundled definitions, written with plain templates from each
    field's type, bounds and values (not leadspec's compiler): what classify reports is
    then what this query computes, so its time is the floor a DuckDB query meets for the
    issue's report (the hand-written query reads 14 cells loosely and flags none).
    """
    from leadspec.api import load
    from leadspec.config import load_config

    model = load([ROOT / "definitions"], load_config(None)).model
    hand = set(re.findall(r"AS (\w+),?\n", HAND_QUERY))
    raws, flags = [], []
    for item in model.fields.values():
        column = item.crm.get("salesforce", item.id)
        raws.append(f"{column} AS raw_{item.id}")
        written = f"coalesce(trim(raw_{item.id}, {_BLANKS}), '') <> ''"
        missing = "true" if not item.optional else written
        if item.type == "enum":
            values = ", ".join("'" + value.replace("'", "''") + "'" for value in item.values)
            raw, trimmed = f"raw_{item.id}", f"trim(raw_{item.id}, {_BLANKS})"
            flag = f"CASE WHEN {raw} IN ({values}) OR {trimmed} IN ({values}) THEN false ELSE {missing} END"
        else:
            value = (
                item.id
                if item.id in hand
                else (_EXACT_BOOLEAN if item.type == "boolean" else _EXACT_INTEGER).replace(
                    "CELL", f"raw_{item.id}"
                )
            )
            wrong = []
            if item.type != "boolean":
                if item.minimum is not None:
                    wrong.append(f"{value} {'<=' if item.minimum_open else '<'} {item.minimum}")
                if item.maximum is not None:
                    wrong.append(f"{value} {'>=' if item.maximum_open else '>'} {item.maximum}")
                if item.type == "integer":
                    wrong.append(f"{value} <> floor({value})")
            flag = f"CASE WHEN {value} IS NULL THEN {missing} ELSE {' OR '.join(wrong) or 'false'} END"
        flags.append(f"{flag} AS outside_{item.id}")
    query = EXACT_QUERY.replace(
        "\n    FROM read_csv(", ",\n        " + ",\n        ".join(raws) + "\n    FROM read_csv(", 1
    )
    flagged = query.replace(
        "    count(*) AS records", "    " + ",\n    ".join(flags) + ",\n    count(*) AS records", 1
    )
    return flagged, list(model.fields)


BARE_QUERY = "SELECT count(*) FROM read_csv({path}, header = true, all_varchar = true, ignore_errors = true)"

# A DuckDB query in a child of its own: the time inside the query, and its rows.
_DUCKDB_CHILD = """
import json, sys, time
import duckdb
con = duckdb.connect(config={"threads": int(sys.argv[1])})
con.execute("SET enable_progress_bar = false")  # it would print on stdout, before the figures
try:  # DuckDB 2.0 pushes TRY_CAST(cell AS INTEGER) into read_csv as a strict cast: 'n/a' rows vanish
    con.execute("SET disabled_optimizers = 'type_pushdown'")
except duckdb.Error:  # an older DuckDB, without that optimizer
    pass
start = time.perf_counter()
rows = con.execute(sys.argv[2]).fetchall()
print(json.dumps({"seconds": time.perf_counter() - start, "rows": [list(row) for row in rows]}))
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- the files ---------------------------------------------------------------------------------


def _repeat(base: Path, target: Path, rows: int) -> None:
    """`rows` records from copies of `base` (header once), each copy's e-mails and names renumbered.

    DuckDB reads the base file line by line (every line as it is: dirt and
    ragged rows included) and writes the copies; ~1 minute for 10,000,000 rows.
    """
    import duckdb

    with base.open("rb") as handle:
        header = handle.readline()
        base_rows = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    copies = -(-rows // base_rows)
    body = target.with_name(target.name + ".body")
    con = duckdb.connect()
    con.execute(
        "SET enable_progress_bar = false"
    )  # a connection setting: DuckDB refuses it in connect's config
    try:
        # The lines hold no \x01 and no \x02: written with those as delimiter and quote, nothing is quoted.
        con.execute(
            f"""
            COPY (
                SELECT CASE WHEN cut = 0 THEN line
                            ELSE left(line, cut - 1) || ',lead' || id || '@example.com'
                                 || CASE WHEN contains(line, ',Lead ') THEN ',Lead ' || id ELSE '' END
                       END
                FROM (
                    SELECT line, instr(line, ',lead') AS cut, copy * {base_rows} + ordinality - 1 AS id
                    FROM read_csv({_literal(str(base))}, columns = {{'line': 'VARCHAR'}}, header = true,
                                  delim = '\x01', quote = '', escape = '', auto_detect = false,
                                  strict_mode = false) WITH ORDINALITY,
                         range({copies}) AS copies(copy)
                )
                WHERE id < {rows}
            ) TO {_literal(str(body))} (FORMAT CSV, HEADER false, DELIMITER '\x01', QUOTE '\x02')
            """
        )
    finally:
        con.close()
    with target.open("wb") as out, body.open("rb") as rest:
        out.write(header.rstrip(b"\r\n") + b"\n")
        shutil.copyfileobj(rest, out, 1 << 24)
    body.unlink()


def _file(folder: Path, rows: int, base_rows: int = BASE) -> Path:
    """The `rows`-row file in `folder`, made when it is not there yet (past `base_rows`, by repeating that file)."""
    path = folder / f"leads-{rows}.csv"
    if path.exists():
        return path
    if rows <= base_rows:
        print(f"generating {path.name} ...", file=sys.stderr)
        _generate(path, rows, seed=rows)
    else:
        base = _file(folder, base_rows)
        print(f"generating {path.name} from {base.name} (DuckDB) ...", file=sys.stderr)
        _repeat(base, path, rows)
    return path


def _today(folder: Path) -> Path | None:
    """Today's classify (TODAY's src/, schema/ and definitions/) extracted into `folder`; None without git."""
    target = folder / f"leadspec-{TODAY}"
    if (target / "src" / "leadspec").is_dir():
        return target
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", TODAY, "src", "schema", "definitions", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        print(
            f"today's classify left out: git archive {TODAY} failed: {archive.stderr.decode()[:300]}",
            file=sys.stderr,
        )
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Case:
    """One line of the table: a command run on each file."""

    name: str
    threads: int
    kind: str  # classify, today, bare, hand
    out: str | None = None  # classify --out suffix


@dataclass
class Result:
    walls: list[float] = field(default_factory=list)
    queries: list[float] = field(default_factory=list)  # inside the DuckDB query
    rss: int = 0  # KiB, the most of any run
    output: str = ""


def _cases(today: bool) -> list[Case]:
    cases = []
    for threads in THREADS:
        cases.append(Case("leadspec classify (report)", threads, "classify"))
        cases.append(Case("leadspec classify --out stages.csv", threads, "classify", ".csv"))
        cases.append(Case("leadspec classify --out stages.parquet", threads, "classify", ".parquet"))
    if today:
        cases.append(Case(f"today's classify ({TODAY})", 1, "today"))
    for threads in THREADS:
        cases.append(Case("DuckDB bare scan", threads, "bare"))
    for threads in THREADS:
        cases.append(Case("hand-written DuckDB query", threads, "hand"))
    for threads in THREADS:
        cases.append(Case("the same, cells read exactly", threads, "exact"))
    for threads in THREADS:
        cases.append(Case("the same, and every field's domain", threads, "domains"))
    return cases


# Runs the command and reports its wall time and peak RSS. A small process of its own starts it: Linux
# gives a child the peak RSS of the process it was forked from as its starting peak, and this script's
# own (DuckDB and the definitions loaded) would be the floor of every figure.
_WRAPPER = """
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    code = subprocess.call(sys.argv[2:], stdout=out)
    wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a child to its end: wall seconds, peak RSS (KiB) and stdout; SystemExit when it fails."""
    with tempfile.NamedTemporaryFile(prefix="leadspec-bench-", suffix=".out") as out:
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, out.name, *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall, rss, code = done.stdout.split()
        if done.returncode != 0 or code != "0":
            raise SystemExit(f"{' '.join(command)[:300]} failed (exit {code}):\n{done.stderr[-2000:]}")
        return float(wall), int(rss), Path(out.name).read_text(encoding="utf-8")


def _measure(
    case: Case, path: Path, today: Path | None, scratch: Path
) -> tuple[float, float | None, int, str]:
    """One run of `case` on `path`: wall seconds, seconds inside the query (DuckDB cases), peak RSS, output."""
    if case.kind == "classify":
        command = [
            sys.executable,
            "-m",
            "leadspec",
            "classify",
            str(path),
            str(ROOT / "definitions"),
            "--format",
            "json",
            "--threads",
            str(case.threads),
        ]
        target = scratch / f"stages{case.out}" if case.out else None
        if target is not None:
            command += ["--out", str(target)]
        wall, rss, output = _run(command, ROOT)
        if target is not None:
            target.unlink()
        return wall, None, rss, output
    if case.kind == "today":
        assert today is not None
        env = {**os.environ, "PYTHONPATH": str(today / "src")}
        command = [
            sys.executable,
            "-m",
            "leadspec",
            "classify",
            str(path),
            str(today / "definitions"),
            "--format",
            "json",
        ]
        wall, rss, output = _run(command, today, env)
        return wall, None, rss, output
    queries = {"hand": HAND_QUERY, "exact": EXACT_QUERY, "domains": domains_query()[0]}
    query = queries.get(case.kind, BARE_QUERY).format(path=_literal(str(path)))
    wall, rss, output = _run([sys.executable, "-c", _DUCKDB_CHILD, str(case.threads), query], ROOT)
    output = output.strip().splitlines()[-1]  # the last line: nothing DuckDB may print before it
    return wall, json.loads(output)["seconds"], rss, output


def _agreement(report: str, hand: str, fields: Sequence[str] = ()) -> str:
    """Whether a hand-written query counts what classify counts (a check that it is the same rule).

    With `fields`, the query's rows carry a flag per field between the stage and the count
    (`domains_query`): the records outside each field's domain are compared too.
    """
    document = json.loads(report)
    ours = dict(document["stages"])
    ours["no_stage"] = document["no_stage"]["records"]
    ours["outside_scope"] = document["outside_scope"]["records"]
    for several in document["several_stages"]:
        ours[";".join(several["stages"])] = several["records"]
    theirs: dict[str, int] = {}
    for stage, *flags, count in json.loads(hand)["rows"]:
        theirs[str(stage)] = theirs.get(str(stage), 0) + int(count)
        for field_id, flag in zip(fields, flags, strict=True):
            if flag:
                theirs[f"outside {field_id}"] = theirs.get(f"outside {field_id}", 0) + int(count)
    if fields:
        ours.update({f"outside {item['field']}": item["records"] for item in document["outside_domain"]})
    differ = [
        f"{name} {ours.get(name, 0):,} vs {theirs.get(name, 0):,}"
        for name in dict.fromkeys([*ours, *theirs])
        if ours.get(name, 0) != theirs.get(name, 0)
    ]
    same = "the same counts per stage" + (" and outside each domain" if fields else "")
    return same if not differ else "counts differ: " + "; ".join(differ)


# -- the table ------------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def _print(
    sizes: list[int],
    megabytes: dict[int, float],
    cases: list[Case],
    results: dict[tuple[int, int], Result],
    runs: int,
) -> bool:
    """The table, the issue's ratios and whether every goal is met."""
    best = {key: min(result.walls) for key, result in results.items()}
    heads = [f"{size:,} rows ({megabytes[size]:,.0f} MB)" for size in sizes]
    name_width = max(len(case.name) for case in cases)
    print(f"{'':<{name_width}}  {'':>3}" + "".join(f"  {head:>28}" for head in heads))
    print(f"{'':<{name_width}}  {'thr':>3}" + f"  {'wall s':>8} {'query s':>8} {'peak MiB':>10}" * len(sizes))
    for index, case in enumerate(cases):
        line = f"{case.name:<{name_width}}  {case.threads:>3}"
        for size in sizes:
            result = results[(index, size)]
            query = f"{min(result.queries):>8.2f}" if result.queries else f"{'':>8}"
            line += f"  {best[(index, size)]:>8.2f} {query} {result.rss / 1024:>10.0f}"
        print(line)
    print(
        f"(best wall time of {runs} run(s), the whole child process: Python's start-up and loading the "
        "definitions included; query s: inside the DuckDB query alone; peak MiB: max RSS of any run)"
    )

    def find(kind: str, threads: int, out: str | None = None) -> int | None:
        for index, case in enumerate(cases):
            if case.kind == kind and case.threads == threads and case.out == out:
                return index
        return None

    ok = True
    print()
    for size in sizes:
        print(f"Goals at {size:,} rows:")
        report = results[(find("classify", 1), size)].output
        print(
            f"  the hand-written query vs classify: {_agreement(report, results[(find('hand', 1), size)].output)}"
        )
        print(
            "  the hand-written query, cells read exactly, vs classify: "
            f"{_agreement(report, results[(find('exact', 1), size)].output)}"
        )
        print(
            "  the hand-written query with every field's domain vs classify: "
            f"{_agreement(report, results[(find('domains', 1), size)].output, domains_query()[1])}"
        )
        for threads in THREADS:
            ours, hand = best[(find("classify", threads), size)], best[(find("hand", threads), size)]
            met = hand / ours >= GOAL_HAND
            ok = ok and met
            exact, domains = best[(find("exact", threads), size)], best[(find("domains", threads), size)]
            print(
                f"  classify vs the hand-written query, {threads} thread(s): {hand / ours:.2f}x as fast "
                f"({ours:.2f} s vs {hand:.2f} s; goal at least {GOAL_HAND:.0f}x): {_verdict(met)}; "
                f"the hand-written query takes {exact:.2f} s with its cells read exactly ({hand / exact:.2f}x) "
                f"and {domains:.2f} s reporting every field's domain too ({hand / domains:.2f}x), "
                f"classify {domains / ours:.2f}x that"
            )
        today = find("today", 1)
        if today is not None:
            ours, old = best[(find("classify", 1), size)], best[(today, size)]
            met = old / ours >= GOAL_TODAY
            ok = ok and met
            print(
                f"  classify vs today's classify, 1 thread: {old / ours:.2f}x as fast "
                f"({ours:.2f} s vs {old:.2f} s; goal at least {GOAL_TODAY:.0f}x): {_verdict(met)}"
            )
        speedups = {
            kind: best[(find(kind, 1), size)] / best[(find(kind, 2), size)]
            for kind in ("classify", "hand", "bare")
        }
        met = speedups["classify"] >= GOAL_THREADS
        ok = ok and met
        print(
            f"  classify with 2 threads vs 1: {speedups['classify']:.2f}x (goal near-linear, at least "
            f"{GOAL_THREADS}x; on this machine now the hand-written query gets {speedups['hand']:.2f}x, "
            f"the bare scan {speedups['bare']:.2f}x): {_verdict(met)}"
        )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"Memory, peak RSS at {large:,} rows vs {small:,} (goal flat: at most x{GOAL_MEMORY}):")
        for index, case in enumerate(cases):
            if case.kind not in ("classify", "today"):
                continue
            growth = results[(index, large)].rss / results[(index, small)].rss
            met = growth <= GOAL_MEMORY
            if case.kind == "classify":
                ok = ok and met
            print(
                f"  {case.name}, {case.threads} thread(s): {results[(index, small)].rss / 1024:,.0f} -> "
                f"{results[(index, large)].rss / 1024:,.0f} MiB, x{growth:.2f}: {_verdict(met)}"
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="rows in each file, comma-separated (default: 1000000,10000000)")
    parser.add_argument(
        "--runs", type=int, help="runs of each command; the best wall time counts (default: 3)"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate the files into DIR and keep them")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: 250,000 rows (or --sizes), one run"
    )
    parser.add_argument("--base", type=int, default=BASE, help=argparse.SUPPRESS)  # the tests' small repeats
    args = parser.parse_args()
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("cannot import duckdb: pip install -e . (leadspec's classify needs it)", file=sys.stderr)
        return 2
    try:
        sizes = [
            int(size.replace("_", ""))
            for size in (args.sizes or ("250000" if args.quick else "1000000,10000000")).split(",")
        ]
    except ValueError:
        parser.error(
            f"--sizes takes row counts separated by commas, like 1000000,10000000, not {args.sizes!r}"
        )
    if any(size < 1 for size in sizes):
        parser.error("--sizes: every size must be 1 or more")
    sizes = sorted(set(sizes))
    runs = args.runs or (1 if args.quick else 3)
    if runs < 1:
        parser.error("--runs must be 1 or more")
    with tempfile.TemporaryDirectory(prefix="leadspec-classify-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(temporary) / "out"
        scratch.mkdir()
        paths = {size: _file(folder, size, args.base) for size in sizes}
        megabytes = {size: path.stat().st_size / 1e6 for size, path in paths.items()}
        today = _today(folder)
        cases = _cases(today is not None)
        cores = os.cpu_count()
        print(f"{cores} cores; load average {_load()} at the start", file=sys.stderr)
        started = _load()
        results = {(index, size): Result() for index in range(len(cases)) for size in sizes}
        tiny = scratch / "leads-2.csv"
        with paths[sizes[0]].open("rb") as handle:
            tiny.write_bytes(b"".join(handle.readline() for _ in range(3)))
        fixed = {"leadspec classify": [], "python + import duckdb": []}
        for _ in range(runs):  # what every line pays before reading a row
            fixed["leadspec classify"].append(_measure(Case("", 1, "classify"), tiny, today, scratch)[0])
            fixed["python + import duckdb"].append(
                _run([sys.executable, "-c", _DUCKDB_CHILD, "1", "SELECT 1"], ROOT)[0]
            )
        for size in sizes:
            for run in range(runs):
                for index, case in enumerate(cases):
                    print(
                        f"{size:,} rows, run {run + 1}/{runs}: {case.name}, {case.threads} thread(s) ...",
                        file=sys.stderr,
                    )
                    wall, query, rss, output = _measure(case, paths[size], today, scratch)
                    result = results[(index, size)]
                    result.walls.append(wall)
                    if query is not None:
                        result.queries.append(query)
                    result.rss = max(result.rss, rss)
                    result.output = output
    print(
        f"leadspec classify speed (issue 12): {cores} cores, load average {started} at the start, "
        f"{_load()} at the end (1, 5, 15 min)"
    )
    ok = _print(sizes, megabytes, cases, results, runs)
    print(
        "Start-up in these wall times (a 2-record file): "
        + ", ".join(f"{name} {min(walls):.2f} s" for name, walls in fixed.items())
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
