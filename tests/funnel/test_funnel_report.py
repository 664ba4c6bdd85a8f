"""`leadspec funnel` over a hand-built history of the bundled definitions, every figure worked out by hand.

Q3 2026 in UTC, as of 1 October 2026 00:00 UTC, broken into months:

- lead A is recycled twice: Response 1 Jul 10:00, Valid Response 12:00, MQL 2 Jul 10:00,
  Nurture 12:00 (rejected: Bad Timing), MQL again 20 Jul 10:00, Nurture 21 Jul 10:00 (no
  reason recorded), MQL a third time 10 Aug 10:00, SAL 12:00, SQL 12 Aug 10:00, Customer
  1 Sep 10:00 (won: Product Fit);
- lead B has no exit time: Response 3 Jul, Valid Response, MQL 5 Jul 10:00 and still there;
- lead C goes from MQL (2 Aug) straight to Customer (5 Aug): no hand-off of the definitions;
- lead D enters Response on 1 Sep, then a stage value the lifecycle does not know (Evangelist);
- one row has a time without a zone (a bad row, no --timezone given).

MQL cohort of the quarter: A's three visits, B, C = 5 stays of 3 leads; to SAL 1 (A's
third, after 2 h), to Nurture 2 (after 2 h and 24 h: median 13 h, p90 2 + 0.9 x 22 = 21.8 h),
to Customer 1 (no hand-off), still in MQL 1 (B).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadspec.api import load
from leadspec.config import Config
from leadspec.targets import reverse_waterfall

REPO = Path(__file__).resolve().parents[2]
ROWS = [
    ("A", "Response", "2026-07-01T10:00:00Z", "", "ann"),
    ("A", "Valid Response", "2026-07-01T12:00:00Z", "", "ann"),
    ("A", "MQL", "2026-07-02T10:00:00Z", "", "sam"),
    ("A", "Nurture", "2026-07-02T12:00:00Z", "Bad Timing", "mia"),
    ("A", "mql", "2026-07-20T10:00:00Z", "", "sam"),
    ("A", "Nurture", "2026-07-21T10:00:00Z", "", "mia"),
    ("A", "MQL", "2026-08-10T10:00:00Z", "", "sam"),
    ("A", "SAL", "2026-08-10T12:00:00Z", "", "sam"),
    ("A", "SQL", "2026-08-12T10:00:00Z", "", "alex"),
    ("A", "Customer", "2026-09-01T10:00:00Z", "Product Fit", "alex"),
    ("B", "Response", "2026-07-03T10:00:00Z", "", ""),
    ("B", "Valid Response", "2026-07-03T11:00:00Z", "", ""),
    ("B", "MQL", "2026-07-05T10:00:00+00:00", "", ""),
    ("C", "Response", "2026-08-01T10:00:00Z", "", ""),
    ("C", "Valid Response", "2026-08-01T11:00:00Z", "", ""),
    ("C", "MQL", "2026-08-02T10:00:00Z", "", ""),
    ("C", "Customer", "2026-08-05T10:00:00Z", "", ""),
    ("D", "Response", "2026-09-01T10:00:00Z", "", ""),
    ("D", "Evangelist", "2026-09-02T10:00:00Z", "", ""),  # row 20
    ("E", "MQL", "2026-09-03 10:00", "", ""),  # row 21: no zone
]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("funnel") / "history.csv"
    lines = ["lead_id,stage,entered_at,reason,owner"] + [",".join(row) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def document(history: Path) -> dict:
    from tests.conftest import run_cli

    result = run_cli(
        ["funnel", str(history), "--period", "2026-Q3", "--as-of", "2026-10-01T00:00Z", "--format", "json"],
        cwd=REPO,
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _pick(items: list[dict], **keys: object) -> dict:
    found = [item for item in items if all(item[k] == v for k, v in keys.items())]
    assert len(found) == 1, (keys, found)
    return found[0]


def test_windows_are_the_quarter_and_its_months(document: dict) -> None:
    assert [w["label"] for w in document["period"]["windows"]] == ["2026-Q3", "2026-07", "2026-08", "2026-09"]
    assert document["history"] == {
        "files": [{"file": document["history"]["files"][0]["file"], "shape": "generic"}],
        "stage_entries": 18,
        "leads": 4,
        "bad_rows": 1,
        "unknown_value_rows": 1,
    }


def test_volumes_count_every_entry_against_the_waterfall(document: dict) -> None:
    waterfall = reverse_waterfall(load([REPO / "definitions"], Config()).model)
    entered = {
        v["stage"]: (v["entered"], v["leads"]) for v in document["volumes"] if v["window"] == "2026-Q3"
    }
    assert entered["response"] == (4, 4)
    assert entered["mql"] == (5, 3)  # A three times, B, C
    assert entered["nurture"] == (2, 1)
    assert entered["customer"] == (2, 2)
    mql = _pick(document["volumes"], window="2026-Q3", stage="mql")
    assert mql["target"] == waterfall.volume("mql").needed
    july = _pick(document["volumes"], window="2026-07", stage="mql")
    assert (july["entered"], july["target"]) == (3, waterfall.needed_per(waterfall.volume("mql"), "month"))
    sdr = _pick(document["capacity"], window="2026-Q3", team="sdr")
    assert (sdr["entered"], sdr["capacity"]) == (5, 600)


def test_conversion_is_cohort_based_per_hand_off(document: dict) -> None:
    to_sal = _pick(document["conversion"], window="2026-Q3", **{"from": "mql", "to": "sal"})
    assert (to_sal["cohort"], to_sal["reached"], to_sal["still_in"], to_sal["rate"], to_sal["target"]) == (
        5,
        1,
        1,
        0.2,
        0.7,
    )
    assert to_sal["median_seconds"] == 2 * 3600
    to_nurture = _pick(document["conversion"], window="2026-Q3", **{"from": "mql", "to": "nurture"})
    assert (to_nurture["reached"], to_nurture["median_seconds"]) == (2, 13 * 3600)
    assert to_nurture["p90_seconds"] == pytest.approx(21.8 * 3600)
    july = _pick(document["conversion"], window="2026-07", **{"from": "mql", "to": "nurture"})
    assert (july["cohort"], july["reached"], july["still_in"]) == (3, 2, 1)
    back = _pick(document["conversion"], window="2026-Q3", **{"from": "nurture", "to": "mql"})
    assert (back["cohort"], back["reached"], back["target"]) == (2, 2, 0.1)


def test_reasons_recycled_and_data_quality(document: dict) -> None:
    reasons = [r for r in document["reasons"] if r["window"] == "2026-07"]
    assert sorted((r["from"], r["to"], r["reason"] or "", r["count"]) for r in reasons) == [
        ("mql", "nurture", "", 1),
        ("mql", "nurture", "bad_timing", 1),
    ]
    won = _pick(document["reasons"], window="2026-09", picklist="win_reason")
    assert (won["from"], won["reason"], won["count"]) == ("sql", "product_fit", 1)
    recycled = document["recycled"]
    assert recycled["won_stage"] == "customer"
    assert _pick(recycled["stages"], window="2026-Q3", stage="mql") == {
        "window": "2026-Q3",
        "stage": "mql",
        "leads": 1,
        "converted": 1,
    }
    assert _pick(recycled["stages"], window="2026-Q3", stage="nurture")["converted"] == 1
    quality = document["data_quality"]
    assert quality["transitions_not_allowed"] == [
        {"from": "mql", "to": "customer", "count": 1, "example_lead_ids": ["C"]}
    ]
    unknown = quality["unknown_stage_values"]
    assert [(u["value"], u["rows"], u["example_lead_ids"], u["first_row"]) for u in unknown] == [
        ("Evangelist", 1, ["D"], 20)
    ]
    assert [(b["row"], "no time zone" in b["why"]) for b in quality["bad_rows"]] == [(21, True)]


def test_the_timezone_reads_times_without_one(history: Path, cli) -> None:
    result = cli(
        [
            "funnel",
            str(history),
            "--period",
            "2026-09",
            "--as-of",
            "2026-10-01T00:00Z",
            "--timezone",
            "America/Chicago",
            "--format",
            "json",
        ],
        cwd=REPO,
    )
    document = json.loads(result.stdout)
    assert document["history"]["bad_rows"] == 0
    # The month's midnights are Chicago's now: 1 Sep 00:00 CDT is 05:00 UTC.
    assert document["period"]["windows"][0]["start"] == "2026-09-01T05:00:00Z"
    assert _pick(document["volumes"], window="2026-09", stage="mql")["entered"] == 1  # E, 3 Sep 10:00 CDT


def test_text_and_markdown_say_the_same_figures(history: Path, cli) -> None:
    text = cli(["funnel", str(history), "--period", "2026-Q3", "--as-of", "2026-10-01T00:00Z"], cwd=REPO)
    assert text.exit_code == 0
    assert "MQL -> Customer: no hand-off of the definitions (e.g. C)" in text.stdout
    assert "1 row with the stage value 'Evangelist', which the lifecycle does not know" in text.stdout
    # Counts are worded as people say them: one row, two bad rows.
    assert ", 1 row with unknown stage values\n" in text.stdout
    assert f"{history}:21: the time 2026-09-03 10:00 has no time zone" in text.stdout
    markdown = cli(
        [
            "funnel",
            str(history),
            "--period",
            "2026-Q3",
            "--as-of",
            "2026-10-01T00:00Z",
            "--format",
            "markdown",
        ],
        cwd=REPO,
    )
    assert markdown.stdout.startswith("# Funnel health review: 2026-Q3\n")
    assert "| MQL -> SAL | 5 | 1 | 20% | 70% | 1 | 2h | 2h |" in markdown.stdout


def test_as_of_earlier_forgets_what_came_later(history: Path, cli) -> None:
    result = cli(
        ["funnel", str(history), "--period", "2026-Q3", "--as-of", "2026-07-02T11:00Z", "--format", "json"],
        cwd=REPO,
    )
    document = json.loads(result.stdout)
    mql = _pick(document["conversion"], window="2026-Q3", **{"from": "mql", "to": "nurture"})
    assert (mql["cohort"], mql["reached"], mql["still_in"]) == (1, 0, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q5"], "is no period"),
        (["--from", "2026-07-01"], "give --period"),
        (["--as-of", "tomorrow"], "is not a date and time"),
        (["--timezone", "America/Chicgo"], "did you mean `America/Chicago`?"),
        (["--snapshot", "2026-07-01=x.csv"], "needs --id"),
    ],
)
def test_bad_options_exit_2_in_words(history: Path, cli, args: list[str], message: str) -> None:
    result = cli(["funnel", str(history), *args], cwd=REPO)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_no_history_exits_2(tmp_path: Path, cli) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("email,score\na@example.com,3\n", encoding="utf-8")
    result = cli(["funnel", str(path)], cwd=REPO)
    assert result.exit_code == 2
    assert "is no stage history leadspec knows" in result.stderr and "'email'" in result.stderr


def test_broken_definitions_are_refused(history: Path, tmp_path: Path, cli) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "leadspec: 1\nstages:\n  - id: mql\n    label: MQL\n    entry: nope >\n", encoding="utf-8"
    )
    result = cli(["funnel", str(history), "--definitions", str(folder)], cwd=tmp_path)
    assert result.exit_code == 1
    assert "no funnel measured" in result.stderr


def test_the_bundled_example_is_what_its_script_writes() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "make_history.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_bundled_example_reports(cli) -> None:
    result = cli(
        ["funnel", "examples/history.csv", "--as-of", "2026-10-01T09:00-05:00", "--format", "json"], cwd=REPO
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["period"]["label"] == "2026-Q3"  # the quarter of the latest entry
    assert document["history"]["leads"] == 401
    assert document["data_quality"]["transitions_not_allowed"][0]["example_lead_ids"] == ["Q-0403"]
    assert datetime.fromisoformat(document["as_of"]) == datetime(2026, 10, 1, 14, tzinfo=UTC)
