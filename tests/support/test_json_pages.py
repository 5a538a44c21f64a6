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


# Each at the edge of what orjson reads or writes as the standard library does.
EDGES: list[Any] = [
    2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 10**18, 0.1, 1e15, 9999999999999998.0,
    123456789.125, 1e-4, 9.99e-5, 5e-324, 1.7976931348623157e308, -0.0, 0, 1.0, True, None, "",
    "\x00\x1f\x7f\u2028\u2029\ud7ff\ue000\U0001f600 \\ \" / \t\n", {"": [], "a": {}, "b": [[]]},
]  # fmt: skip


@pytest.mark.parametrize("edge", EDGES, ids=repr)
def test_a_page_reads_as_json_loads_reads_each_text(edge: Any) -> None:
    texts = [json.dumps(d, ensure_ascii=False) for d in (PLAIN, {"v": [edge, {"w": edge}]})]
    page = read_page(texts)
    assert repr(page) == repr([json.loads(text) for text in texts])  # types too: 1, 1.0, True
    assert b"".join(indented_pages([page])) == _expected([page])


def test_a_page_of_every_edge_at_once_and_texts_that_are_no_json() -> None:
    texts = [json.dumps(EDGES, ensure_ascii=False), json.dumps({"e": EDGES}, ensure_ascii=False)]
    page = read_page(iter(texts))
    assert repr(page) == repr([json.loads(text) for text in texts])
    assert b"".join(indented_pages([page])) == _expected([page])
    for bad in (['"a', 'b"'], ["1, 2"], [""], ["{} {}"]):
        with pytest.raises(json.JSONDecodeError):
            read_page(bad)
