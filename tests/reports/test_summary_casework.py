"""Issue 13 in the summary: the kind of ASB, the risk, the action plan, the updates, the Case
Review, and vulnerabilities, which a third party gets only when 5.6 allows sharing (checked in
the file's bytes and in its text, as a recipient's tools would read it)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.reports import Profile, build_case_summary
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import flat_text, found_in

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
# What marks a vulnerability or an adjustment in the file: the category words and the text.
VULNERABILITY_MARKERS = [
    rb.VULNERABILITY,
    "Learning disability",
    rb.WITNESS_VULNERABILITY,
    rb.ADJUSTMENTS,
    rb.INVOLVED_ADJUSTMENTS,
    "Vulnerable:",
    rb.RISK_NOTES,
]
NAMES = {"s-ha": "Hana Ali", "s-tl": "Tom Lee"}


def summary(document: dict[str, Any], profile: Profile) -> bytes:
    return build_case_summary(
        document,
        profile=profile,
        produced_by="Hana Ali",
        produced_at=PRODUCED_AT,
        audit_trail=rb.audit_trail(),
        names=lambda actor: NAMES.get(actor, actor),
    ).pdf


@pytest.fixture(scope="module")
def internal_pdf() -> bytes:
    return summary(rb.case_document(managed=True), Profile.INTERNAL)


@pytest.fixture(scope="module")
def third_party_pdf() -> bytes:
    return summary(rb.case_document(managed=True), Profile.THIRD_PARTY)


def test_the_summary_says_how_the_case_is_managed(internal_pdf: bytes) -> None:
    text = flat_text(internal_pdf)
    assert "Kind of ASB Damage or vandalism, Harassment or intimidation" in text
    assert "NSIR category Personal (aimed at a person or household)" in text
    assert "Risk level HIGH RISK (the latest risk assessment)" in text  # the latest, high
    assert "12. Managing the case" in text
    assert "10 Mar 2026 12:30 Hana Ali 7 Medium First call" in text  # date, by name, score, level
    assert "11 Mar 2026 09:30 Tom Lee 14 HIGH" in text
    assert "Action plan agreed on Tue 10 Mar 2026, 15:30 with The complainant, by phone." in text
    assert "about the door Hana Ali 11 Mar 2026 05:30 Done 11 Mar 2026 11:30 (late)" in text
    assert f"{rb.PLAN_ACTION} Tom Lee 11 Mar 2026 09:30 OVERDUE" in text
    assert "Keep a diary of incidents the complainant 30 Mar 2026 10:30 To do" in text
    assert "Updates given 2 Latest update Thu 12 Mar 2026, 09:30" in text
    assert "Next update due Thu 19 Mar 2026, 17:00" in text  # 5 working days: high risk
    assert "3 qualifying reports in the last 6 months: the complainant may apply" in text
    assert "Update given Hana Ali Told the complainant where things stand (update 1)." in text


def test_each_persons_vulnerabilities_and_adjustments_internally(internal_pdf: bytes) -> None:
    text = flat_text(internal_pdf)
    assert f"Vulnerabilities Vulnerable: Language, {rb.VULNERABILITY}." in text
    assert f"Adjustments for contact: {rb.ADJUSTMENTS}" in text
    jordan = f"Vulnerable: Learning disability Adjustments for contact: {rb.INVOLVED_ADJUSTMENTS}"
    assert jordan in text
    assert f"Vulnerable: {rb.WITNESS_VULNERABILITY}" in text  # Siobhán Dvořák


@pytest.mark.parametrize("marker", VULNERABILITY_MARKERS)
def test_internal_summary_carries_the_marker(internal_pdf: bytes, marker: str, tmp_path: Path):
    """The control: the search below finds each marker where it is printed."""
    assert "pypdf text" in found_in(internal_pdf, marker, tmp_path)


@pytest.mark.parametrize("marker", VULNERABILITY_MARKERS)
def test_a_third_party_summary_without_consent_has_no_vulnerability(
    third_party_pdf: bytes, marker: str, tmp_path: Path
) -> None:
    assert found_in(third_party_pdf, marker, tmp_path) == []


def test_without_consent_the_third_party_still_reads_how_the_case_is_managed(
    third_party_pdf: bytes,
) -> None:
    text = flat_text(third_party_pdf)
    assert "Risk level HIGH RISK" in text and "Kind of ASB Damage or vandalism, Harassment" in text
    assert "11 Mar 2026 09:30 Tom Lee 14 HIGH Not included (5.6)" in text
    assert f"{rb.PLAN_ACTION} Tom Lee 11 Mar 2026 09:30 OVERDUE" in text
    assert "Updates given 2" in text  # that updates were given, not what was said
    assert "Told the complainant where things stand" not in text
    assert "anyone's vulnerabilities and adjustments" in text  # the audience note says so


@pytest.mark.parametrize(
    "consent", [("given", "consent"), ("not_asked", "information_sharing_protocol")]
)
def test_with_consent_the_third_party_gets_the_vulnerabilities(
    consent: tuple[str, str], tmp_path: Path
) -> None:
    pdf = summary(rb.case_document(managed=True, consent=consent), Profile.THIRD_PARTY)
    for marker in VULNERABILITY_MARKERS:
        assert "pypdf text" in found_in(pdf, marker, tmp_path), marker


def test_an_anonymous_complainants_vulnerabilities_show_and_no_update_is_due(tmp_path: Path):
    doc = rb.case_document(managed=True, anonymous=True, incidents=1)
    doc["entries"] = [e for e in doc["entries"] if e["kind"] != "update"]  # 5.8: none given
    text = flat_text(summary(doc, Profile.INTERNAL))
    assert f"Vulnerabilities Vulnerable: Language, {rb.VULNERABILITY}." in text
    assert "Next update due None: an anonymous complainant gets no feedback (5.8)" in text
    assert "0 qualifying reports in the last 6 months: not eligible" in text


def test_a_case_not_yet_managed_says_so() -> None:
    text = flat_text(summary(rb.case_document(incidents=1), Profile.INTERNAL))
    assert "Kind of ASB Not yet classified" in text and "Risk level Not assessed" in text
    assert "Victim risk assessments: none recorded." in text
    assert "Action plan: none agreed yet." in text
    assert "Vulnerable:" not in text


def with_application(document: dict[str, Any]) -> dict[str, Any]:
    document["case_review_applications"] = [
        {
            "id": "app-1",
            "applied_at": "2026-03-10T16:00:00+00:00",
            "applied_by": "Cllr Dee Patel",
            "received_by": "s-ha",
            "threshold_met": True,
            "decision": "Three reports in six months: the review goes ahead",
            "decided_at": "2026-03-11T10:00:00+00:00",
            "decided_by": "s-tl",
            "outcome": "Mediation and a noise diary",
            "outcome_at": "2026-03-12T09:00:00+00:00",
        },
        {
            "id": "app-2",
            "applied_at": "2026-03-12T09:30:00+00:00",
            "applied_by": "complainant",
            "received_by": "s-ha",
        },
    ]
    document["case_review_decision_due_at"] = "2026-03-26T17:00:00+00:00"
    return document


def test_the_summary_records_each_case_review_application(tmp_path: Path) -> None:
    document = with_application(rb.case_document(managed=True))
    text = flat_text(summary(document, Profile.INTERNAL))
    assert "Applications for a Case Review (2)" in text
    assert "10 Mar 2026 16:00, by Cllr Dee Patel, on their behalf" in text
    assert "Threshold met, 11 Mar 2026 10:00 by Tom Lee: Three reports in six" in text
    assert "12 Mar 2026 09:00: Mediation and a noise diary" in text
    assert "by the complainant" in text and "Not yet made (due by Thu 26 Mar 2026" in text
    withheld = summary(document, Profile.THIRD_PARTY)
    for marker in ("Cllr Dee Patel", "Mediation and a noise diary", "Three reports in six"):
        assert not found_in(withheld, marker, tmp_path), marker
    assert "Applications for a Case Review (2)" in flat_text(withheld)
