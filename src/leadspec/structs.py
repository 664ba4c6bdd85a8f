"""Structs: record classes (fields, equality, hashing, repr, frozenness) that cost nothing to create.

`dataclasses` writes each class's `__init__`, `__eq__`, `__repr__`, `__hash__` and
`__setattr__` as source text and compiles it when the class is defined, in every process:
the 40 classes on the way to a `leadspec check` spent 21 ms there, and importing
`dataclasses` (which imports `inspect`) 5 ms more, a fifth of the whole run (issue 15).
A struct's methods are closures over a field table worked out once per class, so
defining a class compiles nothing: about 30 us a class, where a frozen dataclass takes
500 and a `typing.NamedTuple` 100 (it compiles each annotation string). The price is
paid per instance, and is small: 1.4 us for seven fields by position against a
dataclass's 0.9, and the same 144 bytes.

What leadspec uses of dataclasses behaves the same, and `tests/test_structs.py` holds
the two side by side: fields from annotations in order (a base struct's first),
defaults and `field(default_factory=..., compare=False, repr=False)`, `frozen`, `eq`
(`__hash__` as dataclasses decide it, `__hash__ = None` in the body kept), `order`,
`__match_args__`, `__post_init__`, and `replace`, down to the errors (a wrong call gets
Python's own message, in Python's order; a class dataclasses refuse is refused) and to
`vars()`, which lists the fields in their order. Type checkers read `@struct` as a
dataclass (`dataclass_transform`). Instances keep a `__dict__`, so `cached_property` works
on frozen structs as it does on frozen dataclasses. Not carried over: the generated
`__doc__` and `inspect.signature` (both need inspect), `field(init=False)` with no default.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["Field", "FrozenInstanceError", "field", "fields", "replace", "struct"]

_T = TypeVar("_T")


class _Missing:
    """No default given (None is a default like any other)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """A field of a frozen struct was assigned or deleted."""


