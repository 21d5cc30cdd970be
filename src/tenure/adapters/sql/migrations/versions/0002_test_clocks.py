"""test clocks: sandbox customers on a clock of their own

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "test_clocks",
        sa.Column("vendor_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_test_clocks_vendor_id")
        ),
        sa.PrimaryKeyConstraint("vendor_id", "id", name=op.f("pk_test_clocks")),
    )
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("test_clock_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("test_clock_id")
    op.drop_table("test_clocks")
