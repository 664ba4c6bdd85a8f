"""What a model-level rule gets to look at.

Built once per run by `leadspec.api`; expensive derived data (parsed criteria,
the lifecycle analysis) is computed once here and shared by every rule.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from leadspec.model import Criterion, Model
from leadspec.structs import field, struct

if TYPE_CHECKING:
    from leadspec.config import Config
    from leadspec.expr.ast import Expr


@struct(frozen=False)
class Context:
    """The model plus each criterion's expression tree.

    `exprs` holds only criteria that parsed *and* type-checked: a rule never
    sees an expression that already has a syntax or type diagnostic, so one
    mistake is reported once.
    """

    model: Model
    exprs: dict[Criterion, Expr] = field(default_factory=dict)
    # Every criterion that parsed, as written (names of conditions not yet resolved), type
    # errors or not: for rules that read what a criterion says, such as which conditions it names.
    parsed: dict[Criterion, Expr] = field(default_factory=dict)
    # The run's settings and every definitions file read (as shown in findings), for rules
    # about files beside the definitions, such as a stale CODEOWNERS (LS421).
    config: Config | None = None
    files: tuple[str, ...] = ()

    def expr(self, criterion: Criterion | None) -> Expr | None:
        if criterion is None:
            return None
        return self.exprs.get(criterion)

    @cached_property
    def analysis(self) -> Any:
        """The exact lifecycle analysis (gaps, overlaps, hand-offs), computed on first use."""
        from leadspec.analysis.lifecycle import analyze

        return analyze(self.model, self.exprs)

    @cached_property
    def waterfall(self) -> Any:
        """The reverse waterfall of the targets, or why it cannot be worked out (None without
        targets): worked out once for the targets checks (LS413-LS417), not once per check."""
        from leadspec.targets import worked_out

        return worked_out(self.model)
