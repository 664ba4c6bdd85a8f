"""`leadspec rule`: the documentation page of a diagnostic code."""

from __future__ import annotations

import argparse

from leadspec.commands import EXIT_OK, UserError

ORDER = 90


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "rule",
        help="explain a diagnostic code",
        description="Show the documentation of a diagnostic code: what it means, an example "
        "and how to fix it.",
    )
    parser.add_argument("code", nargs="?", help="a code such as LS207")
    parser.add_argument("--all", action="store_true", help="list every code with its summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec.rules import registry

    if args.all or not args.code:
        for module in registry:
            rule = module.rule
            print(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")
        return EXIT_OK
    code = args.code.upper()
    if not registry.known(code):
        raise UserError(f"{args.code} is no leadspec code; `leadspec rule --all` lists them")
    rule = registry.get(code)
    print(f"# {rule.code} {rule.name}\n\nDefault severity: {rule.severity.value}\n")
    print(registry.doc(code))
    return EXIT_OK
