"""Documents and e-mail through the API (issue #9): the Factur-X PDF and the XRechnung XMLs of
an invoice, byte-identical on every download; a customer's e-mail log; the buyer reference."""

from __future__ import annotations

import hashlib

from tests.api.test_api import Api


def billed(api: Api) -> tuple[str, str]:
    customer, _contract = api.customer_and_contract()
    api.tenure.billing.run(vendor_id=api.vendor)
    (invoice,) = api.get("/v1/invoices").json()["data"]
    return customer, invoice["id"]


def test_the_pdf_is_the_factur_x_file_on_record(api: Api) -> None:
    _, number = billed(api)
    first = api.get(f"/v1/invoices/{number}/pdf")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert first.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    digest = hashlib.sha256(first.content).hexdigest()
    assert first.headers["etag"] == f'"{digest}"'
    again = api.get(f"/v1/invoices/{number}/pdf")
    assert again.content == first.content  # the bytes on record, not a new rendering


def test_the_xml_comes_in_cii_or_ubl_syntax(api: Api) -> None:
    _, number = billed(api)
    cii = api.get(f"/v1/invoices/{number}/xml")
    assert cii.status_code == 200
    assert cii.headers["content-type"] == "application/xml"
    assert b"CrossIndustryInvoice" in cii.content
    assert b"xrechnung" in cii.content
    assert cii.headers["content-disposition"] == f'attachment; filename="{number}.cii.xml"'
    ubl = api.get(f"/v1/invoices/{number}/xml?syntax=ubl")
    assert ubl.status_code == 200
    assert b"urn:oasis:names:specification:ubl" in ubl.content
    wrong = api.get(f"/v1/invoices/{number}/xml?syntax=pdf")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "validation_error")


def test_an_unknown_or_foreign_document_is_404(api: Api) -> None:
    _, number = billed(api)
    missing = api.get("/v1/invoices/RE-2026-999999/pdf")
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_document")
    other_vendor = api.tenure.vendors.create(api.tenure.queries.catalog(api.vendor))
    other_key = api.tenure.api_keys.create(other_vendor).secret
    assert api.get(f"/v1/invoices/{number}/pdf", key=other_key).status_code == 404
    assert api.get(f"/v1/invoices/{number}/xml", key=other_key).status_code == 404


def test_a_customers_email_log(api: Api) -> None:
    customer, _ = billed(api)
    api.tenure.bus.dispatch()
    log = api.get(f"/v1/customers/{customer}/emails").json()
    assert [(e["object"], e["template"], e["status"]) for e in log["data"]] == [
        ("email", "contract_confirmation", "pending"),
        ("email", "invoice_issued", "pending"),
    ]
    assert log["data"][1]["attachments"] == ["RE-2026-000001"]
    assert log["data"][0]["to"] == "billing@muster.example"
    missing = api.get("/v1/customers/cus_nobody/emails")
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_customer")


def test_a_buyer_reference_is_kept_and_printed_on_the_documents(api: Api) -> None:
    created = api.post(
        "/v1/customers",
        {
            "name": "Stadt Musterstadt",
            "country": "DE",
            "email": "rechnung@musterstadt.example",
            "address": "Rathausplatz 1, 12345 Musterstadt",
            "buyer_reference": "991-01234-56",
        },
    ).json()
    assert created["buyer_reference"] == "991-01234-56"
    api.post("/v1/contracts", {"customer": created["id"], "plan": "business"})
    api.tenure.billing.run(vendor_id=api.vendor)
    (invoice,) = api.get("/v1/invoices").json()["data"]
    document = api.get(f"/v1/invoices/{invoice['id']}").json()
    assert document["buyer"]["buyer_reference"] == "991-01234-56"
    assert document["due_date"] is not None
    xml = api.get(f"/v1/invoices/{invoice['id']}/xml").content
    assert b"991-01234-56" in xml
    changed = api.client.patch(
        f"/v1/customers/{created['id']}",
        json={"buyer_reference": None},
        headers=api.headers(),
    ).json()
    assert changed["buyer_reference"] is None


def test_only_a_failed_or_unknown_email_can_be_resent(api: Api) -> None:
    customer, _ = billed(api)
    api.tenure.bus.dispatch()
    (first, *_) = api.get(f"/v1/customers/{customer}/emails").json()["data"]
    refused = api.post(f"/v1/emails/{first['id']}/resend")
    assert (refused.status_code, refused.json()["code"]) == (409, "email_not_resendable")
    missing = api.post("/v1/emails/em_nobody/resend")
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_email")
