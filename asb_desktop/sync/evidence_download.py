"""An attachment's bytes fetched from the central store on demand (issue 15, item 4): for a
laptop that has the case's document (a team leader's, say) but not the bytes.

Each chunk is checked against its SHA-256 as it comes and kept a few at a time
(store/attachments.py), so a dropped connection resumes from the chunks already here; once all
are in, the whole file is checked against the attachment's SHA-256 and only then linked to the
attachment, so counted as kept, audited (`attachment.fetched`: ids, hash and size, never the file's name).
Blocks while it fetches: the window runs it through an Operation, off the GUI thread.
"""

from __future__ import annotations

import hashlib
import logging

from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import Casework
from asb_desktop.store import attachments as attachment_store
from asb_desktop.store import evidence_uploads as queue
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.database import Store
from asb_desktop.support.logs import log_event
from asb_desktop.sync import evidence_calls as calls
from asb_desktop.sync.client import Refused, SyncClient

_log = logging.getLogger(__name__)
FETCHED = "attachment.fetched"
CHUNK_TRIES = 3
CHUNKS_PER_WRITE = 8  # 8 MiB a transaction: a dropped line loses at most that much

NOT_CONNECTED = (
    "The bytes of attachment {id} are not on this laptop, and it is not connected to a central "
    "store to fetch them from: connect it on the Sync page (or `asb-desktop enrol URL CODE`)."
)


def download_attachment(
    casework: Casework, client: SyncClient | None, case_ref: str, attachment_id: str
) -> int:
    """Fetch the attachment's bytes into this laptop's store; returns the bytes fetched (0 when
    they were here already). `client` None: not connected (a ProcedureError saying so).
    Failures: ProcedureError or the sync client's SyncError, each a sentence."""
    case = casework.case(case_ref)
    if case is None:
        raise ProcedureError(f"There is no case {case_ref} on this laptop.")
    shown = case.reference or case.id
    wanted = next((a for a in case.attachments if a.id == attachment_id), None)
    if wanted is None:
        raise ProcedureError(f"Case {shown} has no attachment {attachment_id}.")
    store = casework.store
    with store.read() as conn:
        if attachment_store.stored_hash(conn, case.id, wanted.id) == wanted.sha256:
            return 0
    if client is None:
        raise ProcedureError(NOT_CONNECTED.format(id=attachment_id))
    try:
        state = calls.state(client, case.id, wanted.id)
    except Refused as refusal:
        raise ProcedureError(
            f"The central store did not give attachment {attachment_id} of case {shown}: "
            f"{refusal}".rstrip(".")
            + "."
        ) from None
    if state.sha256 != wanted.sha256 or state.size != wanted.size:
        raise ProcedureError(
            f"The central store's copy of attachment {attachment_id} is not the one case "
            f"{shown} names (its SHA-256 or size differs): nothing was kept."
        )
    fetched, whole = _fetch(store, client, case.id, wanted.id, wanted.sha256, state.chunks)
    with store.write() as conn:
        if not whole:
            attachment_store.drop_unlinked(conn, wanted.sha256)
        else:
            if not attachment_store.is_linked(conn, wanted.id):
                attachment_store.link(conn, attachment_id=wanted.id, case_id=case.id,
                                      sha256=wanted.sha256, size=wanted.size,
                                      at=wanted.added_at)  # fmt: skip
            queue.mark(conn, wanted.id, queue.FETCHED, casework.clock())
            AuditWriter(conn, actor=casework.actor).append(
                at=casework.clock(), action=FETCHED, case_id=case.id,
                after={"attachment_id": wanted.id, "sha256": wanted.sha256, "size": wanted.size},
            )  # fmt: skip
    if not whole:
        raise ProcedureError(
            f"The bytes fetched for attachment {attachment_id} do not match its SHA-256: "
            "nothing was kept; try again."
        )
    log_event(_log, "sync.evidence_fetched", case_id=case.id, attachment_id=wanted.id,
              size=wanted.size, fetched=fetched)  # fmt: skip
    return fetched


def _fetch(store: Store, client: SyncClient, case_id: str, attachment_id: str, sha256: str,
           chunks: list[str]) -> tuple[int, bool]:  # fmt: skip
    """Fetch the chunks not here yet, hashing the whole file on the way (the chunks already
    here read back for it); returns (bytes fetched, whether the whole matched). What was
    fetched before a failure is kept for the next try."""
    with store.read() as conn:
        if attachment_store.has_bytes(conn, sha256):
            return 0, True  # another attachment's bytes, the same: kept once
        here = attachment_store.chunk_seqs(conn, sha256)
    digest = hashlib.sha256()
    fetched, batch = 0, list[tuple[int, bytes]]()

    def flush() -> None:
        if batch:
            with store.write() as conn:
                attachment_store.put_chunks(conn, sha256, batch)
            batch.clear()

    try:
        for seq, chunk_hash in enumerate(chunks):
            if seq in here:
                with store.read() as conn:
                    digest.update(attachment_store.read_chunk(conn, sha256, seq) or b"")
                continue
            data = _chunk(client, case_id, attachment_id, seq, chunk_hash)
            digest.update(data)
            batch.append((seq, data))
            fetched += len(data)
            if len(batch) == CHUNKS_PER_WRITE:
                flush()
    finally:
        flush()
    return fetched, digest.hexdigest() == sha256


def _chunk(client: SyncClient, case_id: str, attachment_id: str, seq: int, sha256: str) -> bytes:
    for _ in range(CHUNK_TRIES):
        data = calls.fetch_chunk(client, case_id, attachment_id, seq)
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
    raise ProcedureError(
        f"Chunk {seq} of attachment {attachment_id} came from the central store changed "
        f"{CHUNK_TRIES} times (its SHA-256 did not match): nothing of it was kept; try again."
    )
