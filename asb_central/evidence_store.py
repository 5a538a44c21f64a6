"""Evidence bytes in the central database (tables.py says why there and not in files).

A laptop offers a file (its SHA-256, size and each chunk's SHA-256 in order), sends the chunks
the store lacks, and asks for it to be completed: every chunk is checked against its own hash as
it comes, and the whole file against its hash before it is marked complete. The same chunk is
stored once. Access follows the case: whoever may not see the case may neither send nor fetch
its attachments' bytes (`access.may_see`), and each refusal and fetch is in the read log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, NoReturn

from sqlalchemy import Connection, delete, func, select, update

from asb_central.access import Caller, may_see
from asb_central.db import Database, utcnow
from asb_central.records import Refused, case_facts, log_reads
from asb_central.tables import (
    case_evidence,
    cases,
    evidence_chunks,
    evidence_file_chunks,
    evidence_files,
)
from asb_desktop.domain.attachment import size_words
from asb_desktop.domain.json_input import loads
from asb_desktop.sync import protocol as p

READ_VIA = "evidence"  # case_reads.via of a fetch (or a refused send) of an attachment's bytes


class _NotYours(Exception):
    """The caller may not see the case: logged, then refused (`_refuse_not_yours`)."""


def _entry(conn: Connection, caller: Caller, case_id: str, attachment_id: str) -> dict[str, Any]:
    """The case's attachments[] entry, once the caller is known to see the case."""
    row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
    if row is None:
        raise Refused(404, "no case has this id (send the case before its attachments)")
    if not may_see(caller, case_facts(row)):
        raise _NotYours
    document = loads(row["document"], "document")
    for entry in document.get("attachments") or []:
        if isinstance(entry, dict) and entry.get("id") == attachment_id:
            return dict(entry)
    raise Refused(
        409,
        f"case {row['reference']} has no attachment {attachment_id} yet: the case's change "
        "naming it must reach the central store first",
    )


def _refuse_not_yours(db: Database, caller: Caller, case_id: str) -> NoReturn:
    """Logged in the read log as a refused read of the case is, in a transaction of its own."""
    with db.write() as conn:
        log_reads(conn, caller, [case_id], READ_VIA, refused=True)
    raise Refused(403, "you may not see this case, so neither its attachments")


def _attachment(db: Database, caller: Caller, case_id: str, attachment_id: str) -> dict[str, Any]:
    try:
        with db.read() as conn:
            return _entry(conn, caller, case_id, attachment_id)
    except _NotYours:
        _refuse_not_yours(db, caller, case_id)


def _state(conn: Connection, sha256: str) -> p.EvidenceState | None:
    file = conn.execute(select(evidence_files).where(evidence_files.c.sha256 == sha256)).first()
    if file is None:
        return None
    rows = conn.execute(
        select(evidence_file_chunks.c.seq, evidence_file_chunks.c.chunk_sha256,
               evidence_chunks.c.sha256.label("held"))
        .select_from(evidence_file_chunks.outerjoin(
            evidence_chunks, evidence_chunks.c.sha256 == evidence_file_chunks.c.chunk_sha256))
        .where(evidence_file_chunks.c.file_sha256 == sha256)
        .order_by(evidence_file_chunks.c.seq)
    ).all()  # fmt: skip
    return p.EvidenceState(
        sha256=sha256,
        size=file.size,
        chunks=[r.chunk_sha256 for r in rows],
        missing=[r.seq for r in rows if r.held is None],
        complete=file.complete_at is not None,
    )


