"""Keep in the case's row what the team view counts that no column held: `nsir_category`,
`update_due_at` (the next update to the complainant, while still to do) and `review_eligible`
(the complainant has reached the ASB Case Review threshold, as last worked out); and two
covering indexes, so its figures for a period and for the open cases are read from an index
alone (100,000 cases: a few milliseconds, where decoding the documents takes seconds).

Existing rows are filled from their stored documents, a thousand at a time, through the same
function new rows use (store/cases.py `due_columns`).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.procedure import kept_outcome
from asb_desktop.store.cases import due_columns
from asb_desktop.store.migrations.backfill import fill_from_documents

revision = "0013"
down_revision = "0012"
COLUMNS = ("nsir_category", "update_due_at", "review_eligible")
# A period's counts are grouped in this index's order (no sort), the period a filter on it.
PERIOD_INDEX = (
    "assigned_to",
    "state",
    "severity",
    "risk_level",
    "nsir_category",
    "asb_types",
    "received_at",
)
MONTHS_INDEX = ("received_at", "severity", "responded_at", "response_due_at")
OPEN_INDEX = (
    "state",
    "assigned_to",
    "responded_at",
    "response_due_at",
    "update_due_at",
    "actions_due_at",
    "risk_level",
    "review_eligible",
)


def _filled(document: dict[str, Any]) -> dict[str, Any]:
    case = case_from_document(document)
    outcome = kept_outcome(document)
    if outcome is None:
        nsir = case.nsir_category.value if case.nsir_category else None
        return {"nsir_category": nsir, "update_due_at": None, "review_eligible": 0}
    return {column: due_columns(case, outcome)[column] for column in COLUMNS}


def upgrade() -> None:
    op.add_column("cases", sa.Column("nsir_category", sa.Text))
    op.add_column("cases", sa.Column("update_due_at", sa.Text))
    op.add_column(
        "cases",
        sa.Column("review_eligible", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    fill_from_documents(op.get_bind(), COLUMNS, _filled)
    op.create_index("ix_cases_team_period", "cases", list(PERIOD_INDEX))
    op.create_index("ix_cases_team_months", "cases", list(MONTHS_INDEX))
    op.create_index("ix_cases_team_open", "cases", list(OPEN_INDEX))


def downgrade() -> None:
    op.drop_index("ix_cases_team_open", table_name="cases")
    op.drop_index("ix_cases_team_months", table_name="cases")
    op.drop_index("ix_cases_team_period", table_name="cases")
    for column in reversed(COLUMNS):
        op.drop_column("cases", column)
