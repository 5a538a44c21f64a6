"""The summary's audit section lists the case's disclosure log: when, by whom (by name), to
whom, what and with which profile; a third party is never told a data subject's name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asb_desktop.reports import Profile, build_case_summary
from asb_desktop.services.actors import ActorNames
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import flat_text

PRODUCED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NAMES = ActorNames(rb.DIRECTORY, account="local:hana")
DISCLOSURES = [
    {"at": "2026-11-02T10:00:00Z", "by": "s-ha", "to": "PC Dawson, Northfields police",
     "profile": "third_party", "what": "summary_pdf"},
    {"at": "2026-11-20T15:30:00Z", "by": "s-tl", "to": "Quentin Subjectmarker",
     "profile": "subject_access", "what": "subject_access"},
]  # fmt: skip


def _text(profile: Profile, disclosures: list[dict[str, str]]) -> str:
    document = {**rb.case_document(), "disclosures": disclosures}
    result = build_case_summary(
        document, profile=profile, produced_by="Hana Ali", produced_at=PRODUCED_AT, names=NAMES
    )
    return flat_text(result.pdf)


@pytest.mark.parametrize("profile", list(Profile))
def test_the_audit_section_lists_each_disclosure(profile: Profile) -> None:
    text = _text(profile, DISCLOSURES)
    assert "Disclosures: 2 records of what was given outside the team." in text
    assert "02 Nov 2026 10:00 Hana Ali PC Dawson, Northfields police case summary (PDF)" in text
    assert "third-party profile" in text and "subject access output (PDF and JSON)" in text
    assert "Tom Lee" in text and "s-tl" not in text
    if profile is Profile.THIRD_PARTY:
        assert "Subjectmarker" not in text and "the data subject" in text
    else:
        assert "Quentin Subjectmarker" in text


def test_none_recorded_is_said() -> None:
    assert "Disclosures: none recorded." in _text(Profile.INTERNAL, [])
