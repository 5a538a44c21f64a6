"""Draft reports: every change to an unfinished report is kept, encrypted, so a closed window,
a crash or a flat battery loses at most the last few seconds.

A draft's id is the id the case will have, so a draft whose case is already stored (a crash
between saving the case and deleting the draft) is recognised and removed, never saved twice.

Logged (docs/logging.md) by the draft's id only. A draft is saved every second or two while the
officer types, so `draft.saved` is written for its first save and then at most once a minute,
with the number of saves so far; a draft discarded or cleared away is always logged.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asb_desktop.store import cases as case_table
from asb_desktop.store.database import Store
from asb_desktop.store.draft_rows import StoredDraft, all_drafts, get_draft, put_draft, remove_draft
from asb_desktop.support.logs import log_event

_log = logging.getLogger(__name__)
SAVED_LOG_EVERY_S = 60.0
DISCARDED, CASE_SAVED, CASE_ALREADY_SAVED = "discarded", "case_saved", "case_already_saved"


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
        self._saves: dict[str, tuple[int, float]] = {}  # id: saves this session, last logged
        self._saves_lock = threading.Lock()

    def save(self, draft_id: str, payload: dict[str, Any]) -> None:
        with self.store.write() as conn:
            put_draft(conn, draft_id, payload, now=self.clock())
        now = time.monotonic()
        with self._saves_lock:
            saves, logged_at = self._saves.get(draft_id, (0, -math.inf))
            saves += 1
            due = now - logged_at >= SAVED_LOG_EVERY_S
            self._saves[draft_id] = (saves, now if due else logged_at)
        if due:
            log_event(_log, "draft.saved", draft_id=draft_id, saves=saves)

    def load(self, draft_id: str) -> StoredDraft | None:
        with self.store.read() as conn:
            return get_draft(conn, draft_id)

    def delete(self, draft_id: str, *, reason: str = DISCARDED) -> bool:
        """Remove a draft: the officer discarded it (the default), or its case was saved."""
        with self.store.write() as conn:
            removed = remove_draft(conn, draft_id)
        with self._saves_lock:
            saves, _ = self._saves.pop(draft_id, (0, 0.0))
        if removed:
            event = "draft.discarded" if reason == DISCARDED else "draft.cleared"
            log_event(_log, event, draft_id=draft_id, reason=reason, saves=saves)
        return removed

    def list(self) -> list[DraftSummary]:
        """Unfinished drafts, newest first; drafts whose case was stored are cleared away."""
        with self.store.read() as conn:
            found = all_drafts(conn)
            saved = case_table.existing_ids(conn, [d.id for d in found])
        for draft_id in saved:
            self.delete(draft_id, reason=CASE_ALREADY_SAVED)
        return [
            DraftSummary(d.id, d.created_at, d.updated_at, _title(d.payload))
            for d in found
            if d.id not in saved
        ]
