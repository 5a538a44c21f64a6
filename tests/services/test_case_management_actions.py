"""The workspace's case-management actions on a real encrypted store: the action plan (agreed,
actions added and done), updates to the complainant (never when anonymous, 5.8), a victim risk
assessment scored from our questions, every clock in words, and the ASB Case Review's reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case_management import RiskLevel
from asb_desktop.domain.deadlines import DeadlineKind
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.risk_questions import QUESTIONS
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO
from tests.services.test_case_actions import NOW, document, outbox_count

CASE = "66666666-6666-4666-8666-666666666666"
OTHER = "66666666-6666-4666-8666-666666666667"
ANONYMOUS = "66666666-6666-4666-8666-666666666668"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    anonymous = document(ANONYMOUS, name="x", received=NOW - timedelta(hours=3))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [
            LabelledDocument(
                "1", document(CASE, name="Zoë Łukasiewicz", received=NOW - timedelta(days=2))
            ),
            LabelledDocument(
                "2", document(OTHER, name="zoe lukasiewicz", received=NOW - timedelta(days=20))
            ),
            LabelledDocument("3", anonymous),
        ]
    )
    yield services
    services.close()


def stored(services: Services, case_id: str) -> dict[str, object]:
    found = services.casework.document(case_id)
    assert found is not None
    return found


def test_the_action_plan_is_agreed_and_its_actions_added_and_done(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="who the plan was agreed with"):
        actions.agree_action_plan(CASE, "  ", NOW)
    view = actions.agree_action_plan(CASE, "Zoë Łukasiewicz, by phone", NOW - timedelta(hours=1))
    with pytest.raises(ProcedureError, match="what the action is"):
        actions.add_plan_action(CASE, "", "s-dw", NOW + timedelta(days=3))
    queued = outbox_count(services)
    view = actions.add_plan_action(CASE, "Visit the neighbour", "s-dw", NOW + timedelta(days=3))
    view = actions.add_plan_action(CASE, "Write to the landlord", "s-dw", NOW - timedelta(hours=1))
    assert outbox_count(services) > queued
    plan = stored(services, CASE)["action_plan"]
    assert isinstance(plan, dict)
    assert plan["agreed_with"] == "Zoë Łukasiewicz, by phone"
    assert [a["what"] for a in plan["actions"]] == ["Visit the neighbour", "Write to the landlord"]
    late = [c for c in view.clocks if c.deadline.kind is DeadlineKind.ACTION and c.overdue]
    assert [c.deadline.detail for c in late] == ["Write to the landlord"]
    assert "overdue" in late[0].words
    assert "agreed with Zoë Łukasiewicz, by phone" in late[0].why

    done = plan["actions"][1]["id"]
    view = actions.mark_action_done(CASE, done, NOW)
    with pytest.raises(ProcedureError, match="already done"):
        actions.mark_action_done(CASE, done, NOW)
    plan = stored(services, CASE)["action_plan"]
    assert isinstance(plan, dict)
    assert plan["actions"][1]["done_at"] is not None and plan["actions"][0]["done_at"] is None
    words = [c.words for c in view.clocks if c.deadline.kind is DeadlineKind.ACTION]
    assert any("done (late)" in w for w in words)


def test_an_update_moves_the_next_update_on_and_is_refused_when_anonymous(
    services: Services,
) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="anonymous"):
        actions.give_update(ANONYMOUS, "Visited the block")
    assert not [
        e for e in stored(services, ANONYMOUS).get("entries") or [] if e["kind"] == "update"
    ]
    view = actions.record_first_response(CASE, "Phoned", NOW - timedelta(days=1))
    before = view.outcome.next_update_due_at
    assert before is not None
    assert any(c.deadline.kind is DeadlineKind.NEXT_UPDATE for c in view.clocks)
    with pytest.raises(ProcedureError, match="what the complainant was told"):
        actions.give_update(CASE, "")
    view = actions.give_update(CASE, "Told her the warning letter went out")
    assert view.outcome.next_update_due_at is not None and view.outcome.next_update_due_at > before
    kinds = [e["kind"] for e in stored(services, CASE)["entries"]]  # type: ignore[union-attr]
    assert "update" in kinds
    assert stored(services, CASE)["next_update_due_at"] is not None


def test_a_risk_assessment_is_scored_and_its_level_is_the_officers(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="Answer every question"):
        actions.assess_risk(CASE, {"harm_person": "none"}, RiskLevel.STANDARD)
    answers = {q.id: next(iter(q.points)) for q in QUESTIONS}
    answers["harm_person"] = "serious"
    answers["retaliation"] = "yes"
    view = actions.assess_risk(CASE, answers, RiskLevel.HIGH, "Officer's judgement")
    assert view.outcome.risk_level is RiskLevel.HIGH
    saved = stored(services, CASE)
    assert saved["risk_level"] == "high"
    assessment = saved["risk_assessments"][0]  # type: ignore[index]
    assert assessment["score"] == 6 and assessment["answers"]["harm_person"] == "serious"
    view = actions.assess_risk(
        CASE, {q.id: next(iter(q.points)) for q in QUESTIONS}, RiskLevel.STANDARD
    )
    assert view.outcome.risk_level is RiskLevel.STANDARD
    assert len(stored(services, CASE)["risk_assessments"]) == 2  # type: ignore[arg-type]


def test_every_clock_says_why_and_the_case_review_lists_its_reports(services: Services) -> None:
    view = services.actions.view(CASE)
    first = view.clocks[0]
    assert first.deadline.kind is DeadlineKind.FIRST_RESPONSE
    assert first.why.startswith("5.3: a general case is answered within 3 working days")
    reports = view.review_reports  # this case's and the same complainant's other case
    assert {r.case_id for r in reports} == {CASE, OTHER}
    assert view.outcome.case_review.qualifying_reports == 2
    assert services.actions.view(ANONYMOUS).review_reports == ()