def offer(
    db: Database, caller: Caller, case_id: str, attachment_id: str, body: p.EvidenceOffer
) -> p.EvidenceState:
    """Keep the file's chunk list (once) and say which chunks are still missing. The case is
    looked for first: no case, or not the caller's, says nothing about the offer."""
    entry = _attachment(db, caller, case_id, attachment_id)
    if body.size > p.MAX_EVIDENCE_BYTES:
        raise Refused(
            413,
            f"the attachment is {size_words(body.size)}; the central store takes at most "
            f"{size_words(p.MAX_EVIDENCE_BYTES)} for one attachment",
        )
    if len(body.chunks) != p.evidence_chunk_count(body.size):
        raise Refused(
            422,
            f"a file of {body.size} bytes is {p.evidence_chunk_count(body.size)} chunks of at "
            f"most {p.EVIDENCE_CHUNK_BYTES} bytes, not {len(body.chunks)}",
        )
    with db.write() as conn:
        if entry.get("sha256") != body.sha256 or entry.get("size") != body.size:
            raise Refused(
                422,
                "the offered bytes are not the ones the case's attachment names (its size and "
                "SHA-256 differ)",
            )
        found = _state(conn, body.sha256)
        if found is not None and found.chunks != body.chunks:
            if found.complete:  # the kept list was proved by the whole file's hash
                raise Refused(422, "these chunk hashes do not make up this file")
            _forget_file(conn, body.sha256)  # an unproved list: the newer offer replaces it
            found = None
        if found is None:
            conn.execute(
                db.insert(evidence_files).values(
                    sha256=body.sha256,
                    size=body.size,
                    chunk_count=len(body.chunks),
                    offered_at=utcnow(),
                )
            )
            if body.chunks:
                conn.execute(
                    db.insert(evidence_file_chunks),
                    [
                        {"file_sha256": body.sha256, "seq": i, "chunk_sha256": h}
                        for i, h in enumerate(body.chunks)
                    ],
                )
        conn.execute(
            db.insert(case_evidence)
            .values(case_id=case_id, attachment_id=attachment_id, sha256=body.sha256)
            .on_conflict_do_nothing()
        )
        state = _state(conn, body.sha256)
    assert state is not None
    return state


def _file_chunk(conn: Connection, sha256: str, seq: int) -> str:
    chunk = conn.execute(
        select(evidence_file_chunks.c.chunk_sha256).where(
            evidence_file_chunks.c.file_sha256 == sha256, evidence_file_chunks.c.seq == seq
        )
    ).scalar_one_or_none()
    if chunk is None:
        raise Refused(404, f"the attachment has no chunk {seq}: offer it first")
    return str(chunk)


def _expected_size(size: int, seq: int) -> int:
    return min(p.EVIDENCE_CHUNK_BYTES, size - seq * p.EVIDENCE_CHUNK_BYTES)


def put_chunk(
    db: Database, caller: Caller, case_id: str, attachment_id: str, seq: int, data: bytes
) -> None:
    """Keep one chunk, after checking it against its hash in the offer (422 if it does not
    match: nothing kept). A chunk already held is not stored again. One transaction."""
    digest = hashlib.sha256(data).hexdigest()  # before the transaction: the slow part
    try:
        with db.write() as conn:
            sha256 = str(_entry(conn, caller, case_id, attachment_id)["sha256"])
            expected = _file_chunk(conn, sha256, seq)
            size = conn.execute(
                select(evidence_files.c.size).where(evidence_files.c.sha256 == sha256)
            ).scalar_one()
            if digest != expected or len(data) != _expected_size(int(size), seq):
                raise Refused(
                    422,
                    f"chunk {seq} does not match its SHA-256 (it was changed or cut on the way): "
                    "nothing was kept; send it again",
                )
            conn.execute(
                db.insert(evidence_chunks)
                .values(sha256=digest, size=len(data), data=data)
                .on_conflict_do_nothing()
            )
    except _NotYours:
        _refuse_not_yours(db, caller, case_id)


def _chunks_in_order(conn: Connection, sha256: str) -> Iterator[bytes]:
    seqs = conn.execute(
        select(evidence_file_chunks.c.chunk_sha256)
        .where(evidence_file_chunks.c.file_sha256 == sha256)
        .order_by(evidence_file_chunks.c.seq)
    ).scalars()
    for chunk in list(seqs):
        yield conn.execute(
            select(evidence_chunks.c.data).where(evidence_chunks.c.sha256 == chunk)
        ).scalar_one()


