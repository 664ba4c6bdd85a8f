"""`leadspec owners`: CODEOWNERS from the definitions, and who must approve a change.

Prints the generated block; `--write` puts it into CODEOWNERS in one step (the user's own
lines outside the block are kept); `--check` writes nothing and exits 1 with a diff when
CODEOWNERS is stale, like a formatter's check mode. `--required --base REF` lists every team
whose approval the branch's changes need, because GitHub accepts any one owner of a line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    config_from,
    definition_paths,
    emit,
    load_definitions,
)
from leadspec.outputs import make_folders
from leadspec.structs import replace

ORDER = 35
_OWN_CODES = ("LS421", "LS422")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "owners",
        help="write CODEOWNERS from the definitions; list the teams a change needs",
        usage="leadspec owners [PATHS ...] [--write [FILE] | --check [FILE] | --required [--base REF] "
        "[--approved HANDLE ...]] [--format {text,json}]",
        description="Who must agree to a change: each definitions file belongs to the teams of its "
        "stages, both teams of each hand-off in it, the team acting on each SLA, and the teams whose "
        "stages use its shared fields and picklists. Without options, print the CODEOWNERS block. "
        "Exit code 0 when done (or up to date with --check, or approved with --approved), 1 for "
        "errors in the definitions, a stale CODEOWNERS or a missing approval, 2 when the command "
        "could not run.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--write",
        nargs="?",
        const="",
        metavar="FILE",
        help="write the block into CODEOWNERS, keeping your own lines (default: `codeowners` from "
        "[tool.leadspec], else .github/CODEOWNERS)",
    )
    mode.add_argument(
        "--check",
        nargs="?",
        const="",
        metavar="FILE",
        help="write nothing; exit 1 and show a diff if CODEOWNERS is not what --write would write",
    )
    mode.add_argument(
        "--required",
        action="store_true",
        help="list every team whose approval the changes since --base need (GitHub accepts any one "
        "owner of a CODEOWNERS line; this asks for all of them)",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="with --required: the branch the change goes into (default: origin/$GITHUB_BASE_REF in "
        "a GitHub pull request, else HEAD, meaning the uncommitted changes)",
    )
    parser.add_argument(
        "--approved",
        nargs="+",
        metavar="HANDLE",
        help="with --required: the handles (@user, @org/team, email) that approved; exit 1 unless "
        "every required team is among them",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_paths_argument(parser)
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec import owners
    from leadspec.diagnostics import Severity
    from leadspec.reporters import render

    if (args.base or args.approved) and not args.required:
        raise UserError("--base and --approved go with --required")
    config = config_from(args)
    loaded = load_definitions(args.paths, config)
    report = loaded.report
    if args.required and loaded.model.complete:
        # Who must approve does not depend on the definitions being right: list it even
        # for a change with errors (the check job reports those).
        return _required(args, loaded, config)
    blocking = [item for item in report.diagnostics if item.code not in _OWN_CODES]
    if any(item.severity == Severity.ERROR for item in blocking):
        sys.stdout.write(render("text", replace(report, diagnostics=blocking), color=False))
        print("leadspec: nothing done: fix the errors above first", file=sys.stderr)
        return EXIT_FINDINGS

    chosen = args.write if args.write is not None else args.check
    path = Path(chosen) if chosen else owners.codeowners_file(config)
    shown = owners.display(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder: name the CODEOWNERS file itself")
    try:
        wanted = owners.expected(loaded.context, report.files, path)
    except owners.BlockError as error:
        raise UserError(f"{path}: {error}; fix the marker lines by hand, then run this again") from None
    except UnicodeDecodeError:  # before ValueError, which it is a kind of
        raise UserError(f"cannot read {path}: it is not UTF-8 text; save it as UTF-8") from None
    except ValueError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None

    if args.check is not None:
        if not wanted.stale:
            print(f"{shown} is up to date ({len(wanted.owners)} definitions files)")
            return EXIT_OK
        sys.stdout.write(owners.unified_diff(wanted.current or "", wanted.text, shown))
        missing = " (it does not exist)" if wanted.current is None else ""
        print(
            f"leadspec: {shown} is out of date{missing}; run `leadspec owners --write` and commit the result",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    if args.write is not None:
        if not wanted.stale:
            print(f"{shown} is already up to date ({len(wanted.owners)} definitions files)")
            return EXIT_OK
        in_the_way = next((up for up in path.parents if up.exists() and not up.is_dir()), None)
        if in_the_way is not None:
            raise UserError(f"cannot write {shown}: {owners.display(in_the_way)} is a file, not a folder")
        make_folders(path.parent)
        emit(wanted.text, path)
        print(f"Wrote the owners of {len(wanted.owners)} definitions files to {shown}")
        return EXIT_OK
    if args.format == "json":
        listing = [
            {
                "file": item.path,
                "pattern": owners.pattern(item.path),
                "teams": list(item.teams),
                "codeowners": owners.handles(loaded.context, item.teams),
                "because": [{"team": claim.team, "reason": claim.reason} for claim in item.claims],
            }
            for item in wanted.owners
        ]
        print(json.dumps({"codeowners": shown, "files": listing}, indent=2, ensure_ascii=False))
        return EXIT_OK
    block = owners.render_block(loaded.context, wanted.owners)
    sys.stdout.write("\n".join(block) + "\n")
    return EXIT_OK


def _required(args: argparse.Namespace, loaded: object, config: object) -> int:
    from leadspec.approvals import ApprovalError, required

    base = args.base or (
        f"origin/{os.environ['GITHUB_BASE_REF']}" if os.environ.get("GITHUB_BASE_REF") else "HEAD"
    )
    try:
        result = required(loaded, definition_paths(args.paths, config), config, base)  # type: ignore[arg-type]
    except ApprovalError as error:
        raise UserError(f"cannot tell what changed since {base}: {error}") from None
    approvals = args.approved
    missing = [item for item in result.needed if approvals is not None and not item.approved_by(approvals)]
    if args.format == "json":
        print(json.dumps(result.as_json(approvals), indent=2, ensure_ascii=False))
    else:
        _print_required(result, approvals, missing)
    return EXIT_FINDINGS if missing else EXIT_OK


def _print_required(result: object, approvals: list[str] | None, missing: list[object]) -> None:
    from leadspec.approvals import Required

    assert isinstance(result, Required)
    if not result.changed:
        print(f"No definitions file changed since {result.base}: no approval is needed for them.")
        return
    print(
        f"Definitions changed since {result.base} (merge base {result.merge_base[:12]}): {', '.join(result.changed)}"
    )
    count = len(result.needed)
    print(f"This change needs an approval from each of these {count} team{'s' if count != 1 else ''}:")
    for item in result.needed:
        who = " ".join(item.codeowners) or "(no code owner handle)"
        mark = ""
        if approvals is not None:
            mark = "  [missing]" if item in missing else "  [approved]"
        print(f"  {item.label} ({item.team}): {who}{mark}")
        by_file: dict[str, list[str]] = {}
        for file, reason in item.because:
            by_file.setdefault(file, []).append(reason)
        for file, reasons in by_file.items():
            shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
            print(f"      {file}: {shown}")
    if missing:
        names = ", ".join(item.label for item in missing)  # type: ignore[attr-defined]
        print(f"leadspec: still missing an approval from: {names}", file=sys.stderr)
