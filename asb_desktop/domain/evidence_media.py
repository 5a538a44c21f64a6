"""What kind of file a piece of evidence is (told by its first bytes, not its name), and the
removal of location and camera metadata from photos without re-encoding them.

Scrubbing is lossless: the JPEG's segments are walked and only those that describe the picture
are kept (JFIF, an ICC colour profile, Adobe's colour transform, the tables and the scans);
EXIF (GPS and maker notes live inside it), XMP, Photoshop/IPTC, comments and anything after the
end of the image are dropped. For a PNG the text, EXIF and time chunks are dropped and only the
chunks that draw the picture are kept; a HEIC's Exif and XMP items are zeroed where they lie
(domain/heif_scrub.py). Pillow re-encodes when it saves, which loses quality, and
piexif removes EXIF only (not XMP) and has had no release since 2019; so the walk is ours, and
Pillow then checks that what is kept still reads as a picture.
"""

from __future__ import annotations

import io
import struct
import zipfile
from importlib.util import find_spec
from pathlib import Path
from typing import BinaryIO

from asb_desktop.domain.heif_scrub import HEIF_BRANDS, BadHeif, scrubbed_heif

JPEG, PNG, HEIC = "image/jpeg", "image/png", "image/heic"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_BY_SUFFIX = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
_OOXML = "application/vnd.openxmlformats-officedocument."
_ZIP_BY_SUFFIX = {
    ".docx": _OOXML + "wordprocessingml.document",
    ".xlsx": _OOXML + "spreadsheetml.sheet",
    ".pptx": _OOXML + "presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
KINDS_WORDS = (
    "photos (JPEG, PNG, HEIC), recordings (MP3, M4A, WAV, OGG), video (MP4), PDF and office "
    "documents (Word, Excel, PowerPoint, OpenDocument)"
)


class NotEvidence(ValueError):
    """The file is not a kind of evidence kept; the message says what it is and what is."""


def media_type(head: bytes, name: str, file: BinaryIO) -> str:
    """The media type of a file from its first bytes (`head`, at least 16), its name only to
    tell apart office formats that share a container. NotEvidence when it is none we keep."""
    suffix = Path(name).suffix.lower()
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            raise NotEvidence(
                "it is an AVIF picture, which this laptop cannot read to remove its location: "
                "save it as JPEG or HEIC and attach that"
            )
        if brand in HEIF_BRANDS:
            if find_spec("pillow_heif") is None:
                raise NotEvidence(
                    "it is a HEIC photo, and this installation has no HEIC reader (pillow-heif) "
                    "to remove its location: save it as JPEG on the phone (Settings, Camera, "
                    "Formats, Most Compatible)"
                )
            return HEIC
        return "audio/mp4" if brand in _AUDIO_BRANDS else "video/mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(_OLE2) and suffix in _OLE2_BY_SUFFIX:
        return _OLE2_BY_SUFFIX[suffix]
    if head.startswith(b"PK\x03\x04") and suffix in _ZIP_BY_SUFFIX and _is_office(file, suffix):
        return _ZIP_BY_SUFFIX[suffix]
    raise NotEvidence(f"its content is none of the kinds kept: {KINDS_WORDS}")


def _is_office(file: BinaryIO, suffix: str) -> bool:
    """An office document is a zip holding its manifest (read from the zip's directory only)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        file.seek(0)
    return ("mimetype" if suffix.startswith(".od") else "[Content_Types].xml") in names


class BadPicture(ValueError):
    """The photo's structure could not be walked (cut short or not what it says)."""


def scrubbed_photo(data: bytes, kind: str) -> bytes:
    """The photo without its metadata; BadPicture when it cannot be read as one."""
    if kind == HEIC:
        try:
            kept = scrubbed_heif(data)
        except BadHeif as problem:
            raise BadPicture(f"the HEIC photo is cut short or damaged ({problem})") from None
    else:
        kept = _scrubbed_jpeg(data) if kind == JPEG else _scrubbed_png(data)
    _check_reads(kept)
    return kept


# JPEG markers kept before and between scans: tables, frames, restart interval, JFIF (APP0),
# Adobe (APP14, the colour transform). APP2 only when it is an ICC profile.
_SOF_AND_TABLES = {*range(0xC0, 0xD0), 0xDB, 0xDD, 0xDC, 0xDE, 0xDF}
_KEPT_APP = {0xE0: b"JFIF", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
_SOS, _EOI = 0xDA, 0xD9


def _scrubbed_jpeg(data: bytes) -> bytes:
    out = bytearray(b"\xff\xd8")
    at = 2
    while True:
        if at + 2 > len(data) or data[at] != 0xFF:
            raise BadPicture("the JPEG is cut short or damaged")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == _EOI:
            out += b"\xff\xd9"
            return bytes(out)  # anything after the end of the image (a second picture) is dropped
        if at + 4 > len(data):
            raise BadPicture("the JPEG is cut short or damaged")
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise BadPicture("the JPEG is cut short or damaged")
        segment = data[at:end]
        signature = _KEPT_APP.get(marker)
        if marker in _SOF_AND_TABLES or (signature and segment[4:].startswith(signature)):
            out += segment
        elif marker == _SOS:
            scan_end = _end_of_scan(data, end)
            out += data[at:scan_end]
            end = scan_end
        at = end


def _end_of_scan(data: bytes, at: int) -> int:
    """Where the entropy-coded data after a scan header ends: the next marker that is neither
    a stuffed 0xFF00 nor a restart marker."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise BadPicture("the JPEG is cut short or damaged")
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at


# PNG chunks kept besides the critical ones (upper-case first letter): how to draw the picture.
_PNG_KEPT = {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"hIST",
             b"sPLT", b"cICP", b"acTL", b"fcTL", b"fdAT"}  # fmt: skip


def _scrubbed_png(data: bytes) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    at = len(PNG_SIGNATURE)
    while True:
        if at + 12 > len(data):
            raise BadPicture("the PNG is cut short or damaged")
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            raise BadPicture("the PNG is cut short or damaged")
        if kind[:1].isupper() or kind in _PNG_KEPT:
            out += data[at:end]
        if kind == b"IEND":
            return bytes(out)
        at = end


def read_heic() -> None:
    """Teach Pillow to read HEIC (pillow-heif, imported here: only a HEIC photo needs it)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _check_reads(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    if data[4:8] == b"ftyp":
        read_heic()
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadPicture("the photo does not read as a picture") from error
