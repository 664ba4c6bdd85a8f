"""`[tool.leadspec]` in pyproject.toml -> a frozen `Config`.

Teams tune the linter where they keep the rest of their tooling settings:
which codes to run, how serious each is, and which files a code does not apply
to. A mistake in this table is a configuration error (exit 2), never ignored.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from leadspec.diagnostics import Severity
from leadspec.structs import field, struct
from leadspec.suggest import closest

_KEYS = (
    "paths",
    "select",
    "ignore",
    "severity",
    "per-path-ignores",
    "max-file-size",
    "codeowners",
    "exports",
    "baseline",
)


class ConfigError(Exception):
    """A problem in the configuration: reported with its file, exit code 2."""


@struct
class Config:
    """The settings under [tool.leadspec] in pyproject.toml, with a default for each one left out."""

    paths: tuple[str, ...] = ("definitions",)
    select: tuple[str, ...] = ("LS",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_file_size: int = 2_000_000
    # Where `leadspec owners` writes CODEOWNERS, relative to `root` (None: look in the usual places).
    codeowners: str | None = None
    # The CRMs (and formats) the project runs `leadspec export` for, so that `check` warns
    # about a picklist with no place in one of them before the export refuses it (LS501).
    exports: tuple[str, ...] = ()
    # The findings recorded when the project adopted leadspec (`check --write-baseline`),
    # relative to `root`: `check` reports only the others (None: no baseline).
    baseline: str | None = None
    source: str | None = None  # the pyproject.toml it came from, if any
    root: Path = field(default_factory=Path.cwd)

    def enabled(self, code: str, file: str | None) -> bool:
        """Whether a code is reported at all, for a finding in `file`."""
        if not _matches(code, self.select) or _matches(code, self.ignore):
            return False
        if file is not None:
            posix = PurePosixPath(Path(file).as_posix()).as_posix()
            for pattern, codes in self.per_path_ignores:
                if fnmatch.fnmatch(posix, pattern) and _matches(code, codes):
                    return False
        return True

    def severity_of(self, code: str, default: Severity) -> Severity:
        # The most specific prefix wins: LS205 over LS2 over LS.
        best: tuple[int, Severity] | None = None
        for prefix, severity in self.severity.items():
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), severity)
        return best[1] if best else default


def _matches(code: str, selectors: Sequence[str]) -> bool:
    return any(code.startswith(selector) for selector in selectors)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`, as ruff and pytest look for theirs."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read `[tool.leadspec]`; with no file, the defaults rooted at `start`."""
    start = start or Path.cwd()
    if path is None:
        path = find_pyproject(start)
        if path is None:
            return Config(root=start)
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table = document.get("tool", {}).get("leadspec")
    if table is None:
        return Config(source=str(path), root=path.parent)
    return _parse(table, str(path), path.parent)


def _parse(table: Any, source: str, root: Path) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.leadspec] must be a table")
    for key in table:
        if key not in _KEYS:
            close = closest(key, _KEYS)
            tip = f" (did you mean `{close}`?)" if close else ""
            raise ConfigError(f"{source}: [tool.leadspec] has an unknown setting `{key}`{tip}")
    paths = _string_list(table, "paths", source, ("definitions",))
    select = _codes(table, "select", source, ("LS",))
    ignore = _codes(table, "ignore", source, ())
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f'{source}: `severity` must be a table such as {{ LS205 = "error" }}')
    severity: dict[str, Severity] = {}
    for code, level in severity_table.items():
        _check_code(code, source, "severity")
        try:
            severity[code] = Severity(level)
        except ValueError:
            raise ConfigError(
                f'{source}: severity of {code} must be "error", "warning" or "info", not {level!r}'
            ) from None
    ppi_table = table.get("per-path-ignores", {})
    if not isinstance(ppi_table, dict):
        raise ConfigError(f"{source}: `per-path-ignores` must be a table of glob = [codes]")
    per_path = []
    for pattern, codes in ppi_table.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{source}: per-path-ignores for {pattern!r} must be a list of codes")
        for code in codes:
            _check_code(code, source, "per-path-ignores")
        per_path.append((pattern, tuple(codes)))
    max_size = table.get("max-file-size", 2_000_000)
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        raise ConfigError(f"{source}: `max-file-size` must be a positive number of bytes")
    codeowners = table.get("codeowners")
    if codeowners is not None and (not isinstance(codeowners, str) or not codeowners.strip()):
        raise ConfigError(
            f'{source}: `codeowners` must be the path of the CODEOWNERS file, such as ".github/CODEOWNERS"'
        )
    exports = _exports(table, source)
    baseline = table.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline.strip()):
        raise ConfigError(
            f'{source}: `baseline` must be the path of a baseline file, such as "leadspec-baseline.json"'
        )
    return Config(
        paths=paths,
        select=select,
        ignore=ignore,
        severity=severity,
        per_path_ignores=tuple(per_path),
        max_file_size=max_size,
        codeowners=codeowners,
        exports=exports,
        baseline=baseline,
        source=source,
        root=root,
    )


def _string_list(
    table: Mapping[str, Any], key: str, source: str, default: tuple[str, ...]
) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{source}: `{key}` must be a list of strings")
    return tuple(value)


def _exports(table: Mapping[str, Any], source: str) -> tuple[str, ...]:
    """`exports = ["salesforce", "hubspot"]`: each a target of `leadspec export`."""
    from leadspec.exports import TARGETS

    targets = _string_list(table, "exports", source, ())
    for target in targets:
        if target not in TARGETS:
            close = closest(target, TARGETS)
            tip = f"did you mean `{close}`? " if close else ""
            raise ConfigError(
                f"{source}: `exports` names {target!r}, which `leadspec export` does not write; "
                f"{tip}use any of: {', '.join(TARGETS)}"
            )
    return tuple(dict.fromkeys(targets))


def _codes(table: Mapping[str, Any], key: str, source: str, default: tuple[str, ...]) -> tuple[str, ...]:
    codes = _string_list(table, key, source, default)
    for code in codes:
        _check_code(code, source, key)
    return codes


def _check_code(code: str, source: str, key: str) -> None:
    """A selector is a code or a code prefix ("LS2"); anything else is a typo."""
    from leadspec.rules import registry

    if not isinstance(code, str) or not registry.known_prefix(code):
        raise ConfigError(f"{source}: `{key}` names {code!r}, which is no leadspec code or code prefix")
