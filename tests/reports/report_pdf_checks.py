"""Reading summaries back the way a recipient's tools would: text per page, raw and inflated bytes."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import unicodedata
import zlib
from pathlib import Path

from pypdf import PdfReader

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def inflated_streams(pdf: bytes) -> list[bytes]:
    """Every stream in the file, inflated where it is Flate-compressed."""
    out = []
    for raw in STREAM.findall(pdf):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def poppler_text(pdf: bytes, tmp_path: Path) -> str | None:
    """pdftotext's reading of the file, when poppler-utils is installed."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "probe.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def encodings(value: str) -> list[bytes]:
    """The ways a string could sit in PDF bytes: UTF-8, UTF-16 (text strings), Latin-1."""
    forms = [value.encode("utf-8"), value.encode("utf-16-be")]
    with contextlib.suppress(UnicodeEncodeError):
        forms.append(value.encode("latin-1"))
    return forms


def _squash(text: str) -> str:
    """Extracted text with line breaks and repeated spaces folded, as wrapping splits phrases."""
    return re.sub(r"\s+", " ", text)


def found_in(pdf: bytes, value: str, tmp_path: Path) -> list[str]:
    """Where `value` can be found in the file: an empty list means nowhere."""
    places = []
    blobs = [pdf, *inflated_streams(pdf)]
    for form in encodings(value):
        if any(form in blob for blob in blobs):
            places.append(f"bytes ({form[:12]!r}…)")
            break
    if _squash(value) in _squash(all_text(pdf)):
        places.append("pypdf text")
    poppler = poppler_text(pdf, tmp_path)
    if poppler is not None and _squash(value) in _squash(poppler):
        places.append("pdftotext text")
    meta = PdfReader(io.BytesIO(pdf)).metadata or {}
    if any(value in str(v) for v in meta.values()):
        places.append("metadata")
    return places


def flat_text(pdf: bytes) -> str:
    """All pages' text on one line, whitespace folded: table cells read as "Label value"."""
    return _squash(all_text(pdf))
