"""The main window: navigation rail, the screens, the status bar, shortcuts, and the idle lock.

Screens refresh from the one Changes hub; all reading and writing goes through the background
helper, so the window stays responsive with 100,000 cases stored.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QMargins, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QKeySequence,
    QMoveEvent,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.directory import Directory
from asb_desktop.ui.caseload.caseload_view import CaseloadScreen
from asb_desktop.ui.changes import Changed, change_hub
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.late_services import LateServices
from asb_desktop.ui.operations import Operation, wait_for_operations
from asb_desktop.ui.store_check import StoreNotice
from asb_desktop.ui.style import icon, style_sheet
from asb_desktop.ui.window_geometry import (
    Placement,
    PlacementFile,
    fitted,
    kept_inside,
    screen_named,
    smallest_on,
)

# Only the caseload is built with the window; every other screen is built, and its modules
# loaded, on its first visit (see MainWindow.workspace, .new_report, .settings): start-up then
# loads and lays out only what the first paint shows.
# The lock screen, idle watch and reminders need the services: they are built with them
# (MainWindow._start_services), which for a window opened with its first page come after it.
if TYPE_CHECKING:
    from asb_desktop.store.first_page import FirstPage
    from asb_desktop.ui.first_run.first_run_wizard import FirstRunWizard
    from asb_desktop.ui.intake.new_report_page import NewReportScreen
    from asb_desktop.ui.lock.lock_screen import IdleWatcher, LockScreen
    from asb_desktop.ui.reminders import ReminderController
    from asb_desktop.ui.settings.settings_page import SettingsScreen
    from asb_desktop.ui.sync.sync_controller import SyncController
    from asb_desktop.ui.team.team_screen import TeamScreen
    from asb_desktop.ui.workspace.workspace_screen import CaseWorkspace

FRAME_CHECK_MS, FRAME_CHECKS = 25, 80  # up to two seconds for the window manager's frame
PLACEMENT_SAVE_MS = 500
SYNC_START_MS = 3000  # sync's page and timers at the latest this long after the window shows
SERVICES_POLL_MS = 15  # how often the window looks whether its services, made behind, are there
TEAM_KEY = "team"  # the team view's rail entry: offered to a Team Leader or above only
RAIL = (
    ("caseload", "Caseload"),
    ("new_report", "New report"),
    ("sync", "Sync"),
    ("settings", "Settings"),
)


@dataclass(frozen=True)
class StartupFacts:
    directory: Directory
    officer: str | None
    has_pin: bool
    idle_minutes: int
    nation: str
    signed_in: str = ""
    """Who the status bar says is signed in: the officer's name (see services/actors.py)."""
    team_view: bool = False
    """A Team Leader or above: the rail offers the team view (and Ctrl+T opens it)."""


def load_startup(services: Services) -> StartupFacts:
    from asb_desktop.services.team_view import TeamView

    return StartupFacts(
        signed_in=services.officer.display_name(),  # and the audit follows the chosen officer
        directory=services.casework.directory(),
        officer=services.actions.officer(),
        has_pin=services.lock.has_pin(),
        idle_minutes=services.lock.idle_minutes(),
        nation=services.casework.calendar().nation.value,
        team_view=TeamView(services.casework).may_see(services.actions.officer()),
    )


def first_field(screen: QWidget) -> QWidget | None:
    """The first widget of `screen` that Tab would reach, shown and enabled."""
    widget = screen.nextInFocusChain()
    while widget is not None and widget is not screen and screen.isAncestorOf(widget):
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and widget.isVisible() and widget.isEnabled():
            return widget
        widget = widget.nextInFocusChain()
    return None


