"""Section 16 of a summary, the evidence schedule (`attachments[]`): what each piece of evidence
is, when and by whom it was added, to which incident, its size, its SHA-256 in full (the chain
of custody: a copy can be checked against it), and whether its location and camera details were
removed. Photos print as thumbnails when asked for (`photos`), made in memory.

A third party without a sharing ground (5.6) gets the schedule with each file's name withheld
(`view._redact_for_third_party`: a name may say who or where) and never a thumbnail; with one,
they get it as an internal reader does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from asb_desktop.domain.attachment import PHOTO_TYPES, kind_words, size_words
from asb_desktop.domain.wording import counted
from asb_desktop.reports.pdf_tables import PADDING, listing
from asb_desktop.reports.story_facts import ordered_incidents
from asb_desktop.reports.styles import (
    BODY_WIDTH,
    NOT_RECORDED,
    NOTE,
    NOTICE,
    SMALL,
    Para,
    none_recorded,
    para,
    section,
    text,
    when,
)
from asb_desktop.reports.view import WITHHELD, Profile, SummaryView

TITLE = "16. Evidence schedule"
PhotoSource = Callable[[str], bytes | None]
"""An attachment's id to its stored bytes, or None when this laptop does not hold them."""
THUMB_SIDE = 17 * mm  # fits the Photo column's 48 points inside its padding
# Column widths in points (the table is scaled to the page's body, 493 points).
WIDTHS = [24, 112, 91, 58, 50, 98, 60]
WIDTHS_WITH_PHOTO = [24, 83, 60, 58, 50, 98, 60, 60]
SHA_COLUMN = 5


def hash_lines(sha256: Any, room: float) -> str:
    """The hash in full, in even lines as long as `room` points allows (32, 16 or 8
    characters), so it never breaks at a ragged place and can be read and compared by eye."""
    value = str(sha256 or "")
    for per_line in (64, 32, 16, 8):
        lines = [value[i : i + per_line] for i in range(0, len(value), per_line)]
        if all(stringWidth(line, SMALL.fontName, SMALL.fontSize) <= room for line in lines):
            break
    return "\n".join(lines)


def _scrubbed(attachment: dict[str, Any]) -> str:
    if attachment.get("media_type") not in PHOTO_TYPES:
        return "Not a photo"
    return "Yes" if attachment.get("scrubbed") else "No"


def _what(attachment: dict[str, Any]) -> str:
    name = attachment.get("name") or NOT_RECORDED
    shown = "Name withheld (5.6)" if name == WITHHELD else name
    return f"{shown}\n{kind_words(str(attachment.get('media_type') or ''))}"


def pictures_allowed(view: SummaryView) -> bool:
    """Thumbnails for the internal profile, and for a third party only with a 5.6 ground."""
    return view.profile is Profile.INTERNAL or view.sharing_allowed


def _thumbnail(attachment: dict[str, Any], photos: PhotoSource) -> Any:
    from asb_desktop.reports.thumbnails import Thumbnail, picture

    kind = str(attachment.get("media_type") or "")
    if kind not in PHOTO_TYPES:
        return "–"
    data = photos(str(attachment.get("id")))
    image = picture(data, kind) if data is not None else None
    if image is None:
        return "Not on this laptop" if data is None else "Does not read as a picture"
    return Thumbnail(image, THUMB_SIDE)


def evidence_section(view: SummaryView, photos: PhotoSource | None = None) -> list[Flowable]:
    items = [a for a in view.doc.get("attachments") or [] if isinstance(a, dict)]
    if not items:
        return section(TITLE, none_recorded("No evidence attached."))
    numbers = {incident.get("id"): n for n, (_, incident) in enumerate(ordered_incidents(view), 1)}
    drawing = photos is not None and pictures_allowed(view)
    widths = WIDTHS_WITH_PHOTO if drawing else WIDTHS
    hash_room = widths[SHA_COLUMN] * BODY_WIDTH / sum(widths) - PADDING
    rows = []
    for i, a in enumerate(items):
        added = when(a.get("added_at"), f"attachments[{i}].added_at", short=True)
        incident = a.get("incident_id")
        row = [
            str(i + 1),
            _what(a),
            f"{added}, by {a.get('added_by')}",
            f"Incident {numbers[incident]}" if incident in numbers else "The case",
            size_words(int(a.get("size") or 0)),
            hash_lines(a.get("sha256"), hash_room),
            _scrubbed(a),
        ]
        if drawing:
            assert photos is not None
            row.append(_thumbnail(a, photos))
        rows.append(row)
    headings = ["#", "What", "Added", "For", "Size", "SHA-256", "Scrubbed"]
    if drawing:
        headings.append("Photo")
    body: list[Flowable] = [
        para(
            f"{counted(len(items), 'item')} of evidence, in the order added. The SHA-256 is of "
            "the bytes kept: a copy whose hash differs is not the same file. Scrubbed: the "
            "photo's location and camera details were removed before it was kept.",
            NOTE,
        )
    ]
    if view.profile is Profile.THIRD_PARTY and not view.sharing_allowed:
        body.append(
            Para(
                text(
                    "The files' names and pictures are not included: no consent to share and no "
                    "information sharing protocol (5.6). Each file is described by its kind, "
                    "date and hash."
                ),
                NOTICE,
            )
        )
    body.append(listing(headings, rows, widths))
    return section(f"{TITLE} ({len(items)})", *body)
