"""`classify --out --keep ID` snapshots of the same records on different days are a stage history for
`leadspec funnel --snapshot`: the round trip a team without field history can run from a cron job.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb

from conftest import REPO, run_cli

SMALL = REPO / "tests" / "classify" / "fixtures" / "small.yaml"
HEADER = "Lead_Score__c,Email_Verified__c,AnnualRevenue,SDR_Status__c,Is_Partner__c,Region__c,Email\n"
# small.yaml: a score of 50 with a verified email is MQL; SDR_Status accepted with no revenue is a small deal.
JULY = "45,true,,open,false,emea,a@example.com\n50,true,,open,false,,b@example.com\n50,false,,open,false,,c@example.com\n"
AUGUST = "60,true,,open,false,emea,a@example.com\n50,true,,accepted,false,,b@example.com\n50,false,,open,false,,c@example.com\n"


def _project(tmp_path: Path) -> Path:
    shutil.copy(SMALL, tmp_path / "defs.yaml")
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\npaths = ['defs.yaml']\n", encoding="utf-8")
    (tmp_path / "july.csv").write_text(HEADER + JULY, encoding="utf-8")
    (tmp_path / "august.csv").write_text(HEADER + AUGUST, encoding="utf-8")
    return tmp_path


def test_two_classify_snapshots_give_funnel_the_transitions(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    # One snapshot as CSV, the other as Parquet; the id column named as the user remembers it.
    first = run_cli(["classify", "july.csv", "--out", "july-out.csv", "--keep", "Email"], cwd=folder)
    assert first.exit_code == 0, first.stderr
    second = run_cli(["classify", "august.csv", "--out", "august.parquet", "--keep", "email"], cwd=folder)
    assert second.exit_code == 0, second.stderr
    with (folder / "july-out.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["row", "stage", "note", "Email"],
            ["2", "cold", "", "a@example.com"],
            ["3", "mql", "", "b@example.com"],
            ["4", "cold", "", "c@example.com"],
        ]
    parquet = duckdb.sql(f"SELECT * FROM '{folder / 'august.parquet'}' ORDER BY row").fetchall()
    assert parquet == [
        (2, "mql", "", "a@example.com"),
        (3, "small_deal", "", "b@example.com"),
        (4, "cold", "", "c@example.com"),
    ]

    result = run_cli(
        [
            "funnel",
            "--snapshot",
            "2026-07-01=july-out.csv",
            "--snapshot",
            "2026-08-01=august.parquet",
            "--id",
            "Email",
            "--period",
            "2026-Q3",
            "--as-of",
            "2026-09-01T00:00Z",
            "--format",
            "json",
        ],
        cwd=folder,
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    entered = {(v["window"], v["stage"]): v["entered"] for v in document["volumes"] if v["entered"]}
    assert entered == {
        ("2026-Q3", "cold"): 2,
        ("2026-Q3", "mql"): 2,
        ("2026-Q3", "small_deal"): 1,
        ("2026-07", "cold"): 2,  # the first snapshot: the day its leads entered
        ("2026-07", "mql"): 1,
        ("2026-08", "mql"): 1,  # a@ scored 60 by August
        ("2026-08", "small_deal"): 1,  # b@ was accepted
    }
    # small.yaml has no exits, so each change is a transition the definitions do not allow, by lead id.
    moves = {
        (t["from"], t["to"]): t["example_lead_ids"]
        for t in document["data_quality"]["transitions_not_allowed"]
    }
    assert moves == {("cold", "mql"): ["a@example.com"], ("mql", "small_deal"): ["b@example.com"]}


def test_keep_names_a_column_the_file_has_and_needs_out(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    missing = run_cli(["classify", "july.csv", "--out", "out.csv", "--keep", "Id"], cwd=folder)
    assert missing.exit_code == 2
    assert "--keep Id: july.csv has no column 'Id'" in missing.stderr and "'Email'" in missing.stderr
    assert not (folder / "out.csv").exists()
    taken = run_cli(["classify", "july.csv", "--out", "out.csv", "--keep", "Email", "Region__c"], cwd=folder)
    assert taken.exit_code == 0, taken.stderr
    assert (folder / "out.csv").read_text(encoding="utf-8").splitlines()[
        0
    ] == "row,stage,note,Email,Region__c"
    alone = run_cli(["classify", "july.csv", "--keep", "Email"], cwd=folder)
    assert alone.exit_code == 2 and "give --out too" in alone.stderr
