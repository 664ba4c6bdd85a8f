"""The published pre-commit hook installs and runs as other repositories will use it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
BROKEN = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: everyone
    label: Everyone
    entry: lead_scor >= 0
    terminal: true
"""


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    environment.pop("GITHUB_ACTIONS", None)
    environment.setdefault("GIT_AUTHOR_NAME", "test")
    environment.setdefault("GIT_AUTHOR_EMAIL", "test@example.com")
    environment.setdefault("GIT_COMMITTER_NAME", "test")
    environment.setdefault("GIT_COMMITTER_EMAIL", "test@example.com")
    return environment


def test_manifest_and_config_are_valid(env: dict[str, str]) -> None:
    manifest = _run([*PRE_COMMIT, "validate-manifest", ".pre-commit-hooks.yaml"], REPO, env)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = _run([*PRE_COMMIT, "validate-config", ".pre-commit-config.yaml"], REPO, env)
    assert config.returncode == 0, config.stdout + config.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_try_repo_fails_on_a_broken_definition_and_passes_once_fixed(
    tmp_path: Path, env: dict[str, str]
) -> None:
    project = tmp_path / "company-definitions"
    (project / "definitions").mkdir(parents=True)
    (project / "definitions" / "lifecycle.yaml").write_text(BROKEN)
    _run(["git", "init", "-q"], project, env)
    _run(["git", "add", "."], project, env)

    broken = _run([*PRE_COMMIT, "try-repo", str(REPO), "leadspec", "--all-files"], project, env)
    output = broken.stdout + broken.stderr
    assert broken.returncode == 1, output
    assert "leadspec check" in output and "Failed" in output
    assert "definitions/lifecycle.yaml:7:12: error LS207 there is no field `lead_scor`" in output

    (project / "definitions" / "lifecycle.yaml").write_text(BROKEN.replace("lead_scor ", "lead_score "))
    _run(["git", "add", "."], project, env)
    fixed = _run([*PRE_COMMIT, "try-repo", str(REPO), "leadspec", "--all-files"], project, env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout

    # The fields move to a shared file; a commit that renames one there touches only
    # that file, and the break shows in the other: the hook checks the whole set, not
    # only the files of the commit (pre-commit passes no file names to it).
    fixed_text = BROKEN.replace("lead_scor ", "lead_score ")
    fields, stages = fixed_text.split("stages:\n")
    (project / "definitions" / "fields.yaml").write_text(fields)
    (project / "definitions" / "lifecycle.yaml").write_text("leadspec: 1\nstages:\n" + stages)
    _run(["git", "add", "."], project, env)
    _run(["git", "commit", "-q", "-m", "fields in their own file"], project, env)
    (project / "definitions" / "fields.yaml").write_text(fields.replace("lead_score:", "lead_points:"))
    _run(["git", "add", "definitions/fields.yaml"], project, env)
    renamed = _run([*PRE_COMMIT, "try-repo", str(REPO), "leadspec"], project, env)
    output = renamed.stdout + renamed.stderr
    assert renamed.returncode == 1, output
    assert "definitions/lifecycle.yaml:5:12: error LS207 there is no field `lead_score`" in output
    assert "Checked 2 files: 1 error" in output
