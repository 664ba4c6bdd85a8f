"""Writing an output the user named: the one place leadspec creates or replaces a file.

Every command writes its output files through here (`write_text`, `write_bytes`, or
`staged` for a file another program writes, such as DuckDB's COPY); the folder
writers (exports/writer.py, site/build.py) build their folder beside the target and
swap it in with `replace_folder`, and word their failures with `reason`:

- a regular file, or a new one, is replaced in one step: written to a temporary file
  beside it and renamed over it, so a reader never sees it half-written; the
  temporary file is removed whatever goes wrong, and a file replaced keeps its mode;
- a character or block device or a FIFO (`-o /dev/null`, `-o /dev/stdout`, a named
  pipe) is written in place and never renamed over: a rename would replace the
  device node itself, which, run as root, would replace the system's `/dev/null`;
- a symbolic link is followed: the file it points to is replaced, the link stays;
- a folder is refused (`it is a folder`);
- what the operating system refuses (a read-only or full file system, a name too
  long, a folder under /proc) is an `OutputError` saying so in words, with the path:
  the command stops with exit code 2, never with a traceback.
"""

from __future__ import annotations

# Imported by the CLI for every command, `check` included: what only some writes need
# (shutil, tempfile, ctypes) is imported where it is used.
import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

# The reasons the operating system gives, in the words a user acts on.
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is longer than the file system allows",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOENT: "a folder on the way does not exist",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.EEXIST: "something is already there",
    errno.EXDEV: "the temporary file and the target are on different file systems",
    errno.EIO: "the disk reported an input/output error",
    errno.ELOOP: "symbolic links on the way form a loop",
    errno.ETXTBSY: "the file is in use",
}


class OutputError(Exception):
    """An output could not be written; the message names it and says why (exit code 2)."""


def reason(error: OSError) -> str:
    """Why the operating system refused, in words (its own text for what is not listed)."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return error.strerror or str(error) or type(error).__name__


def refused(path: Path | str, error: OSError) -> OutputError:
    """`cannot write PATH: REASON`, for a failure at `path`."""
    return OutputError(f"cannot write {path}: {reason(error)}")


def _in_place(path: Path) -> bool:
    """A device or a FIFO: written into, never replaced."""
    try:
        mode = os.stat(path).st_mode  # follows a symbolic link: /dev/stdout -> /proc/self/fd/1
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)


def _target(path: Path) -> Path:
    """The file that is written: a symbolic link's target (followed, the link stays), else `path`."""
    try:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a folder")
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError as error:  # a name too long, a folder on the way that cannot be read
        raise refused(path, error) from None


def _temporary_beside(target: Path) -> Path:
    """A name for a temporary file next to `target`: short (a long target name must still fit), with
    the target's extension (a program writing it may choose its format by it, as DuckDB's COPY)."""
    return target.with_name(f".leadspec-{os.urandom(6).hex()}{target.suffix[:16] or '.tmp'}")


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` as the module docstring says; OutputError when it cannot be done."""
    if _in_place(path):
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise refused(path, error) from None
        return
    target = _target(path)
    temporary = _temporary_beside(target)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise refused(path, error) from None


def write_text(path: Path, text: str) -> None:
    """`write_bytes` of the text as UTF-8, whatever the locale."""
    write_bytes(path, text.encode("utf-8"))


def _keep_mode(target: Path, temporary: Path) -> None:
    """A file replaced keeps its permissions (a rename would give it the temporary file's)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temporary, mode)


@contextlib.contextmanager
def staged(path: Path, scratch: Path | None = None) -> Iterator[Path]:
    """A path for another program to write the output into; put in place when the block ends well.

    Beside the target for a regular file (then renamed over it), in `scratch` (or the
    system's temporary folder) for a device or FIFO (then copied into it). Removed
    when the block raises. OSErrors while putting it in place are `OutputError`.
    """
    import shutil
    import tempfile

    if _in_place(path):
        folder = Path(tempfile.mkdtemp(prefix="leadspec-out-", dir=scratch))
        temporary = folder / f"output{path.suffix[:16]}"
        try:
            yield temporary
            try:
                with open(temporary, "rb") as source, open(path, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
            except OSError as error:
                raise refused(path, error) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    target = _target(path)
    temporary = _temporary_beside(target)
    try:
        yield temporary
        try:
            _keep_mode(target, temporary)
            os.replace(temporary, target)
        except OSError as error:
            raise refused(path, error) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def reason_in(message: str) -> str | None:
    """The reason, in words, when another program's error message carries the system's text for it
    (DuckDB's IOException says `No space left on device`); None when it names none of them."""
    for code, words in _REASONS.items():
        if os.strerror(code) in message:
            return words
    return None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unavailable."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` (built beside `target`) in place of `target`, never half of either.

    Swapped in one step where the system offers it; else the old folder is renamed
    aside first and put back if the second rename fails. The old contents are removed
    afterwards. OSError is raised as it is: the caller words it (it knows what it built).
    """
    import shutil

    if not target.is_dir():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous folder
        return
    retired = new.with_name(new.name + ".old")
    os.rename(target, retired)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def make_folders(path: Path) -> None:
    """The folders up to `path` (for an output inside a new folder); OutputError when refused."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot write {path}: a file is in the way, not a folder") from None
    except OSError as error:
        raise refused(path, error) from None


__all__ = [
    "OutputError",
    "make_folders",
    "replace_folder",
    "reason",
    "reason_in",
    "refused",
    "staged",
    "write_bytes",
    "write_text",
]
