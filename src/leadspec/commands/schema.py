"""`leadspec schema`: the JSON Schema definition files follow, for editors and tools."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadspec.commands import EXIT_OK, emit

ORDER = 95


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of definition files",
        description="Print the JSON Schema (draft 2020-12) that definition files follow, for "
        "editors and other tools.",
    )
    parser.add_argument("--output", "-o", type=Path, help="write it to this file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec.schema import schema_path

    emit(schema_path().read_text(encoding="utf-8"), args.output)
    return EXIT_OK
