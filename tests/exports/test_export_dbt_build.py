"""`leadspec export dbt` run by the real dbt: the package installed in a dbt project over a DuckDB
file of generated leads, `dbt build` gives each lead the stage `leadspec.membership` gives it, its
tests pass on clean data, a cell outside its field's domain only warns (fails when the project sets
`leadspec_outside_severity: error`), and a lead in two stages fails the build.

The leads are the bundled definitions' fields filled at random inside their domains, as a
Salesforce sync writes them (text columns named by the fields' Salesforce API names). The expected
answer is `sql_support.reference` (membership on the cells read as the SQL reads them).
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from leadspec.api import load
from leadspec.config import load_config
from sql.sql_support import Built, reference

REPO = Path(__file__).resolve().parents[2]
Record = dict[str, str]


def _dbt() -> str:
    """The dbt program beside this Python (the test extras install it), else a skip (a failure in CI)."""
    found = Path(sys.executable).with_name("dbt")
    if found.is_file():
        return str(found)
    on_path = shutil.which("dbt")
    if on_path:
        return on_path
    message = "dbt is not installed: pip install 'dbt-core>=1.10,<1.12' dbt-duckdb"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def bundled() -> Built:
    loaded = load([REPO / "definitions"], load_config(start=REPO))
    return Built(loaded.model, dict(loaded.context.exprs))


def _leads(built: Built, count: int, seed: int) -> list[Record]:
    """Leads with every field inside its domain; a few partners (out of scope) and blanks where optional."""
    rng = random.Random(seed)
    leads = []
    for _ in range(count):
        lead: Record = {}
        for field in built.model.fields.values():
            if field.optional and rng.random() < 0.3:
                lead[field.id] = ""
            elif field.type == "boolean":
                lead[field.id] = rng.choice(["true", "false"])
            elif field.type == "enum":
                lead[field.id] = rng.choice(list(field.values))
            else:
                low, high = int(field.minimum or 0), int(min(field.maximum or 1000, 1000))
                lead[field.id] = str(rng.randint(low, high))
        lead["is_partner"] = "true" if rng.random() < 0.1 else "false"
        leads.append(lead)
    return leads


def _dirtied(built: Built, leads: Sequence[Record], field: str, cell: str, stages_met: int) -> Record:
    """A lead in scope that, with `field` set to `cell`, meets `stages_met` stages."""
    for lead in leads:
        changed = {**lead, field: cell}
        _, in_scope, met = reference(built, changed)
        if in_scope and met == stages_met:
            return changed
    raise AssertionError(f"no lead meets {stages_met} stages with {field} = {cell!r}")


def _write_leads(path: Path, built: Built, leads: Sequence[Record]) -> None:
    """The source table crm.leads, replaced, as a Salesforce sync lands it: text columns by API name."""
    columns = {name: field.crm["salesforce"] for name, field in built.model.fields.items()}
    connection = duckdb.connect(str(path))
    try:
        connection.execute("CREATE SCHEMA IF NOT EXISTS crm")
        names = ", ".join(f'"{column}" VARCHAR' for column in columns.values())
        connection.execute(f'CREATE OR REPLACE TABLE crm.leads ("Id" VARCHAR, {names})')
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        connection.executemany(
            f"INSERT INTO crm.leads VALUES ({marks})",
            [[f"00Q{number:06d}", *(lead[name] for name in columns)] for number, lead in enumerate(leads)],
        )
    finally:
        connection.close()


def _expected(built: Built, leads: Sequence[Record]) -> Counter[str | None]:
    return Counter(reference(built, lead)[0] for lead in leads)


def _stages(path: Path) -> Counter[str | None]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        rows = connection.execute("SELECT stage, count(*) FROM main.lead_stages GROUP BY stage").fetchall()
    finally:
        connection.close()
    return Counter({stage: count for stage, count in rows})


def _columns(path: Path) -> list[str]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return [row[0] for row in connection.execute("DESCRIBE main.lead_stages").fetchall()]
    finally:
        connection.close()


def _build(dbt: str, project: Path, *args: str) -> tuple[int, dict[str, str], str]:
    """`dbt ARGS` in the project: (exit code, node -> status from run_results.json, output).

    Nodes are `test.NAME`, `model.NAME`, `seed.NAME`.
    """
    environment = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_USE_COLORS": "false",
        "HOME": str(project),  # nothing lands in the real ~/.dbt
    }
    done = subprocess.run(
        [dbt, *args, "--project-dir", str(project), "--profiles-dir", str(project)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    results: dict[str, str] = {}
    run_results = project / "target" / "run_results.json"
    if args[0] == "build" and run_results.is_file():
        for result in json.loads(run_results.read_text("utf-8"))["results"]:
            kind, _, name = result["unique_id"].split(".")[:3]
            results[f"{kind}.{name}"] = result["status"]
    return done.returncode, results, done.stdout + done.stderr


def _project(tmp_path: Path, package: Path) -> tuple[Path, Path]:
    """The user's dbt project: the package installed from its folder, a DuckDB profile; (folder, database)."""
    project = tmp_path / "shop"
    project.mkdir()
    database = project / "warehouse.duckdb"
    (project / "dbt_project.yml").write_text(
        "name: shop\nversion: '1.0.0'\nconfig-version: 2\nprofile: shop\n", encoding="utf-8"
    )
    (project / "packages.yml").write_text(f"packages:\n  - local: {package}\n", encoding="utf-8")
    (project / "profiles.yml").write_text(
        "shop:\n  target: dev\n  outputs:\n    dev:\n"
        f"      type: duckdb\n      path: {database}\n      threads: 1\n",
        encoding="utf-8",
    )
    return project, database


