"""Evidence on a case (`attachments[]`): what was attached, its kind, size and hash, when and by
whom, to which incident, and whether its location and camera metadata were removed.

The document holds only this description; the bytes are kept apart (store/attachments.py, in the
encrypted store, chunked and content-addressed) and travel apart from the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asb_desktop.domain.timestamps import format_timestamp

MAX_NAME = 255  # a file name, as given
SHA256 = re.compile(r"^[0-9a-f]{64}$")

KIND_WORDS = {
    "image/jpeg": "photo (JPEG)",
    "image/png": "photo (PNG)",
    "image/heic": "photo (HEIC)",
    "audio/mpeg": "recording (MP3)",
    "audio/mp4": "recording (M4A)",
    "audio/wav": "recording (WAV)",
    "audio/ogg": "recording (OGG)",
    "video/mp4": "video (MP4)",
    "application/pdf": "document (PDF)",
    "application/msword": "document (Word 97-2003)",
    "application/vnd.ms-excel": "spreadsheet (Excel 97-2003)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document (Word)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "spreadsheet (Excel)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "slides "
    "(PowerPoint)",
    "application/vnd.oasis.opendocument.text": "document (OpenDocument)",
    "application/vnd.oasis.opendocument.spreadsheet": "spreadsheet (OpenDocument)",
}
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/heic"})


@dataclass(frozen=True)
class Attachment:
    id: str
    name: str  # the file's name as given (may say who or where: kept only in the document)
    media_type: str
    size: int  # bytes stored
    sha256: str  # of the stored bytes (after scrubbing): the chain of custody
    added_at: datetime
    added_by: str  # a staff id or the computer account
    incident_id: str | None
    scrubbed: bool


def attachment_document(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "media_type": a.media_type,
        "size": a.size,
        "sha256": a.sha256,
        "added_at": format_timestamp(a.added_at),
        "added_by": a.added_by,
        "incident_id": a.incident_id,
        "scrubbed": a.scrubbed,
    }


def kind_words(media_type: str) -> str:
    return KIND_WORDS.get(media_type, media_type)


def size_words(size: int) -> str:
    """'1 byte', '950 bytes', '12.3 KB', '4.0 MB' (decimal units, as file managers say)."""
    if size == 1:
        return "1 byte"
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            return f"{size / scale:.1f} {unit}"
    raise AssertionError("unreachable")


def attachment_problems(a: Attachment, incident_ids: set[str]) -> list[tuple[str, str]]:
    """(where, problem) for one attachment of a case: checked on every path in."""
    found: list[tuple[str, str]] = []
    if not a.name or len(a.name) > MAX_NAME or any(c in a.name for c in "/\\\x00"):
        found.append(("name", f"must be a file name of 1 to {MAX_NAME} characters, no folders"))
    if a.media_type not in KIND_WORDS:
        found.append(("media_type", f"{a.media_type!r} is not a kind of evidence kept"))
    if a.size < 0:
        found.append(("size", "must not be negative"))
    if not SHA256.match(a.sha256):
        found.append(("sha256", "must be 64 lower-case hexadecimal digits"))
    if a.incident_id is not None and a.incident_id not in incident_ids:
        found.append(("incident_id", f"{a.incident_id!r} is not an incident of this case"))
    return found
