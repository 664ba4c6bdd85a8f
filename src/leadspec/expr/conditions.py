"""Named conditions: a criterion written once under `conditions:` and used by its id.

A criterion names a condition the way it names a true/false field
(`mql_bar and not is_partner`), so the parser cannot tell the two apart and
reads both as `BoolField`. Once every criterion is parsed and type-checked, the
names of conditions are swapped for `Ref` nodes that carry the condition's own
checked tree (`resolve`), in an order where a condition comes after those it
uses (`order`). A condition that uses itself, directly or through others, has
no meaning; `order` names each such cycle once, so it is reported once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from leadspec import structs
from leadspec.expr.ast import And, BoolField, Compare, Expr, Member, Not, Or, Ref, nodes


def names_used(expr: Expr, conditions: Collection[str]) -> tuple[str, ...]:
    """The named conditions `expr` uses by name, in order of first use (before resolution).

    A condition compared with a value (`mql_bar == true`, a type error of its own) is
    named there all the same.
    """
    found: dict[str, None] = {}
    for node in nodes(expr, through_refs=False):
        if isinstance(node, (BoolField, Compare, Member)) and node.field in conditions:
            found.setdefault(node.field)
        elif isinstance(node, Ref):
            found.setdefault(node.name)
    return tuple(found)


def refs_in(expr: Expr) -> tuple[str, ...]:
    """Every named condition a resolved `expr` relies on, directly or through other conditions."""
    return tuple(dict.fromkeys(node.name for node in nodes(expr, through_refs=True) if isinstance(node, Ref)))


def order(uses: Mapping[str, Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """(conditions in an order that puts each after the ones it uses, the cycles).

    `uses` maps each condition to the conditions it names. A condition on a cycle,
    or using one, is left out of the order; each cycle is given once, as the path
    from its first condition (in `uses` order) back to it: `[a, b, a]`.
    """
    done: list[str] = []
    placed: set[str] = set()
    waiting = {name: {used for used in names if used in uses} for name, names in uses.items()}
    ready = [name for name in uses if not waiting[name]]
    users: dict[str, list[str]] = {name: [] for name in uses}
    for name, names in waiting.items():
        for used in names:
            users[used].append(name)
    while ready:
        name = ready.pop(0)
        done.append(name)
        placed.add(name)
        for user in users[name]:
            waiting[user].discard(name)
            if not waiting[user] and user not in placed and user not in ready:
                ready.append(user)
    cycles: list[list[str]] = []
    on_cycle: set[str] = set()
    for start in uses:
        if start in placed or start in on_cycle:
            continue
        path = [start]
        seen = {start: 0}
        node = start
        while True:  # every condition left waits on another one left: walking on must loop
            node = next(used for used in uses[node] if used in waiting and used not in placed)
            if node in seen:
                cycle = path[seen[node] :] + [node]
                break
            seen[node] = len(path)
            path.append(node)
        if on_cycle.isdisjoint(cycle):
            cycles.append(cycle)
            on_cycle.update(cycle)
    return done, cycles


def resolve(expr: Expr, refs: Mapping[str, Ref]) -> Expr:
    """`expr` with each name of a condition in `refs` replaced by that condition's `Ref`.

    `refs` holds one `Ref` per condition (its offsets are replaced by each use's own).
    """
    if isinstance(expr, BoolField):
        ref = refs.get(expr.field)
        return expr if ref is None else structs.replace(ref, start=expr.start, end=expr.end)
    if isinstance(expr, Not):
        operand = resolve(expr.operand, refs)
        return expr if operand is expr.operand else structs.replace(expr, operand=operand)
    if isinstance(expr, (And, Or)):
        operands = tuple(resolve(operand, refs) for operand in expr.operands)
        if all(new is old for new, old in zip(operands, expr.operands, strict=True)):
            return expr
        return structs.replace(expr, operands=operands)
    return expr
