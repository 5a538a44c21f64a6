"""Keep each case's first outstanding deadline and who its complainant is in the case's row.

`next_due_at`: when the first deadline still to do falls due, of every kind
(domain/deadlines.py: the first response, the 5.9.1 staff risk assessment, the next update to
the complainant, each action of the plan), so "overdue" in the caseload and `list --overdue` is
one indexed comparison and counts every clock (it looked at the first response alone, so a
staff risk assessment 49 hours late was not listed).

`complainant_key`: the hashed, folded name and address of a named complainant
(domain/case_review.complainant_key), to find their other cases for the ASB Case Review.

Existing rows are filled from their stored documents, a thousand at a time, through the same
functions new rows use. A document written before the case-management fields existed carries
no next update yet: it gains one when the case is next saved or worked out again.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.deadlines import document_deadlines, next_outstanding_due
from asb_desktop.domain.document import case_from_document
from asb_desktop.store.db_time import to_db
from asb_desktop.store.migrations.backfill import fill_from_documents

revision = "0009"
down_revision = "0008"


def _filled(document: dict[str, Any]) -> dict[str, str | None]:
    due = next_outstanding_due(document_deadlines(document))
    return {
        "next_due_at": to_db(due) if due else None,
        "complainant_key": complainant_key(case_from_document(document).complainant),
    }


def upgrade() -> None:
    op.add_column("cases", sa.Column("next_due_at", sa.Text))
    op.add_column("cases", sa.Column("complainant_key", sa.Text))
    op.create_index("ix_cases_state_next_due", "cases", ["state", "next_due_at"])
    op.create_index("ix_cases_complainant_key", "cases", ["complainant_key"])
    fill_from_documents(op.get_bind(), ("next_due_at", "complainant_key"), _filled)


def downgrade() -> None:
    op.drop_index("ix_cases_complainant_key", table_name="cases")
    op.drop_index("ix_cases_state_next_due", table_name="cases")
    op.drop_column("cases", "complainant_key")
    op.drop_column("cases", "next_due_at")
