"""The two sides of a diff as folders of definitions: a git ref, a folder, or the working tree.

A git ref is read with `git ls-tree` and `git cat-file` into a temporary
folder, so the user's working tree, index and checked-out branch are never
touched (status is asked with `GIT_OPTIONAL_LOCKS=0`, which keeps git from
refreshing the index either). Each side reads its definitions from the paths
in *its own* `[tool.leadspec]` (the pyproject.toml at the same place in that
revision), so a repository that moved its definitions still diffs.

Problems a person must fix before anything can be compared (an unknown ref, a
shallow clone without the base) raise `RevisionError`, which the command turns
into exit code 2.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from leadspec import git
from leadspec.config import Config, ConfigError, load_config
from leadspec.git import SHALLOW_HINT, GitError
from leadspec.outputs import reason
from leadspec.structs import field, struct
from leadspec.suggest import closest


class RevisionError(Exception):
    """A side of the diff could not be found or read (exit code 2)."""


@struct(frozen=False)
class Tree:
    """One side, ready to load: definitions paths on disk and how to name them for people.

    `shown` maps a folder prefix on disk (the temporary copy of a git revision)
    to the prefix people see (`main:`), so findings point at `main:definitions/x.yaml`.
    """

    name: str  # "main (3f2a1bc)", "the working tree", "old-definitions/"
    paths: list[Path]
    config: Config
    kind: str  # "git", "folder" or "worktree"
    ref: str | None = None
    commit: str | None = None
    shown: tuple[str, str] | None = None
    notes: list[str] = field(default_factory=list)

    def display(self, file: str) -> str:
        """A file as people should see it: `main:definitions/x.yaml` for a copy of a git revision."""
        if self.shown is not None:
            prefix, label = self.shown
            full = str(Path(file).absolute()) if not Path(file).is_absolute() else file
            if full.startswith(prefix):
                return label + full[len(prefix) :].replace(os.sep, "/")
        return file


# -- git ---------------------------------------------------------------------------


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return git.run(args, cwd)
    except GitError:
        raise RevisionError(
            "git is not installed, so git refs cannot be read (compare two folders instead)"
        ) from None


@struct
class Repository:
    """A git work tree: its top folder, and the folder of the config relative to it."""

    top: Path
    prefix: PurePosixPath  # where pyproject.toml lives, relative to `top` ("." at the top)

    def git(self, args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
        return _git(args, self.top)

    @property
    def shallow(self) -> bool:
        return git.text(self.git(["rev-parse", "--is-shallow-repository"])) == "true"

    def commit(self, ref: str) -> str | None:
        """The commit a ref names, or None when there is no such branch, tag or commit."""
        if ref.startswith("-"):
            return None
        result = self.git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
        return git.text(result) or None if result.returncode == 0 else None

    def names(self) -> list[str]:
        result = self.git(
            ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes"]
        )
        return [line for line in git.text(result).splitlines() if line and not line.endswith("/HEAD")]

    def require(self, ref: str) -> str:
        """The commit `ref` names; a RevisionError in plain words (with a guess) when there is none."""
        commit = self.commit(ref)
        if commit is not None:
            return commit
        message = f"`{quoted(ref)}` is no branch, tag or commit in this repository"
        guess = closest(ref, self.names())
        if guess is not None:
            message += f" (did you mean `{guess}`?)"
        if self.shallow:
            message += f"; {SHALLOW_HINT}"
        raise RevisionError(message)

    def default_branch(self) -> str | None:
        """`origin/HEAD`'s branch, else main or master (remote first): what pull requests merge into."""
        result = self.git(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])
        if result.returncode == 0:
            name = git.text(result).removeprefix("refs/remotes/")
            if self.commit(name):
                return name
        for name in ("origin/main", "origin/master", "main", "master"):
            if self.commit(name):
                return name
        return None

    def merge_base(self) -> tuple[str, str]:
        """(commit, words) for the default base: the merge base of the default branch and HEAD."""
        branch = self.default_branch()
        if branch is None:
            raise RevisionError(
                "no base given, and there is no origin/HEAD, main or master branch to compare with: "
                "name the base, e.g. `leadspec diff v1.2` or `leadspec diff HEAD~1`"
            )
        if self.commit("HEAD") is None:
            raise RevisionError("this repository has no commits yet: name a folder to compare with")
        result = self.git(["merge-base", branch, "HEAD"])
        if result.returncode != 0 or not git.text(result):
            if self.shallow:
                raise RevisionError(f"cannot find where this branch left `{branch}`: {SHALLOW_HINT}")
            raise RevisionError(
                f"this branch shares no history with `{branch}`: name the base to compare with"
            )
        return git.text(result), f"the merge base of {branch} and HEAD"

    def dirty(self, paths: Sequence[PurePosixPath]) -> list[str]:
        """Files under `paths` with uncommitted changes (staged, unstaged or untracked)."""
        specs = [path.as_posix() for path in paths] or ["."]
        result = self.git(["status", "--porcelain", "-z", "--untracked-files=all", "--", *specs])
        entries = result.stdout.decode("utf-8", errors="replace").split("\0")
        return [entry[3:] for entry in entries if len(entry) > 3]

    def read(self, commit: str, paths: Sequence[PurePosixPath]) -> dict[PurePosixPath, bytes]:
        """Every *.yaml/*.yml file at `commit` under `paths`, plus pyproject.toml files named there."""
        try:
            return git.read_files(self.top, commit, paths, _wanted)
        except GitError as error:
            raise RevisionError(str(error)) from None


