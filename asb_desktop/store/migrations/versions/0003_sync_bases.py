"""What a case's next op builds on when that is one of this laptop's own ops, not a revision."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "sync_bases",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("base_op_id", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_bases")
