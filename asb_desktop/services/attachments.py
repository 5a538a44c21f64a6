"""Evidence on a case: attach a file (its kind told by its content, a photo scrubbed unless told
not to), list what is attached, and read the bytes back.

Attaching is one transaction: the case's new `attachments[]` entry, the bytes (content-addressed
chunks, kept once however often attached), which case holds them, and the audit row
(`attachment.added`: who, when, the case id, the attachment id, its hash, size and kind; never the
file's name, which may say who or where) all commit together or not at all. The bytes go from the
file to the encrypted store a chunk at a time; a photo to scrub is read whole (it must be walked
to be scrubbed) and only its scrubbed bytes are kept: nothing is ever written outside the store.
"""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from asb_desktop.domain.attachment import PHOTO_TYPES, Attachment, kind_words, size_words
from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.evidence_media import BadPicture, NotEvidence, media_type, scrubbed_photo
from asb_desktop.services.casework import Casework
from asb_desktop.store import attachments as attachment_store
from asb_desktop.store.attachments import CHUNK_BYTES
from asb_desktop.store.audit import AuditWriter

ATTACHED = "case.attached"  # the case's change (its document gains the entry)
ADDED = "attachment.added"  # the bytes' own row: id, hash, size, kind


@dataclass(frozen=True)
class Listed:
    attachment: Attachment
    here: bool  # whether this laptop holds the bytes (an imported or pulled case may not)


def _refuse(sentence: str) -> ProcedureError:
    return ProcedureError(sentence)


def _case(casework: Casework, case_ref: str) -> Case:
    case = casework.case(case_ref)
    if case is None:
        raise _refuse(f"There is no case {case_ref} on this laptop.")
    return case


def attach(
    casework: Casework,
    case_ref: str,
    path: Path,
    *,
    incident_id: str | None = None,
    scrub: bool | None = None,
    scrub_if_photo: bool = False,
) -> Attachment:
    """Attach the file at `path`; ProcedureError in a sentence, and nothing stored, when it
    cannot be. `scrub` None follows the organisation's preset for photos; `scrub_if_photo`:
    see `prepare`."""
    case = _case(casework, case_ref)
    shown = case.reference or case.id
    if incident_id is not None and incident_id not in {i.id for i in case.incidents}:
        raise _refuse(f"Case {shown} has no incident {incident_id}; nothing was attached.")
    try:
        with path.open("rb") as file:
            ready = prepare(
                casework,
                file,
                path,
                incident_id=incident_id,
                scrub=scrub,
                scrub_if_photo=scrub_if_photo,
            )
            try:
                casework.update(
                    replace(case, attachments=(*case.attachments, ready.attachment)),
                    action=ATTACHED,
                    then=lambda conn, audit: store_ready(conn, audit, case.id, ready),
                )
            except attachment_store.BytesChanged:
                raise _refuse(
                    f"{path} changed while it was being attached; nothing was attached."
                ) from None
    except OSError as error:
        raise _refuse(unreadable_words(path, error)) from None
    return ready.attachment


@dataclass(frozen=True)
class Checked:
    """A file looked at before it is attached: what it is, in words, and how big."""

    path: Path
    media_type: str
    size: int

    @property
    def photo(self) -> bool:
        return self.media_type in PHOTO_TYPES


@dataclass(frozen=True)
class Ready:
    """A file checked, hashed (scrubbed first if a photo to scrub) and described: its bytes
    still to be read, a chunk at a time, in the transaction that stores them."""

    attachment: Attachment
    chunks: Iterator[bytes]


def unreadable_words(path: Path, error: OSError) -> str:
    if isinstance(error, IsADirectoryError):
        return f"{path} is a folder, not a file; nothing was attached."
    words = error.strerror or type(error).__name__
    return f"{path} could not be read ({words}); nothing was attached."


def check_file(casework: Casework, path: Path) -> Checked:
    """Whether the file at `path` may be attached (a kind kept, not too big), reading only its
    first bytes: ProcedureError in a sentence naming the file when not."""
    try:
        with path.open("rb") as file:
            return _checked(casework, file, path)
    except OSError as error:
        raise _refuse(unreadable_words(path, error)) from None


def _checked(casework: Casework, file: BinaryIO, path: Path) -> Checked:
    most = casework.policy().attachment_max_mb * 1_000_000
    size = _size(file, path)
    if size > most:
        raise _refuse(
            f"{path} is {size_words(size)}; the most one attachment may be is "
            f"{size_words(most)}: nothing was attached."
        )
    try:
        kind = media_type(file.read(16), path.name, file)
    except NotEvidence as refusal:
        raise _refuse(f"{path} cannot be attached: {refusal}.") from None
    file.seek(0)
    return Checked(path, kind, size)


