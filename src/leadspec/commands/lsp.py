"""`leadspec lsp`: the language server, for editors (needs the `lsp` extra)."""

from __future__ import annotations

import argparse

ORDER = 92


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "lsp",
        help="run the language server for editors (over stdin and stdout)",
        description="Run the leadspec language server over standard input and output: the "
        "definitions' findings as you type, completion, hover, go to definition, find references "
        "and quick fixes. An editor starts it; it is not meant to be run by hand.",
    )
    parser.add_argument(
        "--stdio", action="store_true", help="accepted for editors that pass it; stdio is the only transport"
    )
    parser.set_defaults(run=run, needs=("lsp",))


def run(args: argparse.Namespace) -> int:
    from leadspec.lsp.server import serve

    serve()
    return 0
