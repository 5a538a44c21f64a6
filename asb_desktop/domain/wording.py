"""Counts in words for every layer's messages: "1 case", "3 cases", never "3 case(s)"."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """The count with its noun agreeing: counted(1, "summary", "summaries") is "1 summary";
    counted(1200, "case") is "1,200 cases"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
