"""Withdrawal from the whole contract through the API and the CLI (SPEC § 6)."""

from __future__ import annotations

from tests.api.test_api import Api


def test_a_contract_withdrawn_within_its_window_ends_at_once(api: Api) -> None:
    _, contract = api.customer_and_contract()  # a business customer: CloudCRM grants it
    api.tenure.billing.run(vendor_id=api.vendor)
    withdrawn = api.post(f"/v1/contracts/{contract}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["object"] == "contract_withdrawal"
    assert body["contract"]["status"] == "withdrawn"
    (credit_note,) = body["credit_notes"]
    assert credit_note["object"] == "credit_note"
    assert credit_note["refers_to"] == "RE-2026-000001"
    again = api.post(f"/v1/contracts/{contract}/withdraw")
    assert (again.status_code, again.json()["code"]) == (409, "contract_ended")
    listed = api.get("/v1/contracts?status=withdrawn").json()["data"]
    assert [c["id"] for c in listed] == [contract]
    with api.tenure.uow_factory() as uow:
        published = [m.event.name for m in uow.outbox.list(api.vendor)]
    assert "contract.withdrawn" in published  # for webhooks and the confirmation e-mail


def test_after_the_window_the_withdrawal_is_refused(api: Api) -> None:
    from datetime import timedelta

    _, contract = api.customer_and_contract()
    api.clock.advance_to(api.clock.now() + timedelta(days=15))
    refused = api.post(f"/v1/contracts/{contract}/withdraw")
    assert refused.status_code in (409, 422)
    assert refused.json()["code"] == "withdrawal_period_expired"
    assert api.get(f"/v1/contracts/{contract}").json()["status"] == "active"
