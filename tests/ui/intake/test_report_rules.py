"""The New report's rules on plain values: what each page still needs, and the Case it makes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asb_desktop.domain.case import ConsentStatus, SharingBasis
from asb_desktop.ui.intake import report_case as rules

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CASE_ID = "12345678-1234-4234-8234-123456789abc"


def fields(found: list[rules.Missing]) -> list[str]:
    return [m.field for m in found]


def test_each_page_says_what_it_still_needs() -> None:
    later = (NOW + timedelta(hours=2)).isoformat()
    assert fields(rules.missing_how({"received_at": later}, NOW)) == ["received_at"]
    third = {"received_at": NOW.isoformat(), "source_kind": "third_party"}
    assert fields(rules.missing_how(third, NOW)) == ["organisation", "consent_status"]
    assert fields(rules.missing_complainant({"name": "Ewa"})) == ["address"]
    assert fields(rules.missing_complainant({"anonymous": True, "reassured": True})) == [
        "anonymity"
    ]
    assert fields(rules.missing_incident({"occurred_at": later}, NOW)) == [
        "occurred_at",
        "description",
    ]
    assert fields(rules.missing_targeting({"targeted": True, "targeting_reason": " "})) == [
        "targeting_reason"
    ]
    assert fields(rules.missing_classification({})) == ["severity"]


def test_an_anonymous_complainant_is_neither_drafted_nor_stored_with_contact_details() -> None:
    values = {"anonymous": True, "name": "Zoë", "phone": "07700 900123", "description": "x"}
    assert set(rules.for_draft(values)) == {"anonymous", "description", "version"}
    case = rules.build_case(values, case_id=CASE_ID, now=NOW)
    assert case.complainant.name is None and case.complainant.phone is None


def test_consent_given_without_a_ground_is_consent_and_blank_people_are_dropped() -> None:
    values = {
        "source_kind": "third_party",
        "organisation": "mp",
        "consent_status": "given",
        "involved": [{"name": " ", "address": "", "description": "", "is_employee": False}],
        "witnesses": [{"name": "Declan Byrne", "address": "", "contact": "", "account": ""}],
        "hate_strands": ["race", "not-a-strand"],
    }
    case = rules.build_case(values, case_id=CASE_ID, now=NOW)
    assert case.consent_to_share.status is ConsentStatus.GIVEN
    assert case.consent_to_share.basis is SharingBasis.CONSENT
    assert case.involved == ()
    assert [w.name for w in case.witnesses] == ["Declan Byrne"]
    assert {s.value for s in case.hate_strands} == {"race"}
