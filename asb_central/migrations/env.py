"""Alembic environment for the central store: always handed an open connection by migrate.py."""

from __future__ import annotations

from alembic import context

from asb_central.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
