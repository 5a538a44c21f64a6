"""Closing a case and what follows: the outcome, telling the complainant, their satisfaction,
and reopening with a reason (domain/closing.py holds the keys and the lists). Mixed into
`CaseActions`, whose `_load`, `_store` and `_by` these use; a refused action raises
ProcedureError with a sentence for the officer and stores nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from asb_desktop.domain.case import Case, CaseState, Status
from asb_desktop.domain.closing import (
    ALREADY_ASKED,
    ALREADY_TOLD,
    NO_SATISFACTION_WHEN_ANONYMOUS,
    NOT_TOLD_WHEN_ANONYMOUS,
    CaseOutcome,
    Closure,
    ComplainantTold,
    Reopening,
    ReportAgain,
    Satisfaction,
    SatisfactionAnswers,
    ToldHow,
)
from asb_desktop.domain.errors import ProcedureError

if TYPE_CHECKING:
    from asb_desktop.services.case_actions import CaseView
    from asb_desktop.services.casework import Casework

_SLACK = timedelta(minutes=5)  # a clock a little ahead of the laptop's is not "the future"


class ClosingActions:
    casework: Casework

    def _load(self, case_id: str) -> Case:
        raise NotImplementedError

    def _store(self, case: Case, action: str) -> CaseView:
        raise NotImplementedError

    def _by(self) -> str:
        raise NotImplementedError

    def close(self, case_id: str, reason: str, outcome: CaseOutcome | None) -> CaseView:
        """Closed with an outcome from the documented list and the reason in words."""
        case = self._load(case_id)
        if not case.is_open:
            raise ProcedureError("This case is already closed.")
        if outcome is None:
            raise ProcedureError("Choose the outcome of the case.")
        if not reason.strip():
            raise ProcedureError("Give the reason for closing the case.")
        status = Status(
            state=CaseState.CLOSED,
            reason=reason.strip(),
            at=self.casework.clock(),
            outcome=CaseOutcome(outcome),
        )
        return self._store(replace(case, status=status, closure=None), "case.closed")

    def _closed(self, case_id: str) -> Case:
        case = self._load(case_id)
        if case.is_open:
            raise ProcedureError("This case is open: close it first.")
        return case

    def _when(self, case: Case, at: datetime) -> datetime:
        if at > self.casework.clock() + _SLACK:
            raise ProcedureError("That moment is in the future.")
        if case.status.at is not None and at < case.status.at:
            raise ProcedureError("That moment is before the case was closed.")
        return at

    def tell_complainant(self, case_id: str, how: ToldHow | None, at: datetime) -> CaseView:
        """The complainant was told the outcome (never an anonymous one, 5.8)."""
        case = self._closed(case_id)
        if case.complainant.anonymous:
            raise ProcedureError(NOT_TOLD_WHEN_ANONYMOUS)
        if case.closure is not None and case.closure.complainant_told is not None:
            raise ProcedureError(ALREADY_TOLD)
        if how is None:
            raise ProcedureError("Say how the complainant was told.")
        told = ComplainantTold(at=self._when(case, at), by=self._by(), how=ToldHow(how))
        closure = replace(case.closure or Closure(), complainant_told=told)
        return self._store(replace(case, closure=closure), "case.complainant_told")

    def record_satisfaction(
        self,
        case_id: str,
        *,
        kept_informed: Satisfaction | None = None,
        timescales: Satisfaction | None = None,
        outcome: Satisfaction | None = None,
        would_report_again: ReportAgain | None = None,
    ) -> CaseView:
        """What the complainant said when asked; every answer is optional, but not none."""
        case = self._closed(case_id)
        if case.complainant.anonymous:
            raise ProcedureError(NO_SATISFACTION_WHEN_ANONYMOUS)
        if case.closure is not None and case.closure.satisfaction is not None:
            raise ProcedureError(ALREADY_ASKED)
        answers = SatisfactionAnswers(
            at=self.casework.clock(),
            by=self._by(),
            kept_informed=kept_informed,
            timescales=timescales,
            outcome=outcome,
            would_report_again=would_report_again,
        )
        if not answers.answered:
            raise ProcedureError(
                "Record at least one answer; leave out any the complainant did not give."
            )
        closure = replace(case.closure or Closure(), satisfaction=answers)
        return self._store(replace(case, closure=closure), "case.satisfaction")

    def reopen(self, case_id: str, reason: str) -> CaseView:
        """Open a closed case again with a reason; the closing it undoes is kept in the
        reopening. Its clocks run again as the rules say (an open case's)."""
        case = self._load(case_id)
        if case.is_open:
            raise ProcedureError("This case is open: only a closed case can be reopened.")
        if not reason.strip():
            raise ProcedureError("Give the reason for reopening the case.")
        reopening = Reopening(
            at=self.casework.clock(),
            by=self._by(),
            reason=reason.strip(),
            closed_at=case.status.at,
            outcome=case.status.outcome,
            closure=case.closure,
        )
        changed = replace(
            case, status=Status(), closure=None, reopenings=(*case.reopenings, reopening)
        )
        return self._store(changed, "case.reopened")
