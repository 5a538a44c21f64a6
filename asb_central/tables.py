"""The central database's tables (SQLAlchemy Core), mirrored by the Alembic migrations.

Times are naive UTC `timestamp`s so SQLite and PostgreSQL compare them the same way. Documents
and lists are JSON text: the service never queries inside them, and text keeps both backends alike.
Columns copied out of the case document (`assigned_to`, `estate`, …) exist only so access rules
can be written as SQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData()

# A 64-bit key that still autoincrements on SQLite (which only does so for INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer(), "sqlite")

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# `change`: the last change number handed out. Its row lock serialises writers (see sync_service).
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

reference_counters = Table(
    "reference_counters",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("patches", Text, nullable=False),
    Column("schemes", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
)

estates = Table(
    "estates",
    metadata,
    Column("code", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("homes", Integer, nullable=True),  # the directory's estates[].homes (the figures)
)

schemes = Table(
    "schemes",
    metadata,
    Column("code", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=True),
    Column("position", Integer, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(200), ForeignKey("staff.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
    # Enrolment answers can be lost: a device is confirmed by its first authenticated call, and
    # one never confirmed stops working when its code would have expired (`confirm_by`).
    Column("confirmed_at", DateTime, nullable=True),
    Column("confirm_by", DateTime, nullable=True),
    # How it was revoked (`lost`, or `retire`: its unsent changes are taken until it is told;
    # null on a device revoked before this existed: lost), and when it was told to delete its
    # local store (the first 410 it was answered).
    Column("revoke_mode", String(16), nullable=True),
    Column("told_at", DateTime, nullable=True),
)

# What happened to a device after enrolment, for the administrator and an audit: revoked (how,
# by whom), told to delete its store, and its answer that it is deleting it (changes unsent).
# Ids, times and counts only: no personal data.
device_events = Table(
    "device_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("device_id", String(36), nullable=False, index=True),
    Column("user_id", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("event", String(32), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    Column("id", String(8), primary_key=True),
    Column("user_id", String(200), ForeignKey("staff.id"), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime, nullable=True),
    Column("failed_attempts", Integer, nullable=False),
    Column("device_id", String(36), nullable=True),
    # SHA-256 of the key the laptop made before its first try: the same code with the same key
    # again (the answer was lost) is answered again, for the same device, while the code lives.
    Column("device_key_hash", String(64), nullable=True),
)

enrol_failures = Table(
    "enrol_failures",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_enrol_failures_client_at", "client", "at"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("revision", Integer, nullable=False),
    Column("change_number", BigInteger, nullable=False, index=True),
    Column("document", Text, nullable=False),
    Column("assigned_to", String(200), nullable=True, index=True),
    Column("recorded_by", String(200), nullable=True, index=True),
    Column("estate", String(200), nullable=True, index=True),
    Column("supported_scheme", String(200), nullable=True, index=True),
    Column("involves_employee", Boolean, nullable=False),
    # The complainant, hashed (domain/case_review.complainant_key): their other cases for the
    # ASB Case Review; null when anonymous.
    Column("complainant_key", String(64), nullable=True, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# The central audit: one row per accepted change, with the document as it stood after it, so a
# stale op can be merged against the revision its laptop last saw.
case_audit = Table(
    "case_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("change_number", BigInteger, nullable=False),
    Column("op_id", String(36), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("action", String(16), nullable=False),
    Column("changed_fields", Text, nullable=False),
    Column("document", Text, nullable=False),
    UniqueConstraint("case_id", "revision", name="uq_case_audit_case_revision"),
)

ops = Table(
    "ops",
    metadata,
    Column("op_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("result", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),
    # The facts the op submitted (normal form): the base for a later op naming it (base_op_id).
    Column("facts", Text, nullable=True),
)

case_conflicts = Table(
    "case_conflicts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False, index=True),
    Column("field", Text, nullable=False),
    Column("server_value", Text, nullable=False),
    Column("device_value", Text, nullable=False),
    Column("op_id", String(36), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("user_id", String(200), nullable=False),
    # Who set the value the server kept, and on which device (from the audit; null if unknown).
    Column("server_user_id", String(200), nullable=True),
    Column("server_device_id", String(36), nullable=True),
    Column("at", DateTime, nullable=False),
    Column("resolved_at", DateTime, nullable=True),
    Column("resolved_by_op", String(36), nullable=True),
)

case_reads = Table(
    "case_reads",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("user_id", String(200), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("via", String(16), nullable=False),
    # A read the access rules refused (403) is logged too, with refused = true.
    Column("refused", Boolean, nullable=False, server_default=false()),
)

# The cases each device has been served (pull, read, push answer): how the central store knows
# which cases a laptop may hold that it may no longer see. A pull's last page names those cases
# (`gone`) and sets `told` to the checkpoint it answered with; the laptop stores each answer's
# checkpoint with its `gone`, so a later pull with `since > told` proves it has them, and the
# row is dropped. Served again (visible again) resets `told`.
device_cases = Table(
    "device_cases",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("case_id", String(36), primary_key=True),
    Column("told", BigInteger, nullable=True),
    # Only the rows named gone and waiting to be named again: a pull with nothing new asks
    # whether the device has any, and with none this index is empty (migration 0011).
    Index(
        "ix_device_cases_told",
        "device_id",
        postgresql_where=text("told IS NOT NULL"),
        sqlite_where=text("told IS NOT NULL"),
    ),
)

# What the retention rules did (asb_central/retention.py): `destroyed` (a case, with its
# reference, the day it closed and its destroy-after day), `hold` and `release` (a legal hold:
# `reason` as the administrator typed it, blanked when the case is destroyed), `reads_removed`
# (`count` rows of case_reads older than the period). Who ran it (`by`) and when; nothing else.
retention_log = Table(
    "retention_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("action", String(16), nullable=False),
    Column("case_id", String(36), nullable=True, index=True),
    Column("reference", String(32), nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("destroy_after", Date, nullable=True),
    Column("at", DateTime, nullable=False),
    Column("by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("count", Integer, nullable=True),
)


# Erasures and corrections of a person in a case by an administrator (`asb-central
# erase-person`, `rectify`): who, when, which case and which person's place (`complainant`,
# `involved:2`), the field corrected and the reason; never the person's details. A push whose
# copy still names an erased person has them erased again before it is merged (push_handler).
case_erasures = Table(
    "case_erasures",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    # No foreign key: the audit outlives a case destroyed under retention.
    Column("case_id", String(36), nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("person", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # erase | rectify
    Column("field", String(32), nullable=True),
    Column("reason", Text, nullable=False),
    Column("by", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)


# Evidence bytes (issue 15, migration 0010), kept in the database itself (bytea on PostgreSQL,
# BLOB on SQLite) rather than in files: they go in the same transaction as the case they belong
# to when retention destroys it, need no shared filesystem between servers, and are in the
# database's backups. Measured on this project's machine (1 MiB chunks, one transaction each):
# PostgreSQL ~100 MB/s written and read, files with fsync ~200 MB/s written: both far above a
# laptop's uplink. Chunks are addressed by their own SHA-256 (kept once however many files hold
# them); a file is its ordered list of chunk hashes; `case_evidence` says which case's
# attachment names which file (access and purge follow the case). No names: ids and hashes only.
evidence_chunks = Table(
    "evidence_chunks",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("chunk_count", Integer, nullable=False),
    Column("offered_at", DateTime, nullable=False),
    Column("complete_at", DateTime, nullable=True),  # every chunk held and the whole hash checked
)

evidence_file_chunks = Table(
    "evidence_file_chunks",
    metadata,
    Column("file_sha256", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("chunk_sha256", String(64), nullable=False, index=True),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("attachment_id", String(200), primary_key=True),
    Column("sha256", String(64), nullable=False, index=True),
)
