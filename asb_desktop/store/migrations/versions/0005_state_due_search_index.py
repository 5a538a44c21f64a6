"""Carry the search key in the caseload's indexes, so a broad search walks an index alone.

A search that matches thousands of cases checks each open case's search key in due order and
stops at the first page; with the key in the index, no case row is read (and decrypted) unless
it is shown. The old indexes are prefixes of the new ones.
"""

from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_index(
        "ix_cases_state_due_search", "cases", ["state", "response_due_at", "search_key"]
    )
    op.drop_index("ix_cases_state_due", table_name="cases")
    op.create_index(
        "ix_cases_officer_due_search",
        "cases",
        ["assigned_to", "state", "response_due_at", "search_key"],
    )
    op.drop_index("ix_cases_officer_due", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_state_due", "cases", ["state", "response_due_at"])
    op.drop_index("ix_cases_state_due_search", table_name="cases")
    op.create_index("ix_cases_officer_due", "cases", ["assigned_to", "state", "response_due_at"])
    op.drop_index("ix_cases_officer_due_search", table_name="cases")
