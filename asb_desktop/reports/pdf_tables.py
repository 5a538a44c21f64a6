"""Tables that split cleanly across pages, with their heading row repeated.

ReportLab cannot be trusted to split inside a row when the heading repeats (the heading is drawn
again mid-page), so a row never splits here. Instead every cell's text is broken into lines up
front, and a long text runs on in continuation rows of at most ROW_LINES lines; the rows of one
record share the rule beneath them, and a short record is kept whole on one page. Knowing every
line also gives each row's exact height, so a section heading can ask for room for its first
record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from asb_desktop.reports.fonts import BOLD
from asb_desktop.reports.styles import (
    ACCENT,
    BODY,
    BODY_WIDTH,
    CELL_HEAD,
    HEADER_FILL,
    INK,
    LABEL,
    LABEL_FILL,
    NOT_RECORDED,
    RULE,
    SMALL,
)
from asb_desktop.reports.textcell import LabelledText, break_lines

ROW_LINES = 10  # lines of text in one table row: short rows let long text fill each page
KEEP_WHOLE = 300.0  # points: a record no taller than this never splits across pages
PADDING = 12  # ReportLab's default left plus right cell padding, in points
TOP, BOTTOM, TOP_RUN, BOTTOM_RUN = 3, 4, 0, 1  # a record's outer and inner row paddings


class Pieces(list[tuple[str | None, Any]]):
    """A cell made of labelled parts ("How it made them feel: …"), each run on as needed."""


class SummaryTable(Table):  # type: ignore[misc]
    """A Table that knows how tall its heading and first record are (`lead_height`), so the
    section heading above it can ask for that much room instead of being left orphaned."""

    lead_height: float = 0.0


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = "" if value is None else str(value).strip()
    return text or NOT_RECORDED


def _lines(value: Any, style: Any, room: float) -> list[str]:
    text = _display(value)
    font, size = style.fontName, style.fontSize
    if "\n" not in text and len(text) < 60 and stringWidth(text, font, size) <= room:
        return [text]
    return break_lines(text, font, size, room, room)


def _runs(lines: list[str]) -> list[str]:
    """Lines grouped into row-sized runs, each one plain string cell."""
    return ["\n".join(lines[i : i + ROW_LINES]) for i in range(0, len(lines), ROW_LINES)]


def _cell_parts(cell: Any, style: Any, width: float) -> list[Any]:
    """A cell's content as a list of row-sized parts: strings, or a labelled first part."""
    room = width - PADDING
    if isinstance(cell, Flowable):
        return [cell]
    if not isinstance(cell, Pieces):
        return _runs(_lines(cell, style, room))
    parts: list[Any] = []
    for label, value in cell:
        if not label:
            parts += _runs(_lines(value, style, room))
            continue
        head = LabelledText(
            label,
            _display(value),
            room,
            size=style.fontSize,
            leading=style.leading,
            max_lines=ROW_LINES,
        )
        parts.append(head)
        parts += _runs(head.overflow)
    return parts


def _height(part: Any, style: Any, width: float) -> float:
    if isinstance(part, str):
        return (part.count("\n") + 1) * style.leading if part else 0.0
    return float(part.wrap(width - PADDING, 10_000)[1])


def _record_rows(
    record: Sequence[Any], styles: Sequence[Any], widths: Sequence[float]
) -> tuple[list[list[Any]], list[float]]:
    """One record as table rows (continuation rows leave the other cells blank) and their
    heights, paddings included."""
    layout = list(zip(record, styles, widths, strict=True))
    columns = [_cell_parts(cell, style, w) for cell, style, w in layout]
    count = max(len(c) for c in columns)
    rows = [[c[i] if i < len(c) else "" for c in columns] for i in range(count)]
    heights = []
    for i, row in enumerate(rows):
        text = max(_height(part, style, w) for part, (_, style, w) in zip(row, layout, strict=True))
        heights.append(
            text + (TOP if i == 0 else TOP_RUN) + (BOTTOM if i == count - 1 else BOTTOM_RUN)
        )
    return rows, heights


class _Builder:
    """Collects rows and the record each belongs to, then styles the table."""

    def __init__(self, widths: Sequence[float], style: Any, first_style: Any = None) -> None:
        self.widths = list(widths)
        self.style = style
        self.styles = [first_style or style] + [style] * (len(self.widths) - 1)
        self.rows: list[list[Any]] = []
        self.groups: list[tuple[int, int, float, float]] = []
        self.head_height = 0.0

    def heading(self, headings: Sequence[str]) -> None:
        cells = [
            _runs(_lines(h, CELL_HEAD, w - PADDING))[0]
            for h, w in zip(headings, self.widths, strict=True)
        ]
        self.rows.append(cells)
        self.head_height = max(_height(c, CELL_HEAD, 0) for c in cells) + 6

    def record(self, cells: Sequence[Any]) -> None:
        rows, heights = _record_rows(cells, self.styles, self.widths)
        start = len(self.rows)
        self.groups.append((start, start + len(rows) - 1, sum(heights), heights[0]))
        self.rows.extend(rows)

    def build(self, *, label_column: bool = False) -> SummaryTable:
        heading = self.head_height > 0
        table = SummaryTable(
            self.rows, colWidths=self.widths, repeatRows=1 if heading else 0, hAlign="LEFT"
        )
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.style.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), self.style.fontSize),
            ("LEADING", (0, 0), (-1, -1), self.style.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("TOPPADDING", (0, 0), (-1, -1), TOP_RUN),
            ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_RUN),
        ]
        if heading:
            commands += [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("TOPPADDING", (0, 0), (-1, 0), 3),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
            ]
        if label_column:
            commands += [
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("FONTNAME", (0, 0), (0, -1), BOLD),
            ]
        for first, last, height, _ in self.groups:
            commands += [
                ("TOPPADDING", (0, first), (-1, first), TOP),
                ("BOTTOMPADDING", (0, last), (-1, last), BOTTOM),
                ("LINEBELOW", (0, last), (-1, last), 0.4, RULE),
            ]
            if last > first and height <= KEEP_WHOLE:
                commands.append(("NOSPLIT", (0, first), (-1, last)))
        table.setStyle(TableStyle(commands))
        if self.groups:
            first, last, height, first_row = self.groups[0]
            whole = last == first or height <= KEEP_WHOLE
            table.lead_height = self.head_height + (height if whole else first_row) + 4
        return table


def listing(
    headings: Sequence[str], records: Sequence[Sequence[Any]], widths: Sequence[float]
) -> SummaryTable:
    """Records under a heading row that repeats on every page the table runs onto."""
    scale = BODY_WIDTH / sum(widths)
    builder = _Builder([w * scale for w in widths], SMALL)
    builder.heading(headings)
    for record in records:
        builder.record(record)
    return builder.build()


def facts(pairs: Sequence[tuple[str, Any]]) -> SummaryTable:
    """Label and value, two columns; a long value runs on in rows beneath its label."""
    builder = _Builder([46 * mm, BODY_WIDTH - 46 * mm], BODY, first_style=LABEL)
    for label, value in pairs:
        builder.record([label, value])
    return builder.build(label_column=True)
