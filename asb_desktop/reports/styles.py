"""Type, spacing and the small builders every section uses: paragraphs, fact tables, list tables.

Free text goes through `para`, which escapes ReportLab's markup (`<`, `&`) so a statement such as
"he shouted <get out> & left" prints as written instead of breaking the PDF.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
)

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.document import parse_timestamp
from asb_desktop.reports.fonts import BOLD, REGULAR

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 30 * mm
MARGIN_BOTTOM = 22 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#005e68")
RULE = colors.HexColor("#9aa5a8")
HEADER_FILL = colors.HexColor("#e3eef0")
LABEL_FILL = colors.HexColor("#f3f6f7")

BODY = ParagraphStyle(
    "body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK, alignment=TA_LEFT
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
NOTE = ParagraphStyle("note", parent=BODY, spaceBefore=4, spaceAfter=3)  # a line between tables
LABEL = ParagraphStyle("label", parent=BODY, fontName=BOLD)
CELL_HEAD = ParagraphStyle("cellhead", parent=SMALL, fontName=BOLD)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=2
)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=10, leading=13, spaceAfter=6)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName=BOLD,
    fontSize=11.5,
    leading=15,
    textColor=ACCENT,
    spaceBefore=10,
    spaceAfter=4,
)
NOTICE = ParagraphStyle(
    "notice",
    parent=BODY,
    backColor=colors.HexColor("#fff4d6"),
    borderColor=colors.HexColor("#b58900"),
    borderWidth=0.6,
    borderPadding=5,
    leftIndent=5,
    rightIndent=5,
    spaceBefore=6,
    spaceAfter=8,
)

NOT_RECORDED = "Not recorded"


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its line breaks for a width.

    A table wraps each cell to size its rows, again when it splits at a page end and again to
    draw: breaking the same lines three times was half the time of a summary.
    """

    _wrapped_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # split() may drop blPara when a paragraph will not fit: then the lines are gone too.
        if self._wrapped_for != availWidth or "blPara" not in self.__dict__:
            super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return float(self.width), float(self.height)


SECTION_MIN_SPACE = 32 * mm


def text(value: Any) -> str:
    """Escaped markup for a value: newlines kept as line breaks, empty as "Not recorded"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return escape(str(value).strip()).replace("\t", "    ").replace("\n", "<br/>")


class Line(Flowable):  # type: ignore[misc]
    """A paragraph of plain text that usually fits on one line, drawn as a Paragraph draws
    one line (baseline a font size below its top) without parsing it as markup; a Para is
    made only when it does not fit. Headings and the notes between tables are most of a
    summary's paragraphs, and parsing them was a tenth of its time."""

    def __init__(self, plain: str, markup: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.plain, self.markup, self.style = plain, markup, style
        self.para: Para | None = None

    def _fits(self, width: float) -> bool:
        style = self.style
        room = width - style.leftIndent - style.rightIndent
        return bool(stringWidth(self.plain, style.fontName, style.fontSize) <= room)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.para is None and self._fits(availWidth):
            self.width, self.height = availWidth, self.style.leading
            return self.width, self.height
        if self.para is None:
            self.para = Para(self.markup, self.style)
        self.width, self.height = self.para.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.para is None and self._fits(availWidth):
            return []  # one line does not split
        if self.para is None:
            self.para = Para(self.markup, self.style)
        parts: list[Flowable] = self.para.split(availWidth, availHeight)
        return parts

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        if self.para is not None:
            self.para.drawOn(self.canv, 0, 0)
            return
        style, canv = self.style, self.canv
        canv.setFillColor(style.textColor)
        canv.setFont(style.fontName, style.fontSize)
        canv.drawString(style.leftIndent, self.height - style.fontSize, self.plain)


def _plain_style(style: ParagraphStyle) -> bool:
    return bool(
        style.alignment == TA_LEFT
        and not style.backColor
        and not style.borderWidth
        and not style.firstLineIndent
    )


def line_or_para(plain: str, markup: str, style: ParagraphStyle) -> Flowable:
    """A Line for plain text in a plain style, else the Para (a newline, a boxed notice)."""
    if "\n" in plain or not _plain_style(style):
        return Para(markup, style)
    return Line(" ".join(plain.split()), markup, style)  # spaces fold, as a Paragraph's do


def _plain(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).strip().replace("\t", "    ")


def para(value: Any, style: ParagraphStyle = BODY) -> Flowable:
    return line_or_para(_plain(value), text(value), style)


def labelled(label: str, value: Any, style: ParagraphStyle = BODY) -> Paragraph:
    """ "Label: value" in one paragraph, the label bold."""
    return Para(f"<b>{escape(label)}:</b> {text(value)}", style)


def when(value: Any, where: str, *, short: bool = False) -> str | None:
    """A timestamp from the document as an officer reads it, in London time.

    `short` drops the weekday, for the narrow date columns of tables.
    """
    if value is None:
        return None
    moment = parse_timestamp(value, where) if not isinstance(value, datetime) else value
    return moment.astimezone(LONDON).strftime("%d %b %Y %H:%M" if short else "%a %d %b %Y, %H:%M")


def moment(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    return value if isinstance(value, datetime) else parse_timestamp(value, where)


def heading(title: str) -> Flowable:
    return line_or_para(title, escape(title), HEADING)


def none_recorded(what: str = "None recorded.") -> Flowable:
    return line_or_para(what, escape(what), BODY)


class Gap(Flowable):  # type: ignore[misc]
    """Air between parts of a summary that shrinks to what is left on the page.

    A plain Spacer that does not fit is carried onto a new page by itself: after a section that
    ends exactly at the foot of the last page, that made a summary end with a blank page. A gap
    never starts a page: at the foot of one it is as tall as the room left, even none."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, max(0.0, min(self.height, available_height))

    def draw(self) -> None:
        pass


def section(title: str, *body: Flowable) -> list[Flowable]:
    """A heading never left alone at the foot of a page, then its body, then a little air.

    A conditional page break rather than KeepTogether: a long table then starts under its heading
    instead of being pushed whole onto a fresh page.
    """
    need = SECTION_MIN_SPACE
    for position, flowable in enumerate(body[:3]):
        lead = getattr(flowable, "lead_height", 0.0)
        if lead:
            need = max(need, 12 * mm + position * 14 * mm + lead)
            break
    return [CondPageBreak(need), heading(title), *body, Gap(2 * mm)]
