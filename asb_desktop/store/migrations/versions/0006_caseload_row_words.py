"""Keep who reported a case and its latest incident in the case's row, for the caseload.

A caseload row shows the complainant's name ("Anonymous" when they are: the column is NULL then,
5.8) and one line of the latest incident. Reading them from each document would parse a document
per row shown; two columns keep a page of 100,000 cases as quick as it was. Existing rows are
filled from their stored documents here, a thousand at a time. The store is encrypted, so the
name in a column is as protected as the name in the document.
"""

import json

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.store.cases import row_words

revision = "0006"
down_revision = "0005"

BATCH = 1000


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
                words = row_words(case_from_document(json.loads(document)))
            except (InputError, ValueError):
                continue  # a document today's reader refuses: its row shows no words
            filled.append({"row": row, **words})
        if filled:
            conn.execute(write, filled)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_column("cases", "latest_incident")
    op.drop_column("cases", "complainant_name")
