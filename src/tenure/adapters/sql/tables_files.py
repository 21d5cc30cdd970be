"""The tables of rendered document files, the render queue and customers' e-mails (part of
:data:`tenure.adapters.sql.tables.metadata`)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tenure.adapters.sql.columns import metadata
from tenure.adapters.sql.columns import utc as _utc

# The files of an issued document as the customer receives them (GoBD): stored once, never
# changed; sha256 of the content for the record.
document_files = Table(
    "document_files",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("format", String(8), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", _utc(), nullable=False),
)

# Documents waiting to be rendered (after the billing transaction committed).
render_jobs = Table(
    "render_jobs",
    metadata,
    Column("vendor_id", String(64), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", _utc(), nullable=False),
    Column("last_error", Text),
    Index("ix_render_jobs_due", "next_attempt_at"),
)

# E-mails to customers: one per (event, template, recipient), with their delivery state.
emails = Table(
    "emails",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("vendor_id", String(64), nullable=False),
    Column("customer_id", String(64), nullable=False),
    Column("livemode", Boolean, nullable=False),
    Column("event_sequence", BigInteger, nullable=False),
    Column("event_name", String(64), nullable=False),
    Column("template", String(64), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("context", JSON, nullable=False),
    Column("attachments", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", _utc()),
    Column("created_at", _utc(), nullable=False),
    Column("subject", Text),
    Column("sent_at", _utc()),
    Column("last_error", Text),
    UniqueConstraint(
        "vendor_id", "event_sequence", "template", "recipient", name="uq_emails_event"
    ),
    Index("ix_emails_due", "status", "next_attempt_at"),
    Index("ix_emails_customer", "vendor_id", "customer_id", "created_at"),
)
