"""Keep in the case's row what the caseload filters and shows from the case-management fields:
`actions_due_at` (when the first action of the plan still to do falls due, for "actions
overdue"), `risk_level` (the latest risk assessment's level, for the Risk column) and
`asb_types` ("|noise|drugs|", for the filter by kind of ASB).

Existing rows are filled from their stored documents, a thousand at a time, through the same
functions new rows use (store/cases.py `due_columns`, `row_words`).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.procedure import kept_outcome
from asb_desktop.store.cases import due_columns, row_words
from asb_desktop.store.migrations.backfill import fill_from_documents

revision = "0010"
down_revision = "0009"
COLUMNS = ("actions_due_at", "risk_level", "asb_types")


def _filled(document: dict[str, Any]) -> dict[str, str | None]:
    case = case_from_document(document)
    outcome = kept_outcome(document)
    found: dict[str, str | None] = {**row_words(case)}
    found["actions_due_at"] = due_columns(case, outcome)["actions_due_at"] if outcome else None
    return found


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("cases", sa.Column(column, sa.Text))
    op.create_index("ix_cases_state_actions_due", "cases", ["state", "actions_due_at"])
    fill_from_documents(op.get_bind(), COLUMNS, _filled)


def downgrade() -> None:
    op.drop_index("ix_cases_state_actions_due", table_name="cases")
    for column in reversed(COLUMNS):
        op.drop_column("cases", column)
