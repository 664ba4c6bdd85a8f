"""Which teams must approve a change of the definitions, from git: `leadspec owners --required`.

GitHub's "require review from code owners" is satisfied by ANY one owner listed on a
CODEOWNERS line, so a line naming marketing and sales lets either approve alone. This module
lists every team a change needs (every team on the changed files' lines, before and after
the change: the old owner of a stage must agree to hand it over, the new one to take it),
so a CI job can compare that list with the pull request's approvals.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from leadspec import git
from leadspec.api import Loaded, load
from leadspec.config import Config
from leadspec.diff.revisions import Repository, RevisionError, repository
from leadspec.git import SHALLOW_HINT, GitError
from leadspec.owners import Claim, handles, ownership, team_order
from leadspec.structs import field, struct


class ApprovalError(Exception):
    """git could not answer (no repository, unknown ref): a usage problem, exit code 2."""


@struct(frozen=False)
class Needed:
    """One team whose approval the change needs, and why (file, reason)."""

    team: str
    label: str
    codeowners: list[str]
    because: list[tuple[str, str]] = field(default_factory=list)

    def approved_by(self, approvals: Sequence[str]) -> bool:
        given = {handle.casefold() for handle in approvals}
        return any(handle.casefold() in given for handle in self.codeowners)


@struct(frozen=False)
class Required:
    base: str
    merge_base: str
    changed: list[str]  # definitions files changed, relative to the repository root
    needed: list[Needed]

    def as_json(self, approvals: Sequence[str] | None = None) -> dict[str, object]:
        data: dict[str, object] = {
            "base": self.base,
            "merge_base": self.merge_base,
            "changed": self.changed,
            "required": [
                {
                    "team": item.team,
                    "label": item.label,
                    "codeowners": item.codeowners,
                    "because": [{"file": file, "reason": reason} for file, reason in item.because],
                }
                for item in self.needed
            ],
        }
        if approvals is not None:
            data["approved"] = list(approvals)
            data["missing"] = [item.team for item in self.needed if not item.approved_by(approvals)]
        return data


def _git(root: Path, *args: str) -> bytes:
    try:
        return git.output(args, root)
    except GitError as error:
        raise ApprovalError(str(error)) from None


def _merge_base(repo: Repository, base: str) -> str:
    """Where this branch left `base`; plain words (a guess, the shallow-clone hint) when it cannot."""
    try:
        commit = repo.require(base)  # also refuses a "ref" that git would read as an option
    except RevisionError as error:
        raise ApprovalError(str(error)) from None
    found = git.run(["merge-base", commit, "HEAD"], repo.top)
    if found.returncode != 0 or not git.text(found):
        if repo.shallow:
            raise ApprovalError(f"cannot find where this branch left `{base}`: {SHALLOW_HINT}")
        raise ApprovalError(f"this branch shares no history with `{base}`")
    return git.text(found)


def _names(output: bytes) -> list[str]:
    return [name.decode("utf-8", "surrogateescape") for name in output.split(b"\0") if name]


def required(loaded: Loaded, definitions: Sequence[str], config: Config, base: str) -> Required:
    """The teams whose approval the working tree's changes since `base` need.

    `loaded` is the definitions as they are now; `definitions` the files and folders they
    were read from. The base side is read from git at the merge base of `base` and HEAD, so
    only this branch's own changes count, not what landed on `base` since.
    """
    repo = repository(config)
    if repo is None:
        raise ApprovalError("this folder is not in a git repository")
    top = repo.top
    merge_base = _merge_base(repo, base)
    scopes = [_from_top(Path(path), top) for path in definitions]
    head_files = {_from_top(Path(file), top): file for file in loaded.report.files}
    try:
        base_files = git.read_files(top, merge_base, scopes)
    except GitError as error:
        raise ApprovalError(str(error)) from None
    base_names = {path.as_posix() for path in base_files}
    changed_names = set(
        _names(_git(top, "diff", "--name-only", "-z", "--no-renames", merge_base, "--", *scopes))
    )
    changed_names |= set(_names(_git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", *scopes)))
    head_claims = {
        _from_top(Path(file), top): claims
        for file, claims in ownership(loaded.context, loaded.report.files).items()
    }
    base_loaded, base_claims = _base_ownership(base_files, scopes, config)
    # A file whose owners changed is part of the change even if its text is not: a stage
    # handed to another team changes who receives the hand-offs other files define.
    for name in set(head_claims) & set(base_claims):
        if {claim.team for claim in head_claims[name]} != {claim.team for claim in base_claims[name]}:
            changed_names.add(name)
    changed = sorted(name for name in changed_names if name in head_files or name in base_names)

    needed: dict[str, Needed] = {}
    for name in changed:
        now = head_claims.get(name, ())
        before = base_claims.get(name, ())
        for claim, when in [
            *((c, "") for c in now),
            *((c, " (before this change)") for c in before if c not in now),
        ]:
            item = needed.get(claim.team) or _needed(claim, base_loaded, loaded)
            needed[claim.team] = item
            entry = (name, claim.reason + when)
            if entry not in item.because:
                item.because.append(entry)
    order = team_order(loaded.context, needed)
    return Required(
        base=base, merge_base=merge_base, changed=changed, needed=[needed[team] for team in order]
    )


def _from_top(path: Path, top: Path) -> str:
    absolute = Path(os.path.realpath(path))
    try:
        return absolute.relative_to(Path(os.path.realpath(top))).as_posix()
    except ValueError:
        raise ApprovalError(f"{path} is outside the git repository at {top}") from None


def _needed(claim: Claim, *models: Loaded | None) -> Needed:
    """The team's handles from the first side that defines it: the base before the change.

    A pull request must not choose who approves it: if it could, changing a team's
    `codeowners` to a friendly reviewer would make that reviewer's approval count. So a
    team that exists at the base is approved only by the handles it has there; only a
    team the change adds takes its handles from the change (and whoever owned its
    stages before must approve too).
    """
    for loaded in models:
        team = loaded.model.teams.get(claim.team) if loaded is not None else None
        if team is not None:
            return Needed(claim.team, team.label, handles(loaded.context, [claim.team]))  # type: ignore[union-attr]
    return Needed(claim.team, claim.team, [])


def _base_ownership(
    files: Mapping[PurePosixPath, bytes], scopes: Sequence[str], config: Config
) -> tuple[Loaded | None, dict[str, tuple[Claim, ...]]]:
    """Ownership of the definitions as they were at the base (`files` by path from the top)."""
    if not files:
        return None, {}
    with tempfile.TemporaryDirectory(prefix="leadspec-base-") as folder:
        root = Path(folder)
        git.write_files(files, root)
        paths = [root / scope for scope in scopes if (root / scope).exists()]
        loaded = load(paths, config)
        claims = {
            Path(os.path.abspath(file)).relative_to(Path(os.path.abspath(root))).as_posix(): found
            for file, found in ownership(loaded.context, loaded.report.files).items()
        }
    return loaded, claims
