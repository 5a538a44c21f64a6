"""5.6 and 5.8 in the file itself: what a third party must not receive is not in the bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.reports import Profile, build_case_summary
from asb_desktop.reports.view import prepare_view
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import all_text, found_in

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
WITHHELD_VALUES = [
    rb.NAME,
    "Łukasiewicz",
    rb.ADDRESS,
    "14 Larch Walk",
    rb.PHONE,
    rb.EMAIL,
    rb.FEEL,
    rb.EFFECT,
    rb.MEASURES,
    rb.WITNESS_ADDRESS,
    rb.WITNESS_CONTACT,
    "she is very worried about the children",  # a contact record (internal)
    "consider an acceptable behaviour contract",  # an internal note
    "Called back; agreed a home visit",  # the first response summary
    "Visits to the block in pairs",  # the staff risk assessment decision
]


def summary(document: dict[str, Any], profile: Profile) -> bytes:
    return build_case_summary(
        document,
        profile=profile,
        produced_by="Hana Ali",
        produced_at=PRODUCED_AT,
        audit_trail=rb.audit_trail(),
    ).pdf


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    doc = rb.case_document(incidents=3)
    # Free text that repeats the complainant's details must not leak them either.
    doc["incidents"][0]["description"] += " Ms Łukasiewicz said to ring 07700900461."
    doc["frequency"] = f"Since {rb.NAME} moved to 14 Larch Walk in 2024."
    return doc


@pytest.fixture(scope="module")
def internal_pdf(document: dict[str, Any]) -> bytes:
    return summary(document, Profile.INTERNAL)


@pytest.fixture(scope="module")
def third_party_pdf(document: dict[str, Any]) -> bytes:
    return summary(document, Profile.THIRD_PARTY)


@pytest.mark.parametrize("value", WITHHELD_VALUES)
def test_the_internal_summary_carries_the_value(internal_pdf: bytes, value: str, tmp_path: Path):
    """The control: the search below does find these values when they are printed."""
    assert "pypdf text" in found_in(internal_pdf, value, tmp_path)


@pytest.mark.parametrize("value", WITHHELD_VALUES)
def test_a_third_party_summary_without_consent_holds_no_trace_of_the_value(
    third_party_pdf: bytes, value: str, tmp_path: Path
):
    assert found_in(third_party_pdf, value, tmp_path) == []


def test_the_redacted_view_the_renderer_reads_holds_none_of_the_values(
    document: dict[str, Any],
):
    view = prepare_view(document, Profile.THIRD_PARTY, rb.audit_trail())
    flat = repr(view.doc) + repr(view.audit)
    for value in [*WITHHELD_VALUES, "07700900461"]:
        assert value not in flat


def test_a_third_party_summary_still_tells_the_case(third_party_pdf: bytes):
    text = all_text(third_party_pdf)
    assert "Incident 1. The group gathered by the bin store" in text
    assert "Jordan Pike" in text and "22 Larch Walk" in text  # the alleged perpetrator
    assert "Siobhán Dvořák" in text  # a witness's name, without her address or number
    assert "Asked repairs to fix the communal door closer" in text  # an action
    assert "not included: no consent" in text
    assert "For a third party (5.6)" in text
    assert "[withheld]" in text


def test_the_original_document_is_left_untouched(document: dict[str, Any], third_party_pdf: bytes):
    assert document["complainant"]["name"] == rb.NAME
    assert document["incidents"][0]["how_it_made_them_feel"].startswith(rb.FEEL)


@pytest.mark.parametrize(
    "consent",
    [("given", "consent"), ("not_asked", "information_sharing_protocol")],
)
def test_with_consent_or_a_protocol_the_complainant_is_shared(
    consent: tuple[str, str], tmp_path: Path
):
    doc = rb.case_document(incidents=1, consent=consent)
    pdf = summary(doc, Profile.THIRD_PARTY)
    for value in (rb.NAME, rb.ADDRESS, rb.PHONE, rb.FEEL):
        assert "pypdf text" in found_in(pdf, value, tmp_path), value
    for value in (rb.WITNESS_ADDRESS, rb.WITNESS_CONTACT):
        assert found_in(pdf, value, tmp_path) == [], value


def test_consent_given_on_a_direct_report_still_shares_nothing(tmp_path: Path):
    """5.6 is about a third party's report: `may_share_with_third_party` is false for direct."""
    doc = rb.case_document(incidents=1, source="direct", consent=("given", "consent"))
    pdf = summary(doc, Profile.THIRD_PARTY)
    assert found_in(pdf, rb.NAME, tmp_path) == []


@pytest.mark.parametrize("profile", list(Profile))
def test_an_anonymous_complainant_is_anonymous_in_every_summary(profile: Profile):
    doc = rb.case_document(incidents=1, anonymous=True)
    text = all_text(summary(doc, profile))
    assert "Anonymous" in text
    assert rb.NAME not in text
    if profile is Profile.INTERNAL:
        assert "Recorded as anonymous (5.7, 5.8)" in text


def test_metadata_names_no_one_in_a_third_party_summary(third_party_pdf: bytes):
    from io import BytesIO

    from pypdf import PdfReader

    meta = PdfReader(BytesIO(third_party_pdf)).metadata
    assert meta is not None
    assert meta.title == "ASB case summary ASB-2026-000123"
    assert meta.author == "Connexus"
    assert "third party" in (meta.subject or "")
    assert "Hana Ali" not in repr(dict(meta))


def test_scrubbing_a_name_never_touches_dates_codes_or_ids():
    """Found by fuzzing: a one-character name once scrubbed the digits out of timestamps."""
    doc = rb.case_document(incidents=1, complainant_name="0 EST")
    view = prepare_view(doc, Profile.THIRD_PARTY)
    assert view.doc["received_at"] == doc["received_at"]
    assert view.doc["estate"] == "EST-NORTH"
    assert view.doc["id"] == doc["id"]
    build_case_summary(doc, profile=Profile.THIRD_PARTY, produced_by="A", produced_at=PRODUCED_AT)
