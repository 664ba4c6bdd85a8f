"""The `leadspec` command: argument parsing and exit codes only.

Exit codes: 0 clean, 1 findings at error level, 2 usage, configuration or
internal error. Subcommands import what they need when they run, so
`leadspec check` never pays for the site generator or the CRM exporters.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from leadspec import __version__

if TYPE_CHECKING:
    from leadspec.config import Config

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

FORMATS = ("text", "concise", "json", "sarif", "github", "junit")


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
    except _UserError as error:
        print(f"leadspec: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        import traceback

        print(
            f"leadspec: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in leadspec, not in your definitions. Please report it with the "
            "details below.",
            file=sys.stderr,
        )
        if os.environ.get("LEADSPEC_DEBUG"):
            traceback.print_exc()
        return EXIT_USAGE


class _UserError(Exception):
    """Wraps configuration and usage problems so `main` prints them plainly."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadspec",
        description="Lead lifecycle definitions as code: check them, publish them, load them into your CRM.",
    )
    parser.add_argument("--version", action="version", version=f"leadspec {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check the definitions and report problems",
        description="Check lead lifecycle definitions: YAML, schema, references, criteria and "
        "the lifecycle itself. Exit code 0 when clean, 1 when there are errors, 2 when the "
        "command itself could not run.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        help="definition files or folders (default: `paths` from [tool.leadspec], else definitions/)",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: text; github when running in GitHub Actions)",
    )
    check.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    check.add_argument("--config", type=Path, help="pyproject.toml to read [tool.leadspec] from")
    check.add_argument("--select", help="only these codes or prefixes, comma-separated (e.g. LS2,LS301)")
    check.add_argument("--ignore", help="skip these codes or prefixes, comma-separated")
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour in text output"
    )
    check.set_defaults(run=_run_check)

    rule = commands.add_parser(
        "rule",
        help="explain a diagnostic code",
        description="Show the documentation of a diagnostic code: what it means, an example "
        "and how to fix it.",
    )
    rule.add_argument("code", nargs="?", help="a code such as LS207")
    rule.add_argument("--all", action="store_true", help="list every code with its summary")
    rule.set_defaults(run=_run_rule)

    schema_cmd = commands.add_parser(
        "schema",
        help="print the JSON Schema of definition files",
        description="Print the JSON Schema (draft 2020-12) that definition files follow, for "
        "editors and other tools.",
    )
    schema_cmd.add_argument("--output", "-o", type=Path, help="write it to this file")
    schema_cmd.set_defaults(run=_run_schema)
    return parser


def _config(args: argparse.Namespace) -> Config:
    from dataclasses import replace

    from leadspec.config import ConfigError, load_config

    try:
        config = load_config(args.config)
        if args.select:
            config = replace(config, select=_code_list(args.select, "--select"))
        if args.ignore:
            config = replace(config, ignore=config.ignore + _code_list(args.ignore, "--ignore"))
    except ConfigError as error:
        raise _UserError(str(error)) from None
    return config


def _code_list(text: str, option: str) -> tuple[str, ...]:
    from leadspec.rules import registry

    codes = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    for code in codes:
        if not any(module.rule.code.startswith(code) for module in registry):
            raise _UserError(f"{option}: {code} is no leadspec code or code prefix")
    return codes


def _run_check(args: argparse.Namespace) -> int:
    from leadspec.api import UsageError, load
    from leadspec.reporters import render

    config = _config(args)
    paths = args.paths or [str(config.root / p) for p in config.paths]
    try:
        report = load(paths, config).report
    except UsageError as error:
        raise _UserError(str(error)) from None
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    name = args.format or ("github" if in_actions else "text")
    options = {}
    if name == "text":
        options["color"] = _use_color(args.color, args.output)
    text = render(name, report, **options)
    _emit(text, args.output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_actions and summary:
        from leadspec.reporters.github import summary_markdown

        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report))
    return report.exit_code


def _use_color(choice: str, output: Path | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _emit(text: str, output: Path | None) -> None:
    """Print, or replace the output file in one step so it is never half-written."""
    if output is None:
        sys.stdout.write(text)
        return
    temporary = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _UserError(f"cannot write {output}: {error.strerror}") from None


def _run_rule(args: argparse.Namespace) -> int:
    from leadspec.rules import registry

    if args.all or not args.code:
        for module in registry:
            rule = module.rule
            print(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")
        return EXIT_OK
    code = args.code.upper()
    if not registry.known(code):
        raise _UserError(f"{args.code} is no leadspec code; `leadspec rule --all` lists them")
    rule = registry.get(code)
    print(f"# {rule.code} {rule.name}\n\nDefault severity: {rule.severity.value}\n")
    print(registry.doc(code))
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from leadspec.schema import schema_path

    text = schema_path().read_text(encoding="utf-8")
    _emit(text, args.output)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
