"""The starter repository `leadspec init` writes for a company adopting leadspec.

The files are package data under `templates/`, so a company gets the same files
from a wheel as from a source checkout. A template's name maps to its place in
the new repository with `dot-` standing for a leading dot (hidden files are easy to
lose in packaging). A few placeholders are filled in:

- `__TITLE__`: "Acme lead lifecycle" (or "Lead lifecycle" with no company name);
- `__LEADSPEC_URL__`, `__LEADSPEC_REPO__`, `__LEADSPEC_REF__`: where leadspec lives
  and the release tag of this version, so the pre-commit hook, the pip install and
  the reusable workflow all name the leadspec that wrote the files.

`REPOSITORY_URL` is the one place leadspec's home is written down in the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from leadspec import __version__

REPOSITORY_URL = "https://github.com/YOUR-ORG/leadspec"
TEMPLATES = "templates"
SCHEMA_FILE = "schema/leadspec.schema.json"
MKDOCS_FILE = "mkdocs.yml"
CI_FILES = (".github/",)
PRE_COMMIT_FILE = ".pre-commit-config.yaml"


def repository_slug() -> str:
    """`owner/name` of leadspec's repository, as GitHub's `uses:` wants it."""
    return REPOSITORY_URL.removeprefix("https://github.com/")


def release_ref() -> str:
    """The git tag of this version of leadspec."""
    return f"v{__version__}"


@dataclass(frozen=True)
class Options:
    company: str | None = None
    ci: bool = True
    pre_commit: bool = True

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
    files[SCHEMA_FILE] = _schema()
    files[MKDOCS_FILE] = _mkdocs(options)
    return dict(sorted(files.items()))


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
    import json

    name = json.dumps(f"{options.title} glossary", ensure_ascii=False)  # a valid YAML string
    lines = [f"site_name: {name}" if line.startswith("site_name:") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"
