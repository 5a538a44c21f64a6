"""Keep who reported a case and its latest incident in the case's row, for the caseload.

A caseload row shows the complainant's name ("Anonymous" when they are: the column is NULL then,
5.8) and one line of the latest incident. Reading them from each document would parse a document
per row shown; two columns keep a page of 100,000 cases as quick as it was. Existing rows are
filled here from their stored documents, a thousand at a time, reading only the fields needed
(the asb-case/1 names) through the same functions new rows use (domain/case_line.py): parsing
every document whole would make opening a 100,000-case store for the first time take twice as
long. The store is encrypted, so a name in a column is as protected as the name in a document.
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.case_line import latest_line, name_shown
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.timestamps import parse_timestamp

revision = "0006"
down_revision = "0005"

BATCH = 1000


def _words(document: dict[str, Any]) -> dict[str, str | None]:
    complainant = document.get("complainant") or {}
    incidents = [
        (parse_timestamp(i.get("occurred_at"), "occurred_at"), i.get("description") or "")
        for i in document.get("incidents") or []
    ]
    return {
        "complainant_name": name_shown(bool(complainant.get("anonymous")), complainant.get("name")),
        "latest_incident": latest_line(incidents),
    }


def upgrade() -> None:
    op.add_column("cases", sa.Column("complainant_name", sa.Text))
    op.add_column("cases", sa.Column("latest_incident", sa.Text))
    conn = op.get_bind()
    read = sa.text(
        "SELECT rowid, document FROM cases WHERE rowid > :after ORDER BY rowid LIMIT :batch"
    )
    write = sa.text(
        "UPDATE cases SET complainant_name = :complainant_name, "
        "latest_incident = :latest_incident WHERE rowid = :row"
    )
    after = 0
    while True:
        rows = conn.execute(read, {"after": after, "batch": BATCH}).all()
        if not rows:
            break
        filled = []
        for row, document in rows:
            try:
                filled.append({"row": row, **_words(json.loads(document))})
            except (InputError, ValueError, AttributeError, TypeError):
                continue  # a document today's reader would refuse: its row shows no words
        if filled:
            conn.execute(write, filled)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_column("cases", "latest_incident")
    op.drop_column("cases", "complainant_name")
