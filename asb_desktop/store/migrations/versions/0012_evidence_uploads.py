"""Evidence uploads: which attachments' bytes the central store has (sent from this laptop, or
fetched from it), and why it refused one. Which chunks it holds is asked of it each time, so a
dropped upload resumes where the central store stands, not where this laptop thinks it does.

`attachment_chunk_hashes`: each stored chunk's own SHA-256, written as the chunk is, so an
upload can offer them without reading (and decrypting) every chunk twice."""

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
    op.create_table(
        "attachment_chunk_hashes",
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("chunk_sha256", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attachment_chunk_hashes")
    op.drop_table("evidence_uploads")
