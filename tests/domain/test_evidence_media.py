"""Evidence kinds told by content, and photos scrubbed without re-encoding: EXIF (GPS, maker
notes, camera), XMP, comments and PNG text chunks gone, the pixels the same."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from asb_desktop.domain.evidence_media import (
    BadPicture,
    NotEvidence,
    media_type,
    scrubbed_photo,
)

MARKERS = (b"MARKERCAMERA", b"MARKERXMP", b"MARKERCOMMENT", b"MARKERGPS")


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "MARKERCAMERA"
    exif[0x927C] = b"MARKERCAMERA maker note"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 28: "MARKERGPS"}
    return exif


@pytest.mark.parametrize("progressive", [False, True])
def test_a_jpeg_loses_its_metadata_and_keeps_its_pixels(progressive: bool) -> None:
    out = io.BytesIO()
    Image.new("RGB", (97, 61), (10, 200, 90)).save(
        out, "JPEG", exif=_exif().tobytes(), xmp=b"<x>MARKERXMP</x>", comment=b"MARKERCOMMENT",
        progressive=progressive, icc_profile=b"",
    )  # fmt: skip
    given = out.getvalue() + b"trailing MARKERGPS"  # data after the end of the image
    assert all(m in given for m in MARKERS)
    kept = scrubbed_photo(given, "image/jpeg")
    assert not any(m in kept for m in MARKERS) and b"Exif" not in kept
    with Image.open(io.BytesIO(kept)) as a, Image.open(io.BytesIO(given)) as b:
        assert a.tobytes() == b.tobytes()
        assert not a.getexif()


def test_a_png_loses_its_text_and_exif_chunks_and_keeps_its_pixels() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "MARKERCOMMENT")
    info.add_itxt("XML:com.adobe.xmp", "MARKERXMP", zip=True)
    picture = Image.new("RGBA", (40, 30), (1, 2, 3, 128))
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info, exif=_exif().tobytes())
    kept = scrubbed_photo(out.getvalue(), "image/png")
    assert not any(m in kept for m in MARKERS) and b"eXIf" not in kept and b"tEXt" not in kept
    with Image.open(io.BytesIO(kept)) as back:
        assert back.tobytes() == picture.tobytes()


def test_a_damaged_photo_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, "JPEG")
    with pytest.raises(BadPicture):
        scrubbed_photo(out.getvalue()[:300], "image/jpeg")
    with pytest.raises(BadPicture):
        scrubbed_photo(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")


def _zip(names: list[str]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    out.seek(0)
    return out


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "x.png", "image/jpeg"),  # the content wins over the name
        (b"ID3\x04", "a.mp3", "audio/mpeg"),
        (b"\xff\xfb\x90\x00", "a", "audio/mpeg"),
        (b"RIFF\0\0\0\0WAVEfmt ", "a.wav", "audio/wav"),
        (b"OggS\0\x02", "a.ogg", "audio/ogg"),
        (b"\0\0\0\x20ftypM4A \0\0", "a.m4a", "audio/mp4"),
        (b"\0\0\0\x20ftypisom\0\0", "a.mp4", "video/mp4"),
        (b"%PDF-1.7", "a.pdf", "application/pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.doc", "application/msword"),
    ],
)
def test_the_kind_is_told_by_the_first_bytes(head: bytes, name: str, kind: str) -> None:
    assert media_type(head.ljust(16, b"\0"), name, io.BytesIO(head)) == kind


def test_office_documents_are_zips_holding_their_manifest() -> None:
    docx = _zip(["[Content_Types].xml", "word/document.xml"])
    assert media_type(docx.getvalue()[:16], "a.docx", docx).endswith("wordprocessingml.document")
    odt = _zip(["mimetype", "content.xml"])
    assert (
        media_type(odt.getvalue()[:16], "a.odt", odt) == "application/vnd.oasis.opendocument.text"
    )
    with pytest.raises(NotEvidence):
        plain = _zip(["notes.txt"])
        media_type(plain.getvalue()[:16], "a.docx", plain)


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"\0\0\0\x18ftypavif", "AVIF picture"),
        (b"#!/bin/sh\necho", "none of the kinds kept"),
        (b"MZ\x90\0", "none of the kinds kept"),
    ],
)
def test_other_files_are_refused_in_words(head: bytes, words: str, tmp_path: Path) -> None:
    with pytest.raises(NotEvidence, match=words):
        media_type(head.ljust(16, b"\0"), "evidence.jpg", io.BytesIO(head))
