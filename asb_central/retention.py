"""Retention: which closed cases are due to be destroyed, destroying them, legal holds, and the
read log's own period.

A closed case is kept for the organisation's retention period after the London day it closed
(`retention_years`, default 6; domain/retention.py works the day out, as the document's
`retention.destroy_after` says it). After that day it is due, unless under a legal hold.
Destroying a case removes every row that holds its personal data: the case (its document and
its `complainant_key`), its audit revisions, its ops (the facts each laptop sent), its field
conflicts and its read log. What stays is one `retention_log` row (id, reference, the day it
closed, its destroy-after day, when and who) and the `device_cases` rows, so each laptop that
held it is told in its next pull (`gone`, reason `destroyed`) and purges it. A push for a
destroyed case is refused: it is not recorded again.

`case_reads` rows older than `case_reads_months` (default 24) are removed by the same apply.
"""

from __future__ import annotations

import json
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, delete, func, insert, or_, select, text, update

from asb_central import evidence_store
from asb_central.db import Database, utcnow
from asb_central.records import ADMIN_DEVICE, ADMIN_USER, central_rules, dumps
from asb_central.tables import (
    case_audit,
    case_conflicts,
    case_reads,
    cases,
    ops,
    retention_log,
    settings,
)
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.procedure import current_outcome, kept_case_review
from asb_desktop.domain.retention import closed_day, day_words, destroy_after

CASE_YEARS = "retention_years"
READS_MONTHS = "case_reads_months"
DEFAULT_READS_MONTHS = 24
YEARS_ALLOWED = range(1, 101)
MONTHS_ALLOWED = range(1, 1201)
# Rows of a case's own tables, removed with it. Attachments (issue 15) will add their bytes here:
# the stored files of the case's `attachments[]` must be removed in the same apply, before the
# case row goes (see `_destroy_case`).
CASE_TABLES = (case_audit, case_conflicts, case_reads, ops)


class RetentionError(LookupError):
    """A sentence for the administrator: an unknown case, a hold already set, a bad period."""


@dataclass(frozen=True)
class Periods:
    case_years: int = DEFAULT_POLICY.retention_years
    reads_months: int = DEFAULT_READS_MONTHS

    @property
    def policy(self) -> CasePolicy:
        return replace(DEFAULT_POLICY, retention_years=self.case_years)


@dataclass(frozen=True)
class ClosedCase:
    """A case the review names: closed and due, or on hold (closed, or still open: no
    `closed_on`). `destroy_after` is the day worked out as if it were not held."""

    case_id: str
    reference: str
    closed_on: date | None
    destroy_after: date | None
    hold_reason: str | None = None

    def why(self, years: int) -> str:
        if self.closed_on is None:
            return "closed with no closing time recorded"
        return (
            f"closed {day_words(self.closed_on)}; kept {years} years, until "
            f"{day_words(self.destroy_after or self.closed_on)}"
        )


@dataclass(frozen=True)
class Review:
    today: date
    periods: Periods
    due: list[ClosedCase]
    held: list[ClosedCase]
    reads_before: datetime
    reads_due: int


# --- the periods ------------------------------------------------------------------------------


def _setting(conn: Connection, key: str) -> str | None:
    found = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return None if found is None else str(found)


def periods(conn: Connection) -> Periods:
    years = _setting(conn, CASE_YEARS)
    months = _setting(conn, READS_MONTHS)
    return Periods(
        case_years=int(years) if years else DEFAULT_POLICY.retention_years,
        reads_months=int(months) if months else DEFAULT_READS_MONTHS,
    )


def central_policy(conn: Connection) -> CasePolicy:
    """The policy the central store works documents out with: the defaults, and its own
    retention period."""
    return periods(conn).policy


def set_periods(db: Database, case_years: int | None, reads_months: int | None) -> Periods:
    if case_years is not None and case_years not in YEARS_ALLOWED:
        raise RetentionError("--case-years must be a whole number of years from 1 to 100")
    if reads_months is not None and reads_months not in MONTHS_ALLOWED:
        raise RetentionError("--reads-months must be a whole number of months from 1 to 1200")
    with db.write() as conn:
        for key, value in ((CASE_YEARS, case_years), (READS_MONTHS, reads_months)):
            if value is None:
                continue
            if _setting(conn, key) is None:
                conn.execute(insert(settings).values(key=key, value=str(value)))
            else:
                conn.execute(update(settings).where(settings.c.key == key).values(value=str(value)))
        return periods(conn)


