"""outbox: events of a customer (customer.updated, customer.deleted) belong to no contract

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.alter_column("contract_id", existing_type=sa.String(64), nullable=True)


def downgrade() -> None:
    # Customer events have no contract; they are dispatched long before a downgrade, and a
    # contract id of "" keeps their rows valid under the old constraint.
    op.execute("UPDATE outbox SET contract_id = '' WHERE contract_id IS NULL")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.alter_column("contract_id", existing_type=sa.String(64), nullable=False)
