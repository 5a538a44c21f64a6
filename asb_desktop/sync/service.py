"""The sync service the window and the commands use: one object over the engine and the review.

The officer's choices on the Sync page are logged here (docs/logging.md); runs are logged by the
engine (sync_run.py) and enrolment by enrolment.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from asb_desktop.services.casework import Casework
from asb_desktop.store.settings import get_setting
from asb_desktop.support.logs import log_event, since_ms
from asb_desktop.sync import outbox_review as review
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import Timeouts
from asb_desktop.sync.enrolment import URL_SETTING, enrol
from asb_desktop.sync.status_words import SyncStatus, SyncSummary
from asb_desktop.sync.sync_run import SyncEngine, SyncProgress

_log = logging.getLogger(__name__)


class SyncService:
    def __init__(self, casework: Casework, *, timeouts: Timeouts | None = None, **engine: object):
        self.casework = casework
        self.engine = SyncEngine(
            casework.store,
            actor=lambda: casework.actor,
            clock=casework.clock,
            timeouts=timeouts,
            on_directory=self._directory_changed,
            closed_days=lambda: casework.policy().closed_days_on_laptop,
            **engine,  # type: ignore[arg-type]
        )

    def _directory_changed(self) -> None:
        self.casework.forget_directory()

    def enrol(
        self, url: str, code: str, *, ca_bundle: str | None = None, device_name: str | None = None
    ) -> p.UserInfo:
        """Connect this laptop with a one-time code; `device_name` is what the administrator
        and other officers see for it (the computer's name unless given)."""
        user = enrol(
            self.casework.store, url, code, actor=self.casework.actor, now=self.casework.clock(),
            ca_bundle=ca_bundle, timeouts=self.engine.timeouts, name=device_name,
        )  # fmt: skip
        self.engine.forget_client()
        return user

    def last_server_url(self) -> str | None:
        """The address this laptop was last connected to (kept after a revocation), if any."""
        settings = self.engine.settings()
        if settings is not None:
            return settings.server_url
        with self.casework.store.read() as conn:
            return get_setting(conn, URL_SETTING) or None

    def download_attachment(self, case_id: str, attachment_id: str) -> int:
        """Fetch an attachment's bytes from the central store into this laptop's store (each
        chunk and the whole file checked by SHA-256); the bytes fetched, 0 if already here.
        Blocks: run it off the GUI thread (a writing Operation). Failures are ProcedureError or
        SyncError, each a sentence (offline: client.Unreachable)."""
        from asb_desktop.sync.evidence_download import download_attachment

        settings = self.engine.settings()
        client = self.engine.client(settings) if settings is not None else None
        return download_attachment(self.casework, client, case_id, attachment_id)

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
        started = time.perf_counter()
        review.resolve(self.casework, case_id, choices)
        kept = list(choices.values())
        log_event(
            _log,
            "sync.conflict_resolved",
            case_id=case_id,
            fields=len(choices),
            kept_server=kept.count(review.SERVER),
            kept_laptop=kept.count(review.DEVICE),
            duration_ms=since_ms(started),
        )

    def give_up_refused(self, seqs: list[int]) -> review.GivenUp:
        done = review.give_up_refused(self.casework, seqs)
        log_event(
            _log, "sync.refused_given_up", asked=len(seqs), changes=done.changes,
            removed=done.removed,
        )  # fmt: skip
        return done

    def retry_refused(self, seqs: list[int]) -> int:
        count = review.retry_refused(self.casework, seqs)
        log_event(_log, "sync.refused_retried", asked=len(seqs), changes=count)
        return count
