"""Laptops (real SQLCipher stores with the real sync service) for the sync tests, and the
central store's test helpers from tests/central (imported from there, not copied)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from asb_desktop.app import Services, services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.sync_state import sync_inflight
from asb_desktop.store.tables import cases, outbox
from asb_desktop.sync.client import Timeouts
from asb_desktop.sync.service import SyncService
from tests.central.central_support import (
    BACKENDS,
    DIRECTORY,
    Server,
    admin,
    case_document,
    fresh_database,
    query,
    running_central,
)

__all__ = [
    "BACKENDS",
    "DIRECTORY",
    "Laptop",
    "Server",
    "admin",
    "case_document",
    "fresh_database",
    "query",
    "running_central",
]

FAST = Timeouts(connect=1.0, read=2.0, write=2.0, pool=1.0, probe=1.0)


class Laptop:
    """One officer's laptop: its own encrypted store, casework and sync service."""

    def __init__(
        self, folder: Path, *, actor: str = "local:officer", timeouts: Timeouts = FAST,
        batch_size: int = 250, run_retries: int = 3,
    ) -> None:  # fmt: skip
        self.folder = folder
        self.store = Store.open(folder, FixedKey(DatabaseKey.raw(b"k" * 32)))
        self.services: Services = services_for(self.store, actor=actor)
        self.sync = SyncService(
            self.services.casework, timeouts=timeouts, batch_size=batch_size,
            run_retries=run_retries, sleep=lambda _s: None,
        )  # fmt: skip
        self.casework = self.services.casework

    @property
    def device_name(self) -> str:
        """What the central store knows this laptop as: `laptop-<its folder's name>`."""
        return f"laptop-{self.folder.name}"

    def enrol(self, server: Server, user_id: str, url: str | None = None) -> None:
        code = admin(server.db_url, "enrol-device", "--user", user_id).strip()
        self.sync.enrol(url or server.url, code, device_name=self.device_name)

    def record(self, count: int, **changes: Any) -> list[str]:
        documents = []
        for i in range(count):
            doc = case_document(**changes)
            doc.pop("recorded_by", None)
            doc["complainant"] = {"anonymous": False, "name": f"Resident {i}"}
            documents.append(LabelledDocument(f"record {i + 1}", doc))
        return self.casework.import_documents(documents)

    def edit(self, case_id: str, **changes: Any) -> None:
        case = self.casework.case(case_id)
        assert case is not None
        self.casework.update(replace(case, **changes), action="case.edited")

    def outbox_states(self) -> dict[str, int]:
        with self.store.read() as conn:
            rows = conn.execute(select(outbox.c.state)).scalars().all()
        counts: dict[str, int] = {}
        for state in rows:
            counts[state] = counts.get(state, 0) + 1
        return counts

    def sent_op_ids(self) -> set[str]:
        with self.store.read() as conn:
            query_sent = select(outbox.c.op_id).where(outbox.c.state == "sent")
            return set(conn.execute(query_sent).scalars())

    def inflight(self) -> int:
        with self.store.read() as conn:
            return len(conn.execute(select(sync_inflight.c.op_id)).all())

    def local_cases(self) -> dict[str, tuple[str | None, int | None, dict[str, Any]]]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(cases.c.id, cases.c.reference, cases.c.server_revision, cases.c.document)
            ).all()
        return {r.id: (r.reference, r.server_revision, json.loads(r.document)) for r in rows}

    def sync_until_done(self, rounds: int = 150) -> None:
        """Sync (as "Sync now") until nothing waits and nothing is in flight."""
        for _ in range(rounds):
            summary = self.sync.sync(force=True)
            status = summary.status
            if summary.ok and status and status.waiting == 0 and self.inflight() == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"not synced after {rounds} rounds: {summary.lines()}")

    def close(self) -> None:
        self.sync.engine.forget_client()
        self.services.close()


def new_id() -> str:
    return str(uuid.uuid4())


def free_port_url() -> str:
    from tests.central.central_support import free_port

    return f"http://127.0.0.1:{free_port()}"
