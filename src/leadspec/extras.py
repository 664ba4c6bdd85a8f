"""The optional parts of leadspec, and what to install for them.

`pip install leadspec` is enough to check, diff and export definitions; the glossary
site needs the `site` extra. Without this module a missing package surfaces as an
import error halfway through a command and reads like a bug in leadspec. Instead a
command that needs an extra says so when it registers (`needs=("site",)`), the
`leadspec` command asks `require` before running it, and an import error that slips
through anyway (the API, a module reached another way) is told apart from a real bug
by `missing_extra`. Both say the same thing: which extra to install, and how.

The modules listed here must match `[project.optional-dependencies]` in
pyproject.toml; a test holds the two together.
"""

from __future__ import annotations

import importlib.util

from leadspec.structs import struct


@struct
class Extra:
    """An optional part: what it is for, and its packages as `import name -> pip name`."""

    purpose: str
    modules: dict[str, str]


EXTRAS: dict[str, Extra] = {
    "site": Extra(
        purpose="the glossary site (`leadspec site`)",
        modules={
            "jinja2": "jinja2",
            "mkdocs": "mkdocs",
            "material": "mkdocs-material",
            "pymdownx": "pymdown-extensions",
        },
    ),
    "lsp": Extra(purpose="the language server (`leadspec lsp`)", modules={"pygls": "pygls"}),
}


class MissingExtra(ImportError):
    """An optional part is not installed; the message says what to install (exit code 2)."""

    def __init__(self, extra: str, packages: list[str]) -> None:
        self.extra = extra
        self.packages = packages
        noun, pronoun = ("package", "it") if len(packages) == 1 else ("packages", "them")
        super().__init__(
            f"{EXTRAS[extra].purpose} needs the {noun} {', '.join(packages)}, which leadspec does not "
            f"install by default: install {pronoun} with `pip install 'leadspec[{extra}]'` (or, in a "
            f"checkout of leadspec, `pip install '.[{extra}]'`)"
        )


def require(*extras: str) -> None:
    """Raise `MissingExtra` unless every package of `extras` can be imported."""
    for extra in extras:
        missing = [package for module, package in EXTRAS[extra].modules.items() if not _importable(module)]
        if missing:
            raise MissingExtra(extra, missing)


def missing_extra(error: ImportError) -> MissingExtra | None:
    """The extra to install when `error` is about one of its packages, else None (a real bug)."""
    if isinstance(error, MissingExtra):
        return error
    top = (error.name or "").partition(".")[0]
    for extra, part in EXTRAS.items():
        if top in part.modules:
            return MissingExtra(extra, [part.modules[top]])
    return None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a finder that refuses it, or a module blocked in sys.modules
        return False
