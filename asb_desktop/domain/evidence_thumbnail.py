"""A photo's thumbnail, made in memory: the evidence list shows it, and nothing is written.

Pillow is imported only when a thumbnail is made (starting the window must not load it). A
JPEG is decoded at a reduced scale (Pillow's `draft`: the decoder skips the detail it would
throw away), which is what keeps a 10 MB photo's thumbnail quick enough to make on demand.
"""

from __future__ import annotations

import io


def thumbnail_png(data: bytes, edge: int) -> bytes | None:
    """A PNG no larger than `edge` pixels on its longer side, turned upright as the camera
    meant (a scrubbed photo has lost that tag, and is shown as stored); None when the bytes do
    not read as a picture."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.format == "JPEG":
                picture.draft("RGB", (edge, edge))
            upright = ImageOps.exif_transpose(picture)
            upright.thumbnail((edge, edge))
            if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                upright = upright.convert("RGBA")
            out = io.BytesIO()
            upright.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
