"""The retention log: cases destroyed under the retention rules, legal holds set and released,
and read-log rows removed. Ids, references, dates, counts and who; no personal data.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "retention_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True, index=True),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("destroy_after", sa.Date, nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("count", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("retention_log")
