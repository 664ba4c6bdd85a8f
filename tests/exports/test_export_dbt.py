"""`leadspec export dbt`: the files of the package, as dbt reads them (Jinja, YAML, CSV seeds), and the
options a data team types. `test_export_dbt_build.py` runs the package in the real dbt."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import jinja2
import pytest
import sqlglot
import yaml
from export_cases import DEFINITIONS, export, project, tree

from conftest import run_cli
from leadspec.api import load
from leadspec.config import load_config
from leadspec.membership import Membership
from leadspec.sql import compile_select

REPO = Path(__file__).resolve().parents[2]
DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "databricks", "spark", "redshift")

# An enum value dbt's Jinja would read as a template, and a lifecycle whose first match wins.
JINJA_DEFINITIONS = """\
leadspec: 1
lifecycle: {policy: first_match}
fields:
  lead_score: {label: "Score {{ of the lead }}", type: integer, min: 0, max: 100, crm: {hubspot: hs_score}}
  source: {label: Source, type: enum, values: ["{{ web }}", "{% raw %}", event], optional: true}
stages:
  - id: lead
    label: Lead
    start: true
    entry: lead_score < 50 or source == "{{ web }}"
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    start: true
    entry: lead_score >= 50
    terminal: true
"""


def _rendered(sql: str, source: str = "crm.leads") -> str:
    """The model as dbt compiles it: Jinja run, `source()` replaced by the table."""
    environment = jinja2.Environment()
    return environment.from_string(sql).render(source=lambda *_: source)


def _body(sql: str) -> str:
    """The SQL without the leading comment lines."""
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--"))


def _rule(root: Path) -> Membership:
    loaded = load([root / "definitions"], load_config(start=root))
    return Membership(loaded.model, loaded.context.exprs)


def test_the_bundled_package_has_a_model_tests_seeds_and_a_readme(tmp_path: Path) -> None:
    out = tmp_path / "leadspec"
    result = run_cli(["export", "dbt", "--out", str(out), "--crm", "salesforce"], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == f"Exported 10 files for dbt to {out}\n"
    assert sorted(tree(out)) == [
        ".leadspec-export",
        "README.md",
        "dbt_project.yml",
        "macros/leadspec_tests.sql",
        "models/_leadspec.yml",
        "models/lead_stages.sql",
        "seeds/_leadspec_seeds.yml",
        "seeds/leadspec_calendar_days.csv",
        "seeds/leadspec_calendars.csv",
        "seeds/leadspec_picklists.csv",
    ]
    model = (out / "models/lead_stages.sql").read_text("utf-8")
    assert "FROM {{ source('crm', 'leads') }}" in model  # not quoted by sqlglot, left to dbt
    assert '"Lead_Score__c"' in model  # columns by their Salesforce API names
    schema = yaml.safe_load((out / "models/_leadspec.yml").read_text("utf-8"))
    assert schema["sources"][0]["name"] == "crm"
    assert schema["sources"][0]["tables"][0]["name"] == "leads"
    columns = {column["name"]: column["data_tests"] for column in schema["models"][0]["columns"]}
    assert columns["stage"] == [
        {
            "accepted_values": {
                "arguments": {
                    "values": [
                        "response",
                        "valid_response",
                        "mql",
                        "sal",
                        "sql",
                        "customer",
                        "closed_lost",
                        "nurture",
                        "disqualified",
                    ]
                }
            }
        }
    ]
    assert columns["stages_met"] == ["leadspec_in_at_most_one_stage", "leadspec_in_some_stage"]
    assert columns["outside_lead_score"] == [
        {"leadspec_is_false": {"config": {"severity": "{{ var('leadspec_outside_severity', 'warn') }}"}}}
    ]
    assert "industry" not in str(columns)  # no criterion reads it
    project_file = yaml.safe_load((out / "dbt_project.yml").read_text("utf-8"))
    assert project_file["name"] == "leadspec_lifecycle"
    readme = (out / "README.md").read_text("utf-8")
    assert "dbt build --select package:leadspec_lifecycle" in readme
    assert "leadspec_source_schema" in readme


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_model_is_the_compiled_query_for_each_dialect(tmp_path: Path, dialect: str) -> None:
    """Once dbt has put the table in, the model is what `leadspec sql` prints, and the dialect parses it."""
    out = tmp_path / "pkg"
    result = run_cli(
        [
            "export",
            "dbt",
            "--out",
            str(out),
            "--crm",
            "hubspot",
            "--dialect",
            dialect,
            "--source",
            "crm.contacts",
        ],
        cwd=REPO,
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    model = (out / "models/lead_stages.sql").read_text("utf-8")
    assert "{{ source('crm', 'contacts') }}" in model
    rendered = _rendered(model, "crm.contacts")
    printed = run_cli(["sql", "--table", "crm.contacts", "--crm", "hubspot", "--dialect", dialect], cwd=REPO)
    assert printed.exit_code == 0, printed.stderr
    assert _body(rendered).strip() + ";" == printed.stdout.strip()
    sqlglot.parse_one(_body(rendered), read=dialect)


def test_text_that_jinja_would_read_stays_literal(tmp_path: Path) -> None:
    project(tmp_path, JINJA_DEFINITIONS)
    result = export(tmp_path, "dbt", "out", "--crm", "hubspot")
    assert result.exit_code == 0, result.stdout + result.stderr
    model = (tmp_path / "out/models/lead_stages.sql").read_text("utf-8")
    assert "{% raw %}" in model
    rendered = _rendered(model)
    expected = compile_select(
        _rule(tmp_path), {"lead_score": "hs_score", "source": "source"}, "duckdb", "crm.leads"
    )
    assert _body(rendered).strip() == expected.strip()
    assert "'{{ web }}'" in rendered and "'{% raw %}'" in rendered
    schema = yaml.safe_load((tmp_path / "out/models/_leadspec.yml").read_text("utf-8"))
    columns = {column["name"]: column for column in schema["models"][0]["columns"]}
    described = _rendered(columns["outside_lead_score"]["description"])  # dbt renders descriptions too
    assert described.startswith("The hs_score cell is not a value of Score {{ of the lead }} (or is empty")


def test_under_first_match_a_lead_may_meet_two_stages(tmp_path: Path) -> None:
    project(tmp_path, JINJA_DEFINITIONS)
    assert export(tmp_path, "dbt", "out", "--crm", "hubspot").exit_code == 0
    schema = yaml.safe_load((tmp_path / "out/models/_leadspec.yml").read_text("utf-8"))
    columns = {column["name"]: column for column in schema["models"][0]["columns"]}
    assert columns["stages_met"]["data_tests"] == ["leadspec_in_some_stage"]
    assert "first stage met under first_match" in columns["stage"]["description"]
    readme = (tmp_path / "out/README.md").read_text("utf-8")
    assert "leadspec_in_some_stage" in readme and "leadspec_in_at_most_one_stage" not in readme


def test_seeds_hold_the_values_exactly_with_types_in_the_dialect(tmp_path: Path) -> None:
    project(tmp_path)
    result = export(tmp_path, "dbt", "out", "--dialect", "bigquery")
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "out/seeds/leadspec_picklists.csv").read_text("utf-8")))
    )
    assert rows[0] == {
        "picklist": "stages",
        "value": "lead",
        "api_name": "Lead",
        "label": "Lead",
        "deprecated": "false",
        "position": "1",
        "replaced_by": "",
        "next_stage": "",
        "description": "",
    }
    by_value = {row["value"]: row for row in rows}
    assert by_value["competitor"]["label"] == '=HYPERLINK("http://x")'  # no spreadsheet quote: data
    assert by_value["old_reason"]["deprecated"] == "true"
    assert by_value["old_reason"]["replaced_by"] == "price"
    assert by_value["no_budget"]["next_stage"] == "lead"
    seeds = yaml.safe_load((tmp_path / "out/seeds/_leadspec_seeds.yml").read_text("utf-8"))
    assert [seed["name"] for seed in seeds["seeds"]] == ["leadspec_picklists"]  # no calendars: no seed
    assert seeds["seeds"][0]["config"]["column_types"]["label"] == "STRING"
    assert seeds["seeds"][0]["config"]["column_types"]["deprecated"] == "BOOL"


def test_the_calendar_seed_covers_the_years_asked(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = run_cli(["export", "dbt", "--out", str(out), "--crm", "salesforce", "--years", "2027"], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    days = list(csv.DictReader(io.StringIO((out / "seeds/leadspec_calendar_days.csv").read_text("utf-8"))))
    assert len(days) == 2 * 365
    chicago = {row["local_date"]: row for row in days if row["calendar"] == "us_office"}
    assert chicago["2027-11-25"]["working"] == "false"  # Thanksgiving
    assert chicago["2027-11-26"]["working"] == "false"  # the day after
    assert chicago["2027-11-29"]["opens_at"] == "2027-11-29 14:30:00+00:00"  # 08:30 in Chicago (CST)
    assert chicago["2027-07-01"]["opens_at"] == "2027-07-01 13:30:00+00:00"  # 08:30 CDT
    calendars = (out / "seeds/leadspec_calendars.csv").read_text("utf-8")
    assert "us_office,America/Chicago,32400000000,2027-01-01,2027-12-31" in calendars
    default = tmp_path / "default"
    assert run_cli(["export", "dbt", "--out", str(default), "--crm", "salesforce"], cwd=REPO).exit_code == 0
    calendars = (default / "seeds/leadspec_calendars.csv").read_text("utf-8")
    assert "2026-01-01,2028-12-31" in calendars  # the years the bundled calendars list holidays for


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--source", "crm"], "--source 'crm': write SOURCE.TABLE"),
        (["--source", "crm.leads.x"], "--source 'crm.leads.x': write SOURCE.TABLE"),
        (["--dialect", "oracel"], "no SQL dialect called 'oracel'"),
        (["--years", "2030-2020"], "the range ends before it starts; write 2020-2030"),
        (["--years", "soon"], "--years 'soon': write a year or a range of years"),
        (["--years", "2000-2100"], "101 years is more than the 30"),
        (["--model", "lead-stages"], "--model 'lead-stages': a dbt model name is letters"),
        (["--crm", "salesfroce"], "(did you mean salesforce?)"),
        (["--map", "missing.yml"], "cannot read the column map missing.yml"),
        ([], "the fields have API names in several CRMs (hubspot, salesforce)"),
    ],
)
def test_bad_options_exit_2_with_what_to_write(tmp_path: Path, options: list[str], message: str) -> None:
    result = run_cli(["export", "dbt", "--out", str(tmp_path / "out"), *options], cwd=REPO)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_dbt_options_are_refused_for_a_crm(tmp_path: Path) -> None:
    project(tmp_path)
    result = export(tmp_path, "hubspot", "out", "--dialect", "postgres", "--source", "crm.leads")
    assert result.exit_code == 2
    assert "--source, --dialect: only for `leadspec export dbt`, not for hubspot" in result.stderr


def test_broken_definitions_are_refused(tmp_path: Path) -> None:
    project(tmp_path, DEFINITIONS.replace("entry: lead_score < 50", "entry: lead_scor < 50"))
    result = export(tmp_path, "dbt")
    assert result.exit_code == 1
    assert "LS207" in result.stdout
    assert "nothing exported" in result.stderr
    assert not (tmp_path / "out").exists()


def test_check_says_when_the_package_is_out_of_date(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "dbt", "out", "--source", "crm.leads").exit_code == 0
    checked = export(tmp_path, "dbt", "out", "--source", "crm.leads", "--check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    moved = export(tmp_path, "dbt", "out", "--source", "salesforce.lead", "--check")
    assert moved.exit_code == 1
    assert "+  FROM {{ source('salesforce', 'lead') }}" in moved.stdout
    assert "with the same options" in moved.stderr


def test_a_gap_the_team_accepted_is_not_tested_as_an_error(tmp_path: Path) -> None:
    """With LS302 ignored, leads scoring 45 to 49 are meant to be in no stage: no test fails on them."""
    project(tmp_path, DEFINITIONS.replace("entry: lead_score < 50", "entry: lead_score < 45"))
    (tmp_path / "pyproject.toml").write_text('[tool.leadspec]\nignore = ["LS302"]\n', encoding="utf-8")
    result = export(tmp_path, "dbt")
    assert result.exit_code == 0, result.stdout + result.stderr
    schema = yaml.safe_load((tmp_path / "out/models/_leadspec.yml").read_text("utf-8"))
    columns = {column["name"]: column for column in schema["models"][0]["columns"]}
    assert columns["stages_met"]["data_tests"] == ["leadspec_in_at_most_one_stage"]
    project(tmp_path)  # the gap closed again: the test comes back
    assert export(tmp_path, "dbt").exit_code == 0
    schema = yaml.safe_load((tmp_path / "out/models/_leadspec.yml").read_text("utf-8"))
    columns = {column["name"]: column for column in schema["models"][0]["columns"]}
    assert columns["stages_met"]["data_tests"] == ["leadspec_in_at_most_one_stage", "leadspec_in_some_stage"]


def test_columns_named_in_a_map(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "columns.yaml").write_text("SCORE_RAW: lead_score\n", encoding="utf-8")
    result = export(tmp_path, "dbt", "out", "--map", "columns.yaml", "--dialect", "postgres")
    assert result.exit_code == 0, result.stdout + result.stderr
    model = (tmp_path / "out/models/lead_stages.sql").read_text("utf-8")
    assert '"SCORE_RAW"' in model and '"lead_score"' not in model
    schema = yaml.safe_load((tmp_path / "out/models/_leadspec.yml").read_text("utf-8"))
    assert [column["name"] for column in schema["sources"][0]["tables"][0]["columns"]] == ["SCORE_RAW"]
    (tmp_path / "columns.yaml").write_text("SCORE_RAW: lead_scor\n", encoding="utf-8")
    refused = export(tmp_path, "dbt", "out", "--map", "columns.yaml")
    assert refused.exit_code == 2
    assert (
        "the column map names `lead_scor`, which is no field (did you mean `lead_score`?)" in refused.stderr
    )
