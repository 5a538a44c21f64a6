"""The team view's two charts, drawn with Matplotlib on its Qt canvas (QtAgg).

Why Matplotlib (3.11): it embeds in Qt as a widget, writes PNG and SVG itself (`savefig`) with
the same text and layout as on screen, lays out long officer names without clipping
(constrained layout), and picks a bar or a point under the mouse (pick events), so a chart's
figures open the cases behind them as the table's do. pyqtgraph 0.14 was measured too: it loads
in about half the time (0.35 s against 0.65 s on this machine, numpy included in both), but
its SVG exporter fails on PySide6 6.11 ("not enough values to unpack" in correctCoordinates),
and its bars take no clicks. Either way the library is imported here only, when the team view
is first drawn, never at start-up (issue 17).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from asb_desktop.domain.team_figures import (
    MonthLine,
    OfficerLine,
    Overdue,
    Scope,
    Slice,
    month_words,
    short_month,
)
from asb_desktop.ui.team.chart_colours import ChartColours

CHART_DPI = 96


def _matplotlib() -> tuple[Any, Any]:
    """The Figure and the Qt canvas classes, imported on first use (about 0.6 s)."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    return Figure, FigureCanvasQTAgg


def _rc_context(settings: Any) -> Any:
    from matplotlib import rc_context

    return rc_context(settings)


