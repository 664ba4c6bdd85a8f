"""Random lifecycle models, written as criteria *text* and parsed like real definitions.

`small_model` makes models the brute force can enumerate (a few fields with a
few cells each) but with every feature: optional fields, strict and non-strict
decimal bounds, chains, `in` / `not in`, `not`, `true`/`false`, exits with
`set` (including clearing an optional field), scope, both policies, examples.
`realistic_model` makes the big ones of the benchmark: stages as score bands
with extra conditions on many other fields, exits to later stages.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from analysis_helpers import Built, fld, make

from leadspec.model import Field

ENUM_VALUES = ["open", "accepted", "rejected", "won", "lost", "paused"]


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if "." in text else text + ".0"


class Writer:
    """Writes random criteria over a set of fields."""

    def __init__(self, rng: random.Random, fields: list[Field]) -> None:
        self.rng = rng
        self.fields = fields

    def value(self, f: Field) -> Any:
        """A literal value inside the field's domain."""
        rng = self.rng
        if f.type == "boolean":
            return rng.random() < 0.5
        if f.type == "enum":
            return rng.choice(f.values)
        low = int(f.minimum) if f.minimum is not None else -3
        high = int(f.maximum) if f.maximum is not None else low + 8
        if f.type == "integer":
            return rng.randint(low, high)
        return Decimal(rng.randint(low * 2, high * 2)) / 2

    def inside(self, f: Field) -> Any:
        """A value a lead can hold: like `value`, but never on an open (exclusive) bound."""
        for _ in range(50):
            value = self.value(f)
            if f.type not in ("integer", "number") or f.admits(Decimal(value)):
                return value
        assert f.minimum is not None
        return f.minimum + Decimal("0.5") if f.type == "number" else int(f.minimum) + 1

    def literal(self, f: Field, value: Any = None) -> str:
        value = self.value(f) if value is None else value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return f'"{value}"'
        if isinstance(value, Decimal):
            return _number_text(value)
        return str(value)

    def atom(self, f: Field | None = None) -> str:
        rng = self.rng
        f = f or rng.choice(self.fields)
        name = f.id
        if f.type == "boolean":
            return rng.choice(
                [name, f"not {name}", f"{name} == true", f"{name} != false", f"{name} == false"]
            )
        if f.type == "enum":
            kind = rng.randrange(4)
            if kind == 0:
                return f"{name} == {self.literal(f)}"
            if kind == 1:
                return f"{name} != {self.literal(f)}"
            items = ", ".join(
                self.literal(f, v) for v in rng.sample(list(f.values), rng.randint(1, len(f.values)))
            )
            return f"{name} {'in' if kind == 2 else 'not in'} [{items}]"
        kind = rng.randrange(6)
        if kind <= 2:
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            if kind == 2 and op not in ("==", "!="):
                flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
                return f"{self.literal(f)} {flipped} {name}"
            return f"{name} {op} {self.literal(f)}"
        if kind == 3:
            a, b = sorted([self.value(f), self.value(f)])
            return f"{self.literal(f, a)} {rng.choice(['<', '<='])} {name} {rng.choice(['<', '<='])} {self.literal(f, b)}"
        items = ", ".join(self.literal(f) for _ in range(rng.randint(1, 3)))
        return f"{name} {'in' if kind == 4 else 'not in'} [{items}]"

    def expr(self, atoms: int, depth: int = 0) -> str:
        rng = self.rng
        if atoms <= 1:
            if rng.random() < 0.04:
                return rng.choice(["true", "false"])
            text = self.atom()
            return f"not ({text})" if rng.random() < 0.15 else text
        split = rng.randint(1, atoms - 1)
        op = rng.choice(["and", "or"])
        text = f"{self.expr(split, depth + 1)} {op} {self.expr(atoms - split, depth + 1)}"
        if depth > 0 or rng.random() < 0.2:
            text = f"({text})"
            if rng.random() < 0.15:
                text = f"not {text}"
        return text


def small_fields(rng: random.Random, count: int) -> list[Field]:
    fields = []
    for index in range(count):
        kind = rng.choice(["boolean", "integer", "number", "enum"])
        optional = rng.random() < 0.35
        name = f"f{index}"
        if kind == "boolean":
            fields.append(fld(name, "boolean", optional=optional))
        elif kind == "enum":
            fields.append(fld(name, "enum", values=ENUM_VALUES[: rng.randint(2, 3)], optional=optional))
        elif kind == "integer":
            bounds: dict[str, Any] = {"min": 0, "max": rng.randint(2, 6)} if rng.random() < 0.7 else {}
            fields.append(fld(name, "integer", optional=optional, **_some_open(rng, bounds)))
        else:
            bounds = {"min": 0, "max": rng.randint(1, 3)} if rng.random() < 0.7 else {"min": 0}
            fields.append(fld(name, "number", optional=optional, **_some_open(rng, bounds)))
    return fields


def _some_open(rng: random.Random, bounds: dict[str, Any]) -> dict[str, Any]:
    """Bounds with, now and then, one or both made exclusive (`above`/`below`)."""
    found = dict(bounds)
    if "min" in found and rng.random() < 0.25:
        found["above"] = found.pop("min")
    if "max" in found and rng.random() < 0.25:
        found["below"] = found.pop("max")
    return found


