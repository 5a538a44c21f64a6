"""The encrypted store's tables. Migrations create them; this module describes them for queries.

A case is kept whole as its document (JSON) plus the few columns the caseload filters and sorts by,
so listing 100,000 cases never parses a document.

Every table of the store is described here, on one MetaData, indexes included, and a test
(tests/store/test_store_schema.py) checks it against what the migrations build. The one thing not
described is the full-text search index `case_search` (an FTS5 virtual table, see migrations
0001, 0004 and 0007), which is queried with SQL text; its words are folded by
domain/search_folding.py on the way in and in every query.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, Table, Text, text

metadata = MetaData()

# Every column the caseload sorts by, but the status (which is (state, id)).
ORDERED = ("reference", "received_at", "severity", "assigned_to", "response_due_at")
# What an order's index carries after the id (0015), so a query reads that index alone: the
# team view's months (received_at) ...
ORDER_CARRIES: dict[str, tuple[str, ...]] = {
    "received_at": ("severity", "responded_at", "response_due_at"),
}
# ... and, within open or closed cases, a broad search in due order (the search key).
STATE_ORDER_CARRIES: dict[str, tuple[str, ...]] = {"response_due_at": ("search_key",)}

cases = Table(
    "cases",
    metadata,
    Column("id", Text, primary_key=True),
    Column("reference", Text, unique=True),
    Column("received_at", Text, nullable=False),  # UTC ISO 8601: sorts as text
    Column("severity", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("assignment_rule", Text, nullable=False),
    Column("assigned_to", Text),
    Column("response_due_at", Text, nullable=False),
    Column("responded_at", Text),
    Column("staff_risk_assessment_due_at", Text),
    Column("estate", Text),
    Column("supported_scheme", Text),
    Column("anonymous", Integer, nullable=False),
    Column("involves_employee", Integer, nullable=False),
    # What a caseload row says about who and what, so a page never parses a document (0006):
    # the complainant's name (NULL when anonymous) and the latest incident in one line.
    Column("complainant_name", Text),
    Column("latest_incident", Text),
    # The first outstanding deadline of any kind (domain/deadlines.py), NULL when none: the
    # overdue filter is one comparison (0009).
    Column("next_due_at", Text),
    # Who the complainant is, hashed (domain/case_review.complainant_key): their other cases
    # for the ASB Case Review; NULL when anonymous (0009).
    Column("complainant_key", Text),
    # The first outstanding action of the plan's due time, the latest risk level, and the kinds
    # of ASB as "|noise|drugs|": the caseload's filters and Risk column (0010).
    Column("actions_due_at", Text),
    Column("risk_level", Text),
    Column("asb_types", Text),
    # What the team view counts (0013, store/team_columns.py): the NSIR category, the next
    # update still to do, and the complainant at the Case Review threshold (0/1).
    Column("nsir_category", Text),
    Column("update_due_at", Text),
    Column("review_eligible", Integer, nullable=False, server_default=text("0")),
    Column("document", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("server_revision", Integer),
    Column("search_key", Integer),  # rowid of the case's search entry
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Index("ix_cases_search_key", "search_key", unique=True),
    # The officer's caseload in due order; the search key rides along so a broad search reads
    # only the index.
    Index("ix_cases_officer_due_search", "assigned_to", "state", "response_due_at", "search_key"),
    Index("ix_cases_scheme", "supported_scheme", "received_at"),
    Index("ix_cases_state_next_due", "state", "next_due_at"),
    Index("ix_cases_complainant_key", "complainant_key"),
    Index("ix_cases_state_actions_due", "state", "actions_due_at"),
    # Every order the caseload offers, for keyset pages (0014): (column, id) for all cases,
    # (state, column, id) within open or closed ones; ties by id in the order's direction.
    Index("ix_cases_order_state", "state", "id"),
    *(
        index
        for column in ORDERED
        for index in (
            Index(f"ix_cases_order_{column}", column, "id", *ORDER_CARRIES.get(column, ())),
            Index(
                f"ix_cases_state_order_{column}",
                "state",
                column,
                "id",
                *STATE_ORDER_CARRIES.get(column, ()),
            ),
        )
    ),
    # The team view's figures read from these alone (0013): a period's counts, grouped in the
    # index's order; the open cases' overdue work by officer (each month's first responses read
    # ix_cases_order_received_at, 0015).
    Index(
        "ix_cases_team_period",
        "assigned_to",
        "state",
        "severity",
        "risk_level",
        "nsir_category",
        "asb_types",
        "received_at",
    ),
    Index(
        "ix_cases_team_open",
        "state",
        "assigned_to",
        "responded_at",
        "response_due_at",
        "update_due_at",
        "actions_due_at",
        "risk_level",
        "review_eligible",
    ),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("case_id", Text),
    Column("before", Text),
    Column("after", Text),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Index("ix_audit_case", "case_id", "seq"),
    sqlite_autoincrement=True,  # a deleted last row's seq is never handed out again
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("op_id", Text, nullable=False, unique=True),
    Column("case_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Text),
    Column("last_error", Text),
    Index("ix_outbox_state", "state", "seq"),
    Index("ix_outbox_case", "case_id", "state", "seq"),
    sqlite_autoincrement=True,
)

directory = Table(
    "directory",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("payload", Text, nullable=False),
)

# --- sync's own rows (read and written through store/sync_state.py) -------------------------

sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("checkpoint", Integer, nullable=False),
    Column("directory_version", Integer, nullable=False),
    Column("device_token", Text),
    Column("last_attempt_at", Text),
    Column("last_success_at", Text),
    Column("last_error", Text),
    Column("error_kind", Text),
    Column("failures", Integer, nullable=False),
    Column("next_attempt_at", Text),
)

sync_inflight = Table(
    "sync_inflight",
    metadata,
    Column("op_id", Text, primary_key=True),
    Column("outbox_seq", Integer, nullable=False),
    Column("case_id", Text, nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("first_sent_at", Text, nullable=False),
)

sync_conflicts = Table(
    "sync_conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("server_value", Text, nullable=False),
    Column("device_value", Text, nullable=False),
    Column("op_id", Text, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("choice", Text),
    Column("chosen_at", Text),
    # Who set each value and on which device, and whether this officer may choose (0008).
    Column("device_id", Text),
    Column("user_name", Text),
    Column("device_name", Text),
    Column("server_user_id", Text),
    Column("server_user_name", Text),
    Column("server_device_id", Text),
    Column("server_device_name", Text),
    Column("may_settle", Integer, nullable=False, server_default=text("1")),
    Index("ix_sync_conflicts_case", "case_id", "id"),
)

# A case whose newer local edits were made on an op the server merged with other changes: its
# next op names that op (`base_op_id`) so the server merges against what it sent.
sync_bases = Table(
    "sync_bases",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("base_op_id", Text, nullable=False),
)

# Evidence (migration 0011). The bytes are content-addressed: one file is kept once however many
# cases or attachments name it, in rows of at most CHUNK_BYTES (never held whole to store or read
# back, and sent later a chunk at a time). `attachments` says which case holds which bytes.
attachment_chunks = Table(
    "attachment_chunks",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("added_at", Text, nullable=False),
    Index("ix_attachments_case", "case_id"),
    Index("ix_attachments_sha256", "sha256"),
)

# Which attachments' bytes the central store has (migration 0012): sent from here, or fetched
# from there. An attachment whose bytes are here and has no row, or a row still `waiting`, is
# sent at the next sync once its case's document has been taken (sync/evidence_upload.py);
# `refused` holds the central store's reason in words (ids and sizes only, never a name).
evidence_uploads = Table(
    "evidence_uploads",
    metadata,
    Column("attachment_id", Text, primary_key=True),
    Column("state", Text, nullable=False),  # waiting | sent | fetched | refused
    Column("at", Text, nullable=False),
    Column("last_error", Text),
)

# Each kept chunk's own SHA-256 (0012), beside it rather than in its row: read without the bytes,
# so an upload's offer costs no pass over the encrypted chunks.
attachment_chunk_hashes = Table(
    "attachment_chunk_hashes",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("chunk_sha256", Text, nullable=False),
)
