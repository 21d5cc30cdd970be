"""contracts: entitlement timeline read model, index by customer

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows saved before this revision keep NULL until their next save; readers derive their
    # timeline from the aggregate meanwhile (SqlContracts.entitlement_timelines).
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.add_column(sa.Column("entitlements", sa.JSON(), nullable=True))
        batch_op.create_index("ix_contracts_customer", ["vendor_id", "customer_id"])


def downgrade() -> None:
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.drop_index("ix_contracts_customer")
        batch_op.drop_column("entitlements")
