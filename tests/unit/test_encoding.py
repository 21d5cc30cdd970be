"""The one JSON encoding of values (``tenure.services.encoding``): the forms the API, the CLI,
webhooks, the simulation and the stored events all rely on."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tenure.domain.cancellation import CancellationKind
from tenure.domain.events import AddonBooked, CancellationReceived
from tenure.services.encoding import dumps, event_data, event_payload, instant, plain, plain_dict


class Colour(enum.StrEnum):
    RED = "red"


@dataclass(frozen=True)
class Row:
    on: date
    amount: Decimal
    tags: tuple[str, ...]


def test_scalars_keep_their_exact_text() -> None:
    assert plain(Decimal("49.00")) == "49.00"
    assert plain(Decimal("1E+2")) == "1E+2"  # str(), never a float
    assert plain(date(2026, 3, 31)) == "2026-03-31"
    assert plain(CancellationKind.ORDINARY) == "ordinary"
    assert plain(Colour.RED) == "red"
    assert type(plain(Colour.RED)) is str
    assert [plain(v) for v in (None, True, 3, 1.5, "ü")] == [None, True, 3, 1.5, "ü"]


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 3, 31, 21, 30, tzinfo=UTC), "2026-03-31T21:30:00Z"),
        (datetime(2026, 3, 31, 21, 30, 0, 250000, tzinfo=UTC), "2026-03-31T21:30:00.250000Z"),
        (
            datetime(2026, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=2))),
            "2026-03-31T23:30:00+02:00",
        ),
    ],
)
def test_instants_are_iso_with_utc_written_z(moment: datetime, text: str) -> None:
    assert instant(moment) == plain(moment) == text


def test_containers_and_dataclasses_become_lists_and_dicts_recursively() -> None:
    row = Row(date(2026, 1, 1), Decimal("5.90"), ("a", "b"))
    assert plain({"rows": (row,), "when": datetime(2026, 1, 1, tzinfo=UTC)}) == {
        "rows": [{"on": "2026-01-01", "amount": "5.90", "tags": ["a", "b"]}],
        "when": "2026-01-01T00:00:00Z",
    }
    assert plain_dict(row) == {"on": "2026-01-01", "amount": "5.90", "tags": ["a", "b"]}
    with pytest.raises(TypeError):
        plain_dict([1])


def test_another_instant_format_can_be_chosen() -> None:
    moment = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert plain([moment], instants=datetime.isoformat) == ["2026-01-01T09:00:00+00:00"]


def test_dumps_is_json_dumps_of_the_plain_value() -> None:
    value = {"name": "Müller", "net": Decimal("1.10")}
    assert dumps(value) == '{"name": "M\\u00fcller", "net": "1.10"}'
    assert dumps(value, compact=True, ensure_ascii=False) == '{"name":"Müller","net":"1.10"}'
    assert dumps([1], indent=2) == "[\n  1\n]"


def test_an_event_payload_has_its_type_its_time_and_its_fields() -> None:
    event = AddonBooked(
        contract_id="ctr_1",
        occurred_at=datetime(2026, 2, 3, 9, tzinfo=UTC),
        booking_id="bk_1",
        addon="extra_user",
        quantity=2,
        booked_on=date(2026, 2, 3),
        withdrawal_last_day=None,
    )
    assert event_payload(event) == {
        "type": "addon.booked",
        "livemode": True,
        "timestamp": "2026-02-03T09:00:00Z",
        "data": {
            "contract_id": "ctr_1",
            "occurred_at": "2026-02-03T09:00:00Z",
            "booking_id": "bk_1",
            "addon": "extra_user",
            "quantity": 2,
            "booked_on": "2026-02-03",
            "withdrawal_last_day": None,
            "prorated_net": None,
            "collected_on": None,
        },
    }


def test_event_data_for_storage_writes_the_offset() -> None:
    moment = datetime(2026, 2, 3, 9, tzinfo=UTC)
    event = CancellationReceived(
        contract_id="ctr_1",
        occurred_at=moment,
        cancellation_id="cn_1",
        kind="ordinary",
        received_at=moment,
        received_on=date(2026, 2, 3),
        effective_end=None,
        email="a@b.example",
    )
    stored = event_data(event, instants=datetime.isoformat)
    assert stored["received_at"] == stored["occurred_at"] == "2026-02-03T09:00:00+00:00"
