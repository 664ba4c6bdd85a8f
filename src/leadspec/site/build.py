"""Write the generated pages and run mkdocs on them, in this process.

The pages go under `site/` (the mkdocs source, committed); only files leadspec
generated are replaced or removed, and a file is rewritten only when its bytes
change, so a live-reloading preview rebuilds only for real edits. `mkdocs.yml`
at the project root holds the site's settings; when a project has none,
leadspec writes its default one first. The build is strict: any warning (a
broken link or anchor, a page left out of the navigation) stops it, and the
output folder is replaced only by a complete build.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from leadspec.extras import require
from leadspec.outputs import reason, replace_folder, write_bytes
from leadspec.site.content import ASSETS, DOCS, MARKER, GeneratedSite
from leadspec.structs import struct

CONFIG_NAME = "mkdocs.yml"
SOURCE_NAME = "site"
OWN_FILES = ("nav.yml", "abbreviations.md")


class SiteError(Exception):
    """The site could not be built; the message says why in plain words."""


@struct
class Project:
    root: Path
    config_file: Path
    source: Path  # the mkdocs source folder leadspec writes (pages under source/docs)

    @classmethod
    def at(cls, root: Path, config_file: Path | None = None) -> Project:
        config = config_file if config_file is not None else root / CONFIG_NAME
        return cls(root=root, config_file=config, source=config.parent / SOURCE_NAME)


def default_config() -> str:
    return (resources.files("leadspec.site") / "assets" / "mkdocs.yml").read_text(encoding="utf-8")


def ensure_config(project: Project) -> bool:
    """Write the default mkdocs.yml when the project has none; True when it was written."""
    if project.config_file.exists():
        return False
    try:
        project.config_file.write_text(default_config(), encoding="utf-8")
    except OSError as error:
        raise SiteError(f"cannot write {project.config_file}: {reason(error)}") from None
    return True


def write_source(site: GeneratedSite, source: Path) -> list[str]:
    """Write the generated files under `source`; return the ones that changed (added, edited, removed)."""
    changed: list[str] = []
    try:
        for relative, text in sorted(site.files.items()):
            path = source / relative
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, data)
            changed.append(relative)
        wanted = {source / relative for relative in site.files}
        for path in sorted(_generated_files(source)):
            if path not in wanted:
                path.unlink()
                changed.append(path.relative_to(source).as_posix())
        _remove_empty_folders(source / DOCS)
    except OSError as error:
        raise SiteError(f"cannot write the pages under {source}: {reason(error)}") from None
    return changed


def _generated_files(source: Path) -> Iterator[Path]:
    """Files of an earlier build: pages carrying the marker, and leadspec's own assets."""
    docs = source / DOCS
    if docs.is_dir():
        for path in docs.rglob("*"):
            if not path.is_file():
                continue
            if path.suffix == ".md":
                with path.open("rb") as handle:
                    head = handle.read(4096)
                if MARKER.encode("utf-8") in head:
                    yield path
            elif path.relative_to(docs).as_posix() in ASSETS:
                yield path


def _remove_empty_folders(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(path.iterdir()):
            path.rmdir()


class _Collect(logging.Handler):
    """mkdocs' messages at warning level and above, to show the user when the build stops."""

    def __init__(self, echo: Callable[[str], None] | None) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.echo = echo

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message)
        if self.echo is not None:
            self.echo(f"{record.levelname.lower()}: {message}")


@contextmanager
def _mkdocs_logging(echo: Callable[[str], None] | None) -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect(echo)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def load_mkdocs_config(project: Project, **overrides: Any) -> Any:
    """mkdocs' configuration, with the snippet folder made absolute (any working folder works)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    require("site")  # a plain instruction to install the extra, not an import error
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    with _mkdocs_logging(None) as log:
        try:
            config = load_config(config_file=str(project.config_file), **overrides)
        except (ConfigurationError, Abort) as error:
            details = "; ".join(dict.fromkeys(log.messages)) or str(error)
            raise SiteError(f"{project.config_file.name}: {details}") from None
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if isinstance(snippets, dict):
        base = snippets.get("base_path", ["."])
        base = [base] if isinstance(base, str) else list(base)
        snippets["base_path"] = [str((project.config_file.parent / path).resolve()) for path in base]
    return config


def site_url(text: str) -> str:
    """The address the site is published at, checked and ending in a slash, as mkdocs wants it.

    mkdocs writes the links of the "page not found" page (404.html) from this address, because
    that page is served for any missing path: without it they start at the host's root, which is
    wrong for a site under a path (GitHub Pages project sites: https://ORG.github.io/REPO/).
    """
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SiteError(
            f"--site-url {text!r} is not the address of a web site: give the full address the site "
            "is published at, such as https://acme.github.io/lead-lifecycle/"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


def mkdocs_build(
    project: Project,
    out: Path | None,
    echo: Callable[[str], None] | None = None,
    published_at: str | None = None,
) -> Path:
    """Build the site with mkdocs into `out` (default: `site_dir` from mkdocs.yml); return the folder.

    `published_at` (a `site_url` result) replaces `site_url` from mkdocs.yml for this build.
    """
    overrides: dict[str, Any] = {"strict": True}
    if published_at is not None:
        overrides["site_url"] = published_at
    config = load_mkdocs_config(project, **overrides)
    target = Path(out).resolve() if out is not None else Path(config["site_dir"]).resolve()
    _check_target(target, project, Path(config["docs_dir"]).resolve())
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    # Made with mkdir, not mkdtemp (always 0700): the published folder must be readable by the
    # web server, with the permissions any new folder gets (umask).
    staging = target.parent / f".{target.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        config["site_dir"] = str(staging)
        with _mkdocs_logging(echo) as log:
            try:
                build(config)
            except (Abort, MkDocsException) as error:
                details = "; ".join(log.messages[:5])
                raise SiteError(f"mkdocs stopped: {error}" + (f" ({details})" if details else "")) from None
        replace_folder(staging, target)
    except OSError as error:  # a full disk, a read-only file system: in words, and nothing left behind
        raise SiteError(f"cannot write {target}: {reason(error)}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _check_target(target: Path, project: Project, docs: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a site build."""
    protected = [docs, project.config_file.parent.resolve(), project.root.resolve()]
    for place in protected:
        if target == place or target in place.parents:
            raise SiteError(
                f"the output folder {target} holds the project or its pages: choose another folder"
            )
    if docs in target.parents:
        raise SiteError(
            f"the output folder {target} is inside the pages folder {docs}: choose another folder"
        )
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / "index.html").is_file())
    ):
        raise SiteError(
            f"{target} is not empty and holds no earlier site build: choose a new or empty folder"
        )


def stderr_echo(text: str) -> None:
    print(f"leadspec: {text}", file=sys.stderr)
