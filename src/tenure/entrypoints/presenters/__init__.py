"""Domain objects and use-case results as plain JSON dictionaries, one module per feature. The
API replies with them and the CLI shows them (tables or ``--json``), so both give the same facts
under the same names. Every value goes through :mod:`tenure.services.encoding`: decimals as exact
strings, dates ISO, instants ISO with ``Z``, enums by value. A contract, its bookings and its
cancellations are shown as the read side stores them (:mod:`tenure.services.read_models`)."""

from tenure.entrypoints.presenters.addons import (
    addon_booked_dict,
    addon_cancelled_dict,
    addon_withdrawn_dict,
)
from tenure.entrypoints.presenters.audit import audit_entry_dict
from tenure.entrypoints.presenters.cancellations import (
    cancellation_decided_dict,
    cancellation_quote_dict,
    cancellation_received_dict,
)
from tenure.entrypoints.presenters.catalog import catalog_dict, catalog_uploaded_dict
from tenure.entrypoints.presenters.contracts import plan_change_dict, plan_change_preview_dict
from tenure.entrypoints.presenters.customers import (
    customer_deleted_dict,
    customer_dict,
    entitlements_dict,
)
from tenure.entrypoints.presenters.emails import email_dict
from tenure.entrypoints.presenters.invoices import (
    charge_dict,
    document_dict,
    document_summary,
    draft_dict,
    upcoming_invoice_dict,
)
from tenure.entrypoints.presenters.test_clocks import clock_advance_dict, clock_dict
from tenure.entrypoints.presenters.usage import usage_batch_dict, usage_event_dict
from tenure.entrypoints.presenters.webhooks import (
    event_type_dicts,
    webhook_delivery_dict,
    webhook_endpoint_dict,
)
from tenure.services.read_models import booking_dict, cancellation_dict, contract_summary
from tenure.services.read_models import contract_view as contract_dict

__all__ = [
    "addon_booked_dict",
    "addon_cancelled_dict",
    "addon_withdrawn_dict",
    "audit_entry_dict",
    "booking_dict",
    "cancellation_decided_dict",
    "cancellation_dict",
    "cancellation_quote_dict",
    "cancellation_received_dict",
    "catalog_dict",
    "catalog_uploaded_dict",
    "charge_dict",
    "clock_advance_dict",
    "clock_dict",
    "contract_dict",
    "contract_summary",
    "customer_deleted_dict",
    "customer_dict",
    "document_dict",
    "document_summary",
    "draft_dict",
    "email_dict",
    "entitlements_dict",
    "event_type_dicts",
    "plan_change_dict",
    "plan_change_preview_dict",
    "upcoming_invoice_dict",
    "usage_batch_dict",
    "usage_event_dict",
    "webhook_delivery_dict",
    "webhook_endpoint_dict",
]
