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
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING

from leadspec.diagnostics import Diagnostic, Severity
from leadspec.structs import struct
from leadspec.submodules import submodules

if TYPE_CHECKING:
    from leadspec.context import Context


# The codes a phase emits itself (reading, schema, building, expressions, the run, `leadspec
# diff`, waivers): their modules document them and define no `check`, so a run need not import
# them to find out. tests/test_selected_rules.py keeps this equal to the modules without `check`.
PHASE_CODES = frozenset(
    {
        "LS001", "LS002", "LS003", "LS004", "LS005", "LS006", "LS007", "LS008", "LS009", "LS010",
        "LS011", "LS012", "LS013", "LS101", "LS102", "LS103", "LS104", "LS201", "LS206", "LS207",
        "LS208", "LS209", "LS210", "LS211", "LS215", "LS300", "LS431", "LS432", "LS433", "LS434",
        "LS435", "LS436", "LS437", "LS901", "LS902", "LS903",
    }
)  # fmt: skip


@struct
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


@struct
class RuleModule:
    rule: Rule
    doc: str
    check: Callable[[Context], Iterable[Diagnostic]] | None


class Registry:
    """Finds rule modules by their file names, so adding a rule is adding one file.

    The codes are known from the names alone (`ls301_overlap.py` is LS301); a module is
    imported only when something about its rule is asked, so checking a configuration
    or running a few selected rules does not pay for loading all of them.
    """

    def __init__(self) -> None:
        self._names: dict[str, str] | None = None  # code -> module name, in code order
        self._modules: dict[str, RuleModule] = {}

    def _codes(self) -> dict[str, str]:
        if self._names is None:
            found: dict[str, str] = {}
            for name in submodules(__path__):
                if not name.startswith("ls"):
                    continue
                code = name.partition("_")[0].upper()
                if code in found:
                    raise RuntimeError(f"rule code {code} defined twice ({found[code]}, {name})")
                found[code] = name
            self._names = dict(sorted(found.items()))
        return self._names

    def _module(self, code: str) -> RuleModule:
        loaded = self._modules.get(code)
        if loaded is None:
            name = self._codes()[code]
            module: ModuleType = importlib.import_module(f"{__name__}.{name}")
            rule: Rule = module.RULE
            if rule.code != code:
                raise RuntimeError(f"{name} defines {rule.code}, but its file name says {code}")
            loaded = RuleModule(
                rule=rule, doc=(module.__doc__ or "").strip(), check=getattr(module, "check", None)
            )
            self._modules[code] = loaded
        return loaded

    def codes(self) -> tuple[str, ...]:
        """Every code, in order, without importing a rule module."""
        return tuple(self._codes())

    def known(self, code: str) -> bool:
        return code in self._codes()

    def known_prefix(self, prefix: str) -> bool:
        """Whether a selector such as `LS2` or `LS205` names at least one code."""
        return any(code.startswith(prefix) for code in self._codes())

    def get(self, code: str) -> Rule:
        if not self.known(code):
            raise KeyError(f"unknown diagnostic code {code}")
        return self._module(code).rule

    def doc(self, code: str) -> str:
        return self._module(code).doc

    def checks(self, wanted: Callable[[str], bool]) -> Iterator[RuleModule]:
        """The rules with a `check`, in code order, of the codes `wanted` accepts; no other is imported."""
        for code in self._codes():
            if code not in PHASE_CODES and wanted(code):
                module = self._module(code)
                if module.check is not None:
                    yield module

    def __iter__(self) -> Iterator[RuleModule]:
        return iter([self._module(code) for code in self._codes()])


registry = Registry()