def complete(db: Database, caller: Caller, case_id: str, attachment_id: str) -> p.EvidenceState:
    """Check the whole file against its hash, from the chunks kept, and mark it complete."""
    entry = _attachment(db, caller, case_id, attachment_id)
    sha256 = str(entry["sha256"])
    with db.read() as conn:
        state = _state(conn, sha256)
        if state is None:
            raise Refused(409, "nothing of this attachment has been offered yet")
        if state.complete:
            return state
        if state.missing:
            raise Refused(
                409, f"{len(state.missing)} of the attachment's chunks have not arrived yet"
            )
        digest = hashlib.sha256()
        for data in _chunks_in_order(conn, sha256):
            digest.update(data)
    if digest.hexdigest() != sha256:
        with db.write() as conn:
            _forget_file(conn, sha256)  # kept out of the refusal's rollback
        raise Refused(422, "the chunks kept do not make up the file's SHA-256: offer it again")
    with db.write() as conn:
        conn.execute(
            update(evidence_files)
            .where(evidence_files.c.sha256 == sha256, evidence_files.c.complete_at.is_(None))
            .values(complete_at=utcnow())
        )
    return state.model_copy(update={"complete": True})


def fetch_state(db: Database, caller: Caller, case_id: str, attachment_id: str) -> p.EvidenceState:
    """The chunk list of a complete attachment, for a laptop to fetch; logged as a read."""
    entry = _attachment(db, caller, case_id, attachment_id)
    with db.write() as conn:
        state = _state(conn, str(entry["sha256"]))
        if state is None or not state.complete:
            raise Refused(
                409,
                "the central store does not have this attachment's bytes yet: the laptop that "
                "attached it has not finished sending them",
            )
        log_reads(conn, caller, [case_id], READ_VIA)
    return state


def fetch_chunk(db: Database, caller: Caller, case_id: str, attachment_id: str, seq: int) -> bytes:
    entry = _attachment(db, caller, case_id, attachment_id)
    with db.read() as conn:
        chunk = _file_chunk(conn, str(entry["sha256"]), seq)
        data = conn.execute(
            select(evidence_chunks.c.data).where(evidence_chunks.c.sha256 == chunk)
        ).scalar_one_or_none()
    if data is None:
        raise Refused(409, f"chunk {seq} of this attachment has not arrived yet")
    return bytes(data)


# --- retention and purge ------------------------------------------------------------------------


def _forget_file(conn: Connection, sha256: str) -> None:
    """A file's chunk list, and its chunks no other file holds."""
    held = set(
        conn.execute(
            select(evidence_file_chunks.c.chunk_sha256).where(
                evidence_file_chunks.c.file_sha256 == sha256
            )
        ).scalars()
    )
    conn.execute(delete(evidence_file_chunks).where(evidence_file_chunks.c.file_sha256 == sha256))
    conn.execute(delete(evidence_files).where(evidence_files.c.sha256 == sha256))
    if held:
        still = set(
            conn.execute(
                select(evidence_file_chunks.c.chunk_sha256).where(
                    evidence_file_chunks.c.chunk_sha256.in_(held)
                )
            ).scalars()
        )
        gone = sorted(held - still)
        for start in range(0, len(gone), 500):
            conn.execute(
                delete(evidence_chunks).where(
                    evidence_chunks.c.sha256.in_(gone[start : start + 500])
                )
            )


def remove_for_case(conn: Connection, case_id: str) -> int:
    """In the caller's transaction (the case's own destruction): the case's attachments, and the
    bytes of the files no other case names. Returns how many files' bytes went."""
    hashes = set(
        conn.execute(select(case_evidence.c.sha256).where(case_evidence.c.case_id == case_id))
        .scalars()
        .all()
    )
    conn.execute(delete(case_evidence).where(case_evidence.c.case_id == case_id))
    gone = 0
    for sha256 in sorted(hashes):
        others = conn.execute(
            select(func.count()).select_from(case_evidence).where(case_evidence.c.sha256 == sha256)
        ).scalar_one()
        if not others:
            _forget_file(conn, sha256)
            gone += 1
    return gone


EVIDENCE_TABLES = (evidence_chunks, evidence_files, evidence_file_chunks, case_evidence)
