"""The central store's first schema: people, devices, cases, ops, audit, conflicts, reads.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    settings = op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("patches", sa.Text, nullable=False),
        sa.Column("schemes", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    for name in ("estates", "schemes"):
        extra = [sa.Column("kind", sa.Text, nullable=True)] if name == "schemes" else []
        op.create_table(
            name,
            sa.Column("code", sa.String(200), primary_key=True),
            sa.Column("name", sa.Text, nullable=False),
            *extra,
            sa.Column("position", sa.Integer, nullable=False),
        )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(200), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("id", sa.String(8), primary_key=True),
        sa.Column("user_id", sa.String(200), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
    )
    op.create_table(
        "enrol_failures",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_enrol_failures_client_at", "enrol_failures", ["client", "at"])
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("change_number", sa.BigInteger, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("assigned_to", sa.String(200), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.Column("estate", sa.String(200), nullable=True),
        sa.Column("supported_scheme", sa.String(200), nullable=True),
        sa.Column("involves_employee", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    for column in ("change_number", "assigned_to", "recorded_by", "estate", "supported_scheme"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    op.create_table(
        "case_audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("change_number", sa.BigInteger, nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changed_fields", sa.Text, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.UniqueConstraint("case_id", "revision", name="uq_case_audit_case_revision"),
    )
    op.create_table(
        "ops",
        sa.Column("op_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "case_conflicts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("server_value", sa.Text, nullable=False),
        sa.Column("device_value", sa.Text, nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("resolved_at", sa.DateTime, nullable=True),
        sa.Column("resolved_by_op", sa.String(36), nullable=True),
    )
    op.create_index("ix_case_conflicts_case_id", "case_conflicts", ["case_id"])
    op.create_table(
        "case_reads",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
    )
    op.create_index("ix_case_reads_case_id", "case_reads", ["case_id"])
    op.bulk_insert(counters, [{"name": "change", "value": 0}])
    op.bulk_insert(
        settings,
        [
            {"key": "nation", "value": "england_and_wales"},
            {"key": "directory_version", "value": "0"},
        ],
    )


def downgrade() -> None:
    for name in (
        "case_reads",
        "case_conflicts",
        "ops",
        "case_audit",
        "cases",
        "enrol_failures",
        "enrolment_codes",
        "devices",
        "schemes",
        "estates",
        "staff",
        "reference_counters",
        "counters",
        "settings",
    ):
        op.drop_table(name)
