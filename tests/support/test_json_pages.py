"""Pages of stored documents read and written again (`read_page`, `indented_pages`) are the
bytes `json.dumps(all of them, ensure_ascii=False, indent=2)` writes, numbers orjson writes
otherwise included (floats with an exponent, NaN, Infinity, integers beyond 64 bits)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asb_desktop.support.json_text import indented_pages, read_page

PLAIN = {"id": "236955e7-f56a-b44e-5c35-d7ed5057326c", "s": 'Zoë \u2028 "q" \\ 1e-5 NaN', "n": 3}
ODD: list[Any] = [1e-05, 1e16, -1.5e300, float("nan"), float("-inf"), 2**70, -(2**63) - 1]


def _expected(pages: list[list[Any]]) -> bytes:
    every = [document for page in pages for document in page]
    return (json.dumps(every, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_a_page_with_an_odd_number_is_written_as_the_standard_library_does(odd: Any) -> None:
    texts = [json.dumps(d, ensure_ascii=False) for d in (PLAIN, {"v": [0.5, odd]}, PLAIN)]
    pages = [read_page(texts[:1]), read_page(texts[1:])]
    assert b"".join(indented_pages(pages)) == _expected(pages)


def test_plain_pages_are_written_by_orjson_and_alike() -> None:
    texts = [json.dumps({**PLAIN, "f": [0.0001, 2.5, 0.0]}, ensure_ascii=False)] * 3
    pages = [read_page(texts), read_page([]), read_page(texts[:1])]
    assert pages[0].orjson_alike
    assert b"".join(indented_pages(pages)) == _expected(pages)
    assert b"".join(indented_pages([])) == b"[]\n" == b"".join(indented_pages([read_page([])]))
