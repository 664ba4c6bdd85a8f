"""`leadspec diff` on the bundled Quillmetric definitions and on this repository's own history."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from leadspec.api import load
from leadspec.config import Config
from leadspec.membership import Membership


def copy_pair(tmp_path: Path) -> tuple[Path, Path]:
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(REPO / "definitions", before)
    shutil.copytree(REPO / "definitions", after)
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    return before, after


def test_raising_the_mql_score_bar_in_the_bundled_lifecycle(tmp_path: Path) -> None:
    before, after = copy_pair(tmp_path)
    marketing = after / "marketing.yaml"
    text = marketing.read_text(encoding="utf-8")
    assert text.count("lead_score >= 50") == 1  # the MQL bar, written once as the condition mql_bar
    marketing.write_text(text.replace("lead_score >= 50", "lead_score >= 55"), encoding="utf-8")
    result = run_cli(["diff", "before", "after", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    assert document["breaking"] == []
    moves = document["movement"]["moves"]
    assert [(m["from"]["stage"], m["to"]["stage"]) for m in moves] == [
        ("mql", "valid_response"),
        ("mql", "nurture"),
    ]
    assert all("Lead score 50 to 54" in m["leads"] for m in moves)
    # Each witness really moves: placed with the evaluator on both sides.
    config = Config(root=tmp_path)
    sides = [load([folder], config) for folder in (before, after)]
    members = [Membership(side.model, side.context.exprs) for side in sides]
    for move in moves:
        lead = move["witness"]
        assert [s.id for s in members[0].stages_of(lead)] == [move["from"]["stage"]]
        assert [s.id for s in members[1].stages_of(lead)] == [move["to"]["stage"]]
    kinds = {c["kind"] for c in document["changes"]}
    assert kinds == {"criteria"}
    # One change, to the condition, naming every criterion that changes with it.
    (change,) = document["changes"]
    assert change["subject"] == "the condition MQL bar (mql_bar)"
    assert change["text"].endswith(
        "used by exit Valid Response → MQL, MQL's entry, exit Nurture → MQL, which change with it"
    )


def test_the_bundled_definitions_against_their_first_commit() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    first = subprocess.run(
        ["git", "log", "--format=%H", "--diff-filter=A", "--", "definitions/shared.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if not first:
        pytest.skip("the history of definitions/ is not available (shallow clone)")
    result = run_cli(["diff", first[-1], "HEAD", "--format", "json"], cwd=REPO)
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["base"]["commit"] == first[-1]
    # The base really was read out of git, and its files are named by the commit, not a temporary folder.
    assert f"{first[-1][:7]}:definitions/shared.yaml" in document["base"]["files"]
    assert document["head"]["exact"] is True
