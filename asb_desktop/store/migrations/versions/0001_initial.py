"""The first schema: cases, audit log, outbox, directory, settings, drafts, full-text search."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("reference", sa.Text, unique=True),
        sa.Column("received_at", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("assignment_rule", sa.Text, nullable=False),
        sa.Column("assigned_to", sa.Text),
        sa.Column("response_due_at", sa.Text, nullable=False),
        sa.Column("responded_at", sa.Text),
        sa.Column("staff_risk_assessment_due_at", sa.Text),
        sa.Column("estate", sa.Text),
        sa.Column("supported_scheme", sa.Text),
        sa.Column("anonymous", sa.Integer, nullable=False),
        sa.Column("involves_employee", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("server_revision", sa.Integer),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index("ix_cases_officer_due", "cases", ["assigned_to", "state", "response_due_at"])
    op.create_index("ix_cases_state_due", "cases", ["state", "response_due_at"])
    op.create_index("ix_cases_received", "cases", ["received_at"])
    op.create_index("ix_cases_scheme", "cases", ["supported_scheme", "received_at"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_case", "audit_log", ["case_id", "seq"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("op_id", sa.Text, nullable=False, unique=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Text),
        sa.Column("last_error", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_state", "outbox", ["state", "seq"])
    op.create_table(
        "directory",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("imported_at", sa.Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    # Names, addresses and descriptions for the caseload search; encrypted like every other page.
    op.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5("
        "case_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
