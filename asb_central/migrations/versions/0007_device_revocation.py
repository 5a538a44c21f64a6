"""How a device was revoked, when it was told, and the devices' own audit.

- `devices.revoke_mode`: `lost` or `retire` (null for one revoked before: lost);
  `devices.told_at`: when it was first answered 410 (told to delete its local store).
- `device_events`: revoked, told, deleting (ids, times, counts; no personal data).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("devices", sa.Column("revoke_mode", sa.String(16), nullable=True))
    op.add_column("devices", sa.Column("told_at", sa.DateTime, nullable=True))
    op.create_table(
        "device_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_device_events_device_id", "device_events", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_device_events_device_id", "device_events")
    op.drop_table("device_events")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("told_at")
        batch.drop_column("revoke_mode")
