"""Text drawn through reports/fast_text.py is byte for byte what ReportLab's text object writes:
repeated and new characters, an empty line, a bold label between, a second font subset
(more than 256 different characters), characters the font lacks."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from asb_desktop.reports.fast_text import text_line, text_out
from asb_desktop.reports.fonts import BOLD, REGULAR, register_fonts

LINES = [
    "The group gathered by the bin store again & shouted (loudly) at passers-by.",
    "The group gathered by the bin store again.",  # every character known
    "",
    "Zoë O'Brien-Łukasiewicz said \\ and ) and ( — 14 Larch Walk.",
    "".join(chr(c) for c in range(0x100, 0x100 + 300)),  # past the first subset of 256
    "Back to plain text after the second subset.",
    "Mixed: plain then Ωμέγα then plain, and 中文 the font lacks.",
]


def _code(line: Callable[[Any, str], None], out: Callable[[Any, str], None]) -> bytes:
    register_fonts()
    canvas = Canvas(io.BytesIO(), invariant=1)
    text = canvas.beginText()
    text.setFont(REGULAR, 9, 12)
    text.setTextOrigin(10, 800)
    for value in LINES:
        line(text, value)
    for value in LINES:
        text.setFont(BOLD, 9, 12)
        out(text, "Label:")
        text.setFont(REGULAR, 9, 12)
        out(text, value)
        line(text, value)
    canvas.drawText(text)
    canvas.showPage()
    return canvas.getpdfdata()  # type: ignore[no-any-return]


def test_fast_text_writes_exactly_what_reportlab_writes() -> None:
    theirs = _code(lambda t, s: t.textLine(s), lambda t, s: t.textOut(s))
    ours = _code(text_line, text_out)
    assert ours == theirs
    assert b"T*" in ours
