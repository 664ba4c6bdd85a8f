"""The membership rule compiled to SQL for the engines where the leads are (see `compile`).

`compile` (and with it sqlglot, a tenth of a second to import) loads when one of its names is
first used: the CLI lists the dialects for every command, and `leadspec check` compiles nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadspec.sql.dialects import DIALECTS, SqlError, dialect

if TYPE_CHECKING:
    from leadspec.sql.compile import Names, compile_select, compile_view, rule_select

__all__ = ["DIALECTS", "Names", "SqlError", "compile_select", "compile_view", "dialect", "rule_select"]

_COMPILE = ("Names", "compile_select", "compile_view", "rule_select")


def __getattr__(name: str) -> Any:
    if name in _COMPILE:
        from leadspec.sql import compile as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
