"""The one JSON encoding of tenure's values, for every layer that writes JSON: the API's
presenters, the CLI's ``--json``, webhook payloads, the simulation's output and the stored events.

* ``Decimal`` → its exact text, ``str(value)``: ``"49.00"``, never a float;
* ``datetime`` → ISO 8601 with UTC written ``Z``: ``"2026-03-31T21:30:00Z"`` (fractions of a
  second and other offsets as ``isoformat`` writes them), unless the caller passes another
  ``instants`` format (the simulation writes whole UTC seconds, the storage ``+00:00``);
* ``date`` → ``"2026-03-31"``;
* an enum → its value; a dataclass → a dict of its fields; a tuple or list → a list; a mapping →
  a dict with the same keys; each of them recursively;
* anything else (str, int, float, bool, None) as it is.

Standard library only, so the services, adapters, entry points and the simulation can all use it.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenure.domain.events import Event

#: How an instant is written: ``instant`` (the default), or e.g. ``datetime.isoformat``.
InstantFormat = Callable[[datetime], str]


def instant(value: datetime) -> str:
    """ISO 8601, UTC written ``Z``: ``2026-03-31T21:30:00Z``, ``2026-03-31T21:30:00.250000Z``."""
    return value.isoformat().replace("+00:00", "Z")


def plain(value: Any, *, instants: InstantFormat = instant) -> Any:
    """``value`` made of JSON types only (see the module's documentation)."""
    if isinstance(value, str | int | float | bool) or value is None:
        # Before the enum test: a StrEnum or IntEnum member is its own value.
        return value if not isinstance(value, enum.Enum) else value.value
    if isinstance(value, datetime):  # before date: a datetime is a date
        return instants(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain(value.value, instants=instants)
    if isinstance(value, Mapping):
        return {k: plain(v, instants=instants) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, instants=instants) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name), instants=instants)
            for f in dataclasses.fields(value)
        }
    return value


def plain_dict(value: object, *, instants: InstantFormat = instant) -> dict[str, Any]:
    """:func:`plain` of a mapping or a dataclass instance, typed as the dict it gives."""
    result = plain(value, instants=instants)
    if not isinstance(result, dict):
        raise TypeError(f"{type(value).__name__} is not a mapping or a dataclass")
    return result


def dumps(
    value: Any,
    *,
    indent: int | None = None,
    compact: bool = False,
    ensure_ascii: bool = True,
    sort_keys: bool = False,
    instants: InstantFormat = instant,
) -> str:
    """``value`` as JSON text: ``indent``, ``ensure_ascii`` (False keeps ``ü`` instead of
    ``\\u00fc``) and ``sort_keys`` as in :func:`json.dumps`; ``compact`` leaves out the blanks
    after ``,`` and ``:`` (what webhook signatures cover)."""
    return json.dumps(
        plain(value, instants=instants),
        indent=indent,
        separators=(",", ":") if compact else None,
        ensure_ascii=ensure_ascii,
        sort_keys=sort_keys,
    )


def event_data(event: Event, *, instants: InstantFormat = instant) -> dict[str, Any]:
    """A domain event's fields as JSON values: the ``data`` of its webhook payload, and (with
    ``instants=datetime.isoformat``) what the SQL outbox stores."""
    return {
        f.name: plain(getattr(event, f.name), instants=instants) for f in dataclasses.fields(event)
    }


def event_payload(event: Event) -> dict[str, Any]:
    """The JSON payload of a domain event, as webhooks send it:
    ``{"type": "addon.booked", "livemode": true, "timestamp": "…Z", "data": {…its fields…}}``
    (``livemode`` false: an event of a sandbox customer, see :attr:`Customer.livemode`; it is
    not repeated in ``data``)."""
    data = event_data(event)
    del data["livemode"]
    return {
        "type": event.name,
        "livemode": event.livemode,
        "timestamp": instant(event.occurred_at),
        "data": data,
    }
