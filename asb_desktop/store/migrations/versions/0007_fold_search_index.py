"""Fold the search index's words as the search now folds what the officer types.

SQLite's tokenizer drops accents that decompose ("Dvořák" -> "dvorak") but not letters that carry
their stroke in the letter ("Łukasiewicz", "Øvergaard", "Đorđević"), so "lukasiewicz" found
nothing. Every entry is now kept folded by domain/search_folding.py and every query is folded the
same way. The index is built again, folded, under the same search keys (a fresh FTS5 table is
filled in one pass, which is quicker than rewriting each entry in place), as 0004 did.
"""

from alembic import op
from sqlalchemy import text

from asb_desktop.domain.search_folding import fold_for_search

revision = "0007"
down_revision = "0006"

BATCH = 2000


def upgrade() -> None:
    conn = op.get_bind()
    op.execute(
        "CREATE VIRTUAL TABLE case_search_folded USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    read = text(
        "SELECT rowid, body FROM case_search WHERE rowid > :after ORDER BY rowid LIMIT :batch"
    )
    write = text("INSERT INTO case_search_folded (rowid, body) VALUES (:key, :body)")
    after = 0
    while True:
        rows = conn.execute(read, {"after": after, "batch": BATCH}).all()
        if not rows:
            break
        conn.execute(write, [{"key": key, "body": fold_for_search(body)} for key, body in rows])
        after = rows[-1][0]
    op.execute("DROP TABLE case_search")
    op.execute("ALTER TABLE case_search_folded RENAME TO case_search")


def downgrade() -> None:
    raise NotImplementedError("the search index is not migrated back")
