"""Shared helpers for the diff tests: small definitions, git repositories in tmp_path, placing leads.

Leads are placed with the reference evaluator (`analysis_helpers.stages_of`), never with
the analysis the diff itself uses, so a test that checks a witness checks it independently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))

from analysis_helpers import Built, all_leads, fld, make, meets, stages_of, valid_lead  # noqa: E402
from model_gen import Writer, small_fields  # noqa: E402

__all__ = ["Built", "Writer", "all_leads", "fld", "make", "small_fields", "valid_lead"]

BASE = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
stages:
  - id: response
    label: Response
    owner: marketing
    start: true
    entry: lead_score >= 0
    exits:
      - to: valid_response
        when: email_verified
  - id: valid_response
    label: Valid Response
    owner: marketing
    entry: email_verified
    exits:
      - to: mql
        when: lead_score >= 45
        sla: {within: 1 business day, owner: marketing, calendar: office}
  - id: mql
    label: Marketing Qualified Lead
    abbr: MQL
    owner: marketing
    definition: Someone whose fit and engagement meet the bar.
    entry: email_verified and lead_score >= 45
    terminal: true
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: No budget, api_name: No Budget}
      - {id: bad_timing, label: Bad timing}
teams:
  marketing: {label: Marketing}
calendars:
  office:
    label: Office hours
    timezone: America/New_York
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "09:00", end: "17:00"}
"""

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return result.stdout.strip()


def write(root: Path, text: str, name: str = "lifecycle.yaml") -> None:
    folder = root / "definitions"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def new_repo(root: Path, text: str = BASE) -> str:
    """A repository on branch main with pyproject.toml and one definitions file; returns the commit."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["definitions"]\n', encoding="utf-8")
    write(root, text)
    return commit(root, "first")


def place(built: Built, lead: Mapping[str, Any]) -> tuple[str, str | None]:
    """Where the evaluator puts a lead: ("stage", id), ("none", None), ("outside", None), or ("overlap", ...)."""
    if not meets(built, built.model.lifecycle.scope, lead):
        return ("outside", None)
    found = stages_of(built, lead)
    if not found:
        return ("none", None)
    if len(found) > 1:
        return ("overlap", ",".join(found))
    return ("stage", found[0])


def diff_folders(tmp_path: Path, before: str, after: str, *args: str) -> Any:
    """`leadspec diff base head ARGS` on two folders holding one definitions file each."""
    from conftest import run_cli

    for name, text in (("base", before), ("head", after)):
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / "lifecycle.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    return run_cli(["diff", "base", "head", "--color", "never", *args], cwd=tmp_path)


def valid_on(model: Any, lead: Mapping[str, Any]) -> bool:
    """A lead valid for one side: its values of that side's fields fit (other fields it may have)."""
    return valid_lead(model, {name: value for name, value in lead.items() if name in model.fields})
