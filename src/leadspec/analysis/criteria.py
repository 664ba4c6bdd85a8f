"""Criteria (expression trees) to regions of leads.

`not` is pushed down to the atoms first: the negation of an atom is the
complement of its cell set *within the field's whole domain, "missing"
included*, so `not (lead_score > 5)` holds for a lead with no score while
`lead_score <= 5` does not. An `and` intersects, an `or` unites; atoms on the
same field inside one `and` collapse into a single box before any product is
formed, and every intermediate region is simplified, which keeps the usual
criteria (a handful of fields, ranges, lists) to a few boxes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.analysis.boxes import Region, simplify
from leadspec.analysis.space import Space
from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or


def literals(expr: Expr) -> Iterator[tuple[str, Iterable[object]]]:
    """(field id, literals) for every atom: where each field's domain must be cut."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (And, Or)):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, Compare):
            yield node.field, (node.value.value,)
        elif isinstance(node, Member):
            yield node.field, tuple(item.value for item in node.values)


def atom_mask(space: Space, node: Compare | Member | BoolField) -> tuple[int, int] | None:
    """(field position, cell mask) where the atom holds; None for a field the model lacks."""
    position = space.index.get(node.field)
    if position is None:
        return None
    domain = space.domains[position]
    if isinstance(node, Compare):
        return position, domain.compare_mask(node.op, node.value.value)
    if isinstance(node, Member):
        return position, domain.member_mask((item.value for item in node.values), node.negated)
    return position, domain.true_mask()


class UnknownField(Exception):
    """The criterion names a field the model does not have (type checking reports it)."""


def compile_expr(space: Space, expr: Expr) -> Region:
    """The exact set of leads that meet `expr`."""
    return Region(space.layout, tuple(_compile(space, expr, False)))


def _compile(space: Space, node: Expr, negate: bool) -> list[int]:
    layout = space.layout
    if isinstance(node, Const):
        return [layout.full] if node.value != negate and layout.nonempty(layout.full) else []
    if isinstance(node, Not):
        return _compile(space, node.operand, not negate)
    if isinstance(node, (Compare, Member, BoolField)):
        found = atom_mask(space, node)
        if found is None:
            raise UnknownField(node.field)
        position, mask = found
        if negate:
            mask = space.domains[position].full & ~mask
        box = layout.atom(position, mask)
        return [box] if layout.nonempty(box) else []
    conjunctive = isinstance(node, And) != negate
    if not conjunctive:
        boxes: list[int] = []
        for operand in node.operands:  # type: ignore[union-attr]
            boxes.extend(_compile(space, operand, negate))
        return simplify(layout, boxes)
    # A conjunction: fold single boxes into one box first, then multiply out the rest.
    single = layout.full
    products: list[list[int]] = []
    for operand in node.operands:  # type: ignore[union-attr]
        part = _compile(space, operand, negate)
        if not part:
            return []
        if len(part) == 1:
            single &= part[0]
            if not layout.nonempty(single):
                return []
        else:
            products.append(part)
    current = [single]
    products.sort(key=len)
    for part in products:
        nxt: list[int] = []
        for a in current:
            for b in part:
                both = a & b
                if layout.nonempty(both):
                    nxt.append(both)
        current = simplify(layout, nxt) if len(nxt) > 1 else nxt
        if not current:
            return []
    return current
