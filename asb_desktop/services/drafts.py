"""Draft reports: every change to an unfinished report is kept, encrypted, so a closed window,
a crash or a flat battery loses at most the last few seconds.

A draft's id is the id the case will have, so a draft whose case is already stored (a crash
between saving the case and deleting the draft) is recognised and removed, never saved twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asb_desktop.store import cases as case_table
from asb_desktop.store.database import Store
from asb_desktop.store.draft_rows import StoredDraft, all_drafts, get_draft, put_draft, remove_draft


@dataclass(frozen=True)
class DraftSummary:
    """What the list of drafts shows: when, how far, and a few words to recognise it by."""

    id: str
    created_at: datetime
    updated_at: datetime
    title: str


def _title(payload: dict[str, Any]) -> str:
    who = "anonymous complainant" if payload.get("anonymous") else payload.get("name") or ""
    what = (payload.get("description") or "").strip().splitlines()
    parts = [p for p in (who, what[0][:60] if what else "") if p]
    return " — ".join(parts) or "nothing typed yet"


class Drafts:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))

    def save(self, draft_id: str, payload: dict[str, Any]) -> None:
        with self.store.write() as conn:
            put_draft(conn, draft_id, payload, now=self.clock())

    def load(self, draft_id: str) -> StoredDraft | None:
        with self.store.read() as conn:
            return get_draft(conn, draft_id)

    def delete(self, draft_id: str) -> bool:
        with self.store.write() as conn:
            return remove_draft(conn, draft_id)

    def list(self) -> list[DraftSummary]:
        """Unfinished drafts, newest first; drafts whose case was stored are cleared away."""
        with self.store.read() as conn:
            found = all_drafts(conn)
            saved = case_table.existing_ids(conn, [d.id for d in found])
        for draft_id in saved:
            self.delete(draft_id)
        return [
            DraftSummary(d.id, d.created_at, d.updated_at, _title(d.payload))
            for d in found
            if d.id not in saved
        ]
