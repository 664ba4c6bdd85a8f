"""The membership rule compiled to SQL for the engines where the leads are (see `compile`)."""

from leadspec.sql.compile import Names, compile_select, compile_view, rule_select
from leadspec.sql.dialects import DIALECTS, SqlError, dialect

__all__ = ["DIALECTS", "Names", "SqlError", "compile_select", "compile_view", "dialect", "rule_select"]