# --- review -------------------------------------------------------------------------------------


def _closed_or_held_rows(conn: Connection) -> Iterator[tuple[dict[str, Any], Case]]:
    """Every closed case and every case on hold, read from its document (the text filter only
    narrows the reading)."""
    document = cases.c.document
    query = select(cases.c.id, cases.c.reference, document).where(
        or_(document.contains('"state":"closed"'), document.contains('"legal_hold":true'))
    )
    for row in conn.execute(query.order_by(cases.c.reference)).mappings():
        case = case_from_document(json.loads(row["document"]))
        if not case.is_open or case.legal_hold:
            yield dict(row), case


def _hold_reasons(conn: Connection, case_ids: list[str]) -> dict[str, str]:
    query = (
        select(retention_log.c.case_id, retention_log.c.reason)
        .where(retention_log.c.action == "hold", retention_log.c.case_id.in_(case_ids))
        .order_by(retention_log.c.id)
    )
    return {row.case_id: row.reason for row in conn.execute(query)}


def _reads_before(today: date, months: int) -> datetime:
    """Midnight (UTC) of the same day `months` earlier (the month's last day if it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, monthrange(year, month + 1)[1])
    return datetime(year, month + 1, day)


def _review(conn: Connection, today: date) -> Review:
    chosen = periods(conn)
    due, held = [], []
    for row, case in _closed_or_held_rows(conn):
        closed = closed_day(case)
        last = destroy_after(replace(case, legal_hold=False), chosen.policy)
        entry = ClosedCase(row["id"], row["reference"], closed, last)
        if case.legal_hold:
            held.append(entry)
        elif last is not None and today > last:
            due.append(entry)
    reasons = _hold_reasons(conn, [c.case_id for c in held])
    held = [replace(c, hold_reason=reasons.get(c.case_id)) for c in held]
    before = _reads_before(today, chosen.reads_months)
    reads = conn.execute(select(func.count()).where(case_reads.c.at < before)).scalar_one()
    return Review(today, chosen, due, held, before, int(reads))


def review(db: Database, today: date) -> Review:
    with db.read() as conn:
        return _review(conn, today)


# --- apply --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    review: Review
    destroyed: list[ClosedCase]
    reads_removed: int
    dry_run: bool


def _destroy_case(conn: Connection, entry: ClosedCase, by: str, now: datetime) -> None:
    # The case's attachment bytes go in this same transaction, before the case row and its
    # document (the bytes of a file another case also holds stay for that case).
    evidence_store.remove_for_case(conn, entry.case_id)
    for table in CASE_TABLES:
        conn.execute(delete(table).where(table.c.case_id == entry.case_id))
    conn.execute(delete(cases).where(cases.c.id == entry.case_id))
    # A hold's reason was typed by a person and may name people: it goes with the case.
    conn.execute(
        update(retention_log).where(retention_log.c.case_id == entry.case_id).values(reason=None)
    )
    conn.execute(
        insert(retention_log).values(
            action="destroyed",
            case_id=entry.case_id,
            reference=entry.reference,
            closed_on=entry.closed_on,
            destroy_after=entry.destroy_after,
            at=now,
            by=by,
        )
    )


def apply(db: Database, today: date, by: str, *, dry_run: bool = False) -> Applied:
    """Destroy every case due and remove the read log's old rows, in one transaction (under the
    writers' lock, so no push changes a case between the review and its removal)."""
    with db.write() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")  # freed pages are zeroed
        last = db.lock_changes(conn)
        found = _review(conn, today)
        if dry_run:
            return Applied(found, found.due, found.reads_due, dry_run=True)
        now = utcnow()
        for entry in found.due:
            _destroy_case(conn, entry, by, now)
        if found.due:  # a change number, so the next pull looks for cases gone (pull_handler)
            db.set_last_change(conn, last + 1)
        removed = conn.execute(delete(case_reads).where(case_reads.c.at < found.reads_before))
        count = int(removed.rowcount or 0)
        if count:
            conn.execute(
                insert(retention_log).values(action="reads_removed", at=now, by=by, count=count)
            )
    _reclaim(db)
    return Applied(found, found.due, count, dry_run=False)


