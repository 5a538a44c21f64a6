"""User actions on cases: recording a report and the workspace's actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from asb_desktop.domain.case import Case
from asb_desktop.services.case_actions import CaseActions, CaseView, SavedReport
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.operations import Operation

T = TypeVar("T")


def _report_stored(saved: SavedReport) -> Changed:
    return Changed(cases=True, drafts=True, case_id=saved.case_id)  # its draft is gone too


def record_report(
    parent: QObject, actions: CaseActions, case: Case, *, follows_closed: str | None = None
) -> Operation[SavedReport]:
    """`follows_closed`: the closed case the report was first meant for (the new case notes it)."""
    return Operation(
        parent,
        lambda: actions.record_report(case, follows_closed=follows_closed),
        name="report.save",
        changes=_report_stored,
    )


def add_report_to_case(
    parent: QObject, actions: CaseActions, case_id: str, case: Case
) -> Operation[SavedReport]:
    return Operation(
        parent,
        lambda: actions.add_report_to_case(case_id, case),
        name="report.add_to_case",
        changes=_report_stored,
    )


def case_action(parent: QObject, work: Callable[[], T], *, name: str) -> Operation[T]:
    """One workspace action (first response, note, referral, ...) on the case it returns."""

    def changed(result: T) -> Changed:
        if isinstance(result, CaseView):
            return Changed.case(result.case.id)
        return Changed(cases=True)

    return Operation(parent, work, name=name, changes=changed)


def open_case(parent: QObject, actions: CaseActions, case_id: str) -> Operation[CaseView]:
    return Operation(parent, lambda: actions.view(case_id), name="case.open").read_only()
