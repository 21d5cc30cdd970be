"""Alembic environment: runs on the connection handed in by ``tenure.adapters.sql.migrate``, or on
``TENURE_DATABASE_URL`` when alembic is called directly."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tenure.adapters.sql.engine import database_url, make_engine
from tenure.adapters.sql.tables import metadata

config = context.config
connection = config.attributes.get("connection")


def run(conn: Connection) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    engine = make_engine(database_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as conn:
        run(conn)
        conn.commit()
