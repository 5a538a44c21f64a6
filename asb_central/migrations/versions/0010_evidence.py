"""Evidence bytes (issue 15): content-addressed chunks, each file's ordered chunk list, and which
case's attachment names which file (see tables.py for why the bytes are in the database).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_chunks",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("chunk_count", sa.Integer, nullable=False),
        sa.Column("offered_at", sa.DateTime, nullable=False),
        sa.Column("complete_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "evidence_file_chunks",
        sa.Column("file_sha256", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("chunk_sha256", sa.String(64), nullable=False),
    )
    op.create_index(
        "ix_evidence_file_chunks_chunk_sha256", "evidence_file_chunks", ["chunk_sha256"]
    )
    op.create_table(
        "case_evidence",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("attachment_id", sa.String(200), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_case_evidence_sha256", "case_evidence", ["sha256"])


def downgrade() -> None:
    op.drop_table("case_evidence")
    op.drop_table("evidence_file_chunks")
    op.drop_table("evidence_files")
    op.drop_table("evidence_chunks")
