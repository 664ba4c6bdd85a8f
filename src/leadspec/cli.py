"""The `leadspec` command: argument parsing and exit codes only.

Exit codes: 0 clean, 1 findings at error level, 2 usage, configuration or
internal error. Each subcommand lives in `leadspec.commands`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from leadspec import __version__
from leadspec.commands import EXIT_USAGE, UserError, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("leadspec: interrupted", file=sys.stderr)
        return EXIT_USAGE
    except UserError as error:
        print(f"leadspec: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        print(
            f"leadspec: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in leadspec, not in your definitions. Please report it; "
            "set LEADSPEC_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        if os.environ.get("LEADSPEC_DEBUG"):
            import traceback

            traceback.print_exc()
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadspec",
        description="Lead lifecycle definitions as code: check them, publish them, load them into your CRM.",
    )
    parser.add_argument("--version", action="version", version=f"leadspec {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in modules():
        module.register(commands)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
