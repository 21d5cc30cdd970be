"""live and sandbox mode: room for sandbox number series, ``livemode`` in stored contract views

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

A sandbox customer's documents are numbered in series of their own (``TEST-RE-2026-000001``),
so a series prefix needs room for ``TEST-`` before the vendor's. A document's and a contract's
mode is derived from its customer (on a test clock or not), so no immutable document row is
touched; the contract views stored since 0006 get their ``livemode``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_contracts = sa.table(
    "contracts",
    sa.column("vendor_id", sa.String()),
    sa.column("id", sa.String()),
    sa.column("customer_id", sa.String()),
    sa.column("view", sa.JSON()),
)
_customers = sa.table(
    "customers",
    sa.column("vendor_id", sa.String()),
    sa.column("id", sa.String()),
    sa.column("test_clock_id", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("number_series") as batch_op:
        batch_op.alter_column("prefix", existing_type=sa.String(16), type_=sa.String(32))
    _set_livemode(lambda view, live: {**view, "livemode": live})


def downgrade() -> None:
    _set_livemode(lambda view, _live: {k: v for k, v in view.items() if k != "livemode"})
    with op.batch_alter_table("number_series") as batch_op:
        batch_op.alter_column("prefix", existing_type=sa.String(32), type_=sa.String(16))


def _set_livemode(change: Callable[[dict[str, Any], bool], dict[str, Any]]) -> None:
    """Rewrite each stored contract view with ``change(view, livemode)`` (a view not written
    yet stays as it is: readers show it from the aggregate)."""
    c, cu = _contracts.c, _customers.c
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(c.vendor_id, c.id, c.view, cu.test_clock_id)
        .join(_customers, (cu.vendor_id == c.vendor_id) & (cu.id == c.customer_id))
        .where(c.view.is_not(None))
    ).all()
    for row in rows:
        if not isinstance(row.view, dict):
            continue
        bind.execute(
            sa.update(_contracts)
            .where(c.vendor_id == row.vendor_id, c.id == row.id)
            .values(view=change(dict(row.view), row.test_clock_id is None))
        )
