"""Structs: record classes (fields, equality, hashing, repr, frozenness) that cost nothing to create.

`dataclasses` writes each class's `__init__`, `__eq__`, `__repr__`, `__hash__` and
`__setattr__` as source text and compiles it when the class is defined, in every process:
the 40 classes on the way to a `leadspec check` spent 21 ms there, and importing
`dataclasses` (which imports `inspect`) 5 ms more, a fifth of the whole run (issue 15).
A struct's methods are closures over a field table worked out once per class, so
defining a class compiles nothing.

What leadspec uses of dataclasses behaves the same, and `tests/test_structs.py` holds
the two side by side: fields from annotations in order (a base struct's first),
defaults and `field(default_factory=..., compare=False, repr=False)`, `frozen`, `eq`
(`__hash__` as dataclasses decide it, `__hash__ = None` in the body kept), `order`,
`__match_args__`, `__post_init__`, and `replace`. Type checkers read `@struct` as a
dataclass (`dataclass_transform`). Instances keep a `__dict__`, so `cached_property` works
on frozen structs as it does on frozen dataclasses.
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
    struct_fields = fields(obj)
    values = {f.name: getattr(obj, f.name) for f in struct_fields if f.init}
    for name in changes:
        if name not in values:
            if any(f.name == name for f in struct_fields):
                raise ValueError(
                    f"field {name} is declared with init=False, it cannot be specified with replace()"
                )
            raise TypeError(
                f"{type(obj).__qualname__}.__init__() got an unexpected keyword argument {name!r}"
            )
    values.update(changes)
    return type(obj)(**values)


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
    if order and not eq:
        raise ValueError("eq must be true if order is true")

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


def _own_fields(cls: type) -> list[Field]:
    """The fields `cls` itself declares, defaults taken off the class as dataclasses do."""
    found = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
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
        found.append(spec)
    return found


def _make(cls: type, *, frozen: bool, eq: bool, order: bool) -> None:
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for spec in base.__dict__.get("__struct_fields__", ()):
            inherited[spec.name] = spec
    for spec in _own_fields(cls):
        inherited[spec.name] = spec  # a redeclared field keeps its place, as in dataclasses
    all_fields = tuple(inherited.values())
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
                    f"cannot overwrite attribute {name} in class {cls.__name__}; consider using functools.total_ordering"
                )
            add(name, comparisons[name])
    # The hash, by dataclasses' table: a frozen struct with `==` hashes its compared fields;
    # an unfrozen one with `==` has none, since its fields may change; a `__hash__` in the
    # body (`None` included) stays.
    body_hash = cls.__dict__.get("__hash__", MISSING)
    explicit = not (body_hash is MISSING or (body_hash is None and "__eq__" in cls.__dict__))
    if eq and not explicit:
        if frozen:
            cls.__hash__ = _hasher(key)  # type: ignore[method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    if frozen:
        names = frozenset(f.name for f in all_fields)
        if "__setattr__" in cls.__dict__ or "__delattr__" in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
        cls.__setattr__ = _frozen_setattr(cls, names)  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr(cls, names)  # type: ignore[method-assign]
    if "__match_args__" not in cls.__dict__:
        cls.__match_args__ = tuple(f.name for f in all_fields if f.init)  # type: ignore[attr-defined]


def _initializer(cls: type, all_fields: tuple[Field, ...]) -> Callable[..., None]:
    names = tuple(f.name for f in all_fields if f.init)
    count = len(names)  # arguments
    total = len(all_fields)  # and fields only __init__ sets
    known = frozenset(names)
    defaults = {f.name: f.default for f in all_fields if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in all_fields if f.default_factory is not MISSING}
    post_init = getattr(cls, "__post_init__", None) is not None
    title = f"{cls.__qualname__}.__init__()"

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # `kwargs` is a new dict per call: with no positional arguments it becomes the instance's.
        if args:
            if len(args) > count:
                raise TypeError(
                    f"{title} takes {count + 1} positional arguments but {len(args) + 1} were given"
                )
            values = dict(zip(names, args, strict=False))
            if kwargs:
                if not kwargs.keys() <= known or values.keys() & kwargs.keys():
                    _refuse(kwargs, values, known, title)
                values.update(kwargs)
        else:
            values = kwargs
            if not values.keys() <= known:
                _refuse(kwargs, {}, known, title)
        if len(values) < total:
            for name, factory in factories.items():
                if name not in values:
                    values[name] = factory()
            for name, default in defaults.items():
                values.setdefault(name, default)
            if len(values) < total:
                _missing(values, names, title)
        object.__setattr__(self, "__dict__", values)
        if post_init:
            self.__post_init__()

    return __init__


def _refuse(kwargs: dict[str, Any], given: dict[str, Any], known: frozenset[str], title: str) -> None:
    """The TypeError Python raises for a keyword argument given twice or not a field."""
    for name in kwargs:
        if name in given:
            raise TypeError(f"{title} got multiple values for argument {name!r}")
        if name not in known:
            raise TypeError(f"{title} got an unexpected keyword argument {name!r}")


def _missing(values: dict[str, Any], names: tuple[str, ...], title: str) -> None:
    """The TypeError Python raises for required arguments not given."""
    missing = [repr(name) for name in names if name not in values]
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
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
        if self is other:
            return True  # what comparing each field to itself would find
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
