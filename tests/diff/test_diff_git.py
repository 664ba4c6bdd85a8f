"""`leadspec diff` against git refs: real repositories in tmp_path, as a user or a CI job has them."""

from __future__ import annotations

import json
from pathlib import Path

from diff_support import BASE, commit, git, new_repo, write

from conftest import AS_A_USER, run_as_a_user, run_cli

RAISED = BASE.replace("lead_score >= 45", "lead_score >= 50")


def diff(repo: Path, *args: str) -> object:
    return run_cli(["diff", "--color", "never", *args], cwd=repo)


def test_ref_against_the_working_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    first = new_repo(repo)
    write(repo, RAISED)  # uncommitted: diffing the working tree is the point
    result = diff(repo, "main")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Comparing main ({first[:7]}) with the working tree\n")
    assert (
        "leads with Lead score 45 to 49 move from Marketing Qualified Lead to Valid Response" in result.stdout
    )
    assert "not included" not in result.stdout
    # Nothing in the checkout was touched: same file, same status.
    assert (repo / "definitions" / "lifecycle.yaml").read_text() == RAISED
    assert git(repo, "status", "--porcelain") == "M definitions/lifecycle.yaml"


def test_two_refs_and_findings_name_the_ref(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, BASE.replace("      - {id: bad_timing, label: Bad timing}\n", ""))
    commit(repo, "drop a reason")
    result = diff(repo, "main", "feature")
    assert result.exit_code == 1
    assert "main:definitions/lifecycle.yaml:" in result.stdout  # the removed value lives in the base
    assert "error LS432 the value `bad_timing`" in result.stdout


