"""Who each case's complainant is, hashed: their other cases for the ASB Case Review.

`cases.complainant_key` is domain/case_review.complainant_key of the case's complainant (a
hash of the folded name and address, so the index holds no name; null when anonymous). The
Case Review counts the reports of every case with the same key. Existing rows are filled from
their documents, 500 at a time.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.add_column("cases", sa.Column("complainant_key", sa.String(64), nullable=True))
    op.create_index("ix_cases_complainant_key", "cases", ["complainant_key"])
    conn = op.get_bind()
    read = sa.text("SELECT id, document FROM cases WHERE id > :after ORDER BY id LIMIT :batch")
    write = sa.text("UPDATE cases SET complainant_key = :key WHERE id = :id")
    after = ""
    while True:
        rows = conn.execute(read, {"after": after, "batch": BATCH}).all()
        if not rows:
            break
        filled = []
        for case_id, document in rows:
            try:
                key = complainant_key(case_from_document(json.loads(document)).complainant)
            except (InputError, ValueError, TypeError):
                continue
            if key is not None:
                filled.append({"id": case_id, "key": key})
        if filled:
            conn.execute(write, filled)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_cases_complainant_key", table_name="cases")
    op.drop_column("cases", "complainant_key")
