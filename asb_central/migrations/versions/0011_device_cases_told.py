"""A partial index on the cases each device was told are gone and will be told again: a pull with
nothing new asks whether the device has any, answered from this index (empty when none) instead
of every row the device holds.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TOLD = sa.text("told IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_device_cases_told",
        "device_cases",
        ["device_id"],
        postgresql_where=TOLD,
        sqlite_where=TOLD,
    )


def downgrade() -> None:
    op.drop_index("ix_device_cases_told", table_name="device_cases")
