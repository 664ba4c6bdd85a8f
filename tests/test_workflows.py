"""The GitHub Actions workflows: valid for GitHub, and doing what the README promises a company.

`check-jsonschema`'s vendored GitHub schemas (offline) catch what GitHub would refuse to run;
the other tests read the reusable workflow the way a company relies on it: which job may write
what, that the diff sees the base branch, that SARIF reaches code scanning even when the check
fails, that the pull request gets one comment, and that the site is published only from the
default branch. actionlint is run too where it is installed (it is not on PyPI in a form that
installs offline, so it is not a test dependency).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from leadspec import __version__
from leadspec.scaffold import (
    JOBS_FILE,
    PACKAGED_WORKFLOW,
    REPOSITORY_URL,
    Options,
    install_requirement,
    release_ref,
    render,
    repository_slug,
    reusable_install,
)

REUSABLE = REPO / ".github" / "workflows" / "leadspec.yml"
OWN_CI = REPO / ".github" / "workflows" / "ci.yml"
CALLER = ".github/workflows/leadspec.yml"  # in a repository `leadspec init` wrote, calling ...
# ... JOBS_FILE, its copy of the reusable workflow

# The current major version of each action, pinned by major tag everywhere.
MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/setup-node": 7,
    "actions/github-script": 9,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "github/codeql-action/upload-sarif": 4,
}


def _load(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if True in data:  # PyYAML reads the key `on` as the boolean true (YAML 1.1)
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def reusable() -> dict[str, Any]:
    return _load(REUSABLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def caller_text() -> str:
    return render(Options(company="Acme"))[CALLER]


@pytest.fixture(scope="module")
def jobs_text() -> str:
    return render(Options(company="Acme"))[JOBS_FILE]


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def _step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [step for step in _steps(job) if str(step.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"expected one step using {action}"
    return found[0]


def _step_running(job: dict[str, Any], command: str) -> dict[str, Any]:
    found = [step for step in _steps(job) if command in str(step.get("run", ""))]
    assert len(found) == 1, f"expected one step running {command!r}"
    return found[0]


def _validate(paths: list[Path], schema: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def _run_step(script: str, stand_in: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a step's script as GitHub does (`shell: bash`), with `stand_in` as the leadspec command."""
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "leadspec").write_text("#!/bin/sh\n" + stand_in, encoding="utf-8")
    (folder / "leadspec").chmod(0o755)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        env={"PATH": f"{folder}:/usr/bin:/bin", "LEADSPEC_PATHS": "", **env},
        capture_output=True,
        text=True,
        check=False,
    )


# A stand-in for what actions/github-script gives a script: `github` answers from FIXTURE
# (reviews, team memberships, comments) and records each call, `core` records outputs,
# warnings and failures. Printed as JSON for the test to read.
_GITHUB_SCRIPT = r"""
const fs = require('fs');
const fixture = JSON.parse(process.env.FIXTURE);
const calls = [], outputs = {}, warnings = [];
let failed = null;
const record = (name, answer) => async params => { calls.push([name, params]); return { data: answer(params) }; };
const github = {
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    pulls: { listReviews: record('listReviews', () => fixture.reviews || []) },
    teams: {
      getMembershipForUserInOrg: async params => {
        calls.push(['getMembershipForUserInOrg', params]);
        const state = (fixture.memberships || {})[`@${params.org}/${params.team_slug} ${params.username}`];
        if (state === undefined) {
          const error = new Error('Not Found');
          error.status = fixture.membershipStatus || 404;
          throw error;
        }
        return { data: { state, role: 'member', url: 'https://api.github.com/x' } };
      },
    },
    issues: {
      listComments: record('listComments', () => fixture.comments || []),
      createComment: record('createComment', () => ({ id: 99 })),
      updateComment: record('updateComment', () => ({})),
    },
  },
};
const context = { repo: { owner: 'acme', repo: 'definitions' }, payload: { pull_request: { number: 7 } } };
const core = {
  setOutput: (name, value) => { outputs[name] = value; },
  warning: message => warnings.push(String(message)),
  info: () => {},
  setFailed: message => { failed = String(message); },
};
const script = fs.readFileSync(process.argv[2], 'utf8');
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => console.log(JSON.stringify({ calls, outputs, warnings, failed })))
  .catch(error => { console.error(error); process.exit(1); });
"""


