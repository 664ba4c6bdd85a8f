"""The Funnel health page (`leadspec site build --funnel HISTORY`): the same figures as `leadspec funnel`.

The page is checked against `leadspec funnel --format json` over the same history, figure by
figure: each chart's bars and each table under it. Only the built HTML is read, as a visitor
gets it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from site_support import (
    FUNNEL_OPTIONS,
    HEAD,
    STAGES,
    BuiltSite,
    build,
    funnel_site,  # noqa: F401 (fixture)
    make_project,
    scan,
)

from conftest import REPO, run_cli, write_definitions

BAR_W = 360  # the width of 100% in the percentage charts


@dataclass
class Page(HTMLParser):
    """The charts' rows (their data-* figures and bars) and the tables, as a browser shows them."""

    charts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tables: list[list[list[str]]] = field(default_factory=list)
    _chart: str | None = None
    _row: list[str] | None = None
    _cell: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "svg":
            self._chart = values.get("data-chart")
            if self._chart:
                self.charts[self._chart] = []
        elif tag == "g" and self._chart and "ls-f-row" in values.get("class", ""):
            row = {name.removeprefix("data-"): v for name, v in values.items() if name.startswith("data-")}
            self.charts[self._chart].append({**row, "bars": []})
        elif tag == "rect" and self._chart and values.get("data-kind"):
            self.charts[self._chart][-1]["bars"].append((values["data-kind"], float(values["width"])))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def table(self, *header: str) -> list[dict[str, str]]:
        """The first table whose header starts with these names, as one dict per row."""
        for rows in self.tables:
            if tuple(rows[0][: len(header)]) == header:
                return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        raise AssertionError(f"no table headed {header}: {[rows[0] for rows in self.tables]}")


def read_page(site: BuiltSite) -> Page:
    page = Page()
    page.feed(site.html("funnel.html"))
    page.close()
    return page


