"""A HEIC photo's location and camera metadata removed without re-encoding (domain/heif_scrub.py):
pillow-heif, the library that reads it, finds no Exif and no XMP afterwards, the markers are
nowhere in the bytes, and the picture's pixels are exactly those of the original."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from asb_desktop.domain.evidence_media import (
    HEIC,
    BadPicture,
    media_type,
    read_heic,
    scrubbed_photo,
)

MARKERS = (b"MARKERCAMERA", b"MARKERMAKERNOTE", b"MARKERGPSAREA", b"MARKERXMP")
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>MARKERXMP'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def heic_with_metadata(size: tuple[int, int] = (96, 64)) -> bytes:
    """A HEIC (encoded by pillow-heif's libheif) with GPS, a camera make, a maker note and XMP."""
    read_heic()
    picture = Image.new("RGB", size, (180, 40, 30))
    for x in range(0, size[0], 8):
        for y in range(size[1]):
            picture.putpixel((x, y), (250, 250, 250))
    exif = Image.Exif()
    exif[0x010F] = "MARKERCAMERA"  # Make
    exif[0x927C] = b"MARKERMAKERNOTE"  # MakerNote
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0), 28: "MARKERGPSAREA"}
    out = io.BytesIO()
    picture.save(out, "HEIF", exif=exif.tobytes(), xmp=XMP, quality=90)
    return out.getvalue()


def test_the_heic_photo_keeps_its_picture_and_loses_its_metadata() -> None:
    from pillow_heif import open_heif

    original = heic_with_metadata()
    assert all(marker in original for marker in MARKERS)
    assert open_heif(io.BytesIO(original)).info["exif"]  # the test's photo has what it should
    kept = scrubbed_photo(original, HEIC)
    assert not any(marker in kept for marker in MARKERS)
    heif = open_heif(io.BytesIO(kept))
    assert heif.info.get("exif") is None
    assert heif.info.get("xmp") is None
    assert all(not any(block["data"]) for block in heif.info.get("metadata") or [])
    with Image.open(io.BytesIO(kept)) as scrubbed, Image.open(io.BytesIO(original)) as given:
        assert not scrubbed.getexif()
        assert not scrubbed.getexif().get_ifd(0x8825)
        assert scrubbed.convert("RGB").tobytes() == given.convert("RGB").tobytes()
    assert len(kept) == len(original)  # zeroed where it lay: nothing moved, nothing re-encoded


def test_heic_is_told_by_its_content() -> None:
    data = heic_with_metadata()
    assert media_type(data[:16], "IMG_0001.jpg", io.BytesIO(data)) == HEIC


def test_a_heic_cut_short_is_refused_in_words() -> None:
    data = heic_with_metadata()
    with pytest.raises(BadPicture, match="HEIC photo is cut short or damaged"):
        scrubbed_photo(data[: len(data) // 2], HEIC)
