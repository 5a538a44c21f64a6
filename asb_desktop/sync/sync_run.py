"""One sync: push the outbox in batches, then pull changes, with retry state in the store.

Never run on the GUI thread (the window uses `ui/sync_controller.py`, which runs it through the
background helper). Database writes are short transactions between HTTP calls, so the officer
can keep working while a sync runs.

Failures: no answer or a 5xx is retried a few times in the run with jittered backoff, then the
run stops and the next automatic attempt waits longer each time (kept in `sync_state`, so it
survives restarts). 401/403 stops at once and waits for the officer to connect again.

Each run is logged (docs/logging.md): started, then finished (counts and duration), failed (the
exception's type and kind, never its sentence), cancelled or skipped.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Connection, func, select

from asb_desktop.domain.case_policy import DEFAULT_POLICY
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.database import Store
from asb_desktop.store.erasure import take_notices, waiting_notices
from asb_desktop.store.evidence_uploads import waiting_totals
from asb_desktop.store.purge import (
    CLOSED,
    checkpoint_log,
    closed_before,
    closed_cutoff,
    remove_cases,
    save_removals,
    waiting_removals,
    with_unsent,
)
from asb_desktop.store.sync_state import (
    FAILED,
    PENDING,
    InflightOp,
    any_inflight,
    count_open_conflicts,
    count_waiting,
    load_state,
    save_state,
    settle_ops,
    thaw,
)
from asb_desktop.store.sync_state import note_attempt as note_op_attempt
from asb_desktop.store.tables import outbox
from asb_desktop.support.logs import log_event, since_ms
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import Refused, Revoked, SyncClient, SyncError, Timeouts
from asb_desktop.sync.enrolment import ServerSettings, load_settings, settings_in
from asb_desktop.sync.pull import apply_changes
from asb_desktop.sync.push import choose_batch, next_batch, record_in
from asb_desktop.sync.status_words import SyncStatus, SyncSummary
from asb_desktop.sync.vault import TokenVault

_log = logging.getLogger(__name__)
AUTO_BACKOFF = (30.0, 15 * 60.0)  # seconds: first wait after a failed run, longest wait
RUN_BACKOFF = (0.5, 4.0)  # retries inside one run
UNSENT = (PENDING, FAILED)
# A batch and its answer to come (read on the engine's thread, not the sender's: see `_collect`).
_Flight = tuple[list[InflightOp], Future[httpx.Response]]


def _flying(flights: deque[_Flight]) -> set[str]:
    """The cases of the batches sent and not yet answered."""
    return {op.case_id for batch, _ in flights for op in batch}


def backoff(failures: int, base: float, cap: float) -> float:
    """Exponential, with "equal jitter": never all laptops at once after an outage."""
    delay = min(cap, base * 2 ** max(0, failures - 1))
    return random.uniform(delay / 2, delay)


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SyncProgress:
    stage: str  # "sending" or "receiving"
    done: int
    remaining: int


class Cancelled(Exception):
    pass


# Pages cut short, in one run's pull, to stop before a case this run's push created (see
# `SyncEngine._past_created`); after these the pull goes on in full pages.
SHORT_PULL_PAGES = 20


class SyncEngine:
    def __init__(
        self,
        store: Store,
        *,
        actor: Callable[[], str],
        clock: Callable[[], datetime] = now_utc,
        timeouts: Timeouts | None = None,
        batch_size: int = 500,
        pull_limit: int = p.MAX_PULL_LIMIT,
        run_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        on_directory: Callable[[], None] | None = None,
        closed_days: Callable[[], int] = lambda: DEFAULT_POLICY.closed_days_on_laptop,
    ) -> None:
        self.store = store
        self.actor = actor
        self.clock = clock
        self.timeouts = timeouts or Timeouts()
        self.batch_size = min(batch_size, p.MAX_OPS_PER_PUSH)
        self.pull_limit = min(pull_limit, p.MAX_PULL_LIMIT)
        self.run_retries = run_retries
        self.sleep = sleep
        self.on_directory = on_directory
        self.closed_days = closed_days
        self.vault = TokenVault(store)
        self._client: SyncClient | None = None
        self._client_key: tuple[str, str | None] | None = None
        self._run_lock = threading.Lock()
        self._size = self.batch_size
        self._ops_out = 0  # changes in the batches answered in this run, for the log
        self._created: set[int] = set()  # see `_past_created`
        self._short_pages_left = SHORT_PULL_PAGES

    # --- connection ---------------------------------------------------------------------------

    def settings(self) -> ServerSettings | None:
        return load_settings(self.store)

    def client(self, settings: ServerSettings) -> SyncClient:
        """The cached client for the enrolled server. The token is read from the keyring once;
        enrolling again (which changes it) calls `forget_client`."""
        key = (settings.server_url, settings.ca_bundle)
        if self._client is None or self._client_key != key:
            if self._client is not None:
                self._client.close()
            self._client = SyncClient(
                settings.server_url, token=self.vault.load(), ca_bundle=settings.ca_bundle,
                timeouts=self.timeouts,
            )  # fmt: skip
            self._client_key = key
        return self._client

    def forget_client(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client, self._client_key = None, None

    def probe(self) -> bool:
        """Is the central store answering? (a cheap GET /health)"""
        settings = self.settings()
        return settings is not None and self.client(settings).health()

    # --- state --------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self.store.read() as conn:
            return self._status_in(conn)

    @staticmethod
    def _status_in(conn: Connection) -> SyncStatus:
        settings = settings_in(conn)
        state = load_state(conn)
        waiting, failed = count_waiting(conn)
        conflicts = count_open_conflicts(conn)
        evidence, evidence_bytes = waiting_totals(conn)
        return SyncStatus(
            connected=settings is not None,
            server_url=settings.server_url if settings else None,
            user_name=settings.user.name if settings else None,
            waiting=waiting,
            failed=failed,
            conflicts=conflicts,
            last_success_at=state.last_success_at,
            last_error=state.last_error,
            error_kind=state.error_kind,
            next_attempt_at=state.next_attempt_at,
            evidence_waiting=evidence,
            evidence_bytes=evidence_bytes,
        )

    # --- one run ------------------------------------------------------------------------------

    def sync(
        self,
        *,
        force: bool = False,
        cancel: Callable[[], bool] | None = None,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncSummary:
        """Push then pull. `force` (the officer pressed "Sync now") ignores the backoff."""
        with self._run_lock:
            started = time.perf_counter()
            self._ops_out = 0
            summary = self._run(force, cancel or (lambda: False), progress or (lambda _: None))
            if summary.cancelled:
                self._log_end("sync.cancelled", logging.INFO, summary, started)
            elif summary.error is None and summary.skipped is None:
                self._log_end("sync.finished", logging.INFO, summary, started)
        if summary.status is None:  # a run that succeeded read it as it saved its state
            summary.status = self.status()
        return summary

    def _log_end(self, event: str, level: int, summary: SyncSummary, started: float) -> None:
        log_event(
            _log,
            event,
            level=level,
            sent=self._ops_out,
            acknowledged=summary.sent,
            refused=summary.refused,
            conflicts=summary.conflicts,
            pulled=summary.received,
            references=summary.references,
            problems=len(summary.problems),
            directory=summary.directory,
            duration_ms=since_ms(started),
        )

    def _run(
        self, force: bool, cancel: Callable[[], bool], progress: Callable[[SyncProgress], None]
    ) -> SyncSummary:
        summary = SyncSummary()
        with self.store.read() as conn:
            settings = settings_in(conn)
            state = load_state(conn)
        if settings is None:
            summary.skipped = "Not connected to a central store yet."
            log_event(_log, "sync.skipped", reason="not_connected", force=force)
            return summary
        now = self.clock()
        if not force and state.error_kind == "auth":
            summary.skipped = "Waiting for you to connect this laptop again (Settings)."
            log_event(_log, "sync.skipped", reason="needs_connecting_again", force=force)
            return summary
        if not force and state.next_attempt_at is not None and now < state.next_attempt_at:
            summary.skipped = "Waiting a little before trying the central store again."
            log_event(_log, "sync.skipped", reason="backing_off", failures=state.failures)
            return summary
        log_event(_log, "sync.started", force=force, failures_before=state.failures)
        client = self.client(settings)
        attempt = 0
        started = time.perf_counter()
        while True:
            try:
                self._push_all(client, summary, cancel, progress)
                self._upload_evidence(client, summary, cancel)  # after the documents naming it
                self._pull_all(client, summary, cancel, progress)
                removed = self._finish(summary)
            except Cancelled:
                summary.cancelled = True
                return summary
            except Revoked as revoked:
                if self._withdrawn(client, settings, revoked, summary):
                    return summary
                unproved = Refused(
                    "The central store's answer said this laptop was withdrawn, but it did not "
                    "prove it for this laptop: nothing was deleted. Tell your IT service.",
                    p.REVOKED_STATUS,
                )
                self._failed(unproved, summary, state.failures)
                return summary
            except SyncError as error:
                attempt += 1
                if error.transient and attempt <= self.run_retries and not cancel():
                    log_event(
                        _log,
                        "sync.retrying",
                        level=logging.WARNING,
                        error=error,
                        kind=error.kind,
                        attempt=attempt,
                    )
                    self.sleep(backoff(attempt, *RUN_BACKOFF))
                    continue
                self._failed(error, summary, state.failures)
                log_event(
                    _log,
                    "sync.failed",
                    level=logging.WARNING,
                    error=error,
                    kind=error.kind,
                    attempts=attempt,
                    failures=state.failures + 1,
                    sent=self._ops_out,
                    acknowledged=summary.sent,
                    refused=summary.refused,
                    pulled=summary.received,
                    duration_ms=since_ms(started),
                )
                return summary
            if removed and not checkpoint_log(self.store):  # last: the log keeps none of it
                log_event(_log, "sync.checkpoint_busy", level=logging.WARNING)
            return summary

    def _push_all(
        self,
        client: SyncClient,
        summary: SyncSummary,
        cancel: Callable[[], bool],
        progress: Callable[[SyncProgress], None],
    ) -> None:
        """Batches go out one after another on one connection, with the next one always queued
        behind the one the server works on; meanwhile the answers to the batch before are
        committed here, in the same transaction as the batch after next is frozen (one commit a
        batch; two cores, half the wall time)."""
        self._created = set()  # this attempt's only: a pull may follow no other push
        self._short_pages_left = SHORT_PULL_PAGES
        with self.store.read() as conn:
            total, _ = count_waiting(conn)
            if total == 0 and not any_inflight(conn):
                return  # nothing to send: no write transaction for nothing
        self._size = self.batch_size  # halved for this run if the server finds a batch too big
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:
            flights: deque[_Flight] = deque()

            def send(batch: list[InflightOp]) -> None:
                if batch:
                    texts = [op.encoded() for op in batch]
                    flights.append((batch, sender.submit(client.push_sent, texts)))

            def choose() -> list[InflightOp]:
                return next_batch(
                    self.store, size=self._size, now=self.clock(), skip=_flying(flights)
                )

            choosing = True
            for first in (True, False):  # one for the server to work on, one queued behind it
                if not first and cancel():
                    break
                batch = choose()
                choosing = bool(batch)
                send(batch)
                if not choosing:
                    break
                if first:
                    progress(SyncProgress("sending", 0, total))
            while flights:
                stop = cancel()  # then only the answers to what is on its way are taken
                flight = flights.popleft()
                try:
                    chosen = self._collect(
                        client, flight, summary, choose_next=choosing and not stop, flying=flights
                    )
                except SyncError:
                    with contextlib.suppress(SyncError):
                        self._collect_all(client, flights, summary)
                    raise
                if stop:
                    self._collect_all(client, flights, summary)
                    raise Cancelled
                if choosing:
                    if chosen is None:  # a 413: its ops wait, frozen, for a smaller batch
                        chosen = choose()
                    choosing = bool(chosen)
                    send(chosen)
                progress(SyncProgress("sending", summary.sent, max(0, total - summary.sent)))

    def _collect_all(
        self, client: SyncClient, flights: deque[_Flight], summary: SyncSummary
    ) -> None:
        while flights:
            self._collect(client, flights.popleft(), summary, choose_next=False, flying=flights)

    def _upload_evidence(
        self, client: SyncClient, summary: SyncSummary, cancel: Callable[[], bool]
    ) -> None:
        from asb_desktop.sync.evidence_upload import upload_waiting  # hashlib and chunks only

        tally = upload_waiting(self.store, client, now=self.clock, cancel=cancel)
        summary.evidence_sent += tally.uploaded
        summary.evidence_refused += tally.refused
        if tally.cancelled:
            raise Cancelled

    def _collect(
        self,
        client: SyncClient,
        flight: _Flight,
        summary: SyncSummary,
        *,
        choose_next: bool,
        flying: deque[_Flight],
    ) -> list[InflightOp] | None:
        """Wait for one batch's answer and commit it; with `choose_next`, the next batch (none
        of the cases `flying`) is chosen and frozen in the same transaction and returned, to be
        sent once it is committed. None: no batch was chosen (the answer was a 413). The answer
        is read here, not on the sender's thread, which meanwhile sends the batch queued
        behind it: the central store is not kept waiting while an answer is parsed."""
        batch, future = flight
        try:
            response = client.read_push(future.result())
        except Refused as error:
            if error.status != 413:
                raise
            self._too_large(batch)
            return None
        except SyncError as error:
            if error.transient:
                self._note_unanswered(batch, str(error))
            raise
        self._ops_out += len(batch)
        chosen: list[InflightOp] | None = None
        with self.store.write() as conn:
            now = self.clock()
            tally = record_in(conn, batch, response.results, actor=self.actor(), now=now)
            if tally.sent + tally.refused and choose_next:
                chosen = choose_batch(conn, size=self._size, now=now, skip=_flying(flying))
        self._created.update(tally.created)
        summary.sent += tally.sent
        summary.references += tally.references
        summary.refused += tally.refused
        summary.conflicts += tally.conflicts
        if tally.sent + tally.refused == 0:
            raise SyncError("The central store answered none of the changes sent.")
        return chosen

    def _pull_all(
        self,
        client: SyncClient,
        summary: SyncSummary,
        cancel: Callable[[], bool],
        progress: Callable[[SyncProgress], None],
    ) -> None:
        while True:
            if cancel():
                raise Cancelled
            with self.store.read() as conn:
                checkpoint = load_state(conn).checkpoint
            response = client.changes(*self._past_created(checkpoint))
            if (
                response.cases
                or response.directory is not None
                or response.gone
                or response.checkpoint != checkpoint
            ):
                tally = apply_changes(self.store, response, actor=self.actor(), now=self.clock())
                summary.received += tally.received
                summary.problems += tally.problems
                if tally.directory:
                    summary.directory = True
                    if self.on_directory is not None:
                        self.on_directory()
            progress(SyncProgress("receiving", summary.received, 0))
            if not response.more:
                return

    def _past_created(self, checkpoint: int) -> tuple[int, int]:
        """The `since` and `limit` of the next pull. The changes numbered just after the
        checkpoint that are cases this attempt's push created centrally are skipped: each is
        held here as the central store holds it, from the push's answer (`created_centrally`),
        and a pull would only bring it back. The limit stops the page before the next such
        change. Every number skipped was given to this attempt's push, after any answer this
        laptop was served before it, so no answer that named a case gone is skipped unstored;
        the last page is always asked for (what is gone, the directory, the checkpoint)."""
        since = checkpoint
        while since + 1 in self._created:
            since += 1
        ahead = [n for n in self._created if n > since]
        if not ahead:
            return since, self.pull_limit
        gap = min(ahead) - since - 1  # >= 1: the run just after the checkpoint was skipped
        if gap >= self.pull_limit:
            return since, self.pull_limit
        if self._short_pages_left == 0:
            # Colleagues' changes interleaved all through the push: full pages, as before this
            # skip, rather than one request per colleague's change. The own cases such a page
            # brings back are already held at that revision and change nothing here.
            return since, self.pull_limit
        self._short_pages_left -= 1
        return since, gap

    def _finish(self, summary: SyncSummary) -> bool:
        """The end of a run that reached the central store: the cases that may not stay
        removed and the erasures said (True when any were), the run's state saved as a success,
        and where sync stands read for the summary in that same transaction. With nothing to
        remove or say (most runs) this is one transaction."""
        now = self.clock()
        days = self.closed_days()
        summary.closed_days = days
        with self.store.write() as conn:
            if not (
                waiting_removals(conn)
                or closed_before(conn, closed_cutoff(now, days))
                or waiting_notices(conn)
            ):
                self._save_success(conn, now)
                summary.status = self._status_in(conn)
                return False
        removed = self._remove_what_may_not_stay(summary)
        removed = self._say_erasures(summary) or removed
        self._succeeded()
        return removed

    def _remove_what_may_not_stay(self, summary: SyncSummary) -> bool:
        """Remove, in one transaction, the cases the central store said this laptop may no longer
        hold and the closed cases past the organisation's period (True when any went: the run
        then ends with a checkpoint of the log, so their bytes are gone from cases.db and
        cases.db-wal). A case with changes not taken (waiting or refused) stays, listed on the
        Sync page, and is named in the summary."""
        now = self.clock()
        days = self.closed_days()
        summary.closed_days = days
        with self.store.read() as conn:  # most runs have nothing to remove: no write for it
            if not waiting_removals(conn) and not closed_before(conn, closed_cutoff(now, days)):
                return False
        with self.store.write() as conn:
            named = waiting_removals(conn)
            due = dict.fromkeys(closed_before(conn, closed_cutoff(now, days)), CLOSED)
            due.update(named)
            unsent = with_unsent(conn, due)
            removed = remove_cases(
                conn,
                AuditWriter(conn, actor=self.actor()),
                {k: v for k, v in due.items() if k not in unsent},
                now=now,
            )
            kept = {k: v for k, v in named.items() if k in unsent}
            if kept != named:
                save_removals(conn, kept)
        for case_id in removed:
            reason = due[case_id]
            summary.removed[reason] = summary.removed.get(reason, 0) + 1
        for reason in kept.values():
            summary.kept[reason] = summary.kept.get(reason, 0) + 1
        if removed:
            log_event(_log, "sync.removed", cases=len(removed), kept=len(kept))
        return bool(removed)

    def _say_erasures(self, summary: SyncSummary) -> bool:
        """People the administrator erased from cases here: the sentences kept when their
        copies were scrubbed (store/erasure.py) go into the summary; True when any were (the
        run then ends with a checkpoint of the log, as for a removal)."""
        with self.store.read() as conn:
            if not waiting_notices(conn):
                return False
        with self.store.write() as conn:
            summary.erased += take_notices(conn)
        return bool(summary.erased)

    def _too_large(self, batch: list[InflightOp]) -> None:
        """413: send the same frozen ops in smaller batches; a single case too big is refused."""
        if len(batch) > 1:
            self._size = max(1, min(self._size, len(batch) // 2))
            log_event(
                _log,
                "sync.batch_too_large",
                level=logging.WARNING,
                changes=len(batch),
                next_size=self._size,
            )
            return
        [op] = batch
        log_event(_log, "sync.case_too_large", level=logging.WARNING, case_id=op.case_id)
        reason = "This case is too large to send (over 4 MiB): shorten its longest texts."
        with self.store.write() as conn:
            settle_ops(conn, [(op.case_id, op.outbox_seq, FAILED, reason)])
            thaw(conn, [op.op_id])

    def _note_unanswered(self, batch: list[InflightOp], error: str) -> None:
        seqs = [op.outbox_seq for op in batch]
        with self.store.write() as conn:
            note_op_attempt(conn, seqs, error, self.clock())

    def _failed(self, error: SyncError, summary: SyncSummary, failures: int) -> None:
        summary.error, summary.error_kind = str(error), error.kind
        now = self.clock()
        wait = None
        if error.transient:
            wait = now + timedelta(seconds=backoff(failures + 1, *AUTO_BACKOFF))
        with self.store.write() as conn:
            save_state(
                conn,
                last_attempt_at=now,
                last_error=str(error),
                error_kind=error.kind,
                failures=failures + 1,
                next_attempt_at=wait,
            )

    def _succeeded(self) -> None:
        with self.store.write() as conn:
            self._save_success(conn, self.clock())

    @staticmethod
    def _save_success(conn: Connection, now: datetime) -> None:
        save_state(
            conn,
            last_attempt_at=now,
            last_success_at=now,
            last_error=None,
            error_kind=None,
            failures=0,
            next_attempt_at=None,
        )

    def _withdrawn(
        self, client: SyncClient, settings: ServerSettings, revoked: Revoked, summary: SyncSummary
    ) -> bool:
        """The central store revoked this laptop: believed only when its answer is proved for
        this laptop's own token and device id (a 401, or a forged 410, deletes nothing). Then
        the central store is told how many changes go unsent; the caller says so to the
        officer and deletes the local store (`withdrawal.delete_local_store`)."""
        token = self.vault.load()
        revocation = revoked.revocation
        if token is None or not p.revocation_proved(revocation, token, settings.device_id):
            log_event(_log, "sync.revocation_unproved", level=logging.WARNING)
            return False
        with self.store.read() as conn:
            unsent = conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.state.in_(UNSENT))
            ).scalar_one()
        summary.withdrawn, summary.unsent = revocation.mode, int(unsent)
        with contextlib.suppress(SyncError):  # the 410 itself was noted centrally
            client.leaving(summary.unsent)
        log_event(
            _log,
            "sync.withdrawn",
            level=logging.WARNING,
            mode=revocation.mode,
            acknowledged=summary.sent,
            unsent=summary.unsent,
        )
        return True
