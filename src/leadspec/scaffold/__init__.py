"""The starter repository `leadspec init` writes for a company adopting leadspec.

The files are package data under `templates/`, so a company gets the same files
from a wheel as from a source checkout. A template's name maps to its place in
the new repository with `dot-` standing for a leading dot (hidden files are easy to
lose in packaging). A few placeholders are filled in:

- `__TITLE__`: "Acme lead lifecycle" (or "Lead lifecycle" with no company name);
- `__LEADSPEC_URL__`, `__LEADSPEC_REPO__`, `__LEADSPEC_REF__`: where leadspec lives
  and the release tag of this version, for the reusable workflow;
- `__LEADSPEC_INSTALL__`: what `pip install` gets the leadspec that wrote the files, as
  pip recorded where it came from (`install_requirement`), so the install line works
  the day the repository is created.

The pre-commit hook is a local one that runs the installed `leadspec check`: it needs
no download and no published home of leadspec, and runs the release the company pinned.
The CI workflow needs no published home either: the starter gets a copy of leadspec's
reusable workflow (`JOBS_FILE`, rendered from the very file this release ships, so the
two cannot drift) installing `__LEADSPEC_INSTALL__`, and its `leadspec.yml` calls that
copy with `uses: ./...`, so the first push runs every job.

With a GitHub organization (`--github-org`), each starter team gets the code owner handle
`@ORG/<team id with - for _>` and the repository gets the `.github/CODEOWNERS` that
`leadspec owners --write` would write, worked out by `leadspec.owners` from the rendered
definitions themselves, so the two can never disagree.

`REPOSITORY_URL` is the one place leadspec's home is written down in the code.
"""

from __future__ import annotations

import json
import re
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from leadspec import __version__
from leadspec.structs import struct

REPOSITORY_URL = "https://github.com/YOUR-ORG/leadspec"
TEMPLATES = "templates"
SCHEMA_FILE = "schema/leadspec.schema.json"
MKDOCS_FILE = "mkdocs.yml"
CI_FILES = (".github/",)
JOBS_FILE = ".github/workflows/leadspec-jobs.yml"  # the starter's copy of the reusable workflow
PACKAGED_WORKFLOW = "leadspec-workflow.yml"  # the reusable workflow in the wheel's leadspec/data/
PRE_COMMIT_FILE = ".pre-commit-config.yaml"
TEAMS_FILE = "definitions/shared.yaml"
# GitHub's rule for account and organization names: letters, digits and single hyphens,
# no hyphen first or last, at most 39 characters.
GITHUB_NAME = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")


def repository_slug() -> str:
    """`owner/name` of leadspec's repository, as GitHub's `uses:` wants it."""
    return REPOSITORY_URL.removeprefix("https://github.com/")


def release_ref() -> str:
    """The git tag of this version of leadspec."""
    return f"v{__version__}"


def reusable_install() -> str:
    """The reusable workflow's default `leadspec` input: this release from leadspec's home."""
    return f"leadspec[site] @ git+{REPOSITORY_URL}@{release_ref()}"


def install_requirement(extra: str = "site") -> str:
    """The pip requirement of the leadspec that is running, with `extra`.

    pip records where a package came from (PEP 610 `direct_url.json`): a git URL and
    revision, an archive, a local folder; nothing for a package index, where the version
    is the pin. A starter that names this can be installed the day it is written.
    """
    from importlib import metadata

    try:
        text = metadata.distribution("leadspec").read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        text = None
    try:
        origin = json.loads(text) if text else None
    except ValueError:
        origin = None
    return requirement_from(f"leadspec[{extra}]", __version__, origin)


def local_install(requirement: str) -> bool:
    """Whether `requirement` installs from a file or folder on this machine, which CI cannot reach."""
    return " @ file:" in requirement


def requirement_from(name: str, version: str, origin: object) -> str:
    """`name` as pip can install it again from `origin` (a PEP 610 document), else `name==version`."""
    url = origin.get("url") if isinstance(origin, dict) else None
    if not isinstance(url, str) or not url:
        return f"{name}=={version}"
    vcs = origin.get("vcs_info") if isinstance(origin, dict) else None
    if isinstance(vcs, dict):
        revision = vcs.get("requested_revision") or vcs.get("commit_id")
        return f"{name} @ {vcs.get('vcs', 'git')}+{url}" + (f"@{revision}" if revision else "")
    return f"{name} @ {url}"


@struct
class Options:
    company: str | None = None
    ci: bool = True
    pre_commit: bool = True
    github_org: str | None = None  # fills in the teams' code owner handles and CODEOWNERS

    @property
    def title(self) -> str:
        return f"{self.company} lead lifecycle" if self.company else "Lead lifecycle"


