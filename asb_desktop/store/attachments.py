"""Evidence bytes in the encrypted store: content-addressed chunks (`attachment_chunks`) and which
case holds which (`attachments`). The same bytes are kept once, however often attached.

Every function runs in the caller's transaction: an attachment is stored with its case's change
(services/attachments.py), so a failure part-way keeps neither.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from asb_desktop.store.db_time import to_db
from asb_desktop.store.tables import (
    attachment_chunk_hashes,
    attachment_chunks,
    attachments,
    evidence_uploads,
)

CHUNK_BYTES = 1024 * 1024


class BytesChanged(ValueError):
    """What was read while storing did not hash to what was checked before."""


def has_bytes(conn: Connection, sha256: str) -> bool:
    """Whether the bytes are kept whole: an attachment names them (linked in the transaction
    that stored them). Chunks no attachment names are a download not finished yet."""
    found = conn.execute(
        select(attachments.c.id).where(attachments.c.sha256 == sha256).limit(1)
    ).first()
    return found is not None


def put_bytes(conn: Connection, sha256: str, chunks: Iterable[bytes]) -> None:
    """Store `chunks` (each at most CHUNK_BYTES) under `sha256` unless already kept; raises
    BytesChanged (the caller's transaction then keeps nothing) if they hash otherwise."""
    if has_bytes(conn, sha256):
        return
    drop_unlinked(conn, sha256)  # what a download left unfinished: replaced by these
    digest = hashlib.sha256()
    for seq, chunk in enumerate(chunks):
        digest.update(chunk)
        conn.execute(insert(attachment_chunks).values(sha256=sha256, seq=seq, data=chunk))
        _note_hash(conn, sha256, seq, chunk)
    if digest.hexdigest() != sha256:
        raise BytesChanged("the file changed while it was being stored")


def _note_hash(conn: Connection, sha256: str, seq: int, chunk: bytes) -> None:
    conn.execute(
        insert(attachment_chunk_hashes).values(
            sha256=sha256, seq=seq, chunk_sha256=hashlib.sha256(chunk).hexdigest()
        )
    )


def chunk_hashes(conn: Connection, sha256: str) -> list[str] | None:
    """Each chunk's SHA-256 in order, without reading the chunks; None when not noted (bytes
    kept before 0012): the caller hashes the chunks instead."""
    found = (
        conn.execute(
            select(attachment_chunk_hashes.c.chunk_sha256)
            .where(attachment_chunk_hashes.c.sha256 == sha256)
            .order_by(attachment_chunk_hashes.c.seq)
        )
        .scalars()
        .all()
    )
    count = conn.execute(
        select(func.count())
        .select_from(attachment_chunks)
        .where(attachment_chunks.c.sha256 == sha256)
    ).scalar_one()
    return list(found) if found and len(found) == count else None


def _forget_bytes(conn: Connection, hashes: list[str]) -> None:
    for start in range(0, len(hashes), 500):
        some = hashes[start : start + 500]
        conn.execute(delete(attachment_chunks).where(attachment_chunks.c.sha256.in_(some)))
        conn.execute(
            delete(attachment_chunk_hashes).where(attachment_chunk_hashes.c.sha256.in_(some))
        )


def link(
    conn: Connection, *, attachment_id: str, case_id: str, sha256: str, size: int, at: datetime
) -> None:
    conn.execute(
        insert(attachments).values(
            id=attachment_id, case_id=case_id, sha256=sha256, size=size, added_at=to_db(at)
        )
    )


def stored_hash(conn: Connection, case_id: str, attachment_id: str) -> str | None:
    """The hash of the bytes this laptop keeps for the attachment, or None (not here)."""
    return conn.execute(
        select(attachments.c.sha256).where(
            attachments.c.case_id == case_id, attachments.c.id == attachment_id
        )
    ).scalar_one_or_none()


def read_chunks(conn: Connection, sha256: str) -> Iterator[bytes]:
    """The bytes in order, one chunk at a time."""
    seqs = conn.execute(
        select(attachment_chunks.c.seq)
        .where(attachment_chunks.c.sha256 == sha256)
        .order_by(attachment_chunks.c.seq)
    ).scalars()
    for seq in list(seqs):
        yield conn.execute(
            select(attachment_chunks.c.data).where(
                attachment_chunks.c.sha256 == sha256, attachment_chunks.c.seq == seq
            )
        ).scalar_one()


def remove_for_cases(conn: Connection, case_ids: list[str]) -> int:
    """Forget the cases' attachments, and the bytes no other case holds; returns how many
    distinct files' bytes were removed."""
    hashes = set(
        conn.execute(select(attachments.c.sha256).where(attachments.c.case_id.in_(case_ids)))
        .scalars()
        .all()
    )
    ids = list(conn.execute(select(attachments.c.id).where(attachments.c.case_id.in_(case_ids)))
               .scalars())  # fmt: skip
    conn.execute(delete(evidence_uploads).where(evidence_uploads.c.attachment_id.in_(ids)))
    conn.execute(delete(attachments).where(attachments.c.case_id.in_(case_ids)))
    still_used = set(
        conn.execute(select(attachments.c.sha256).where(attachments.c.sha256.in_(hashes)))
        .scalars()
        .all()
    )
    gone = hashes - still_used
    _forget_bytes(conn, sorted(gone))
    return len(gone)


def chunk_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(attachment_chunks)).scalar_one())


def read_chunk(conn: Connection, sha256: str, seq: int) -> bytes | None:
    data = conn.execute(
        select(attachment_chunks.c.data).where(
            attachment_chunks.c.sha256 == sha256, attachment_chunks.c.seq == seq
        )
    ).scalar_one_or_none()
    return None if data is None else bytes(data)


# --- fetched from the central store -------------------------------------------------------------
# A download writes its chunks in place, a few per transaction, so it resumes after a dropped
# connection from the chunks already here; they count as kept only once the whole file has been
# checked and linked to its attachment (`has_bytes`). Never copied or renamed: 50 MB is written
# once.


def chunk_seqs(conn: Connection, sha256: str) -> set[int]:
    return set(
        conn.execute(
            select(attachment_chunks.c.seq).where(attachment_chunks.c.sha256 == sha256)
        ).scalars()
    )


def put_chunks(conn: Connection, sha256: str, chunks: list[tuple[int, bytes]]) -> None:
    if chunks:
        conn.execute(
            insert(attachment_chunks),
            [{"sha256": sha256, "seq": seq, "data": data} for seq, data in chunks],
        )
        for seq, data in chunks:
            _note_hash(conn, sha256, seq, data)


def drop_unlinked(conn: Connection, sha256: str) -> None:
    """The chunks of bytes no attachment names (a download stopped part-way, or found wrong)."""
    if not has_bytes(conn, sha256):
        _forget_bytes(conn, [sha256])


def is_linked(conn: Connection, attachment_id: str) -> bool:
    found = conn.execute(select(attachments.c.id).where(attachments.c.id == attachment_id))
    return found.first() is not None
