"""JSON text of many documents as a stream: the same bytes `json.dumps(documents,
ensure_ascii=False, indent=2)` gives the whole list, a piece per document, so an export of
100,000 cases is never held whole.

The standard library's encoder runs in pure Python when it indents (about 0.4 ms a case
document); orjson indents in C and writes the same text for these documents (UTF-8 kept, keys
in their order, two spaces). A document orjson refuses (an integer wider than 64 bits, a lone
surrogate) is written by the standard library instead, and so is every document when orjson
is not installed.
"""

from __future__ import annotations

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
