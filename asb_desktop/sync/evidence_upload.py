"""Evidence bytes up to the central store, after the case's document (issue 15, item 4).

Run by each sync after its push (sync_run.py): every attachment kept here whose case's document
the central store has taken, and whose bytes it does not have yet (store/evidence_uploads.py).
For each, the central store is offered the file (its hash, size, and each 1 MiB chunk's hash)
and answers which chunks it lacks: only those are sent. A dropped connection is not a new start:
the offer is asked again and the upload goes on from what the central store holds, as long as
each try gets further; the central store checks every chunk's hash, and the whole file's, before
it marks the attachment complete. A chunk refused by its hash (changed on the way) is sent again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from asb_desktop.store import attachments as attachment_store
from asb_desktop.store import evidence_uploads as queue
from asb_desktop.store.database import Store
from asb_desktop.support.logs import log_event
from asb_desktop.sync import evidence_calls as calls
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import Refused, SyncClient, SyncError

_log = logging.getLogger(__name__)
MAX_RESUMES = 1000  # each one only after progress, so this is a guard, not a budget
CHUNK_TRIES = 3  # sends of one chunk refused by its hash before the upload waits for next time
NOT_YET = 409  # the central store does not have the case's change naming it yet


@dataclass
class UploadTally:
    uploaded: int = 0  # attachments the central store now holds whole
    bytes_sent: int = 0
    refused: int = 0
    cancelled: bool = False


def upload_waiting(
    store: Store, client: SyncClient, *, now: Callable[[], datetime],
    cancel: Callable[[], bool] = lambda: False,
) -> UploadTally:  # fmt: skip
    tally = UploadTally()
    with store.read() as conn:
        ready = queue.ready_to_send(conn)
    for item in ready:
        if cancel():
            tally.cancelled = True
            break
        _upload(store, client, item, tally, now, cancel)
        if tally.cancelled:
            break
    return tally


def _chunk_hashes(store: Store, item: queue.Waiting) -> list[str]:
    with store.read() as conn:
        noted = attachment_store.chunk_hashes(conn, item.sha256)
        if noted is not None:
            return noted
        chunks = attachment_store.read_chunks(conn, item.sha256)  # kept before they were noted
        return [hashlib.sha256(c).hexdigest() for c in chunks]


def _upload(
    store: Store, client: SyncClient, item: queue.Waiting, tally: UploadTally,
    now: Callable[[], datetime], cancel: Callable[[], bool],
) -> None:  # fmt: skip
    offer = p.EvidenceOffer(sha256=item.sha256, size=item.size, chunks=_chunk_hashes(store, item))
    resumes = 0
    while True:
        sent_before = tally.bytes_sent
        try:
            state = calls.offer(client, item.case_id, item.attachment_id, offer)
            if not state.complete:
                if not _send_missing(store, client, item, state.missing, tally, cancel):
                    tally.cancelled = True  # the rest goes next time, from where it stands
                    return
                state = calls.complete(client, item.case_id, item.attachment_id)
        except Refused as refusal:
            _refused(store, item, refusal, tally, now)
            return
        except SyncError as error:
            if error.transient and tally.bytes_sent > sent_before and resumes < MAX_RESUMES:
                resumes += 1  # it got further: ask again what is missing, and go on from there
                log_event(_log, "sync.evidence_resumed", level=logging.INFO,
                          attachment_id=item.attachment_id, resumes=resumes)  # fmt: skip
                continue
            raise
        with store.write() as conn:
            queue.mark(conn, item.attachment_id, queue.SENT, now())
        tally.uploaded += 1
        log_event(_log, "sync.evidence_sent", case_id=item.case_id,
                  attachment_id=item.attachment_id, size=item.size, resumes=resumes)  # fmt: skip
        return


def _read(store: Store, sha256: str, seq: int) -> bytes | None:
    with store.read() as conn:
        return attachment_store.read_chunk(conn, sha256, seq)


def _send_missing(store: Store, client: SyncClient, item: queue.Waiting, missing: list[int],
                  tally: UploadTally, cancel: Callable[[], bool]) -> bool:  # fmt: skip
    """One chunk on the wire at a time (a cut loses at most the one in flight), the next one
    read from the encrypted store meanwhile. False when cancelled between two chunks."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-read") as reader:
        upcoming = reader.submit(_read, store, item.sha256, missing[0]) if missing else None
        for place, seq in enumerate(missing):
            assert upcoming is not None
            data = upcoming.result()
            if place + 1 < len(missing):
                upcoming = reader.submit(_read, store, item.sha256, missing[place + 1])
            if cancel():
                return False
            _send(client, item, seq, data, tally)
    return True


def _send(client: SyncClient, item: queue.Waiting, seq: int, data: bytes | None,
          tally: UploadTally) -> None:  # fmt: skip
    if data is None:
        raise Refused(f"chunk {seq} of attachment {item.attachment_id} is not on this laptop", 0)
    for attempt in range(1, CHUNK_TRIES + 1):
        try:
            calls.send_chunk(client, item.case_id, item.attachment_id, seq, data)
        except Refused as refusal:
            if refusal.status != 422 or attempt == CHUNK_TRIES:
                raise
            log_event(_log, "sync.evidence_chunk_refused", level=logging.WARNING,
                      attachment_id=item.attachment_id, seq=seq, attempt=attempt)  # fmt: skip
            continue
        tally.bytes_sent += len(data)
        return


def _refused(store: Store, item: queue.Waiting, refusal: Refused, tally: UploadTally,
             now: Callable[[], datetime]) -> None:  # fmt: skip
    """409 (its case's change not there yet) and a chunk refused again and again wait for the
    next sync; any other refusal (too large, not allowed) is kept, in words, and not retried."""
    again = refusal.status in (NOT_YET, 422)
    with store.write() as conn:
        queue.mark(conn, item.attachment_id, queue.WAITING if again else queue.REFUSED, now(),
                   str(refusal))  # fmt: skip
    if not again:
        tally.refused += 1
    log_event(_log, "sync.evidence_refused", level=logging.WARNING, case_id=item.case_id,
              attachment_id=item.attachment_id, status=refusal.status, retry=again)  # fmt: skip
