"""One team-view chart on screen: an image drawn off the GUI thread (ui/team/chart_render.py,
through ui/operations), so the window keeps answering while Matplotlib draws. A click on a bar
or a point opens the cases behind it, found from the figure's own transforms worked out with
the drawing. Keyboard users have the same figures in the table beside each chart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from asb_desktop.domain.team_figures import MonthLine, OfficerLine
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.team.chart_colours import ChartColours
from asb_desktop.ui.team.chart_render import (
    ChartRecipe,
    DrawnChart,
    Hit,
    draw_chart,
    export_chart,
)


class ChartPanel(QWidget):
    """One chart. `sig_figure(slice, words)`: a bar or point was clicked. `sig_drawn`: a new
    image is shown."""

    sig_figure = Signal(object, str)
    sig_drawn = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setAccessibleDescription("The same figures are in the table beside this chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(380, 260)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table beside it has the keys
        self.setMouseTracking(True)  # a pointing hand over what opens cases
        self.recipe: ChartRecipe | None = None
        self.drawn: DrawnChart | None = None
        self._drawing = False  # a drawing is on a worker
        self._wanted = False  # the image shown is not of the latest figures or size
        self._soon = QTimer(self)  # many asks in one turn of the loop: one drawing
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._draw)

    @property
    def colours(self) -> ChartColours | None:
        return self.recipe.colours if self.recipe is not None else None

    @property
    def figure(self) -> object:
        """The Figure the shown image was drawn from (to be looked at; never drawn again)."""
        return self.drawn.figure if self.drawn is not None else None

    def busy(self) -> bool:
        """A drawing is wanted or on its way: the image shown is not yet the latest."""
        return self._drawing or self._wanted

    # --- what to draw -------------------------------------------------------------------------

    def draw_months(self, months: tuple[MonthLine, ...], colours: ChartColours) -> None:
        self.setMinimumHeight(420)
        self._show(ChartRecipe("months", months=tuple(months), colours=colours))

    def draw_officers(self, officers: tuple[OfficerLine, ...], colours: ChartColours) -> None:
        self.setMinimumHeight(max(260, 46 * len(officers) + 100))  # every name readable
        self._show(ChartRecipe("officers", officers=tuple(officers), colours=colours))

    def _show(self, recipe: ChartRecipe) -> None:
        self.recipe = recipe
        self._want()

    def _want(self) -> None:
        self._wanted = True
        self._soon.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._wanted:
            self._soon.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.recipe is not None:
            self._want()  # drawn again at the new size; the old image stretched meanwhile

    def _draw(self) -> None:
        """One drawing on a worker at a time; wanted again meanwhile, the latest follows it.
        Only once shown: at the size its layout gave it (not Qt's first 640x480)."""
        if self.recipe is None or self._drawing or not self._wanted or not self.isVisible():
            return
        self._drawing, self._wanted = True, False
        recipe, width, height = self.recipe, self.width(), self.height()
        ratio = self.devicePixelRatioF()
        Operation(
            self, lambda: draw_chart(recipe, width, height, ratio), name="team.chart"
        ).read_only().success(self._arrived).failure(self._failed).run()

    def _arrived(self, drawn: DrawnChart) -> None:
        self._drawing = False
        self.drawn = drawn
        self.update()
        self._draw()  # if wanted again meanwhile
        self.sig_drawn.emit()

    def _failed(self, _error: Exception) -> None:
        self._drawing = False
        self.drawn = None
        self.update()
        self._draw()

    # --- on screen ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colours = self.colours
        if colours is not None:
            painter.fillRect(self.rect(), QColor(colours.background))
        else:
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.drawn is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self.drawn.image)  # stretched while resized
        else:
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            words = "The chart could not be drawn." if not self.busy() else "Drawing the chart…"
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, words)
        painter.end()

    def hit_at(self, x: float, y: float) -> Hit | None:
        """The figure under a point of this widget (the image may be stretched meanwhile)."""
        drawn = self.drawn
        if drawn is None or self.width() <= 0 or self.height() <= 0:
            return None
        return drawn.hit(x * drawn.width / self.width(), y * drawn.height / self.height())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        spot = event.position()
        over = self.hit_at(spot.x(), spot.y()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            spot = event.position()
            found = self.hit_at(spot.x(), spot.y())
            if found is not None:
                self.sig_figure.emit(found.where, found.words)
                return
        super().mouseReleaseEvent(event)

    # --- export -------------------------------------------------------------------------------

    def export(self, path: Path) -> Operation[Path]:
        """An operation writing the chart as shown to a PNG or SVG file (by its suffix), drawn
        anew on a worker; the caller adds what to say and runs it."""
        recipe, width, height = self.recipe, self.width(), self.height()
        if recipe is None:
            raise ValueError("there is no chart to export yet")
        return Operation(
            self, lambda: export_chart(recipe, width, height, path), name="team.chart.export"
        ).read_only()
