"""Writing an export: all or nothing, only inside --out, never through a symbolic link.

The files are written into a fresh folder beside --out, then swapped in with one rename (an
atomic exchange where the system offers one), so a failure at any point leaves the previous
export as it was and no temporary files behind. Each export carries a marker file; a
non-empty folder without it is never replaced, so a mistyped --out cannot wipe a folder
that is not an export. `drift` compares what would be written with what is there.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from leadspec.outputs import reason, replace_folder

MARKER = ".leadspec-export"


class ExportError(Exception):
    """Why the export could not be written, in plain words."""


def checked_path(relative: str) -> PurePosixPath:
    """A relative path that stays inside the export folder, or ExportError."""
    path = PurePosixPath(relative)
    if (
        not relative
        or path.is_absolute()
        or "\\" in relative
        or "\x00" in relative
        or any(part in ("", ".", "..") for part in relative.split("/"))
    ):
        raise ExportError(f"refusing to write `{relative}`: it would land outside the export folder")
    return path


def _symbolic_link_on_the_way(out: Path) -> Path | None:
    """`out`, or a folder between the current folder and it, that is a symbolic link."""
    if out.is_symlink():
        return out
    here = Path.cwd()
    full = out if out.is_absolute() else here / out
    try:
        parts = full.relative_to(here).parts
    except ValueError:
        return None  # outside the current folder: only --out itself is checked
    walk = here
    for part in parts:
        walk = walk / part
        if walk.is_symlink():
            return walk
    return None


def _check_target(out: Path) -> None:
    link = _symbolic_link_on_the_way(out)
    if link is not None:
        raise ExportError(
            f"{link} is a symbolic link; refusing to write through it: give the real folder as --out"
        )
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ExportError(
            f"{out} is not empty and holds no earlier leadspec export ({MARKER} is missing); "
            "refusing to replace it: give an empty or new folder as --out"
        )


def write(out: Path, files: Mapping[str, bytes]) -> None:
    """Replace the folder `out` with exactly `files` (relative path -> bytes), atomically."""
    planned = {checked_path(name): data for name, data in files.items()}
    _check_target(out)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=parent))
    except OSError as error:
        raise ExportError(f"cannot write {out}: {reason(error)}") from None
    try:
        for relative, data in sorted(planned.items()):
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:  # "x": never through something already there
                handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        replace_folder(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"cannot write {out}: {reason(error)}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_tree(out: Path) -> dict[str, bytes | None]:
    """What is in the folder now; a symbolic link reads as None (never followed)."""
    found: dict[str, bytes | None] = {}
    if not out.is_dir() or out.is_symlink():
        return found
    for root, folders, names in os.walk(out, followlinks=False):
        base = Path(root)
        for name in names + [f for f in folders if (base / f).is_symlink()]:
            path = base / name
            relative = path.relative_to(out).as_posix()
            found[relative] = None if path.is_symlink() else path.read_bytes()
    return found


def drift(out: Path, files: Mapping[str, bytes]) -> str:
    """A unified diff from what is in `out` to what the export would write ('' if none)."""
    current = read_tree(out)
    chunks: list[str] = []
    for name in sorted(set(current) | set(files)):
        old, new = current.get(name), files.get(name)
        if old == new and old is not None:
            continue
        if name in current and old is None:
            chunks.append(f"{name}: is a symbolic link, the export has a file here\n")
            continue
        old_lines = _lines(old) if name in current else []
        new_lines = _lines(new) if new is not None else []
        diff = difflib.unified_diff(
            old_lines,
            new_lines,
            fromfile=f"a/{name}" if name in current else "/dev/null",
            tofile=f"b/{name}" if new is not None else "/dev/null",
        )
        chunks.append(
            "".join(
                line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff
            )
        )
    return "".join(chunks)


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)
