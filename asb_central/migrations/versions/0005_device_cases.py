"""Which cases each device was served, so a pull can name those it may no longer hold.

Filled from the read log: every case served to a device before this migration (not refused).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_cases",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("told", sa.BigInteger, nullable=True),
    )
    op.execute(
        "INSERT INTO device_cases (device_id, case_id) "
        "SELECT DISTINCT device_id, case_id FROM case_reads WHERE refused = false"
    )


def downgrade() -> None:
    op.drop_table("device_cases")
