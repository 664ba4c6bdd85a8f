"""`leadspec site build` and `leadspec site serve`: the glossary site.

Both refuse definitions that `leadspec check` finds errors in: the site is what
sales and marketing read as agreed, so it is never published broken.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    checked_definitions,
    config_from,
    definition_paths,
)
from leadspec.commands.funnel import add_measure_options

if TYPE_CHECKING:
    from leadspec.api import Loaded
    from leadspec.commands.funnel import Request
    from leadspec.config import Config
    from leadspec.funnel.report import FunnelReport
    from leadspec.site.build import Project

ORDER = 30


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "site",
        help="build or preview the glossary site",
        description="Generate the glossary and reference site from the definitions (pages under "
        "site/, settings in mkdocs.yml) and build it with mkdocs. Definitions with errors are "
        "never published.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="write the pages and build the static site",
        description="Write the pages under site/ and build the static site (default folder: "
        "site_dir in mkdocs.yml, public/). Exit code 0 when built, 1 when the definitions have "
        "errors, 2 when the site could not be built.",
    )
    build.add_argument("paths", nargs="*", help="definition files or folders (default: from [tool.leadspec])")
    build.add_argument("--out", "-o", type=Path, help="folder to build the site into")
    build.add_argument(
        "--pages-only", action="store_true", help="only write the pages under site/, do not run mkdocs"
    )
    build.add_argument(
        "--site-url",
        metavar="URL",
        help="the address the site is published at, such as https://acme.github.io/lead-lifecycle/ "
        "(default: site_url in mkdocs.yml); the page-not-found page needs it when the site is not "
        "at the root of its host",
    )
    build.add_argument(
        "--funnel",
        action="extend",
        nargs="+",
        default=[],
        metavar="HISTORY",
        help="add the Funnel health page, measured from these stage history files as `leadspec funnel` "
        "measures them (its options below; put the definition paths before --funnel)",
    )
    funnel_options = build.add_argument_group(
        "funnel health (with --funnel)",
        "what to measure and how to read the history, as in `leadspec funnel`",
    )
    add_measure_options(funnel_options)
    add_config_option(build)
    build.set_defaults(run=run_build, needs=("site",))
    serve = actions.add_parser(
        "serve",
        help="preview the site, rebuilt as you edit the definitions",
        description="Serve the site on your machine and rebuild it whenever a definition or page "
        "changes; the browser reloads by itself.",
    )
    serve.add_argument("paths", nargs="*", help="definition files or folders (default: from [tool.leadspec])")
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    add_config_option(serve)
    serve.set_defaults(run=run_serve, needs=("site",))
    parser.set_defaults(run=lambda args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _paths(args: argparse.Namespace, config: Config) -> list[str]:
    return definition_paths(args.paths, config)


def _load_checked(paths: list[str], config: Config) -> Loaded | None:
    """The checked model, or None after printing the errors that keep it off the site."""
    loaded = checked_definitions(paths, config, "the site was not built", color=sys.stdout.isatty())
    if loaded is None:
        return None
    report = loaded.report
    from leadspec.diagnostics import Severity

    warnings = report.count(Severity.WARNING)
    if warnings:
        noun = "warning" if warnings == 1 else "warnings"
        print(
            f"leadspec: note: the definitions have {warnings} {noun}; `leadspec check` shows them",
            file=sys.stderr,
        )
    return loaded


def _project(config: Config) -> Project:
    from leadspec.site.build import Project

    return Project.at(config.root)


# The measure options of `leadspec funnel` that mean nothing without a history (dest, flag).
_FUNNEL_ONLY = (
    ("period", "--period"),
    ("start", "--from"),
    ("end", "--to"),
    ("by", "--by"),
    ("as_of", "--as-of"),
    ("timezone", "--timezone"),
    ("map", "--map"),
    ("id_column", "--id"),
    ("input_format", "--input-format"),
    ("table", "--table"),
)


def _funnel_request(args: argparse.Namespace) -> Request | None:
    """The checked --funnel options (before the definitions load), or None when no page is asked for."""
    from leadspec.commands.funnel import read_request

    if not args.funnel and not args.snapshot:
        for dest, flag in _FUNNEL_ONLY:
            if getattr(args, dest) is not None:
                raise UserError(
                    f"{flag} is an option of the Funnel health page: give the stage history with --funnel HISTORY"
                )
        return None
    return read_request(args, args.funnel)


def _generate(loaded: Loaded, project: Project, funnel: FunnelReport | None = None) -> list[str]:
    from leadspec.site.build import SiteError, ensure_config, write_source
    from leadspec.site.content import generate

    try:
        if ensure_config(project):
            print(
                f"leadspec: wrote {project.config_file.name}, the site's settings (name, colours)",
                file=sys.stderr,
            )
        return write_source(generate(loaded.context, project.root, funnel), project.source)
    except SiteError as error:
        raise UserError(str(error)) from None


def run_build(args: argparse.Namespace) -> int:
    from leadspec.site.build import SiteError, mkdocs_build, site_url, stderr_echo

    try:
        published_at = site_url(args.site_url) if args.site_url is not None else None
    except SiteError as error:
        raise UserError(str(error)) from None
    config = config_from(args)
    request = _funnel_request(args)
    loaded = _load_checked(_paths(args, config), config)
    if loaded is None:
        return EXIT_FINDINGS
    funnel = None
    if request is not None:
        from leadspec.commands.funnel import measure

        funnel = measure(args, request, loaded.model)
    project = _project(config)
    changed = _generate(loaded, project, funnel)
    pages = _display(project.source)
    if args.pages_only:
        print(f"Wrote the pages in {pages} ({len(changed)} files changed).")
        return EXIT_OK
    try:
        out = mkdocs_build(project, args.out, echo=stderr_echo, published_at=published_at)
    except SiteError as error:
        raise UserError(str(error)) from None
    print(f"Built the site in {_display(out)} from the pages in {pages} ({len(changed)} files changed).")
    return EXIT_OK


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() + "/"
    except ValueError:
        return path.as_posix()


def run_serve(args: argparse.Namespace) -> int:
    import logging
    import os

    from leadspec.site.build import SiteError, load_mkdocs_config

    config = config_from(args)
    paths = _paths(args, config)
    loaded = _load_checked(paths, config)
    if loaded is None:
        return EXIT_FINDINGS
    project = _project(config)
    _generate(loaded, project)
    try:
        load_mkdocs_config(project)  # a clear message if mkdocs is missing or mkdocs.yml is wrong
    except SiteError as error:
        raise UserError(str(error)) from None
    from mkdocs.commands.serve import serve

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    watcher = _DefinitionWatcher(paths, config, project)
    watcher.start()
    # The snippet folder in mkdocs.yml is relative to the project: serve from there.
    os.chdir(project.config_file.parent)
    try:
        serve(str(project.config_file), dev_addr=args.dev_addr, strict=False)
    except Exception as error:  # mkdocs reports a port in use or a broken page as an exception
        raise UserError(f"the preview stopped: {error}") from None
    finally:
        watcher.stop()
    return EXIT_OK


class _DefinitionWatcher(threading.Thread):
    """Regenerate the pages when a definition file changes; mkdocs then rebuilds and reloads."""

    def __init__(self, paths: list[str], config: Config, project: Project, interval: float = 1.0) -> None:
        super().__init__(name="leadspec-definitions", daemon=True)
        self.paths = paths
        self.config = config
        self.project = project
        self.interval = interval
        self.stopped = threading.Event()
        self.seen = self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        from leadspec.api import UsageError, collect_files

        try:
            files = collect_files(self.paths, self.config.root)
        except UsageError:
            return {}
        state: dict[str, Any] = {}
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            state[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return state

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            current = self.snapshot()
            if current == self.seen:
                continue
            self.seen = current
            try:
                loaded = _load_checked(self.paths, self.config)
                if loaded is not None:
                    changed = _generate(loaded, self.project)
                    print(f"leadspec: definitions changed, {len(changed)} pages updated", file=sys.stderr)
            except UserError as error:
                print(f"leadspec: {error}", file=sys.stderr)
            except Exception as error:  # noqa: BLE001 - the preview must survive a bad edit
                print(f"leadspec: could not update the pages: {error}", file=sys.stderr)

    def stop(self) -> None:
        self.stopped.set()