class ScreenStack(QStackedWidget):
    """A stack whose screens each sit in a scroll area of their own: a screen taller or wider
    than the window scrolls instead of being cut off (down to 1280x720 with a title bar, and at
    twice the scale). Callers see the screens themselves: `currentWidget()` is the screen and
    `setCurrentWidget(screen)` shows it. A screen that scrolls within itself (the New report
    guide keeps its Back/Next/Save footer in view) fits the viewport and never scrolls here
    unless the window is smaller than its smallest size."""

    def __init__(self) -> None:
        super().__init__()
        self._outer: dict[QWidget, QWidget] = {}
        self._inner: dict[QWidget, QWidget] = {}

    def add_screen(self, screen: QWidget, *, scroll: bool = True) -> None:
        holder: QWidget = screen
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never a Tab stop of its own
            area.setAccessibleName(screen.accessibleName() or "Screen")
            area.setWidget(screen)
            holder = area
        self._outer[screen], self._inner[holder] = holder, screen
        self.addWidget(holder)

    def added(self) -> list[QWidget]:
        """Every screen in the stack so far (those built on first visit once visited)."""
        return list(self._outer)

    def scroll_area(self, screen: QWidget) -> QScrollArea | None:
        holder = self._outer.get(screen)
        return holder if isinstance(holder, QScrollArea) else None

    def currentWidget(self) -> QWidget | None:
        holder = super().currentWidget()
        return self._inner.get(holder, holder) if holder is not None else None

    def setCurrentWidget(self, screen: QWidget) -> None:
        super().setCurrentWidget(self._outer.get(screen, screen))


