"""`leadspec explain --lead ...`: which stage one lead is in, and why."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    checked_membership,
    config_from,
    emit,
)

ORDER = 20


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "explain",
        help="say which stage one lead is in, and why",
        description="Run the definitions over one lead and say which stage it is in (or that it is "
        "in none, or in several), criterion by criterion in words and in code, and which exits of "
        "its stage are still open to it. Fields are named by id or CRM API name; fields left out "
        "are blank. Exit code 0 when explained, 1 when the definitions have errors, 2 when the "
        "lead cannot be read (an unknown field, a value outside its field's domain).",
    )
    add_paths_argument(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--lead",
        metavar="FIELD=VALUE,...",
        help='the lead, like "lead_score=45,country=US,email_verified=yes" (yes/no or true/false; '
        "numbers as written; an empty value is blank)",
    )
    source.add_argument(
        "--lead-file",
        type=Path,
        metavar="LEAD.json",
        help='a JSON file with one lead: {"lead_score": 45, ...}',
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    from leadspec.explain import LeadError, document, explain, parse_lead_json, parse_lead_text, render_text
    from leadspec.reporters._common import dumps

    config = config_from(args)
    text = None
    if args.lead_file is not None:
        try:
            text = args.lead_file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise UserError(f"cannot read {args.lead_file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise UserError(f"{args.lead_file} is not UTF-8 text") from None
    checked = checked_membership(args.paths, config, "cannot explain")
    if checked is None:
        return EXIT_FINDINGS
    loaded, membership = checked
    try:
        if text is not None:
            lead = parse_lead_json(loaded.model, text, str(args.lead_file))
        else:
            lead = parse_lead_text(loaded.model, args.lead)
    except LeadError as error:
        raise UserError(str(error)) from None
    explanation = explain(membership, lead)
    emit(dumps(document(explanation)) if args.format == "json" else render_text(explanation), None)
    return EXIT_OK
