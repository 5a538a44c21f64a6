"""Keep the facts each op submitted, so a later op can name it as its base (`base_op_id`).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ops", sa.Column("facts", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("ops", "facts")
