"""The space of all possible leads of one model: fields, their cells, lanes and levels.

Ties `domains.py` (per-field cells) to `boxes.py` (lanes in one integer) and
`diagrams.py` (one diagram level per field), and converts between concrete
leads and boxes in both directions: a lead is a box with one cell per field,
and an example lead for a box takes one value from each lane. Example leads
name the fields a finding is about first, and leave out optional fields the
finding does not care about (a missing value).

Diagram levels follow the order in which fields first appear in the criteria:
fields used together sit close together, which keeps diagrams small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from leadspec.analysis.boxes import Layout
from leadspec.analysis.diagrams import FALSE, TRUE, Forest, Region
from leadspec.analysis.domains import MISSING, FieldDomain, build_domains
from leadspec.model import Field


class Space:
    """Every lead the declared fields allow, cut at the literals in `cuts`."""

    def __init__(
        self, fields: Mapping[str, Field], cuts: Mapping[str, Iterable[object]], order: Iterable[str] = ()
    ) -> None:
        self.fields = dict(fields)
        self.domains: list[FieldDomain] = build_domains(fields, cuts)
        self.index: dict[str, int] = {domain.id: position for position, domain in enumerate(self.domains)}
        self.layout = Layout([domain.width for domain in self.domains])
        levels = list(dict.fromkeys(self.index[name] for name in order if name in self.index))
        levels += [position for position in range(len(self.domains)) if position not in set(levels)]
        self.forest = Forest(self.layout, levels)
        # A field no value fits (min above max): nothing can be decided.
        self.degenerate = any(domain.empty for domain in self.domains)

    # -- regions ---------------------------------------------------------------

    def everything(self) -> Region:
        return Region(self.forest, TRUE)

    def nothing(self) -> Region:
        return Region(self.forest, FALSE)

    def box_region(self, box: int) -> Region:
        """The region of exactly one box (built bottom-up: a conjunction of atoms cost the diff a third more)."""
        return Region(self.forest, self.forest.box(box))

    # -- leads <-> points --------------------------------------------------------

    def point(self, lead: Mapping[str, Any]) -> int | None:
        """The lead as a one-cell-per-field box; None if a value lies outside its field's domain."""
        box = 0
        for position, domain in enumerate(self.domains):
            cell = domain.cell_of(lead.get(domain.id))
            if cell is None:
                return None
            box |= 1 << (position * self.layout.lane + cell)
        return box

    def constrained(self, box: int) -> list[str]:
        """Ids of the fields a box narrows, in declaration order."""
        return [self.domains[position].id for position in sorted(self.layout.constrained(box))]

    def witness_point(self, box: int) -> int:
        """The one-cell-per-field box of `witness(box)`, without looking its values up again."""
        layout = self.layout
        narrowed = set(layout.constrained(box))
        point = 0
        for position, domain in enumerate(self.domains):
            if position in narrowed:
                mask = layout.get(box, position)
                cell = (mask & -mask).bit_length() - 1
            elif domain.optional:
                cell = domain.width - 1
            else:
                cell = domain.default_cell()
            point |= 1 << (position * layout.lane + cell)
        return point

    def witness(self, box: int, first: Iterable[str] = ()) -> dict[str, Any]:
        """A concrete lead inside `box`.

        Narrowed fields take the first value of their set (a real value before
        "missing"); fields the box leaves open take a plain default, and optional
        ones are left out. Fields in `first`, then narrowed ones, come first in
        the dict so that the part of the lead that matters reads first.
        """
        layout = self.layout
        narrowed = set(layout.constrained(box))
        values: dict[str, Any] = {}
        for position, domain in enumerate(self.domains):
            mask = layout.get(box, position)
            if position in narrowed:
                cell = (mask & -mask).bit_length() - 1
            elif domain.optional:
                continue
            else:
                cell = domain.default_cell()
            value = domain.representative(cell)
            if value is not MISSING:
                values[domain.id] = value
        order = [name for name in first if name in values]
        order += [self.domains[p].id for p in sorted(narrowed) if self.domains[p].id in values]
        ordered = {name: values[name] for name in order}
        ordered.update(values)
        return ordered

    def with_values(self, box: int, values: Mapping[str, Any]) -> int | None:
        """`box` with some fields set to one value each (an exit's `set`); None if a value cannot be held."""
        for name, value in values.items():
            position = self.index.get(name)
            if position is None:
                return None
            cell = self.domains[position].cell_of(value)
            if cell is None:
                return None
            box = self.layout.put(box, position, 1 << cell)
        return box

    def apply_set(self, lead: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        """The lead after an exit's field updates: those fields replaced, the rest unchanged."""
        after = dict(lead)
        for name, value in values.items():
            if value is None:
                after.pop(name, None)
            else:
                after[name] = value
        return after

    def preimage(self, region: Region, values: Mapping[str, Any]) -> Region | None:
        """The leads that land in `region` once `values` are written over them.

        Each written field is fixed to its new value's cell, after which the field
        no longer matters. None when a written value cannot be held by its field.
        """
        node = region.node
        for name, value in values.items():
            position = self.index.get(name)
            if position is None:
                return None
            cell = self.domains[position].cell_of(value)
            if cell is None:
                return None
            node = self.forest.restrict(node, position, cell)
        return Region(self.forest, node)