def _wanted(path: PurePosixPath) -> bool:
    return git.is_definition(path) or path.name == "pyproject.toml"


def repository(config: Config) -> Repository | None:
    """The git work tree holding the configuration's folder, or None outside git."""
    result = _git(["rev-parse", "--show-toplevel"], config.root)
    if result.returncode != 0:
        return None
    top = Path(git.text(result)).resolve()
    try:
        prefix = PurePosixPath(config.root.resolve().relative_to(top).as_posix())
    except ValueError:
        return None
    return Repository(top, prefix)


# -- the sides -----------------------------------------------------------------------


def worktree(config: Config) -> Tree:
    """The definitions as they are on disk now (uncommitted changes included)."""
    paths = [config.root / path for path in config.paths]
    return Tree("the working tree", [path for path in paths if path.exists()], config, "worktree")


def folder(path: Path, config: Config) -> Tree:
    """A folder: a project with its own [tool.leadspec], else a folder of definitions."""
    pyproject = path / "pyproject.toml"
    try:
        with os.scandir(path):
            pass
    except OSError as error:
        raise RevisionError(f"cannot read the folder {quoted(str(path))}: {reason(error)}") from None
    try:
        own = load_config(pyproject) if pyproject.is_file() else None
    except ConfigError as error:
        raise RevisionError(str(error)) from None
    except OSError as error:
        raise RevisionError(f"cannot read {quoted(str(pyproject))}: {reason(error)}") from None
    if own is not None and own.source is not None:
        paths = [own.root / p for p in own.paths]
        return Tree(f"{path.as_posix().rstrip('/')}/", [p for p in paths if p.exists()], own, "folder")
    return Tree(f"{path.as_posix().rstrip('/')}/", [path], config, "folder")


def at_commit(repo: Repository, commit: str, ref: str, config: Config, scratch: Path) -> Tree:
    """The definitions as they were at `commit`, copied into `scratch` (a fresh folder)."""
    notes: list[str] = []
    base_prefix = repo.prefix
    pyproject = base_prefix / "pyproject.toml"
    files = repo.read(commit, [pyproject])
    side_config = Config(paths=config.paths, max_file_size=config.max_file_size, root=scratch / base_prefix)
    if pyproject in files:
        target = scratch / pyproject
        git.write_files({pyproject: files[pyproject]}, scratch)
        try:
            side_config = load_config(target)
        except ConfigError:
            notes.append(f"its {pyproject} could not be read, so the working tree's `paths` were used")
    specs = []
    for raw in side_config.paths:
        relative = PurePosixPath(raw)
        if relative.is_absolute() or ".." in relative.parts:
            raise RevisionError(
                f"`paths` entry {raw!r} must be a folder inside the repository to be read from git"
            )
        specs.append(base_prefix / relative)
    files = repo.read(commit, specs)
    git.write_files({path: data for path, data in files.items() if path.name != "pyproject.toml"}, scratch)
    paths = [scratch / spec for spec in specs if (scratch / spec).exists()]
    missing = [spec.as_posix() for spec in specs if not (scratch / spec).exists()]
    if missing:
        notes.append(f"{', '.join(missing)} did not exist yet")
    short = commit[:7]
    is_hash = commit.startswith(ref.lower()) and len(ref) >= 4
    name = short if is_hash else f"{ref} ({short})"
    shown = (str(scratch.resolve()) + os.sep, f"{short if is_hash else ref}:")
    return Tree(name, paths, side_config, "git", ref=ref, commit=commit, shown=shown, notes=notes)


def quoted(name: str, limit: int = 60) -> str:
    """A name as a message quotes it, cut short: a pasted 5,000-character "ref" must not flood the terminal."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _on_disk(path: Path) -> str | None:
    """What is at `path`: "folder", "other" (a file, a FIFO...) or None when nothing is.

    A name longer than the file system allows names nothing on disk (it may still be a ref);
    any other refusal (permission denied) is raised as the OSError it is.
    """
    try:
        if path.is_dir():
            return "folder"
        return "other" if path.exists() else None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return None
        raise


def open_side(
    argument: str | None, config: Config, repo: Repository | None, scratch: Path, what: str = "the ref"
) -> Tree:
    """A command-line argument as a side: an existing folder, else a git ref; None: the working tree.

    `what` names the argument in messages ("the base"), so an empty one says which.
    """
    if argument is None:
        return worktree(config)
    if not argument.strip():
        raise RevisionError(
            f"{what} is empty ({argument!r}): name a git revision (e.g. HEAD~1 or main) "
            "or a folder of definitions"
        )
    shown = quoted(argument)
    path = Path(argument)
    try:
        there = _on_disk(path)
    except OSError as error:
        if repo is not None and repo.commit(argument) is not None:
            there = None  # an unreadable folder of the same name does not hide a ref
        else:
            raise RevisionError(f"cannot read {shown}: {reason(error)}") from None
    if there == "folder":
        return folder(path, config)
    is_file = f"{shown} is a file: name a folder of definitions or a git ref"
    if repo is None:
        if there is not None:
            raise RevisionError(is_file)
        raise RevisionError(
            f"{shown} is no folder, and this is not a git repository, so it cannot be a git ref"
        )
    if there is not None and repo.commit(argument) is None:
        raise RevisionError(is_file)
    commit = repo.require(argument)
    return at_commit(repo, commit, argument, config, scratch)


__all__ = [
    "RevisionError",
    "Repository",
    "SHALLOW_HINT",
    "Tree",
    "at_commit",
    "folder",
    "open_side",
    "quoted",
    "repository",
    "worktree",
]
