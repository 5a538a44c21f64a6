"""Location and camera metadata removed from a HEIC photo without re-encoding it.

A HEIC file (ISO/IEC 23008-12, boxes of ISO/IEC 14496-12) keeps its metadata as items beside
the picture: an `Exif` item (GPS and maker notes live inside it) and a `mime` item of XMP. The
`meta` box lists every item (`iinf`) and where its bytes are (`iloc`). Here each metadata item's
bytes are overwritten with zeros where they lie and the item is retyped `zero`, a type no reader
knows and so skips: no offset moves, no box changes size, and the picture's own bytes are not
touched (libheif re-encoding would lose quality, as Pillow's would for a JPEG). Top-level `uuid`
boxes, where some writers put XMP, are zeroed the same way.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"})
XMP_TYPES = (b"application/rdf+xml", b"application/xmp+xml")
RETYPED = b"zero"


class BadHeif(ValueError):
    """The file's boxes could not be walked (cut short, or not what they say)."""


def _boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, where its payload starts, where the box ends) for each box in data[start:end]."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1:
            if at + 16 > end:
                raise BadHeif("a box is cut short")
            (size,) = struct.unpack(">Q", data[at + 8 : at + 16])
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise BadHeif("a box is cut short")
        yield kind, at + header, at + size
        at += size
    if at != end:
        raise BadHeif("the file ends inside a box")


def _uint(data: bytes | bytearray, at: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, at
    if at + size > len(data):
        raise BadHeif("an item location is cut short")
    return int.from_bytes(data[at : at + size], "big"), at + size


def _metadata_items(data: bytearray, start: int, end: int) -> dict[int, int]:
    """{item id: where its type is} for the Exif and XMP items listed in an `iinf` box."""
    version = data[start]
    count_size = 2 if version == 0 else 4
    at = start + 4 + count_size
    found: dict[int, int] = {}
    for kind, payload, box_end in _boxes(data, at, end):
        if kind != b"infe" or data[payload] < 2:  # versions 0 and 1 carry no item type
            continue
        id_size = 2 if data[payload] == 2 else 4
        item_id, at = _uint(data, payload + 4, id_size)
        type_at = at + 2  # after the protection index
        item_type = bytes(data[type_at : type_at + 4])
        if item_type == b"Exif":
            found[item_id] = type_at
        elif item_type == b"mime":
            fields = bytes(data[type_at + 4 : box_end]).split(b"\x00")
            content_type = fields[1] if len(fields) > 1 else b""
            if content_type.strip().lower().startswith(XMP_TYPES):
                found[item_id] = type_at
    return found


def _extents(data: bytearray, start: int) -> dict[int, list[tuple[int, int, int]]]:
    """{item id: [(construction method, offset, length)]} from an `iloc` box."""
    version = data[start]
    offset_size, length_size = data[start + 4] >> 4, data[start + 4] & 0x0F
    base_size = data[start + 5] >> 4
    index_size = data[start + 5] & 0x0F if version in (1, 2) else 0
    at = start + 6
    count, at = _uint(data, at, 2 if version < 2 else 4)
    items: dict[int, list[tuple[int, int, int]]] = {}
    for _ in range(count):
        item_id, at = _uint(data, at, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            method, at = _uint(data, at, 2)
            method &= 0x0F
        _, at = _uint(data, at, 2)  # data reference index: 0, this file
        base, at = _uint(data, at, base_size)
        extent_count, at = _uint(data, at, 2)
        spans = []
        for _ in range(extent_count):
            _, at = _uint(data, at, index_size)
            offset, at = _uint(data, at, offset_size)
            length, at = _uint(data, at, length_size)
            spans.append((method, base + offset, length))
        items[item_id] = spans
    return items


def _zero(data: bytearray, start: int, length: int, limit: int) -> None:
    if length <= 0 or start + length > limit:
        raise BadHeif("a metadata item lies outside the file")
    data[start : start + length] = bytes(length)


def scrubbed_heif(original: bytes) -> bytes:
    """The HEIC with its Exif and XMP items' bytes zeroed and the items retyped; BadHeif when
    its boxes cannot be walked. The picture's bytes are kept exactly."""
    data = bytearray(original)
    meta = None
    for kind, payload, end in _boxes(data, 0, len(data)):
        if kind == b"meta":
            meta = (payload, end)
        elif kind == b"uuid":
            data[payload:end] = bytes(end - payload)
    if meta is None:
        raise BadHeif("the HEIC has no list of its items")
    children = {kind: (payload, end) for kind, payload, end in _boxes(data, meta[0] + 4, meta[1])}
    if b"iinf" not in children or b"iloc" not in children:
        raise BadHeif("the HEIC has no list of its items")
    wanted = _metadata_items(data, *children[b"iinf"])
    spans = _extents(data, children[b"iloc"][0])
    idat = children.get(b"idat")
    for item_id, type_at in wanted.items():
        for method, offset, length in spans.get(item_id, []):
            if method == 0:
                _zero(data, offset, length, len(data))
            elif method == 1 and idat is not None:
                _zero(data, idat[0] + offset, length, idat[1])
            else:
                raise BadHeif("a metadata item is kept in a way this laptop cannot remove")
        data[type_at : type_at + 4] = RETYPED
    return bytes(data)
