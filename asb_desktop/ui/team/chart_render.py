"""The team view's two charts drawn to an image off the GUI thread, with Matplotlib's
object-oriented API on its Agg canvas (never pyplot, which is not thread-safe): one new Figure a
job. What the user can click (a bar, a point) is worked out here from the drawn figure's own
transforms and handed back with the image as `Hit`s in the widget's coordinates, so a click
needs no Matplotlib on the GUI thread.

Why Matplotlib (3.11): it writes PNG and SVG itself (`savefig`) with the same text and layout as
on screen, lays out long officer names without clipping (constrained layout), and draws to a
plain RGBA buffer that a Qt widget shows. pyqtgraph 0.14 was measured too: it loads in about
half the time (0.35 s against 0.65 s on this machine, numpy included in both), but its SVG
exporter fails on PySide6 6.11 ("not enough values to unpack" in correctCoordinates), and its
bars take no clicks. Either way the library is imported here only, on a worker, when a chart is
first drawn, never at start-up (issue 17).

Nothing here touches a widget: the GUI thread hands in a `ChartRecipe` (plain figures and
colours) and a size, and gets back a `DrawnChart`.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

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

CHART_DPI = 96  # logical pixels an inch, as Qt's
POINT_REACH = 7.0  # logical pixels around a point that still choose it
# Matplotlib's shared state (rcParams, its font and text caches) is not promised thread-safe
# even for separate figures: one drawing at a time, on whichever worker has it.
_drawing = threading.Lock()


@dataclass(frozen=True)
class ChartRecipe:
    """What one chart shows: `kind` is "officers" or "months"; plain data, safe to hand over."""

    kind: str
    officers: tuple[OfficerLine, ...] = ()
    months: tuple[MonthLine, ...] = ()
    colours: ChartColours | None = None


@dataclass(frozen=True)
class Hit:
    """A bar (its rectangle) or a point (its centre, `point=True`) in the image's logical
    pixels, origin top left, and the figure it stands for."""

    left: float
    top: float
    right: float
    bottom: float
    where: Slice
    words: str
    point: bool = False

    def reach(self, x: float, y: float) -> float | None:
        """How far (x, y) is from this figure, or None when out of its reach."""
        if self.point:
            distance = ((x - self.left) ** 2 + (y - self.top) ** 2) ** 0.5
            return distance if distance <= POINT_REACH else None
        inside = self.left <= x <= self.right and self.top <= y <= self.bottom
        return POINT_REACH if inside else None  # a point near it wins over the bar


@dataclass
class DrawnChart:
    """The image (its device pixel ratio set), its size in logical pixels, what can be clicked,
    and the Figure it was drawn from: kept only to be looked at (tests), never drawn again."""

    image: QImage
    width: int
    height: int
    hits: list[Hit] = field(default_factory=list)
    figure: Any = None

    def hit(self, x: float, y: float) -> Hit | None:
        """The figure at (x, y): the nearest point in reach, else the bar under it."""
        found = [(reach, h) for h in self.hits if (reach := h.reach(x, y)) is not None]
        return min(found, key=lambda pair: pair[0])[1] if found else None


def _matplotlib() -> tuple[Any, Any]:
    """The Figure and the Agg canvas classes, imported on first use (about 0.6 s)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return Figure, FigureCanvasAgg


