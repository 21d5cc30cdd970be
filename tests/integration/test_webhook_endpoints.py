"""Webhook endpoints over time, against real HTTP receivers on loopback: the target check at
delivery time (DNS can change after registration), and endpoints that keep failing being
disabled with an event that tells the vendor."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tenure.adapters.memory import InMemoryStore
from tenure.adapters.webhook_http import HttpSender, TargetRefused
from tenure.adapters.webhook_targets import IPAddress, TargetPolicy, pinned
from tenure.bootstrap import bootstrap
from tenure.services.webhook_rules import WebhookSettings
from tests.integration.test_webhooks import Receiver, setup


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def failing() -> Iterator[Receiver]:
    r = Receiver()
    r.answer = 503
    yield r
    r.close()


def test_a_private_target_is_refused_at_delivery_time(
    store_factory: Any, receiver: Receiver
) -> None:
    # Registered while private targets were allowed (or the name resolved elsewhere then) ...
    stores: list[Any] = []
    app, hooks, clock, vendor, contract = setup(kept(store_factory, stores))
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint = hooks.create_endpoint(vendor, f"https://localhost:{port}/hooks", ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()

    # ... delivered by a tenure that refuses them: nothing reaches the receiver.
    guarded = bootstrap(stores[0], clock, webhooks=WebhookSettings())
    guarded.webhooks.deliver_due()

    assert receiver.received == []
    (delivery,) = hooks.deliveries(vendor, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("TargetRefused: endpoint_url_not_allowed")
    assert "127.0.0.1" in delivery.last_error or "::1" in delivery.last_error
    assert "loopback" in delivery.last_error


def test_the_same_target_is_delivered_to_when_private_targets_are_allowed(
    store_factory: Any, receiver: Receiver
) -> None:
    app, hooks, _, vendor, contract = setup(store_factory)
    endpoint = hooks.create_endpoint(vendor, receiver.url, ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()
    assert len(receiver.received) == 1
    assert [d.status for d in hooks.deliveries(vendor, endpoint.id)] == ["delivered"]


def kept(store_factory: Any, stores: list[Any]) -> Any:
    """``store_factory`` that also puts each store it makes into ``stores``."""

    def make(clock: Any) -> Any:
        stores.append(store_factory(clock))
        return stores[-1]

    return make


def test_a_name_that_changes_to_a_private_address_after_the_check_is_refused(
    receiver: Receiver,
) -> None:
    answers: list[list[IPAddress]] = [[ipaddress.ip_address("93.184.215.14")]]

    def dns(_host: str, _port: int) -> list[IPAddress]:
        return answers[-1]

    policy = TargetPolicy(allow_private=False, resolver=dns)
    port = receiver.url.split(":")[2].split("/")[0]
    url = f"https://rebinding.example:{port}/hooks"
    policy.check(url)  # at registration: a public address

    answers.append([ipaddress.ip_address("127.0.0.1")])  # the name now points inside
    sender = HttpSender(policy, deadline=2)
    with pytest.raises(TargetRefused, match=r"127\.0\.0\.1, a loopback address"):
        sender.post(url, {"content-type": "application/json"}, b"{}")
    sender.close()
    assert receiver.received == []


def test_a_delivery_connects_to_the_checked_address_with_the_names_host_header() -> None:
    v4, v6 = ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("2001:db8::5")
    assert pinned("https://hooks.example.com/in?x=1", v4) == (
        "https://93.184.215.14/in?x=1",
        "hooks.example.com",
    )
    assert pinned("https://u:p@hooks.example.com:8443/in", v6) == (
        "https://u:p@[2001:db8::5]:8443/in",
        "hooks.example.com:8443",
    )


def test_an_endpoint_failing_for_three_days_is_disabled_and_the_vendor_told(
    store_factory: Any, receiver: Receiver, failing: Receiver
) -> None:
    stores: list[Any] = []
    app, hooks, clock, vendor, contract = setup(kept(store_factory, stores))
    down = hooks.create_endpoint(vendor, failing.url, ("addon.booked",))
    watcher = hooks.create_endpoint(vendor, receiver.url, ("webhook_endpoint.disabled",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()  # fails: the streak begins
    first_failure = clock.now()
    (booked,) = hooks.deliveries(vendor, down.id)
    assert hooks.endpoint(vendor, down.id).failing_since == first_failure

    clock.advance_to(first_failure + timedelta(days=3) - timedelta(minutes=1))
    hooks.redeliver(vendor, booked.id)
    hooks.deliver_due()
    assert hooks.endpoint(vendor, down.id).enabled  # not three days yet

    clock.advance_to(first_failure + timedelta(days=3))
    hooks.redeliver(vendor, booked.id)
    hooks.deliver_due()
    disabled = hooks.endpoint(vendor, down.id)
    assert (disabled.enabled, disabled.disabled_reason) == (False, "failing")
    assert [d.status for d in hooks.deliveries(vendor, down.id)] == ["cancelled"]

    app.bus.dispatch()
    hooks.deliver_due()
    ((_, body),) = receiver.received
    told = json.loads(body)
    assert told["type"] == "webhook_endpoint.disabled"
    assert (told["data"]["endpoint_id"], told["data"]["url"]) == (down.id, failing.url)
    assert told["data"]["failing_since"].startswith(first_failure.date().isoformat())
    assert [d.event_name for d in hooks.deliveries(vendor, watcher.id)] == [
        "webhook_endpoint.disabled"
    ]
    if not isinstance(stores[0], InMemoryStore):  # the in-memory store keeps no audit log
        with app.uow_factory() as uow:
            actions = [e.action for e in uow.audit.list(vendor, down.id)]
        assert actions == ["webhook_endpoint.created", "webhook_endpoint.disabled"]

    # A disabled endpoint gets no new deliveries.
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    assert len(hooks.deliveries(vendor, down.id)) == 1

    # Enabled again by the vendor: a new streak, not disabled by the first failure.
    hooks.update_endpoint(vendor, down.id, enabled=True)
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()
    again = hooks.endpoint(vendor, down.id)
    assert (again.enabled, again.failing_since) == (True, clock.now())


def test_a_success_ends_the_failure_streak(store_factory: Any, failing: Receiver) -> None:
    app, hooks, clock, vendor, contract = setup(
        store_factory, WebhookSettings(allow_private=True, disable_after=timedelta(days=1))
    )
    flaky = hooks.create_endpoint(vendor, failing.url, ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()
    (booked,) = hooks.deliveries(vendor, flaky.id)
    start = clock.now()

    clock.advance_to(start + timedelta(hours=20))
    failing.answer = 204
    hooks.redeliver(vendor, booked.id)
    hooks.deliver_due()
    assert hooks.endpoint(vendor, flaky.id).failing_since is None

    failing.answer = 503
    clock.advance_to(start + timedelta(days=1, hours=1))  # a day after the first failure
    hooks.redeliver(vendor, booked.id)
    hooks.deliver_due()
    after = hooks.endpoint(vendor, flaky.id)
    assert (after.enabled, after.failing_since) == (True, clock.now())


def test_the_operator_settings_come_from_the_environment() -> None:
    assert WebhookSettings.from_env({}) == WebhookSettings(False, timedelta(days=3))
    assert WebhookSettings.from_env(
        {"TENURE_WEBHOOK_ALLOW_PRIVATE": "1", "TENURE_WEBHOOK_DISABLE_AFTER_DAYS": "5"}
    ) == WebhookSettings(True, timedelta(days=5))
    for bad in (
        {"TENURE_WEBHOOK_ALLOW_PRIVATE": "maybe"},
        {"TENURE_WEBHOOK_DISABLE_AFTER_DAYS": "0"},
        {"TENURE_WEBHOOK_DISABLE_AFTER_DAYS": "2.5"},
    ):
        with pytest.raises(ValueError, match="TENURE_WEBHOOK"):
            WebhookSettings.from_env(bad)
