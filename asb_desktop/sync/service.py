"""The sync service the window and the commands use: one object over the engine and the review."""

from __future__ import annotations

from collections.abc import Callable

from asb_desktop.services.casework import Casework
from asb_desktop.sync import outbox_review as review
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import Timeouts
from asb_desktop.sync.enrolment import enrol
from asb_desktop.sync.status_words import SyncStatus, SyncSummary
from asb_desktop.sync.sync_run import SyncEngine, SyncProgress


class SyncService:
    def __init__(self, casework: Casework, *, timeouts: Timeouts | None = None, **engine: object):
        self.casework = casework
        self.engine = SyncEngine(
            casework.store,
            actor=lambda: casework.actor,
            clock=casework.clock,
            timeouts=timeouts,
            on_directory=self._directory_changed,
            **engine,  # type: ignore[arg-type]
        )

    def _directory_changed(self) -> None:
        self.casework.forget_directory()

    def enrol(self, url: str, code: str, *, ca_bundle: str | None = None) -> p.UserInfo:
        user = enrol(
            self.casework.store, url, code, actor=self.casework.actor, now=self.casework.clock(),
            ca_bundle=ca_bundle, timeouts=self.engine.timeouts,
        )  # fmt: skip
        self.engine.forget_client()
        return user

    def status(self) -> SyncStatus:
        return self.engine.status()

    def probe(self) -> bool:
        return self.engine.probe()

    def sync(
        self,
        *,
        force: bool = False,
        cancel: Callable[[], bool] | None = None,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncSummary:
        return self.engine.sync(force=force, cancel=cancel, progress=progress)

    def overview(self) -> review.SyncOverview:
        return review.overview(self.casework)

    def resolve(self, case_id: str, choices: dict[int, str]) -> None:
        review.resolve(self.casework, case_id, choices)

    def retry_refused(self, seqs: list[int]) -> int:
        return review.retry_refused(self.casework, seqs)
