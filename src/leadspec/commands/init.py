"""`leadspec init DIR`: a new company's definitions repository, ready in minutes.

Writes a starter lifecycle that `leadspec check` passes with no finding, a copy of
the schema for the editors, `[tool.leadspec]`, the pre-commit hook and the CI
workflow (see `leadspec.scaffold`). It never overwrites a file: a folder with files
in it is refused unless `--force`, and then the files already there are kept. The
files are written in a temporary folder next to DIR first and moved into place
only when all of them are written, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from leadspec.commands import EXIT_OK, UserError
from leadspec.outputs import reason

if TYPE_CHECKING:
    from leadspec.scaffold import Options

ORDER = 5
IGNORED = frozenset({".git"})  # a folder with only a fresh `git init` in it counts as empty


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "init",
        help="start a definitions repository for your company",
        description="Create DIR with a starter lead lifecycle (Response, MQL, SAL, SQL, Customer, "
        "Nurture, Disqualified) that passes `leadspec check`, a copy of the schema for your editor, "
        "[tool.leadspec] in pyproject.toml, the pre-commit hook, a GitHub Actions workflow and a "
        "README on how to change a definition. Existing files are never overwritten. Exit code 0 "
        "when created, 2 when DIR cannot be used.",
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to create (or an empty one)")
    parser.add_argument("--company", metavar="NAME", help='your company\'s name, as in "Acme lead lifecycle"')
    parser.add_argument(
        "--force",
        action="store_true",
        help="also write into a folder that has files; the files already there are kept",
    )
    parser.add_argument(
        "--github-org",
        metavar="ORG",
        help="your GitHub organization: each starter team gets the code owner @ORG/<team> and "
        ".github/CODEOWNERS is written (`leadspec owners --write`)",
    )
    parser.add_argument("--no-ci", action="store_true", help="no GitHub Actions workflow")
    parser.add_argument("--no-pre-commit", action="store_true", help="no .pre-commit-config.yaml")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec.scaffold import Options, render

    options = Options(
        company=_company(args.company),
        ci=not args.no_ci,
        pre_commit=not args.no_pre_commit,
        github_org=_github_org(args.github_org),
    )
    target: Path = args.dir
    existing = _existing_entries(target)
    if existing and not args.force:
        shown = ", ".join(sorted(existing)[:3]) + (", ..." if len(existing) > 3 else "")
        raise UserError(
            f"{target} already has files in it ({shown}); choose a new folder, or add --force to "
            "add the starter files and keep the ones there"
        )
    files = render(options)
    kept = _write(target, files)
    _report(target, options, files, kept)
    return EXIT_OK


def _company(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.split())
    if not name:
        raise UserError("--company: give your company's name, for example --company Acme")
    if len(name) > 80 or not name.isprintable():
        raise UserError("--company: the name must be one line of at most 80 printable characters")
    return name


def _github_org(name: str | None) -> str | None:
    from leadspec.scaffold import GITHUB_NAME

    if name is None:
        return None
    org = name.strip().removeprefix("@")
    if not GITHUB_NAME.fullmatch(org):
        raise UserError(
            f"--github-org: {name!r} is not a GitHub organization name; use the name from your "
            "organization's address github.com/NAME (letters, digits and single hyphens, not first "
            "or last, at most 39 characters), for example --github-org acme"
        )
    return org


def _existing_entries(target: Path) -> list[str]:
    """What is in `target` already (nothing when it does not exist); refuse what is no folder."""
    try:
        if not target.exists():
            for parent in target.parents:
                if parent.exists():
                    if not parent.is_dir():
                        raise UserError(f"{target}: {parent} is a file, not a folder")
                    break
            return []
        if not target.is_dir():
            raise UserError(f"{target} is a file; give the name of a folder to create")
        return [entry.name for entry in target.iterdir() if entry.name not in IGNORED]
    except PermissionError:
        raise UserError(f"{target}: permission denied") from None


def _write(target: Path, files: dict[str, str]) -> list[str]:
    """Write `files` under `target` all or nothing; return the paths kept because they existed."""
    # Next to DIR when it is new (then one rename), inside it when it exists: same file system.
    place = target if target.is_dir() else target.absolute().parent
    try:
        place.mkdir(parents=True, exist_ok=True)
        staging = _staging_folder(place, target)
    except OSError as error:
        raise UserError(f"cannot create {target}: {reason(error)}") from None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        if not target.exists():
            os.rename(staging, target)  # one step: DIR appears complete or not at all
            return []
        return _merge(staging, target, files)
    except OSError as error:
        raise UserError(f"cannot create {target}: {reason(error)}; nothing was written") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_folder(place: Path, target: Path) -> Path:
    """A new, empty folder in `place`, made as `mkdir` makes one (the umask decides its mode).

    Not `tempfile.mkdtemp`: its folders are private (0700), and this one becomes DIR.
    """
    while True:
        staging = place / f".{target.absolute().name}.leadspec-init-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            return staging
        except FileExistsError:
            continue


def _merge(staging: Path, target: Path, files: dict[str, str]) -> list[str]:
    """Move the files that `target` lacks into it; on a failure, take back the ones moved."""
    kept = [relative for relative in files if (target / relative).exists()]
    for relative in files:
        for folder in Path(relative).parents:
            if (target / folder).is_file():
                raise UserError(
                    f"{target / folder} is a file, but the starter puts {relative} in a folder of that "
                    "name; move the file away, then run this again (nothing was written)"
                )
    moved: list[Path] = []
    made: list[Path] = []
    try:
        for relative in files:
            if relative in kept:
                continue
            destination = target / relative
            for folder in reversed(destination.parents):
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            os.rename(staging / relative, destination)
            moved.append(destination)
    except OSError:
        for path in reversed(moved):
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return kept


def _report(target: Path, options: Options, files: dict[str, str], kept: list[str]) -> None:
    from leadspec.scaffold import install_requirement, local_install

    requirement = install_requirement()
    written = len(files) - len(kept)
    here = target.resolve() == Path.cwd().resolve()
    place = "the current folder" if here else f"{target}/"
    print(f"Created a starter lead lifecycle in {place} ({written} files).")
    for relative in kept:
        print(f"  kept your {relative} (leadspec's starter version was not written)")
    print(
        "\nNext:\n"
        + ("" if here else f"  cd {shlex.quote(str(target))}\n")
        + f'  pip install "{requirement}"\n'
        "  leadspec check              # the starter passes; now make it yours\n"
        "  leadspec site serve         # the glossary, as sales and marketing will read it\n"
        "  git init && git add . && git commit -m 'Lead lifecycle definitions'\n"
        + (
            "  pip install pre-commit && pre-commit install   # check before every commit\n"
            if options.pre_commit
            else ""
        )
        + "README.md says how to change a definition and what to turn on in GitHub."
    )
    if options.ci and local_install(requirement):
        print(
            "\nBefore the first push: this leadspec was installed from a file or folder on this machine, "
            "which GitHub's runners cannot reach. Put the release your company uses (for example "
            "leadspec[site] @ git+https://github.com/acme/leadspec@v1.2.0) in the `leadspec:` line "
            "of .github/workflows/leadspec.yml."
        )
