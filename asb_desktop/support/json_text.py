"""JSON text of many documents as a stream: the same bytes `json.dumps(documents,
ensure_ascii=False, indent=2)` gives the whole list, a piece per document, so an export of
100,000 cases is never held whole.

The standard library's encoder runs in pure Python when it indents (about 0.4 ms a case
document); orjson indents in C and writes the same text for these documents (UTF-8 kept, keys
in their order, two spaces). A document orjson refuses (an integer wider than 64 bits, a lone
surrogate) is written by the standard library instead, and so is every document when orjson
is not installed.

`read_page` and `indented_pages` do the same a page of stored documents at a time, in one
orjson call a page, as bytes (an export: no text made and encoded again). A page is read by
orjson too when orjson writes it back as it was stored (every number and string then reads and
writes as with the standard library), else by the standard library.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
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


Text = str | bytes  # a stored document's JSON text, as the driver gives it or as its bytes

# orjson's reading where there is orjson: each string as the standard library reads it (a
# number may not be: an integer beyond 64 bits comes out a float).
loads: Callable[[Text], Any] = orjson.loads if orjson is not None else json.loads


class JsonPage(list[Any]):
    """Documents read from stored JSON text, in order. `orjson_alike`: orjson writes each of
    them as the standard library does, so the page can be written in one orjson call;
    `written`: that call's bytes, checked (`settle`), kept while the page is not changed;
    `texts`: the texts it was read from by orjson, until `settle` has checked them."""

    orjson_alike: bool = False
    written: bytes | None = None
    texts: list[Text] | None = None


class _PageReader:
    """`json.loads`, noting any number orjson would write otherwise: a float the standard
    library writes with an exponent ("1e-05", "1e+16"; orjson "0.00001", "1e16"), NaN and
    Infinity (orjson: null). Only a number with a point or an exponent reaches the hooks, so a
    document without one costs no more than `json.loads`. For a page orjson cannot read or
    write as it is (`settle`); orjson refuses to write an integer beyond 64 bits, which
    `indented_pages` sees."""

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


def read_page(texts: Iterable[Text]) -> JsonPage:
    """`json.loads` of each text (each as `json.dumps` wrote it, as the store writes every
    document), as a page `indented_pages` writes in one orjson call when it can: read by
    orjson when its writing of the page is checked alike (`settle`), else by the standard
    library."""
    page = read_unchecked(texts)
    if page.texts is not None and not settle(page, {}):
        return _read_by_standard_library(page.texts)
    return page


def read_unchecked(texts: Iterable[Text]) -> JsonPage:
    """The texts read by orjson (in C, several times faster), not yet checked: each string is
    as the standard library reads it, a number may not be (an integer beyond 64 bits comes out
    a float). `settle` then says whether the page is written alike, else it is read again by
    `read_page`. A page orjson cannot read (NaN, a lone surrogate) is `read_page`'s already."""
    given = texts if isinstance(texts, list) else list(texts)
    if orjson is not None:
        try:
            page = JsonPage(map(orjson.loads, given))
        except (TypeError, ValueError):  # orjson.JSONDecodeError is a ValueError
            pass
        else:
            page.texts = given
            return page
    return _read_by_standard_library(given)


def settle(page: JsonPage, changed: Mapping[int, Mapping[str, Any]]) -> bool:
    """For a page from `read_unchecked`, since given new values for the top-level keys in
    `changed` ({index: {key: its value as read}}): is orjson's indented writing of it what
    `json.dumps(..., ensure_ascii=False, indent=2)` writes? If so those bytes are kept as
    `page.written`; if not (False), read the texts again with `read_page`.

    The check: orjson's bytes and the stored texts (each changed value replaced in them, found
    once as `"key": value`) are the same but for the spaces and newlines between items. Texts
    `json.dumps` wrote then hold every number and string as orjson writes it: "1e-05" stored
    comes back "0.00001", an integer beyond 64 bits read as a float comes back with an
    exponent. Two C passes over the page, not a second writing."""
    if page.texts is None:  # read by the standard library: nothing to check
        return True
    assert orjson is not None
    given = [text if isinstance(text, bytes) else text.encode("utf-8") for text in page.texts]
    try:
        for index, keys in changed.items():
            text = given[index]
            for key, before in keys.items():
                old, new = _member(key, before), _member(key, page[index][key])
                if text.count(old) != 1:
                    return False
                text = text.replace(old, new)
            given[index] = text
        written = orjson.dumps(page, option=orjson.OPT_INDENT_2)
    except (TypeError, ValueError, UnicodeError):
        return False
    if written.translate(None, b" \n") != (b"[" + b",".join(given) + b"]").translate(None, b" "):
        return False
    page.written, page.orjson_alike, page.texts = written, True, None
    return True


def _member(key: str, value: Any) -> bytes:
    """`"key": value` as `json.dumps` writes a member of an object."""
    pair = f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
    return pair.encode("utf-8")


def _read_by_standard_library(texts: list[Text]) -> JsonPage:
    reader = _PageReader()
    page = JsonPage(
        reader.decoder.decode(text.decode("utf-8") if isinstance(text, bytes) else text)
        for text in texts
    )
    page.orjson_alike = reader.alike
    return page


def indented_pages(pages: Iterable[list[Any]]) -> Iterator[bytes]:
    """The UTF-8 bytes of `json.dumps(every document, ensure_ascii=False, indent=2) + "\\n"`, a
    page at a time: a `JsonPage` orjson writes alike in one call (or wrote already, checked),
    any other page by the standard library. Each page's text is its own array's without the
    brackets."""
    first = True
    for page in pages:
        if not page:
            continue
        body = getattr(page, "written", None)
        if body is None and orjson is not None and getattr(page, "orjson_alike", False):
            with contextlib.suppress(TypeError):  # an integer beyond 64 bits: written below
                body = orjson.dumps(page, option=orjson.OPT_INDENT_2)
        if body is None:
            body = json.dumps(page, ensure_ascii=False, indent=2).encode("utf-8")
        yield b"[\n" if first else b",\n"
        yield body[2:-2]
        first = False
    yield b"[]\n" if first else b"\n]\n"
