"""A run builds only its own command's parser, and nobody can tell from the output.

`leadspec check` imports and builds the parser of `check` alone (the others cost a
fifth of a quick check); help, usage lines and argument errors must read exactly
as with every command registered.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from leadspec.cli import _parser
from leadspec.commands import modules

COMMANDS = [module.__name__.rpartition(".")[2] for module in modules()]
ARGUMENTS = [
    ["--help"],
    ["--bogus"],
    ["--format", "nonsense"],
    ["--config"],
    ["build", "--help"],
    ["due", "--help"],
    ["a", "b", "c", "d", "e"],
]


def _outcome(parser_command: str | None, argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed: object = sorted(
                (key, repr(value))
                for key, value in vars(_parser(parser_command).parse_args(argv)).items()
                if key != "run"
            )
        except SystemExit as exit_:
            parsed = ("exit", exit_.code)
    return parsed, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("arguments", ARGUMENTS, ids=" ".join)
def test_one_commands_parser_reads_as_all_of_them(command: str, arguments: list[str]) -> None:
    argv = [command, *arguments]
    assert _outcome(command, argv) == _outcome(None, argv)


def test_a_mistyped_command_still_lists_every_command() -> None:
    _, _, error = _outcome("chek", ["chek"])
    assert "invalid choice: 'chek'" in error and all(f"'{command}'" in error for command in COMMANDS)
