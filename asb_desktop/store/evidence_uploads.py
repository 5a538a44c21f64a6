"""Which attachments' bytes still have to go to the central store (`evidence_uploads`).

An attachment whose bytes are kept here (`attachments`) waits until a row says the central store
has them (`sent` from here, `fetched` from there) or refused them. Nothing is queued apart from
the attachment itself: attaching a file (services/attachments.py) is what puts it in the queue,
so a file refused there is never queued. Every function runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, func, select

from asb_desktop.store.db_time import to_db
from asb_desktop.store.sync_state import PENDING
from asb_desktop.store.tables import attachments, cases, evidence_uploads, outbox

WAITING, SENT, FETCHED, REFUSED = "waiting", "sent", "fetched", "refused"
DONE = (SENT, FETCHED, REFUSED)


@dataclass(frozen=True)
class Waiting:
    attachment_id: str
    case_id: str
    sha256: str
    size: int


def _waiting_clause() -> ColumnElement[bool]:
    done = exists().where(
        and_(
            evidence_uploads.c.attachment_id == attachments.c.id,
            evidence_uploads.c.state.in_(DONE),
        )
    )
    return ~done


_PENDING_CHANGE = exists().where(
    and_(outbox.c.case_id == attachments.c.case_id, outbox.c.state == PENDING)
)
# Built once: every sync asks both (building a statement cost more than running it).
_READY = (
    select(attachments.c.id, attachments.c.case_id, attachments.c.sha256, attachments.c.size)
    .join(cases, cases.c.id == attachments.c.case_id)
    .where(_waiting_clause(), cases.c.server_revision.is_not(None), ~_PENDING_CHANGE)
    .order_by(attachments.c.added_at, attachments.c.id)
)
_TOTALS = select(func.count(), func.coalesce(func.sum(attachments.c.size), 0)).where(
    _waiting_clause()
)


def ready_to_send(conn: Connection) -> list[Waiting]:
    """Attachments waiting whose case's document the central store has taken: the case has a
    server revision and no change of it waits to be sent (that change may be the one naming
    the attachment). Oldest first."""
    rows = conn.execute(_READY).all()
    return [Waiting(r.id, r.case_id, r.sha256, r.size) for r in rows]


def waiting_totals(conn: Connection) -> tuple[int, int]:
    """(attachments waiting to be sent, their bytes)."""
    count, size = conn.execute(_TOTALS).one()
    return int(count), int(size)


def refused_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(evidence_uploads)
            .where(evidence_uploads.c.state == REFUSED)
        ).scalar_one()
    )


def mark(
    conn: Connection, attachment_id: str, state: str, at: datetime, error: str | None = None
) -> None:
    conn.execute(delete(evidence_uploads).where(evidence_uploads.c.attachment_id == attachment_id))
    conn.execute(
        evidence_uploads.insert().values(
            attachment_id=attachment_id, state=state, at=to_db(at), last_error=error
        )
    )


def state_of(conn: Connection, attachment_id: str) -> str | None:
    return conn.execute(
        select(evidence_uploads.c.state).where(evidence_uploads.c.attachment_id == attachment_id)
    ).scalar_one_or_none()


def forget(conn: Connection, attachment_ids: list[str]) -> None:
    """With the attachments themselves, when their case is removed from this laptop."""
    for start in range(0, len(attachment_ids), 500):
        chunk = attachment_ids[start : start + 500]
        conn.execute(delete(evidence_uploads).where(evidence_uploads.c.attachment_id.in_(chunk)))
