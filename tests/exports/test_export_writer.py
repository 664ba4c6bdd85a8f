"""Writing an export: all or nothing, inside --out only, never through symbolic links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from export_cases import tree

from leadspec import outputs
from leadspec.exports import writer
from leadspec.exports.writer import MARKER, ExportError, checked_path, drift, write

FILES = {MARKER: b"leadspec export csv\n", "a.txt": b"one\n", "sub/b.txt": b"two\n"}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_writes_exactly_the_files(tmp_path: Path) -> None:
    write(tmp_path / "out", FILES)
    assert tree(tmp_path / "out") == FILES
    assert leftovers(tmp_path) == []


def test_replaces_the_previous_export_whole(tmp_path: Path) -> None:
    write(tmp_path / "out", {**FILES, "old.txt": b"gone\n"})
    write(tmp_path / "out", FILES)
    assert tree(tmp_path / "out") == FILES
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic-exchange", "two-renames"])
def test_a_failure_while_writing_leaves_the_previous_export_and_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    write(tmp_path / "out", FILES)
    if not exchange:
        monkeypatch.setattr(outputs, "_exchange", lambda first, second: False)
    real_open = open
    calls = {"n": 0}

    def failing_open(path: object, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "x" in mode:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(ExportError, match="the disk is full"):
        write(tmp_path / "out", {**FILES, "a.txt": b"changed\n"})
    monkeypatch.undo()
    assert tree(tmp_path / "out") == FILES
    assert leftovers(tmp_path) == []


def test_a_failure_while_swapping_restores_the_previous_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "out", FILES)
    monkeypatch.setattr(outputs, "_exchange", lambda first, second: False)
    real_rename = os.rename
    calls = {"n": 0}

    def failing_rename(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the new folder moving into place
            raise OSError(5, "Input/output error")
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.os, "rename", failing_rename)
    with pytest.raises(ExportError):
        write(tmp_path / "out", {**FILES, "a.txt": b"changed\n"})
    monkeypatch.undo()
    assert tree(tmp_path / "out") == FILES
    assert leftovers(tmp_path) == []


def test_an_interrupt_leaves_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "chmod", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(tmp_path / "out", FILES)
    monkeypatch.undo()
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "name", ["../escape.txt", "/etc/passwd", "a/../../b", "", "a//b", "./a", "a\\b", "nul\x00.txt"]
)
def test_paths_outside_the_export_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError, match="outside the export folder"):
        checked_path(name)
    with pytest.raises(ExportError):
        write(tmp_path / "out", {**FILES, name: b"x"})
    assert not (tmp_path / "out").exists()
    assert not (tmp_path.parent / "escape.txt").exists()


def test_refuses_a_symbolic_link_as_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    (tmp_path / "out").symlink_to(target)
    with pytest.raises(ExportError, match="symbolic link"):
        write(tmp_path / "out", FILES)
    assert list(target.iterdir()) == []


def test_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file\n", encoding="utf-8")
    with pytest.raises(ExportError, match="not a folder"):
        write(tmp_path / "out", FILES)


def test_an_empty_folder_may_be_used(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    write(tmp_path / "out", FILES)
    assert tree(tmp_path / "out") == FILES


def test_a_symbolic_link_planted_in_an_old_export_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "out", FILES)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n", encoding="utf-8")
    (tmp_path / "out" / "a.txt").unlink()
    (tmp_path / "out" / "a.txt").symlink_to(secret)
    difference = drift(tmp_path / "out", FILES)
    assert "a.txt: is a symbolic link" in difference
    assert "secret" not in difference
    write(tmp_path / "out", FILES)
    assert tree(tmp_path / "out") == FILES
    assert secret.read_text(encoding="utf-8") == "secret\n"


def test_drift_is_empty_when_up_to_date(tmp_path: Path) -> None:
    write(tmp_path / "out", FILES)
    assert drift(tmp_path / "out", FILES) == ""
    assert "+changed" in drift(tmp_path / "out", {**FILES, "a.txt": b"changed\n"})
