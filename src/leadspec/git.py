"""Running git, for the commands that read another revision (`diff`, `owners --required`).

One place decides how git runs, so every command behaves the same: it never
asks for a password (`GIT_TERMINAL_PROMPT=0`), never takes optional locks (a
read never refreshes the user's index), speaks English (`LC_ALL=C`, so its
last words can be passed on), and a missing git is a plain `GitError`, not a
traceback. A revision's files are read with `git ls-tree` and one
`git cat-file --batch`, never by checking anything out.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

DEFINITION_SUFFIXES = (".yaml", ".yml")

# What GitHub Actions users need to hear when the history is cut short.
SHALLOW_HINT = (
    "this is a shallow clone, so older commits are missing: fetch the whole history "
    "(`git fetch --unshallow`, or in GitHub Actions `actions/checkout` with `fetch-depth: 0`)"
)


class GitError(Exception):
    """git could not run or could not answer; the message is in plain words."""


def run(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """git's answer, whatever its exit code; GitError only when git itself cannot run."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=env, check=False)
    except OSError:
        raise GitError("git is not installed or cannot run") from None


def text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8", errors="replace").strip()


def complaint(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's last line on stderr: the one that says what went wrong."""
    lines = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else f"git {' '.join(map(str, result.args[1:]))} failed"


def output(args: Sequence[str], cwd: Path) -> bytes:
    """git's stdout; GitError with git's own last words when it fails."""
    result = run(args, cwd)
    if result.returncode != 0:
        raise GitError(complaint(result))
    return result.stdout


def is_definition(path: PurePosixPath) -> bool:
    return path.suffix in DEFINITION_SUFFIXES


def read_files(
    top: Path,
    commit: str,
    paths: Sequence[PurePosixPath | str],
    keep: Callable[[PurePosixPath], bool] = is_definition,
) -> dict[PurePosixPath, bytes]:
    """The files under `paths` at `commit` that `keep` wants, by path from the repository's top.

    Submodules and symbolic links are left out: their "contents" are no definitions.
    """
    specs = [PurePosixPath(path).as_posix() for path in paths]
    listing = run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *specs], top)
    if listing.returncode != 0:
        raise GitError(f"cannot list the files of {commit[:12]}: {complaint(listing)}")
    wanted: list[tuple[str, PurePosixPath]] = []
    for entry in listing.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, _, name = entry.partition("\t")
        mode, kind, blob = meta.split()
        path = PurePosixPath(name)
        if kind == "blob" and mode != "120000" and keep(path):
            wanted.append((blob, path))
    if not wanted:
        return {}
    batch = run(["cat-file", "--batch"], top, stdin="".join(f"{blob}\n" for blob, _ in wanted).encode())
    if batch.returncode != 0:
        raise GitError(f"git could not read the files: {complaint(batch)}")
    data = batch.stdout
    found: dict[PurePosixPath, bytes] = {}
    position = 0
    for _blob, path in wanted:
        header_end = data.index(b"\n", position)
        header = data[position:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            raise GitError(f"{path} is missing from this clone; {SHALLOW_HINT}")
        size = int(header[2])
        start = header_end + 1
        found[path] = data[start : start + size]
        position = start + size + 1
    return found


def write_files(files: Mapping[PurePosixPath, bytes], folder: Path) -> None:
    """Copy files read from a revision into `folder`, keeping their paths."""
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


__all__ = [
    "DEFINITION_SUFFIXES",
    "GitError",
    "SHALLOW_HINT",
    "complaint",
    "is_definition",
    "output",
    "read_files",
    "run",
    "text",
    "write_files",
]
