"""Bring a store's schema up to date on open, importing Alembic only when there is work to do."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from asb_desktop.store.migrations import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def current_revision(conn: Connection) -> str | None:
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).first()
    if not exists:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(conn: Connection) -> None:
    """Run the Alembic scripts up to head on this connection (inside its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def is_current(conn: Connection) -> bool:
    """The schema is at head: nothing to migrate."""
    return current_revision(conn) == HEAD_REVISION


def ensure_current(conn: Connection) -> bool:
    """Migrate if needed; True when a migration ran."""
    if is_current(conn):
        return False
    upgrade(conn)
    return True
