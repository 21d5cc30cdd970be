"""contracts: the contract as displayed, a read model stored with each save

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows saved before this revision keep NULL until their next save; readers show them from
    # the aggregate meanwhile (SqlContracts.view, views_page).
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.add_column(sa.Column("view", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.drop_column("view")