@pytest.fixture(scope="module")
def report(funnel_site: BuiltSite) -> dict[str, Any]:
    result = run_cli(["funnel", "history.csv", *FUNNEL_OPTIONS, "--format", "json"], cwd=funnel_site.project)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def whole(report: dict[str, Any], section: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items of the whole period (the first window)."""
    label = report["period"]["windows"][0]["label"]
    return [item for item in section if item["window"] == label]


def share(cell: str) -> float:
    return float(cell.removesuffix("%").replace(",", "")) / 100


def test_volume_chart_and_table_hold_the_reports_figures(
    funnel_site: BuiltSite, report: dict[str, Any]
) -> None:
    page = read_page(funnel_site)
    expected = [v for v in whole(report, report["volumes"]) if v["entered"] or v["target"]]
    rows = page.charts["volumes"]
    assert [row["stage"] for row in rows] == [v["stage"] for v in expected]
    biggest = max(max(v["entered"], v["target"] or 0) for v in expected)
    for row, volume in zip(rows, expected, strict=True):
        assert int(row["entered"]) == volume["entered"]
        assert row["target"] == ("" if volume["target"] is None else str(volume["target"]))
        bars = dict(row["bars"])
        # Bars drawn to scale (a bar is at least 1 px wide, so a nil one still shows).
        assert bars["actual"] == pytest.approx(max(volume["entered"] * BAR_W / biggest, 1), abs=0.06)
        if volume["target"] is not None:
            assert bars["target"] == pytest.approx(volume["target"] * BAR_W / biggest, abs=0.06)
    table = page.table("Stage", "Entered", "Leads", "Target")
    assert len(table) == len(expected)
    for line, volume in zip(table, expected, strict=True):
        assert line["Entered"] == f"{volume['entered']:,}"
        assert line["Leads"] == f"{volume['leads']:,}"
        assert line["Target"] == ("-" if volume["target"] is None else f"{volume['target']:,}")
    assert page.charts["volumes"][0]["stage"] == "response" and table[0]["Stage"] == "Response"


def test_conversion_chart_and_table_hold_the_reports_figures(
    funnel_site: BuiltSite, report: dict[str, Any]
) -> None:
    page = read_page(funnel_site)
    expected = [c for c in whole(report, report["conversion"]) if c["cohort"]]
    rows = page.charts["conversion"]
    assert [(row["from"], row["to"]) for row in rows] == [(c["from"], c["to"]) for c in expected]
    for row, item in zip(rows, expected, strict=True):
        assert (int(row["cohort"]), int(row["reached"])) == (item["cohort"], item["reached"])
        assert (float(row["target"]) if row["target"] else None) == item["target"]
        (bar,) = row["bars"]
        assert bar[1] == pytest.approx(max(item["rate"] * BAR_W, 1), abs=0.1)
    table = page.table("Hand-off", "Cohort", "Reached", "Rate", "Target")
    for line, item in zip(table, expected, strict=True):
        assert (line["Cohort"], line["Reached"]) == (f"{item['cohort']:,}", f"{item['reached']:,}")
        assert share(line["Rate"]) == pytest.approx(item["rate"], abs=0.0006)
        assert line["Target"] == "-" if item["target"] is None else share(line["Target"]) == item["target"]
        assert line["Still in"] == f"{item['still_in']:,}"
    assert len(table) == len(expected)


def test_sla_chart_and_table_hold_the_reports_figures(funnel_site: BuiltSite, report: dict[str, Any]) -> None:
    page = read_page(funnel_site)
    expected = whole(report, report["sla_compliance"])
    rows = page.charts["compliance"]
    assert [row["sla"] for row in rows] == [c["sla"] for c in expected]
    kinds = ("met", "missed", "overdue", "pending", "unknown")
    for row, item in zip(rows, expected, strict=True):
        assert {k: int(row[k]) for k in ("entered", *kinds)} == {k: item[k] for k in ("entered", *kinds)}
        # One bar per verdict with leads, as wide as its share of the leads that entered.
        widths = dict(row["bars"])
        assert set(widths) == {k for k in kinds if item[k]}
        for kind, width in widths.items():
            assert width == pytest.approx(item[kind] * BAR_W / item["entered"], abs=0.06)
    table = page.table("SLA", "Within", "Owed by", "Entered")
    assert len(table) == len(expected)
    for line, item in zip(table, expected, strict=True):
        assert [line[k.title()] for k in ("entered", *kinds[:4])] == [
            f"{item[k]:,}" for k in ("entered", *kinds[:4])
        ]
        assert share(line["Kept"]) == pytest.approx(item["kept"], abs=0.0006)
        assert line["Escalations"] == f"{item['escalations_due']:,}"


def test_open_breaches_reasons_and_data_quality_as_the_report_lists_them(
    funnel_site: BuiltSite, report: dict[str, Any]
) -> None:
    page = read_page(funnel_site)
    breaches = page.table("Lead", "Stage", "SLA", "Owed by", "Due")
    shown = report["open_breaches"]["shown"]
    assert [line["Lead"] for line in breaches] == [b["lead_id"] for b in shown]  # oldest deadline first
    assert [line["Due"] for line in breaches] == [b["due_at"] for b in shown]
    text = " ".join(" ".join(scan(funnel_site.html("funnel.html")).text).split())
    more = report["open_breaches"]["total"] - len(shown)
    assert more > 0 and f"... and {more} more" in text
    reasons = page.table("Reason kind", "Exit", "Reason", "Leads")
    assert sum(int(line["Leads"]) for line in reasons) == sum(
        r["count"] for r in whole(report, report["reasons"])
    )
    quality = report["data_quality"]
    for stray in quality["transitions_not_allowed"]:
        assert f"e.g. {', '.join(stray['example_lead_ids'])}" in text
    for unknown in quality["unknown_stage_values"]:
        assert f"stage value '{unknown['value']}'" in text
    for bad in quality["bad_rows"]:
        assert f"history.csv:{bad['row']}: {bad['why']}" in text
    # Each month of the quarter has its own tables.
    months = [w["label"] for w in report["period"]["windows"][1:]]
    assert months == ["2026-07", "2026-08", "2026-09"]
    for month in months:
        assert f"Volumes against the targets, {month}" in text


def test_the_page_is_in_the_navigation_and_every_chart_has_a_text_alternative(funnel_site: BuiltSite) -> None:
    html = funnel_site.html("funnel.html")
    found = scan(html)
    svgs = [attrs for tag, attrs in found.tags if tag == "svg" and attrs.get("data-chart")]
    assert [svg["data-chart"] for svg in svgs] == ["volumes", "conversion", "compliance"]
    ids = {attrs.get("id") for _, attrs in found.tags}
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = (svg["aria-labelledby"] or "").split()
        assert title in ids and desc in ids
    assert "Funnel health" in funnel_site.html("index.html")  # the navigation names it
    assert "Funnel health: funnel.md" in (funnel_site.project / "site" / "nav.yml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q3"], "--period is an option of the Funnel health page: give the stage history"),
        (["--funnel", "nowhere.csv"], "nowhere.csv: no such file"),
        (["--funnel", "history.csv", "--as-of", "yesterday"], '--as-of "yesterday" is not a date and time'),
        (["--funnel", "history.csv", "--period", "2026-Q5"], "2026-Q5"),
        (["--funnel", "history.csv", "--timezone", "Mars/Olympus"], "--timezone"),
    ],
)
def test_bad_funnel_options_exit_2_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    project = make_project(tmp_path / "p", REPO / "definitions")
    (project / "history.csv").write_text("lead_id,stage,entered_at\nL1,MQL,2026-07-01T10:00:00Z\n")
    result = build(project, "--pages-only", *args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site" / "docs" / "funnel.md").exists()


def test_history_values_show_as_text_never_as_markup(tmp_path: Path) -> None:
    """Lead ids, reasons and stage values come from a CRM export: the page shows them as written."""
    project = make_project(tmp_path / "p", REPO / "definitions")
    (project / "history.csv").write_text(
        "lead_id,stage,entered_at,reason\n"
        "<img src=x onerror=alert(1)>,MQL,2026-07-01T15:00:00Z,\n"
        "<img src=x onerror=alert(1)>,Customer,2026-07-02T15:00:00Z,\n"
        "L|2,*Evangelist* <b>x</b>,2026-07-03T15:00:00Z,\n"
        "L3,Response,2026-07-03T15:00:00Z,\n"
        "L3,Disqualified,2026-07-03T16:00:00Z,[click](javascript:alert(2))\n",
        encoding="utf-8",
    )
    result = build(project, "--funnel", "history.csv", "--period", "2026-Q3", *FUNNEL_OPTIONS)
    assert result.exit_code == 0, result.stderr
    found = scan((project / "public" / "funnel.html").read_text(encoding="utf-8"))
    assert not [tag for tag, _ in found.tags if tag in ("img", "b")]
    assert not [script for script in found.scripts if "alert" in script]
    assert not [
        attrs for tag, attrs in found.tags if tag == "a" and "javascript" in (attrs.get("href") or "")
    ]
    text = " ".join(" ".join(found.text).split())
    assert "e.g. <img src=x onerror=alert(1)>" in text  # MQL straight to Customer, with the lead id
    assert "stage value '*Evangelist* <b>x</b>'" in text
    assert "[click](javascript:alert(2))" in text  # an unknown reason, as recorded


def test_definitions_without_targets_or_slas_get_the_charts_they_can_have(tmp_path: Path) -> None:
    folder = write_definitions(tmp_path / "p", {"all.yaml": HEAD + STAGES})
    project = folder.parent
    (project / "history.csv").write_text(
        "lead_id,stage,entered_at\nA,Fresh,2026-07-01T10:00:00Z\nA,Qualified,2026-07-02T10:00:00Z\n"
        "B,Fresh,2026-07-03T10:00:00Z\n",
        encoding="utf-8",
    )
    result = build(project, "--funnel", "history.csv", "--as-of", "2026-10-01T00:00Z")
    assert result.exit_code == 0, result.stderr
    site = BuiltSite(project, result)
    page = read_page(site)
    assert list(page.charts) == ["volumes", "conversion"]  # no SLA: no compliance chart
    assert [(row["stage"], row["entered"], row["target"]) for row in page.charts["volumes"]] == [
        ("fresh", "2", ""),
        ("qualified", "1", ""),
    ]
    assert [kind for kind, _ in page.charts["volumes"][0]["bars"]] == ["actual"]
    text = " ".join(" ".join(scan(site.html("funnel.html")).text).split())
    assert "with no target to compare with" in text
    assert "The definitions set no SLA." in text
    assert "No lead entered a stage in 2026-08." in text and "No lead entered a stage in 2026-09." in text