def _reclaim(db: Database) -> None:
    """Let the database drop the removed rows' bytes: SQLite's log copied back and truncated
    (secure_delete zeroed the pages), PostgreSQL's dead rows vacuumed."""
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # The evidence tables too (their TOAST with them): a destroyed case's photos must not
        # stay readable in dead rows. A rewrite of the bytes kept, paid only when applying.
        for table in (cases, *CASE_TABLES, *evidence_store.EVIDENCE_TABLES):
            conn.execute(text(f"VACUUM FULL {table.name}"))


# --- legal holds ------------------------------------------------------------------------------


def _find(conn: Connection, given: str) -> dict[str, Any]:
    """A case by its id or its reference (ASB-2026-000123)."""
    name = given.strip()
    try:
        where = cases.c.id == str(UUID(name))
    except ValueError:
        where = func.upper(cases.c.reference) == name.upper()
    row = conn.execute(select(cases).where(where)).mappings().first()
    if row is not None:
        return dict(row)
    gone = conn.execute(
        select(retention_log.c.reference, retention_log.c.at)
        .where(retention_log.c.action == "destroyed")
        .where((retention_log.c.case_id == name) | (retention_log.c.reference == name.upper()))
    ).first()
    if gone is not None:
        raise RetentionError(
            f"case {gone.reference} was destroyed under the retention rules on "
            f"{day_words(gone.at.date())}; nothing of it is held"
        )
    raise RetentionError(f"no case has the id or reference {name!r}")


def set_hold(db: Database, given: str, *, held: bool, by: str, reason: str | None) -> str:
    """Set or release a legal hold; the case gets a new revision (so laptops pull it) and an
    audit row by the administrator. Returns the case's reference."""
    if held and not (reason or "").strip():
        raise RetentionError("give the reason for the hold with --reason (for example the claim)")
    with db.write() as conn:
        number = db.lock_changes(conn) + 1
        row = _find(conn, given)
        stored = json.loads(row["document"])
        case = replace(case_from_document(stored), reference=row["reference"])
        if case.legal_hold == held:
            state = "already on legal hold" if held else "not on legal hold"
            raise RetentionError(f"case {row['reference']} is {state}")
        case = replace(case, legal_hold=held)
        directory, calendar = central_rules(conn)
        outcome = current_outcome(
            case,
            directory,
            calendar,
            stored=stored,
            policy=central_policy(conn),
            review=kept_case_review(stored),
        )
        document = dumps(case_to_document(case, outcome))
        now = utcnow()
        conn.execute(
            update(cases)
            .where(cases.c.id == row["id"])
            .values(
                revision=row["revision"] + 1,
                change_number=number,
                document=document,
                updated_at=now,
            )
        )
        action = "hold" if held else "release"
        conn.execute(
            insert(case_audit).values(
                case_id=row["id"], revision=row["revision"] + 1, change_number=number,
                op_id=str(uuid4()), device_id=ADMIN_DEVICE, user_id=ADMIN_USER, at=now,
                action=action, changed_fields=dumps(["retention"]), document=document,
            )
        )  # fmt: skip
        conn.execute(
            insert(retention_log).values(
                action=action,
                case_id=row["id"],
                reference=row["reference"],
                closed_on=closed_day(case),
                at=now,
                by=by,
                reason=reason.strip() if held and reason else None,
            )
        )
        db.set_last_change(conn, number)
        return str(row["reference"])


def destroyed_ids(conn: Connection, case_ids: list[str]) -> set[str]:
    """Which of these case ids were destroyed under the retention rules."""
    if not case_ids:
        return set()
    query = select(retention_log.c.case_id).where(
        retention_log.c.action == "destroyed", retention_log.c.case_id.in_(case_ids)
    )
    return {str(i) for i in conn.execute(query).scalars()}