def _tests(results: Mapping[str, str], status: str) -> set[str]:
    """The tests that ended with `status` (pass, warn, fail)."""
    return {
        node[len("test.") :]
        for node, found in results.items()
        if found == status and node.startswith("test.")
    }


def test_dbt_build_gives_each_lead_its_stage_and_its_tests_catch_dirty_rows(
    tmp_path: Path, bundled: Built
) -> None:
    dbt = _dbt()
    package = tmp_path / "leadspec"
    exported = run_cli(
        ["export", "dbt", "--out", str(package), "--crm", "salesforce", "--source", "crm.leads"], cwd=REPO
    )
    assert exported.exit_code == 0, exported.stdout + exported.stderr

    project, database = _project(tmp_path, package)
    leads = _leads(bundled, 400, seed=12)
    expected = _expected(bundled, leads)
    assert len([stage for stage in expected if stage]) >= 6, expected  # most stages hold some leads
    _write_leads(database, bundled, leads)
    code, _, output = _build(dbt, project, "deps")
    assert code == 0, output

    code, results, output = _build(dbt, project, "build")
    assert code == 0, output
    assert _stages(database) == expected
    assert results["model.lead_stages"] == "success"
    seeds = ["leadspec_picklists", "leadspec_calendars", "leadspec_calendar_days"]
    assert all(results[f"seed.{name}"] == "success" for name in seeds), results
    tests = {node for node in results if node.startswith("test.")}
    outside = [name for name in _columns(database) if name.startswith("outside_")]
    assert len(outside) == 21  # the fields the criteria read (not industry, country)
    assert len(tests) == 4 + len(outside)  # stage, in_scope, stages_met twice, and one per field
    assert len(_tests(results, "pass")) == len(tests), output

    # A lead score that is not a number: its test warns, the build still succeeds.
    dirty = _dirtied(bundled, leads, "lead_score", "n/a", stages_met=1)
    _write_leads(database, bundled, [*leads, dirty])
    code, results, output = _build(dbt, project, "build", "--select", "lead_stages+")
    assert code == 0, output
    assert _tests(results, "warn") == {"leadspec_is_false_lead_stages_outside_lead_score"}, output
    assert _stages(database) == _expected(bundled, [*leads, dirty])
    # unless the project says a dirty cell must stop it
    strict = ["--vars", "{leadspec_outside_severity: error}"]
    code, results, output = _build(dbt, project, "build", "--select", "lead_stages+", *strict)
    assert code == 1, output
    assert _tests(results, "fail") == {"leadspec_is_false_lead_stages_outside_lead_score"}, output

    # A lead in two stages (a blank required cell makes both nurture and mql hold): the build fails.
    overlap = _dirtied(bundled, leads, "days_since_last_touch", "", stages_met=2)
    _write_leads(database, bundled, [*leads, dirty, overlap])
    code, results, output = _build(dbt, project, "build", "--select", "lead_stages+")
    assert code == 1, output
    failed = _tests(results, "fail")
    assert "leadspec_in_at_most_one_stage_lead_stages_stages_met" in failed, output
    # and its stage is no one stage id
    assert {name.split("__")[0] for name in failed} == {
        "leadspec_in_at_most_one_stage_lead_stages_stages_met",
        "accepted_values_lead_stages_stage",
    }
    assert _tests(results, "warn") == {
        "leadspec_is_false_lead_stages_outside_lead_score",
        "leadspec_is_false_lead_stages_outside_days_since_last_touch",
    }
    assert _stages(database) == _expected(bundled, [*leads, dirty, overlap])
    assert ";" in str(reference(bundled, overlap)[0])  # the model says which two stages


# -- the funnel measures as dbt models ------------------------------------------------------------

AS_OF = "2026-10-15T00:00:00Z"
WINDOWS = ("2026-Q3", "2026-07", "2026-08", "2026-09")


