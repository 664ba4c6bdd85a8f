"""`leadspec owners`, LS421/LS422 and `--required`, as a user meets them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, write_definitions
from leadspec import owners

TEAMS = """leadspec: 1
teams:
  marketing: {label: Marketing, codeowners: ["@acme/marketing"]}
  sdr: {label: Sales development, codeowners: ["@acme/sdr"]}
  sales: {label: Sales, codeowners: ["@acme/sales", "lead@acme.example"]}
fields:
  score: {label: Score, type: integer, min: 0, max: 100}
  accepted: {label: Accepted, type: boolean}
terms:
  icp: {term: Ideal customer profile, definition: The companies we serve best.}
"""
MARKETING = """leadspec: 1
stages:
  - id: mql
    label: MQL
    owner: marketing
    start: true
    entry: score >= 0
    exits:
      - to: sal
        when: accepted
        sla: {within: 4h, owner: sdr}
"""
SDR = """leadspec: 1
stages:
  - id: sal
    label: SAL
    owner: sdr
    terminal: true
    entry: accepted
"""
GLOSSARY = """leadspec: 1
terms:
  roi: {term: Return on investment, definition: What a customer gains.}
"""


def lay_out(root: Path, **extra: str) -> Path:
    write_definitions(
        root,
        {
            "shared.yaml": TEAMS,
            "marketing.yaml": MARKETING,
            "sdr.yaml": SDR,
            **{f"{k}.yaml": v for k, v in extra.items()},
        },
    )
    (root / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    return root


def owner_lines(text: str) -> dict[str, list[str]]:
    lines = {}
    for line in text.splitlines():
        if line.startswith("/"):
            pattern, *handles = line.split()
            lines[pattern] = handles
    return lines


def test_each_kind_of_file_has_its_owners(tmp_path: Path) -> None:
    lay_out(tmp_path, glossary=GLOSSARY)
    result = run_cli(["owners"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = owner_lines(result.stdout)
    # A stage file with a hand-off into another team's stage needs both teams.
    assert lines["/definitions/marketing.yaml"] == ["@acme/marketing", "@acme/sdr"]
    # A stage file with no hand-off out of its team belongs to that team alone.
    assert lines["/definitions/sdr.yaml"] == ["@acme/sdr"]
    # The shared contract belongs to the teams whose stages use it (sales owns no stage).
    assert lines["/definitions/shared.yaml"] == ["@acme/marketing", "@acme/sdr"]
    # A file no stage uses at all (unused terms) belongs to every team owning a stage.
    assert lines["/definitions/glossary.yaml"] == ["@acme/marketing", "@acme/sdr"]
    assert result.stdout.splitlines()[0].startswith(owners.BEGIN)
    assert result.stdout.splitlines()[-1] == owners.END


def test_sla_owner_and_every_handle_of_a_team(tmp_path: Path) -> None:
    sla_to_sales = MARKETING.replace("owner: sdr}", "owner: sales}")
    lay_out(tmp_path)
    (tmp_path / "definitions" / "marketing.yaml").write_text(sla_to_sales, encoding="utf-8")
    lines = owner_lines(run_cli(["owners"], cwd=tmp_path).stdout)
    assert lines["/definitions/marketing.yaml"] == [
        "@acme/marketing",
        "@acme/sdr",
        "@acme/sales",
        "lead@acme.example",
    ]


def test_json_says_why(tmp_path: Path) -> None:
    lay_out(tmp_path)
    data = json.loads(run_cli(["owners", "--format", "json"], cwd=tmp_path).stdout)
    marketing = next(item for item in data["files"] if item["file"] == "definitions/marketing.yaml")
    assert marketing["teams"] == ["marketing", "sdr"]
    assert {"team": "sdr", "reason": "receives the hand-off mql -> sal"} in marketing["because"]


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("definitions/sales.yaml", "/definitions/sales.yaml"),
        ("definitions/team a/sales [old].yaml", "/definitions/team\\ a/sales\\ \\[old\\].yaml"),
        ("definitions/*?.yaml", "/definitions/\\*\\?.yaml"),
        ("definitions/back\\slash.yaml", "/definitions/back\\\\slash.yaml"),
        ("#notes.yaml", "/#notes.yaml"),
    ],
)
def test_patterns_match_only_that_file(path: str, pattern: str) -> None:
    assert owners.pattern(path) == pattern


def test_a_name_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError):
        owners.pattern("definitions/a\nb.yaml")


def test_escaped_file_names_in_the_written_block(tmp_path: Path) -> None:
    lay_out(tmp_path)
    (tmp_path / "definitions" / "sdr.yaml").rename(tmp_path / "definitions" / "sdr team [v2].yaml")
    result = run_cli(["owners"], cwd=tmp_path)
    assert "/definitions/sdr\\ team\\ \\[v2\\].yaml @acme/sdr" in result.stdout


def test_write_keeps_the_users_own_lines_and_check_agrees(tmp_path: Path) -> None:
    lay_out(tmp_path)
    codeowners = tmp_path / ".github" / "CODEOWNERS"
    codeowners.parent.mkdir()
    codeowners.write_text("# ours\n* @acme/admins\n", encoding="utf-8")
    assert run_cli(["owners", "--check"], cwd=tmp_path).exit_code == 1
    assert run_cli(["owners", "--write"], cwd=tmp_path).exit_code == 0
    text = codeowners.read_text(encoding="utf-8")
    assert text.startswith("# ours\n* @acme/admins\n\n" + owners.BEGIN)
    # The user adds a line after the block; a rewrite replaces the block only.
    codeowners.write_text(text + "/docs/ @acme/writers\n", encoding="utf-8")
    (tmp_path / "definitions" / "marketing.yaml").write_text(
        MARKETING.replace("owner: marketing", "owner: sales")
    )
    stale = run_cli(["owners", "--check"], cwd=tmp_path)
    assert stale.exit_code == 1
    assert "-/definitions/marketing.yaml @acme/marketing @acme/sdr" in stale.stdout
    assert "out of date" in stale.stderr
    assert run_cli(["owners", "--write"], cwd=tmp_path).exit_code == 0
    after = codeowners.read_text(encoding="utf-8")
    assert after.startswith("# ours\n* @acme/admins\n")
    assert after.endswith(owners.END + "\n/docs/ @acme/writers\n")
    assert "/definitions/marketing.yaml @acme/sdr @acme/sales lead@acme.example" in after
    assert run_cli(["owners", "--check"], cwd=tmp_path).exit_code == 0
    assert run_cli(["owners", "--write"], cwd=tmp_path).stdout.startswith(
        ".github/CODEOWNERS is already up to date"
    )


def test_write_to_a_configured_path_and_check_a_missing_file(tmp_path: Path) -> None:
    lay_out(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.leadspec]\ncodeowners = "docs/CODEOWNERS"\n')
    missing = run_cli(["owners", "--check"], cwd=tmp_path)
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    assert run_cli(["owners", "--write"], cwd=tmp_path).exit_code == 0
    # docs/ is a place GitHub reads CODEOWNERS from: paths still start at the repository root.
    assert "/definitions/sdr.yaml" in (tmp_path / "docs" / "CODEOWNERS").read_text()
    # Anywhere else, CODEOWNERS describes its own folder, which does not hold the definitions.
    elsewhere = run_cli(["owners", "--write", "elsewhere/CODEOWNERS"], cwd=tmp_path)
    assert elsewhere.exit_code == 2
    assert (
        "definitions/marketing.yaml is outside elsewhere, the folder this CODEOWNERS describes"
        in elsewhere.stderr
    )
    assert not (tmp_path / "elsewhere").exists()


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lay_out(tmp_path)
    codeowners = tmp_path / ".github" / "CODEOWNERS"
    codeowners.parent.mkdir()
    codeowners.write_text("* @acme/admins\n", encoding="utf-8")

    def broken_replace(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run_cli(["owners", "--write"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert codeowners.read_text(encoding="utf-8") == "* @acme/admins\n"
    assert sorted(p.name for p in codeowners.parent.iterdir()) == ["CODEOWNERS"]


def test_a_codeowners_that_cannot_be_read_or_written_is_said_in_plain_words(tmp_path: Path) -> None:
    lay_out(tmp_path)
    (tmp_path / "latin1").write_bytes("* @acme/ventes-\xe9quipe\n".encode("latin-1"))
    unreadable = run_cli(["owners", "--check", "latin1"], cwd=tmp_path)
    assert unreadable.exit_code == 2
    assert "cannot read latin1: it is not UTF-8 text" in unreadable.stderr
    (tmp_path / ".github").write_text("not a folder\n", encoding="utf-8")
    blocked = run_cli(["owners", "--write"], cwd=tmp_path)
    assert blocked.exit_code == 2
    assert "cannot write .github/CODEOWNERS: .github is a file, not a folder" in blocked.stderr
    assert (tmp_path / ".github").read_text(encoding="utf-8") == "not a folder\n"


def test_a_damaged_block_is_not_overwritten(tmp_path: Path) -> None:
    lay_out(tmp_path)
    codeowners = tmp_path / "CODEOWNERS"
    codeowners.write_text(f"{owners.BEGIN}\n/definitions/sdr.yaml @acme/sdr\n/keep/ @acme/admins\n")
    result = run_cli(["owners", "--write"], cwd=tmp_path)
    assert result.exit_code == 2 and "no `# END leadspec owners`" in result.stderr
    assert "/keep/ @acme/admins" in codeowners.read_text()
    check = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert "CODEOWNERS:1:1: error LS421 the leadspec block in CODEOWNERS is damaged" in check.stdout


def test_check_reports_a_stale_codeowners_where_it_differs(tmp_path: Path) -> None:
    lay_out(tmp_path)
    assert run_cli(["owners", "--write"], cwd=tmp_path).exit_code == 0
    assert run_cli(["check"], cwd=tmp_path).exit_code == 0
    (tmp_path / "definitions" / "sdr.yaml").write_text(SDR.replace("    owner: sdr\n", "    owner: sales\n"))
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert result.exit_code == 1
    line = next(
        n
        for n, text in enumerate((tmp_path / ".github" / "CODEOWNERS").read_text().splitlines(), 1)
        if text.startswith("/definitions/marketing.yaml")
    )
    assert (
        f".github/CODEOWNERS:{line}:1: error LS421 CODEOWNERS is out of date with the definitions: "
        "`/definitions/marketing.yaml` should also be owned by @acme/sales lead@acme.example"
    ) in result.stdout
    assert "leadspec owners --write" in run_cli(["check"], cwd=tmp_path).stdout
    assert run_cli(["owners", "--write"], cwd=tmp_path).exit_code == 0
    assert run_cli(["check"], cwd=tmp_path).exit_code == 0


def test_check_names_a_new_file_and_a_removed_one(tmp_path: Path) -> None:
    lay_out(tmp_path)
    run_cli(["owners", "--write"], cwd=tmp_path)
    (tmp_path / "definitions" / "glossary.yaml").write_text(GLOSSARY)
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert "`/definitions/glossary.yaml` is not listed" in result.stdout
    run_cli(["owners", "--write"], cwd=tmp_path)
    (tmp_path / "definitions" / "glossary.yaml").unlink()
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert "`/definitions/glossary.yaml` is listed, but it is no definitions file any more" in result.stdout


def test_check_is_quiet_without_a_block_or_for_part_of_the_definitions(tmp_path: Path) -> None:
    lay_out(tmp_path)
    codeowners = tmp_path / ".github" / "CODEOWNERS"
    codeowners.parent.mkdir()
    codeowners.write_text("* @acme/admins\n")
    assert run_cli(["check"], cwd=tmp_path).exit_code == 0  # CODEOWNERS without the block
    run_cli(["owners", "--write"], cwd=tmp_path)
    (tmp_path / "definitions" / "sdr.yaml").write_text(SDR.replace("    owner: sdr\n", "    owner: sales\n"))
    # One file checked on its own says nothing about the block for the whole set.
    part = run_cli(
        ["check", "--format", "concise", "definitions/marketing.yaml", "definitions/sdr.yaml"], cwd=tmp_path
    )
    assert "LS421" not in part.stdout


def test_a_team_without_a_handle_is_a_warning_once_codeowners_is_used(tmp_path: Path) -> None:
    lay_out(tmp_path)
    (tmp_path / "definitions" / "shared.yaml").write_text(TEAMS.replace(', codeowners: ["@acme/sdr"]', ""))
    assert "LS422" not in run_cli(["check", "--format", "concise"], cwd=tmp_path).stdout
    run_cli(["owners", "--write"], cwd=tmp_path)
    text = (tmp_path / ".github" / "CODEOWNERS").read_text()
    assert (
        "\n# /definitions/sdr.yaml     (no code owner handle for sdr: add `codeowners` to the team)\n" in text
    )
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert result.exit_code == 0
    assert (
        "definitions/shared.yaml:4:8: warning LS422 the team `sdr` must agree to changes of" in result.stdout
    )


def test_nothing_is_written_while_the_definitions_have_errors(tmp_path: Path) -> None:
    lay_out(tmp_path)
    (tmp_path / "definitions" / "sdr.yaml").write_text(SDR.replace("entry: accepted", "entry: acepted"))
    result = run_cli(["owners", "--write"], cwd=tmp_path)
    assert result.exit_code == 1 and "LS207" in result.stdout
    assert not (tmp_path / ".github").exists()


# --- --required -----------------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    lay_out(tmp_path, glossary=GLOSSARY)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "change")
    return tmp_path


def required(root: Path, *extra: str) -> dict[str, object]:
    result = run_cli(["owners", "--required", "--base", "main", "--format", "json", *extra], cwd=root)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_a_changed_hand_off_needs_both_teams(repo: Path) -> None:
    (repo / "definitions" / "marketing.yaml").write_text(MARKETING.replace("within: 4h", "within: 2h"))
    (repo / "definitions" / "sdr.yaml").write_text(SDR.replace("label: SAL", "label: Sales accepted lead"))
    git(repo, "commit", "-qam", "raise the bar")
    data = required(repo)
    assert data["changed"] == ["definitions/marketing.yaml", "definitions/sdr.yaml"]
    teams = {item["team"]: item for item in data["required"]}  # type: ignore[union-attr]
    assert list(teams) == ["marketing", "sdr"]
    assert {"file": "definitions/marketing.yaml", "reason": "receives the hand-off mql -> sal"} in teams[
        "sdr"
    ]["because"]
    assert teams["marketing"]["codeowners"] == ["@acme/marketing"]


def test_handing_a_stage_over_needs_the_old_and_the_new_owner(repo: Path) -> None:
    (repo / "definitions" / "sdr.yaml").write_text(SDR.replace("    owner: sdr\n", "    owner: sales\n"))
    data = required(repo)  # uncommitted changes count too
    teams = {item["team"]: item for item in data["required"]}  # type: ignore[union-attr]
    assert set(teams) == {"sdr", "sales", "marketing"}
    assert {"file": "definitions/sdr.yaml", "reason": "owns the stage `sal` (before this change)"} in teams[
        "sdr"
    ]["because"]


def test_a_new_file_and_only_this_branchs_changes(repo: Path) -> None:
    (repo / "definitions" / "more.yaml").write_text(GLOSSARY.replace("roi", "arr"))
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("later on main\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "main moves on")
    git(repo, "checkout", "-q", "change")
    data = required(repo)
    assert data["changed"] == ["definitions/more.yaml"]


def test_approved_says_who_is_missing(repo: Path) -> None:
    (repo / "definitions" / "marketing.yaml").write_text(MARKETING.replace("within: 4h", "within: 2h"))
    partial = run_cli(["owners", "--required", "--base", "main", "--approved", "@ACME/marketing"], cwd=repo)
    assert partial.exit_code == 1
    assert "still missing an approval from: Sales development" in partial.stderr
    both = run_cli(
        ["owners", "--required", "--base", "main", "--approved", "@acme/marketing", "@acme/sdr"], cwd=repo
    )
    assert both.exit_code == 0, both.stdout


def test_a_change_cannot_choose_who_approves_it(repo: Path) -> None:
    # The branch makes a friend the SDR team's code owner and changes the SDR hand-off.
    friendly = TEAMS.replace('codeowners: ["@acme/sdr"]', 'codeowners: ["@friend"]')
    (repo / "definitions" / "shared.yaml").write_text(friendly)
    (repo / "definitions" / "marketing.yaml").write_text(MARKETING.replace("within: 4h", "within: 2h"))
    result = run_cli(
        ["owners", "--required", "--base", "main", "--approved", "@acme/marketing", "@friend"], cwd=repo
    )
    assert result.exit_code == 1
    assert "still missing an approval from: Sales development" in result.stderr
    teams = {item["team"]: item for item in required(repo)["required"]}  # type: ignore[union-attr]
    assert teams["sdr"]["codeowners"] == ["@acme/sdr"]


def test_no_change_needs_nobody(repo: Path) -> None:
    result = run_cli(["owners", "--required", "--base", "main"], cwd=repo)
    assert result.exit_code == 0
    assert "No definitions file changed since main" in result.stdout


def test_required_outside_git_or_with_an_unknown_ref(
    tmp_path_factory: pytest.TempPathFactory, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lone = lay_out(tmp_path_factory.mktemp("lone"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(lone.parent))  # whatever holds the temp folders
    outside = run_cli(["owners", "--required", "--base", "main"], cwd=lone)
    assert outside.exit_code == 2 and "Traceback" not in outside.stderr
    assert "cannot tell what changed since main: this folder is not in a git repository" in outside.stderr
    unknown = run_cli(["owners", "--required", "--base", "no-such-branch"], cwd=repo)
    assert unknown.exit_code == 2 and "cannot tell what changed since no-such-branch" in unknown.stderr
    assert "`no-such-branch` is no branch, tag or commit in this repository" in unknown.stderr
    typo = run_cli(["owners", "--required", "--base", "mian"], cwd=repo)
    assert typo.exit_code == 2 and "(did you mean `main`?)" in typo.stderr
    option = run_cli(["owners", "--required", "--base=--all"], cwd=repo)  # never passed to git as one
    assert option.exit_code == 2 and "`--all` is no branch, tag or commit" in option.stderr


def test_required_in_a_shallow_clone_says_to_fetch_the_history(repo: Path, tmp_path: Path) -> None:
    (repo / "definitions" / "sdr.yaml").write_text(SDR.replace("    owner: sdr\n", "    owner: sales\n"))
    git(repo, "commit", "-q", "-am", "hand sal to sales")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "change", f"file://{repo}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    result = run_cli(["owners", "--required", "--base", "origin/main"], cwd=clone)
    assert result.exit_code == 2
    assert "cannot find where this branch left `origin/main`: this is a shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
