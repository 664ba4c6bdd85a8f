"""The bundled definitions are the project's own example of a real agreement: they pass clean.

They exercise every part of the format (four team files, calendars, SLAs with
escalations, rejection reasons routed to Nurture, examples, targets), so a
false alarm in any check shows up here first.
"""

from __future__ import annotations

from conftest import REPO, run_cli
from leadspec.api import load
from leadspec.config import load_config


def test_bundled_definitions_have_no_findings_at_all() -> None:
    loaded = load([REPO / "definitions"], load_config(REPO / "pyproject.toml"))
    assert [f"{d.span}: {d.code} {d.message}" for d in loaded.report.diagnostics] == []
    assert len(loaded.report.files) == 4


def test_the_readme_command_checks_them() -> None:
    result = run_cli(["check"], cwd=REPO)
    assert result.exit_code == 0
    assert result.stdout.strip() == "Checked 4 files: no problems found."


def test_hand_offs_into_nurture_are_the_rejection_path() -> None:
    """Nurture takes rejected leads from three teams and sends them back only through
    marketing's MQL bar; that is the path for rejected leads, not a missing one (LS309)."""
    loaded = load([REPO / "definitions"], load_config(REPO / "pyproject.toml"))
    nurture = loaded.model.stage("nurture")
    assert nurture is not None and not nurture.terminal
    into = [s.id for s in loaded.model.stages for e in s.exits if e.to == "nurture"]
    assert len(set(into)) >= 3
    assert not [w for w in loaded.model.waivers if w.code == "LS309"]
