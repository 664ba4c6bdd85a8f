"""`leadspec init DIR`: a company gets a repository that checks clean, builds its site and never
loses a file of theirs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from leadspec.scaffold import install_requirement, requirement_from
from leadspec.schema import schema_path

STAGES = {"response", "mql", "sal", "sql", "customer", "nurture", "disqualified"}
WORKFLOWS = {".github/workflows/leadspec.yml", ".github/workflows/leadspec-jobs.yml"}
EXPECTED = {
    *WORKFLOWS,
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "definitions/marketing.yaml",
    "definitions/sales.yaml",
    "definitions/shared.yaml",
    "mkdocs.yml",
    "pyproject.toml",
    "schema/leadspec.schema.json",
}


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "acme-definitions"
    result = run_cli(["init", str(root), "--company", "Acme"])
    assert result.exit_code == 0, result.stderr
    assert "Created" in result.stdout and "leadspec check" in result.stdout
    return root


def test_init_writes_a_whole_repository(acme: Path) -> None:
    assert _files(acme) == EXPECTED
    for path in acme.rglob("*"):
        if path.is_file():
            assert "__TITLE__" not in path.read_text() and "__LEADSPEC_" not in path.read_text(), path


def test_the_starter_checks_with_no_finding_at_all(acme: Path) -> None:
    result = run_cli(["check", "--format", "json"], cwd=acme)
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["diagnostics"] == []  # no error, warning or note, the analysis included


@pytest.mark.parametrize("today", ["2026-12-04", "2027-12-31"])
def test_the_starter_calendar_stays_clean_through_2027(
    acme: Path, monkeypatch: pytest.MonkeyPatch, today: str
) -> None:
    # The starter's office lists holidays up to 2028: a company that runs `leadspec init` now
    # gets no LS410 (holidays running out) before 2028.
    monkeypatch.setattr("leadspec.calendars.today", lambda: date.fromisoformat(today))
    result = run_cli(["check", "--format", "json"], cwd=acme)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["diagnostics"] == []


def test_the_starter_is_a_realistic_lifecycle(acme: Path) -> None:
    documents = [yaml.safe_load(path.read_text()) for path in sorted((acme / "definitions").glob("*.yaml"))]
    merged: dict[str, object] = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)  # type: ignore[union-attr]
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)  # type: ignore[union-attr]
    stages = {stage["id"]: stage for stage in merged["stages"]}  # type: ignore[union-attr,index]
    assert set(stages) == STAGES
    assert all(stage.get("examples") for stage in stages.values()), "every stage has an example lead"
    assert "rejection_reason" in merged["picklists"]  # type: ignore[operator]
    assert merged["calendars"] and merged["terms"] and merged["targets"]
    slas = [exit_["sla"] for stage in stages.values() for exit_ in stage.get("exits", []) if "sla" in exit_]
    assert len(slas) >= 5


def test_every_file_points_the_editor_at_the_schema_copy(acme: Path) -> None:
    for path in (acme / "definitions").glob("*.yaml"):
        first = path.read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        schema = (path.parent / match.group(1)).resolve()
        assert schema.read_bytes() == schema_path().read_bytes()


def test_the_glossary_site_builds(acme: Path) -> None:
    result = run_cli(["site", "build"], cwd=acme)
    assert result.exit_code == 0, result.stdout + result.stderr
    index = (acme / "public" / "index.html").read_text()
    assert "<title>Acme lead lifecycle glossary</title>" in index
    assert (acme / "public" / "glossary.html").is_file()


def test_the_readme_lead_example_runs(acme: Path) -> None:
    readme = (acme / "README.md").read_text()
    (lead,) = re.findall(r'leadspec explain --lead "([^"]+)"', readme)
    result = run_cli(["explain", "--lead", lead], cwd=acme)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("The lead is in Marketing Qualified Lead")


def test_the_exports_named_in_the_readme_work(acme: Path, tmp_path: Path) -> None:
    assert "leadspec export salesforce --out crm/salesforce" in (acme / "README.md").read_text()
    for target in ("salesforce", "hubspot"):
        result = run_cli(["export", target, "--out", str(tmp_path / target)], cwd=acme)
        assert result.exit_code == 0, result.stdout + result.stderr


def test_the_pre_commit_hook_is_the_published_one_run_locally(acme: Path) -> None:
    config = yaml.safe_load((acme / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert repo["repo"] == "local"  # no download from a leadspec home that may not exist
    (hook,) = repo["hooks"]
    (published,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for key in ("id", "name", "entry", "pass_filenames", "require_serial"):
        assert hook[key] == published[key], key
    assert re.search(hook["files"], "definitions/sales.yaml") and re.search(hook["files"], "pyproject.toml")
    assert not re.search(hook["files"], "README.md")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=acme,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_starter_commits_with_its_pre_commit_hook_the_day_it_is_created(tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    assert run_cli(["init", str(repo), "--company", "Acme"]).exit_code == 0
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # `leadspec`
    env.pop("GITHUB_ACTIONS", None)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = "Ann", "ann@example.com"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)

    assert run("git", "init", "-q").returncode == 0
    assert run(sys.executable, "-m", "pre_commit", "install").returncode == 0
    run("git", "add", ".")
    everything = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert re.search(r"leadspec check\.+Passed", everything.stdout)
    first = run("git", "commit", "-m", "Lead lifecycle definitions")
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"leadspec check\.+Passed", first.stdout + first.stderr)  # the hook ran, and passed

    (repo / "README.md").write_text("# Acme\n")  # a commit that touches no definition
    run("git", "add", "README.md")
    readme = run("git", "commit", "-m", "Readme")
    assert readme.returncode == 0, readme.stdout + readme.stderr
    assert "(no files to check)Skipped" in readme.stdout + readme.stderr

    marketing = repo / "definitions" / "marketing.yaml"
    marketing.write_text(marketing.read_text().replace("or lead_score >= 50)", "or lead_scor >= 50)"))
    run("git", "add", ".")
    broken = run("git", "commit", "-m", "Lower the bar")
    assert broken.returncode == 1
    assert "error LS207 there is no field `lead_scor`" in broken.stdout + broken.stderr


def test_the_install_line_names_the_leadspec_that_wrote_the_files(acme: Path) -> None:
    wanted = install_requirement()
    result = run_cli(["init", str(acme.parent / "other")])
    assert f'pip install "{wanted}"' in result.stdout
    assert f'pip install "{wanted}"' in (acme / "README.md").read_text()
    assert "YOUR-ORG" not in wanted


def test_a_leadspec_from_this_machine_is_named_as_one_ci_cannot_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README's first command, `pip install .`, records a file:// URL: GitHub's runners
    # cannot install that, so init says so before the first push fails.
    monkeypatch.setattr(
        "leadspec.scaffold.install_requirement", lambda: "leadspec[site] @ file:///tmp/leadspec"
    )
    result = run_cli(["init", str(tmp_path / "x")])
    assert "Before the first push: this leadspec was installed from a file or folder" in result.stdout
    assert "`leadspec:` line of .github/workflows/leadspec.yml" in result.stdout
    workflow = (tmp_path / "x" / ".github" / "workflows" / "leadspec.yml").read_text()
    assert 'leadspec: "leadspec[site] @ file:///tmp/leadspec"' in workflow
    assert "Before the first push" not in run_cli(["init", str(tmp_path / "y"), "--no-ci"]).stdout

    monkeypatch.setattr("leadspec.scaffold.install_requirement", lambda: "leadspec[site]==1.2.0")
    assert "Before the first push" not in run_cli(["init", str(tmp_path / "z")]).stdout


@pytest.mark.parametrize(
    ("origin", "wanted"),
    [
        (None, "leadspec[site]==1.2.0"),  # from a package index: the version is the pin
        (
            {"url": "file:///src/leadspec", "dir_info": {"editable": True}},
            "leadspec[site] @ file:///src/leadspec",
        ),
        (
            {
                "url": "https://github.com/acme/leadspec",
                "vcs_info": {"vcs": "git", "requested_revision": "v1.2.0", "commit_id": "abc"},
            },
            "leadspec[site] @ git+https://github.com/acme/leadspec@v1.2.0",
        ),
        (
            {"url": "https://github.com/acme/leadspec", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
            "leadspec[site] @ git+https://github.com/acme/leadspec@abc123",
        ),
        (
            {"url": "https://files.acme.test/leadspec-1.2.0.tar.gz", "archive_info": {}},
            "leadspec[site] @ https://files.acme.test/leadspec-1.2.0.tar.gz",
        ),
        ({"dir_info": {}}, "leadspec[site]==1.2.0"),  # a record without a URL
    ],
)
def test_the_requirement_is_where_pip_got_leadspec_from(origin: object, wanted: str) -> None:
    assert requirement_from("leadspec[site]", "1.2.0", origin) == wanted


def test_the_settings_name_the_definitions(acme: Path) -> None:
    import tomllib

    settings = tomllib.loads((acme / "pyproject.toml").read_text())
    assert settings["tool"]["leadspec"]["paths"] == ["definitions"]
    assert (acme / ".gitignore").read_text().split("\n")[1:3] == ["/site/", "/public/"]


def test_without_a_company_name_the_titles_are_plain(tmp_path: Path) -> None:
    assert run_cli(["init", str(tmp_path / "x")]).exit_code == 0
    assert (tmp_path / "x" / "README.md").read_text().startswith("# Lead lifecycle\n")
    assert "site_name: Lead lifecycle glossary" in (tmp_path / "x" / "mkdocs.yml").read_text()


def test_a_company_name_with_yaml_punctuation_stays_text(tmp_path: Path) -> None:
    name = 'O\'Brien & Sons: "Labs" #1'
    assert run_cli(["init", str(tmp_path / "x"), "--company", name]).exit_code == 0
    settings = yaml.safe_load((tmp_path / "x" / "mkdocs.yml").read_text().replace("INHERIT:", "#"))
    assert settings["site_name"] == f"{name} lead lifecycle glossary"
    assert run_cli(["check"], cwd=tmp_path / "x").exit_code == 0


def test_no_ci_and_no_pre_commit_leave_those_files_out(tmp_path: Path) -> None:
    assert run_cli(["init", str(tmp_path / "x"), "--no-ci", "--no-pre-commit"]).exit_code == 0
    assert _files(tmp_path / "x") == EXPECTED - WORKFLOWS - {".pre-commit-config.yaml"}


# --- refusals: a user's files are never lost ----------------------------------------------


def test_a_folder_with_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "notes.txt").write_text("ours")
    result = run_cli(["init", str(target)])
    assert result.exit_code == 2
    assert "already has files in it (notes.txt)" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(target) == {"notes.txt"} and not list(tmp_path.glob(".*init*"))


def test_force_adds_the_starter_and_keeps_every_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    (target / "definitions").mkdir(parents=True)
    (target / "README.md").write_text("# Our own readme\n")
    (target / "definitions" / "shared.yaml").write_text("ours: true\n")
    result = run_cli(["init", str(target), "--force"])
    assert result.exit_code == 0, result.stderr
    assert (target / "README.md").read_text() == "# Our own readme\n"
    assert (target / "definitions" / "shared.yaml").read_text() == "ours: true\n"
    assert "kept your README.md" in result.stdout and "kept your definitions/shared.yaml" in result.stdout
    assert _files(target) == EXPECTED
    assert not [path for path in target.rglob(".*") if "leadspec-init" in path.name]


def test_a_folder_with_only_a_fresh_git_repository_counts_as_empty(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    (target / ".git").mkdir(parents=True)
    assert run_cli(["init", str(target)]).exit_code == 0
    assert _files(target) - {p for p in _files(target) if p.startswith(".git/")} == EXPECTED


@pytest.mark.parametrize("make", ["file", "file-parent"])
def test_a_path_that_cannot_be_a_folder_is_refused_plainly(tmp_path: Path, make: str) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file")
    target = blocker if make == "file" else blocker / "sub"
    result = run_cli(["init", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("leadspec: ") and "is a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_force_with_a_file_where_a_starter_folder_goes_is_refused_plainly(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "definitions").write_text("my notes\n")
    result = run_cli(["init", str(target), "--force"])
    assert result.exit_code == 2
    assert f"{target / 'definitions'} is a file, but the starter puts definitions/" in result.stderr
    assert [p.name for p in target.iterdir()] == ["definitions"]
    assert (target / "definitions").read_text() == "my notes\n"


def test_a_blank_company_name_is_refused(tmp_path: Path) -> None:
    result = run_cli(["init", str(tmp_path / "x"), "--company", "  "])
    assert result.exit_code == 2 and "--company" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_failure_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    real = Path.write_text

    def fail_on_the_fifth(self: Path, *args: object, **kwargs: object) -> int:
        written.append(self)
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", fail_on_the_fifth)
    result = run_cli(["init", str(tmp_path / "new")])
    assert result.exit_code == 2
    assert "the disk is full" in result.stderr and "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no DIR, no temporary folder


def test_a_failure_while_moving_into_an_existing_folder_takes_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "README.md").write_text("ours")
    moves: list[object] = []
    real = os.rename

    def fail_on_the_fourth(source: object, destination: object) -> None:
        moves.append(destination)
        if len(moves) == 4:
            raise OSError(13, "Permission denied")
        real(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", fail_on_the_fourth)
    result = run_cli(["init", str(target), "--force"])
    assert result.exit_code == 2 and "permission denied" in result.stderr
    assert _files(target) == {"README.md"} and [p.name for p in target.iterdir()] == ["README.md"]


# --- --github-org: code owners from the first commit ---------------------------------------


@pytest.fixture(scope="module")
def acme_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init-org") / "acme-definitions"
    result = run_cli(["init", str(root), "--company", "Acme", "--github-org", "acme-inc"])
    assert result.exit_code == 0, result.stderr
    return root


def test_a_github_org_gives_every_team_its_handle(acme_org: Path) -> None:
    teams = yaml.safe_load((acme_org / "definitions" / "shared.yaml").read_text())["teams"]
    assert {team: entry["codeowners"] for team, entry in teams.items()} == {
        "marketing": ["@acme-inc/marketing"],
        "sdr": ["@acme-inc/sdr"],
        "sales": ["@acme-inc/sales"],
        "customer_success": ["@acme-inc/customer-success"],
        "revenue_operations": ["@acme-inc/revenue-operations"],
    }
    assert _files(acme_org) == EXPECTED | {".github/CODEOWNERS"}


def test_with_a_github_org_the_repository_checks_clean_and_codeowners_is_current(acme_org: Path) -> None:
    result = run_cli(["check", "--format", "json"], cwd=acme_org)
    assert result.exit_code == 0 and json.loads(result.stdout)["diagnostics"] == [], result.stdout
    check = run_cli(["owners", "--check"], cwd=acme_org)
    assert check.exit_code == 0, check.stdout + check.stderr
    codeowners = (acme_org / ".github" / "CODEOWNERS").read_text()
    lines = {line.split()[0]: line.split()[1:] for line in codeowners.splitlines() if line.startswith("/")}
    assert set(lines) == {
        "/definitions/marketing.yaml",
        "/definitions/sales.yaml",
        "/definitions/shared.yaml",
    }
    assert "@acme-inc/sales" in lines["/definitions/sales.yaml"]
    assert all(handle.startswith("@acme-inc/") for handles in lines.values() for handle in handles)


def test_the_codeowners_follows_a_changed_definition(acme_org: Path, tmp_path: Path) -> None:
    # The block is leadspec's own: after a team change, --check says it is stale, as for any repository.
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(acme_org, copy)
    shared = copy / "definitions" / "shared.yaml"
    shared.write_text(shared.read_text().replace('["@acme-inc/sales"]', '["@acme-inc/account-executives"]'))
    assert run_cli(["owners", "--check"], cwd=copy).exit_code == 1
    assert run_cli(["owners", "--write"], cwd=copy).exit_code == 0
    assert "@acme-inc/account-executives" in (copy / ".github" / "CODEOWNERS").read_text()


def test_without_a_github_org_there_is_no_codeowners(acme: Path) -> None:
    assert not (acme / ".github" / "CODEOWNERS").exists()
    assert "codeowners:" not in "".join(
        line
        for line in (acme / "definitions" / "shared.yaml").read_text().splitlines()
        if not line.lstrip().startswith("#")
    )


def test_codeowners_is_written_even_without_the_ci_workflow(tmp_path: Path) -> None:
    result = run_cli(["init", str(tmp_path / "x"), "--no-ci", "--github-org", "@Acme"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "x" / ".github" / "CODEOWNERS").is_file()
    assert "@Acme/marketing" in (tmp_path / "x" / ".github" / "CODEOWNERS").read_text()
    assert run_cli(["check"], cwd=tmp_path / "x").exit_code == 0


@pytest.mark.parametrize("org", ["-acme", "acme-", "ac--me", "a" * 40, "acme/marketing", "ac me", ""])
def test_a_name_github_would_refuse_is_refused_plainly(tmp_path: Path, org: str) -> None:
    result = run_cli(["init", str(tmp_path / "x"), f"--github-org={org}"])
    assert result.exit_code == 2
    assert result.stderr.startswith("leadspec: --github-org:") and "Traceback" not in result.stderr
    assert "letters, digits and single hyphens" in result.stderr
    assert not (tmp_path / "x").exists()


# --- the folder as mkdir would make it, and plain words for the current folder ------------


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o755), (0o027, 0o750), (0o002, 0o775)])
def test_the_new_folder_follows_the_umask_like_mkdir(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        assert run_cli(["init", str(tmp_path / "new")]).exit_code == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "new").stat().st_mode & 0o777 == mode  # was 0o700: teammates could not read it
    assert (tmp_path / "new" / "definitions").stat().st_mode & 0o777 == mode


def test_init_in_the_current_folder_says_so_plainly(tmp_path: Path) -> None:
    result = run_cli(["init", "."], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Created a starter lead lifecycle in the current folder (")
    assert "./" not in result.stdout and "cd ." not in result.stdout
    assert "\n  cd " not in result.stdout  # nothing to change into
    assert _files(tmp_path) == EXPECTED


def test_the_next_steps_change_into_the_new_folder_even_with_a_space(tmp_path: Path) -> None:
    result = run_cli(["init", "acme lifecycle"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Created a starter lead lifecycle in acme lifecycle/ (")
    assert "\n  cd 'acme lifecycle'\n" in result.stdout


def test_the_readme_shows_the_hook_the_starter_writes(acme: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(repos:\n.*?)```", readme, re.S)]
    local = [block for block in blocks if block["repos"][0]["repo"] == "local"]
    assert local == [yaml.safe_load((acme / ".pre-commit-config.yaml").read_text())]
