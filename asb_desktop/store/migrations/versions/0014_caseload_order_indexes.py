"""An index for every order the caseload offers, so any page at any depth is read from where the
page before ended (keyset: `store/cases.py list_cases(after=...)`), never by counting past the
rows before it, and no page sorts the caseload in a temporary B-tree.

Each sortable column gets (column, id), the order of "All cases" and of `asb-desktop list`,
and (state, column, id), the order within open or closed cases (how the caseload starts). Ties
go by id in the order's direction, so one index serves both directions. Sorting by status is
(state, id). `ix_cases_received` (received_at) goes: (received_at, id) serves all it did. The
indexes hold no personal data: ids, times, codes and staff ids.
"""

from alembic import op

revision = "0014"
down_revision = "0013"

# Every column the caseload sorts by (store/cases.py SortKey) but the status itself.
SORTED = ("reference", "received_at", "severity", "assigned_to", "response_due_at")


def index_names() -> list[tuple[str, list[str]]]:
    named = [("ix_cases_order_state", ["state", "id"])]
    for column in SORTED:
        named.append((f"ix_cases_order_{column}", [column, "id"]))
        named.append((f"ix_cases_state_order_{column}", ["state", column, "id"]))
    return named


def upgrade() -> None:
    for name, columns in index_names():
        op.create_index(name, "cases", columns)
    op.drop_index("ix_cases_received", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_received", "cases", ["received_at"])
    for name, _ in reversed(index_names()):
        op.drop_index(name, table_name="cases")
