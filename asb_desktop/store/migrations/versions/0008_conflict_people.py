"""Who set each value of a field conflict, on which device, and whether this officer may choose.

The central store says, for each conflict it serves: the user and device whose op brought the
value that was not kept, the user and device that set the value kept, their names, and whether
the user it serves may settle it. The Sync page labels each value with them ("yours, on this
laptop"; "Hugo Bell, on LAPTOP-7") and offers the choice only to whoever may make it. Conflicts
stored before this revision have no names (the page says "not known") and keep offering the
choice, as they did; the next pull brings their names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

NEW_TEXT_COLUMNS = (
    "device_id",
    "user_name",
    "device_name",
    "server_user_id",
    "server_user_name",
    "server_device_id",
    "server_device_name",
)


def upgrade() -> None:
    for name in NEW_TEXT_COLUMNS:
        op.add_column("sync_conflicts", sa.Column(name, sa.Text))
    op.add_column(
        "sync_conflicts",
        sa.Column("may_settle", sa.Integer, nullable=False, server_default=sa.text("1")),
    )


def downgrade() -> None:
    with op.batch_alter_table("sync_conflicts") as batch:
        for name in ("may_settle", *reversed(NEW_TEXT_COLUMNS)):
            batch.drop_column(name)
