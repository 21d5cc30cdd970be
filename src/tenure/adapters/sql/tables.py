"""The relational schema (SQLAlchemy Core). Money is stored as integer minor units next to its
currency; unit prices and quantities as exact decimal text; instants as UTC; local dates as dates.
Alembic migrations in ``migrations/`` create exactly this schema."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

from tenure.adapters.sql.columns import UtcDateTime as UtcDateTime
from tenure.adapters.sql.columns import metadata as metadata
from tenure.adapters.sql.columns import utc as _utc

# The tables of rendered documents and e-mails (issue #9), in the same metadata.
from tenure.adapters.sql.tables_files import document_files as document_files
from tenure.adapters.sql.tables_files import emails as emails
from tenure.adapters.sql.tables_files import render_jobs as render_jobs

vendors = Table(
    "vendors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("current_catalog_version", Integer, nullable=False),
    Column("created_at", _utc(), nullable=False),
)

catalog_versions = Table(
    "catalog_versions",
    metadata,
    Column("vendor_id", String(64), ForeignKey("vendors.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", JSON, nullable=False),
    Column("created_at", _utc(), nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("vendor_id", String(64), ForeignKey("vendors.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("email", Text, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("vat_id", String(32)),
    Column("address", Text),
    Column("test_clock_id", String(64)),
    Column("buyer_reference", String(200)),
)

test_clocks = Table(
    "test_clocks",
    metadata,
    Column("vendor_id", String(64), ForeignKey("vendors.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("frozen_at", _utc(), nullable=False),
)

contracts = Table(
    "contracts",
    metadata,
    Column("vendor_id", String(64), ForeignKey("vendors.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=False),
    Column("catalog_version", Integer, nullable=False),
    Column("plan", JSON, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("schedule_anchor", Date, nullable=False),
    Column("schedule_cycle", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("end_date", Date),
    Column("plan_covered_until", Date),
    Column("next_bill_date", Date),
    Column("processed_through", Date, nullable=False),
    Column("next_due_date", Date),
    Column("scheduled_change", JSON),
    Column("sequence", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    # Read model: the contract's entitlement timeline, written with every save (NULL: written
    # before migration 0005; readers then derive it from the aggregate).
    Column("entitlements", JSON),
    Column("view", JSON),
    Index("ix_contracts_due", "next_due_date"),
    Index("ix_contracts_customer", "vendor_id", "customer_id"),
)

bookings = Table(
    "bookings",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("id", String(96), primary_key=True),
    Column("contract_id", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("addon", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("booked_at", _utc(), nullable=False),
    Column("booked_on", Date, nullable=False),
    Column("status", String(32), nullable=False),
    Column("covered_until", Date),
    Column("ends_on", Date),
    Column("withdrawal_last_day", Date),
    Index("ix_bookings_contract", "vendor_id", "contract_id"),
)

pending_items = Table(
    "pending_items",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("id", String(96), primary_key=True),
    Column("contract_id", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_on", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("item", String(96), nullable=False),
    Column("description", Text, nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("quantity", String(40), nullable=False),
    Column("unit_price", String(40), nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("source", String(96), nullable=False),
    Index("ix_pending_items_contract", "vendor_id", "contract_id"),
)

cancellations = Table(
    "cancellations",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("id", String(96), primary_key=True),
    Column("contract_id", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("received_at", _utc(), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("requested_end", Date),
    Column("effective_end", Date),
    Column("status", String(16), nullable=False),
    Column("email", Text, nullable=False),
    Column("reason", Text),
    Column("decision_reason", Text),
    Column("adjusted_reason", String(32)),
    Index("ix_cancellations_contract", "vendor_id", "contract_id"),
)

usage_events = Table(
    "usage_events",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("contract_id", String(64), nullable=False),
    Column("metric", String(64), nullable=False),
    Column("quantity", String(40), nullable=False),
    Column("occurred_at", _utc(), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("unit_price", String(40), nullable=False),
    Column("invoice_number", String(64)),
    Index("ix_usage_unbilled", "vendor_id", "contract_id", "invoice_number"),
)

documents = Table(
    "documents",
    metadata,
    Column("vendor_id", String(64), ForeignKey("vendors.id"), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("created_at", _utc(), nullable=False),
    Column("type", String(16), nullable=False),
    Column("contract_id", String(64), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("billing_date", Date),
    Column("currency", String(3), nullable=False),
    Column("refers_to", String(64)),
    Column("seller", JSON, nullable=False),
    Column("buyer", JSON, nullable=False),
    Column("tax_note", Text),
    Column("net_total_minor", BigInteger, nullable=False),
    Column("vat_total_minor", BigInteger, nullable=False),
    Column("gross_total_minor", BigInteger, nullable=False),
    # An invoice for a (contract, billing date) exists at most once: a rerun bills nothing twice.
    UniqueConstraint("vendor_id", "contract_id", "billing_date", name="uq_documents_billing"),
    Index("ix_documents_contract", "vendor_id", "contract_id", "created_at"),
)

document_lines = Table(
    "document_lines",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("item", String(96), nullable=False),
    Column("description", Text, nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("quantity", String(40), nullable=False),
    Column("unit_price", String(40), nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("vat_rate", String(16), nullable=False),
    Column("tax_category", String(4), nullable=False),
    Column("source", String(96), nullable=False),
)

number_series = Table(
    "number_series",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    # Room for a sandbox series: "TEST-" before the vendor's prefix (migration 0007).
    Column("prefix", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", BigInteger, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column(
        "sequence",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("vendor_id", String(64), nullable=False),
    Column("contract_id", String(64)),  # None for events not about a contract
    Column("name", String(64), nullable=False),
    Column("occurred_at", _utc(), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("delivered", Boolean, nullable=False, default=False),
    Index("ix_outbox_undelivered", "delivered", "sequence"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("vendor_id", String(64), nullable=False),
    Column("at", _utc(), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(96), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_entity", "vendor_id", "entity", "entity_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("vendor_id", String(64), ForeignKey("vendors.id"), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", _utc(), nullable=False),
    Column("revoked_at", _utc()),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer),
    Column("body", JSON),
    Column("created_at", _utc(), nullable=False),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("vendor_id", String(64), ForeignKey("vendors.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("created_at", _utc(), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("failing_since", _utc()),
    Column("disabled_reason", String(16)),
    # The replaced secret during a rotation's overlap (deliveries are signed with both).
    Column("previous_secret", String(128)),
    Column("previous_secret_until", _utc()),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("vendor_id", String(64), nullable=False),
    Column("endpoint_id", String(64), nullable=False),
    Column("message_id", String(128), nullable=False),
    Column("event_name", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", _utc()),
    Column("created_at", _utc(), nullable=False),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("delivered_at", _utc()),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint", "vendor_id", "endpoint_id"),
)

#: Tables whose rows never change once written (GoBD for documents; append-only audit trail).
IMMUTABLE_TABLES = ("documents", "document_lines", "audit_log", "document_files")
