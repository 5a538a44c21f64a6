"""Lines of text into a ReportLab text object, the same operators it writes, written faster.

For every string, ReportLab's text object walks the characters one by one in Python to find
each one's code in the embedded font's subset (`TTFont.splitString`): that walk was most of
the time a summary spends drawing. Once a character has its code in a document it never
changes, so here a string whose characters all have theirs already, in the first subset, is
coded in one `str.translate`; anything else (a new character, a second subset, a font
change still to be written) goes through ReportLab as before. The bytes written are exactly
ReportLab's.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from reportlab.pdfbase.pdfmetrics import getFont

_CODES = "_asb_first_subset"  # kept on ReportLab's per-document state of the font


def _first_subset(state: Any) -> tuple[int, set[str], dict[int, int]]:
    """The characters with a code in subset 0 so far, and a translation to their codes,
    brought up to date with what ReportLab has added (codes are only ever added)."""
    assignments = state.assignments
    known: tuple[int, set[str], dict[int, int]] = state.__dict__.get(_CODES) or (0, set(), {})
    seen, chars, table = known
    if seen != len(assignments):
        for code, n in islice(assignments.items(), seen, None):
            if n < 256:
                chars.add(chr(code))
                table[code] = n
        known = (len(assignments), chars, table)
        state.__dict__[_CODES] = known
    return known


def _shown(text_object: Any, text: str) -> str | None:
    """`text_object._formatText(text)` when every character is coded in subset 0 and that
    subset is the one in use; None otherwise (then ReportLab does it)."""
    if not text or text_object._curSubset != 0:
        return None
    canvas = text_object._canvas
    font = getFont(text_object._fontname)
    state = getattr(font, "state", None)
    if not getattr(font, "_dynamicFont", False) or state is None:
        return None
    found = state.get(canvas._doc)
    if found is None:
        return None
    _, chars, table = _first_subset(found)
    if not chars.issuperset(text):
        return None
    return f"({canvas._escape(text.translate(table).encode('latin-1'))}) Tj"


def text_line(text_object: Any, text: str) -> None:
    """`text_object.textLine(text)`."""
    shown = _shown(text_object, text)
    if shown is None:
        text_object.textLine(text)
        return
    text_object._x = text_object._x0
    if text_object._canvas.bottomup:
        text_object._y = text_object._y - text_object._leading
    else:
        text_object._y = text_object._y + text_object._leading
    text_object._y0 = text_object._y
    text_object._code.append(f"{shown} T*")


def text_out(text_object: Any, text: str) -> None:
    """`text_object.textOut(text)`."""
    shown = _shown(text_object, text)
    if shown is None:
        text_object.textOut(text)
        return
    canvas = text_object._canvas
    text_object._x = text_object._x + canvas.stringWidth(
        text, text_object._fontname, text_object._fontsize
    )
    text_object._code.append(shown)
