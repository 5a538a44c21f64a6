"""JSON text of many documents as a stream: the same bytes `json.dumps(documents,
ensure_ascii=False, indent=2)` gives the whole list, a piece per document, so an export of
100,000 cases is never held whole.

The standard library's encoder runs in pure Python when it indents (about 0.4 ms a case
document); orjson indents in C and writes the same text for these documents (UTF-8 kept, keys
in their order, two spaces). A document orjson refuses (an integer wider than 64 bits, a lone
surrogate) is written by the standard library instead, and so is every document when orjson
is not installed.

`read_page` and `indented_pages` do the same a page of stored documents at a time, in one
orjson call a page, as bytes (an export: no text made and encoded again).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

orjson: ModuleType | None
try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the text is the same without
    orjson = None


def indented(document: Any) -> str:
    """One document as `json.dumps(document, ensure_ascii=False, indent=2)` writes it."""
    if orjson is not None:
        try:
            text: str = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8")
            return text
        except (TypeError, ValueError):
            pass  # not one orjson writes as the standard library does: written by it instead
    return json.dumps(document, ensure_ascii=False, indent=2)


def indented_array(documents: Iterable[Any]) -> Iterator[str]:
    """The text of `json.dumps(list(documents), ensure_ascii=False, indent=2) + "\\n"`, a
    piece at a time (a string in JSON never holds a raw newline, so each element's lines are
    indented by replacing its newlines)."""
    first = True
    for document in documents:
        yield ("[\n  " if first else ",\n  ") + indented(document).replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"


class JsonPage(list[Any]):
    """Documents read from stored JSON text (`read_page`), in order. `orjson_alike`: orjson
    writes each of them as the standard library does, so the page can be written in one
    orjson call."""

    orjson_alike: bool = False


class _PageReader:
    """`json.loads`, noting any number orjson would write otherwise: a float the standard
    library writes with an exponent ("1e-05", "1e+16"; orjson "0.00001", "1e16"), NaN and
    Infinity (orjson: null). Only a number with a point or an exponent reaches the hooks, so a
    document without one costs no more than `json.loads`. (orjson reads faster, but an integer
    beyond 64 bits comes out of it a float, and looking for one costs what it saves; orjson
    refuses to write such an integer, which `indented_pages` sees.)"""

    def __init__(self) -> None:
        self.alike = orjson is not None
        self.decoder = json.JSONDecoder(parse_float=self._float, parse_constant=self._constant)

    def _float(self, text: str) -> float:
        value = float(text)
        if value and not 1e-4 <= abs(value) < 1e16:
            self.alike = False
        return value

    def _constant(self, text: str) -> float:
        self.alike = False
        return float(text)  # NaN, Infinity, -Infinity, as json.loads reads them


def read_page(texts: Iterable[str]) -> JsonPage:
    """`json.loads` of each text, as a page `indented_pages` writes in one orjson call when it
    can."""
    reader = _PageReader()
    page = JsonPage(reader.decoder.decode(text) for text in texts)
    page.orjson_alike = reader.alike
    return page


def indented_pages(pages: Iterable[list[Any]]) -> Iterator[bytes]:
    """The UTF-8 bytes of `json.dumps(every document, ensure_ascii=False, indent=2) + "\\n"`, a
    page at a time: a `JsonPage` orjson writes alike in one call, any other page by the
    standard library. Each page's text is its own array's without the brackets."""
    first = True
    for page in pages:
        if not page:
            continue
        body = None
        if orjson is not None and getattr(page, "orjson_alike", False):
            with contextlib.suppress(TypeError):  # an integer beyond 64 bits: written below
                body = orjson.dumps(page, option=orjson.OPT_INDENT_2)[2:-2]
        if body is None:
            body = json.dumps(page, ensure_ascii=False, indent=2)[2:-2].encode("utf-8")
        yield (b"[\n" if first else b",\n") + body
        first = False
    yield b"[]\n" if first else b"\n]\n"
