"""Structs against dataclasses, side by side: the same class written both ways behaves the same.

`leadspec.structs` promises the behaviour of `dataclasses` for what it supports (its module
doc). Hypothesis writes random classes (fields with defaults, factories, `init=False`,
`compare=False`, `repr=False`; frozen/eq/order; a base class; `__hash__ = None`, an own
`__eq__`, `__post_init__`) as source text once with `@dataclass` and once with `@struct`,
then calls, compares, hashes, assigns and replaces both the same ways: every answer,
and every error with its message, must be the same.
"""

from __future__ import annotations

import copy
import dataclasses
import operator
import pickle
from functools import cached_property
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadspec import structs
from leadspec.structs import FrozenInstanceError, field, fields, replace, struct

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One field: its name, what it has, and its flags.
KINDS = ["required", "default", "factory", "noinit_default", "noinit_factory", "mutable_default", "classvar"]
NAMES = ["a", "b", "c", "d", "e", "f"]
VALUES = st.sampled_from([0, 1, 2, None, "x", (), (1,)])


@st.composite
def field_specs(draw: st.DrawFn, names: list[str]) -> list[dict[str, Any]]:
    """1-6 fields with distinct names from `names` (a subclass may redeclare its base's)."""
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
    return [
        {
            "name": name,
            # mostly the fields leadspec writes; sometimes the ones both must refuse
            "kind": draw(st.sampled_from(KINDS[:5] * 4 + KINDS[5:])),
            "default": draw(VALUES),
            "factory": draw(st.sampled_from(["list", "make_tuple", "counted"])),
            "compare": draw(st.booleans()),
            "repr": draw(st.booleans()),
            "spelled_out": draw(st.booleans()),  # `= 1` or `= field(default=1)`
        }
        for name in chosen
    ]


def field_source(spec: dict[str, Any], side: str) -> str:
    """`name: annotation [= default]` for one field, written for `side` ('dc' or 'st')."""
    name, kind = spec["name"], spec["kind"]
    if kind == "classvar":
        return f"    {name}: ClassVar[int] = 7"
    if kind == "mutable_default":
        return f"    {name}: list = []"
    flags = []
    if not spec["compare"]:
        flags.append("compare=False, hash=False" if side == "dc" else "compare=False")
    if not spec["repr"]:
        flags.append("repr=False")
    if kind in ("noinit_default", "noinit_factory"):
        flags.append("init=False")
    if kind in ("default", "noinit_default"):
        if not flags and not spec["spelled_out"]:
            return f"    {name}: Any = {spec['default']!r}"
        flags.insert(0, f"default={spec['default']!r}")
    if kind in ("factory", "noinit_factory"):
        flags.insert(0, f"default_factory={spec['factory']}")
    if not flags:
        return f"    {name}: Any"
    return f"    {name}: Any = FIELD({', '.join(flags)})"


@st.composite
def class_specs(draw: st.DrawFn) -> dict[str, Any]:
    def flags() -> dict[str, bool]:
        return {"frozen": draw(st.booleans()), "eq": draw(st.booleans()), "order": draw(st.booleans())}

    spec: dict[str, Any] = {
        "fields": draw(field_specs(NAMES)),
        "flags": flags(),
        "string_annotations": draw(st.booleans()),
    }
    if draw(st.booleans()):
        spec["base"] = {"fields": draw(field_specs(NAMES[:4])), "flags": flags()}
        if draw(st.integers(0, 4)):  # mostly what can be inherited: the same frozenness
            spec["base"]["flags"]["frozen"] = spec["flags"]["frozen"]
    body = draw(st.lists(st.sampled_from(["hash_none", "own_eq", "post_init"]), max_size=2, unique=True))
    if draw(st.integers(0, 5)) == 0:  # now and then, a body both must refuse
        body.append(draw(st.sampled_from(["own_lt", "own_setattr", "unannotated"])))
    spec["body"] = body
    return spec


