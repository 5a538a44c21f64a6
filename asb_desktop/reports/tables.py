"""Tables that split cleanly across pages, with their heading row repeated.

ReportLab cannot be trusted to split inside a row when the heading repeats (the heading is drawn
again mid-page), so a row never splits here: long text is cut into pieces of a few hundred words,
each its own row, and the rows of one record share a rule beneath them. A short record is kept
whole on one page.
"""

from __future__ import annotations

import re
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

CHUNK = 900  # characters of free text in one table row; a row is far shorter than a page
KEEP_WHOLE = 2400  # a record with up to this much text never splits across pages


class Pieces(list[tuple[str | None, Any]]):
    """A cell made of labelled parts ("How it made them feel: …"), each cut into rows."""


def chunks(value: Any) -> list[Any]:
    """Free text cut at paragraph breaks, then at spaces, into pieces of at most CHUNK chars."""
    if not isinstance(value, str) or len(value) <= CHUNK:
        return [value]
    out: list[str] = []
    for block in re.split(r"\n\s*\n", value):
        while len(block) > CHUNK:
            cut = block.rfind(" ", 0, CHUNK)
            cut = cut if cut > CHUNK // 2 else CHUNK
            out.append(block[:cut])
            block = block[cut:].lstrip()
        if block.strip():
            out.append(block)
    return out or [value]


PADDING = 12  # ReportLab's default left plus right cell padding, in points


def _wrapped(value: Any, style: Any, width: float) -> str:
    """A value as a plain string cell, broken into lines; an empty value is "Not recorded"."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = "" if value is None else str(value).strip()
    if not text:
        return NOT_RECORDED
    room = width - PADDING
    font, size = style.fontName, style.fontSize
    if "\n" not in text and len(text) < 60 and stringWidth(text, font, size) <= room:
        return text
    return "\n".join(break_lines(text, font, size, room, room))


def _cell_parts(cell: Any, style: Any, width: float) -> list[Flowable | str]:
    if isinstance(cell, Flowable):
        return [cell]
    if isinstance(cell, Pieces):
        parts: list[Flowable | str] = []
        for label, value in cell:
            for i, piece in enumerate(chunks(value)):
                if label and i == 0:
                    parts.append(
                        LabelledText(label, piece, size=style.fontSize, leading=style.leading)
                    )
                else:
                    parts.append(_wrapped(piece, style, width))
        return parts
    return [_wrapped(piece, style, width) for piece in chunks(cell)]


def _size(cell: Any) -> int:
    if isinstance(cell, Pieces):
        return sum(_size(value) + len(label or "") for label, value in cell)
    return len(cell) if isinstance(cell, str) else 20


def _expand(
    record: Sequence[Any], style: Any, widths: Sequence[float]
) -> tuple[list[list[Any]], bool]:
    """One record as table rows (continuation rows leave the other cells blank), and whether it
    is short enough to keep whole on one page."""
    columns = [_cell_parts(cell, style, w) for cell, w in zip(record, widths, strict=True)]
    height = max(len(c) for c in columns)
    rows = [[c[i] if i < len(c) else "" for c in columns] for i in range(height)]
    return rows, sum(_size(cell) for cell in record) <= KEEP_WHOLE


class SummaryTable(Table):  # type: ignore[misc]
    """A Table that knows how tall its heading and first record are (`lead_height`), so the
    section heading above it can ask for that much room instead of being left orphaned."""

    lead_height: float = 0.0


def _lead_height(rows: list[list[Any]], upto: int, widths: list[float]) -> float:
    probe = Table(rows[:upto], colWidths=widths)
    return float(probe.wrap(sum(widths), 10_000)[1]) + 10


def _table(
    rows: list[list[Any]],
    groups: list[tuple[int, int, bool]],
    widths: list[float],
    *,
    style: Any,
    heading: bool,
    label_column: bool,
) -> SummaryTable:
    table = SummaryTable(rows, colWidths=widths, repeatRows=1 if heading else 0, hAlign="LEFT")
    if groups:
        table.lead_height = _lead_height(rows, groups[0][1] + 1, widths)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), style.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("LEADING", (0, 0), (-1, -1), style.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
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
    for first, last, whole in groups:
        commands += [
            ("TOPPADDING", (0, first), (-1, first), 3),
            ("BOTTOMPADDING", (0, last), (-1, last), 4),
            ("LINEBELOW", (0, last), (-1, last), 0.4, RULE),
        ]
        if whole and last > first:
            commands.append(("NOSPLIT", (0, first), (-1, last)))
    table.setStyle(TableStyle(commands))
    return table


def listing(
    headings: Sequence[str], records: Sequence[Sequence[Any]], widths: Sequence[float]
) -> SummaryTable:
    """Records under a heading row that repeats on every page the table runs onto."""
    scale = BODY_WIDTH / sum(widths)
    points = [w * scale for w in widths]
    rows: list[list[Any]] = [
        [_wrapped(h, CELL_HEAD, w) for h, w in zip(headings, points, strict=True)]
    ]
    groups: list[tuple[int, int, bool]] = []
    for record in records:
        start = len(rows)
        expanded, whole = _expand(record, SMALL, points)
        rows.extend(expanded)
        groups.append((start, len(rows) - 1, whole))
    return _table(rows, groups, points, style=SMALL, heading=True, label_column=False)


def facts(pairs: Sequence[tuple[str, Any]]) -> SummaryTable:
    """Label and value, two columns; a long value runs on in rows beneath its label."""
    widths = [46 * mm, BODY_WIDTH - 46 * mm]
    rows: list[list[Any]] = []
    groups: list[tuple[int, int, bool]] = []
    for label, value in pairs:
        start = len(rows)
        expanded, whole = _expand(["", value], BODY, widths)
        expanded[0][0] = _wrapped(label, LABEL, widths[0])
        rows.extend(expanded)
        groups.append((start, len(rows) - 1, whole))
    return _table(rows, groups, widths, style=BODY, heading=False, label_column=True)
