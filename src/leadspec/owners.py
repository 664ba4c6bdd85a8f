"""Who must agree to a change of each definitions file, and the CODEOWNERS block that says so.

A file belongs to the team of every stage it defines, to both teams of every hand-off it
defines (the exit's stage and the stage it leads to), and to the team that must act on every
SLA in it: each of them is bound by what the file says. The shared contract (fields,
picklists, calendars, terms, targets, the lifecycle) belongs to the teams whose stages use
it, because changing a field's domain or a reason's destination moves their leads; a file
that nothing gives an owner belongs to every team that owns a stage.

GitHub reads CODEOWNERS with "the last matching pattern wins" and accepts an approval from
ANY one owner on the line, so these lines request the right reviewers but cannot by
themselves make both teams of a hand-off approve; `leadspec.approvals` lists every team a
change needs, for a CI job to enforce.

The generated lines live between two marker comments so a user's own lines around them are
kept; the block is written last-wins friendly (append it after broad patterns like `*`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from leadspec.config import Config
from leadspec.context import Context
from leadspec.membership import fields_of
from leadspec.structs import struct

BEGIN = "# BEGIN leadspec owners"
END = "# END leadspec owners"
# Where GitHub looks for CODEOWNERS, in its order (GitLab reads the same names, and .gitlab/).
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_HOME_FOLDERS = (".github", ".gitlab", "docs")
# Characters gitignore-style patterns treat specially; a backslash makes them literal.
_SPECIAL = set("\\ *?[]")


class BlockError(Exception):
    """The CODEOWNERS file's leadspec block is damaged (a marker is missing or repeated)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@struct
class Claim:
    """One team's stake in a file, in words ("receives the hand-off mql -> sal")."""

    team: str
    reason: str


@struct
class FileOwners:
    file: str  # as the definitions are shown in findings
    path: str  # relative to the repository root, with forward slashes
    teams: tuple[str, ...]
    claims: tuple[Claim, ...]


# --- who owns what ---------------------------------------------------------------------


def ownership(context: Context, files: Sequence[str]) -> dict[str, tuple[Claim, ...]]:
    """file -> every team's stake in it, in a stable order (files as shown in findings)."""
    model = context.model
    claims: dict[str, dict[Claim, None]] = {file: {} for file in files}

    def claim(file: str | None, team: str | None, reason: str) -> None:
        if file is not None and team:
            claims.setdefault(file, {}).setdefault(Claim(team, reason))

    owner = {stage.id: stage.owner for stage in model.stages}
    stage_teams = list(dict.fromkeys(team for team in owner.values() if team))
    users: dict[tuple[str, str], dict[str, None]] = {}  # (kind, id) -> teams whose stages use it

    def use(kind: str, ident: str | None, team: str | None) -> None:
        if ident and team:
            users.setdefault((kind, ident), {}).setdefault(team)

    for stage in model.stages:
        file = stage.span.file
        claim(file, stage.owner, f"owns the stage `{stage.id}`")
        if stage.sla is not None:
            claim(file, stage.sla.owner, f"acts on the SLA of the stage `{stage.id}`")
            use("calendar", stage.sla.calendar, stage.owner)
        for criterion in (stage.entry, *(exit_.when for exit_ in stage.exits)):
            tree = context.expr(criterion)
            for name in fields_of(tree) if tree is not None else ():
                use("field", name, stage.owner)
        for term in stage.see_also:
            use("term", term, stage.owner)
        for exit_ in stage.exits:
            target = owner.get(exit_.to)
            if target and target != stage.owner:
                claim(file, target, f"receives the hand-off {stage.id} -> {exit_.to}")
            if exit_.sla is not None:
                claim(file, exit_.sla.owner, f"acts on the SLA of the hand-off {stage.id} -> {exit_.to}")
                use("calendar", exit_.sla.calendar, stage.owner)
            use("picklist", exit_.reason, stage.owner)
            for name in exit_.set:
                use("field", name, stage.owner)
    for picklist in model.picklists.values():
        for value in picklist.values:
            use("picklist", picklist.id, owner.get(value.then or ""))
    if model.lifecycle.scope is not None:
        tree = context.expr(model.lifecycle.scope)
        for name in fields_of(tree) if tree is not None else ():
            for team in stage_teams:
                use("field", name, team)

    shared = [
        ("field", "fields", model.fields.values()),
        ("picklist", "picklists", model.picklists.values()),
        ("calendar", "calendars", model.calendars.values()),
        ("term", "terms", model.terms.values()),
    ]
    for kind, words, entries in shared:
        for entry in entries:
            for team in users.get((kind, entry.id), ()):
                claim(entry.span.file, team, f"its stages use {words} defined here")
    for team in model.teams.values():
        if team.id in stage_teams:
            claim(team.span.file, team.id, "its own team entry (and code owner handles) is here")
    if model.lifecycle.span is not None:
        for team in stage_teams:
            claim(model.lifecycle.span.file, team, "the lifecycle's scope and policy cover its stages")
    if model.targets is not None:
        targets = model.targets
        for source, target in targets.conversion:
            for stage_id in (source, target):
                claim(
                    targets.span.file, owner.get(stage_id), "the targets set conversion rates for its stages"
                )
        for capacity in targets.capacity:
            claim(targets.span.file, capacity.team, "the targets set its capacity")
    result: dict[str, tuple[Claim, ...]] = {}
    for file, found in claims.items():
        if not found:
            found = {
                Claim(team, "owns a stage, and nothing here belongs to one team: it is shared"): None
                for team in stage_teams
            }
        result[file] = tuple(found)
    return result