class Field:
    """One field of a struct: its name, default and whether it counts in `==` and `repr`."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, init: bool, compare: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.compare = compare
        self.repr = repr

    def __repr__(self) -> str:
        return (
            f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r}, "
            f"init={self.init!r}, compare={self.compare!r}, repr={self.repr!r})"
        )


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    compare: bool = True,
    repr: bool = True,
) -> Any:
    """A field with a default computed per instance, set by `__init__` only (`init=False`), or
    left out of `==`, hashing and `repr`.

    `compare=False` leaves the field out of both equality and the hash, as dataclasses do
    with `compare=False, hash=False`: what leadspec uses it for is layout (spans), which
    never decides whether two entities are the same.
    """
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    if not init and default is MISSING and default_factory is MISSING:
        raise ValueError("a field with init=False needs a default or a default_factory")
    return Field(default, default_factory, init, compare, repr)


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The struct's fields, in order."""
    try:
        return class_or_instance.__struct_fields__  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError("must be called with a struct class or instance") from None


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of struct `obj` with `changes`, made through `__init__` as dataclasses.replace does."""
    struct_fields = getattr(type(obj), "__struct_fields__", None)
    if struct_fields is None or isinstance(obj, type):
        raise TypeError("replace() should be called on struct instances")
    # As dataclasses.replace: the fields in order, each refused if `init=False` or read if not
    # changed; names not fields come last, in order, for `__init__` to refuse.
    values = {}
    for f in struct_fields:
        if not f.init:
            if f.name in changes:
                raise ValueError(
                    f"field {f.name} is declared with init=False, it cannot be specified with replace()"
                )
        else:
            values[f.name] = changes[f.name] if f.name in changes else getattr(obj, f.name)
    values.update(changes)
    return obj.__class__(**values)  # type: ignore[no-any-return]


@overload
def struct(cls: type[_T], /) -> type[_T]: ...


@overload
def struct(
    *, frozen: bool = True, eq: bool = True, order: bool = False
) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def struct(
    cls: type[_T] | None = None, /, *, frozen: bool = True, eq: bool = True, order: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """Make `cls` a struct: frozen unless `frozen=False`, like `@dataclass(frozen=True)`."""

    def make(cls: type[_T]) -> type[_T]:
        _make(cls, frozen=frozen, eq=eq, order=order)
        return cls

    return make if cls is None else make(cls)


def _is_class_var(annotation: Any) -> bool:
    """`ClassVar[...]`: a class attribute, not a field (annotations are strings here)."""
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    import typing

    return annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar


def _own_fields(cls: type, declared: dict[str, Field | None]) -> None:
    """Add to `declared` the fields `cls` itself declares, defaults taken off the class as
    dataclasses do, and None for a `ClassVar` (a base's field of that name is no longer one).
    A name declared again keeps its place."""
    annotations = cls.__dict__.get("__annotations__", {})
    for name, annotation in annotations.items():
        if _is_class_var(annotation):
            declared[name] = None
            continue
        value = getattr(cls, name, MISSING)  # a base's default too, as in dataclasses
        if isinstance(value, Field):
            spec = value
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        else:
            spec = Field(value, MISSING, True, True, True)
        if spec.default is not MISSING and type(spec.default).__hash__ is None:
            raise ValueError(
                f"mutable default {type(spec.default)} for field {name} is not allowed: use default_factory"
            )
        spec.name = name
        declared[name] = spec
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")


def _make(cls: type, *, frozen: bool, eq: bool, order: bool) -> None:
    # Every name declared, in order, with its field or None for a `ClassVar`: dataclasses keep
    # a place for those too, which a subclass's field of the same name takes.
    inherited: dict[str, Field | None] = {}
    struct_bases = []
    for base in reversed(cls.__mro__[1:]):
        if "__struct_fields__" in base.__dict__:
            struct_bases.append(base)
            by_name = {spec.name: spec for spec in base.__dict__["__struct_fields__"]}
            for name in base.__dict__["__struct_names__"]:
                inherited[name] = by_name.get(name)
    _own_fields(cls, inherited)
    all_fields = tuple(spec for spec in inherited.values() if spec is not None)
    if struct_bases:  # a frozen base's fields could be assigned through an unfrozen subclass, and back
        frozen_base = any(base.__dict__["__struct_frozen__"] for base in struct_bases)
        if frozen_base and not frozen:
            raise TypeError("cannot inherit non-frozen struct from a frozen one")
        if frozen and not frozen_base:
            raise TypeError("cannot inherit frozen struct from a non-frozen one")
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    seen_default = None
    for spec in all_fields:
        if not spec.init:
            continue
        has_default = spec.default is not MISSING or spec.default_factory is not MISSING
        if has_default:
            seen_default = spec.name
        elif seen_default is not None:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
    cls.__struct_fields__ = all_fields  # type: ignore[attr-defined]
    cls.__struct_names__ = tuple(inherited)  # type: ignore[attr-defined]
    cls.__struct_frozen__ = frozen  # type: ignore[attr-defined]

    # Whether the body wrote a `__hash__` (Python writes `__hash__ = None` beside an `__eq__`),
    # read before `__eq__` is added, as dataclasses do.
    body_hash = cls.__dict__.get("__hash__", MISSING)
    explicit = not (body_hash is MISSING or (body_hash is None and "__eq__" in cls.__dict__))

    def add(name: str, value: Any) -> None:
        """Set a method unless the class body wrote its own, as dataclasses do."""
        if name not in cls.__dict__:
            value.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, value)

    add("__init__", _initializer(cls, all_fields))
    add("__repr__", _representer(tuple(f.name for f in all_fields if f.repr)))
    key = _key(tuple(f.name for f in all_fields if f.compare))
    comparisons = _comparisons(key)
    if eq:
        add("__eq__", comparisons["__eq__"])
    if order:
        for name in ("__lt__", "__le__", "__gt__", "__ge__"):
            if name in cls.__dict__:
                raise TypeError(
                    f"Cannot overwrite attribute {name} in class {cls.__name__}. Consider using functools.total_ordering"
                )
            add(name, comparisons[name])
    # The hash, by dataclasses' table: a frozen struct with `==` hashes its compared fields;
    # an unfrozen one with `==` has none, since its fields may change; a `__hash__` in the
    # body (`None` included) stays.
    if eq and not explicit:
        if frozen:
            cls.__hash__ = _hasher(key)  # type: ignore[method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    if frozen:
        names = frozenset(f.name for f in all_fields)
        for name in ("__setattr__", "__delattr__"):
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        cls.__setattr__ = _frozen_setattr(cls, names)  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr(cls, names)  # type: ignore[method-assign]
    if "__match_args__" not in cls.__dict__:
        cls.__match_args__ = tuple(f.name for f in all_fields if f.init)  # type: ignore[attr-defined]


def _initializer(cls: type, all_fields: tuple[Field, ...]) -> Callable[..., None]:
    """`__init__`, which fills the instance's `__dict__` as a dataclass's does: the fields in
    their order, but not an `init=False` field with a plain default (the class attribute is
    read for it). `vars()` of a struct is its row (see `funnel.worktime.load_calendars`)."""
    init_fields = tuple(f for f in all_fields if f.init)
    names = tuple(f.name for f in init_fields)
    count = len(names)
    required = sum(1 for f in init_fields if f.default is MISSING and f.default_factory is MISSING)
    post_init = getattr(cls, "__post_init__", None) is not None
    title = f"{cls.__qualname__}.__init__()"
    known = frozenset(names)
    needed = frozenset(f.name for f in init_fields[:required])
    # Per field, in order: (name, factory, default, wanted): what __init__ does when no argument
    # gives it; `wanted` is False for an `init=False` field with a plain default (the class
    # attribute serves, as in dataclasses).
    plan = tuple(
        (f.name, f.default_factory, f.default, f.init or f.default_factory is not MISSING) for f in all_fields
    )
    total = len(plan)
    # The fast paths need the arguments' fields first: no `init=False` field between them.
    simple = all(f.init for f in all_fields[:count])

    def bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Any call: Python's checks in Python's order (keywords, surplus, missing), then the fields in order."""
        given = dict(zip(names, args, strict=False))
        for name in kwargs:
            if name in given or name == "self":
                raise TypeError(f"{title} got multiple values for argument '{name}'")
            if name not in known:
                raise TypeError(f"{title} got an unexpected keyword argument '{name}'")
        if len(args) > count:
            took = (
                f"from {required + 1} to {count + 1} positional arguments"
                if required < count
                else (f"{count + 1} positional argument{'s' if count else ''}")
            )
            raise TypeError(f"{title} takes {took} but {len(args) + 1} were given")
        given.update(kwargs)
        missing = [repr(name) for name in names[:required] if name not in given]
        if missing:
            _missing(missing, title)
        values = {}
        for f in all_fields:
            if f.name in given:
                values[f.name] = given[f.name]
            elif f.default_factory is not MISSING:
                values[f.name] = f.default_factory()
            elif f.init:
                values[f.name] = f.default
        return values

    assign = object.__setattr__

    # The fields are set one at a time, in their order, as a dataclass's __init__ sets them:
    # the instances of a class then share one table of keys (Python's split dicts), 144 bytes
    # for seven fields, where giving each its own dict (`__dict__ = values`) took 336, and a
    # 1,500-stage diff 13 MB more.
    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:
        if not kwargs and required <= len(args) <= count and simple:  # by position
            # zip() stops at the last argument; `strict=False` spelt out costs a tenth of the call
            for name, value in zip(names, args):  # noqa: B905
                assign(self, name, value)
            if len(args) < total:  # the fields left to defaults
                for name, factory, default, wanted in plan[len(args) :]:
                    if factory is not MISSING:
                        assign(self, name, factory())
                    elif wanted:
                        assign(self, name, default)
        elif not args and known >= kwargs.keys() >= needed:  # by keyword, in any order
            for name, factory, default, wanted in plan:
                value = kwargs.get(name, MISSING)
                if value is not MISSING:
                    assign(self, name, value)
                elif factory is not MISSING:
                    assign(self, name, factory())
                elif wanted:
                    assign(self, name, default)
        else:  # mixed, or wrong: Python's checks, then every field
            for name, value in bind(args, kwargs).items():
                assign(self, name, value)
        if post_init:
            self.__post_init__()

    return __init__


def _missing(missing: list[str], title: str) -> None:
    """The TypeError Python raises for required arguments not given."""
    if len(missing) == 1:
        listed = missing[0]
    elif len(missing) == 2:
        listed = f"{missing[0]} and {missing[1]}"
    else:
        listed = ", ".join(missing[:-1]) + ", and " + missing[-1]
    noun = "argument" if len(missing) == 1 else "arguments"
    raise TypeError(f"{title} missing {len(missing)} required positional {noun}: {listed}")


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of `names`' values that equality, order and the hash compare."""
    if not names:
        return lambda _self: ()
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda self: (single(self),)
    return attrgetter(*names)


def _representer(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _comparisons(key: Callable[[Any], tuple[Any, ...]]) -> dict[str, Callable[[Any, Any], Any]]:
    """`==` and the orderings on the compared fields, for two instances of the very same class only."""

    def __eq__(self: Any, other: Any) -> Any:
        return key(self) == key(other) if other.__class__ is self.__class__ else NotImplemented

    def __lt__(self: Any, other: Any) -> Any:
        return key(self) < key(other) if other.__class__ is self.__class__ else NotImplemented

    def __le__(self: Any, other: Any) -> Any:
        return key(self) <= key(other) if other.__class__ is self.__class__ else NotImplemented

    def __gt__(self: Any, other: Any) -> Any:
        return key(self) > key(other) if other.__class__ is self.__class__ else NotImplemented

    def __ge__(self: Any, other: Any) -> Any:
        return key(self) >= key(other) if other.__class__ is self.__class__ else NotImplemented

    return {"__eq__": __eq__, "__lt__": __lt__, "__le__": __le__, "__gt__": __gt__, "__ge__": __ge__}


def _hasher(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _frozen_setattr(cls: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _frozen_delattr(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
