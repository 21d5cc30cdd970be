"""cancellations: why the effective end differs from the requested one (issue #15, point 9)

Usage events already stored their ``occurred_at``; since this revision callers may give it
(``POST /v1/usage``), which needs no schema change. A cancellation records the reason its end
date was moved (``adjusted_reason``). Stored contract views of contracts with cancellations are
cleared so that they are shown from their aggregate (with the new field) until their next save.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cancellations") as batch_op:
        batch_op.add_column(sa.Column("adjusted_reason", sa.String(32), nullable=True))
    op.execute(
        "UPDATE contracts SET view = NULL WHERE EXISTS (SELECT 1 FROM cancellations x "
        "WHERE x.vendor_id = contracts.vendor_id AND x.contract_id = contracts.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("cancellations") as batch_op:
        batch_op.drop_column("adjusted_reason")
