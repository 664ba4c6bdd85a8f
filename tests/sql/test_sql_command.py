"""`leadspec sql` as a user runs it: the SQL it prints runs in DuckDB and places the leads."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import sqlglot

from conftest import REPO, run_cli

SMALL = REPO / "tests" / "classify" / "fixtures" / "small.yaml"
HEADER = ["Id", "Lead_Score__c", "Email_Verified__c", "AnnualRevenue", "SDR_Status__c", "Is_Partner__c"]
# Worked out by hand from small.yaml (scope: not is_partner).
ROWS = [
    (["1", "45", "true", "", "open", "false"], "cold"),
    (["2", "50", "yes", "", "open", "false"], "mql"),
    (["3", "50", "true", "", "open", "true"], None),  # a partner: outside the scope
    (["4", "", "true", "1000.5", "accepted", "false"], "big_deal"),
    (["5", "", "true", "1000.49", "accepted", "false"], "small_deal"),
    (["6", "", "true", "", "Accepted", "false"], None),  # wrong case: not a value, in no stage
]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "definitions").mkdir()
    shutil.copy(SMALL, tmp_path / "definitions" / "defs.yaml")
    return tmp_path


def _leads(connection: duckdb.DuckDBPyConnection, name: str = "leads") -> None:
    columns = ", ".join(f'"{column}" VARCHAR' for column in HEADER)
    connection.execute(f"CREATE SCHEMA IF NOT EXISTS crm; CREATE TABLE {name} ({columns})")
    for cells, _ in ROWS:
        connection.execute(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in cells)})", cells)


def test_the_printed_select_runs_in_duckdb_and_gives_each_lead_its_stage(tmp_path: Path) -> None:
    result = run_cli(["sql", "--table", "crm.leads", "--crm", "salesforce"], cwd=_project(tmp_path))
    assert result.exit_code == 0, result.stderr
    connection = duckdb.connect()
    _leads(connection, "crm.leads")
    found = connection.execute(
        f"SELECT Id, stage, in_scope, outside_sdr_status FROM ({result.stdout.rstrip().rstrip(';')}) ORDER BY Id"
    ).fetchall()
    assert [(row[0], row[1]) for row in found] == [(cells[0], stage) for cells, stage in ROWS]
    assert [row[2] for row in found] == [True, True, False, True, True, True]
    assert [row[3] for row in found] == [False] * 5 + [True]


def test_view_written_to_a_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_cli(
        ["sql", "--table", "leads", "--crm", "salesforce", "--view", "lead_stages", "-o", "stages.sql"],
        cwd=project,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    connection = duckdb.connect()
    _leads(connection)
    connection.execute((project / "stages.sql").read_text(encoding="utf-8"))
    counts = dict(connection.execute("SELECT stage, count(*) FROM lead_stages GROUP BY ALL").fetchall())
    assert counts == {"cold": 1, "mql": 1, "big_deal": 1, "small_deal": 1, None: 2}


def test_a_column_map_names_the_columns(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "map.yaml").write_text("Score: lead_score\nSDR: sdr_status\n", encoding="utf-8")
    result = run_cli(["sql", "--table", "leads", "--crm", "hubspot", "--map", "map.yaml"], cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "Score" in result.stdout and "SDR" in result.stdout and "hubspotscore" not in result.stdout


@pytest.mark.parametrize(
    "dialect", ["duckdb", "postgres", "snowflake", "bigquery", "databricks", "spark", "redshift"]
)
def test_every_dialect_parses_back(tmp_path: Path, dialect: str) -> None:
    result = run_cli(
        ["sql", "--table", "leads", "--crm", "salesforce", "--dialect", dialect], cwd=_project(tmp_path)
    )
    assert result.exit_code == 0, result.stderr
    sqlglot.parse_one(result.stdout.rstrip().rstrip(";"), read=dialect)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dialect", "oracel"], "no SQL dialect called 'oracel'"),
        ([], "several CRMs (hubspot, salesforce): say which one the table comes from with --crm NAME"),
        (["--crm", "hubspt"], "(did you mean hubspot?)"),
        (["--crm", "hubspot", "--map", "missing.yaml"], "cannot read the column map missing.yaml"),
        (
            ["--crm", "hubspot", "--map", "map.yaml"],
            "`lead_scor`, which is no field (did you mean `lead_score`?)",
        ),
    ],
)
def test_what_cannot_run_says_why_with_exit_code_2(tmp_path: Path, args: list[str], message: str) -> None:
    project = _project(tmp_path)
    (project / "map.yaml").write_text("Score: lead_scor\n", encoding="utf-8")
    result = run_cli(["sql", "--table", "leads", *args], cwd=project)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_definitions_are_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    path = project / "definitions" / "defs.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("lead_score < 50", "lead_scor < 50"), encoding="utf-8"
    )
    result = run_cli(["sql", "--table", "leads", "--crm", "salesforce"], cwd=project)
    assert result.exit_code == 1
    assert "LS207" in result.stdout and "no SQL written" in result.stderr
