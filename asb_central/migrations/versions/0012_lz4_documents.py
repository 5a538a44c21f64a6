"""PostgreSQL: the JSON text columns compressed with lz4 rather than pglz (issue 17).

A row longer than about 2 kB has its long values compressed. A push stores each op's answer and
the facts it sent in one `ops` row (about 2.7 kB for a small case), and pglz's compression was a
third of the database's CPU time for a push of 10,000 cases; lz4 compresses the same text several
times faster. The stored text is the same; rows written before keep their pglz (PostgreSQL
reads both). Nothing changes on SQLite, or on a PostgreSQL built without lz4.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = (
    ("cases", "document"),
    ("case_audit", "document"),
    ("ops", "result"),
    ("ops", "facts"),
)


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(
        sa.text(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
    ).first()
    return found is not None


def _set(method: str) -> None:
    if _has_lz4():
        for table, column in COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}")


def upgrade() -> None:
    _set("lz4")


def downgrade() -> None:
    _set("default")
