"""The README's examples are what leadspec prints: each ```console block is run and compared.

Conventions in README.md (keep them when you add an example):

- A ```console block is a terminal session: each `$ leadspec ...` line is a command, and the
  lines up to the next `$` line or the end of the block are exactly what it prints (stdout and
  stderr as a terminal shows them, no colour). A command that prints nothing is followed
  directly by the next `$` line. Each block runs in a fresh temporary folder holding a copy
  of `definitions/` and the `[tool.leadspec]` table of `pyproject.toml`, committed to git on
  the branch `main` with a fixed author and date (so `leadspec diff` can compare with it and
  the commit id it shows only changes when the definitions do). The repository is never
  touched. No pipes, redirections or other programs: only `leadspec` commands.
- When the text describes a change first, an HTML comment right before the block (blank
  lines between are allowed) makes that change to the copy, one line per edit:

      <!-- readme-test:
      in definitions/marketing.yaml, replace `lead_score >= 50` with `lead_scor >= 40`
      in definitions/shared.yaml, replace every `1 business day` with `4 business hours`
      -->

  `replace` needs the text exactly once in the file, `replace every` at least once, so an
  edit that no longer applies fails the test instead of silently showing the unchanged
  definitions. The edits are made after the commit: they are the working tree's changes.
- Commands without their output (a list of what you can run) go in ```sh blocks. Those are
  not run, but every `leadspec ...` in them must be a command line leadspec accepts (its
  subcommand and options parse), so a renamed option cannot linger there.

When the output changes on purpose, regenerate every console block from the code with

    python tests/test_readme.py --update

and review the change to README.md with `git diff README.md`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DIRECTIVE = "readme-test:"
EDIT = re.compile(r"in (?P<file>\S+), replace (?P<every>every )?`(?P<old>[^`]+)` with `(?P<new>[^`]*)`")
# A fixed commit, so the id `leadspec diff` shows depends only on the definitions.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "leadspec README",
    "GIT_AUTHOR_EMAIL": "readme@leadspec.invalid",
    "GIT_AUTHOR_DATE": "2026-01-05T09:00:00+00:00",
    "GIT_COMMITTER_NAME": "leadspec README",
    "GIT_COMMITTER_EMAIL": "readme@leadspec.invalid",
    "GIT_COMMITTER_DATE": "2026-01-05T09:00:00+00:00",
}


@dataclass(frozen=True)
class Edit:
    file: str
    old: str
    new: str
    every: bool


@dataclass
class Command:
    line: str  # as written after `$ `
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    """One fenced block: `first` and `last` are the 0-based indexes of its fence lines."""

    language: str
    first: int
    last: int
    body: list[str]
    edits: list[Edit]

    @property
    def where(self) -> str:
        return f"README.md:{self.first + 1}"

    def commands(self) -> list[Command]:
        commands: list[Command] = []
        for line in self.body:
            if line.startswith("$ "):
                commands.append(Command(line[2:]))
            elif not commands:
                raise ValueError(f"{self.where}: a console block starts with a `$ ` command, not {line!r}")
            else:
                commands[-1].output.append(line)
        return commands


def blocks(text: str) -> list[Block]:
    """Every fenced block of the README, with the edits its HTML comment asks for."""
    lines = text.split("\n")
    found: list[Block] = []
    start: int | None = None
    language = ""
    for index, line in enumerate(lines):
        if start is None and line.startswith("```"):
            start, language = index, line[3:].strip()
        elif start is not None and line.strip() == "```":
            edits = _edits(lines, start) if language == "console" else []
            found.append(Block(language, start, index, lines[start + 1 : index], edits))
            start = None
    return found


def _edits(lines: list[str], fence: int) -> list[Edit]:
    """The `<!-- readme-test: ... -->` comment just above a block, as edits."""
    end = fence - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or not lines[end].rstrip().endswith("-->"):
        return []
    begin = end
    while begin > 0 and "<!--" not in lines[begin]:
        begin -= 1
    comment = "\n".join(lines[begin : end + 1]).strip()
    body = comment.removeprefix("<!--").removesuffix("-->").strip()
    if not body.startswith(DIRECTIVE):
        return []
    edits = []
    for number, raw in enumerate(body.removeprefix(DIRECTIVE).split("\n"), start=begin + 1):
        if not raw.strip():
            continue
        match = EDIT.fullmatch(raw.strip())
        if match is None:
            raise ValueError(
                f"README.md:{number}: cannot read {raw.strip()!r}: write "
                "in FILE, replace `OLD` with `NEW` (or replace every `OLD`)"
            )
        edits.append(Edit(match["file"], match["old"], match["new"], bool(match["every"])))
    return edits


def _leadspec_table() -> str:
    """`[tool.leadspec]` of pyproject.toml, as written: the rest (dependencies) is not the examples' business."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^\[tool\.leadspec\]\n(?:(?!\[).*\n)*", text, re.MULTILINE)
    assert match, "pyproject.toml has no [tool.leadspec] table"
    return match.group(0).rstrip() + "\n"