def _run_github_script(script: str, tmp_path: Path, fixture: dict[str, Any], **env: str) -> dict[str, Any]:
    """Run a github-script step's script under node with a recorded stand-in for GitHub's API."""
    import json

    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node")
    (tmp_path / "harness.js").write_text(_GITHUB_SCRIPT, encoding="utf-8")
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    result = subprocess.run(
        [node, str(tmp_path / "harness.js"), str(tmp_path / "script.js")],
        env={"PATH": "/usr/bin:/bin", "FIXTURE": json.dumps(fixture), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- what GitHub accepts -------------------------------------------------------------------


def test_the_workflows_follow_githubs_schema(tmp_path: Path, caller_text: str, jobs_text: str) -> None:
    caller = tmp_path / "caller.yml"
    caller.write_text(caller_text, encoding="utf-8")
    jobs = tmp_path / "jobs.yml"
    jobs.write_text(jobs_text, encoding="utf-8")
    result = _validate([REUSABLE, OWN_CI, caller, jobs], "vendor.github-workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = REUSABLE.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "run-on: ubuntu-latest", 1)
    broken.write_text(text, encoding="utf-8")
    result = _validate([broken], "vendor.github-workflows")
    assert result.returncode == 1, result.stdout


@pytest.mark.skipif(shutil.which("actionlint") is None or shutil.which("git") is None, reason="no actionlint")
def test_actionlint_finds_nothing(tmp_path: Path) -> None:  # pragma: no cover
    # this repository's workflows, and a starter's (its caller checked against its jobs file)
    for root, files in (
        (
            tmp_path / "leadspec",
            {f".github/workflows/{path.name}": path.read_text() for path in (REUSABLE, OWN_CI)},
        ),
        (tmp_path / "starter", render(Options(company="Acme"))),
    ):
        for relative, text in files.items():
            if relative.startswith(".github/workflows/"):
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                (root / relative).write_text(text, encoding="utf-8")
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        result = subprocess.run(
            ["actionlint", "-no-color"], cwd=root, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_to_their_current_major_version(caller_text: str, jobs_text: str) -> None:
    texts = {
        "leadspec.yml": REUSABLE.read_text(encoding="utf-8"),
        "ci.yml": OWN_CI.read_text(encoding="utf-8"),
        "the starter's leadspec.yml": caller_text,
        "the starter's leadspec-jobs.yml": jobs_text,
    }
    seen = set()
    for name, text in texts.items():
        for action, ref in re.findall(r"uses:\s*([\w./-]+)@(\S+)", text):
            if action.startswith(repository_slug()):
                continue
            assert action in MAJORS, f"{name}: {action} is not one of the actions this test knows"
            assert ref == f"v{MAJORS[action]}", f"{name}: {action}@{ref}, expected @v{MAJORS[action]}"
            seen.add(action)
    assert seen >= set(MAJORS) - {"actions/setup-node"}


def test_inputs_reach_scripts_only_through_the_environment(reusable: dict[str, Any]) -> None:
    # `${{ inputs.x }}` pasted into a script runs whatever the value says.
    for name, job in reusable["jobs"].items():
        for step in _steps(job):
            assert "${{" not in str(step.get("run", "")), f"{name}: {step.get('name')} pastes an expression"
            script = str(step.get("with", {}).get("script", ""))
            assert "${{" not in script, f"{name}: {step.get('name')} pastes an expression"


# --- the reusable workflow, as a company relies on it -------------------------------------


def test_the_inputs_a_caller_can_set(reusable: dict[str, Any]) -> None:
    inputs = reusable["on"]["workflow_call"]["inputs"]
    types = {name: spec["type"] for name, spec in inputs.items()}
    assert types["python-version"] == "string"
    assert types["leadspec"] == "string"
    assert types["paths"] == "string"
    assert types["exports"] == "string"
    assert types["publish-site"] == "boolean"
    assert all(spec.get("required", False) is False for spec in inputs.values()), "every input has a default"
    assert all(spec.get("description") for spec in inputs.values())


def test_the_default_install_is_this_version_of_leadspec(reusable: dict[str, Any]) -> None:
    default = reusable["on"]["workflow_call"]["inputs"]["leadspec"]["default"]
    assert default == reusable_install() == f"leadspec[site] @ git+{REPOSITORY_URL}@{release_ref()}"
    assert release_ref() == f"v{__version__}"


def test_each_job_may_write_only_what_it_needs(reusable: dict[str, Any]) -> None:
    permissions = {name: job.get("permissions") for name, job in reusable["jobs"].items()}
    assert "permissions" not in reusable or not any(
        value == "write" for value in reusable["permissions"].values()
    )
    assert permissions == {
        "check": {"contents": "read", "security-events": "write", "actions": "read"},
        "exports": {"contents": "read"},
        "diff": {"contents": "read", "pull-requests": "write"},
        "approvals": {"contents": "read", "pull-requests": "read"},
        "site": {"contents": "read", "pages": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
    }


def test_the_caller_grants_every_permission_the_jobs_ask_for(
    reusable: dict[str, Any], caller_text: str
) -> None:
    # A called workflow whose job asks for more than the caller grants does not start at all.
    caller = _load(caller_text)
    (job,) = caller["jobs"].values()
    granted = job["permissions"]
    for name, called in reusable["jobs"].items():
        for scope, level in called["permissions"].items():
            assert granted.get(scope) in ({level} if level == "write" else {"read", "write"}), (name, scope)


def test_the_caller_calls_the_starters_own_copy_with_inputs_that_exist(
    reusable: dict[str, Any], caller_text: str, jobs_text: str
) -> None:
    caller = _load(caller_text)
    (job,) = caller["jobs"].values()
    # a reusable workflow in the same repository, from the caller's own commit: nothing to fetch
    assert job["uses"] == f"./{JOBS_FILE}"
    assert set(job.get("with", {})) <= set(_load(jobs_text)["on"]["workflow_call"]["inputs"])
    events = caller["on"]
    assert {"push", "pull_request"} <= set(events)


def test_the_starters_jobs_are_the_reusable_workflows_jobs(reusable: dict[str, Any], jobs_text: str) -> None:
    # One source: a starter's CI does what a caller of the published workflow gets; only the
    # default install differs.
    jobs = _load(jobs_text)
    assert jobs["jobs"] == reusable["jobs"]
    assert jobs["env"] == reusable["env"] and jobs["defaults"] == reusable["defaults"]
    inputs, published = jobs["on"]["workflow_call"]["inputs"], reusable["on"]["workflow_call"]["inputs"]
    assert inputs.pop("leadspec")["default"] == install_requirement()
    assert published.copy().pop("leadspec")["default"] == reusable_install()
    assert inputs == {name: spec for name, spec in published.items() if name != "leadspec"}
    assert jobs["on"]["workflow_call"]["secrets"] == reusable["on"]["workflow_call"]["secrets"]
    body = REUSABLE.read_text(encoding="utf-8").partition("\nname: ")[2]
    assert jobs_text.partition("\nname: ")[2] == body.replace(reusable_install(), install_requirement())


def test_the_starters_workflow_needs_no_home_of_leadspec_and_installs_the_one_that_wrote_it(
    caller_text: str, jobs_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first push of a new starter runs: nothing names YOUR-ORG or fetches leadspec's repository.
    for text in (caller_text, jobs_text):
        assert "YOUR-ORG" not in text and REPOSITORY_URL not in text and repository_slug() not in text
    (job,) = _load(caller_text)["jobs"].values()
    assert job["with"]["leadspec"] == install_requirement()
    jobs = _load(jobs_text)
    assert jobs["env"]["LEADSPEC_REQUIREMENT"] == "${{ inputs.leadspec }}"
    for name, called in jobs["jobs"].items():
        if "steps" in called and any(
            step.get("uses", "").startswith("actions/setup-python@") for step in called["steps"]
        ):
            install = _step_running(called, "pip install")
            assert install["run"].strip() == 'python -m pip install "$LEADSPEC_REQUIREMENT"', name

    # from a company's release: the same line in the settings and as the copy's default
    release = "leadspec[site] @ git+https://github.com/acme/leadspec@v1.2.0"
    monkeypatch.setattr("leadspec.scaffold.install_requirement", lambda: release)
    files = render(Options())
    (job,) = _load(files[CALLER])["jobs"].values()
    assert job["with"]["leadspec"] == release
    assert _load(files[JOBS_FILE])["on"]["workflow_call"]["inputs"]["leadspec"]["default"] == release


def test_the_wheel_carries_the_reusable_workflow_the_starter_copies() -> None:
    # A leadspec installed from a wheel has no .github folder: the build puts the workflow
    # where leadspec.scaffold.workflow_path looks for it.
    import tomllib

    build = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    assert build["targets"]["wheel"]["force-include"][".github/workflows/leadspec.yml"] == (
        f"leadspec/data/{PACKAGED_WORKFLOW}"
    )
    assert ".github/workflows/leadspec.yml" in build["targets"]["sdist"]["include"]


def test_check_uploads_sarif_even_when_the_check_fails(reusable: dict[str, Any]) -> None:
    check = reusable["jobs"]["check"]
    annotate = _step_running(check, 'leadspec check "${paths[@]}"')
    sarif = _step_running(check, "--format sarif")
    upload = _step_using(check, "github/codeql-action/upload-sarif")
    order = _steps(check)
    assert order.index(annotate) < order.index(sarif) < order.index(upload)
    assert "always()" in sarif["if"] and "always()" in upload["if"]
    written = re.search(r"--output (\S+)", sarif["run"])
    assert written and upload["with"]["sarif_file"] == written.group(1)
    assert upload["with"]["category"] == "leadspec"
    # exit 1 (findings) must not fail the SARIF step itself, exit 2 must
    assert '[ "$status" -le 1 ]' in sarif["run"]


def test_the_sarif_step_tolerates_findings_but_not_a_broken_run(
    reusable: dict[str, Any], tmp_path: Path
) -> None:
    script = _step_running(reusable["jobs"]["check"], "--format sarif")["run"]
    for status, fails in ((0, False), (1, False), (2, True)):
        result = _run_step(script, f"exit {status}\n", tmp_path)
        assert (result.returncode != 0) == fails, (status, result.stderr)


def test_diff_runs_on_pull_requests_against_the_base_with_full_history(reusable: dict[str, Any]) -> None:
    diff = reusable["jobs"]["diff"]
    assert diff["if"] == "github.event_name == 'pull_request'"
    checkout = _step_using(diff, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    run = _step_running(diff, 'leadspec diff "$BASE_SHA"')
    assert run["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '"$BASE_SHA" --format markdown --output' in run["run"]


def test_the_diff_step_reports_breaking_changes_without_failing_before_the_comment(
    reusable: dict[str, Any], tmp_path: Path
) -> None:
    script = _step_running(reusable["jobs"]["diff"], 'leadspec diff "$BASE_SHA"')["run"]
    # a stand-in `leadspec diff` that writes its report to --output and exits with $STATUS
    stand_in = 'while [ "$1" != --output ]; do shift; done\necho "<!-- leadspec-diff --> report" > "$2"\nexit $STATUS\n'
    for status in (0, 1, 2):
        output, summary = tmp_path / f"output{status}", tmp_path / f"summary{status}"
        result = _run_step(
            script,
            stand_in,
            tmp_path,
            STATUS=str(status),
            BASE_SHA="abc123",
            RUNNER_TEMP=str(tmp_path),
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(summary),
        )
        if status == 2:
            assert result.returncode == 2 and not output.exists()
        else:
            assert result.returncode == 0, result.stderr
            assert output.read_text() == f"breaking={status}\nchanged=true\n"
            assert summary.read_text() == "<!-- leadspec-diff --> report\n"


def test_the_comment_is_found_again_by_the_marker_leadspec_diff_writes(reusable: dict[str, Any]) -> None:
    from leadspec.diff.render import MARKER

    diff = reusable["jobs"]["diff"]
    comment = _step_using(diff, "actions/github-script")
    script = comment["with"]["script"]
    assert f"const marker = '{MARKER}';" in script
    assert "updateComment" in script and "createComment" in script
    assert "github.paginate" in script  # a long pull request has more than one page of comments
    diff_file = re.search(
        r"--output \"(\$RUNNER_TEMP/[^\"]+)\"", _step_running(diff, 'leadspec diff "$BASE_SHA"')["run"]
    )
    assert (
        diff_file
        and comment["env"]["DIFF_FILE"] == "${{ runner.temp }}/" + diff_file.group(1).split("/", 1)[1]
    )


def _diff_reports(tmp_path: Path) -> dict[str, str]:
    """What the real `leadspec diff --format markdown` writes for an unchanged and a changed starter."""
    from conftest import run_cli

    repo = tmp_path / "repo"
    for relative, text in render(Options()).items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "starter"], cwd=repo, check=True)
    reports = {}
    for name in ("unchanged", "changed"):
        if name == "changed":
            marketing = repo / "definitions" / "marketing.yaml"
            marketing.write_text(marketing.read_text().replace("lead_score >= 50", "lead_score >= 60"))
        out = tmp_path / f"{name}.md"
        result = run_cli(["diff", "HEAD", "--format", "markdown", "--output", str(out)], cwd=repo)
        assert result.exit_code in (0, 1), result.stderr
        reports[name] = out.read_text(encoding="utf-8")
    return reports


def test_a_pull_request_that_changes_no_definition_gets_no_new_comment(
    reusable: dict[str, Any], tmp_path: Path
) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    diff = reusable["jobs"]["diff"]
    step = _step_running(diff, 'leadspec diff "$BASE_SHA"')["run"]
    comment = _step_using(diff, "actions/github-script")
    assert comment["env"]["CHANGED"] == "${{ steps.diff.outputs.changed }}"
    reports = _diff_reports(tmp_path)
    # a stand-in `leadspec diff` that writes the real report to --output
    stand_in = 'while [ "$1" != --output ]; do shift; done\ncp "$REPORT" "$2"\n'
    changed = {}
    (tmp_path / "runner").mkdir()
    for name, text in reports.items():
        (tmp_path / "report.md").write_text(text, encoding="utf-8")
        output = tmp_path / f"output-{name}"
        result = _run_step(
            step,
            stand_in,
            tmp_path,
            REPORT=str(tmp_path / "report.md"),
            BASE_SHA="abc",
            RUNNER_TEMP=str(tmp_path / "runner"),
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(tmp_path / "summary"),
        )
        assert result.returncode == 0, result.stderr
        changed[name] = dict(line.split("=", 1) for line in output.read_text().splitlines())["changed"]
    assert changed == {"unchanged": "false", "changed": "true"}

    from leadspec.diff.render import MARKER

    def post(report: str, flag: str, comments: list[dict[str, Any]]) -> list[list[Any]]:
        (tmp_path / "report.md").write_text(report, encoding="utf-8")
        env = {"DIFF_FILE": str(tmp_path / "report.md"), "CHANGED": flag, "RUN_URL": "https://x"}
        result = _run_github_script(comment["with"]["script"], tmp_path, {"comments": comments}, **env)
        return [call for call in result["calls"] if call[0] != "listComments"]

    assert post(reports["unchanged"], "false", []) == []  # nothing to say, no comment
    (created,) = post(reports["changed"], "true", [])
    assert created[0] == "createComment" and created[1]["body"] == reports["changed"]
    earlier = {"id": 5, "user": {"type": "Bot"}, "body": reports["changed"]}
    (updated,) = post(reports["unchanged"], "false", [earlier])
    assert updated[0] == "updateComment" and updated[1]["comment_id"] == 5
    assert (
        updated[1]["body"].startswith(MARKER)
        and "no changes to the definitions any more" in updated[1]["body"]
    )
    said = {**earlier, "body": updated[1]["body"]}
    assert post(reports["unchanged"], "false", [said]) == []  # said once, not again on every push


def test_a_pull_request_from_a_fork_gets_no_comment_attempt_but_a_notice(reusable: dict[str, Any]) -> None:
    diff = reusable["jobs"]["diff"]
    comment = _step_using(diff, "actions/github-script")
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    fork = "github.event.pull_request.head.repo.full_name != github.repository"
    assert same_repo in comment["if"]
    notice = [step for step in _steps(diff) if fork in str(step.get("if", ""))]
    assert len(notice) == 1 and "::notice" in notice[0]["run"]
    upload = _step_using(reusable["jobs"]["check"], "github/codeql-action/upload-sarif")
    assert upload["continue-on-error"] == "${{ github.event.pull_request.head.repo.fork == true }}"


def test_breaking_changes_fail_the_diff_after_the_comment(reusable: dict[str, Any]) -> None:
    diff = reusable["jobs"]["diff"]
    steps = _steps(diff)
    comment = _step_using(diff, "actions/github-script")
    (gate,) = [step for step in steps if "steps.diff.outputs.breaking" in str(step.get("if", ""))]
    assert steps.index(comment) < steps.index(gate)
    assert "inputs.fail-on-breaking" in gate["if"] and "exit 1" in gate["run"]


def test_the_site_is_published_only_from_the_default_branch(reusable: dict[str, Any]) -> None:
    jobs = reusable["jobs"]
    default_branch = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    for name in ("site", "deploy"):
        condition = " ".join(jobs[name]["if"].split())
        assert default_branch in condition and "inputs.publish-site" in condition
        assert "pull_request" not in condition
    deploy = jobs["deploy"]
    assert deploy["needs"] == "site"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert _step_using(deploy, "actions/deploy-pages")["id"] == "deployment"
    built = re.search(
        r"--out \"\$RUNNER_TEMP/([^\"]+)\"", _step_running(jobs["site"], "leadspec site build")["run"]
    )
    upload = _step_using(jobs["site"], "actions/upload-pages-artifact")
    assert built and upload["with"]["path"] == "${{ runner.temp }}/" + built.group(1)
    # Built for the address it is published at, so that 404.html links under a project site's path.
    pages = _step_using(jobs["site"], "actions/configure-pages")
    build = _step_running(jobs["site"], "leadspec site build")
    assert _steps(jobs["site"]).index(pages) < _steps(jobs["site"]).index(build)
    assert build["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
    assert '--site-url "$SITE_URL"' in build["run"]


def test_exports_are_checked_for_each_target_and_folder(reusable: dict[str, Any], tmp_path: Path) -> None:
    exports = reusable["jobs"]["exports"]
    assert exports["if"] == "inputs.exports != ''"
    script = _step_running(exports, "leadspec export")["run"]
    log = tmp_path / "calls"
    # a stand-in leadspec that records its arguments; the hubspot export is out of date
    stand_in = f'echo "$@" >> {log}\n[ "$2" = hubspot ] && exit 1\nexit 0\n'

    def run(exports_value: str) -> subprocess.CompletedProcess[str]:
        log.unlink(missing_ok=True)
        return _run_step(script, stand_in, tmp_path, LEADSPEC_EXPORTS=exports_value)

    result = run("salesforce:crm/salesforce hubspot:crm/hub")
    assert result.returncode == 1
    assert log.read_text().splitlines() == [
        "export salesforce --out crm/salesforce --check",
        "export hubspot --out crm/hub --check",
    ]
    assert "::error title=CRM export out of date::crm/hub is not" in result.stdout
    assert run("salesforce:crm/salesforce").returncode == 0
    unreadable = run("salesforce")
    assert unreadable.returncode == 2 and "TARGET:FOLDER" in unreadable.stdout


# --- approvals: every team the change needs --------------------------------------------------


def test_approvals_run_only_when_asked_on_pull_requests_and_reviews(reusable: dict[str, Any]) -> None:
    inputs = reusable["on"]["workflow_call"]["inputs"]
    assert inputs["require-approvals"] == {**inputs["require-approvals"], "type": "boolean", "default": False}
    secret = reusable["on"]["workflow_call"]["secrets"]["org-read-token"]
    assert secret["required"] is False and "read:org" in secret["description"]
    approvals = reusable["jobs"]["approvals"]
    condition = " ".join(approvals["if"].split())
    assert condition == (
        "inputs.require-approvals && (github.event_name == 'pull_request' "
        "|| github.event_name == 'pull_request_review')"
    )
    assert _step_using(approvals, "actions/checkout")["with"]["fetch-depth"] == 0
    # github.base_ref is empty on review events
    assert approvals["env"]["BASE_REF"] == "${{ github.event.pull_request.base.ref }}"
    script = _step_using(approvals, "actions/github-script")
    assert script["with"]["github-token"] == "${{ secrets.org-read-token || github.token }}"


def test_approving_reviewers_become_their_handles_and_teams(reusable: dict[str, Any], tmp_path: Path) -> None:
    import json

    step = _step_using(reusable["jobs"]["approvals"], "actions/github-script")
    required = tmp_path / "required.json"
    from leadspec.approvals import Needed, Required

    # what `leadspec owners --required --format json` writes
    needed = [
        Needed("marketing", "Marketing", ["@acme/marketing", "mo@acme.com"]),
        Needed("sdr", "Sales development", ["@acme/sales-development", "@lead-sdr"]),
    ]
    required.write_text(json.dumps(Required("origin/main", "abc", ["definitions/a.yaml"], needed).as_json()))

    def review(login: str, state: str) -> dict[str, Any]:
        return {
            "id": len(login),
            "user": {"login": login},
            "state": state,
            "submitted_at": "2025-01-01T00:00:00Z",
        }

    fixture = {
        "reviews": [
            review("ann", "APPROVED"),
            review("ann", "COMMENTED"),  # a later comment keeps the approval
            review("bob", "APPROVED"),
            review("bob", "CHANGES_REQUESTED"),  # the latest review counts
            review("cy", "CHANGES_REQUESTED"),
            review("cy", "APPROVED"),
            review("dee", "APPROVED"),
            review("dee", "DISMISSED"),
        ],
        "memberships": {
            "@acme/marketing ann": "active",
            "@acme/sales-development bob": "active",
            "@acme/sales-development cy": "pending",  # invited, not yet a member
        },
    }
    env = {"REQUIRED_FILE": str(required), "HAS_ORG_TOKEN": "true"}
    result = _run_github_script(step["with"]["script"], tmp_path, fixture, **env)
    assert result["outputs"]["handles"].split(" ") == ["@ann", "@acme/marketing", "@cy"]
    assert result["failed"] is None and result["warnings"] == []
    asked = [call[1] for call in result["calls"] if call[0] == "getMembershipForUserInOrg"]
    assert {"org": "acme", "team_slug": "marketing", "username": "ann"} in asked
    assert all(call["username"] in {"ann", "cy"} for call in asked)  # only approvers are looked up

    without_token = _run_github_script(
        step["with"]["script"], tmp_path, fixture, **{**env, "HAS_ORG_TOKEN": "false"}
    )
    assert "org-read-token" in without_token["warnings"][0]
    refused = _run_github_script(
        step["with"]["script"], tmp_path, {**fixture, "membershipStatus": 403}, **env
    )
    assert refused["failed"] and "read:org" in refused["failed"]


def test_the_approval_handles_reach_leadspec_only_through_the_environment(
    reusable: dict[str, Any], tmp_path: Path
) -> None:
    approvals = reusable["jobs"]["approvals"]
    step = _step_running(approvals, "--approved")
    assert step["env"] == {"APPROVED": "${{ steps.approvers.outputs.handles }}"}
    assert _step_using(approvals, "actions/github-script")["id"] == "approvers"
    log = tmp_path / "calls"
    # a stand-in `leadspec owners` that records its arguments one a line and answers like the real one
    stand_in = (
        f'for arg in "$@"; do echo "[$arg]" >> {log}; done\n'
        'echo "  Marketing (marketing): @acme/marketing  [approved]"\n'
        'echo "  Sales development (sdr): @acme/sales-development  [missing]"\n'
        "exit $STATUS\n"
    )

    def run(approved: str, status: int) -> tuple[subprocess.CompletedProcess[str], list[str], str]:
        log.unlink(missing_ok=True)
        summary = tmp_path / "summary"
        summary.unlink(missing_ok=True)
        result = _run_step(
            step["run"],
            stand_in,
            tmp_path,
            APPROVED=approved,
            STATUS=str(status),
            BASE_REF="main",
            RUNNER_TEMP=str(tmp_path),
            GITHUB_STEP_SUMMARY=str(summary),
        )
        return result, log.read_text().splitlines(), summary.read_text()

    result, args, summary = run("@ann @acme/marketing $(touch pwned) ;x", 1)
    assert result.returncode == 1
    assert args == [
        "[owners]",
        "[--required]",
        "[--base]",
        "[origin/main]",
        "[--approved]",
        "[@ann]",
        "[@acme/marketing]",
        "[$(touch]",
        "[pwned)]",
        "[;x]",
    ]
    assert not (tmp_path / "pwned").exists()
    assert (
        "Still missing an approval from:\n\n- Sales development (sdr): @acme/sales-development\n" in summary
    )
    assert "::error title=Approvals missing::" in result.stdout

    result, args, summary = run("", 1)  # nobody has approved yet
    assert args[-2:] == ["[--approved]", "[]"] and result.returncode == 1

    result, args, summary = run("@ann", 0)
    assert result.returncode == 0 and "Every team this change needs has approved." in summary
    result, args, summary = run("@ann", 2)
    assert result.returncode == 2 and "could not work out" in summary


def test_this_repositorys_own_ci_runs_the_ci_script() -> None:
    ci = _load(OWN_CI.read_text(encoding="utf-8"))
    (job,) = ci["jobs"].values()
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in _steps(job))
    assert job["permissions"] == {"contents": "read"}


def test_the_readme_names_the_same_leadspec_home_and_release() -> None:
    # The pre-commit snippet in the README, the scaffold and the workflow must move together
    # when leadspec gets its real home or a new release.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"- repo: {REPOSITORY_URL}\n    rev: {release_ref()}\n" in readme
