"""Reading YAML for catalogs and scenarios: exact decimals, no duplicate keys, and validation
problems collected with the path of every bad key instead of a traceback at the first one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


class InputError(Exception):
    """A file was refused; ``problems`` lists every problem as ``path: message``."""

    code = "invalid_input"

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))

    def report(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        lines = [f"{self.source} is not valid ({len(self.problems)} problems):"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class _ExactLoader(yaml.SafeLoader):
    """Safe loader that reads ``5.90`` as ``Decimal('5.90')`` and refuses duplicate keys and
    aliases (``*name``): an alias repeats a node without its size, so a small document could
    expand into a huge catalog."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except InvalidOperation:
        return str(text)  # .inf / .nan: let validation refuse it as "not a number"


def _integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer of a sane length (no catalog number needs more than 30 digits)."""
    if len(str(node.value)) > 30:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(str(node.value))} digits is too large", node.start_mark
        )
    return int(loader.construct_yaml_int(node))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    """Dates and times stay text, parsed (and refused clearly) by the field that expects them."""
    return str(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.add_constructor("tag:yaml.org,2002:int", _integer)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_ExactLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_ExactLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(source, [f"{where}{problem}"]) from None


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), [f"cannot read file: {exc.strerror or exc}"]) from None
    return load_yaml(text, str(path))


@dataclass
class Problems:
    """Collects validation problems under a path such as ``plans.plus.notice``."""

    items: list[str] = field(default_factory=list)
    _path: list[str] = field(default_factory=list)

    def add(self, message: str, key: str | None = None) -> None:
        path = ".".join([*self._path, key] if key is not None else self._path) or "(top)"
        self.items.append(f"{path}: {message}")

    @contextmanager
    def at(self, key: str) -> Iterator[None]:
        self._path.append(key)
        try:
            yield
        finally:
            self._path.pop()

    def raise_if_any(self, source: str) -> None:
        if self.items:
            raise InputError(source, list(self.items))


class Fields:
    """Typed access to one mapping of the input that records problems instead of raising."""

    def __init__(
        self,
        data: object,
        problems: Problems,
        allowed: set[str],
        required: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.problems = problems
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            problems.add(f"must be a mapping, not {_kind(data)}")
            return
        for key in self.data:
            if key not in allowed:
                problems.add(f"unknown key (allowed: {', '.join(sorted(allowed))})", str(key))
        for key in sorted(required - set(self.data)):
            problems.add("is required", key)

    def get(self, key: str, convert: Callable[[Any], T], default: T) -> T:
        if key not in self.data or (self.data[key] is None and default is None):
            return default
        try:
            return convert(self.data[key])
        except (ValueError, TypeError) as exc:
            self.problems.add(str(exc), key)
            return default


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), f"a {type(value).__name__}"
    )


#: The longest text a catalog or scenario field takes (names, addresses); ids are shorter.
MAX_TEXT = 1000
#: The longest id (plans, add-ons, metrics, features): the width of the columns that store them.
MAX_ID = 64
#: The largest amount or count a catalog may state: far beyond any real price, and small enough
#: that every computation with it stays exact and fast.
MAX_AMOUNT = Decimal("1000000000")


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty string, not {_kind(value)}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"must be at most {MAX_TEXT} characters, not {len(value)}")
    return value


def optional_text(value: Any) -> str | None:
    return None if value is None else text(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind(value)}")
    return value


def whole(minimum: int = 0, maximum: int = int(MAX_AMOUNT)) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {_kind(value)} {_short(repr(value))}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}, not {value}")
        if value > maximum:
            raise ValueError(f"must be at most {maximum}, not {_short(value)}")
        return value

    return convert


def _short(value: Any) -> str:
    """``value`` for a message, cut short (a 5,000-digit number is not worth repeating)."""
    shown = str(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def decimal_value(max_places: int, what: str = "amount") -> Callable[[Any], Decimal]:
    """A non-negative exact decimal with at most ``max_places`` decimal places and at most
    :data:`MAX_AMOUNT`."""

    def convert(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise ValueError(f'must be a decimal {what} such as "49.00", not {_kind(value)}')
        try:
            number = Decimal(value) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            raise ValueError(f"{_short(repr(value))} is not a decimal {what}") from None
        if not number.is_finite():
            raise ValueError(f"{_short(repr(value))} is not a decimal {what}")
        if number < 0:
            raise ValueError(f"must not be negative, not {_short(value)}")
        if number > MAX_AMOUNT:
            raise ValueError(f"must be at most {MAX_AMOUNT}, not {_short(value)}")
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)
        if -exponent > max_places:
            raise ValueError(f"{value} has more than {max_places} decimal places")
        return number

    return convert


IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def identifier(value: Any) -> str:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise ValueError(f"{_short(repr(value))} is not an id (lower-case letters, digits and _)")
    if len(value) > MAX_ID:
        raise ValueError(f"an id has at most {MAX_ID} characters, not {len(value)}")
    return value


def iso_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"must be a date like 2026-01-15, not a time {value}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date like 2026-01-15")
