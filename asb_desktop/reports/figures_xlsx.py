"""The figures as a spreadsheet for a board (`asb-desktop figures --xlsx FILE`): one sheet, the
rows of the CSV under a bold heading, numbers kept as numbers (openpyxl). `asb-central figures
--xlsx` writes the same sheet (asb_central/figures.py: the server may not import this layer)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from asb_desktop.domain.figures import figure_rows


def figures_xlsx(figures: Mapping[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Figures"
    sheet.append(["section", "measure", "value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figure_rows(figures):
        sheet.append(list(row))
    for column, width in (("A", 18), ("B", 34), ("C", 14)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
