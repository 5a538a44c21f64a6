"""Evidence on a case: `attachment_chunks` (the bytes, content-addressed by SHA-256, in rows of at
most 1 MiB) and `attachments` (which case holds which bytes). Both are inside the SQLCipher file,
so the bytes are encrypted at rest like the documents."""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "attachment_chunks",
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
    )
    op.create_index("ix_attachments_case", "attachments", ["case_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])


def downgrade() -> None:
    op.drop_table("attachments")
    op.drop_table("attachment_chunks")