def render(options: Options) -> dict[str, str]:
    """Every file of the starter repository: relative path (with `/`) -> text."""
    values = {
        "__TITLE__": options.title,
        "__LEADSPEC_URL__": REPOSITORY_URL,
        "__LEADSPEC_REPO__": repository_slug(),
        "__LEADSPEC_REF__": release_ref(),
        "__LEADSPEC_INSTALL__": install_requirement(),
    }
    files: dict[str, str] = {}
    for relative, template in _templates(resources.files(__name__) / TEMPLATES, ""):
        if not options.ci and relative.startswith(CI_FILES):
            continue
        if not options.pre_commit and relative == PRE_COMMIT_FILE:
            continue
        text = template.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        files[relative] = text
    if options.ci:
        files[JOBS_FILE] = jobs_workflow(values["__LEADSPEC_INSTALL__"])
    files[SCHEMA_FILE] = _schema()
    files[MKDOCS_FILE] = _mkdocs(options)
    if options.github_org:
        files[TEAMS_FILE] = with_codeowners(files[TEAMS_FILE], options.github_org)
        files.update(_codeowners(files))
    return dict(sorted(files.items()))


def team_handle(org: str, team: str) -> str:
    """`@acme/customer-success` for the team `customer_success`: GitHub team slugs use hyphens."""
    return f"@{org}/{team.replace('_', '-')}"


def with_codeowners(text: str, org: str) -> str:
    """The starter's teams file with a `codeowners:` line under each team's `label:`."""
    lines: list[str] = []
    in_teams = False
    team: str | None = None
    for line in text.splitlines():
        lines.append(line)
        if line and not line[0].isspace():
            in_teams = line.rstrip() == "teams:"
            continue
        if not in_teams:
            continue
        found = re.fullmatch(r"  (\w+):\s*", line)
        if found:
            team = found.group(1)
        elif team is not None and line.startswith("    label:"):
            lines.append(f'    codeowners: ["{team_handle(org, team)}"]')
            team = None
    return "\n".join(lines) + "\n"


def _codeowners(files: dict[str, str]) -> dict[str, str]:
    """The CODEOWNERS `leadspec owners --write` writes for these files, from a scratch copy of them."""
    from leadspec import owners
    from leadspec.api import load
    from leadspec.config import load_config

    with tempfile.TemporaryDirectory(prefix="leadspec-init-") as folder:
        root = Path(folder)
        for relative, text in files.items():
            if relative.startswith("definitions/") or relative == "pyproject.toml":
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                (root / relative).write_text(text, encoding="utf-8")
        config = load_config(root / "pyproject.toml")
        loaded = load([root / path for path in config.paths], config)
        path = owners.codeowners_file(config)
        wanted = owners.expected(loaded.context, loaded.report.files, path)
        return {path.relative_to(root).as_posix(): wanted.text}


def _templates(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith((".", "__")):
            continue  # editor and cache files, never part of the starter
        target = prefix + ("." + name.removeprefix("dot-") if name.startswith("dot-") else name)
        if entry.is_dir():
            found.extend(_templates(entry, target + "/"))
        else:
            found.append((target, entry))
    return found


def workflow_path() -> Path:
    """Where leadspec's reusable workflow is: inside the installed package, or in a source checkout."""
    packaged = resources.files("leadspec") / "data" / PACKAGED_WORKFLOW
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / ".github" / "workflows" / "leadspec.yml"


def jobs_workflow(install: str) -> str:
    """The reusable workflow as the starter's own copy, whose `leadspec` input defaults to `install`.

    Everything below the header is the reusable workflow's text, so a starter's CI does what
    a caller of the published workflow gets. Only two things change: the paragraph telling
    other repositories how to call it from leadspec's home, and the default install, which
    becomes the leadspec that wrote the starter (there may be no published home yet).
    """
    text = workflow_path().read_text(encoding="utf-8")
    default = f"default: {json.dumps(reusable_install())}\n"
    header, separator, body = text.partition("\nname: ")
    paragraphs = header.split("\n#\n")
    calling = [number for number, paragraph in enumerate(paragraphs) if paragraph.startswith(_CALL_IT)]
    if body.count(default) != 1 or len(calling) != 1:  # the reusable workflow was reworded
        raise RuntimeError(f"{workflow_path()}: no single {default.strip()!r} and {_CALL_IT!r} paragraph")
    paragraphs[calling[0]] = _STARTER_PARAGRAPH.format(version=__version__).rstrip("\n")
    body = body.replace(default, f"default: {json.dumps(install)}\n")
    return "\n#\n".join(paragraphs) + separator + body


_CALL_IT = "# Call it from your repository"
_STARTER_PARAGRAPH = """\
# This is a copy of the reusable workflow of leadspec {version}, written by `leadspec init`, so
# this repository needs no other to run it: `leadspec.yml` next to it calls it and holds your
# settings (its `with:` inputs, listed below). Change them there, not here. The `leadspec` input
# is what every job installs; the default is the leadspec that wrote the starter.
"""


def _schema() -> str:
    """A copy of the schema, so the editors' modeline `../schema/leadspec.schema.json` works offline."""
    from leadspec.schema import schema_path

    return schema_path().read_text(encoding="utf-8")


def _mkdocs(options: Options) -> str:
    """The site settings `leadspec site build` would write, named after the company."""
    # Read as `leadspec.site.build.default_config` does, without loading the site generator
    # (it needs the `site` extra, which `init` must not).
    text = (resources.files("leadspec.site") / "assets" / "mkdocs.yml").read_text(encoding="utf-8")
    if not options.company:
        return text
    name = json.dumps(f"{options.title} glossary", ensure_ascii=False)  # a valid YAML string
    lines = [f"site_name: {name}" if line.startswith("site_name:") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"
