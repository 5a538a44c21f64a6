"""The team view (issue 16): for a Team Leader or above, the team's figures for a period.

Overdue work by officer in words; cases and overdue work by officer (table and bars); the last
twelve months' new cases and first responses on time against the 1 and 3 working-day targets
(table and lines); the period's cases by state, severity, risk, kind of ASB and NSIR category.
Every chart has its figures in a table beside it, and every figure (a table cell, a chart's bar
or point, a line of words) opens the list of cases behind it. Painted in three steps, so the
first frame never waits for the rest: the headline (the period's cases by state and overdue
work by officer, two small index reads), then the other tables (read off the GUI thread after
it), then the charts (the charting library loaded on the first drawing).
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.domain.calendar import LONDON, WorkingDayCalendar
from asb_desktop.domain.figures import Period, financial_year_start
from asb_desktop.domain.team_figures import (
    SECTIONS,
    STATE_HEADING,
    Figure,
    OfficerLine,
    Overdue,
    Scope,
    Slice,
    TeamFigures,
    TeamHeadline,
    month_words,
    overdue_words,
    percent,
)
from asb_desktop.domain.wording import counted
from asb_desktop.services.team_view import TeamView
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.team.chart_colours import chart_colours
from asb_desktop.ui.team.figure_table import FigureTable

# Headings on two lines, so each table and its chart fit side by side at 1366x768.
OFFICER_HEADINGS = (
    "Officer",
    "Received in\nthe period",
    "Open\nnow",
    "First responses\noverdue",
    "Updates\noverdue",
    "Actions\noverdue",
    "High\nrisk",
    "Case Review\ncandidates",
)
MONTH_HEADINGS = (
    "Month",
    "New\ncases",
    "On time: 1 working day\n(serious)",
    "On time: 3 working days\n(general)",
)


def _label(text: str, role: str | None = None) -> QLabel:
    label = QLabel(text)
    if role:  # a hint reads in high contrast too: ui/style.py's `style_sheet`
        label.setProperty("role", role)
    label.setWordWrap(True)
    return label


def unkerned_width(label: QLabel) -> int:
    """Wide enough for its letters one by one: a mnemonic's underline draws the letters apart,
    without the kerning Qt measures with, so "&To" was cut to "Tc" at 1366x768."""
    metrics = label.fontMetrics()
    return sum(metrics.horizontalAdvance(c) for c in label.text().replace("&", "")) + 2


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TeamScreen(QWidget):
    sig_open_case = Signal(str)

    def __init__(self, team: TeamView, calendar: WorkingDayCalendar) -> None:
        super().__init__()
        self.team = team
        self.calendar = calendar
        self.setAccessibleName("Team view")
        self.headline: TeamHeadline | None = None  # shown first; the figures follow
        self.figures: TeamFigures | None = None
        self._asked = 0  # refreshes asked for: an answer to an older one is not shown
        self.dialog: Any = None
        # The opening period's figures are asked for before the widgets are built, so the
        # store is read (on a worker) while they are; `refresh` then has nothing to add.
        today = team.casework.clock().astimezone(LONDON).date()
        self._opening: Period | None = Period(financial_year_start(today), today)
        self._read(self._opening)
        self.charts: dict[str, Any] = {}
        self.export_notes: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(_label("Team view", "heading"))
        layout.addWidget(
            _label(
                "The team's cases received in the period (London days, both included), and what "
                "is open and overdue now. Choose a figure and press Return to list its cases.",
                "hint",
            )
        )
        layout.addLayout(self._period_row())
        self.status = _label("", "hint")
        self.status.setAccessibleName("Team view status")
        layout.addWidget(self.status)

        self.overdue_label = _label("&Overdue now, by officer", "subheading")
        self.overdue = QListWidget()
        self.overdue.setAccessibleName("Overdue now, by officer")
        self.overdue.setWordWrap(True)
        self.overdue.itemActivated.connect(self._overdue_chosen)
        self.overdue_label.setBuddy(self.overdue)
        layout.addWidget(self.overdue_label)
        layout.addWidget(self.overdue)

        self.officer_label = _label("By offic&er", "subheading")
        self.officer_table = FigureTable("Cases by officer", OFFICER_HEADINGS)
        self.officer_label.setBuddy(self.officer_table)
        self.officer_export = QPushButton("Export officer &chart…")
        layout.addWidget(self.officer_label)
        layout.addLayout(self._beside(self.officer_table, "officers", self.officer_export))

        self.month_label = _label("Each mont&h, the last twelve", "subheading")
        self.month_table = FigureTable(
            "New cases and first responses on time each month", MONTH_HEADINGS
        )
        self.month_label.setBuddy(self.month_table)
        self.month_export = QPushButton("Export &month chart…")
        layout.addWidget(self.month_label)
        layout.addWidget(
            _label(
                "First responses on time: the share of those due that were given by their "
                "deadline (1 working day for serious cases, 3 for general ones); a response "
                "not yet due is not counted.",
                "hint",
            )
        )
        layout.addLayout(self._beside(self.month_table, "months", self.month_export))

        self.counts_label = _label("Cases received in the period", "subheading")
        layout.addWidget(self.counts_label)
        self.count_grid = QGridLayout()
        self.count_tables: dict[str, FigureTable] = {}
        self._add_count_tables(SECTIONS[:1])  # by state: in the headline; the others with the rest
        layout.addLayout(self.count_grid)
        layout.addStretch()

        for table in (self.officer_table, self.month_table):
            self._follow(table)
        self.officer_export.clicked.connect(lambda: self.ask_export("officers"))
        self.month_export.clicked.connect(lambda: self.ask_export("months"))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _add_count_tables(self, sections: tuple[str, ...]) -> None:
        """The period's count tables not built yet: all but the state's are built when their
        figures arrive (below the first frame at 1366x768), so building them never delays it."""
        for section in sections:
            if section in self.count_tables:
                continue
            index = SECTIONS.index(section)
            table = FigureTable(
                f"Cases received in the period by {section.lower()}", (section, "Cases")
            )
            self.count_tables[section] = table
            self._follow(table)
            self.count_grid.addWidget(
                table, index // 3, index % 3, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
            )

    def _scroll_area(self) -> QScrollArea | None:
        holder = self.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        return holder

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The screen scrolls to what the keys reach (Alt+H, Tab): never focus out of sight."""
        if new is None or not self.isAncestorOf(new):
            return
        holder = self._scroll_area()
        if holder is not None:
            holder.ensureWidgetVisible(new, 24, 24)
        if isinstance(new, FigureTable):
            self._cell_in_sight(new)

    def _cell_in_sight(self, table: FigureTable) -> None:
        """The chosen cell of a table as tall as its rows stays on screen as the arrows move it
        (the screen scrolls, not the table)."""
        holder, item = self._scroll_area(), table.currentItem()
        inside = holder.widget() if holder is not None else None
        if holder is None or inside is None or item is None or not table.hasFocus():
            return
        cell = table.visualItemRect(item)
        centre = table.viewport().mapTo(inside, cell.center())
        holder.ensureVisible(
            centre.x(), centre.y(), cell.width() // 2 + 24, cell.height() // 2 + 24
        )

    def _follow(self, table: FigureTable) -> None:
        table.sig_figure.connect(self.show_cases)
        table.currentCellChanged.connect(lambda *_: self._cell_in_sight(table))

    # --- layout -------------------------------------------------------------------------------

    def _period_row(self) -> QHBoxLayout:
        assert self._opening is not None
        row = QHBoxLayout()
        self.first_day = QDateEdit(_qdate(self._opening.first))
        self.last_day = QDateEdit(_qdate(self._opening.last))
        for edit, words, name in (
            (self.first_day, "&From", "First day of the period"),
            (self.last_day, "&To", "Last day of the period"),
        ):
            edit.setDisplayFormat("d MMM yyyy")
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            label = QLabel(words)
            label.setBuddy(edit)
            label.setMinimumWidth(unkerned_width(label))
            row.addWidget(label)
            row.addWidget(edit)
        self.show_button = QPushButton("&Show figures")
        self.show_button.setAutoDefault(True)
        self.show_button.clicked.connect(self.refresh)
        row.addWidget(self.show_button)
        row.addStretch()
        return row

    def _beside(self, table: FigureTable, chart: str, export: QPushButton) -> QHBoxLayout:
        """The table and, to its right, its chart (drawn later) with its export button."""
        row = QHBoxLayout()
        row.addWidget(table, 0, Qt.AlignmentFlag.AlignTop)
        holder = QVBoxLayout()
        place = QWidget()
        place.setMinimumSize(380, 260)
        inside = QVBoxLayout(place)
        inside.setContentsMargins(0, 0, 0, 0)
        holder.addWidget(place, 1)
        line = QHBoxLayout()
        note = _label("")  # what became of an export, said where the keys are
        note.setAccessibleName("Export of the chart")
        self.export_notes[chart] = note
        line.addWidget(note, 1)
        line.addWidget(export)
        holder.addLayout(line)
        row.addLayout(holder, 1)
        self.charts[chart + ".place"] = place
        return row

    # --- reading ------------------------------------------------------------------------------

    def period(self) -> Period | None:
        first, last = _day(self.first_day.date()), _day(self.last_day.date())
        if first > last:
            return None
        return Period(first, last)

    def refresh(self) -> None:
        period = self.period()
        if period is None:
            self.status.setText(
                "⚠ The first day is after the last: choose a first day on or before the last."
            )
            self.status.setProperty("role", "error")
            self.status.style().polish(self.status)
            return
        self.status.setProperty("role", "hint")
        self.status.style().polish(self.status)
        opening, self._opening = self._opening, None
        if period != opening:  # else its figures are already on their way
            self._read(period)
        if self.headline is None or self.headline.period != period:
            self.status.setText("Reading the figures…")

    def _read(self, period: Period) -> None:
        """The headline first; the rest asked for once it is painted (the next turn of the
        event loop), so its reading never delays that first frame."""
        self._asked += 1
        asked, team, now = self._asked, self.team, self.team.casework.clock()

        def rest() -> None:
            if asked != self._asked:
                return
            reading = Operation(self, lambda: team.figures(period, now), name="team.figures")
            reading.read_only().success(
                lambda f: self.show_figures(f) if asked == self._asked else None
            ).failure(self._failed).run()

        def headline_read(headline: TeamHeadline) -> None:
            if asked == self._asked:
                self.show_headline(headline)
                QTimer.singleShot(0, self, rest)

        first = Operation(self, lambda: team.headline(period, now), name="team.headline")
        first.read_only().success(headline_read).failure(self._failed).run()

    def _failed(self, _: Exception) -> None:
        self.status.setText("⚠ The figures could not be read from the case database.")

    def show_headline(self, headline: TeamHeadline) -> None:
        """The first frame: cases by state and overdue work by officer; the rest follows."""
        if self.figures is not None and self.figures.period != headline.period:
            for table in (self.officer_table, self.month_table, *self.count_tables.values()):
                table.set_rows([])  # not another period's figures beside these
        self.headline, self.figures = headline, None
        self._say_received(headline.received, headline.period)
        self._fill_overdue(headline)
        self._fill_counts(STATE_HEADING, headline.states)

    def show_figures(self, figures: TeamFigures) -> None:
        self.figures = figures
        self._say_received(figures.received, figures.period)
        if self.headline is None or self.headline.now != figures.now:
            self._fill_overdue(figures)  # else the headline's, the same figures, kept as chosen
        self._fill_officers(figures.officers)
        self._fill_months(figures)
        self._add_count_tables(SECTIONS)
        for section in self.count_tables:
            self._fill_counts(section, figures.counts[section])
        QTimer.singleShot(0, self, self.draw_charts)  # after this paint

    def _say_received(self, received: int, period: Period) -> None:
        self.status.setText(
            f"{counted(received, 'case')} received from {period.first:%-d %B %Y} to "
            f"{period.last:%-d %B %Y}."
        )

    def _fill_counts(self, section: str, figures: tuple[Figure, ...]) -> None:
        self.count_tables[section].set_rows(
            [
                [(f.label, None, ""), (f"{f.count:,}", f.slice, f"{section}: {f.label}")]
                for f in figures
            ]
        )

    def _fill_overdue(self, figures: TeamFigures | TeamHeadline) -> None:
        self.overdue.clear()
        for line in figures.officers:
            words = overdue_words(line, figures.now, self.calendar)
            if words is None:
                continue
            item = QListWidgetItem(words)
            item.setData(
                Qt.ItemDataRole.UserRole,
                (
                    Slice(scope=Scope.OPEN, overdue=Overdue.ANY, officer=line.officer),
                    f"Overdue now: {line.name}",
                ),
            )
            self.overdue.addItem(item)
        if self.overdue.count() == 0:
            self.overdue.addItem(QListWidgetItem("Nothing is overdue."))
        rows = self.overdue.count()
        self.overdue.setFixedHeight(min(rows, 8) * (self.overdue.sizeHintForRow(0) + 2) + 8)
        self.overdue.setCurrentRow(0)

    def _fill_officers(self, officers: tuple[OfficerLine, ...]) -> None:
        def cell(count: int, where: Slice, what: str, line: OfficerLine) -> tuple[str, Slice, str]:
            return (f"{count:,}", where, f"{what}: {line.name}")

        rows = []
        for o in officers:
            who = o.officer
            rows.append(
                [
                    (o.name, None, ""),
                    cell(o.received, Slice(officer=who), "Received in the period", o),
                    cell(o.open_now, Slice(scope=Scope.OPEN, officer=who), "Open now", o),
                    cell(
                        o.first_responses_overdue,
                        Slice(scope=Scope.OPEN, officer=who, overdue=Overdue.FIRST_RESPONSE),
                        "First responses overdue",
                        o,
                    ),
                    cell(
                        o.updates_overdue,
                        Slice(scope=Scope.OPEN, officer=who, overdue=Overdue.UPDATE),
                        "Updates overdue",
                        o,
                    ),
                    cell(
                        o.actions_overdue,
                        Slice(scope=Scope.OPEN, officer=who, overdue=Overdue.ACTION),
                        "Actions overdue",
                        o,
                    ),
                    cell(
                        o.high_risk,
                        Slice(scope=Scope.OPEN, officer=who, risk_level="high"),
                        "High-risk open cases",
                        o,
                    ),
                    cell(
                        o.review_candidates,
                        Slice(scope=Scope.OPEN, officer=who, review_candidate=True),
                        "Case Review candidates",
                        o,
                    ),
                ]
            )
        self.officer_table.set_rows(rows)

    def _fill_months(self, figures: TeamFigures) -> None:
        rows = []
        for m in figures.months:
            name = month_words(m.month)
            shares = []
            for severity in ("serious", "general"):
                met = m.met.get(severity, 0)
                due = met + m.missed.get(severity, 0)
                text = (
                    f"{percent(m.compliance(severity))} ({met:,} of {due:,})" if due else "none due"
                )
                shares.append(
                    (
                        text,
                        Slice(month=m.month, severity=severity),
                        f"{severity.capitalize()} cases received in {name}",
                    )
                )
            rows.append(
                [
                    (name, None, ""),
                    (f"{m.received:,}", Slice(month=m.month), f"New cases in {name}"),
                    *shares,
                ]
            )
        self.month_table.set_rows(rows)

    # --- charts -------------------------------------------------------------------------------

    def draw_charts(self) -> None:
        """Draw (or redraw) both charts from the figures shown, each to an image on a worker
        (ui/team/charts.py): Matplotlib is imported there on the first drawing, never on the
        GUI thread."""
        from asb_desktop.ui.team.charts import ChartPanel

        if self.figures is None:
            return
        colours = chart_colours(self.palette())
        for key, name in (
            ("officers", "Chart: open cases and overdue work by officer"),
            ("months", "Chart: new cases and first responses on time each month"),
        ):
            if key not in self.charts:
                panel = ChartPanel(name)
                panel.sig_figure.connect(self.show_cases)
                self.charts[key + ".place"].layout().addWidget(panel)
                self.charts[key] = panel
        self.charts["officers"].draw_officers(self.figures.officers, colours)
        self.charts["months"].draw_months(self.figures.months, colours)

    def charts_drawn(self) -> bool:
        """Both charts show the latest figures (tests, benchmarks)."""
        return all(
            key in self.charts
            and self.charts[key].drawn is not None
            and not self.charts[key].busy()
            for key in ("officers", "months")
        )

    def ask_export(self, key: str) -> None:
        if key not in self.charts:
            self.status.setText("⚠ The chart is still being drawn; try again in a moment.")
            return
        dialog = QFileDialog(self, "Export the chart as PNG or SVG")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["PNG image (*.png)", "SVG drawing (*.svg)"])
        dialog.selectFile(f"team-{key}.png")
        dialog.fileSelected.connect(lambda path: self.export_chart(key, Path(path), dialog))
        button = self.officer_export if key == "officers" else self.month_export
        dialog.finished.connect(lambda _: _refocus(button))
        self.dialog = dialog
        dialog.open()

    def export_chart(self, key: str, path: Path, dialog: QFileDialog | None = None) -> None:
        """Written on a worker (drawn anew at the size shown); the status line says when done."""
        if path.suffix.lower() not in {".png", ".svg"}:
            chosen = dialog.selectedNameFilter() if dialog is not None else ""
            path = path.with_name(path.name + (".svg" if "svg" in chosen.lower() else ".png"))

        def say(words: str) -> None:
            self.status.setText(words)
            self.export_notes[key].setText(words)

        def failed(error: Exception) -> None:
            reason = error.strerror if isinstance(error, OSError) else None
            say(f"⚠ The chart could not be written to {path}: {reason or 'a disk fault'}.")

        say(f"Saving the chart as {path}…")
        self.charts[key].export(path).success(
            lambda written: say(f"The chart was saved as {written}.")
        ).failure(failed).run()

    # --- the cases behind a figure ------------------------------------------------------------

    def _overdue_chosen(self, item: QListWidgetItem) -> None:
        found = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(found, tuple):
            self.show_cases(*found)

    def show_cases(self, where: Slice, words: str) -> None:
        from asb_desktop.ui.team.case_list import CaseListDialog

        period, shown = self.period(), self.figures or self.headline
        if period is None or shown is None:
            return
        team, now = self.team, shown.now
        period = shown.period  # the period the figures were read for
        came_from = QApplication.focusWidget()

        def read() -> tuple[Any, int, dict[str, str]]:
            found, total = team.cases(where, period, now)
            names = {c.assigned_to or "": team.officer_name(c.assigned_to) for c in found}
            return found, total, names

        def arrived(result: tuple[Any, int, dict[str, str]]) -> None:
            found, total, names = result
            self.dialog = CaseListDialog(words, found, total, names, self)
            self.dialog.sig_open_case.connect(self.sig_open_case)
            if came_from is not None:  # back to the figure it came from once closed
                self.dialog.rejected.connect(lambda: _refocus(came_from))
            self.dialog.open()

        Operation(self, read, name="team.cases").read_only().success(arrived).failure(
            self._failed
        ).run()


def _refocus(widget: QWidget) -> None:
    with contextlib.suppress(RuntimeError):  # deleted meanwhile
        widget.activateWindow()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
