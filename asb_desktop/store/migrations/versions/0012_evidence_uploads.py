"""Evidence uploads: which attachments' bytes the central store has (sent from this laptop, or
fetched from it), and why it refused one. Which chunks it holds is asked of it each time, so a
dropped upload resumes where the central store stands, not where this laptop thinks it does."""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "evidence_uploads",
        sa.Column("attachment_id", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("last_error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("evidence_uploads")
