"""Small pictures of photo evidence for the summary, made in memory from the stored bytes.

Pillow decodes the stored (scrubbed) bytes and shrinks them; ReportLab is handed the Pillow image
itself, so no picture, whole or small, is ever written to a file. A thumbnail is pixels only: no
EXIF, XMP or maker notes travel into the PDF, scrubbed or not. HEIC is read through pillow-heif,
imported only when a HEIC photo is drawn (launch speed).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.platypus import Flowable

from asb_desktop.domain.evidence_media import read_heic
from asb_desktop.reports.styles import RULE

HEIC = "image/heic"
PIXELS = 240  # the longest side in pixels: sharp at about 150 dpi in a 40 mm cell


def picture(data: bytes, media_type: str) -> Any | None:
    """A Pillow RGB image of at most PIXELS a side, or None when the bytes are no picture."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if media_type == HEIC:
        read_heic()
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.draft("RGB", (PIXELS, PIXELS))  # JPEG: decode at a fraction of the size
            upright = ImageOps.exif_transpose(source) or source
            small = upright.convert("RGB")
            small.thumbnail((PIXELS, PIXELS))
            return small
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


class Thumbnail(Flowable):  # type: ignore[misc]
    """A picture fitted inside `side` points, keeping its shape, with a hairline frame."""

    def __init__(self, image: Any, side: float) -> None:
        super().__init__()
        self.image = image
        width, height = image.size
        scale = side / max(width, height)
        self.width, self.height = width * scale, height * scale

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        from reportlab.lib.utils import ImageReader

        # ImageReader keeps the Pillow image in memory (a file name would be read from disk).
        canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.3)
        canv.rect(0, 0, self.width, self.height)