def team_order(context: Context, teams: Iterable[str]) -> tuple[str, ...]:
    """Teams in the order the definitions declare them (unknown teams last, by name)."""
    declared = list(context.model.teams)
    unique = set(teams)
    return tuple(
        sorted(unique, key=lambda team: (declared.index(team) if team in declared else len(declared), team))
    )


def owners_of_files(context: Context, files: Sequence[str], root: Path) -> list[FileOwners]:
    """Each file's owners with its path from `root`, sorted by that path.

    Raises ValueError naming a file that lies outside `root` (CODEOWNERS cannot name it).
    """
    result = []
    for file, claims in ownership(context, files).items():
        result.append(
            FileOwners(
                file=file,
                path=relative_path(file, root),
                teams=team_order(context, (claim.team for claim in claims)),
                claims=claims,
            )
        )
    return sorted(result, key=lambda owners: owners.path)


def handles(context: Context, teams: Iterable[str]) -> list[str]:
    """The code owner handles of these teams, each once, in team order."""
    found: dict[str, None] = {}
    for team in teams:
        entry = context.model.teams.get(team)
        for handle in entry.codeowners if entry is not None else ():
            found.setdefault(handle)
    return list(found)


# --- where the file is ---------------------------------------------------------------


def codeowners_file(config: Config) -> Path:
    """The configured CODEOWNERS, else the first one GitHub would read, else .github/CODEOWNERS."""
    if config.codeowners:
        return config.root / config.codeowners
    for candidate in LOCATIONS:
        if (config.root / candidate).is_file():
            return config.root / candidate
    return config.root / LOCATIONS[0]


def repository_root(codeowners: Path) -> Path:
    """The folder CODEOWNERS paths start from: where the file sits, or above .github/, .gitlab/, docs/."""
    folder = Path(os.path.abspath(codeowners)).parent
    return folder.parent if folder.name in _HOME_FOLDERS else folder


def relative_path(file: str, root: Path) -> str:
    """`file` (as shown in findings, from the current folder) relative to `root`, with `/`."""
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        raise ValueError(
            f"{file} is outside {display(root)}, the folder this CODEOWNERS describes: put CODEOWNERS "
            "in the repository's root, .github/ or docs/ folder"
        ) from None


