"""The modules a package holds, found by their file names: how rules and commands are discovered.

Adding a rule or a command is adding a file, so both packages list their folder at
start-up. `pkgutil.iter_modules` does that, but imports `inspect` (and with it `ast`,
`dis` and `tokenize`) to read a file name, 4 ms of every `leadspec check`. An installed
leadspec is a folder of files, so the folder is listed here the way pkgutil lists it;
anything else (a zip archive) is left to pkgutil.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib.machinery import all_suffixes


def submodules(path: Iterable[str]) -> list[str]:
    """The names of the modules and packages in a package's `__path__`, as pkgutil.iter_modules gives them."""
    if isinstance(path, str):  # a folder's name, read as a list of one-letter folders
        raise ValueError("path must be None or list of paths to look for modules in")
    # The longest first: `.cpython-311-x86_64-linux-gnu.so` before `.so`.
    suffixes = sorted(all_suffixes(), key=len, reverse=True)
    found: list[str] = []
    for item in path:
        folder = os.fsdecode(item)  # bytes and Path items too, as pkgutil.get_importer takes them
        try:
            entries = sorted(os.listdir(folder))
        except OSError:  # not a folder: a zip archive, say
            import pkgutil

            found += [info.name for info in pkgutil.iter_modules([folder]) if info.name not in found]
            continue
        for entry in entries:
            name = _module_name(entry, suffixes)
            if name is None:  # a package's folder, even one called __init__, as in pkgutil
                if "." in entry or not _is_package(os.path.join(folder, entry), suffixes):
                    continue
                name = entry
            elif name == "__init__":  # the package's own module
                continue
            if "." not in name and name not in found:
                found.append(name)
    return found


def _module_name(entry: str, suffixes: list[str]) -> str | None:
    for suffix in suffixes:
        if entry.endswith(suffix):
            return entry[: -len(suffix)]
    return None


def _is_package(folder: str, suffixes: list[str]) -> bool:
    try:
        entries = os.listdir(folder)
    except OSError:  # a file without a module suffix, or unreadable
        return False
    return any(_module_name(entry, suffixes) == "__init__" for entry in entries)
