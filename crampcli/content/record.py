"""Immutable records: what frozen dataclasses give, without their start-up cost.

`@dataclass(frozen=True)` generates its methods with exec() when a class is defined, which
cost about a millisecond per class here; the model has some thirty classes and is imported
on every run. A Record subclass gets the same behaviour (an __init__ from the annotations,
defaults, equality, a repr, no assignment after creation) from shared methods instead.
"""

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

R = TypeVar("R", bound="Record")


class Factory:
    """A default built afresh for each record, like dataclasses' default_factory."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


@dataclass_transform(frozen_default=True, field_specifiers=())
class Record:
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The class's own annotations only; inspect.get_annotations would cost an import.
        own = [
            name
            for name, kind in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063
            if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        ]
        defaults = dict(cls._defaults)
        for name in own:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
                delattr(cls, name)  # so a missing instance value is an error, not the class default
        cls._fields = (*(f for f in cls._fields if f not in own), *own)
        cls._defaults = defaults

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} values, got {len(args)}")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated value {name!r}")
            values[name] = value
        for name in names:
            if name not in values:
                if name not in self._defaults:
                    raise TypeError(f"{type(self).__name__}: missing value {name!r}")
                default = self._defaults[name]
                values[name] = default.make() if isinstance(default, Factory) else default
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def _kind(self) -> type:
        """The class equality compares by; a lazily loaded stand-in names the class it stands for."""
        return getattr(self, "_same_as", type(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._kind() is other._kind() and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self._kind().__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"


def is_record(value: object) -> bool:
    return isinstance(value, Record) or (isinstance(value, type) and issubclass(value, Record))


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    return record._fields


def has_default(cls: type[Record], name: str) -> bool:
    return name in cls._defaults


def replace(record: R, **changes: Any) -> R:
    """A copy of record with some values changed."""
    values = {name: getattr(record, name) for name in record._fields}
    values.update(changes)
    return record._kind()(**values)  # type: ignore[no-any-return]