def pattern(path: str) -> str:
    """A CODEOWNERS pattern that matches exactly this file: anchored, special characters escaped.

    The leading `/` anchors it at the repository root (and keeps a name starting with `#` or
    `!` from reading as a comment or negation). Raises ValueError for a name no pattern can
    hold (a line break or other control character).
    """
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise ValueError(f"{path!r} has a control character, which CODEOWNERS cannot hold")
    return "/" + "".join(f"\\{char}" if char in _SPECIAL else char for char in path)


# --- the block -----------------------------------------------------------------------


def render_block(context: Context, owners: Sequence[FileOwners]) -> list[str]:
    """The generated lines, markers included; deterministic for the same definitions."""
    lines = [
        f"{BEGIN} (generated by `leadspec owners --write`: change the definitions, not these lines)",
        "# A definitions file belongs to the teams of its stages, both teams of each hand-off in it,",
        "# the team acting on each SLA in it, and (for fields, picklists, terms...) the teams using them.",
        "# GitHub accepts ANY one owner's approval per line: `leadspec owners --required` lists them all.",
    ]
    rows: list[tuple[str, str]] = []
    for item in owners:
        try:
            text = pattern(item.path)
        except ValueError as error:
            lines.append(f"# skipped: {error}".replace("\n", " "))
            continue
        found = handles(context, item.teams)
        if found:
            rows.append((text, " ".join(found)))
        else:
            missing = ", ".join(item.teams) or "no team"
            rows.append((f"# {text}", f"(no code owner handle for {missing}: add `codeowners` to the team)"))
    width = max((len(text) for text, _ in rows), default=0)
    lines.extend(f"{text.ljust(width)} {rest}" for text, rest in rows)
    lines.append(END)
    return lines


def find_block(lines: Sequence[str]) -> tuple[int, int] | None:
    """0-based indexes of the begin and end marker lines, or None when there is no block."""
    begins = [index for index, line in enumerate(lines) if line.strip().startswith(BEGIN)]
    ends = [index for index, line in enumerate(lines) if line.strip().startswith(END)]
    if not begins and not ends:
        return None
    if len(begins) > 1 or len(ends) > 1:
        extra = (begins[1:] or ends[1:])[0]
        raise BlockError(f"the leadspec block is marked twice (line {extra + 1}): keep one", extra + 1)
    if not ends:
        raise BlockError(f"`{BEGIN}` on line {begins[0] + 1} has no `{END}` after it", begins[0] + 1)
    if not begins or ends[0] < begins[0]:
        raise BlockError(f"`{END}` on line {ends[0] + 1} has no `{BEGIN}` before it", ends[0] + 1)
    return begins[0], ends[0]


def splice(existing: str | None, block: Sequence[str]) -> str:
    """The whole CODEOWNERS text with `block` in place of the old one, the user's lines kept.

    A file without a block gets it appended at the end, where it wins over broad patterns
    such as `*` written above it (in CODEOWNERS the last matching line wins).
    """
    if not existing:
        return "\n".join(block) + "\n"
    lines = existing.splitlines()
    found = find_block(lines)
    if found is None:
        separator = [""] if lines and lines[-1].strip() else []
        return "\n".join([*lines, *separator, *block]) + "\n"
    start, end = found
    return "\n".join([*lines[:start], *block, *lines[end + 1 :]]) + "\n"


def has_block(text: str) -> bool:
    return any(line.strip().startswith((BEGIN, END)) for line in text.splitlines())


