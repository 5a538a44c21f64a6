"""Sync state: the pull checkpoint and retry state, ops sent but not yet acknowledged, conflicts."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("checkpoint", sa.Integer, nullable=False),
        sa.Column("directory_version", sa.Integer, nullable=False),
        sa.Column("device_token", sa.Text),  # only where no secure keyring exists
        sa.Column("last_attempt_at", sa.Text),
        sa.Column("last_success_at", sa.Text),
        sa.Column("last_error", sa.Text),
        sa.Column("error_kind", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Text),
    )
    op.execute(
        "INSERT INTO sync_state (id, checkpoint, directory_version, failures) VALUES (1, 0, 0, 0)"
    )
    op.create_table(
        "sync_inflight",
        sa.Column("op_id", sa.Text, primary_key=True),
        sa.Column("outbox_seq", sa.Integer, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("first_sent_at", sa.Text, nullable=False),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("server_value", sa.Text, nullable=False),
        sa.Column("device_value", sa.Text, nullable=False),
        sa.Column("op_id", sa.Text, nullable=False),
        sa.Column("user_id", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("choice", sa.Text),
        sa.Column("chosen_at", sa.Text),
    )
    op.create_index("ix_sync_conflicts_case", "sync_conflicts", ["case_id", "id"])
    op.create_index("ix_outbox_case", "outbox", ["case_id", "state", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbox_case", "outbox")
    op.drop_index("ix_sync_conflicts_case", "sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_inflight")
    op.drop_table("sync_state")