class MainWindow(QMainWindow):
    sig_ready = Signal()
    """The start-up facts are loaded and the window is usable (or asks for a PIN)."""

    def __init__(
        self, services: Services | LateServices, first_page: FirstPage | None = None
    ) -> None:
        """`first_page`: the caseload's first page, read as the store opened (with
        `LateServices`, made once that page is on screen); None: read here, as always."""
        super().__init__()
        self._late = services if isinstance(services, LateServices) else None
        self.services = cast(Services, services)
        self.facts: StartupFacts | None = None
        self._services_started = False
        self._focused_at_start = False
        self._lock_screen: LockScreen | None = None
        self._idle_watch: IdleWatcher | None = None
        self._reminders: ReminderController | None = None
        self._services_poll = QTimer(self, interval=SERVICES_POLL_MS)
        self._services_poll.timeout.connect(self._services_made)
        self.locked = False
        organisation = services.presets.organisation_name
        self.setWindowTitle(f"ASB Desktop · {organisation}" if organisation else "ASB Desktop")
        self.first_run: FirstRunWizard | None = None
        self.withdrawn = False  # revoked centrally: the store is deleted once the window closes
        self.start_failed = False  # the services, made after the first page, could not be
        self._focus_before_lock: QWidget | None = None
        self.setStyleSheet(style_sheet(self.palette()))  # hints readable in high contrast
        self.placements = PlacementFile(services.data_dir)
        self._placed: QSize | None = None  # the size place_on_screen chose, until re-fitted
        self._frame_checks = 0
        self.frame_watch = QTimer(self, interval=FRAME_CHECK_MS)
        self.frame_watch.timeout.connect(self._framed)
        # Where the window is, kept a moment after it was moved or resized (not only at close:
        # a shut-down or a kill never runs closeEvent). Only for a window place_on_screen placed.
        self.keep_placement = QTimer(self, singleShot=True, interval=PLACEMENT_SAVE_MS)
        self.keep_placement.timeout.connect(self.save_placement)
        self._remembers_place = False
        self.setMinimumSize(smallest_on(self.screen().availableGeometry(), self._margins()))
        self.resize(self.minimumSize())  # place_on_screen() gives it the screen

        self.root = ScreenStack()
        self.setCentralWidget(self.root)
        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.rail = QListWidget()
        self.rail.setObjectName("rail")
        self.rail.setAccessibleName("Navigation")
        self.rail.setIconSize(QSize(24, 24))
        self.rail.setFixedWidth(170)
        for key, text in RAIL:
            item = QListWidgetItem(icon(key), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.rail.addItem(item)
        body.addWidget(self.rail)
        self.screens = ScreenStack()
        body.addWidget(self.screens, 1)

        self.caseload = CaseloadScreen(self.services)
        if first_page is None:
            self.caseload.apply_filter()  # the first page is read while the rest is built
        else:
            calendar = WorkingDayCalendar(first_page.nation)
            now = self._late.clock() if self._late is not None else datetime.now(UTC)
            self.caseload.show_first_page(first_page, calendar, now)
        self._workspace: CaseWorkspace | None = None  # these three: built on first visit
        self._new_report: NewReportScreen | None = None
        self._settings: SettingsScreen | None = None
        self.sync = QWidget()  # the sync page, built once the window is usable (see _start_sync)
        self.sync_layout = QVBoxLayout(self.sync)
        self.sync_controller: SyncController | None = None
        self.team: TeamScreen | None = None  # the team view, built when first opened
        for screen in (self.caseload, self.sync):
            self._add_screen(screen)
        self.root.add_screen(self.body, scroll=False)  # each of its screens scrolls

        self.who = QLabel("Signed in: …")
        self.who.setAccessibleName("Who is signed in")
        self.statusBar().addWidget(self.who)
        encrypted = QLabel("Data stored encrypted")
        encrypted.setToolTip(f"Encrypted case database in {services.data_dir}")
        self.statusBar().addPermanentWidget(encrypted)
        # The store's faults in words, and its page check once the window is ready.
        self.store_notice = StoreNotice(self, services.store, self.sig_ready)
        for notice in services.notices:  # e.g. the store was moved here: enrol again
            self.store_notice.say(notice)

        self.rail.currentRowChanged.connect(self._rail_chosen)
        self.caseload.sig_open_case.connect(self.open_case)
        change_hub().sig_changed.connect(self._changed)
        self._shortcut(QKeySequence.StandardKey.New, lambda: self.show_screen("new_report"))
        self._shortcut(QKeySequence.StandardKey.Find, self.search_cases)
        # Lock from anywhere, an open action form included.
        self._shortcut("Ctrl+L", self.lock, Qt.ShortcutContext.ApplicationShortcut)

        self.rail.setCurrentRow(0)
        if first_page is None:
            self._start_services()
        else:  # once the window shows: the page is on screen, the services are made behind it
            QTimer.singleShot(0, self, self._first_page_on_screen)

    # --- what needs the services --------------------------------------------------------------

    def _start_services(self) -> None:
        """The lock screen and idle watch, today's reminders, and the start-up facts: at once
        for a window that read its own first page; after the first page otherwise, or sooner
        if one of them is needed sooner (the services are then made at once)."""
        if self._services_started:
            return
        self._services_started = True
        self._services_poll.stop()
        from asb_desktop.services.lock import DEFAULT_IDLE_MINUTES
        from asb_desktop.ui.lock.lock_screen import IdleWatcher, LockScreen
        from asb_desktop.ui.reminders import ReminderController

        services = self.services
        self._lock_screen = LockScreen(services.lock)
        self.root.add_screen(self._lock_screen)
        self._idle_watch = IdleWatcher(DEFAULT_IDLE_MINUTES)
        self._idle_watch.pause()
        self._idle_watch.sig_idle.connect(self._idle)
        self._lock_screen.sig_unlocked.connect(self.unlock)
        # Today's reminders: at sign-in, on the first use of a new London day, at midnight.
        self._reminders = ReminderController(self, services)
        self._reminders.sig_open_case.connect(self.open_case)
        if self._late is not None:
            for notice in self._late.services().notices:  # e.g. the store was moved here
                self.store_notice.say(notice)
            self.caseload.model.fetch_count()
        self.reload_settings()

    @property
    def lock_screen(self) -> LockScreen:
        self._start_services()
        assert self._lock_screen is not None
        return self._lock_screen

    @property
    def idle(self) -> IdleWatcher:
        self._start_services()
        assert self._idle_watch is not None
        return self._idle_watch

    @property
    def reminders(self) -> ReminderController:
        self._start_services()
        assert self._reminders is not None
        return self._reminders

    def _first_page_on_screen(self) -> None:
        """The window shows its first page, read as the store opened: focus where the officer
        starts (the caseload's search), the page announced, then the services made behind
        (unless something needed them already)."""
        behind = not self._services_started
        if behind:
            self.focus_screen()
            self._focused_at_start = True
        self.caseload.model.announce_loaded()
        if behind and self._late is not None:
            self._late.load_behind()
            self._services_poll.start()

    def _services_made(self) -> None:
        late = self._late
        if late is None or not late.ready:
            return
        self._services_poll.stop()
        if late.problem is not None:
            self._services_failed(late.problem)
            return
        self._start_services()

    def _services_failed(self, problem: BaseException) -> None:
        """The services could not be made (a fault of the store's, said in words): as when the
        store cannot be opened, said and the window closed."""
        from PySide6.QtWidgets import QMessageBox

        from asb_desktop.store.faults import StoreError

        words = (
            str(problem)
            if isinstance(problem, StoreError)
            else ("The case database could not be opened. Nothing has been changed.")
        )
        QMessageBox.critical(self, "ASB Desktop", words)
        self._services_started = True  # nothing more to start
        self.start_failed = True
        self.close()

    def _add_screen(self, screen: QWidget) -> None:
        screen.setContentsMargins(12, 8, 12, 8)
        self.screens.add_screen(screen)

    # --- the screens built on first visit -------------------------------------------------------

    @property
    def workspace(self) -> CaseWorkspace:
        """A case's workspace, built when the first case is opened."""
        if self._workspace is None:
            from asb_desktop.ui.summaries.print_summary_dialog import SummaryPrinter
            from asb_desktop.ui.workspace.workspace_screen import CaseWorkspace

            workspace = CaseWorkspace(self.services)
            workspace.set_print_hook(SummaryPrinter(self.services))
            workspace.sig_back.connect(lambda: self.show_screen("caseload"))
            self._add_screen(workspace)
            self._workspace = workspace
        return self._workspace

    @property
    def new_report(self) -> NewReportScreen:
        """The New report guide and its drafts, built on first visit."""
        if self._new_report is None:
            from asb_desktop.ui.intake.new_report_page import NewReportScreen

            facts = self.facts
            screen = NewReportScreen(self.services, facts.directory if facts else Directory())
            screen.sig_open_case.connect(self.open_case)
            self._add_screen(screen)
            self._new_report = screen
        return self._new_report

    @property
    def settings(self) -> SettingsScreen:
        """The Settings page, built on first visit and filled from the start-up facts."""
        if self._settings is None:
            from asb_desktop.ui.settings.settings_page import SettingsScreen

            screen = SettingsScreen(self.services)
            screen.sig_change_pin.connect(self.change_pin)
            screen.sig_connect.connect(self.connect_central)
            self._add_screen(screen)
            self._settings = screen
            if self.facts is not None:
                self._show_settings(self.facts)
        return self._settings

    def _show_settings(self, facts: StartupFacts) -> None:
        self.settings.show_values(
            directory=facts.directory,
            officer=facts.officer,
            idle=facts.idle_minutes,
            nation=facts.nation,
        )

    def _shortcut(
        self, keys: Any, slot: Any, context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
    ) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(context)
        shortcut.activated.connect(lambda: None if self.locked else slot())

    # --- sync -------------------------------------------------------------------------------

    def _start_sync_after_first_page(self) -> None:
        """Sync's stack loads on the GUI thread once the caseload's first page is on screen
        (or could not be read, or after SYNC_START_MS whatever happens), not before it: queued
        at once, its imports ran ahead of the page's arrival and the window waited for them."""
        started = False

        def start(*_: object) -> None:
            nonlocal started
            if not started:
                started = True
                QTimer.singleShot(0, self, self._start_sync)  # not at all if the window is gone

        if self.caseload.model.lines or not self.caseload.model.first_page_pending:
            start()
            return
        self.caseload.model.sig_loaded.connect(start)
        self.caseload.model.sig_failed.connect(start)
        QTimer.singleShot(SYNC_START_MS, self, start)

    def _start_sync(self) -> None:
        """Sync's page, status corner and timers, set up after the window is usable: its HTTP
        stack costs a few tenths of a second to load, which start-up should not wait for."""
        from asb_desktop.ui.sync.sync_controller import SyncController
        from asb_desktop.ui.sync.sync_page import SyncPage
        from asb_desktop.ui.sync.sync_status import SyncStatusWidget

        controller = SyncController(self.services.sync, parent=self)
        self.sync_controller = controller
        connect = QPushButton("&Connect to the central store…")
        connect.setToolTip("Enrol this laptop with a web address and one-time code from IT")
        connect.clicked.connect(self.connect_central)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(connect)
        self.sync_layout.addLayout(row)
        self.sync_layout.addWidget(SyncPage(controller), 1)
        self.statusBar().addPermanentWidget(SyncStatusWidget(controller))
        controller.sig_sign_in_needed.connect(lambda _message: self.connect_central())
        controller.sig_withdrawn.connect(self._withdrawn)
        controller.start()

    def _withdrawn(self, summary: Any) -> None:
        """Revoked centrally (proved): say so, then close; the store is deleted once closed
        (launch.close_services). Marked at once, so any way the window closes deletes it."""
        from asb_desktop.ui.sync.withdrawn_notice import tell_withdrawn

        self.withdrawn = True
        self.idle.stop()
        tell_withdrawn(self, summary, self.close)

    def connect_central(self) -> None:
        from asb_desktop.ui.sync.connect_dialog import ConnectDialog

        if self.locked or self.sync_controller is None:
            return
        dialog = ConnectDialog(self.services.sync, self)
        preset_url = self.services.presets.central_store_url
        if preset_url and not dialog.url.text():
            dialog.url.setText(preset_url)  # IT's address, so the officer types only the code
        controller = self.sync_controller
        dialog.sig_connected.connect(lambda _user: self._connected(controller))
        dialog.open()

    def _connected(self, controller: SyncController) -> None:
        controller.refresh_status()
        controller.sync_now()

    def _changed(self, changed: Changed) -> None:
        if changed.cases:
            self.caseload.refresh()
        if changed.settings:
            self.reload_settings()

    # --- settings and start-up ----------------------------------------------------------------

    def reload_settings(self) -> None:
        services = self.services
        services.casework.forget_directory()
        reading = Operation(self, lambda: load_startup(services), name="settings.read")
        reading.read_only().success(self._facts_loaded).failure(self._facts_failed).run()

    def _facts_failed(self, _: Exception) -> None:
        self.statusBar().showMessage("⚠ Settings could not be read from the case database.")

    def _facts_loaded(self, facts: StartupFacts) -> None:
        first = self.facts is None
        self.facts = facts
        self.caseload.set_directory(facts.directory)
        self.caseload.set_officer(facts.officer)
        if self._new_report is not None:  # else it is built with this directory
            self._new_report.wizard.set_directory(facts.directory)
        if self._settings is not None:  # else it is filled when built
            self._show_settings(facts)
        self.who.setText(f"Signed in: {facts.signed_in}")
        self._offer_team_view(facts.team_view)
        self.idle.set_minutes(facts.idle_minutes)
        if first and not facts.has_pin:
            self.locked = True
            self.idle.pause()
            self.lock_screen.wait_for_first_run()
            self.root.setCurrentWidget(self.lock_screen)
            from asb_desktop.ui.first_run.first_run_wizard import FirstRunWizard

            self.first_run = FirstRunWizard(self.services, facts.directory, self)
            self.first_run.sig_done.connect(self._first_run_done)
            # Closed before the end: the lock screen asks for the PIN itself.
            self.first_run.rejected.connect(self._first_run_closed)
            self.first_run.open()
        elif self.locked:
            self.idle.pause()
        elif first:
            if not self._focused_at_start:  # a window that showed its first page has focus
                self.focus_screen()  # the caseload's search, not the navigation rail
            self.reminders.check()  # signed in (the passphrase or the keyring): due today
        if first:
            self._start_sync_after_first_page()
        self.sig_ready.emit()

    def _first_run_closed(self) -> None:
        if self.locked:
            self.lock_screen.ask(setting_up=True)

    def _first_run_done(self, _: object) -> None:
        self.unlock()
        self.reload_settings()
        if self.sync_controller is not None:  # the laptop may have been enrolled meanwhile
            self.sync_controller.refresh_status()

    # --- navigation ---------------------------------------------------------------------------

    def _offer_team_view(self, allowed: bool) -> None:
        """The team view's rail entry and Ctrl+T, for a Team Leader or above only."""
        keys = [self.rail.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.rail.count())]
        if allowed and TEAM_KEY not in keys:
            item = QListWidgetItem(icon("caseload"), "Team view")
            item.setData(Qt.ItemDataRole.UserRole, TEAM_KEY)
            self.rail.insertItem(2, item)
            self.team_shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
            self.team_shortcut.activated.connect(
                lambda: None if self.locked else self.show_screen(TEAM_KEY)
            )
        elif not allowed and TEAM_KEY in keys:
            if self.rail.currentRow() == keys.index(TEAM_KEY):
                self.show_screen("caseload")
            self.rail.takeItem(keys.index(TEAM_KEY))
            self.team_shortcut.setParent(None)
            self.team_shortcut.deleteLater()
            if self.team is not None:
                self.team.hide()

    def _team_screen(self) -> TeamScreen:
        """Built when first opened: its charting library is not loaded at start-up."""
        if self.team is None:
            from asb_desktop.services.team_view import TeamView
            from asb_desktop.ui.team.team_screen import TeamScreen

            services = self.services
            self.team = TeamScreen(TeamView(services.casework), services.casework.calendar())
            self.team.setContentsMargins(12, 8, 12, 8)
            self.team.sig_open_case.connect(self.open_case)
            self.screens.add_screen(self.team)
            self.team.refresh()
        return self.team

    def _rail_chosen(self, row: int) -> None:
        item = self.rail.item(row) if row >= 0 else None
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else "caseload"
        if key == TEAM_KEY:
            self.screens.setCurrentWidget(self._team_screen())
            return
        if key not in dict(RAIL):
            raise KeyError(key)
        # Each rail key names its screen; a screen not yet built is built now, on first visit.
        target: QWidget = getattr(self, key)
        self.screens.setCurrentWidget(target)
        if key == "new_report":
            self.new_report.enter()

    def show_screen(self, key: str) -> None:
        keys = [self.rail.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.rail.count())]
        row = keys.index(key)
        if self.rail.currentRow() == row:
            self._rail_chosen(row)
        else:
            self.rail.setCurrentRow(row)

    def search_cases(self) -> None:
        self.show_screen("caseload")
        self.caseload.focus_search()

    def open_case(self, case_id: str) -> None:
        self.rail.blockSignals(True)
        self.rail.setCurrentRow(0)
        self.rail.blockSignals(False)
        self.screens.setCurrentWidget(self.workspace)
        self.workspace.open_case(case_id)
        focus_for_keys(self.workspace.back)

    # --- the lock -----------------------------------------------------------------------------

    def _idle(self) -> None:
        self.lock(by="idle")

    def lock(self, by: str = "hand") -> None:
        """Hide every piece of case data until the PIN is given (`by` the idle timer or by hand)."""
        if self.locked:
            return
        from asb_desktop.services.lock import note_locked

        self.locked = True
        note_locked(by)
        focused = QApplication.focusWidget()
        inside = focused is not None and self.body.isAncestorOf(focused)
        self._focus_before_lock = focused if inside else None
        self.idle.pause()
        if self._new_report is not None:
            self._new_report.wizard.flush()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.lock_screen.ask(setting_up=False)
        self.root.setCurrentWidget(self.lock_screen)

    def change_pin(self) -> None:
        """The lock screen asks for the current PIN, then a new one; data stays hidden meanwhile."""
        self.lock()
        self.lock_screen.ask_to_change()

    def unlock(self) -> None:
        self.locked = False
        self.root.setCurrentWidget(self.body)
        self.idle.resume()
        self.focus_screen()
        self.reminders.check()  # signed in: what is due today, once a day

    def focus_screen(self) -> None:
        """Back where the officer was when the window locked; at start, after first run (or if
        that field has gone), the screen's first field: the caseload's search, the report's
        page, the workspace's Back."""
        before, self._focus_before_lock = self._focus_before_lock, None
        try:
            if before is not None and before.isVisible() and self.body.isAncestorOf(before):
                focus_for_keys(before)
                return
        except RuntimeError:  # the widget was deleted meanwhile (a page rebuilt)
            pass
        current = self.screens.currentWidget()
        if current is self.caseload:
            focus_for_keys(self.caseload.search)
        elif current is self._new_report and self.new_report.in_progress():
            self.new_report.wizard.focus_page()
        elif current is self._workspace and current is not None:
            focus_for_keys(self.workspace.back)
        elif current is not None:
            first = first_field(current)
            if first is not None:
                focus_for_keys(first)

    # --- where the window goes ---------------------------------------------------------------

    def _margins(self) -> QMargins:
        """The frame the window manager puts round the window (title bar, borders): known once
        the window is framed; before that, what it was last time, else none."""
        handle = self.windowHandle()
        if handle is not None and not handle.frameMargins().isNull():
            return handle.frameMargins()
        placement = self.placements.load()
        return placement.margins if placement is not None else QMargins()

    def place_on_screen(self) -> None:
        """Before the first show: where the officer left the window, if that screen is still
        there, else the whole of the screen it opens on (its available geometry, so the task
        bar stays visible), frame included."""
        placement = self.placements.load()
        screen = screen_named(placement.screen) if placement is not None else None
        margins = self._margins()
        if placement is not None and screen is not None:
            available = screen.availableGeometry()
            self.setMinimumSize(smallest_on(available, margins))
            self.setGeometry(kept_inside(placement.rect, available, margins))
            if placement.maximized:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            available = self.screen().availableGeometry()
            self.setMinimumSize(smallest_on(available, margins))
            self.setGeometry(fitted(available, margins))
        self._placed = self.size()
        self._remembers_place = True

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to the window on a new London day shows that day's reminders."""
        super().changeEvent(event)
        active = event.type() is QEvent.Type.ActivationChange and self.isActiveWindow()
        if active and not self.locked and self.facts is not None:
            self.reminders.check()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        if self._remembers_place and self.isVisible():
            self.keep_placement.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._remembers_place and self.isVisible():
            self.keep_placement.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._placed is not None and not self.frame_watch.isActive():
            self._frame_checks = 0
            self.frame_watch.start()

    def _framed(self) -> None:
        """Waits (a few tenths of a second at most) for the window manager's frame to be known:
        it arrives after the window is shown, with no event of its own."""
        self._frame_checks += 1
        if self._frame_checks >= FRAME_CHECKS or not self._margins().isNull():
            self.frame_watch.stop()
            self._fit_frame()

    def _fit_frame(self) -> None:
        """Once framed: if the title bar or a border runs off the screen, bring it back, once,
        unless someone has resized the window since it was placed."""
        placed, self._placed = self._placed, None
        if placed is None or self.size() != placed or self.isMaximized() or self.isFullScreen():
            return
        available = self.screen().availableGeometry()
        if available.contains(self.frameGeometry()):
            return
        margins = self._margins()
        self.setMinimumSize(smallest_on(available, margins))
        self.setGeometry(kept_inside(self.geometry(), available, margins))

    def save_placement(self) -> None:
        """Where the window is, for next time: a screen's name and a rectangle, nothing else."""
        rect = self.normalGeometry() if self.isMaximized() else self.geometry()
        placement = Placement(
            screen=self.screen().name(),
            rect=rect,
            maximized=self.isMaximized(),
            margins=self._margins(),
        )
        with contextlib.suppress(OSError):  # only where the window goes: never worth an error
            self.placements.save(placement)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.keep_placement.stop()
        if self.isVisible() and self._remembers_place:
            self.save_placement()
        if self.sync_controller is not None:
            self.sync_controller.stop()
        if self._new_report is not None:
            self._new_report.wizard.flush()
        self._services_poll.stop()
        if self._idle_watch is not None:
            self._idle_watch.stop()
        wait_for_operations()
        super().closeEvent(event)
