"""The ASB Case Review on a real encrypted store: an application recorded, decided and its
outcome given (each step checked: in order, not in the future, not for an anonymous
complainant), its decision a clock with its reason, found by the overdue filter; and the Case
Review worked out as of now wherever it is read, so it does not age between saves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.deadlines import DeadlineKind
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO
from tests.services.test_case_actions import NOW, document, outbox_count

CASE = "77777777-7777-4777-8777-777777777771"
EARLIER = "77777777-7777-4777-8777-777777777772"
ANONYMOUS = "77777777-7777-4777-8777-777777777773"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def services(data_dir: Path, clock: Clock) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=clock)
    services.casework.set_policy(CasePolicy())
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    # Three reports by Zoë: two in an earlier case (one added later), one in this case.
    earlier = document(EARLIER, name="Zoë Adler", received=NOW - timedelta(days=40))
    earlier["incidents"].append(
        {
            "id": EARLIER[:-1] + "f",
            "occurred_at": (NOW - timedelta(days=21)).isoformat(),
            "reported_at": (NOW - timedelta(days=20)).isoformat(),
            "description": "Shouting on the stairs",
        }
    )
    anonymous = document(ANONYMOUS, name="x", received=NOW - timedelta(hours=3))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [
            LabelledDocument(
                "1", document(CASE, name="zoe adler", received=NOW - timedelta(days=2))
            ),
            LabelledDocument("2", earlier),
            LabelledDocument("3", anonymous),
        ]
    )
    yield services
    services.close()


def test_an_application_is_recorded_decided_and_its_outcome_given(
    services: Services, clock: Clock
) -> None:
    actions = services.actions
    queued = outbox_count(services)
    with pytest.raises(ProcedureError, match="Say who applied"):
        actions.apply_for_case_review(CASE, " ", NOW)
    with pytest.raises(ProcedureError, match="cannot be in the future"):
        actions.apply_for_case_review(CASE, "complainant", NOW + timedelta(hours=1))
    with pytest.raises(ProcedureError, match="anonymous complainant cannot apply"):
        actions.apply_for_case_review(ANONYMOUS, "complainant", NOW)
    assert outbox_count(services) == queued, "a refused step stores nothing"

    view = actions.apply_for_case_review(CASE, "Their MP, Ms Rao", NOW - timedelta(hours=1))
    (application,) = view.case.case_review_applications
    assert (application.applied_by, application.received_by) == ("Their MP, Ms Rao", "local:test")
    (clock_row,) = [c for c in view.clocks if c.deadline.kind is DeadlineKind.CASE_REVIEW_DECISION]
    assert "within 10 working days" in clock_row.why
    assert "decision on the ASB Case Review application: due in 10 working days" in clock_row.words
    assert outbox_count(services) == queued + 1

    with pytest.raises(ProcedureError, match="cannot be before the application"):
        actions.decide_case_review(
            CASE, application.id, threshold_met=True, decision="Goes ahead",
            decided_at=NOW - timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ProcedureError, match="once the review was decided to go ahead"):
        actions.record_case_review_outcome(CASE, application.id, "Mediation", NOW)
    view = actions.decide_case_review(
        CASE, application.id, threshold_met=True, decision="Three reports: it goes ahead.",
        decided_at=NOW,
    )  # fmt: skip
    assert not [c for c in view.clocks if c.deadline.kind is DeadlineKind.CASE_REVIEW_DECISION]
    with pytest.raises(ProcedureError, match="decided already"):
        actions.decide_case_review(
            CASE, application.id, threshold_met=False, decision="x", decided_at=NOW
        )
    view = actions.record_case_review_outcome(CASE, application.id, "A noise monitor.", NOW)
    stored = services.casework.document(CASE)
    assert stored is not None
    (kept,) = stored["case_review_applications"]
    assert (kept["threshold_met"], kept["decision"], kept["outcome"]) == (
        True,
        "Three reports: it goes ahead.",
        "A noise monitor.",
    )
    assert [e.action for e in view.history][-3:] == [
        "case.review_applied",
        "case.review_decided",
        "case.review_outcome",
    ]


def test_an_undecided_application_is_overdue_after_its_working_days(
    services: Services, clock: Clock
) -> None:
    services.casework.set_policy(CasePolicy(review_decision_working_days=3))
    services.actions.record_first_response(CASE, "Called back", NOW)  # Monday 23 November
    services.actions.apply_for_case_review(CASE, "complainant", NOW)
    # Due Thursday 26 November at 17:00; the next update is due on 7 December.
    thursday, friday = NOW + timedelta(days=3), NOW + timedelta(days=4)
    assert CASE not in {r.id for r in services.casework.list_cases(CaseFilter(overdue_at=thursday))}
    assert CASE in {r.id for r in services.casework.list_cases(CaseFilter(overdue_at=friday))}
    clock.now = friday
    late = [c for c in services.actions.view(CASE).clocks if c.overdue]
    assert [c.deadline.kind for c in late] == [DeadlineKind.CASE_REVIEW_DECISION]
    assert "overdue by 1 working day" in late[0].words


def test_the_case_review_is_worked_out_as_of_now_not_as_of_the_last_save(
    services: Services, clock: Clock
) -> None:
    before = services.casework.document(CASE)
    assert before is not None and before["case_review"] == {
        "qualifying_reports": 3,
        "eligible": True,
    }
    # Five months on, nothing saved: the earlier case's first report (40 days before NOW)
    # has left the six-month window.
    clock.now = NOW + timedelta(days=160)
    stored = services.casework.document(CASE)
    assert stored is not None and stored["case_review"] == {
        "qualifying_reports": 2,
        "eligible": False,
    }
    assert services.actions.view(CASE).outcome.case_review.qualifying_reports == 2
    exported = {d["id"]: d for d in services.casework.documents()}
    assert exported[CASE]["case_review"]["qualifying_reports"] == 2
    assert exported[EARLIER]["case_review"]["qualifying_reports"] == 2
    assert exported[ANONYMOUS]["case_review"]["qualifying_reports"] == 0
    assert [d["id"] for d in services.casework.documents(open_only=True)] == [
        d["id"] for d in services.casework.documents()
    ]
