"""Enrolment that survives a lost answer, who set each conflicting value, and refused reads.

- `devices.confirmed_at` / `confirm_by`: a device is confirmed by its first authenticated call;
  devices that already exist were in use, so they count as confirmed when they were made.
- `enrolment_codes.device_key_hash`: the laptop's own key, so the same laptop may ask again.
- `case_conflicts.server_user_id` / `server_device_id`: who set the value the server kept.
- `case_reads.refused`: a read the access rules refused is logged as well.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("confirmed_at", sa.DateTime, nullable=True))
    op.add_column("devices", sa.Column("confirm_by", sa.DateTime, nullable=True))
    op.execute("UPDATE devices SET confirmed_at = created_at")
    op.add_column("enrolment_codes", sa.Column("device_key_hash", sa.String(64), nullable=True))
    op.add_column("case_conflicts", sa.Column("server_user_id", sa.String(200), nullable=True))
    op.add_column("case_conflicts", sa.Column("server_device_id", sa.String(36), nullable=True))
    op.add_column(
        "case_reads",
        sa.Column("refused", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("case_reads") as batch:
        batch.drop_column("refused")
    with op.batch_alter_table("case_conflicts") as batch:
        batch.drop_column("server_device_id")
        batch.drop_column("server_user_id")
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_column("device_key_hash")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("confirm_by")
        batch.drop_column("confirmed_at")