def first_difference(old: str, new: str) -> int:
    """The 1-based number of the first line where `old` and `new` differ."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return number
    return min(len(old_lines), len(new_lines)) + 1 if old != new else 0


def unified_diff(old: str, new: str, name: str) -> str:
    import difflib  # here, not at the top: only a stale CODEOWNERS needs it, and start-up counts

    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{name} (committed)",
            tofile=f"{name} (from the definitions)",
        )
    )


@struct
class Expected:
    """What the CODEOWNERS file should read, next to what it reads now."""

    path: Path
    current: str | None  # None when the file does not exist
    text: str
    owners: tuple[FileOwners, ...]

    @property
    def stale(self) -> bool:
        return self.current != self.text


def expected(context: Context, files: Sequence[str], path: Path) -> Expected:
    """The CODEOWNERS text for these definitions. Raises ValueError / BlockError / OSError."""
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    owners = owners_of_files(context, files, repository_root(path))
    text = splice(current, render_block(context, owners))
    return Expected(path=path, current=current, text=text, owners=tuple(owners))


# --- for `leadspec check` --------------------------------------------------------------


@struct
class InUse:
    """A CODEOWNERS file with a leadspec block that describes exactly the definitions checked."""

    path: Path
    display: str  # as findings show it (from the current folder)
    text: str


def block_in_use(context: Context) -> InUse | None:
    """The CODEOWNERS block `check` compares with, or None when it should stay quiet.

    Quiet unless the file exists with a leadspec block and `check` read the configured
    definitions (the ones `leadspec owners` reads): checking one file, or a folder of test
    fixtures, says nothing about the block that covers the whole set.
    """
    from leadspec.api import UsageError, collect_files

    config = context.config
    if config is None:
        return None
    path = codeowners_file(config)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not has_block(text):
        return None
    try:
        configured = collect_files([config.root / folder for folder in config.paths])
    except UsageError:
        return None
    if {os.path.abspath(file) for file in context.files} != {os.path.abspath(file) for file in configured}:
        return None
    return InUse(path=path, display=display(path), text=text)


def display(path: Path) -> str:
    """`path` as findings and messages show files: from the current folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _entries(lines: Sequence[str]) -> dict[str, tuple[int, list[str]]]:
    """pattern -> (1-based line, owners) for the rule lines inside the block."""
    found = find_block(lines)
    if found is None:
        return {}
    start, end = found
    entries: dict[str, tuple[int, list[str]]] = {}
    for index in range(start + 1, end):
        words = _split(lines[index])
        if words and not words[0].startswith("#"):
            entries.setdefault(words[0], (index + 1, words[1:]))
    return entries


def _split(line: str) -> list[str]:
    """A CODEOWNERS line's words; a backslash keeps the next character (an escaped space)."""
    words: list[str] = []
    word = ""
    escaped = False
    for char in line.strip():
        if escaped:
            word += char
            escaped = False
        elif char == "\\":
            word += char
            escaped = True
        elif char.isspace():
            if word:
                words.append(word)
            word = ""
        else:
            word += char
    if word:
        words.append(word)
    return words


def first_stale(current: str, wanted: str) -> tuple[int, str]:
    """Where CODEOWNERS first disagrees with the definitions, and how, in plain words."""
    old_lines, new_lines = current.splitlines(), wanted.splitlines()
    old, new = _entries(old_lines), _entries(new_lines)
    block = find_block(old_lines)
    end_line = block[1] + 1 if block else len(old_lines) + 1
    problems: list[tuple[int, str]] = []
    for path, (_, owners) in new.items():
        if path not in old:
            problems.append((end_line, f"`{path}` is not listed; it should be owned by {' '.join(owners)}"))
        elif old[path][1] != owners:
            problems.append((old[path][0], f"`{path}` {_change(old[path][1], owners)}"))
    for path, (line, _) in old.items():
        if path not in new:
            problems.append((line, f"`{path}` is listed, but it is no definitions file any more"))
    if problems:
        return min(problems)
    line = first_difference(current, wanted)
    return line, f"line {line} is not what `leadspec owners` writes"


def _change(old: Sequence[str], new: Sequence[str]) -> str:
    added = [handle for handle in new if handle not in old]
    removed = [handle for handle in old if handle not in new]
    parts = []
    if added:
        parts.append(f"should also be owned by {' '.join(added)}")
    if removed:
        parts.append(f"should no longer be owned by {' '.join(removed)}")
    return " and ".join(parts) or "lists its owners in another order than `leadspec owners` writes"
