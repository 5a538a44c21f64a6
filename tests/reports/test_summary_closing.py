"""The closing in the summary (section 12): the outcome, the complainant told, their
satisfaction and each reopening; a third party gets the satisfaction answers only when 5.6
allows sharing (checked in the file's bytes and text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from asb_desktop.reports import Profile
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import flat_text, found_in
from tests.reports.test_summary_casework import summary

SATISFACTION_MARKERS = ["Fairly dissatisfied", "Very satisfied", "Would report again"]


def closed(consent: tuple[str, str | None] = ("not_asked", None)) -> dict[str, Any]:
    document = rb.case_document(managed=True, consent=consent)
    document["status"] = {
        "state": "closed",
        "reason": "No reports for eight weeks",
        "at": "2026-03-11T16:00:00+00:00",
        "outcome": "enforcement_taken",
    }
    document["closure"] = {
        "complainant_told": {"at": "2026-03-11T17:00:00+00:00", "by": "s-ha", "how": "letter"},
        "satisfaction": {
            "at": "2026-03-12T09:00:00+00:00",
            "by": "s-tl",
            "kept_informed": "very_satisfied",
            "timescales": "fairly_dissatisfied",
            "outcome": None,
            "would_report_again": "yes",
        },
    }
    document["reopenings"] = [
        {
            "at": "2026-03-11T09:00:00+00:00",
            "by": "s-tl",
            "reason": "The music started again",
            "closed_at": "2026-03-10T18:00:00+00:00",
            "outcome": "no_further_action",
            "closure": None,
        }
    ]
    return document


def test_the_internal_summary_says_how_it_closed_and_was_reopened(tmp_path: Path) -> None:
    text = flat_text(summary(closed(), Profile.INTERNAL))
    assert "Closed — since Wed 11 Mar 2026, 16:00 — outcome: Enforcement action taken" in text
    assert "Outcome Enforcement action taken" in text
    assert "Complainant told Wed 11 Mar 2026, 17:00, by letter, by Hana Ali" in text
    assert (
        "Satisfaction Asked Thu 12 Mar 2026, 09:00 by Tom Lee. Kept informed: Very satisfied; "
        "Timescales: Fairly dissatisfied; Would report again: Yes." in text
    )
    assert "Reopened (1)" in text and "The music started again" in text
    assert "No further action" in text


@pytest.fixture(scope="module")
def third_party_pdf() -> bytes:
    return summary(closed(), Profile.THIRD_PARTY)


@pytest.mark.parametrize("marker", SATISFACTION_MARKERS)
def test_a_third_party_without_a_sharing_ground_gets_no_satisfaction(
    third_party_pdf: bytes, marker: str, tmp_path: Path
) -> None:
    assert found_in(third_party_pdf, marker, tmp_path) == []


def test_the_third_party_still_reads_the_outcome_and_that_they_were_told(
    third_party_pdf: bytes,
) -> None:
    text = flat_text(third_party_pdf)
    assert "Outcome Enforcement action taken" in text
    assert "Complainant told Wed 11 Mar 2026, 17:00, by letter" in text
    assert "Satisfaction Not included (5.6): the complainant's own views" in text


def test_with_consent_the_third_party_gets_the_satisfaction(tmp_path: Path) -> None:
    pdf = summary(closed(consent=("given", "consent")), Profile.THIRD_PARTY)
    for marker in SATISFACTION_MARKERS:
        assert "pypdf text" in found_in(pdf, marker, tmp_path), marker
