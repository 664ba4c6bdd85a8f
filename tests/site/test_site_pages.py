"""The generated pages: what each says, in which order, and that the same definitions give the same bytes."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from site_support import HEAD, STAGES

from conftest import REPO, write_definitions
from leadspec.api import Loaded, load
from leadspec.config import Config
from leadspec.flow import lifecycle_flow
from leadspec.rules import registry
from leadspec.schema import load_schema
from leadspec.site.content import MARKER, generate
from leadspec.site.words import criterion_words

SVG = "{http://www.w3.org/2000/svg}"


def bundled() -> Loaded:
    return load([REPO / "definitions"], Config(root=REPO))


def pages(loaded: Loaded, root: Path = REPO) -> dict[str, str]:
    return generate(loaded.context, root).files


def test_committed_site_source_is_exactly_what_the_definitions_generate() -> None:
    files = pages(bundled())
    committed = {
        path.relative_to(REPO / "site").as_posix(): path.read_text(encoding="utf-8")
        for path in (REPO / "site").rglob("*")
        if path.is_file()
    }
    stale = sorted(set(committed) - set(files))
    missing = sorted(set(files) - set(committed))
    changed = sorted(path for path in set(files) & set(committed) if files[path] != committed[path])
    assert not (stale or missing or changed), (
        "site/ is out of date with the definitions: run `leadspec site build` (or "
        f"`leadspec site build --pages-only`) and commit site/. stale={stale} missing={missing} changed={changed}"
    )


def test_generation_is_the_same_from_any_folder(tmp_path: Path) -> None:
    first = pages(bundled())
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        second = pages(load([REPO / "definitions"], Config(root=REPO)))
    finally:
        os.chdir(previous)
    assert first == second
    assert all(str(REPO) not in text and str(tmp_path) not in text for text in first.values())


def test_every_page_says_it_is_generated_and_has_no_dates() -> None:
    for path, text in pages(bundled()).items():
        if path.endswith(".md") and path.startswith("docs/"):
            assert MARKER in text.split("\n", 8)[:8] or MARKER in text[:300], path
        assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", text), path


def test_navigation_follows_the_lifecycle_not_the_alphabet() -> None:
    loaded = bundled()
    nav = yaml.safe_load(pages(loaded)["nav.yml"])["nav"]
    assert list(nav[0].values()) == ["index.md"]
    stages = next(item["Stages"] for item in nav if isinstance(item, dict) and "Stages" in item)
    order = [next(iter(entry.values())) for entry in stages]
    assert order == [f"stages/{stage_id}.md" for stage_id in lifecycle_flow(loaded.model).order]
    assert order[:4] == ["stages/response.md", "stages/valid_response.md", "stages/mql.md", "stages/sal.md"]
    titles = [next(iter(entry)) for entry in stages]
    assert titles[2] == "Marketing Qualified Lead (MQL)"


def test_stage_page_shows_criteria_as_code_and_as_words() -> None:
    loaded = bundled()
    text = pages(loaded)["docs/stages/mql.md"]
    mql = loaded.model.stage("mql")
    assert mql is not None and mql.entry is not None
    words = criterion_words(mql.entry, loaded.context)
    assert words and "Days since last sales touch is less than 30" in words
    assert f"A lead is in Marketing Qualified Lead when: **{words}**" in text
    # The MQL bar is a named condition: said by its label, linked to its glossary entry.
    assert "or MQL bar is met)" in words
    assert (
        "Named conditions in these criteria: [Someone we may sell to](../glossary.md#condition-sellable), "
        "[MQL bar](../glossary.md#condition-mql_bar)." in text
    )
    assert mql.entry.text.strip() in text  # the exact expression, in a code block
    sal_exit = next(exit for exit in mql.exits if exit.to == "sal")
    assert criterion_words(sal_exit.when, loaded.context) in text
    assert "[Sales development](../sla.md#team-sdr) acts within **1 business day**" in text
    assert "[Chicago office hours](../sla.md#calendar-us_office)" in text
    assert (
        "escalated to [Revenue leadership](../sla.md#team-revenue_leadership) after 2 business days" in text
    )
    assert "- **Owner:** [Marketing](../sla.md#team-marketing)" in text
    assert "`MQL` in the lifecycle stage picklist" in text
    for example in mql.examples:
        assert example.name in text
    assert "[Ideal customer profile](../glossary.md#term-ideal_customer_profile)" in text
    assert (
        "[Lead score](../fields.md#field-lead_score) | `lead_score` | `Lead_Score__c` | `hubspotscore` |"
        in text
    )


def test_home_page_has_the_diagram_and_how_to_propose_a_change() -> None:
    loaded = bundled()
    text = pages(loaded)["docs/index.md"]
    assert text.startswith("---\nhide:\n- toc\n---\n")  # the diagram gets the width of the table of contents
    svg = text[text.index("<svg") : text.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert "Marketing Qualified Lead" in root.find(f"{SVG}desc").text  # type: ignore[union-attr,operator]
    links = {a.get("data-stage"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert links == {stage_id: f"stages/{stage_id}.html" for stage_id in loaded.model.stage_ids}
    arrows = {
        g.find(f"{SVG}title").text: g.get("class")
        for g in root.iter(f"{SVG}g")
        if "ls-arrow" in (g.get("class") or "")
    }  # type: ignore[union-attr]
    assert arrows[
        "Marketing Qualified Lead to Nurture (recycle or return path): Marketing acts within 1 business day"
    ].endswith("recycle")
    assert any(
        title.startswith("Response to Disqualified") and kind.endswith("end")
        for title, kind in arrows.items()
    )
    assert any(
        title.startswith("Marketing Qualified Lead to Sales Accepted Lead") and kind.endswith("forward")
        for title, kind in arrows.items()
    )
    assert "\u2264 1 business day" in svg and "Sales development" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "\n\n" not in svg  # a blank line would end the raw HTML block in Markdown
    assert "## How to propose a change" in text
    assert "`definitions/marketing.yaml`: [Response](stages/response.md)" in text


def test_glossary_lists_every_term_stage_and_picklist_value_alphabetically() -> None:
    loaded = bundled()
    text = pages(loaded)["docs/glossary.md"]
    model = loaded.model
    for term in model.terms.values():
        assert f"{{#term-{term.id}}}" in text
    for stage in model.stages:
        assert f"{{#stage-{stage.id}}}" in text
    for picklist in model.picklists.values():
        for value in picklist.values:
            assert f"{{#value-{picklist.id}-{value.id}}}" in text
    letters = re.findall(r"^## (\S+) \{#letter-", text, re.M)
    assert letters == sorted(letters)
    assert "### Marketing Qualified Lead (MQL) {#stage-mql}" in text
    assert "**Inquiry**: see [Response](stages/response.md)." in text
    assert "also called marketing-qualified lead" in text
    assert "A lead given this reason goes to [Nurture](stages/nurture.md)." in text


def test_deprecated_entries_are_marked_with_their_replacement(tmp_path: Path) -> None:
    extra = """
