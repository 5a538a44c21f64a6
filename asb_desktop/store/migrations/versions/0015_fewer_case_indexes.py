"""Two fewer indexes on `cases`, each folded into a caseload order's index that leads with the
same columns: every index costs a save a leaf page read, changed, encrypted and written at
COMMIT (about 1.3 pages a save), and a save paid for 23.

- `ix_cases_state_due_search` (state, response_due_at, search_key): the broad search's walk
  of the open cases in due order now reads `ix_cases_state_order_response_due_at` (state,
  response_due_at, id, search_key), the search key riding after the id as it rode before.
- `ix_cases_team_months` (the team view's months): its columns follow the id in
  `ix_cases_order_received_at` (received_at, id, severity, responded_at, response_due_at),
  still one range a month.

Each query keeps a covering index in the same order (benchmarks/README.md lists the plans
before and after). `ix_cases_team_open` stays: folded into (state, assigned_to, id) it grew by
the id, and at 100,000 cases its scans and a figure's list then no longer fitted the page
cache together (a list of Case Review candidates went from 40 to 250 ms). The indexes hold no
personal data: ids, times, codes and staff ids.
"""

from alembic import op

revision = "0015"
down_revision = "0014"

# The index of a caseload order, as 0014 made it, and what it carries after the id now.
WIDENED: dict[str, tuple[list[str], list[str]]] = {
    "ix_cases_state_order_response_due_at": (
        ["state", "response_due_at", "id"],
        ["search_key"],
    ),
    "ix_cases_order_received_at": (
        ["received_at", "id"],
        ["severity", "responded_at", "response_due_at"],
    ),
}

# The indexes folded into those above, as 0005 and 0013 made them.
FOLDED: dict[str, list[str]] = {
    "ix_cases_state_due_search": ["state", "response_due_at", "search_key"],
    "ix_cases_team_months": ["received_at", "severity", "responded_at", "response_due_at"],
}


def upgrade() -> None:
    for name, (order, carried) in WIDENED.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", order + carried)
    for name in FOLDED:
        op.drop_index(name, table_name="cases")


def downgrade() -> None:
    for name, columns in FOLDED.items():
        op.create_index(name, "cases", columns)
    for name, (order, _carried) in WIDENED.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", order)
