"""A case's photos for the summary's thumbnails (`asb-desktop pdf --thumbnails`, Print
summary's "Photos as thumbnails"): the stored bytes, read back from the encrypted store and
checked by hash, handed over in memory; the summary shrinks them and drops them."""

from __future__ import annotations

from collections.abc import Callable

from asb_desktop.domain.attachment import PHOTO_TYPES
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.attachments import read_back
from asb_desktop.services.casework import Casework

PhotoBytes = Callable[[str], bytes | None]


def photo_bytes(casework: Casework, case_ref: str) -> PhotoBytes:
    """An attachment id to its photo's bytes, or None when it is not a photo, not on this
    laptop, or its bytes do not match their hash (the schedule then says so)."""
    case = casework.case(case_ref)
    photos = {a.id for a in case.attachments if a.media_type in PHOTO_TYPES} if case else set()

    def read(attachment_id: str) -> bytes | None:
        if case is None or attachment_id not in photos:
            return None
        try:
            return b"".join(read_back(casework, case.id, attachment_id))
        except ProcedureError:
            return None

    return read
