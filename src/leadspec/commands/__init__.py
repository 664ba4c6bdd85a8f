"""One module per `leadspec` subcommand, found at start-up like the rules.

Each module defines `ORDER` (its place in `leadspec --help`) and
`register(subparsers)`, which adds its parser and sets `run=` to a function
taking the parsed arguments and returning the exit code. Modules import what
their command needs inside `run`, so listing the commands stays cheap and
`leadspec check` never loads the site generator or the CRM exporters.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from leadspec.submodules import submodules

if TYPE_CHECKING:
    from collections.abc import Sequence

    from leadspec.api import Loaded
    from leadspec.config import Config
    from leadspec.membership import Membership

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A usage or configuration problem: printed plainly, exit code 2."""


def modules(only: str | None = None) -> list[ModuleType]:
    """Every command module; when `only` names one (each module is named after its command), just that one."""
    names = [name for name in submodules(__path__) if not name.startswith("_")]
    if only in names:
        names = [only]
    found = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return sorted(found, key=lambda module: (module.ORDER, module.__name__))


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="pyproject.toml to read [tool.leadspec] from")


def add_paths_argument(parser: argparse.ArgumentParser) -> None:
    """The definitions a command reads: every command that loads them takes the same positional paths."""
    parser.add_argument(
        "paths",
        nargs="*",
        help="definition files or folders (default: `paths` from [tool.leadspec], else definitions/)",
    )


def config_from(args: argparse.Namespace) -> Config:
    """The configuration named by --config, or found from the current folder."""
    from leadspec.config import ConfigError, load_config

    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as error:
        raise UserError(str(error)) from None


def definition_paths(paths: Sequence[str], config: Config) -> list[str]:
    """The definitions named on the command line, else the configured ones."""
    return list(paths) or [str(config.root / path) for path in config.paths]


def load_definitions(paths: Sequence[str], config: Config) -> Loaded:
    """Read and check the definitions named on the command line, else the configured ones."""
    from leadspec.api import UsageError, load

    try:
        return load(definition_paths(paths, config), config)
    except UsageError as error:
        raise UserError(str(error)) from None


def checked_definitions(
    paths: Sequence[str], config: Config, refusal: str, color: bool = False
) -> Loaded | None:
    """The definitions, for commands that must not work from a broken lifecycle.

    When the definitions have errors, prints them and `refusal` ("nothing
    classified") and returns None, so every such command refuses in the same words.
    """
    from leadspec.reporters import render

    loaded = load_definitions(paths, config)
    if loaded.report.exit_code != 0:
        sys.stdout.write(render("text", loaded.report, color=color))
        print(f"leadspec: {refusal}: the definitions have errors (above); fix them first", file=sys.stderr)
        return None
    return loaded


def checked_membership(
    paths: Sequence[str], config: Config, refusal: str
) -> tuple[Loaded, Membership] | None:
    """The checked definitions and their stage membership, for commands that run concrete leads."""
    from leadspec.membership import Membership, UnreadableCriteria

    loaded = checked_definitions(paths, config, refusal)
    if loaded is None:
        return None
    try:
        return loaded, Membership(loaded.model, loaded.context.exprs)
    except UnreadableCriteria as error:
        print(f"leadspec: {refusal}: {error} (run `leadspec check`)", file=sys.stderr)
        return None


def add_engine_options(parser: argparse._ActionsContainer) -> None:
    """--threads and --memory-limit: how much of the machine a command's query engine may take."""
    parser.add_argument(
        "--threads", type=int, help="how many cores the query engine may use (default: all of them)"
    )
    parser.add_argument(
        "--memory-limit",
        default="2GB",
        help="memory the query engine may use before it spills to disk (default: 2GB)",
    )


def check_engine_options(args: argparse.Namespace) -> None:
    """UserError for a --threads or --memory-limit (`add_engine_options`) the engine cannot take."""
    import re

    if args.threads is not None and args.threads < 1:
        raise UserError("--threads must be 1 or more")
    if not re.fullmatch(r"\s*[0-9]+(\.[0-9]+)?\s*([KMGT]i?B|B)\s*", args.memory_limit, re.IGNORECASE):
        raise UserError(
            f"--memory-limit must be an amount of memory like 2GB or 500MB, not {args.memory_limit!r}"
        )


def out_of_memory(name: str, args: argparse.Namespace) -> UserError:
    """The words for a file that needs more than --memory-limit even when the engine spills to disk."""
    return UserError(
        f"{name} needs more memory than --memory-limit {args.memory_limit} allows, "
        "even spilling to disk; raise it (for example --memory-limit 8GB)"
    )


def emit(text: str, output: Path | None) -> None:
    """Print, or write the output file as `outputs.write_text` does (never half-written, a device in place)."""
    if output is None:
        sys.stdout.write(text)
        return
    from leadspec.outputs import write_text

    write_text(output, text)


def read_column_map(path: Path) -> dict[str, str]:
    """A --map file (YAML or JSON): column name -> field id; UserError when it cannot be used."""
    import json

    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise UserError(f"cannot read the column map {path}: {reason}") from None
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        first = str(error).splitlines()[0] if str(error) else "not valid"
        raise UserError(
            f"the column map {path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
            f"{first}"
        ) from None
    if not isinstance(data, dict) or not data:
        raise UserError(
            f"the column map {path} should map column names to field ids, like `Lead Score: lead_score`"
        )
    found: dict[str, str] = {}
    for column, field_id in data.items():
        if not isinstance(field_id, str) or isinstance(column, (dict, list)) or column is None:
            raise UserError(
                f"in the column map {path}, {column!r} should map to a field id (text), not {field_id!r}"
            )
        found[str(column)] = field_id
    return found