BODIES = {
    "hash_none": "    __hash__ = None",
    "own_eq": "    def __eq__(self, other):\n        return type(other) is type(self) and repr(self) == repr(other)",
    "post_init": "    def __post_init__(self):\n        CALLS.append('post_init ' + type(self).__name__)",
    "own_lt": "    def __lt__(self, other):\n        return True",
    "own_setattr": "    def __setattr__(self, name, value):\n        object.__setattr__(self, name, value)",
    "unannotated": "    z = FIELD(default=1)",
}


def class_source(spec: dict[str, Any], side: str) -> str:
    """Python source defining `Base` (maybe) and `Rec` with dataclasses or structs."""
    deco = "dataclasses.dataclass" if side == "dc" else "structs.struct"

    def one(name: str, base: str, part: dict[str, Any], body: list[str]) -> str:
        options = dict(part["flags"])
        if side == "st" and options["frozen"] is True:
            del options["frozen"]  # a struct is frozen unless told
        written = ", ".join(f"{key}={value}" for key, value in options.items())
        lines = [f"@{deco}({written})", f"class {name}{base}:", "    'doc'"]
        lines += [field_source(f, side) for f in part["fields"]]
        lines += [BODIES[b] for b in body]
        return "\n".join(lines)

    source = ""
    if "base" in spec:
        source += one("Base", "", spec["base"], []) + "\n"
    source += one("Rec", "(Base)" if "base" in spec else "", spec, spec["body"])
    source += "\nclass Plain(Rec):  # a subclass that is no struct itself\n    kind = 'plain'\n"
    field_function = "dataclasses.field" if side == "dc" else "structs.field"
    return source.replace("FIELD(", field_function + "(")


def outcome(action: Any) -> Any:
    """What `action()` gives, or the kind and message of what it raises."""
    try:
        return ("value", action())
    except Exception as error:  # noqa: BLE001 - every error is an outcome to compare
        message = str(error).replace("dataclass", "struct")
        kind = type(error).__name__
        if isinstance(error, (dataclasses.FrozenInstanceError, structs.FrozenInstanceError)):
            kind = "FrozenInstanceError"
        return ("raised", kind, message)


def build(spec: dict[str, Any], side: str) -> tuple[Any, dict[str, Any]]:
    """The namespace with both classes, or the class-creation outcome if that raised."""
    calls: list[str] = []

    def counted() -> list[int]:
        calls.append("factory")
        return [len(calls)]

    namespace = {
        "dataclasses": dataclasses,
        "structs": structs,
        "Any": Any,
        "ClassVar": ClassVar,
        "__name__": __name__,  # dataclasses reads a string `ClassVar[...]` in the class's module
        "CALLS": calls,
        "make_tuple": lambda: (1, 2),
        "counted": counted,
    }
    source = class_source(spec, side)
    if spec["string_annotations"]:  # as in leadspec's own modules
        source = "from __future__ import annotations\n" + source
    created = outcome(lambda: exec(compile(source, "<spec>", "exec", dont_inherit=True), namespace))
    return created, namespace


def shown(value: Any) -> Any:
    """An instance as something comparable across the two sides: its repr and its `__dict__`, in order."""
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (outcome(lambda: repr(value)), list(vars(value).items()))
    return value


ARGUMENTS = st.tuples(
    st.lists(VALUES, max_size=8),
    st.lists(st.tuples(st.sampled_from([*NAMES, "z", "self", "zz"]), VALUES), max_size=5),
)


def call(cls: type, arguments: tuple[list[Any], list[tuple[str, Any]]]) -> Any:
    positional, keywords = arguments
    return cls(*positional, **dict(keywords))


