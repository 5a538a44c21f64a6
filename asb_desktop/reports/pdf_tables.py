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
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from asb_desktop.reports.fast_text import text_line
from asb_desktop.reports.fonts import BOLD, REGULAR
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
from asb_desktop.reports.textcell import LabelledText, break_lines, width_of

ROW_LINES = 10  # lines of text in one table row: short rows let long text fill each page
KEEP_WHOLE = 300.0  # points: a record no taller than this never splits across pages
PADDING = 12  # ReportLab's default left plus right cell padding, in points
TOP, BOTTOM, TOP_RUN, BOTTOM_RUN = 3, 4, 0, 1  # a record's outer and inner row paddings


class Pieces(list[tuple[str | None, Any]]):
    """A cell made of labelled parts ("How it made them feel: …"), each run on as needed."""


@dataclass(frozen=True)
class Row:
    """One table row as drawn: its cells' parts, its height with paddings, and its look."""

    cells: list[Any]
    height: float
    top: float  # padding above the text
    rule: tuple[float, Any] | None = None  # (width, colour) of the line beneath
    keep_with_next: bool = False  # inside a record kept whole: no page break after this row
    fill: Any = None  # the whole row's background (the heading)
    bold: bool = False  # every cell bold (the heading)


class SummaryTable(Flowable):  # type: ignore[misc]
    """Rows of pre-broken lines, drawn straight onto the canvas: what a ReportLab Table with
    these styles drew (the same positions, fills and rules, the heading row repeated after a
    page break, a short record never split), without the Table's per-cell style machinery,
    which was most of a summary's time. `lead_height` is how tall the heading and the first
    record are, so the section heading above can ask for that much room."""

    lead_height: float = 0.0

    def __init__(
        self,
        rows: Sequence[Row],
        widths: Sequence[float],
        *,
        font: str,
        size: float,
        leading: float,
        heading: bool,
        label_fill: Any = None,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.widths = list(widths)
        self.font, self.size, self.leading = font, size, leading
        self.has_heading = heading
        self.label_fill = label_fill  # the first column's background and bold (label: value)
        self.width = sum(self.widths)
        self.height = sum(row.height for row in self.rows)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def _part(self, rows: Sequence[Row]) -> SummaryTable:
        return SummaryTable(
            rows, self.widths, font=self.font, size=self.size, leading=self.leading,
            heading=self.has_heading, label_fill=self.label_fill,
        )  # fmt: skip

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """At the last row boundary that fits and is not inside a record kept whole (as
        ReportLab's Table splits by rows); nothing when not even the heading and one row fit."""
        used, split_at = 0.0, 0
        for n, row in enumerate(self.rows, start=1):
            if used + row.height > availHeight:
                break
            used += row.height
            if not row.keep_with_next:
                split_at = n
        repeat = 1 if self.has_heading else 0
        if split_at <= repeat:
            return []
        if split_at == len(self.rows):
            return [self]
        head = self.rows[:repeat]
        return [self._part(self.rows[:split_at]), self._part(head + self.rows[split_at:])]

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        lefts = [sum(self.widths[:i]) for i in range(len(self.widths))]
        tops, top = [], self.height
        for row in self.rows:
            tops.append(top)
            top -= row.height
        for row, top in zip(self.rows, tops, strict=True):  # fills first, text over them
            if row.fill is not None:
                canv.setFillColor(row.fill)
                canv.rect(0, top - row.height, self.width, row.height, stroke=0, fill=1)
            if self.label_fill is not None:
                canv.setFillColor(self.label_fill)
                canv.rect(0, top - row.height, self.widths[0], row.height, stroke=0, fill=1)
        canv.setLineCap(1)
        for row, top in zip(self.rows, tops, strict=True):
            if row.rule is not None:
                canv.setStrokeColor(row.rule[1])
                canv.setLineWidth(row.rule[0])
                canv.line(0, top - row.height, self.width, top - row.height)
        # One text object for the lines of many cells (a drawString per line was the cost),
        # ended before a drawn cell so the file's text keeps the reading order.
        canv.setFillColor(INK)
        text, font = canv.beginText(), ""
        for row, top in zip(self.rows, tops, strict=True):
            for column, part in enumerate(row.cells):
                x = lefts[column] + PADDING / 2
                if isinstance(part, LabelledText):
                    part.write(text, x, top - row.top)
                    font = REGULAR
                    continue
                if isinstance(part, Flowable):
                    canv.drawText(text)
                    _, height = part.wrapOn(canv, part.width, 10_000)
                    part.drawOn(canv, x, top - row.top - height)
                    text, font = canv.beginText(), ""
                    continue
                if not part:
                    continue
                bold = row.bold or (column == 0 and self.label_fill is not None)
                if font != (BOLD if bold else self.font):
                    font = BOLD if bold else self.font
                    text.setFont(font, self.size, self.leading)
                text.setTextOrigin(x, top - row.top - self.size)
                for line in part.split("\n"):
                    text_line(text, line)
        canv.drawText(text)
        canv.restoreState()


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = "" if value is None else str(value).strip()
    return text or NOT_RECORDED


def _lines(value: Any, style: Any, room: float) -> list[str]:
    text = _display(value)
    font, size = style.fontName, style.fontSize
    if "\n" not in text and len(text) < 60 and width_of(text, font, size) <= room:
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
        self.heights: list[float] = []  # each row's, paddings included
        self.groups: list[tuple[int, int, float, float]] = []
        self.head_height = 0.0

    def heading(self, headings: Sequence[str]) -> None:
        cells = [
            _runs(_lines(h, CELL_HEAD, w - PADDING))[0]
            for h, w in zip(headings, self.widths, strict=True)
        ]
        self.rows.append(cells)
        self.head_height = max(_height(c, CELL_HEAD, 0) for c in cells) + 6
        self.heights.append(self.head_height)

    def record(self, cells: Sequence[Any]) -> None:
        rows, heights = _record_rows(cells, self.styles, self.widths)
        start = len(self.rows)
        self.groups.append((start, start + len(rows) - 1, sum(heights), heights[0]))
        self.rows.extend(rows)
        self.heights.extend(heights)

    def build(self, *, label_column: bool = False) -> SummaryTable:
        heading = self.head_height > 0
        rows: list[Row] = []
        if heading:
            rows.append(Row(self.rows[0], self.head_height, 3, (0.8, ACCENT), fill=HEADER_FILL,
                            bold=True))  # fmt: skip
        for first, last, height, _ in self.groups:
            whole = last > first and height <= KEEP_WHOLE
            for i in range(first, last + 1):
                rows.append(
                    Row(
                        self.rows[i],
                        self.heights[i],
                        TOP if i == first else TOP_RUN,
                        (0.4, RULE) if i == last else None,
                        keep_with_next=whole and i < last,
                    )
                )
        table = SummaryTable(
            rows,
            self.widths,
            font=self.style.fontName,
            size=self.style.fontSize,
            leading=self.style.leading,
            heading=heading,
            label_fill=LABEL_FILL if label_column else None,
        )
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
