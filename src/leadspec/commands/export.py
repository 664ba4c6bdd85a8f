"""`leadspec export TARGET --out DIR [--check]`: the picklists as files a CRM loads.

Refuses to write anything while `check` finds errors (including the CRM rules LS501-LS507
for TARGET, even when the definitions mention TARGET nowhere else). `--check` writes
nothing: it exits 1 and prints a unified diff when DIR is not what the export would write,
like a formatter's check mode in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    config_from,
    load_definitions,
)
from leadspec.exports import TARGETS

ORDER = 30


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "export",
        help="write the stages and picklists as files a CRM loads",
        usage="leadspec export {salesforce,hubspot,dynamics,pipedrive,csv} [PATHS ...] --out DIR [--check]",
        description="Export the lifecycle stages and every picklist for a CRM: salesforce (an SFDX "
        "project), hubspot (properties API request bodies), dynamics (Dataverse global choices), "
        "pipedrive (Fields API v2 request bodies) or csv (one row per value). Nothing is written while "
        "`leadspec check` finds errors. Exit code 0 when written (or up to date with --check), 1 "
        "for errors or an out-of-date export, 2 when the command could not run.",
    )
    parser.add_argument("target", choices=TARGETS, help="the CRM or format to export for")
    parser.add_argument("--out", "-o", type=Path, required=True, help="the folder to (re)write")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and show a diff if the folder is not what the export would write",
    )
    add_paths_argument(parser)
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    from leadspec.exports import build
    from leadspec.exports.writer import ExportError, drift, write
    from leadspec.reporters import render

    config = config_from(args)
    loaded = load_definitions(args.paths, config)
    report = build.checked_report(loaded, args.target, config)
    if report.diagnostics:
        sys.stdout.write(render("text", report, color=False))
    if report.exit_code:
        print(
            f"leadspec: nothing exported: fix the errors above first ({args.out} is unchanged)",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    try:
        files = build.render(loaded.model, args.target)
        if args.check:
            difference = drift(args.out, files)
            if difference:
                sys.stdout.write(difference)
                print(
                    f"leadspec: {args.out} is out of date; run `leadspec export {args.target} "
                    f"--out {args.out}` and commit the result",
                    file=sys.stderr,
                )
                return EXIT_FINDINGS
            print(f"{args.out} is up to date ({len(files)} files)")
            return EXIT_OK
        write(args.out, files)
    except ExportError as error:
        raise UserError(str(error)) from None
    print(f"Exported {len(files)} files for {args.target} to {args.out}")
    return EXIT_OK