@SETTINGS
@given(spec=class_specs(), calls=st.lists(ARGUMENTS, min_size=1, max_size=6), data=st.data())
def test_a_struct_behaves_as_the_same_dataclass(
    spec: dict[str, Any], calls: list[Any], data: st.DataObject
) -> None:
    created_dc, dc = build(spec, "dc")
    created_st, sv = build(spec, "st")
    assert created_st == created_dc, class_source(spec, "st")
    if created_dc[0] == "raised":
        return
    classes = ["Base", "Rec"] if "base" in spec else ["Rec"]
    for name in classes:
        assert sv[name].__match_args__ == dc[name].__match_args__
        assert [_field_row(f) for f in fields(sv[name])] == [
            _field_row(f) for f in dataclasses.fields(dc[name])
        ]
        for side in (dc, sv):
            side["CALLS"].clear()
    classes.append("Plain")
    made: list[tuple[Any, Any]] = []
    for arguments in calls:
        name = data.draw(st.sampled_from(classes))
        made_dc = outcome(lambda: call(dc[name], arguments))  # noqa: B023 - called at once
        made_st = outcome(lambda: call(sv[name], arguments))  # noqa: B023
        assert shown(made_st[1]) == shown(made_dc[1]) and made_st[0] == made_dc[0], (made_st, made_dc)
        assert made_st[2:] == made_dc[2:]
        assert sv["CALLS"] == dc["CALLS"]  # factories and __post_init__, as often, in the same order
        if made_dc[0] == "value":
            made.append((made_dc[1], made_st[1]))
    for x_dc, x_st in made:
        for copier in (copy.copy, copy.deepcopy):
            assert shown(outcome(lambda: copier(x_st))[1]) == shown(outcome(lambda: copier(x_dc))[1])  # noqa: B023
        _same_hash_and_frozenness(x_dc, x_st, data)
        _same_replace(x_dc, x_st, data)
        for y_dc, y_st in made:
            for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
                assert outcome(lambda: op(x_st, y_st)) == outcome(lambda: op(x_dc, y_dc)), op  # noqa: B023


def _field_row(f: Any) -> tuple[Any, ...]:
    def plain(value: Any) -> Any:
        if value is dataclasses.MISSING or value is structs.MISSING:
            return "MISSING"
        return getattr(value, "__name__", value)  # a factory: each side has its own

    return (f.name, plain(f.default), plain(f.default_factory), f.init, f.compare, f.repr)


def _same_hash_and_frozenness(x_dc: Any, x_st: Any, data: st.DataObject) -> None:
    def hashed(x: Any) -> Any:
        return "identity" if type(x).__hash__ is object.__hash__ else outcome(lambda: hash(x))

    assert hashed(x_st) == hashed(x_dc)
    name = data.draw(st.sampled_from([*NAMES, "other"]))
    value = data.draw(VALUES)
    assert outcome(lambda: setattr(x_st, name, value)) == outcome(lambda: setattr(x_dc, name, value))
    assert shown(x_st) == shown(x_dc)
    name = data.draw(st.sampled_from([*NAMES, "other"]))
    assert outcome(lambda: delattr(x_st, name)) == outcome(lambda: delattr(x_dc, name))
    assert shown(x_st) == shown(x_dc)


def _same_replace(x_dc: Any, x_st: Any, data: st.DataObject) -> None:
    changes = dict(data.draw(st.lists(st.tuples(st.sampled_from([*NAMES, "zz"]), VALUES), max_size=3)))
    replaced_dc = outcome(lambda: dataclasses.replace(x_dc, **changes))
    replaced_st = outcome(lambda: replace(x_st, **changes))
    assert replaced_st[0] == replaced_dc[0] and replaced_st[2:] == replaced_dc[2:]
    assert shown(replaced_st[1]) == shown(replaced_dc[1])


# The rules a reader looks for, one by one.


@struct
class Point:
    x: int
    y: int = 0


@struct
class Pair:
    x: int
    y: int = 0


@struct
class Located:
    name: str
    line: int = field(default=0, compare=False, repr=False)


def test_a_struct_is_not_equal_to_a_tuple_or_to_another_class_with_the_same_fields() -> None:
    assert Point(1, 2) != (1, 2)
    assert Point(1, 2) != Pair(1, 2)
    assert Point(1, 2) == Point(1, 2) and hash(Point(1, 2)) == hash(Point(1, 2))


def test_a_field_left_out_of_comparison_counts_in_neither_eq_nor_hash_nor_repr() -> None:
    assert Located("a", line=3) == Located("a", line=9)
    assert hash(Located("a", line=3)) == hash(Located("a", line=9))
    assert repr(Located("a", line=3)) == "Located(name='a')"


