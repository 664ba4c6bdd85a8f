"""`leadspec diff BASE [HEAD]`: breaking changes, lead movement and other changes between two revisions."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadspec.commands import UserError, add_config_option, emit

ORDER = 15
FORMATS = ("text", "json", "markdown")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "diff",
        help="compare the definitions with another revision: breaking changes and lead movement",
        description="Compare two revisions of the definitions: breaking changes (a stage or value "
        "removed or renamed without deprecation, a CRM API value changed, a field's domain narrowed), "
        "exactly which leads move between stages, and the other changes (SLA, owners, targets, "
        "wording). BASE and HEAD are git refs or folders; without HEAD the working tree is compared; "
        "without BASE, the merge base with the default branch. Exit code 0 when nothing breaks, "
        "1 when there are breaking changes, 2 when the comparison could not run.",
    )
    parser.add_argument(
        "base",
        nargs="?",
        help="git ref or folder to compare with (default: the merge base of the default branch and HEAD)",
    )
    parser.add_argument(
        "head", nargs="?", help="git ref or folder with the changes (default: the working tree)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text); markdown is sized for a pull-request comment",
    )
    parser.add_argument("--output", "-o", type=Path, help="write the result to this file instead of stdout")
    add_config_option(parser)
    parser.add_argument("--select", help="only these breaking-change codes or prefixes, comma-separated")
    parser.add_argument("--ignore", help="accept these breaking-change codes, comma-separated (e.g. LS435)")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour in text output"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import tempfile

    from leadspec.commands.check import selected_config, use_color
    from leadspec.diff import compare_sides
    from leadspec.diff.render import render
    from leadspec.diff.revisions import RevisionError, open_side, repository
    from leadspec.diff.sides import load_side

    config = selected_config(args)
    repo = repository(config)
    with tempfile.TemporaryDirectory(prefix="leadspec-diff-") as scratch:
        try:
            base_words = None
            base_arg = args.base
            if base_arg is None:
                if repo is None:
                    raise RevisionError(
                        "not in a git repository: name two folders to compare, e.g. `leadspec diff old/ definitions/`"
                    )
                base_arg, base_words = repo.merge_base()
            base = open_side(base_arg, config, repo, Path(scratch) / "base", "the base")
            head = open_side(args.head, config, repo, Path(scratch) / "head", "the head")
            if head.kind == "git" and repo is not None:
                changed = repo.dirty([repo.prefix / path for path in config.paths])
                if changed:
                    head.notes.append(
                        f"your uncommitted changes ({', '.join(changed[:3])}{', ...' if len(changed) > 3 else ''}) "
                        "are not included: leave out HEAD to compare the working tree"
                    )
            diff = compare_sides(load_side(base), load_side(head), config)
        except RevisionError as error:
            raise UserError(str(error)) from None
        diff.base_words = base_words
        emit(render(args.format, diff, color=use_color(args.color, args.output)), args.output)
    return diff.exit_code