terms:
  lead_source: {term: Lead source, definition: Where the lead came from.}
  origin:
    term: Origin
    definition: The old word for lead source.
    deprecated: true
    replaced_by: lead_source
picklists:
  why:
    label: Why
    crm: {salesforce: {object: Lead, field: Why__c}}
    values:
      - {id: timing, label: Timing, api_name: Timing, then: nurture}
      - {id: later, label: Later, api_name: Later, then: nurture, deprecated: true, replaced_by: timing}
"""
    folder = write_definitions(tmp_path, {"all.yaml": HEAD + STAGES + extra})
    loaded = load([folder], Config(root=tmp_path))
    assert loaded.report.exit_code == 0, loaded.report.diagnostics
    files = pages(loaded, tmp_path)
    glossary = files["docs/glossary.md"]
    assert "### Origin (deprecated) {#term-origin}" in glossary
    assert "Use [Lead source](#term-lead_source) instead." in glossary
    assert "### Later (Why) (deprecated) {#value-why-later}" in glossary
    assert "Use [Timing](picklists.md#value-why-timing) instead." in glossary
    picklists = files["docs/picklists.md"]
    assert "deprecated: use [Timing](#value-why-timing)" in picklists
    assert "[Nurture](stages/nurture.md) (recycled, kept for later)" in picklists


def test_picklists_say_where_a_rejected_lead_goes() -> None:
    text = pages(bundled())["docs/picklists.md"]
    assert "## Rejection reason {#picklist-rejection_reason}" in text
    row = next(line for line in text.splitlines() if line.startswith("| [No response after six attempts]"))
    assert "`No Response`" in row and "[Nurture](stages/nurture.md) (recycled, kept for later)" in row
    row = next(line for line in text.splitlines() if line.startswith("| [Outside our sales regions]"))
    assert "[Disqualified](stages/disqualified.md) (out for good)" in row
    assert "- Salesforce: object `Lead`, field `Rejection_Reason__c`" in text
    assert (
        "Filled in when a lead goes from [Marketing Qualified Lead](stages/mql.md) to [Nurture](stages/nurture.md)"
        in text
    )


def test_abbreviations_list_feeds_the_tooltips() -> None:
    text = pages(bundled())["abbreviations.md"]
    lines = text.strip().splitlines()
    assert "*[MQL]: Marketing Qualified Lead" in lines
    assert "*[SLA]: Service level agreement" in lines
    assert "*[BANT]: Budget, authority, need and timeframe" in lines
    assert "*[BDR]: Sales development representative" in lines
    assert lines == sorted(lines)
    assert all(re.fullmatch(r"\*\[[A-Za-z0-9&.\- ]+\]: [^\n]+", line) for line in lines)


def test_sla_and_fields_and_targets_pages() -> None:
    files = pages(bundled())
    sla = files["docs/sla.md"]
    assert (
        "| [MQL](stages/mql.md) | [SAL](stages/sal.md) | [Sales development](#team-sdr) | 1 business day | [Chicago office hours](#calendar-us_office) | to [Revenue leadership](#team-revenue_leadership) after 2 business days |"
        in sla
    )
    assert "### Chicago office hours {#calendar-us_office}" in sla
    assert "- Working days: Monday to Friday" in sla
    fields = files["docs/fields.md"]
    assert "## Lead score {#field-lead_score}" in fields
    assert "- Holds: a whole number from 0 to 100" in fields
    assert "- In Salesforce: `Lead_Score__c`" in fields
    targets = files["docs/targets.md"]
    assert "**USD 1,500,000**" in targets and "**50 deals**" in targets
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="ls-chart"' in targets
    assert (
        "| [Sales development](sla.md#team-sdr) | [Marketing Qualified Lead](stages/mql.md) | 600 (6 × 100) |"
        in targets
    )


def test_reference_pages_come_from_the_schema_and_the_rule_docs() -> None:
    files = pages(bundled())
    schema = load_schema()
    text = files["docs/reference/format.md"]
    for key in schema["properties"]:
        assert f"| `{key}` |" in text
    for name, node in schema["$defs"].items():
        assert f"{{#def-{name.replace('_', '-')}}}" in text
        for key in node.get("properties", {}):
            assert f"| `{key}` |" in text
    for module in registry:
        page = files[f"docs/reference/codes/{module.rule.code.lower()}.md"]
        assert page.count(f"# {module.rule.code} {module.rule.name}") == 1
        body = module.doc.split("\n", 1)[1].strip()
        first_section = body.split("\n## ")[0] if body.startswith("## ") else body[:80]
        assert first_section.split("\n")[0] in page
    index = files["docs/reference/codes/index.md"]
    assert all(f"[{module.rule.code}]({module.rule.code.lower()}.md)" in index for module in registry)


def test_diagram_routes_every_kind_of_arrow(tmp_path: Path) -> None:
    """Side stage to end stage runs below the main path; every stage and exit is drawn once."""
    text = (
        (HEAD + STAGES)
        .replace(
            '    entry: status == "bad"\n',
            '    entry: status == "bad" or (status == "rejected" and score < 5)\n',
            1,
        )
        .replace(
            "      - {to: fresh, when: score >= 90, set: {status: new}}\n",
            "      - {to: fresh, when: score >= 90, set: {status: new}}\n      - {to: lost, when: score < 5}\n",
        )
    )
    folder = write_definitions(tmp_path, {"all.yaml": text})
    loaded = load([folder], Config(root=tmp_path))
    assert loaded.report.exit_code == 0, loaded.report.diagnostics
    page = pages(loaded, tmp_path)["docs/index.md"]
    root = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    arrows = [g for g in root.iter(f"{SVG}g") if "ls-arrow " in (g.get("class") or "")]
    assert len(arrows) == sum(len(stage.exits) for stage in loaded.model.stages)
    titles = {g.find(f"{SVG}title").text: g for g in arrows}  # type: ignore[union-attr]
    bus = titles["Nurture to Lost (into an end stage (disqualified, out))"]
    assert bus.get("class") == "ls-arrow ls-arrow-end"
    path = bus.find(f"{SVG}path").get("d")  # type: ignore[union-attr]
    assert path is not None and path.count("L") == 3  # down, across, up: around the main column
    viewbox = [float(part) for part in root.get("viewBox", "").split()]
    for box in root.iter(f"{SVG}rect"):
        assert (
            0 <= float(box.get("x", 0)) and float(box.get("x", 0)) + float(box.get("width", 0)) <= viewbox[2]
        )
        assert (
            0 <= float(box.get("y", 0)) and float(box.get("y", 0)) + float(box.get("height", 0)) <= viewbox[3]
        )
