"""Keep in the case's row what the caseload filters and shows from the case-management fields:
`actions_due_at` (when the first action of the plan still to do falls due, for "actions
overdue"), `risk_level` (the latest risk assessment's level, for the Risk column) and
`asb_types` ("|noise|drugs|", for the filter by kind of ASB).

Existing rows are filled from their stored documents, a thousand at a time, through the same
functions new rows use (store/cases.py `due_columns`, `row_words`).
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import kept_outcome
from asb_desktop.store.cases import due_columns, row_words

revision = "0010"
down_revision = "0009"

BATCH = 1000
COLUMNS = ("actions_due_at", "risk_level", "asb_types")


def _filled(document: dict[str, Any]) -> dict[str, str | None]:
    case = case_from_document(document)
    outcome = kept_outcome(document)
    found: dict[str, str | None] = {**row_words(case)}
    found["actions_due_at"] = due_columns(case, outcome)["actions_due_at"] if outcome else None
    return {column: found[column] for column in COLUMNS}


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("cases", sa.Column(column, sa.Text))
    op.create_index("ix_cases_state_actions_due", "cases", ["state", "actions_due_at"])
    conn = op.get_bind()
    read = sa.text(
        "SELECT rowid, document FROM cases WHERE rowid > :after ORDER BY rowid LIMIT :batch"
    )
    write = sa.text(
        "UPDATE cases SET actions_due_at = :actions_due_at, risk_level = :risk_level, "
        "asb_types = :asb_types WHERE rowid = :row"
    )
    after = 0
    while True:
        rows = conn.execute(read, {"after": after, "batch": BATCH}).all()
        if not rows:
            break
        filled = []
        for row, document in rows:
            try:
                filled.append({"row": row, **_filled(json.loads(document))})
            except (InputError, ValueError, AttributeError, TypeError):
                continue  # a document today's reader would refuse: left as it is
        if filled:
            conn.execute(write, filled)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_cases_state_actions_due", table_name="cases")
    for column in reversed(COLUMNS):
        op.drop_column("cases", column)
