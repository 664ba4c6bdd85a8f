"""`leadspec export dbt --history`: the funnel measures as dbt models, each the SQL `leadspec funnel`
runs, for every dialect. `test_export_dbt_build.py` builds them in the real dbt and compares the
figures with `leadspec funnel --format json`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import jinja2
import pytest
import sqlglot
import yaml

from conftest import run_cli
from leadspec.funnel import measures, stays

REPO = Path(__file__).resolve().parents[2]
DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "databricks", "redshift")
MODELS = {
    "leadspec_history",
    "leadspec_stays",
    "leadspec_funnel_volumes",
    "leadspec_funnel_conversion",
    "leadspec_sla_clocks",
    "leadspec_sla_compliance",
    "leadspec_open_breaches",
}


def _export(out: Path, *options: str):  # type: ignore[no-untyped-def]
    return run_cli(["export", "dbt", "--out", str(out), "--crm", "salesforce", *options], cwd=REPO)


def _rendered(sql: str) -> str:
    """The model as dbt compiles it: refs and the source as plain names, the as-of macro a literal."""
    environment = jinja2.Environment()
    return environment.from_string(sql).render(
        ref=lambda name: name,
        source=lambda source, table: f"{source}.{table}",
        leadspec_as_of=lambda: "CAST('2026-10-15 00:00:00+00' AS TIMESTAMPTZ)",
    )


def _normal(sql: str) -> str:
    return sqlglot.parse_one(sql, read="duckdb").sql(dialect="duckdb")


def test_history_adds_the_funnel_models_from_the_funnels_own_sql(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = _export(out, "--history", "crm.lead_history", "--years", "2026")
    assert result.exit_code == 0, result.stdout + result.stderr
    written = {path.stem for path in (out / "models" / "funnel").glob("*.sql")}
    assert written == MODELS
    stays_model = (out / "models/funnel/leadspec_stays.sql").read_text("utf-8")
    assert "{{ ref('leadspec_history') }}" in stays_model and "{{ leadspec_as_of() }}" in stays_model
    # Rendered, the stays model is the very SELECT `leadspec funnel` runs (with the instant filled in).
    expected = stays.STAYS_SELECT.replace("$as_of", "CAST('2026-10-15 00:00:00+00' AS TIMESTAMPTZ)")
    assert _normal(_rendered(stays_model).split("\n", 2)[2]) == _normal(expected)
    volumes = _rendered((out / "models/funnel/leadspec_funnel_volumes.sql").read_text("utf-8"))
    assert _normal(measures.VOLUMES_SQL) in _normal(volumes)
    history = (out / "models/funnel/leadspec_history.sql").read_text("utf-8")
    assert "{{ source('crm', 'lead_history') }}" in history

    schema = yaml.safe_load((out / "models/_leadspec.yml").read_text("utf-8"))
    (crm,) = schema["sources"]  # the history is a second table of the same source
    assert [t["name"] for t in crm["tables"]] == ["leads", "lead_history"]
    assert MODELS <= {m["name"] for m in schema["models"]}

    windows = list(csv.DictReader(io.StringIO((out / "seeds/leadspec_windows.csv").read_text("utf-8"))))
    labels = [w["label"] for w in windows]
    assert labels[:2] == ["2026", "2026-Q1"] and "2026-11" in labels and len(labels) == 1 + 4 + 12
    q3 = next(w for w in windows if w["label"] == "2026-Q3")
    assert (q3["starts_at"], q3["ends_at"]) == ("2026-07-01 00:00:00+00:00", "2026-10-01 00:00:00+00:00")
    slas = list(csv.DictReader(io.StringIO((out / "seeds/leadspec_slas.csv").read_text("utf-8"))))
    mql_sal = next(s for s in slas if s["sla_key"] == "mql->sal")
    assert (mql_sal["owner"], mql_sal["kind"], mql_sal["calendar"]) == ("sdr", "business", "us_office")
    seeds = yaml.safe_load((out / "seeds/_leadspec_seeds.yml").read_text("utf-8"))
    assert {"leadspec_windows", "leadspec_slas", "leadspec_handoffs", "leadspec_stage_exact"} <= {
        s["name"] for s in seeds["seeds"]
    }
    # Without --history the package is what it was.
    plain = _export(tmp_path / "plain")
    assert plain.exit_code == 0
    assert not (tmp_path / "plain" / "models" / "funnel").exists()


def test_periods_at_midnight_in_the_timezone_asked(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = _export(out, "--history", "crm.history", "--years", "2026", "--timezone", "America/Chicago")
    assert result.exit_code == 0, result.stderr
    windows = list(csv.DictReader(io.StringIO((out / "seeds/leadspec_windows.csv").read_text("utf-8"))))
    q3 = next(w for w in windows if w["label"] == "2026-Q3")
    assert (q3["starts_at"], q3["ends_at"]) == ("2026-07-01 05:00:00+00:00", "2026-10-01 05:00:00+00:00")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_funnel_model_parses_in_the_dialect(tmp_path: Path, dialect: str) -> None:
    out = tmp_path / "pkg"
    result = _export(out, "--history", "crm.lead_history", "--dialect", dialect, "--years", "2026")
    assert result.exit_code == 0, result.stderr
    for path in (out / "models" / "funnel").glob("*.sql"):
        sqlglot.parse_one(_rendered(path.read_text("utf-8")), read=dialect)
    macro = (out / "macros/leadspec_funnel.sql").read_text("utf-8")
    assert "{% macro leadspec_as_of() -%}" in macro and "var('leadspec_as_of', none)" in macro


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--history", "history"], "--history 'history': write SOURCE.TABLE"),
        (["--history", "crm.leads"], "--history crm.leads is the leads table (--source)"),
        (["--history", "crm.h", "--timezone", "Mars/Base"], "--timezone:"),
        (["--timezone", "UTC"], "--timezone is the zone of the funnel's periods: give --history too"),
    ],
)
def test_bad_funnel_options_exit_2(tmp_path: Path, options: list[str], message: str) -> None:
    result = _export(tmp_path / "out", *options)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
