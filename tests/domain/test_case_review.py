"""`case_review`: the ASB Case Review (community trigger) counts reports, not cases: every
incident of every case of the same complainant (same name and address without case or accents)
reported within the last 6 months and within one month after the behaviour; 3 make a case
eligible; an anonymous complainant has none; the organisation sets the numbers."""

from __future__ import annotations

from dataclasses import replace

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Case, Complainant, HateStrand, Incident
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.case_review import add_months, case_review, complainant_key
from asb_desktop.domain.procedure import evaluate
from tests.domain.domain_builders import at, case, directory

NOW = at("2026-09-15T12:00:00+01:00")
ZOE = Complainant(anonymous=False, name="Zoë Dvořák", address="4 Élan Court, Northfields")
ZOE_TYPED = Complainant(anonymous=False, name="zoe  DVORAK", address="4 elan court, northfields")


def incident(number: int, occurred: str, reported: str | None = None) -> Incident:
    return Incident(
        id=f"inc-{number}",
        occurred_at=at(occurred),
        description=f"Report {number}",
        reported_at=at(reported) if reported else None,
    )


def complaint(case_id: str, received: str, *incidents: Incident, **changes: object) -> Case:
    """A case of Zoë's received at `received`; its incidents default to one the day before."""
    found = incidents or (incident(0, received),)
    return case(id=case_id, received_at=at(received), complainant=ZOE, incidents=found, **changes)


def test_the_same_complainant_spelled_without_accents_or_capitals_is_the_same_person() -> None:
    assert complainant_key(ZOE) == complainant_key(ZOE_TYPED)
    assert complainant_key(ZOE) != complainant_key(replace(ZOE, address="5 Elan Court"))
    assert complainant_key(Complainant(anonymous=True)) is None
    assert complainant_key(replace(ZOE, address=None)) is None  # a name alone tells no one apart


def test_four_complaints_in_sixty_days_two_added_to_the_first_case_count_four() -> None:
    # The example: counting cases gave two (no notice); counting reports gives four.
    first = complaint(
        "c-1",
        "2026-07-20T10:00:00+01:00",
        incident(1, "2026-07-19T22:00:00+01:00"),
        incident(2, "2026-08-01T22:00:00+01:00", "2026-08-03T09:00:00+01:00"),
        incident(3, "2026-08-20T22:00:00+01:00", "2026-08-21T09:00:00+01:00"),
    )
    second = replace(
        complaint("c-2", "2026-09-10T10:00:00+01:00", incident(4, "2026-09-09T23:00:00+01:00")),
        complainant=ZOE_TYPED,
    )
    review = case_review(first, [second], NOW)
    assert (review.qualifying_reports, review.eligible) == (4, True)
    assert case_review(second, [first], NOW) == review
    assert case_review(first, [], NOW).qualifying_reports == 3  # the first case alone


def test_a_report_made_more_than_a_month_after_the_behaviour_does_not_count() -> None:
    late = complaint(
        "c-1",
        "2026-09-01T10:00:00+01:00",
        incident(1, "2026-07-31T22:00:00+01:00", "2026-08-31T21:00:00+01:00"),  # within a month
        incident(2, "2026-07-31T22:00:00+01:00", "2026-09-01T10:00:00+01:00"),  # a month and more
        incident(3, "2026-08-30T22:00:00+01:00"),
    )
    assert case_review(late, [], NOW).qualifying_reports == 2
    assert not case_review(late, [], NOW).eligible


def test_only_reports_of_the_last_six_months_count() -> None:
    old = complaint("c-1", "2026-03-15T11:00:00+00:00", incident(1, "2026-03-14T22:00:00+00:00"))
    recent = complaint("c-2", "2026-03-16T10:00:00+00:00", incident(2, "2026-03-15T22:00:00Z"))
    # Six months before 15 September 12:00 is 15 March 12:00: the 11:00 report is out.
    assert case_review(recent, [old], NOW).qualifying_reports == 1
    assert case_review(recent, [old], at("2026-09-15T10:00:00+01:00")).qualifying_reports == 2


def test_weekends_and_bank_holidays_do_not_move_the_months() -> None:
    # Behaviour on the Friday before the August bank holiday, reported on the Tuesday after
    # it four weeks later: calendar months, not working days, so it counts.
    report = complaint("c-1", "2026-09-01T09:00:00+01:00", incident(1, "2026-08-07T23:00:00+01:00"))
    assert case_review(report, [], NOW).qualifying_reports == 1
    assert add_months(at("2026-01-31T12:00:00+00:00"), 1) == at("2026-02-28T12:00:00+00:00")


def test_an_anonymous_complainant_has_none() -> None:
    anonymous = replace(
        complaint(
            "c-1",
            "2026-09-01T10:00:00+01:00",
            incident(1, "2026-08-31T22:00:00+01:00"),
            incident(2, "2026-08-30T22:00:00+01:00"),
            incident(3, "2026-08-29T22:00:00+01:00"),
        ),
        complainant=Complainant(anonymous=True),
    )
    review = case_review(anonymous, [anonymous], NOW)
    assert (review.qualifying_reports, review.eligible) == (0, False)


def test_other_complainants_cases_do_not_count() -> None:
    mine = complaint("c-1", "2026-09-01T10:00:00+01:00")
    theirs = replace(
        complaint("c-2", "2026-09-02T10:00:00+01:00"),
        complainant=replace(ZOE, name="Zoe Dvorakova"),
    )
    assert case_review(mine, [theirs], NOW).qualifying_reports == 1


def test_the_organisation_sets_the_threshold_the_window_and_one_hate_incident() -> None:
    two = complaint(
        "c-1",
        "2026-09-01T10:00:00+01:00",
        incident(1, "2026-08-31T22:00:00+01:00"),
        incident(2, "2026-08-30T22:00:00+01:00"),
    )
    assert not case_review(two, [], NOW).eligible
    assert case_review(two, [], NOW, CasePolicy(review_threshold=2)).eligible
    old = complaint("c-0", "2026-01-10T10:00:00+00:00", incident(0, "2026-01-09T22:00:00Z"))
    assert case_review(two, [old], NOW, CasePolicy(review_window_months=9)).eligible
    hate = replace(
        complaint("c-3", "2026-09-01T10:00:00+01:00"), hate_strands=frozenset({HateStrand.RACE})
    )
    assert not case_review(hate, [], NOW).eligible
    assert case_review(hate, [], NOW, CasePolicy(review_one_hate_incident=True)).eligible


def test_the_outcome_carries_it() -> None:
    three = complaint(
        "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b",
        "2026-09-01T10:00:00+01:00",
        incident(1, "2026-08-31T22:00:00+01:00"),
        incident(2, "2026-08-30T22:00:00+01:00"),
        incident(3, "2026-08-29T22:00:00+01:00"),
    )
    review = case_review(three, [], NOW)
    outcome = evaluate(three, directory(), WorkingDayCalendar(), review=review)
    assert outcome.case_review == review
    assert (review.qualifying_reports, review.eligible) == (3, True)
