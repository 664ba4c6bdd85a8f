"""Writing outputs never hurts the machine and always explains itself (issue 16, `leadspec.outputs`).

- A device or FIFO named as the output is written in place, never replaced by a file
  (run as root, `-o /dev/null` would otherwise replace the system's /dev/null): checked
  with a private device node (the kernel's null device, made with mknod) for every
  command that writes a file.
- What the operating system refuses is a plain sentence, exit 2, and nothing left
  behind: a full and a read-only file system (a small tmpfs the test mounts), a name
  longer than the file system allows, a folder under /proc.
- A symbolic link is followed: the file it points to is replaced, the link stays.

Mounting and mknod need root (CI runs as root); elsewhere those tests are skipped with
the reason.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LEADS = (
    "lead_score,fit_score,engagement_actions,key_content_downloaded,demo_requested,employees,seniority,"
    "region,email_verified,is_competitor,is_partner,unsubscribed,disqualified,sdr_status,"
    "days_since_last_touch,deal_status\n"
    "70,60,5,true,true,500,vp,emea,true,false,false,false,false,new,3,none\n"
)


def leadspec(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadspec", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outputs")
    (root / "leads.csv").write_text(LEADS, encoding="utf-8")
    return root


# Each command that writes one file, with the file it writes last.
COMMANDS: dict[str, list[str]] = {
    "check --output": ["check", "definitions", "--format", "json", "--output"],
    "diff --output": ["diff", "definitions", "definitions", "--output"],
    "sql --output": ["sql", "definitions", "--table", "crm.leads", "--crm", "salesforce", "--output"],
    "schema --output": ["schema", "--output"],
    "funnel -o": ["funnel", "examples/history.csv", "--as-of", "2026-12-01T00:00Z", "-o"],
    "classify --out csv": ["classify", "{work}/leads.csv", "--out"],
}


def _args(name: str, work: Path, target: Path) -> list[str]:
    return [arg.format(work=work) for arg in COMMANDS[name]] + [str(target)]


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".leadspec-"))


# -- devices and FIFOs ---------------------------------------------------------------------------


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return node


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_device_is_written_in_place_never_replaced(name: str, work: Path, null_device: Path) -> None:
    done = leadspec(*_args(name, work, null_device))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null_device.lstat().st_mode), "the device node was replaced by a file"
    assert os.major(null_device.lstat().st_rdev) == 1 and os.minor(null_device.lstat().st_rdev) == 3
    assert _leftovers(null_device.parent) == []


def test_a_fifo_gets_the_output_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = leadspec("check", "definitions", "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b'"diagnostics"' in received[0]


def test_a_symbolic_link_is_followed_and_stays(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    done = leadspec("check", "definitions", "--format", "json", "--output", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real
    assert '"diagnostics"' in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640, "a file replaced keeps its permissions"


# -- what the operating system refuses -----------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, unmounted afterwards."""
    place = tmp_path / "disk"
    place.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(place)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], check=False)


def _fill(disk: Path) -> None:
    try:
        with open(disk / "filler", "wb", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 4096)
    except OSError:
        pass


FOLDER_COMMANDS: dict[str, list[str]] = {
    "export csv": ["export", "csv", "definitions", "--out"],
    "export salesforce": ["export", "salesforce", "definitions", "--out"],
    "site build": ["site", "build", "definitions", "--out"],
}


@pytest.mark.parametrize("name", [*COMMANDS, *FOLDER_COMMANDS])
def test_a_full_disk_is_said_in_words_and_leaves_nothing(name: str, work: Path, small_disk: Path) -> None:
    _fill(small_disk)
    target = small_disk / "output"
    args = _args(name, work, target) if name in COMMANDS else [*FOLDER_COMMANDS[name], str(target)]
    done = leadspec(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "internal error" not in done.stderr
    assert f"cannot write {target}" in done.stderr and "the disk is full" in done.stderr, done.stderr
    assert sorted(path.name for path in small_disk.iterdir()) == ["filler"], "something was left behind"


def test_a_read_only_file_system_is_said_in_words(small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    target = small_disk / "out.json"
    for args in (
        ["check", "definitions", "--output", str(target)],
        ["export", "csv", "definitions", "--out", str(target)],
    ):
        done = leadspec(*args)
        assert done.returncode == 2, done.stderr
        assert f"cannot write {target}" in done.stderr and "read-only" in done.stderr, done.stderr


def test_a_name_too_long_is_said_in_words(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300 + ".json")
    done = leadspec("check", "definitions", "--output", str(target))
    assert done.returncode == 2
    assert "the name is longer than the file system allows" in done.stderr, done.stderr
    assert "internal error" not in done.stderr
    assert _leftovers(tmp_path) == []


def test_a_folder_under_proc_is_refused_in_words() -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    done = leadspec("check", "definitions", "--output", "/proc/self/leadspec.json")
    assert done.returncode == 2
    assert done.stderr.startswith("leadspec: cannot write /proc/self/leadspec.json: "), done.stderr
    assert "internal error" not in done.stderr


def test_a_folder_named_as_an_output_file_is_refused(tmp_path: Path) -> None:
    done = leadspec("check", "definitions", "--output", str(tmp_path))
    assert done.returncode == 2
    assert f"cannot write {tmp_path}: it is a folder" in done.stderr


def test_owners_write_keeps_a_device_a_device(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".github").mkdir(parents=True)
    shutil.copytree(REPO / "definitions", repo / "definitions")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    node = repo / ".github" / "CODEOWNERS"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    done = leadspec("owners", "--write", ".github/CODEOWNERS", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(node.lstat().st_mode), "the device node was replaced by a file"
