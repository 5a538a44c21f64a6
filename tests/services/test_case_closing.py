"""Closing on a real encrypted store: an outcome and a reason, the complainant told (refused when
anonymous, 5.8), satisfaction answers, reopening with a reason (the earlier closing kept, the
clocks running again, the caseload seeing it open), and a report after closure made a new
case that notes the closed one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case import EntryKind, Incident
from asb_desktop.domain.closing import (
    CaseOutcome,
    ReportAfterClosure,
    ReportAgain,
    Satisfaction,
    ToldHow,
)
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO
from tests.services.test_case_actions import NOW, document

CASE = "77777777-7777-4777-8777-777777777771"
ANONYMOUS = "77777777-7777-4777-8777-777777777772"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    responded = {"at": (NOW - timedelta(days=3)).isoformat(), "by": "s-ha", "summary": "Rang"}
    anonymous = document(ANONYMOUS, name="x", received=NOW - timedelta(days=4))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [
            LabelledDocument(
                "1",
                document(
                    CASE, name="Zoë Ng", received=NOW - timedelta(days=4), first_response=responded
                ),
            ),
            LabelledDocument("2", anonymous),
        ]
    )
    yield services
    services.close()


def stored(services: Services, case_id: str) -> dict[str, object]:
    found = services.casework.document(case_id)
    assert found is not None
    return found


def test_closing_needs_an_outcome_and_a_reason(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="Choose the outcome"):
        actions.close(CASE, "Quiet for eight weeks", None)
    with pytest.raises(ProcedureError, match="reason"):
        actions.close(CASE, "  ", CaseOutcome.RESOLVED)
    view = actions.close(CASE, "Quiet for eight weeks", CaseOutcome.RESOLVED)
    assert not view.case.is_open and view.case.status.outcome is CaseOutcome.RESOLVED
    assert stored(services, CASE)["status"] == {
        "state": "closed",
        "reason": "Quiet for eight weeks",
        "at": NOW.isoformat(),
        "outcome": "resolved",
    }
    assert stored(services, CASE)["next_update_due_at"] is None


def test_the_complainant_told_and_their_satisfaction(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="close it first"):
        actions.tell_complainant(CASE, ToldHow.LETTER, NOW)
    actions.close(CASE, "Warning letter worked", CaseOutcome.ENFORCEMENT_TAKEN)
    with pytest.raises(ProcedureError, match="how the complainant was told"):
        actions.tell_complainant(CASE, None, NOW)
    with pytest.raises(ProcedureError, match="before the case was closed"):
        actions.tell_complainant(CASE, ToldHow.LETTER, NOW - timedelta(hours=1))
    view = actions.tell_complainant(CASE, ToldHow.TELEPHONE, NOW)
    assert view.case.closure is not None and view.case.closure.complainant_told is not None
    with pytest.raises(ProcedureError, match="told the outcome of this closing already"):
        actions.tell_complainant(CASE, ToldHow.LETTER, NOW)  # once a closing, never overwritten
    with pytest.raises(ProcedureError, match="at least one answer"):
        actions.record_satisfaction(CASE)
    actions.record_satisfaction(
        CASE, timescales=Satisfaction.FAIRLY_DISSATISFIED, would_report_again=ReportAgain.YES
    )
    with pytest.raises(ProcedureError, match="recorded already"):
        actions.record_satisfaction(CASE, outcome=Satisfaction.NEITHER)
    closure = stored(services, CASE)["closure"]
    assert closure == {
        "complainant_told": {"at": NOW.isoformat(), "by": "local:test", "how": "telephone"},
        "satisfaction": {
            "at": NOW.isoformat(),
            "by": "local:test",
            "kept_informed": None,
            "timescales": "fairly_dissatisfied",
            "outcome": None,
            "would_report_again": "yes",
        },
    }


def test_an_anonymous_complainant_is_not_told_nor_asked_5_8(services: Services) -> None:
    actions = services.actions
    actions.close(ANONYMOUS, "No further reports", CaseOutcome.NO_FURTHER_ACTION)
    with pytest.raises(
        ProcedureError, match=r"anonymous, so they cannot be told the outcome \(5.8\)"
    ):
        actions.tell_complainant(ANONYMOUS, ToldHow.LETTER, NOW)
    with pytest.raises(ProcedureError, match="cannot be asked how satisfied"):
        actions.record_satisfaction(ANONYMOUS, outcome=Satisfaction.NEITHER)
    assert stored(services, ANONYMOUS)["closure"] is None


def test_reopening_keeps_the_closing_and_starts_the_clocks_again(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="only a closed case can be reopened"):
        actions.reopen(CASE, "Again")
    actions.close(CASE, "Quiet", CaseOutcome.RESOLVED)
    actions.tell_complainant(CASE, ToldHow.LETTER, NOW)
    assert services.casework.list_cases(CaseFilter(state="open")) and not [
        r for r in services.casework.list_cases(CaseFilter(state="open")) if r.id == CASE
    ]
    with pytest.raises(ProcedureError, match="reason for reopening"):
        actions.reopen(CASE, "")
    view = actions.reopen(CASE, "The music started again")
    assert view.case.is_open and view.case.closure is None
    document = stored(services, CASE)
    assert document["status"] == {"state": "open", "reason": None, "at": None, "outcome": None}
    [reopening] = document["reopenings"]  # type: ignore[misc]
    assert reopening["reason"] == "The music started again" and reopening["outcome"] == "resolved"
    assert reopening["closure"]["complainant_told"]["how"] == "letter"
    # the update clock runs again as the rule says: 10 working days after the first response
    # (Fri 20 Nov): Fri 4 Dec; already seen as due in the workspace's clocks
    assert document["next_update_due_at"] == "2026-12-04T17:00:00+00:00"
    assert any("next update" in c.words for c in view.clocks)
    ids = [r.id for r in services.casework.list_cases(CaseFilter(state="open"))]
    assert CASE in ids
    history = [e.action for e in view.history]
    assert history[-3:] == ["case.closed", "case.complainant_told", "case.reopened"]
    # closed again: a new outcome; the reopening stays
    again = actions.close(CASE, "Moved away", CaseOutcome.TENANCY_ENDED)
    assert len(again.case.reopenings) == 1 and again.case.closure is None


def test_a_report_after_closure_is_a_new_case_noting_the_closed_one(services: Services) -> None:
    actions = services.actions
    actions.close(CASE, "Quiet", CaseOutcome.RESOLVED)
    later = Incident(
        id=str(uuid.uuid4()), occurred_at=NOW - timedelta(hours=1), description="Again"
    )
    with pytest.raises(ReportAfterClosure, match="a report after closure is a new case"):
        actions.add_incident(CASE, later)
    report = case_from_document(
        document(str(uuid.uuid4()), name="Zoë Ng", received=NOW - timedelta(minutes=5))
    )
    with pytest.raises(ReportAfterClosure) as refused:
        actions.add_report_to_case(CASE, report)
    assert str(refused.value) == (
        "Case Local 77777777 is closed, and a report after closure is a new case: save this "
        "report as a new case instead; it will note Local 77777777."
    )
    assert len(stored(services, CASE)["incidents"]) == 1  # type: ignore[arg-type]
    saved = actions.record_report(report, follows_closed=refused.value.case_id)
    new = services.casework.case(saved.case_id)
    assert new is not None and new.id != CASE
    [note] = [e for e in new.entries if e.kind is EntryKind.NOTE]
    assert note.text.startswith(
        "This report is about the same matter as case Local 77777777, closed on 23 November 2026 "
        "(resolved: the behaviour stopped): a report after closure is a new case"
    )
    assert replace(new, entries=()).incidents == report.incidents
