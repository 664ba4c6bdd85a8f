"""Helpers and fixtures for the glossary site tests.

Test modules import the fixtures from here (`from site_support import bundled_site`);
a second conftest would shadow tests/conftest.py. Each built site lives in its own
temporary project (definitions, mkdocs.yml, generated site/, built public/), so the
tests never write into the repository.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, TODAY, Result, run_cli

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile" / "definitions"
PAYLOAD_MARK = "leadspecPwned"

# A small lifecycle, listed out of order on purpose: fresh -> qualified -> sold, with lost,
# nurture and a way back.
HEAD = """leadspec: 1
teams: {marketing: {label: Marketing}, sales: {label: Sales}}
fields:
  score: {label: Score, type: integer, min: 0, max: 100}
  status: {label: Status, type: enum, values: [new, accepted, rejected, won, bad]}
"""

STAGES = """
stages:
  - id: lost
    label: Lost
    owner: sales
    terminal: true
    entry: status == "bad"
  - id: sold
    label: Sold
    owner: sales
    terminal: true
    entry: status == "won"
  - id: nurture
    label: Nurture
    owner: marketing
    entry: status == "rejected"
    exits:
      - {to: fresh, when: score >= 90, set: {status: new}}
  - id: qualified
    label: Qualified
    owner: sales
    entry: status in ["accepted", "won", "rejected"]
    exits:
      - {to: sold, when: status == "won"}
      - {to: nurture, when: status == "rejected"}
  - id: fresh
    label: Fresh
    owner: marketing
    start: true
    entry: status in ["new", "accepted", "bad"] or (status == "rejected" and score >= 90)
    exits:
      - {to: qualified, when: status == "accepted"}
      - {to: lost, when: status == "bad"}
"""


def make_project(root: Path, definitions: Path, mkdocs_yml: Path | None = None) -> Path:
    """A project folder with a copy of `definitions` (and `mkdocs_yml`, if given)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(definitions, root / "definitions")
    if mkdocs_yml is not None:
        shutil.copy(mkdocs_yml, root / "mkdocs.yml")
    return root


def build(project: Path, *args: str) -> Result:
    """`leadspec site build` as of conftest's TODAY, also from a session fixture (set up before
    the autouse fixture that fixes the day for each test), so LS410 does not follow the clock."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("leadspec.calendars.today", lambda: TODAY)
        return run_cli(["site", "build", *args], cwd=project)


@dataclass
class BuiltSite:
    project: Path
    result: Result

    @property
    def public(self) -> Path:
        return self.project / "public"

    def html(self, page: str) -> str:
        return (self.public / page).read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        return sorted(self.public.rglob("*.html"))


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("bundled"), REPO / "definitions", REPO / "mkdocs.yml")
    result = build(project)
    assert result.exit_code == 0, result.stdout + result.stderr
    return BuiltSite(project, result)


# The Funnel health page of the bundled example: the shipped generated history, measured as of
# the morning after the quarter (Chicago time), so the page's figures never follow the clock.
FUNNEL_OPTIONS = ("--as-of", "2026-10-01T09:00-05:00", "--timezone", "America/Chicago")


@pytest.fixture(scope="session")
def funnel_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("funnel"), REPO / "definitions", REPO / "mkdocs.yml")
    shutil.copy(REPO / "examples" / "history.csv", project / "history.csv")
    result = build(project, "--funnel", "history.csv", *FUNNEL_OPTIONS)
    assert result.exit_code == 0, result.stdout + result.stderr
    return BuiltSite(project, result)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("hostile"), HOSTILE)
    result = build(project)
    assert result.exit_code == 0, result.stdout + result.stderr
    return BuiltSite(project, result)


@dataclass
class Scan(HTMLParser):
    """What a browser would treat as markup in one HTML page."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def scan(html: str) -> Scan:
    parser = Scan()
    parser.feed(html)
    parser.close()
    return parser
