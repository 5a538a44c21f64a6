"""The New report guide: steps down the side, one page per part of 5.2, Back/Next/Save below.
Every change is kept as an encrypted draft (see autosave.py)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.case_review import CaseReview
from asb_desktop.domain.closing import ReportAfterClosure
from asb_desktop.domain.directory import Directory
from asb_desktop.services.case_actions import DuplicateCheck, SavedReport
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.autosave import DraftKeeper
from asb_desktop.ui.intake.done import DonePanel
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.intake.pages_people import (
    ClassificationPage,
    InvolvedPage,
    TargetingPage,
    WitnessesPage,
)
from asb_desktop.ui.intake.pages_report import (
    ComplainantPage,
    FrequencyPage,
    HowReportedPage,
    IncidentPage,
)
from asb_desktop.ui.intake.pages_risk import RiskPage
from asb_desktop.ui.intake.review_page import ReviewPage, routing_text
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.case_ops import add_report_to_case, record_report
from asb_desktop.ui.operations.evidence_ops import record_report_with_evidence
from asb_desktop.ui.widgets import CardList, DateTimeField, focus_chain, set_tab_order

PAGES = (
    HowReportedPage,
    ComplainantPage,
    IncidentPage,
    FrequencyPage,
    InvolvedPage,
    TargetingPage,
    WitnessesPage,
    ClassificationPage,
    RiskPage,
    ReviewPage,
)


class ReportWizard(QWidget):
    sig_saved = Signal(object)
    """A report was stored (a SavedReport): as a new case or added to an open one."""
    sig_open_case = Signal(str)
    """The officer asked to open the case just saved."""
    sig_new_report = Signal()
    """The officer asked for another blank report."""
    sig_set_aside = Signal()
    """The officer kept the report as a draft to finish later."""

    def __init__(self, services: Services, directory: Directory) -> None:
        super().__init__()
        self.services = services
        self.directory = directory
        self.draft_id = str(uuid.uuid4())
        self.pages: list[IntakePage] = []
        self._active = False
        self._saving = False
        self._follows_closed: str | None = None
        """The closed case this report was first to be added to: the new case notes it."""
        self._refused = ""  # why the last save was refused, kept in sight until the next

        outer = QVBoxLayout(self)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps of the report")
        self.steps.setObjectName("steps")
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setFixedWidth(
            self.fontMetrics().horizontalAdvance("3. The most recent incident  (to do)") + 40
        )
        self.steps.currentRowChanged.connect(self._go)
        body.addWidget(self.steps)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        outer.addWidget(line)
        footer = QHBoxLayout()
        self.saved_label = QLabel("Draft not saved yet")
        self.saved_label.setAccessibleName("Draft status")
        footer.addWidget(self.saved_label)
        self.later = QPushButton("&Keep as draft for later")
        self.later.clicked.connect(self.set_aside)
        footer.addWidget(self.later)
        footer.addStretch()
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setAccessibleName("What this page still needs")
        footer.addWidget(self.missing_label, 2)
        self.back = QPushButton("‹ &Back")
        self.back.clicked.connect(lambda: self._go(self.stack.currentIndex() - 1))
        self.next = QPushButton("&Next ›")
        self.next.setDefault(True)
        self.next.clicked.connect(self.next_page)
        self.save = QPushButton("&Save report")
        self.save.clicked.connect(self.save_report)
        for button in (self.back, self.next, self.save):
            footer.addWidget(button)
        outer.addLayout(footer)
        self.footer_widgets = [self.back, self.next, self.save, self.missing_label, self.later]
        self.footer_buttons = [self.later, self.back, self.next, self.save]

        self.done = DonePanel()
        self.done.sig_open_case.connect(self.sig_open_case)
        self.done.sig_new_report.connect(self.sig_new_report)

        self.keeper = DraftKeeper(services.drafts, self._snapshot)
        self.keeper.sig_saved.connect(self._draft_saved)
        self.keeper.sig_failed.connect(self._draft_failed)
        self.preview_timer = QTimer(self, singleShot=True, interval=250)
        self.preview_timer.timeout.connect(self._preview)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    # --- building and loading -----------------------------------------------------------------

    def start(self, draft_id: str | None = None, payload: dict[str, Any] | None = None) -> None:
        """A blank report, or a draft put back exactly as it was left.

        Nothing of the report before carries over: every page is built afresh, and the footer,
        buttons, labels and flags that saving changed are put back as a first report has them."""
        self.keeper.stop()
        self.preview_timer.stop()
        self._active = False
        self._saving = False
        self._follows_closed = None
        self._refused = ""
        self.draft_id = draft_id or str(uuid.uuid4())
        self.restore_footer()
        for button in self.footer_buttons:
            button.setEnabled(True)
        self.missing_label.setText("")
        while self.stack.count():
            widget = self.stack.widget(0)
            assert widget is not None
            self.stack.removeWidget(widget)
            if widget is not self.done:
                widget.deleteLater()
        self.steps.show()
        self.steps.blockSignals(True)
        self.steps.clear()
        self.pages = [page(self.directory) for page in PAGES]
        for page in self.pages:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
            self.steps.addItem(page.title)
            page.sig_changed.connect(self._changed)
        self.stack.addWidget(self.done)
        for field in self.findChildren(DateTimeField):  # "today 14:05" is the services' today
            field.set_clock(self.services.casework.clock)
        self.review.sig_add_to_case.connect(self.add_to_case)
        self.review.evidence.use(self.services.casework)
        for card_list in self.findChildren(CardList):
            card_list.sig_cards_changed.connect(self.order_tabs)
        if payload:
            for page in self.pages:
                page.load(payload)
            self.saved_label.setText("Draft resumed")
        else:
            now = rules.format_moment(self.services.casework.clock())
            for page in self.pages:
                page.load({"received_at": now, "occurred_at": now})
            self.saved_label.setText("Draft not saved yet")
        self.steps.blockSignals(False)
        self._refresh()
        self.order_tabs()
        self._go(int(payload.get("page", 0)) if payload else 0)
        self._active = True
        self._preview()

    def focus_page(self) -> None:
        """Arriving on a page: its first field (on the review page, Save)."""
        if self.stack.currentWidget() is self.done:
            focus_for_keys(self.done.open_button)
            return
        page = self.pages[self.current()] if self.pages else None
        target = page.first_input() if page is not None else None
        if target is None:
            target = self.save if self.save.isVisible() else self.next
        focus_for_keys(target)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A field reached by its Alt+letter is scrolled into sight, as Tab's is."""
        scroll = self.stack.currentWidget()
        if new is not None and isinstance(scroll, QScrollArea) and scroll.isAncestorOf(new):
            scroll.ensureWidgetVisible(new)

    def order_tabs(self) -> None:
        """Tab goes: the steps, the fields of the page as laid out, then the buttons below."""
        chain: list[QWidget] = [self.steps]
        for page in self.pages:
            chain += focus_chain(page.layout_)
        chain += self.footer_buttons
        set_tab_order(chain)

    def tab_stops(self) -> list[QWidget]:
        """What Tab visits now, in order: the steps, the page's fields, the buttons below; a
        choice group's options are all listed (Tab stops only at the chosen one)."""
        shown = self.stack.currentWidget()
        if shown is self.done:
            chain: list[QWidget] = [self.done.open_button, self.done.new_button]
        elif self.pages:
            chain = [self.steps, *focus_chain(self.pages[self.current()].layout_)]
            chain += self.footer_buttons
        else:
            return []
        return [w for w in chain if w.isVisible() and w.isEnabled() and not w.focusProxy()]

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round the report as the officer sees it, whatever order the
        widgets were made in (people added, pages shown and hidden)."""
        stops = self.tab_stops()
        focus = QApplication.focusWidget()
        if focus not in stops:
            return super().focusNextPrevChild(next)
        start = stops.index(focus)
        step = 1 if next else -1
        for offset in range(1, len(stops) + 1):
            candidate = stops[(start + step * offset) % len(stops)]
            if candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
                reason = (
                    Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
                )
                candidate.setFocus(reason)
                return True
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Return does what a dialog's Return does: on a button it presses that button; in a
        one-line field, a tick box, a choice or a list it goes to the next page (a text box
        keeps Return for new lines). In the steps list it goes into the page shown."""
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or not plain:
            super().keyPressEvent(event)
            return
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and focus.isEnabled() and self.isAncestorOf(focus):
            focus.click()
        elif focus is self.steps:
            self.focus_page()
        elif self.stack.currentWidget() is not self.done and self.next.isVisible():
            self.next_page()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    @property
    def review(self) -> ReviewPage:
        page = self.pages[-1]
        assert isinstance(page, ReviewPage)
        return page

    @property
    def classification(self) -> ClassificationPage:
        return next(p for p in self.pages if isinstance(p, ClassificationPage))

    def page(self, kind: type[IntakePage]) -> Any:
        return next(p for p in self.pages if isinstance(p, kind))

    def values(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for page in self.pages:
            merged.update(page.values())
        return merged

    def set_directory(self, directory: Directory) -> None:
        self.directory = directory
        for page in self.pages:
            page.set_directory(directory)

    # --- moving between pages -----------------------------------------------------------------

    def current(self) -> int:
        return self.stack.currentIndex()

    def _go(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.stack.setCurrentIndex(index)
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        on_review = self.pages[index] is self.review
        self.next.setVisible(not on_review)
        self.save.setVisible(on_review)
        self.back.setEnabled(index > 0)
        if on_review:
            self._show_review()
        elif self.pages[index] is self.classification:
            self._preview()
        self._update_next()
        if not self.steps.hasFocus():  # moving through the steps list keeps its focus
            self.focus_page()
        if self._active:
            self._schedule_save()

    def _problems(self, page: IntakePage, values: dict[str, Any]) -> list[rules.Missing]:
        return page.missing(values, self.services.casework.clock())

    def next_page(self) -> None:
        """Go on, or say beside each field what is missing (nothing typed is touched)."""
        page = self.pages[self.current()]
        problems = self._problems(page, self.values())
        page.show_problems(problems)
        if problems:
            target = page.first_field(problems)
            if target is not None:
                focus_for_keys(target)
            return
        self._go(self.current() + 1)

    def _update_next(self) -> None:
        if not self.pages or self.current() >= len(self.pages):
            return
        values = self.values()
        problems = self._problems(self.pages[self.current()], values)
        if problems:
            count = len(problems)
            self.next.setText(f"&Next: {count} thing{'s' if count > 1 else ''} missing")
            self.missing_label.setText("Still needed: " + " ".join(p.message for p in problems))
        else:
            self.next.setText("&Next ›")
            self.missing_label.setText("")
        self.next.setAccessibleDescription(self.missing_label.text())
        for row, page in enumerate(self.pages[:-1]):
            done = not self._problems(page, values)
            self.steps.item(row).setText(f"{page.title}{'' if done else '  (to do)'}")

    # --- every change: refresh, preview, draft ------------------------------------------------

    def _refresh(self) -> None:
        values = self.values()
        for page in self.pages:
            page.refresh(values)

    def _changed(self) -> None:
        self._refresh()
        self._update_next()
        page = self.pages[self.current()] if self.current() < len(self.pages) else None
        if page is not None and any(r.error.isVisible() for r in page.rows.values()):
            page.show_problems(self._problems(page, self.values()))
        self.preview_timer.start()
        if self._active:
            self._schedule_save()

    def _schedule_save(self) -> None:
        self.keeper.changed()

    def save_draft(self) -> None:
        """Keep the form as it stands, encrypted, in the store (on the writer thread)."""
        self.keeper.save_now()

    def _snapshot(self) -> tuple[str, dict[str, Any]] | None:
        if self._saving or not self.pages:
            return None
        payload = rules.for_draft(self.values())
        payload["page"] = self.current()
        return self.draft_id, payload

    def _draft_saved(self) -> None:
        saved = f"Draft saved at {time.strftime('%H:%M:%S')}"
        # a refusal to save stays in sight: the draft kept after it must not hide it
        self.saved_label.setText(f"{self._refused} ({saved})" if self._refused else saved)

    def _draft_failed(self) -> None:
        self.saved_label.setText("⚠ The draft could not be saved: your typing is still here.")

    def set_aside(self) -> None:
        """Keep everything as a draft and leave the report, to resume it from the list."""
        self.save_draft()
        self._active = False
        self.sig_set_aside.emit()

    def flush(self) -> None:
        """Save now if anything is waiting (the window is closing)."""
        self.keeper.flush()

    def _preview(self) -> None:
        values = self.values()
        case = self._case(values)
        actions = self.services.actions
        chosen = values.get("severity")

        def shown(result: Any) -> None:
            outcome, words = result
            text = routing_text(outcome, words)
            if not chosen:
                text = (
                    outcome.assignment.explain() + "\nChoose the severity to see when a "
                    "response is due."
                )
            self.classification.show_routing(text)
            self.review.show_routing(text)

        def failed(_: Exception) -> None:
            text = "Where the case goes could not be worked out just now; it will be on saving."
            self.classification.show_routing(text)
            self.review.show_routing(text)

        previewing = Operation(self, lambda: actions.preview(case), name="report.preview")
        previewing.read_only().success(shown).failure(failed).run()

    def _show_review(self) -> None:
        values = self.values()
        case = self._case(values)
        self.review.show_case(case, values)
        self.review.checking()
        self._preview()
        actions = self.services.actions
        casework = self.services.casework
        checking = Operation(
            self,
            lambda: (actions.check_duplicates(case), casework.review(case)),
            name="report.check_duplicates",
        )
        checking.read_only().success(self._duplicates).failure(self._no_duplicates).run()

    def _no_duplicates(self, _: Exception) -> None:
        self.review.duplicates_title.setText("Possible duplicates: could not be checked just now.")

    def _duplicates(self, found: tuple[DuplicateCheck, CaseReview]) -> None:
        if self.pages:
            self.review.show_duplicates(*found)

    # --- saving -------------------------------------------------------------------------------

    def _case(self, values: dict[str, Any] | None = None) -> Any:
        """The case the form describes now: its risk assessment by the signed-in officer."""
        casework = self.services.casework
        return rules.build_case(
            self.values() if values is None else values,
            case_id=self.draft_id,
            now=casework.clock(),
            by=casework.actor,
        )

    def _first_problem(self) -> int | None:
        values = self.values()
        for index, page in enumerate(self.pages):
            problems = self._problems(page, values)
            if problems:
                self._go(index)
                page.show_problems(problems)
                target = page.first_field(problems)
                if target is not None:
                    focus_for_keys(target)
                return index
        return None

    def save_report(self) -> None:
        if self._first_problem() is not None:
            return
        case = self._case()
        actions = self.services.actions
        files = self.review.evidence.files()
        if files:  # attached with the case, in its transaction
            self._store(
                record_report_with_evidence(
                    self, actions, case, files, follows_closed=self._follows_closed
                )
            )
            return
        self._store(record_report(self, actions, case, follows_closed=self._follows_closed))

    def add_to_case(self, case_id: str) -> None:
        if self._first_problem() is not None:
            return
        case = self._case()
        files = self.review.evidence.files()
        if files:
            actions = self.services.actions
            self._store(record_report_with_evidence(self, actions, case, files, into=case_id))
            return
        self._store(add_report_to_case(self, self.services.actions, case_id, case))

    def _store(self, saving: Operation[SavedReport]) -> None:
        self._saving = True
        self.keeper.stop()
        for widget in (self.save, self.back):
            widget.setEnabled(False)
        self._refused = ""
        self.saved_label.setText("Saving…")
        saving.success(self._stored).failure(self._store_failed).run()

    def _stored(self, saved: SavedReport) -> None:
        self._active = False
        self.steps.hide()
        self.done.show_saved(saved)
        self.stack.setCurrentWidget(self.done)
        for widget in self.footer_widgets:
            widget.setVisible(False)
        self.saved_label.setText(f"Saved at {when_now()}")
        self.sig_saved.emit(saved)
        focus_for_keys(self.done.open_button)

    def _store_failed(self, error: Exception) -> None:
        self._saving = False
        self.save.setEnabled(True)
        self.back.setEnabled(True)
        self._refused = "⚠ Not saved: " + _sentence(error)
        self.saved_label.setText(self._refused)
        self.save_draft()
        if isinstance(error, ReportAfterClosure):  # a report after closure is a new case
            self._follows_closed = error.case_id
            focus_for_keys(self.save)

    def restore_footer(self) -> None:
        for widget in self.footer_widgets:
            widget.setVisible(True)


def when_now() -> str:
    return time.strftime("%H:%M")


def _sentence(error: Exception) -> str:
    from asb_desktop.domain.errors import InputError, ProcedureError

    if isinstance(error, ProcedureError | InputError):
        return str(error)
    return "the case database could not be written. Your report is kept as a draft."
