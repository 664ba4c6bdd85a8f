"""The rule registry: one module per diagnostic code.

Each module `lsNNN_name.py` in this package defines `RULE` (code, name, default
severity) and its module docstring is the code's documentation page (what it
means, an example that triggers it, and the fix). Codes raised while reading or
validating (LS0xx, LS1xx, expression syntax) are emitted by their phase; the
module still owns their documentation. Rules that inspect the built model also
define `check(ctx)`, which yields `Diagnostic` values.

Codes are grouped by phase and never reused: LS0xx reading YAML, LS1xx schema,
LS2xx model and expressions, LS3xx lifecycle analysis, LS4xx SLA, targets and
governance, LS5xx exports, LS9xx waivers and configuration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from leadspec.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from leadspec.context import Context


@dataclass(frozen=True)
class Rule:
    """What a code is called and how serious it is unless configured otherwise."""

    code: str
    name: str
    severity: Severity
    summary: str
    # True when the answer depends on seeing every definition file: such rules stay
    # quiet when some file could not be read, instead of blaming what lives there.
    needs_complete_model: bool = False
    # True when the answer is only exact if every definition is exactly as written:
    # no schema error, no duplicate id, every criterion parsed and type-checked.
    needs_exact_model: bool = False


@dataclass(frozen=True)
class RuleModule:
    rule: Rule
    doc: str
    check: Callable[[Context], Iterable[Diagnostic]] | None


class Registry:
    """Finds rule modules on first use, so adding a rule is adding one file."""

    def __init__(self) -> None:
        self._modules: dict[str, RuleModule] | None = None

    def _load(self) -> dict[str, RuleModule]:
        if self._modules is None:
            found: dict[str, RuleModule] = {}
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
                if not info.name.startswith("ls"):
                    continue
                module: ModuleType = importlib.import_module(f"{__name__}.{info.name}")
                rule: Rule = module.RULE
                if rule.code in found:
                    raise RuntimeError(f"rule code {rule.code} defined twice ({info.name})")
                found[rule.code] = RuleModule(
                    rule=rule, doc=(module.__doc__ or "").strip(), check=getattr(module, "check", None)
                )
            self._modules = found
        return self._modules

    def get(self, code: str) -> Rule:
        try:
            return self._load()[code].rule
        except KeyError:
            raise KeyError(f"unknown diagnostic code {code}") from None

    def known(self, code: str) -> bool:
        return code in self._load()

    def doc(self, code: str) -> str:
        return self._load()[code].doc

    def __iter__(self) -> Iterator[RuleModule]:
        return iter(self._load()[code] for code in sorted(self._load()))


registry = Registry()
