"""The charts' colours, from the window's palette (so a dark or high-contrast system theme is
followed) and the platform's contrast preference (ui/style.py's `high_contrast_wanted`:
ASB_DESKTOP_HIGH_CONTRAST=1 asks for it where the platform cannot say, an X session). Meaning
never rests on colour: every series is named in a legend and a table beside it, and in high
contrast each series also has its own line style and hatching."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from asb_desktop.ui.style import contrast, high_contrast_wanted, luminance

# The app's navy (ui/style.py's rail), a dark orange and a dark green: each at least 4.5:1
# against white, and told apart by people with the common colour-vision deficiencies.
LIGHT_SERIES = ("#1f3b57", "#b34700", "#2f6b3b")
DARK_SERIES = ("#8cc4ff", "#ffb066", "#8ee59b")  # the same, for a dark background
HATCHES = ("", "///", "xx")
LINE_STYLES = ("-", "--", ":")

__all__ = ["ChartColours", "chart_colours", "contrast", "high_contrast_wanted", "luminance"]


@dataclass(frozen=True)
class ChartColours:
    background: str
    text: str
    grid: str
    series: tuple[str, ...]
    high_contrast: bool
    hatches: tuple[str, ...] = ("", "", "")
    line_styles: tuple[str, ...] = ("-", "-", "-")
    line_width: float = 2.0
    font_size: float = 9.5


def chart_colours(palette: QPalette, high_contrast: bool | None = None) -> ChartColours:
    if high_contrast is None:
        high_contrast = high_contrast_wanted()
    background = palette.color(QPalette.ColorRole.Base).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    dark = luminance(QColor(background)) < 0.4
    if high_contrast:
        # The palette's own text colour for every series (the strongest contrast there is),
        # told apart by line style and hatching; the highlight colour where it is as strong.
        highlight = palette.color(QPalette.ColorRole.Highlight).name()
        second = highlight if contrast(highlight, background) >= 7 else text
        return ChartColours(
            background=background,
            text=text,
            grid=text,
            series=(text, second, text),
            high_contrast=True,
            hatches=HATCHES,
            line_styles=LINE_STYLES,
            line_width=3.0,
            font_size=11.0,
        )
    series = DARK_SERIES if dark else LIGHT_SERIES
    grid = "#5a6470" if dark else "#c8d0d8"
    return ChartColours(background, text, grid, series, False)