class _Builder:
    """Draws one recipe on one new Figure, noting what each pickable artist stands for."""

    def __init__(self, recipe: ChartRecipe, width: int, height: int, dpi: float) -> None:
        figure_class, canvas_class = _matplotlib()
        assert recipe.colours is not None
        self.colours = recipe.colours
        self.figure = figure_class(
            figsize=(max(width, 1) / CHART_DPI, max(height, 1) / CHART_DPI),
            dpi=dpi,
            layout="constrained",
        )
        self.canvas = canvas_class(self.figure)
        self.figure.set_facecolor(self.colours.background)
        self.picks: list[tuple[Any, list[tuple[Slice, str]]]] = []
        if recipe.kind == "officers":
            self.officers(recipe.officers)
        else:
            self.months(recipe.months)

    def _style(self, axes: Any) -> None:
        colours = self.colours
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

    def _title(self, axes: Any, words: str) -> None:
        axes.set_title(
            words, loc="left", color=self.colours.text, fontsize=self.colours.font_size + 1
        )

    def _legend(self) -> None:
        """Under the chart, outside the plot: it never covers a bar or a point."""
        colours = self.colours
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

    def months(self, months: Sequence[MonthLine]) -> None:
        """New cases a month (above) and the share of first responses on time (below)."""
        colours = self.colours
        cases_axes, share_axes = self.figure.subplots(2, 1, sharex=True, height_ratios=(1, 1))
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
        self.picks.append(
            (line, [(Slice(month=m.month), f"New cases in {month_words(m.month)}") for m in months])
        )
        self._title(cases_axes, "New cases a month")
        cases_axes.set_ylim(bottom=0)
        self._style(cases_axes)
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
            self.picks.append(
                (
                    share_line,
                    [
                        (
                            Slice(month=m.month, severity=severity),
                            f"{severity.capitalize()} cases received in {month_words(m.month)}",
                        )
                        for m in months
                    ],
                )
            )
        self._title(share_axes, "First responses on time (%)")
        share_axes.set_ylim(0, 105)
        share_axes.set_xticks(x, labels, rotation=0)
        self._style(share_axes)
        self._legend()

    def officers(self, officers: Sequence[OfficerLine]) -> None:
        """Open cases and overdue work by officer, as horizontal bars (long names fit)."""
        colours = self.colours
        axes = self.figure.subplots()
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
                self.picks.append((bar, [(where, f"{words}: {officer.name}")]))
        axes.set_yticks(y, [o.name for o in shown])
        self._title(axes, "Open cases and overdue work by officer")
        self._style(axes)
        self._legend()

    def hits(self, ratio: float) -> list[Hit]:
        """Where each bar and point landed, from the drawn figure's transforms: display pixels
        (origin bottom left, device pixels) turned into logical pixels from the top left."""
        tall = self.figure.bbox.height
        found: list[Hit] = []
        for artist, figures in self.picks:
            if hasattr(artist, "get_xydata"):  # a line: one figure a point
                points = artist.get_transform().transform(artist.get_xydata())
                for (x, y), (where, words) in zip(points, figures, strict=True):
                    if x != x or y != y:  # NaN: no share that month, no point drawn
                        continue
                    left, top = x / ratio, (tall - y) / ratio
                    found.append(Hit(left, top, left, top, where, words, point=True))
            else:  # a bar
                box = artist.get_window_extent()
                where, words = figures[0]
                found.append(
                    Hit(
                        box.x0 / ratio,
                        (tall - box.y1) / ratio,
                        box.x1 / ratio,
                        (tall - box.y0) / ratio,
                        where,
                        words,
                    )
                )
        return found


def draw_chart(recipe: ChartRecipe, width: int, height: int, ratio: float = 1.0) -> DrawnChart:
    """On a worker: the chart at `width` x `height` logical pixels, `ratio` device pixels each."""
    with _drawing:
        built = _Builder(recipe, width, height, CHART_DPI * ratio)
        built.canvas.draw()
        buffer = built.canvas.buffer_rgba()
        rows, columns = buffer.shape[0], buffer.shape[1]
        image = QImage(
            bytes(buffer), columns, rows, columns * 4, QImage.Format.Format_RGBA8888
        ).copy()  # its own pixels, not Matplotlib's buffer
        image.setDevicePixelRatio(ratio)
        return DrawnChart(image, width, height, built.hits(ratio), built.figure)


def export_chart(recipe: ChartRecipe, width: int, height: int, path: Path) -> Path:
    """On a worker: PNG or SVG by the file's suffix, as on screen, written whole: to a hidden
    file beside it, then renamed over it (a failed write leaves nothing half-written)."""
    from matplotlib import rc_context

    kind = path.suffix.lower().lstrip(".")
    if kind not in {"png", "svg"}:
        raise ValueError(f"{path.name} must end .png or .svg")
    with _drawing:
        built = _Builder(recipe, width, height, CHART_DPI)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # Text kept as text in SVG (found, read aloud and selectable), not as outlines.
            with os.fdopen(descriptor, "wb") as out, rc_context({"svg.fonttype": "none"}):
                built.figure.savefig(
                    out,
                    format=kind,
                    dpi=144 if kind == "png" else CHART_DPI,
                    facecolor=built.figure.get_facecolor(),
                )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return path