class ChartPanel(QWidget):
    """One chart. `sig_figure(slice, words)`: a bar or point was clicked."""

    sig_figure = Signal(object, str)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setAccessibleDescription("The same figures are in the table beside this chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(380, 260)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.figure: Any = None
        self.canvas: Any = None
        self._picks: dict[Any, list[tuple[Slice, str]]] = {}  # an artist's figures
        self.colours: ChartColours | None = None

    def _fresh(self, colours: ChartColours) -> Any:
        if self.figure is None:
            figure_class, canvas_class = _matplotlib()
            self.figure = figure_class(dpi=CHART_DPI, layout="constrained")
            self.canvas = canvas_class(self.figure)
            self.canvas.setFocusPolicy(self.canvas.focusPolicy().NoFocus)  # the table has it
            self.canvas.mpl_connect("pick_event", self._picked)
            self._layout.addWidget(self.canvas)
        self.figure.clear()
        self._picks.clear()
        self.colours = colours
        self.figure.set_facecolor(colours.background)
        return self.figure

    def _style(self, axes: Any, colours: ChartColours) -> None:
        axes.set_facecolor(colours.background)
        for spine in axes.spines.values():
            spine.set_color(colours.text)
        axes.tick_params(colors=colours.text, labelsize=colours.font_size)
        axes.yaxis.label.set_color(colours.text)
        axes.xaxis.label.set_color(colours.text)
        axes.grid(
            True, color=colours.grid, linewidth=0.6, alpha=1.0 if colours.high_contrast else 0.8
        )
        axes.set_axisbelow(True)

    def _title(self, axes: Any, words: str, colours: ChartColours) -> None:
        axes.set_title(words, loc="left", color=colours.text, fontsize=colours.font_size + 1)

    def _legend(self, axes: Any, colours: ChartColours) -> None:
        """Under the chart, outside the plot: it never covers a bar or a point."""
        handles, labels = [], []
        for each in self.figure.axes:
            found = each.get_legend_handles_labels()
            handles += found[0]
            labels += found[1]
        legend = self.figure.legend(
            handles,
            labels,
            fontsize=colours.font_size,
            loc="outside lower center",
            ncols=len(labels),
            frameon=True,
        )
        legend.get_frame().set_facecolor(colours.background)
        legend.get_frame().set_edgecolor(colours.text)
        for text in legend.get_texts():
            text.set_color(colours.text)

    def _pickable(self, artist: Any, figures: list[tuple[Slice, str]]) -> None:
        """A bar (one figure) or a line (one figure a point) that opens its cases when clicked."""
        artist.set_picker(5 if len(figures) > 1 else True)
        self._picks[artist] = figures

    def _picked(self, event: Any) -> None:
        figures = self._picks.get(event.artist)
        if not figures:
            return
        points = getattr(event, "ind", None)
        where, words = figures[int(points[0]) if points is not None and len(points) else 0]
        self.sig_figure.emit(where, words)

    def draw_months(self, months: Sequence[MonthLine], colours: ChartColours) -> None:
        """New cases a month (above) and the share of first responses on time (below)."""
        figure = self._fresh(colours)
        self.setMinimumHeight(420)
        cases_axes, share_axes = figure.subplots(2, 1, sharex=True, height_ratios=(1, 1))
        x = list(range(len(months)))
        labels = [short_month(m.month).replace(" ", "\n") for m in months]  # "Jan\n26": fits
        (line,) = cases_axes.plot(
            x,
            [m.received for m in months],
            marker="o",
            color=colours.series[0],
            linewidth=colours.line_width,
            linestyle=colours.line_styles[0],
            label="New cases",
        )
        self._pickable(
            line, [(Slice(month=m.month), f"New cases in {month_words(m.month)}") for m in months]
        )
        self._title(cases_axes, "New cases a month", colours)
        cases_axes.set_ylim(bottom=0)
        self._style(cases_axes, colours)
        for index, (severity, words) in enumerate(
            (("serious", "1 working day (serious)"), ("general", "3 working days (general)"))
        ):
            shares = [m.compliance(severity) for m in months]
            (share_line,) = share_axes.plot(
                x,
                [float("nan") if s is None else s * 100 for s in shares],
                marker="os"[index],
                color=colours.series[index + 1],
                linewidth=colours.line_width,
                linestyle=colours.line_styles[index + 1],
                label=words,
            )
            self._pickable(
                share_line,
                [
                    (
                        Slice(month=m.month, severity=severity),
                        f"{severity.capitalize()} cases received in {month_words(m.month)}",
                    )
                    for m in months
                ],
            )
        self._title(share_axes, "First responses on time (%)", colours)
        share_axes.set_ylim(0, 105)
        share_axes.set_xticks(x, labels, rotation=0)
        self._style(share_axes, colours)
        self._legend(share_axes, colours)
        self.canvas.draw_idle()

    def draw_officers(self, officers: Sequence[OfficerLine], colours: ChartColours) -> None:
        """Open cases and overdue work by officer, as horizontal bars (long names fit)."""
        figure = self._fresh(colours)
        self.setMinimumHeight(max(260, 46 * len(officers) + 100))  # every name readable
        axes = figure.subplots()
        shown = list(reversed(officers))  # the first officer at the top
        y = list(range(len(shown)))
        height = 0.38
        series: tuple[tuple[str, Callable[[OfficerLine], int], Slice], ...] = (
            ("Open now", lambda o: o.open_now, Slice(scope=Scope.OPEN)),
            (
                "Overdue (any kind)",
                lambda o: o.first_responses_overdue + o.updates_overdue + o.actions_overdue,
                Slice(scope=Scope.OPEN, overdue=Overdue.ANY),
            ),
        )
        for index, (words, value, base) in enumerate(series):
            bars = axes.barh(
                [v + (height / 2 if index == 0 else -height / 2) for v in y],
                [value(o) for o in shown],
                height=height,
                color=colours.series[index]
                if not colours.high_contrast or index == 0
                else colours.background,
                edgecolor=colours.text if colours.high_contrast else colours.series[index],
                hatch=colours.hatches[index],
                linewidth=1.5 if colours.high_contrast else 0.5,
                label=words,
            )
            for bar, officer in zip(bars, shown, strict=True):
                where = Slice(scope=base.scope, overdue=base.overdue, officer=officer.officer)
                self._pickable(bar, [(where, f"{words}: {officer.name}")])
        axes.set_yticks(y, [o.name for o in shown])
        self._title(axes, "Open cases and overdue work by officer", colours)
        self._style(axes, colours)
        self._legend(axes, colours)
        self.canvas.draw_idle()

    def export(self, path: Path) -> None:
        """PNG or SVG by the file's suffix, written whole: to a hidden file beside it, then
        renamed over it (a failed write leaves nothing half-written)."""
        kind = path.suffix.lower().lstrip(".")
        if kind not in {"png", "svg"}:
            raise ValueError(f"{path.name} must end .png or .svg")
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # Text kept as text in SVG (found, read aloud and selectable), not as outlines.
            with os.fdopen(descriptor, "wb") as out, _rc_context({"svg.fonttype": "none"}):
                self.figure.savefig(
                    out,
                    format=kind,
                    dpi=144 if kind == "png" else CHART_DPI,
                    facecolor=self.figure.get_facecolor(),
                )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
