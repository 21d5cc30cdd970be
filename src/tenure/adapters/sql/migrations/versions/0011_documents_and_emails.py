"""documents and e-mail (issue #9): rendered files, the render queue, e-mails, buyer reference

``document_files`` keeps the Factur-X PDF and the XRechnung XMLs of each issued document as they
were first rendered (immutable, like the documents); ``render_jobs`` queues documents for the
renderer after the billing transaction; ``emails`` is the customers' mail log and delivery
state; ``customers.buyer_reference`` is the buyer's reference (BT-10, a Leitweg-ID).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("buyer_reference", sa.String(200), nullable=True))
    op.create_table(
        "document_files",
        sa.Column("vendor_id", sa.String(64), primary_key=True),
        sa.Column("number", sa.String(64), primary_key=True),
        sa.Column("format", sa.String(8), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "render_jobs",
        sa.Column("vendor_id", sa.String(64), primary_key=True),
        sa.Column("number", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_render_jobs_due", "render_jobs", ["next_attempt_at"])
    op.create_table(
        "emails",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("vendor_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("livemode", sa.Boolean(), nullable=False),
        sa.Column("event_sequence", sa.BigInteger(), nullable=False),
        sa.Column("event_name", sa.String(64), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.UniqueConstraint(
            "vendor_id", "event_sequence", "template", "recipient", name="uq_emails_event"
        ),
    )
    op.create_index("ix_emails_due", "emails", ["status", "next_attempt_at"])
    op.create_index("ix_emails_customer", "emails", ["vendor_id", "customer_id", "created_at"])
    _immutable("document_files")


def _immutable(table: str) -> None:
    """Like the documents (migration 0001): the database refuses to change or delete a row."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tenure_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tenure_refuse_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are immutable'); END"
            )


def downgrade() -> None:
    op.drop_table("emails")
    op.drop_table("render_jobs")
    op.drop_table("document_files")
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("buyer_reference")