@contextlib.contextmanager
def workspace(block: Block) -> Iterator[Path]:
    """A committed copy of the definitions, with the block's edits made in the working tree."""
    with tempfile.TemporaryDirectory(prefix="leadspec-readme-") as name:
        root = Path(name)
        shutil.copytree(REPO / "definitions", root / "definitions")
        (root / "pyproject.toml").write_text(_leadspec_table(), encoding="utf-8")
        env = {**_environment(), **GIT_IDENTITY}
        for args in (
            ["init", "-q", "-b", "main"],
            ["add", "."],
            ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "The bundled definitions"],
        ):
            subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
        for edit in block.edits:
            _apply(root, edit, block)
        yield root


def _apply(root: Path, edit: Edit, block: Block) -> None:
    path = root / edit.file
    if not path.is_file():
        raise ValueError(f"{block.where}: the edit names {edit.file}, which is not in the copy")
    text = path.read_text(encoding="utf-8")
    count = text.count(edit.old)
    if count == 0 or (count > 1 and not edit.every):
        times = "is not" if count == 0 else f"is {count} times"
        raise ValueError(f"{block.where}: `{edit.old}` {times} in {edit.file}; the edit must name it exactly")
    path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


def _environment() -> dict[str, str]:
    """What a person at a terminal has: no CI, no colour settings, output as it comes."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR")
        and not key.startswith("GIT_")
    }
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def run(command: Command, root: Path, where: str) -> list[str]:
    """What `$ leadspec ...` prints in `root`, line by line."""
    words = shlex.split(command.line, comments=True)
    if not words or words[0] != "leadspec" or any(word in ("|", ">", "&&", ";") for word in words):
        raise ValueError(f"{where}: `{command.line}` is not a plain leadspec command; use a ```sh block")
    result = subprocess.run(
        [sys.executable, "-m", "leadspec", *words[1:]],
        cwd=root,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return result.stdout.removesuffix("\n").split("\n") if result.stdout else []


def produced(block: Block) -> list[str]:
    """The block's body as the code prints it today."""
    body: list[str] = []
    with workspace(block) as root:
        for command in block.commands():
            body.append(f"$ {command.line}")
            body.extend(run(command, root, block.where))
    return body


def _console_blocks() -> list[Block]:
    return [block for block in blocks(README.read_text(encoding="utf-8")) if block.language == "console"]


@pytest.mark.skipif(shutil.which("git") is None, reason="the examples run in a git repository")
@pytest.mark.parametrize("block", _console_blocks(), ids=lambda block: block.where)
def test_console_block_is_what_leadspec_prints(block: Block) -> None:
    assert produced(block) == block.body, (
        f"{block.where} no longer shows what leadspec prints: "
        "run `python tests/test_readme.py --update` and review `git diff README.md`"
    )


def _sh_command_lines() -> list[tuple[str, str]]:
    found = []
    for block in blocks(README.read_text(encoding="utf-8")):
        if block.language != "sh":
            continue
        for offset, line in enumerate(block.body, start=block.first + 2):
            for part in line.split("&&"):
                if part.strip().startswith("leadspec "):
                    found.append((f"README.md:{offset}", part.strip()))
    return found


@pytest.mark.parametrize(("where", "line"), _sh_command_lines(), ids=lambda value: value)
def test_sh_block_commands_are_accepted(where: str, line: str) -> None:
    from leadspec.cli import _parser

    error = io.StringIO()
    try:
        with contextlib.redirect_stderr(error):
            _parser().parse_args(shlex.split(line, comments=True)[1:])
    except SystemExit as exit_:
        pytest.fail(f"{where}: leadspec refuses `{line}` (exit {exit_.code}): {error.getvalue().strip()}")


def test_the_readme_has_console_examples() -> None:
    """A parsing slip must not turn this whole test into zero cases."""
    assert len(_console_blocks()) >= 3
    assert any(block.edits for block in _console_blocks())


def update() -> int:
    """Rewrite every console block of README.md with what the code prints now."""
    lines = README.read_text(encoding="utf-8").split("\n")
    changed = 0
    for block in reversed(_console_blocks()):
        body = produced(block)
        if body != block.body:
            lines[block.first + 1 : block.last] = body
            changed += 1
            print(f"{block.where}: updated")
    README.write_text("\n".join(lines), encoding="utf-8")
    print(
        f"{changed} of {len(_console_blocks())} console blocks updated"
        if changed
        else "README.md is up to date"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Check or regenerate README.md's console examples.")
    parser.add_argument("--update", action="store_true", help="rewrite the console blocks from the code")
    if parser.parse_args().update:
        try:
            sys.exit(update())
        except ValueError as error:  # an example the README cannot run as written
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)
    sys.exit(pytest.main([__file__, "-q"]))
