"""`submodules` lists a package's modules as `pkgutil.iter_modules` does: same names, same order.

Rules and commands are found by listing their folders (`leadspec.submodules`, which
spares `leadspec check` importing inspect); each case here is checked against pkgutil
itself, on leadspec's own packages and on folders built for the purpose.
"""

from __future__ import annotations

import os
import pkgutil
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leadspec.commands
import leadspec.rules
from leadspec.submodules import submodules


def pkgutil_names(path: list[str]) -> list[str]:
    return [info.name for info in pkgutil.iter_modules(path)]


def make(root: Path, entries: list[str]) -> list[str]:
    """Files and folders under `root` (a name ending in `/` is a folder); `[str(root)]`."""
    for entry in entries:
        target = root / entry
        if entry.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("")
    return [str(root)]


@pytest.mark.parametrize("package", [leadspec.rules, leadspec.commands], ids=["rules", "commands"])
def test_leadspecs_own_packages_list_as_pkgutil_lists_them(package: object) -> None:
    path = list(package.__path__)  # type: ignore[attr-defined]
    assert submodules(path) == pkgutil_names(path)
    assert submodules(path)  # not two empty lists


def test_a_package_folder_of_every_kind_of_entry(tmp_path: Path) -> None:
    path = make(
        tmp_path,
        [
            "__init__.py",
            "zeta.py",
            "alpha.py",
            "sub/__init__.py",  # a sub-package
            "sub/inner.py",
            "loose/",  # a folder without __init__: a namespace package, not listed
            "loose/thing.py",
            "__pycache__/alpha.cpython-311.pyc",
            "dotted.name.py",  # not importable as a name
            "dotted.dir/__init__.py",
            "compiled.pyc",  # a module with no source
            "same/__init__.py",  # a package and a module of one name: listed once
            "same.py",
            "native.so",
            "_private.py",
            "notes.txt",
            "README",
            "__init__/",  # a folder called __init__, not a package
            "odd/__init__/__init__.py",  # ... and one that is: pkgutil lists it
            "pkg_init_pyc/__init__.pyc",  # a package whose __init__ is compiled only
            "init_is_a_folder/__init__.py/",
            "module_folder.py/",  # a folder named like a module
        ],
    )
    listed = submodules(path)
    assert listed == pkgutil_names(path)
    assert "same" in listed and "compiled" in listed and "sub" in listed and "loose" not in listed
    inner = [str(tmp_path / "odd")]
    assert submodules(inner) == pkgutil_names(inner) == ["__init__"]


def test_several_folders_list_a_name_once_in_the_first_folders_place(tmp_path: Path) -> None:
    first = make(tmp_path / "one", ["b.py", "a.py"])
    second = make(tmp_path / "two", ["a.py", "c/__init__.py", "0.py"])
    missing = [str(tmp_path / "nowhere")]
    path = first + missing + second
    assert submodules(path) == pkgutil_names(path) == ["a", "b", "0", "c"]


def test_a_zip_archive_is_left_to_pkgutil(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for name in ("pkg/__init__.py", "pkg/one.py", "pkg/two/__init__.py", "pkg/three.txt"):
            bundle.writestr(name, "")
    path = [str(archive / "pkg")]
    try:
        assert submodules(path) == pkgutil_names(path) == ["one", "two"]
    finally:
        sys.path_importer_cache.pop(str(archive / "pkg"), None)


def test_path_items_as_paths_or_bytes_and_a_string_refused(tmp_path: Path) -> None:
    make(tmp_path, ["b.py", "a/__init__.py"])
    assert submodules([tmp_path]) == pkgutil_names([tmp_path]) == ["a", "b"]  # type: ignore[list-item]
    raw = [os.fsencode(tmp_path)]
    assert submodules(raw) == pkgutil_names(raw) == ["a", "b"]  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="list of paths"):
        submodules(str(tmp_path))


# Random folders: names with dots and underscores, every suffix Python imports, folders
# with and without an __init__ of some kind.
STEMS = st.sampled_from(["a", "b", "ab", "_x", "__init__", "a.b", "B", "1", "__pycache__"])
SUFFIXES = st.sampled_from(
    ["", ".py", ".pyc", ".so", ".abi3.so", ".cpython-311-x86_64-linux-gnu.so", ".txt", ".pyw"]
)
ENTRY = st.tuples(STEMS, SUFFIXES, st.sampled_from(["file", "folder", "package", "compiled_package"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folders=st.lists(st.lists(ENTRY, max_size=8), min_size=1, max_size=3))
def test_any_folders_list_as_pkgutil_lists_them(folders: list[list[tuple[str, str, str]]]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        path = []
        for index, entries in enumerate(folders):
            root = Path(temporary) / str(index)
            root.mkdir()
            for stem, suffix, kind in entries:
                name = stem + suffix
                if (root / name).exists():
                    continue
                if kind == "file":
                    make(root, [name])
                elif kind == "folder":
                    make(root, [name + "/"])
                else:
                    make(root, [name + ("/__init__.py" if kind == "package" else "/__init__.pyc")])
            path.append(str(root))
        assert submodules(path) == pkgutil_names(path)
