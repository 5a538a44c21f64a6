"""Link the search index to cases by an integer key (fast searches over 100,000 cases).

Searching used to filter `cases.id IN (SELECT case_id FROM case_search …)`, which read every
match's text id and walked the open cases; an indexed integer key makes it a few lookups. The key
is an explicit column (not the table's implicit rowid, which VACUUM may renumber).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column("cases", sa.Column("search_key", sa.Integer))
    op.execute("UPDATE cases SET search_key = rowid")
    op.create_index("ix_cases_search_key", "cases", ["search_key"], unique=True)
    op.execute(
        "CREATE VIRTUAL TABLE case_search_keyed USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO case_search_keyed (rowid, body) "
        "SELECT cases.search_key, case_search.body FROM case_search "
        "JOIN cases ON cases.id = case_search.case_id"
    )
    op.execute("DROP TABLE case_search")
    op.execute("ALTER TABLE case_search_keyed RENAME TO case_search")


def downgrade() -> None:
    raise NotImplementedError("the search index is not migrated back")
