"""Each estate's number of homes (`estates[].homes` of the directory), for the figures' NM01
rates per 1,000 homes; null when the directory does not say.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("estates") as batch:
        batch.add_column(sa.Column("homes", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("estates") as batch:
        batch.drop_column("homes")
