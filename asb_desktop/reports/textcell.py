"""Line breaking for plain text cells, and a cell of a bold label run into plain text.

A Paragraph would do both, but it parses markup and lays out fragments for every cell; breaking
the lines here with the font's widths keeps a 20-incident summary well under 100 ms. Text drawn
this way is never markup, so nothing in it needs escaping.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from asb_desktop.reports.fast_text import text_out
from asb_desktop.reports.fonts import BOLD, REGULAR
from asb_desktop.reports.styles import INK, NOT_RECORDED


def _pieces(word: str, font: str, size: float, room: float) -> list[str]:
    """A word too wide for a line, cut by characters into pieces that fit."""
    pieces, current = [], ""
    for char in word:
        if current and stringWidth(current + char, font, size) > room:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
WIDTHS_KEPT = 50_000  # words per font and size; a batch of summaries forgets beyond this


def _widths(font: str, size: float) -> dict[str, float]:
    """The widths of words already measured in this font and size (the same words recur
    across cells and cases; each was a call through ReportLab's font lookup)."""
    known = _WIDTHS.setdefault((font, size), {})
    if len(known) > WIDTHS_KEPT:
        known.clear()
    return known


def width_of(text: str, font: str, size: float) -> float:
    """`stringWidth`, remembered (the same words and short cells recur across a summary)."""
    known = _widths(font, size)
    width = known.get(text)
    if width is None:
        width = known[text] = stringWidth(text, font, size)
    return width


def break_lines(text: str, font: str, size: float, first: float, rest: float) -> list[str]:
    """Greedy lines: the first `first` points wide, the others `rest`; newlines kept."""
    known = _widths(font, size)
    space = known.get(" ")
    if space is None:
        space = known[" "] = stringWidth(" ", font, size)
    lines: list[str] = []
    room = first
    for source in text.replace("\t", "    ").split("\n"):
        line: list[str] = []
        used = 0.0
        for word in source.split():
            width = known.get(word)
            if width is None:
                width = known[word] = stringWidth(word, font, size)
            if width <= rest:  # the usual word: one part
                if line and used + space + width > room:
                    lines.append(" ".join(line))
                    line, used, room = [], 0.0, rest
                if not line and width > room:
                    lines.append("")  # the label's line is too short for this word
                    room = rest
                used += (space if line else 0.0) + width
                line.append(word)
                continue
            for part in _pieces(word, font, size, rest):
                part_width = stringWidth(part, font, size)
                if line and used + space + part_width > room:
                    lines.append(" ".join(line))
                    line, used, room = [], 0.0, rest
                if not line and part_width > room:
                    lines.append("")
                    room = rest
                used += (space if line else 0.0) + part_width
                line.append(part)
        lines.append(" ".join(line))
        room = rest
    return lines


class LabelledText(Flowable):  # type: ignore[misc]
    """ "Label: text", the label bold, broken into lines for a cell `room` points wide.

    Lines past `max_lines` are left in `overflow` for the rows that continue the record.
    """

    def __init__(
        self,
        label: str,
        text: str,
        room: float,
        *,
        size: float,
        leading: float,
        max_lines: int = 24,
    ) -> None:
        super().__init__()
        self.label = f"{label}:"
        self.size = size
        self.leading = leading
        self.label_width = width_of(self.label + " ", BOLD, size)
        lines = break_lines(text or NOT_RECORDED, REGULAR, size, room - self.label_width, room)
        self.lines, self.overflow = lines[:max_lines], lines[max_lines:]
        self.width = room
        self.height = len(self.lines) * leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFillColor(INK)
        text = self.canv.beginText()
        self.write(text, 0, self.height)
        self.canv.drawText(text)

    def write(self, text: Any, x: float, top: float) -> None:
        """Into a text object already begun (a table draws many cells with one), the label
        and lines with the first baseline below `top`; leaves REGULAR as the font."""
        y = top - self.size
        text.setFont(BOLD, self.size, self.leading)
        text.setTextOrigin(x, y)
        text_out(text, self.label)
        text.setFont(REGULAR, self.size, self.leading)
        for i, line in enumerate(self.lines):
            text.setTextOrigin(x + (self.label_width if i == 0 else 0), y)
            text_out(text, line)
            y -= self.leading