def _query(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_dbt_funnel_models_give_the_figures_leadspec_funnel_gives(tmp_path: Path, bundled: Built) -> None:
    """The bundled generated history in the warehouse: volumes, conversion, SLA compliance and open
    breaches built by dbt equal `leadspec funnel --format json` over the same rows."""
    dbt = _dbt()
    with (REPO / "examples" / "history.csv").open(encoding="utf-8", newline="") as handle:
        # The rows a warehouse table can hold: a lead id and an instant (the file's two bad rows are not).
        rows = [r for r in csv.DictReader(handle) if r["lead_id"] and r["entered_at"].endswith("Z")]
    history = tmp_path / "history.csv"
    with history.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    measured = run_cli(
        [
            "funnel",
            str(history),
            "--period",
            "2026-Q3",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--breaches",
            "999",
        ],
        cwd=REPO,
    )
    assert measured.exit_code == 0, measured.stderr
    report = json.loads(measured.stdout)

    package = tmp_path / "leadspec"
    exported = run_cli(
        ["export", "dbt", "--out", str(package), "--crm", "salesforce", "--history", "crm.lead_history"],
        cwd=REPO,
    )
    assert exported.exit_code == 0, exported.stdout + exported.stderr
    project, database = _project(tmp_path, package)
    _write_leads(database, bundled, _leads(bundled, 20, seed=3))
    connection = duckdb.connect(str(database))
    try:
        connection.execute(
            "CREATE TABLE crm.lead_history (lead_id VARCHAR, stage VARCHAR, entered_at TIMESTAMPTZ, "
            "reason VARCHAR, owner VARCHAR)"
        )
        connection.executemany(
            "INSERT INTO crm.lead_history VALUES (?, ?, ?, ?, ?)",
            [[r["lead_id"], r["stage"], r["entered_at"], r["reason"], r["owner"]] for r in rows],
        )
    finally:
        connection.close()
    code, _, output = _build(dbt, project, "deps")
    assert code == 0, output
    code, results, output = _build(dbt, project, "build", "--vars", f"{{leadspec_as_of: '{AS_OF}'}}")
    assert code == 0, output
    funnel_models = [
        "leadspec_history",
        "leadspec_stays",
        "leadspec_funnel_volumes",
        "leadspec_funnel_conversion",
        "leadspec_sla_clocks",
        "leadspec_sla_compliance",
        "leadspec_open_breaches",
    ]
    assert all(results[f"model.{name}"] == "success" for name in funnel_models), results
    windows = ", ".join(f"'{w}'" for w in WINDOWS)

    expected_volumes = {
        (v["window"], v["stage"]): (v["entered"], v["leads"]) for v in report["volumes"] if v["entered"]
    }
    volumes = _query(
        database,
        f"SELECT period, stage, entered, leads FROM main.leadspec_funnel_volumes WHERE period IN ({windows})",
    )
    assert {(p, s): (e, n) for p, s, e, n in volumes} == expected_volumes
    assert expected_volumes[("2026-Q3", "response")][0] > 300

    expected_conversion = {
        (c["window"], c["from"], c["to"]): (
            c["cohort"],
            c["reached"],
            c["still_in"],
            c["median_seconds"],
            c["p90_seconds"],
        )
        for c in report["conversion"]
        if c["cohort"]
    }
    conversion = _query(
        database,
        "SELECT period, stage, to_stage, entered, reached, still_in, median_us, p90_us "
        f"FROM main.leadspec_funnel_conversion WHERE period IN ({windows})",
    )
    found = {(p, s, t): (e, r, i, m, q) for p, s, t, e, r, i, m, q in conversion}
    assert found.keys() == expected_conversion.keys()
    for key, (entered, reached, still_in, median, p90) in found.items():
        cohort, hit, waiting, seconds, p90_seconds = expected_conversion[key]
        assert (entered, reached, still_in) == (cohort, hit, waiting), key
        assert (median is None) == (seconds is None) and (
            median is None or abs(median / 1e6 - seconds) < 0.1
        ), key
        assert (p90 is None) == (p90_seconds is None) and (
            p90 is None or abs(p90 / 1e6 - p90_seconds) < 0.1
        ), key

    counts = ("entered", "met", "missed", "overdue", "pending", "unknown", "escalations_due")
    expected_compliance = {
        (c["window"], c["sla"]): tuple(c[name] for name in counts)
        for c in report["sla_compliance"]
        if c["entered"]
    }
    compliance = _query(
        database,
        f"SELECT period, sla_key, {', '.join(counts)} FROM main.leadspec_sla_compliance WHERE period IN ({windows})",
    )
    assert {(p, k): tuple(rest) for p, k, *rest in compliance} == expected_compliance
    assert expected_compliance[("2026-Q3", "mql->sal")][1] > 0  # leads the SDRs acted on in time

    breaches = _query(
        database,
        "SELECT lead_id, sla_key, owed_by, due_at FROM main.leadspec_open_breaches "
        "ORDER BY due_at, entered_at, lead_id, sla",
    )
    assert report["open_breaches"]["total"] == len(breaches) > 0
    assert [(b["lead_id"], b["sla"], b["owner"], b["due_at"]) for b in report["open_breaches"]["shown"]] == [
        (lead, key, owner, due.astimezone(UTC).isoformat().replace("+00:00", "Z"))
        for lead, key, owner, due in breaches
    ]
