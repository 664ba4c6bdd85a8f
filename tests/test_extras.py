"""An optional part that is not installed is an instruction to install it, never an internal error.

The README's plain install (`pip install .`) has no `site` extra; the packages are hidden
in a fresh interpreter (`sys.modules[name] = None`) to stand for that machine.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, write_definitions
from leadspec.extras import EXTRAS

GOOD = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: everyone
    label: Everyone
    entry: lead_score >= 0
    terminal: true
"""
HIDE = "import sys\nfor name in {hidden!r}: sys.modules[name] = None\n"
RUN = "from leadspec import cli\n{patch}sys.exit(cli.main({argv!r}))\n"


def _run(
    tmp_path: Path, hidden: list[str], argv: list[str], patch: str = ""
) -> subprocess.CompletedProcess[str]:
    write_definitions(tmp_path, {"a.yaml": GOOD})
    code = HIDE.format(hidden=hidden) + RUN.format(argv=argv, patch=patch)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("hidden", "named"),
    [
        (["jinja2"], "the package jinja2,"),
        (["mkdocs"], "the package mkdocs,"),
        (["material", "pymdownx"], "the packages mkdocs-material, pymdown-extensions,"),
    ],
)
@pytest.mark.parametrize("action", [["site", "build"], ["site", "build", "--pages-only"], ["site", "serve"]])
def test_the_site_without_its_extra_says_what_to_install(
    tmp_path: Path, hidden: list[str], named: str, action: list[str]
) -> None:
    result = _run(tmp_path, hidden, action)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert named in result.stderr
    assert "pip install 'leadspec[site]'" in result.stderr and "pip install '.[site]'" in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "mkdocs.yml").exists()  # nothing half-done


def test_an_import_that_slips_past_the_declaration_gets_the_same_words(tmp_path: Path) -> None:
    # A command that forgot `needs=` (or a module reached another way) still names the extra.
    patch = "cli.require = lambda *extras: None\n"
    result = _run(tmp_path, ["jinja2"], ["site", "build", "--pages-only"], patch)
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    assert "needs the package jinja2" in result.stderr and "leadspec[site]" in result.stderr


def test_a_missing_module_of_no_extra_is_still_a_bug(tmp_path: Path) -> None:
    # jinja2 is there but broken (its own dependency is gone): not the user's to fix by an extra.
    result = _run(tmp_path, ["markupsafe"], ["site", "build", "--pages-only"])
    assert result.returncode == 2
    assert "internal error: ModuleNotFoundError" in result.stderr


def test_the_extras_name_the_packages_pyproject_installs() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for extra, part in EXTRAS.items():
        wanted = {
            requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip()
            for requirement in project["optional-dependencies"][extra]
        }
        assert set(part.modules.values()) == wanted, extra