def test_a_frozen_struct_refuses_assignment_and_deletion_as_an_attribute_error() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete field 'y'"):
        del point.y
    assert point == Point(1, 0)


def test_arguments_errors_read_as_pythons_own() -> None:
    with pytest.raises(
        TypeError, match=r"^Point.__init__\(\) takes from 2 to 3 positional arguments but 4 were given$"
    ):
        Point(1, 2, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Point.__init__\(\) missing 1 required positional argument: 'x'$"):
        Point(y=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Point.__init__\(\) got multiple values for argument 'x'$"):
        Point(1, 2, 3, x=1)  # type: ignore[call-arg,misc]


def test_vars_of_a_struct_lists_its_fields_in_their_order_whatever_the_call() -> None:
    """`funnel.worktime` writes `vars(row).values()` as a table row: its order is the columns'."""
    assert list(vars(Point(y=2, x=1))) == ["x", "y"]
    assert list(vars(Point(1))) == ["x", "y"]


def test_replace_makes_a_new_struct_and_refuses_what_init_would() -> None:
    assert replace(Point(1, 2), y=5) == Point(1, 5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        replace(Point(1), z=3)
    with pytest.raises(TypeError, match="replace"):
        replace((1, 2))
    with pytest.raises(TypeError, match="replace"):
        replace(Point)


def test_post_init_runs_after_the_fields_are_set() -> None:
    @struct
    class Span:
        start: int
        end: int
        length: int = field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "length", self.end - self.start)

    assert Span(2, 5).length == 3


def test_cached_property_works_on_a_frozen_struct() -> None:
    @struct
    class Text:
        body: str

        @cached_property
        def lines(self) -> list[str]:
            return self.body.splitlines()

    text = Text("a\nb")
    assert text.lines is text.lines == ["a", "b"]
    assert text == Text("a\nb")


def test_order_compares_fields_as_a_tuple_and_only_the_same_class() -> None:
    @struct(order=True)
    class Version:
        major: int
        minor: int = 0

    assert Version(1, 2) < Version(1, 10) <= Version(2)
    with pytest.raises(TypeError, match="'<' not supported"):
        Version(1) < (1, 0)  # type: ignore[operator]  # noqa: B015


def test_class_definitions_dataclasses_refuse_are_refused() -> None:
    with pytest.raises(ValueError, match="mutable default <class 'list'> for field tags"):

        @struct
        class Tagged:
            tags: list[str] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="non-default argument 'y' follows default argument"):

        @struct
        class Late:
            x: int = 0
            y: int

    with pytest.raises(TypeError, match="cannot inherit non-frozen struct from a frozen one"):

        @struct(frozen=False)
        class Moving(Point):
            speed: int = 0


def test_hash_none_in_the_body_leaves_a_frozen_struct_unhashable() -> None:
    @struct
    class Handle:
        name: str
        __hash__ = None  # type: ignore[assignment]

    with pytest.raises(TypeError, match="unhashable type: 'Handle'"):
        hash(Handle("a"))


def test_a_field_declared_again_keeps_its_place_and_its_inherited_default() -> None:
    @struct
    class Base:
        name: str
        size: int = 0

    @struct
    class Child(Base):
        size: int  # type: ignore[misc]
        kind: str = "x"

    assert Child.__match_args__ == ("name", "size", "kind")
    assert Child("a") == Child("a", 0, "x")


def test_a_field_without_annotation_is_refused() -> None:
    with pytest.raises(TypeError, match="'size' is a field but has no type annotation"):

        @struct
        class Loose:
            name: str
            size = field(default=0)


def test_an_unfrozen_struct_that_holds_itself_shows_dots() -> None:
    @struct(frozen=False)
    class Node:
        name: str
        parent: object = None

    node = Node("root")
    node.parent = node
    assert repr(node).endswith(".Node(name='root', parent=...)")


def test_a_struct_survives_pickle_and_deepcopy_whole() -> None:
    """The cache and the language server keep structs across processes and copies."""
    for value in (Point(1, 2), Located("a", line=3)):
        for copied in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
            assert copied == value and vars(copied) == vars(value)
