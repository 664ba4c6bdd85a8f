"""Criteria (expression trees) to regions of leads.

An atom is the set of cells of its field where it holds (never the "missing"
cell: every comparison with a missing value is false). `not` is the complement
*within the field's whole domain, "missing" included*, so `not (lead_score > 5)`
holds for a lead with no score while `lead_score <= 5` does not. `and`
intersects and `or` unites, on decision diagrams, so no expansion into a
disjunctive normal form ever happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.analysis.diagrams import FALSE, TRUE, Region
from leadspec.analysis.space import Space
from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Ref, nodes
from leadspec.membership import fields_of


def literals(expr: Expr) -> Iterator[tuple[str, Iterable[object]]]:
    """(field id, literals) for every atom: where each field's domain must be cut."""
    for node in nodes(expr, through_refs=True):
        if isinstance(node, Compare):
            yield node.field, (node.value.value,)
        elif isinstance(node, Member):
            yield node.field, tuple(item.value for item in node.values)


def field_order(trees: Iterable[Expr]) -> list[str]:
    """Field ids in the order they first appear in the criteria: the diagrams' level order."""
    seen: dict[str, None] = {}
    for tree in trees:
        seen.update(dict.fromkeys(fields_of(tree)))
    return list(seen)


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
    return Region(space.forest, _compile(space, expr))


def _field_atom(space: Space, node: Expr) -> tuple[int, int] | None:
    """(field position, cells) when `node` is an atom or a `not` of one; None otherwise."""
    negated = False
    while isinstance(node, (Not, Ref)):
        if isinstance(node, Ref):
            node = node.expr
            continue
        negated = not negated
        node = node.operand
    if not isinstance(node, (Compare, Member, BoolField)):
        return None
    found = atom_mask(space, node)
    if found is None:
        raise UnknownField(node.field)
    position, mask = found
    if negated:
        mask = space.domains[position].full & ~mask
    return position, mask


def _compile(space: Space, node: Expr) -> int:
    forest = space.forest
    if isinstance(node, Const):
        return TRUE if node.value else FALSE
    if isinstance(node, Not):
        return forest.neg(_compile(space, node.operand))
    if isinstance(node, Ref):
        return _compile(space, node.expr)
    if isinstance(node, (Compare, Member, BoolField)):
        found = atom_mask(space, node)
        if found is None:
            raise UnknownField(node.field)
        return forest.atom(*found)
    conjunction = isinstance(node, And)
    # Atoms on one field combine as cell masks first: `40 <= x < 50` is one test of x.
    masks: dict[int, int] = {}
    rest: list[Expr] = []
    for operand in node.operands:  # type: ignore[union-attr]
        atom = _field_atom(space, operand)
        if atom is None:
            rest.append(operand)
            continue
        position, mask = atom
        if position in masks:
            masks[position] = masks[position] & mask if conjunction else masks[position] | mask
        else:
            masks[position] = mask
    if conjunction:
        result = TRUE
        for position, mask in masks.items():
            result = forest.conj(result, forest.atom(position, mask))
            if result == FALSE:
                return FALSE
        for operand in rest:
            result = forest.conj(result, _compile(space, operand))
            if result == FALSE:
                break
        return result
    result = FALSE
    for position, mask in masks.items():
        result = forest.disj(result, forest.atom(position, mask))
        if result == TRUE:
            return TRUE
    for operand in rest:
        result = forest.disj(result, _compile(space, operand))
        if result == TRUE:
            break
    return result
