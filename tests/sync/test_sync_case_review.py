"""An ASB Case Review application through a real central store (SQLite and PostgreSQL): made
on one laptop, decided on the other while the first records a second application offline; both
laptops and the central store end with both applications and the decision (merged by id)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from asb_desktop.domain.document import parse_timestamp
from asb_desktop.domain.review_applications import ReviewApplication
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]
AT = parse_timestamp("2026-03-11T10:00:00Z", "at")


def apply(laptop: Laptop, case_id: str, application: ReviewApplication) -> None:
    case = laptop.casework.case(case_id)
    assert case is not None
    applications = (*case.case_review_applications, application)
    laptop.casework.update(replace(case, case_review_applications=applications), action="case.x")


def decide(laptop: Laptop, case_id: str) -> None:
    case = laptop.casework.case(case_id)
    assert case is not None
    decided = tuple(
        replace(
            a,
            threshold_met=False,
            decision="Two reports: not met",
            decided_at=AT,
            decided_by="s-ho",
        )
        for a in case.case_review_applications
    )
    laptop.casework.update(replace(case, case_review_applications=decided), action="case.x")


def test_an_application_made_on_one_laptop_is_decided_on_the_other(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    apply(a, case_id, ReviewApplication("app-1", AT - timedelta(days=1), "complainant", "s-ho"))
    a.sync.sync()
    b.sync.sync()
    decide(b, case_id)  # offline, while a records a second one
    apply(a, case_id, ReviewApplication("app-2", AT + timedelta(days=1), "Their MP", "s-ho"))
    assert b.sync.sync().conflicts == 0
    assert a.sync.sync().conflicts == 0
    b.sync.sync()

    [[server_text]] = query(central, f"SELECT document FROM cases WHERE id = '{case_id}'")
    for document in (
        a.local_cases()[case_id][2],
        b.local_cases()[case_id][2],
        json.loads(server_text),
    ):
        first, second = document["case_review_applications"]
        assert (first["id"], first["threshold_met"], first["decision"]) == (
            "app-1",
            False,
            "Two reports: not met",
        )
        assert (second["id"], second["applied_by"], second["decided_at"]) == (
            "app-2",
            "Their MP",
            None,
        )
        assert document["case_review_decision_due_at"] is not None  # the second one waits