def test_a_named_head_leaves_out_uncommitted_changes_and_says_so(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    write(repo, RAISED)
    result = diff(repo, "main", "HEAD")
    assert result.exit_code == 0
    assert "your uncommitted changes (definitions/lifecycle.yaml) are not included" in result.stdout
    assert "no lead changes stage" in result.stdout


def test_default_base_is_the_merge_base_with_the_default_branch(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    first = new_repo(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, RAISED)
    commit(repo, "raise the bar")
    git(repo, "checkout", "-q", "main")
    write(repo, BASE.replace("label: Bad timing}", "label: Bad timing now}"))
    commit(repo, "meanwhile on main")
    git(repo, "checkout", "-q", "feature")
    result = diff(repo, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["base"]["commit"] == first  # where feature left main, not main's tip
    assert document["base"]["chosen"] == "the merge base of main and HEAD"
    assert document["summary"]["moves"] == 1
    assert all("Bad timing now" not in change["text"] for change in document["changes"])


def test_default_branch_from_origin_head(tmp_path: Path) -> None:
    upstream = tmp_path / "upstream"
    new_repo(upstream)
    git(upstream, "branch", "-m", "main", "trunk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    write(clone, RAISED)
    result = diff(clone)
    assert result.exit_code == 0, result.stderr
    assert "(base: the merge base of origin/trunk and HEAD)" in result.stdout
    assert "move from Marketing Qualified Lead to Valid Response" in result.stdout


def test_unknown_ref_is_a_usage_error_with_a_guess(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    git(repo, "branch", "release-2024")
    result = diff(repo, "relase-2024")
    assert result.exit_code == 2
    assert result.stderr == (
        "leadspec: `relase-2024` is no branch, tag or commit in this repository (did you mean `release-2024`?)\n"
    )
    assert result.stdout == ""


def test_shallow_clone_without_the_base(tmp_path: Path) -> None:
    upstream = tmp_path / "upstream"
    first = new_repo(upstream)
    write(upstream, RAISED)
    commit(upstream, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{upstream}", str(clone))
    result = diff(clone, first)
    assert result.exit_code == 2
    assert "shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    # With the full history it works.
    git(clone, "fetch", "-q", "--unshallow")
    assert diff(clone, first).exit_code == 0


def test_base_that_does_not_parse_is_the_bases_problem(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    write(repo, "leadspec: 1\nfields: [\n", "broken.yaml")
    commit(repo, "a broken file")
    write(repo, RAISED)
    (repo / "definitions" / "broken.yaml").unlink()
    result = diff(repo, "HEAD")
    assert result.exit_code == 0, result.stdout
    assert "The base (HEAD (" in result.stdout and "has problems (1 error)" in result.stdout
    assert "HEAD:definitions/broken.yaml:" in result.stdout and "LS001" in result.stdout
    # What could be read is still compared; movement needs both sides exact and says so.
    assert "MQL's entry: `… and lead_score >= 45` → `… and lead_score >= 50`" in result.stdout
    assert "not worked out: the base has errors" in result.stdout


def test_definitions_added_later_compare_with_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("hello\n")
    commit(repo, "empty")
    (repo / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["definitions"]\n')
    write(repo, BASE)
    result = diff(repo, "main")
    assert result.exit_code == 0, result.stderr
    assert "note: main (" in result.stdout and "definitions did not exist yet" in result.stdout
    assert "new stage: Marketing Qualified Lead (`mql`)" in result.stdout
    assert "has problems" not in result.stdout
    assert "not worked out: the base has no definitions to compare leads with" in result.stdout


def test_paths_come_from_each_sides_config(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    git(repo, "mv", "definitions", "lifecycle")
    (repo / "pyproject.toml").write_text('[tool.leadspec]\npaths = ["lifecycle"]\n')
    commit(repo, "move the definitions")
    result = diff(repo, "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.stdout
    assert "No changes." in result.stdout


def test_outside_git_without_base_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n")
    write(tmp_path, BASE)
    result = diff(tmp_path)
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr
    result = diff(tmp_path, "main")
    assert result.exit_code == 2
    assert "main is no folder, and this is not a git repository" in result.stderr


def test_a_file_is_named_as_a_file_in_git_too(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    new_repo(repo)
    result = diff(repo, "definitions/lifecycle.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "leadspec: definitions/lifecycle.yaml is a file: name a folder of definitions or a git ref\n"
    )
    # A tree or a file inside a commit is no revision either, and says so without a traceback.
    result = diff(repo, "HEAD:definitions")
    assert result.exit_code == 2
    assert result.stderr == "leadspec: `HEAD:definitions` is no branch, tag or commit in this repository\n"


def test_an_empty_or_blank_ref_is_a_usage_error(tmp_path: Path) -> None:
    # Was: `leadspec diff ""` compared the folder ./ with the working tree and exited 0.
    repo = tmp_path / "repo"
    new_repo(repo)
    hint = "name a git revision (e.g. HEAD~1 or main) or a folder of definitions\n"
    for args, words in (
        ([""], "the base is empty ('')"),
        (["   "], "the base is empty ('   ')"),
        (["HEAD", ""], "the head is empty ('')"),
        (["", "HEAD"], "the base is empty ('')"),
    ):
        result = diff(repo, *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"leadspec: {words}: {hint}", args
    # Outside git, where no ref can be meant, the same.
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n")
    result = diff(tmp_path, "")
    assert (result.exit_code, result.stderr) == (2, f"leadspec: the base is empty (''): {hint}")


def test_a_ref_longer_than_any_file_name_is_no_revision_or_folder(tmp_path: Path) -> None:
    # Was: `internal error: OSError: [Errno 36] File name too long` (Path.is_dir raises for it).
    repo = tmp_path / "repo"
    new_repo(repo)
    cut = "a" * 59 + "…"
    for name in ("a" * 5000, "a" * 300, "a" * 300 + "/definitions"):
        result = diff(repo, name)
        assert (result.exit_code, result.stdout) == (2, ""), len(name)
        assert result.stderr == f"leadspec: `{cut}` is no branch, tag or commit in this repository\n"
        result = diff(repo, "HEAD", name)
        assert result.exit_code == 2 and "internal error" not in result.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n")
    result = diff(tmp_path, "a" * 5000, "repo/definitions")
    assert result.exit_code == 2
    assert result.stderr == (
        f"leadspec: {cut} is no folder, and this is not a git repository, so it cannot be a git ref\n"
    )


@AS_A_USER
def test_an_unreadable_folder_is_a_plain_message(tmp_path: Path) -> None:
    # Was: `internal error: PermissionError: [Errno 13] Permission denied: 'locked/pyproject.toml'`.
    repo = tmp_path / "repo"
    new_repo(repo)
    for name, mode in (("locked", 0), ("listable", 0o444)):
        (repo / name).mkdir()
        (repo / name / "lifecycle.yaml").write_text(BASE)
        (repo / name).chmod(mode)
    (repo / "old").mkdir()
    (repo / "old" / "pyproject.toml").write_text("[tool.leadspec]\n")
    (repo / "old" / "pyproject.toml").chmod(0)
    try:
        for args, message in (
            (["locked"], "cannot read the folder locked: permission denied"),
            (["listable"], "cannot read listable/pyproject.toml: permission denied"),
            (["locked/definitions"], "cannot read locked/definitions: permission denied"),
            (["HEAD", "old"], "cannot read old/pyproject.toml: permission denied"),
        ):
            result = run_as_a_user(["diff", *args], repo)
            assert (result.returncode, result.stdout) == (2, ""), args
            assert result.stderr == f"leadspec: {message}\n", args
        # A ref of the same name as a folder that cannot be looked into is still the ref.
        git(repo, "branch", "locked/definitions")
        assert run_as_a_user(["diff", "locked/definitions"], repo).returncode == 0
    finally:
        for name in ("locked", "listable"):
            (repo / name).chmod(0o755)
