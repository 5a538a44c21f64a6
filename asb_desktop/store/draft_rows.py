"""Unfinished reports, kept in the encrypted store (never in a side file) until they are saved."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from asb_desktop.store.db_time import from_db, to_db
from asb_desktop.store.tables import drafts


@dataclass(frozen=True)
class StoredDraft:
    id: str
    created_at: datetime
    updated_at: datetime
    payload: dict[str, Any]


def put_draft(conn: Connection, draft_id: str, payload: dict[str, Any], *, now: datetime) -> None:
    body = json.dumps(payload, ensure_ascii=False)
    changed = conn.execute(
        update(drafts).where(drafts.c.id == draft_id).values(payload=body, updated_at=to_db(now))
    ).rowcount
    if not changed:
        conn.execute(
            insert(drafts),
            {"id": draft_id, "created_at": to_db(now), "updated_at": to_db(now), "payload": body},
        )


def _row(row: Any) -> StoredDraft:
    return StoredDraft(
        id=row.id,
        created_at=from_db(row.created_at),
        updated_at=from_db(row.updated_at),
        payload=json.loads(row.payload),
    )


def get_draft(conn: Connection, draft_id: str) -> StoredDraft | None:
    row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).first()
    return _row(row) if row else None


def all_drafts(conn: Connection) -> list[StoredDraft]:
    rows = conn.execute(select(drafts).order_by(drafts.c.updated_at.desc()))
    return [_row(r) for r in rows]


def remove_draft(conn: Connection, draft_id: str) -> bool:
    return bool(conn.execute(delete(drafts).where(drafts.c.id == draft_id)).rowcount)