def _set_values(rng: random.Random, writer: Writer, fields: list[Field]) -> dict[str, Any]:
    chosen = rng.sample(fields, rng.randint(1, min(2, len(fields))))
    values: dict[str, Any] = {}
    for f in chosen:
        values[f.id] = None if f.optional and rng.random() < 0.3 else writer.inside(f)
    return values


def _example(rng: random.Random, writer: Writer, fields: list[Field]) -> dict[str, Any]:
    return {f.id: writer.inside(f) for f in fields if not (f.optional and rng.random() < 0.4)}


def small_model(seed: int) -> Built:
    """A model small enough to enumerate: 1-3 fields, 2-4 stages, short criteria."""
    rng = random.Random(seed)
    fields = small_fields(rng, rng.randint(1, 3))
    writer = Writer(rng, fields)
    ids = [f"s{i}" for i in range(rng.randint(2, 4))]
    stages = []
    for index, ident in enumerate(ids):
        exits = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            item: dict[str, Any] = {"to": rng.choice(ids), "when": writer.expr(rng.randint(1, 3))}
            if rng.random() < 0.35:
                item["set"] = _set_values(rng, writer, fields)
            if rng.random() < 0.3:
                item["examples"] = [_example(rng, writer, fields)]
            exits.append(item)
        stage: dict[str, Any] = {
            "id": ident,
            "entry": writer.expr(rng.randint(1, 4)),
            "exits": exits,
            "start": index == 0 and rng.random() < 0.6,
        }
        if rng.random() < 0.5:
            stage["examples"] = [_example(rng, writer, fields)]
        stages.append(stage)
    scope = writer.expr(rng.randint(1, 2)) if rng.random() < 0.3 else None
    policy = "first_match" if rng.random() < 0.25 else "exclusive"
    return make(fields, stages, scope=scope, policy=policy)


def realistic_fields(rng: random.Random, count: int, bands: int) -> list[Field]:
    fields = [fld("band", "integer", label="Band score", min=0, max=bands * 10)]
    for index in range(1, count):
        kind = rng.choice(["boolean", "integer", "integer", "number", "enum", "enum"])
        optional = rng.random() < 0.3
        name = f"f{index}"
        if kind == "boolean":
            fields.append(fld(name, "boolean", optional=optional))
        elif kind == "enum":
            fields.append(fld(name, "enum", values=ENUM_VALUES[: rng.randint(3, 6)], optional=optional))
        elif kind == "integer":
            fields.append(fld(name, "integer", min=0, max=100, optional=optional))
        else:
            fields.append(fld(name, "number", min=0, max=10, optional=optional))
    return fields


def realistic_model(seed: int, stages: int, fields: int = 40, max_atoms: int = 20) -> Built:
    """Stages as bands of a score, each narrowed by other fields; exits to later stages.

    Most leads have one stage, as in a real lifecycle; some bands touch or leave
    holes, and some extra conditions make gaps, so the analysis has real work.
    """
    rng = random.Random(seed)
    all_fields = realistic_fields(rng, fields, stages)
    others = all_fields[1:]  # the first is the band score
    writer = Writer(rng, others)
    ids = [f"stage_{i}" for i in range(stages)]
    built = []
    for index, ident in enumerate(ids):
        low = index * 10 + rng.choice([0, 0, 0, 1, -1 if index else 0])
        high = index * 10 + 10 + rng.choice([0, 0, 0, 1, -1])
        atoms = rng.randint(1, max_atoms)
        entry = f"{low} <= band < {high}"
        if atoms > 1:
            if atoms > 3 and rng.random() < 0.1:
                # a stage made of two bands, e.g. Nurture: "new and cold, or rejected and older"
                other = rng.randrange(stages) * 10
                first = atoms // 2
                entry = (
                    f"({entry} and ({writer.expr(first - 1)})) or "
                    f"({other} <= band < {other + 10} and ({writer.expr(atoms - first - 1)}))"
                )
            else:
                entry = f"{entry} and ({writer.expr(atoms - 1)})"
        exits = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3]) if index < stages - 1 else 0):
            target = rng.randrange(index + 1, stages)
            item: dict[str, Any] = {"to": ids[target], "when": writer.expr(rng.randint(1, min(4, max_atoms)))}
            if rng.random() < 0.4:
                item["set"] = {"band": target * 10 + 5}
            exits.append(item)
        built.append({"id": ident, "entry": entry, "exits": exits, "start": index == 0})
    scope = writer.expr(2) if rng.random() < 0.3 else None
    return make(all_fields, built, scope=scope, check_types=False)


def overlapping_model(seed: int, stages: int, fields: int = 40, max_atoms: int = 20) -> Built:
    """A badly drawn lifecycle: every entry is "its band, or some other condition", so stages
    overlap in many combinations. The analysis must stay quick on it too."""
    rng = random.Random(seed)
    all_fields = realistic_fields(rng, fields, stages)
    writer = Writer(rng, all_fields[1:])
    built = []
    for index in range(stages):
        extra = writer.expr(rng.randint(1, max_atoms - 1))
        built.append(
            {"id": f"stage_{index}", "entry": f"({index * 10} <= band < {index * 10 + 10}) or ({extra})"}
        )
    return make(all_fields, built, check_types=False)
