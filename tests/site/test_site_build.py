"""`leadspec site build` end to end: strict mkdocs build, offline output, refusals, safe output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_support import (
    HEAD,
    PAYLOAD_MARK,
    STAGES,
    BuiltSite,
    build,
    bundled_site,  # noqa: F401 (fixture)
    hostile_site,  # noqa: F401 (fixture)
    make_project,
    scan,
)

from conftest import REPO, write_definitions
from leadspec.site.build import default_config


def test_bundled_site_builds_every_page(bundled_site: BuiltSite) -> None:
    public = bundled_site.public
    assert "Built the site in public/" in bundled_site.result.stdout
    assert bundled_site.result.stderr in (
        "",
        *(
            f"leadspec: note: the definitions have {n} warning{'s' if n > 1 else ''}; `leadspec check` shows them\n"
            for n in range(1, 100)
        ),
    )
    for page in (
        "index.html",
        "glossary.html",
        "fields.html",
        "picklists.html",
        "sla.html",
        "targets.html",
        "reference/format.html",
        "reference/codes/index.html",
        "reference/codes/ls207.html",
    ):
        assert (public / page).is_file(), page
    fresh = public.parent / "fresh-folder"
    fresh.mkdir()
    assert public.stat().st_mode == fresh.stat().st_mode  # a web server may read it (was 0700)
    fresh.rmdir()
    stages = sorted(path.stem for path in (public / "stages").glob("*.html"))
    assert stages == sorted(
        [
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
    )


def test_abbreviations_carry_their_expansion_on_every_page_that_uses_them(bundled_site: BuiltSite) -> None:
    for page in ("stages/sal.html", "glossary.html", "sla.html", "picklists.html"):
        html = bundled_site.html(page)
        assert '<abbr title="Marketing Qualified Lead">MQL</abbr>' in html, page
    assert '<abbr title="Service level agreement">SLA</abbr>' in bundled_site.html("index.html")
    assert '<abbr title="Marketing Qualified Lead">MQLs</abbr>' in bundled_site.html("glossary.html")


def test_nothing_is_fetched_from_another_site(bundled_site: BuiltSite) -> None:
    for path in bundled_site.pages():
        html = path.read_text(encoding="utf-8")
        for tag, attrs in scan(html).tags:
            for name in ("src", "href"):
                value = attrs.get(name)
                if value is None or (tag == "a" and name == "href"):
                    continue  # links a reader may follow are fine; resources are not
                parts = urlsplit(value)
                assert not parts.scheme and not parts.netloc, f"{path.name}: <{tag} {name}={value}>"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        assert "mermaid" not in html and "cdn." not in html
    for asset in (bundled_site.public / "assets").rglob("*.css"):
        assert "@import url(http" not in asset.read_text(encoding="utf-8")


def test_search_index_finds_stages_terms_and_picklist_values(bundled_site: BuiltSite) -> None:
    index = json.loads((bundled_site.public / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert any(
        doc["location"] == "stages/mql.html" and "Marketing Qualified Lead" in doc["title"] for doc in docs
    )
    text = " ".join(doc["text"] for doc in docs)
    for word in ("budget", "No response after six attempts", "Sales Accepted Lead"):
        assert word in text


def test_dark_and_light_palettes_and_system_fonts(bundled_site: BuiltSite) -> None:
    html = bundled_site.html("index.html")
    assert 'data-md-color-media="(prefers-color-scheme: light)"' in html
    assert 'data-md-color-media="(prefers-color-scheme: dark)"' in html
    assert "data-md-color-scheme" in html and "scheme: slate" not in html


def test_a_bare_mkdocs_build_of_the_committed_pages_works(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    shutil.copytree(REPO / "site", project / "site")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "out")],
        cwd=project,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "stages" / "mql.html").is_file()


def test_the_repository_mkdocs_yml_is_the_default_leadspec_writes() -> None:
    assert (REPO / "mkdocs.yml").read_text(encoding="utf-8") == default_config()


def test_definitions_with_errors_are_not_published(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", REPO / "definitions", REPO / "mkdocs.yml")
    marketing = project / "definitions" / "marketing.yaml"
    marketing.write_text(marketing.read_text(encoding="utf-8").replace("lead_score >= 50", "lead_scor >= 50"))
    result = build(project)
    assert result.exit_code == 1
    assert (
        "LS207" in result.stdout
        and "lead_scor" in result.stdout
        and "did you mean `lead_score`" in result.stdout
    )
    assert "the site was not built" in result.stderr
    assert not (project / "public").exists() and not (project / "site").exists()


def test_warnings_do_not_stop_the_site(hostile_site: BuiltSite) -> None:
    assert hostile_site.result.exit_code == 0
    assert (hostile_site.public / "index.html").is_file()
    assert "note: the definitions have 3 warnings; `leadspec check` shows them" in hostile_site.result.stderr


def test_a_project_without_mkdocs_yml_gets_the_default(hostile_site: BuiltSite) -> None:
    assert (hostile_site.project / "mkdocs.yml").read_text(encoding="utf-8") == default_config()
    assert "wrote mkdocs.yml" in hostile_site.result.stderr


def test_hostile_definitions_are_shown_as_text_and_never_run(hostile_site: BuiltSite) -> None:
    for path in hostile_site.pages():
        page = scan(path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), f"{path.name}: <{tag} {name}>"
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not (value or "").strip().lower().startswith(("javascript:", "data:text")), (
                        path.name,
                        tag,
                        value,
                    )
                if value and PAYLOAD_MARK in value:
                    assert name in ("title", "aria-label"), f"{path.name}: payload in <{tag} {name}>"
            assert tag not in ("iframe", "marquee", "object", "embed", "base"), path.name
            if tag == "img":
                assert attrs.get("src") != "x", path.name
            if tag == "style":
                assert path.name in ("index.html", "targets.html")  # the diagrams' own styles
        assert not any(PAYLOAD_MARK in script for script in page.scripts), path.name
    stage = " ".join(scan(hostile_site.html("stages/prospect.html")).text)
    assert "Paragraph one <script>window.leadspecPwned='definition'</script>." in stage
    assert "[x](javascript:window.leadspecPwned='exit')" in stage
    assert "&lt;script&gt;window.leadspecPwned='entity'&lt;/script&gt;" in stage
    title = re.search(r"<title>(.*?)</title>", hostile_site.html("sla.html"), re.S)
    assert title is not None and "</title" not in title.group(1).lower()
    index = (hostile_site.public / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in json.dumps(json.loads(index)["docs"])  # the search results render HTML


def test_stale_pages_are_removed_and_unchanged_pages_are_not_rewritten(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_definitions(project, {"all.yaml": HEAD + STAGES})
    assert build(project, "--pages-only").exit_code == 0
    lost = project / "site" / "docs" / "stages" / "lost.md"
    mine = project / "site" / "docs" / "notes.md"
    mine.write_text("# Our own notes\n", encoding="utf-8")
    glossary = project / "site" / "docs" / "glossary.md"
    before = glossary.stat().st_mtime_ns
    text = (project / "definitions" / "all.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '  - id: lost\n    label: Lost\n    owner: sales\n    terminal: true\n    entry: status == "bad"\n',
        "",
    )
    text = text.replace('      - {to: lost, when: status == "bad"}\n', "").replace(
        '"new", "accepted", "bad"', '"new", "accepted"'
    )
    text = text.replace(
        "values: [new, accepted, rejected, won, bad]", "values: [new, accepted, rejected, won]"
    )
    (project / "definitions" / "all.yaml").write_text(text, encoding="utf-8")
    result = build(project, "--pages-only")
    assert result.exit_code == 0, result.stdout
    assert lost.exists() is False
    assert mine.read_text(encoding="utf-8") == "# Our own notes\n"  # not ours to remove
    assert glossary.stat().st_mtime_ns != before  # the glossary lost an entry
    again = build(project, "--pages-only")
    assert "(0 files changed)" in again.stdout


def test_output_folder_that_is_not_a_site_build_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_definitions(project, {"all.yaml": HEAD + STAGES})
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "contract.txt").write_text("keep me", encoding="utf-8")
    result = build(project, "--out", str(precious))
    assert result.exit_code == 2
    assert "not empty and holds no earlier site build" in result.stderr
    assert (precious / "contract.txt").read_text(encoding="utf-8") == "keep me"
    refused = build(project, "--out", str(project))
    assert refused.exit_code == 2 and "holds the project" in refused.stderr
    assert (project / "definitions" / "all.yaml").exists()
    done = build(project, "--out", str(tmp_path / "web"))
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "web" / "index.html").is_file()
    assert build(project, "--out", str(tmp_path / "web")).exit_code == 0  # an earlier build is replaced


def test_a_broken_mkdocs_yml_is_reported_plainly(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_definitions(project, {"all.yaml": HEAD + STAGES})
    (project / "mkdocs.yml").write_text("site_name: x\ntheme: {name: no-such-theme}\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 2
    assert (
        "leadspec: mkdocs.yml: Config value 'theme': Unrecognised theme name: 'no-such-theme'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("args", [["site"], ["site", "build", "--help"], ["site", "serve", "--help"]])
def test_site_command_help(args: list[str], tmp_path: Path) -> None:
    from conftest import run_cli

    result = run_cli(args, cwd=tmp_path)
    assert "site" in result.stdout


@pytest.mark.parametrize("url", ["acme.github.io/lead-lifecycle", "ftp://acme.example/", "https://"])
def test_a_site_url_that_is_not_a_web_address_is_refused(tmp_path: Path, url: str) -> None:
    project = tmp_path / "p"
    write_definitions(project, {"all.yaml": HEAD + STAGES})
    result = build(project, "--site-url", url)
    assert result.exit_code == 2
    assert f"leadspec: --site-url {url!r} is not the address of a web site" in result.stderr
    assert "such as https://acme.github.io/lead-lifecycle/" in result.stderr
    assert not (project / "public").exists()
