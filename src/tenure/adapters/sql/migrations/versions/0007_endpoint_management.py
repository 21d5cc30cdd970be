"""webhook endpoints: enabled, failure streak, disabled reason; outbox events not about a contract

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch_op:
        batch_op.add_column(
            sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("disabled_reason", sa.String(length=16), nullable=True))
    # webhook_endpoint.disabled and later vendor-level events belong to no contract.
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.alter_column("contract_id", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.alter_column("contract_id", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("webhook_endpoints") as batch_op:
        batch_op.drop_column("disabled_reason")
        batch_op.drop_column("failing_since")
        batch_op.drop_column("enabled")
