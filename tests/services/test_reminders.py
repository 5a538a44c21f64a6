"""The morning reminders on a real encrypted store, on a fixed clock: the officer's open cases'
deadlines due by the end of the London day or already overdue, in the words `list --overdue`
uses (the same `domain.deadlines`), a Case Review decision among them; closed cases, other
officers' cases and later deadlines left out; the notification's counts; seen once a day, kept
in the store's settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.deadlines import describe_deadline, document_deadlines
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.services.reminders import (
    Reminder,
    Reminders,
    due_unseen,
    gather,
    mark_seen,
    next_london_midnight,
    seen_on,
)
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO
from tests.services.test_case_actions import NOW, document

LATE = "58585858-5858-4585-8585-585858585851"
DECISION = "58585858-5858-4585-8585-585858585852"
CLOSED = "58585858-5858-4585-8585-585858585853"
ELSEWHERE = "58585858-5858-4585-8585-585858585854"
FRESH = "58585858-5858-4585-8585-585858585855"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="s-ha", clock=lambda: NOW)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    old = NOW - timedelta(days=30)
    responded = {"at": (old + timedelta(hours=1)).isoformat(), "by": "s-ha", "summary": "Rang"}
    decision = document(DECISION, name="Bea Cole", received=old, first_response=responded)
    decision["case_review_applications"] = [
        {"id": "r-1", "applied_at": (NOW - timedelta(days=14)).isoformat(),
         "applied_by": "complainant", "received_by": "s-ha"},
    ]  # fmt: skip
    closed = document(CLOSED, name="Cy Dee", received=old)
    closed["status"] = {"state": "closed", "reason": "Done", "at": NOW.isoformat()}
    elsewhere = document(ELSEWHERE, name="Di Eve", received=old)
    elsewhere["estate"] = "EST-SOUTH"
    services.casework.import_documents(
        [
            LabelledDocument("1", document(LATE, name="Al Bee", received=old)),
            LabelledDocument("2", decision),
            LabelledDocument("3", closed),
            LabelledDocument("4", elsewhere),
            LabelledDocument("5", document(FRESH, name="Ed Fox", received=NOW)),
        ]
    )
    yield services
    services.close()


def test_what_is_overdue_and_due_today_in_the_words_of_the_deadlines(
    services: Services,
) -> None:
    found = gather(services.casework, "s-ha", NOW)
    assert {r.case_id for r in found.overdue} == {LATE, DECISION}
    # The first response of the late case, and the decision case's update, are overdue; the
    # Case Review decision (10 working days from 14 days ago) falls due today.
    words = {(r.case_id, r.words) for r in (*found.overdue, *found.due_today)}
    stored = services.casework.document(LATE)
    assert stored is not None
    calendar = services.casework.calendar()
    expected = [describe_deadline(d, NOW, calendar) for d in document_deadlines(stored)]
    assert (LATE, expected[0]) in words and "overdue by" in expected[0]
    assert [r.case_id for r in found.due_today] == [DECISION]
    assert "decision on the ASB Case Review application" in found.due_today[0].words
    assert all(r.case_id not in (CLOSED, ELSEWHERE, FRESH) for r in found.overdue)
    assert found.counts_in_words() == f"1 thing due today, {len(found.overdue)} overdue"


def test_no_officer_chosen_lists_every_case(services: Services) -> None:
    everyone = gather(services.casework, None, NOW)
    assert ELSEWHERE in {r.case_id for r in everyone.overdue}


def test_counts_in_words() -> None:
    none = Reminders(NOW.date(), (), ())
    assert none.empty and none.counts_in_words() == "nothing due today or overdue"
    late = Reminder(LATE, None, "x", True, NOW)
    assert Reminders(NOW.date(), (late,), ()).counts_in_words() == "1 thing overdue"
    assert Reminders(NOW.date(), (), (late, late)).counts_in_words() == "2 things due today"


def test_seen_once_a_london_day(services: Services) -> None:
    work = services.casework
    today = NOW.astimezone(LONDON).date()
    assert due_unseen(work, "s-ha") is not None
    mark_seen(work, today)
    assert seen_on(work, today) and due_unseen(work, "s-ha") is None
    work.clock = lambda: next_london_midnight(NOW) + timedelta(seconds=1)
    assert due_unseen(work, "s-ha") is not None  # a new day


def test_the_next_london_midnight_follows_the_clock_change() -> None:
    # 25 October 2026: clocks go back; midnight of the 26th is 00:00 GMT
    assert next_london_midnight(datetime(2026, 10, 25, 12, 0, tzinfo=UTC)) == datetime(
        2026, 10, 26, 0, 0, tzinfo=UTC
    )
    assert next_london_midnight(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == datetime(
        2026, 7, 1, 23, 0, tzinfo=UTC
    )