def prepare(
    casework: Casework,
    file: BinaryIO,
    path: Path,
    *,
    incident_id: str | None,
    scrub: bool | None,
    scrub_if_photo: bool = False,
) -> Ready:
    """Check, scrub and hash the open `file` (read from `path`) for attaching; ProcedureError
    in a sentence when it cannot be. Nothing is stored: `store_ready` does, in a transaction.
    `scrub_if_photo`: asking to scrub what is not a photo is no refusal (the window asks it of
    every file the officer adds), only the command's --scrub is."""
    checked = _checked(casework, file, path)
    kind, size, photo = checked.media_type, checked.size, checked.photo
    if scrub and not photo and not scrub_if_photo:
        raise _refuse(
            f"--scrub removes location and camera details from photos only; {path} is a "
            f"{kind_words(kind)}: attach it without --scrub. Nothing was attached."
        )
    scrubbing = photo and (casework.policy().scrub_photos if scrub is None else scrub)
    if scrubbing:
        stored = _scrubbed(file.read(), kind, path)
        sha256, size = hashlib.sha256(stored).hexdigest(), len(stored)
        chunks: Iterator[bytes] = _slices(stored)
    else:
        sha256 = _hash(file)
        chunks = _read_chunks(file)
    attachment = Attachment(
        id=str(uuid.uuid4()),
        name=path.name,
        media_type=kind,
        size=size,
        sha256=sha256,
        added_at=casework.clock(),
        added_by=casework.actor,
        incident_id=incident_id,
        scrubbed=scrubbing,
    )
    return Ready(attachment, chunks)


def store_ready(conn: Any, audit: AuditWriter, case_id: str, ready: Ready) -> None:
    """In the case's transaction: the bytes (BytesChanged if they no longer hash as checked),
    which case holds them, and the audit row."""
    a = ready.attachment
    attachment_store.put_bytes(conn, a.sha256, ready.chunks)
    attachment_store.link(conn, attachment_id=a.id, case_id=case_id, sha256=a.sha256,
                          size=a.size, at=a.added_at)  # fmt: skip
    audit.append(at=a.added_at, action=ADDED, case_id=case_id, after={
        "attachment_id": a.id, "sha256": a.sha256, "size": a.size,
        "media_type": a.media_type, "scrubbed": a.scrubbed,
    })  # fmt: skip


def _size(file: BinaryIO, path: Path) -> int:
    status = os.fstat(file.fileno())
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(f"{path} is not a file; nothing was attached.")
    return status.st_size


def _scrubbed(data: bytes, kind: str, path: Path) -> bytes:
    try:
        return scrubbed_photo(data, kind)
    except BadPicture as problem:
        raise _refuse(f"{path} cannot be attached: {problem}. Nothing was attached.") from None


def _slices(data: bytes) -> Iterator[bytes]:
    for at in range(0, len(data), CHUNK_BYTES):
        yield data[at : at + CHUNK_BYTES]


def _hash(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in _read_chunks(file):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _read_chunks(file: BinaryIO) -> Iterator[bytes]:
    while chunk := file.read(CHUNK_BYTES):
        yield chunk


def listed(casework: Casework, case_ref: str) -> list[Listed]:
    case = _case(casework, case_ref)
    with casework.store.read() as conn:
        return [
            Listed(a, attachment_store.stored_hash(conn, case.id, a.id) == a.sha256)
            for a in case.attachments
        ]


def read_back(casework: Casework, case_ref: str, attachment_id: str) -> Iterator[bytes]:
    """The attachment's bytes, a chunk at a time, checked against its recorded hash as they
    are read (ProcedureError at the end if they do not match: the caller then keeps nothing)."""
    case = _case(casework, case_ref)
    shown = case.reference or case.id
    found = next((a for a in case.attachments if a.id == attachment_id), None)
    if found is None:
        raise _refuse(f"Case {shown} has no attachment {attachment_id}.")
    with casework.store.read() as conn:
        if attachment_store.stored_hash(conn, case.id, found.id) != found.sha256:
            raise _refuse(
                f"The bytes of {attachment_id} are not on this laptop (the case came in by "
                "import or sync without them)."
            )
        digest = hashlib.sha256()
        for chunk in attachment_store.read_chunks(conn, found.sha256):
            digest.update(chunk)
            yield chunk
    if digest.hexdigest() != found.sha256:
        raise _refuse(f"The stored bytes of {attachment_id} do not match their recorded hash.")
