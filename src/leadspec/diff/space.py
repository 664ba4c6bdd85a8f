"""One space of leads for both sides of a diff: the union of their fields and domains.

The two revisions may declare different fields, or the same field with other
bounds or values. Lead movement compares the two lifecycles on the *same*
leads, so both are compiled in one `analysis.space.Space` whose fields are the
union of both sides' (a field's domain: the union of its two domains, cut at
both sides' bounds). `valid` then says which of those leads each side allows:
a lead one side does not allow (a value a narrowed domain dropped) is no lead
of that side, and is reported with the breaking change, not as movement.

A field whose *type* changed has no common domain; `TypeChange` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from leadspec.analysis.criteria import field_order, literals
from leadspec.analysis.diagrams import Region
from leadspec.analysis.domains import FieldDomain, collect_cuts
from leadspec.analysis.space import Space
from leadspec.expr.ast import Expr
from leadspec.membership import lifecycle_criteria
from leadspec.model import Criterion, Field, Model
from leadspec.structs import replace, struct


@struct
class TypeChange:
    field: str
    before: str
    after: str


def _wider(
    a: Decimal | None, a_open: bool, b: Decimal | None, b_open: bool, lower: bool
) -> tuple[Decimal | None, bool]:
    """The wider of two bounds (value, open): none if either side has none; on a tie, open only if both are."""
    if a is None or b is None:
        return None, False
    if a == b:
        return a, a_open and b_open
    return (a, a_open) if (a < b) == lower else (b, b_open)


def union_field(before: Field | None, after: Field | None) -> Field:
    """One field whose domain holds both sides' domains (same type assumed); the newer words win."""
    if before is None or after is None:
        only = after or before
        assert only is not None
        return only
    minimum, minimum_open = _wider(
        before.minimum, before.minimum_open, after.minimum, after.minimum_open, lower=True
    )
    maximum, maximum_open = _wider(
        before.maximum, before.maximum_open, after.maximum, after.maximum_open, lower=False
    )
    return replace(
        after,
        minimum=minimum,
        maximum=maximum,
        minimum_open=minimum_open,
        maximum_open=maximum_open,
        values=tuple(dict.fromkeys((*before.values, *after.values))),
        optional=before.optional or after.optional,
    )


def bounds(*fields: Field | None) -> list[Decimal]:
    """Both sides' bounds, as cuts: a narrowed domain is then a union of whole cells."""
    return [b for f in fields if f is not None for b in (f.minimum, f.maximum) if b is not None]


def side_mask(domain: FieldDomain, side: Field | None) -> int:
    """The cells of the joint domain that `side`'s own declaration allows (all, if it lacks the field)."""
    if side is None:
        return domain.full
    values = (1 << domain.values_count) - 1
    if side.type == "enum":
        mask = domain.member_mask(side.values, False)
    elif side.type in ("integer", "number"):
        mask = values
        if side.minimum is not None:
            mask &= domain.compare_mask(">" if side.minimum_open else ">=", side.minimum)
        if side.maximum is not None:
            mask &= domain.compare_mask("<" if side.maximum_open else "<=", side.maximum)
    else:
        mask = values
    return mask | (domain.missing_bit if side.optional else 0)


def type_changes(before: Model, after: Model) -> list[TypeChange]:
    return [
        TypeChange(ident, before.fields[ident].type, field.type)
        for ident, field in after.fields.items()
        if ident in before.fields and before.fields[ident].type != field.type
    ]


def field_domain(before: Field | None, after: Field | None) -> FieldDomain:
    """The joint domain of one field alone, for per-field words: cut at both sides' bounds, with
    no ends of its own, so a dropped top reads "91 to 100" rather than "at least 91"."""
    joint = replace(
        union_field(before, after), minimum=None, maximum=None, minimum_open=False, maximum_open=False
    )
    return FieldDomain(joint, bounds(before, after))


@struct(frozen=False)
class JointSpace:
    """Both sides' leads in one space: `valid[side]` is the region of leads `side` allows."""

    space: Space
    valid: tuple[Region, Region]

    @property
    def both(self) -> Region:
        return self.valid[0] & self.valid[1]


def _trees(model: Model, exprs: Mapping[Criterion, Expr]) -> Iterable[Expr]:
    for _, criterion in lifecycle_criteria(model):
        tree = exprs.get(criterion)
        if tree is not None:
            yield tree


def joint_space(
    before: Model, before_exprs: Mapping[Criterion, Expr], after: Model, after_exprs: Mapping[Criterion, Expr]
) -> JointSpace:
    """The space over both sides' fields, cut at every literal of both lifecycles and both sides' bounds.

    Call only when `type_changes` is empty.
    """
    names = list(dict.fromkeys((*before.fields, *after.fields)))
    fields = {name: union_field(before.fields.get(name), after.fields.get(name)) for name in names}
    trees = [*_trees(before, before_exprs), *_trees(after, after_exprs)]
    atoms = [atom for tree in trees for atom in literals(tree)]
    atoms += [(name, bounds(before.fields.get(name), after.fields.get(name))) for name in names]
    space = Space(fields, collect_cuts(atoms), field_order(trees))
    valid = []
    for model in (before, after):
        region = space.everything()
        for position, domain in enumerate(space.domains):
            mask = side_mask(domain, model.fields.get(domain.id))
            if mask != domain.full:
                region = region & Region(space.forest, space.forest.atom(position, mask))
        valid.append(region)
    return JointSpace(space, (valid[0], valid[1]))


__all__ = [
    "JointSpace",
    "TypeChange",
    "field_domain",
    "joint_space",
    "side_mask",
    "type_changes",
    "union_field",
]
