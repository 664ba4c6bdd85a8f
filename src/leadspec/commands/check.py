"""`leadspec check`: the linter."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from leadspec.commands import (
    UserError,
    add_config_option,
    add_paths_argument,
    config_from,
    definition_paths,
    emit,
)
from leadspec.structs import replace

if TYPE_CHECKING:
    from leadspec.config import Config
    from leadspec.diagnostics import Report

ORDER = 10
FORMATS = ("text", "concise", "json", "sarif", "github", "junit")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "check",
        help="check the definitions and report problems",
        description="Check lead lifecycle definitions: YAML, schema, references, criteria and "
        "the lifecycle itself. A file named inside the configured `paths` is checked with the "
        "rest of them and only its own findings are reported. Exit code 0 when clean, 1 when "
        "there are errors, 2 when the command itself could not run.",
    )
    add_paths_argument(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: text; github when running in GitHub Actions)",
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    add_config_option(parser)
    parser.add_argument("--select", help="only these codes or prefixes, comma-separated (e.g. LS2,LS301)")
    parser.add_argument("--ignore", help="skip these codes or prefixes, comma-separated")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour in text output"
    )
    fixing = parser.add_mutually_exclusive_group()
    fixing.add_argument(
        "--write-baseline",
        metavar="FILE",
        type=Path,
        help='record every finding of this run in FILE; with `baseline = "FILE"` in '
        "[tool.leadspec], check then reports only findings the baseline does not record",
    )
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="apply the fixes that are certain (a misspelt name with one candidate, an enum value "
        "without quotes, a stale CODEOWNERS block) as minimal edits, then report what remains",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="show the fixes --fix would apply as a unified diff, and write nothing "
        "(exit code 1 when there are any)",
    )
    parser.set_defaults(run=run)


def _code_list(text: str, option: str) -> tuple[str, ...]:
    from leadspec.rules import registry

    codes = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    for code in codes:
        if not registry.known_prefix(code):
            raise UserError(f"{option}: {code} is no leadspec code or code prefix")
    return codes


def selected_config(args: argparse.Namespace) -> Config:
    """The configuration, narrowed by --select and --ignore (commands that report codes share this)."""
    config = config_from(args)
    if args.select:
        config = replace(config, select=_code_list(args.select, "--select"))
    if args.ignore:
        config = replace(config, ignore=config.ignore + _code_list(args.ignore, "--ignore"))
    return config


def run(args: argparse.Namespace) -> int:
    from leadspec.reporters import render

    config = selected_config(args)
    if args.write_baseline is not None:
        return _write_baseline(args, replace(config, baseline=None))
    report = _report(args, config)
    if args.diff:
        return _diff(report, args.output)
    if args.fix:
        report = _fix(args, config, report)
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    name = args.format or ("github" if in_actions else "text")
    emit(render(name, report, color=use_color(args.color, args.output)), args.output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_actions and summary:
        from leadspec.reporters.github import summary_markdown

        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report))
    return report.exit_code


_FIX_ROUNDS = 10  # a fix can uncover another (a quoted value lets the rest of its criterion be read)


def _fix(args: argparse.Namespace, config: Config, report: Report) -> Report:
    """Apply the certain fixes, check again, and repeat while that uncovers more; the last report."""
    from leadspec import fixes

    fixed = 0
    files: set[str] = set()
    for _ in range(_FIX_ROUNDS):
        planned = fixes.plan(report)
        written, left = fixes.write(planned)
        for note in planned.left + left:
            print(f"leadspec: {note}", file=sys.stderr)
        if not written:
            break
        fixed += sum(item.fixed for item in written)
        files.update(item.display for item in written)
        report = _report(args, config)
    print(
        f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}.",
        file=sys.stderr,
    )
    return report


def _diff(report: Report, output: Path | None) -> int:
    """`--diff`: the fixes of this run as a unified diff; 1 when there are any."""
    from leadspec import fixes

    planned = fixes.plan(report)
    for note in planned.left:
        print(f"leadspec: {note}", file=sys.stderr)
    if not planned.files:
        print("No fixes to apply.", file=sys.stderr)
        return 0
    emit(fixes.diff(planned), output)
    return 1


def _report(args: argparse.Namespace, config: Config) -> Report:
    """The findings of the named files (with the definitions they belong to), else of the definitions."""
    from leadspec.api import UsageError, check

    if args.paths:
        return _named_report(args.paths, config)
    try:
        return check(definition_paths((), config), config)
    except UsageError as error:
        raise UserError(str(error)) from None


def _write_baseline(args: argparse.Namespace, config: Config) -> int:
    """`--write-baseline FILE`: today's findings, all of them, recorded for `baseline = FILE`."""
    from leadspec import baseline
    from leadspec.outputs import write_text

    report = _report(args, config)
    write_text(args.write_baseline, baseline.render(report, config.root))
    count = len(report.diagnostics)
    print(
        f"Recorded {count} finding{'s' if count != 1 else ''} in {args.write_baseline}. "
        f'With `baseline = "{baseline.project_file(str(args.write_baseline), config.root)}"` under '
        "[tool.leadspec], check reports only findings it does not record.",
        file=sys.stderr,
    )
    return 0


def _named_report(paths: list[str], config: Config) -> Report:
    """Files named on the command line, each checked with the definitions it belongs to."""
    from leadspec.api import UsageError, check_named

    try:
        return check_named(paths, config)
    except UsageError as error:
        raise UserError(str(error)) from None


def use_color(choice: str, output: Path | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
