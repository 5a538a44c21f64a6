"""The figures of this laptop's store for a period (domain/figures.py): the cases received in
it are streamed from the store by their `received_at` column, never all read at once."""

from __future__ import annotations

from typing import Any

from asb_desktop.domain.figures import FiguresTally, Period, homes_of
from asb_desktop.services.casework import Casework
from asb_desktop.store.cases import documents_received


def store_figures(casework: Casework, period: Period) -> dict[str, Any]:
    start, end = period.utc_bounds()
    tally = FiguresTally(period)
    with casework.store.read() as conn:
        tally.add_all(documents_received(conn, start, end))
    return tally.figures(homes_of(casework.directory()))
