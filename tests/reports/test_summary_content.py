"""What an officer sees in a printed summary: every section, every page's furniture, real names."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from asb_desktop.domain.document import format_timestamp
from asb_desktop.domain.errors import InputError
from asb_desktop.reports import Branding, Profile, build_case_summary
from asb_desktop.reports.fonts import REPLACEMENT
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import flat_text, page_texts

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
SECTIONS = [
    "1. The report",
    "2. Complainant",
    "3. Incidents",
    "4. Frequency and history",
    "5. People involved",
    "6. Targeting",
    "7. Perceived hostility",
    "8. Witnesses",
    "9. Assignment",
    "10. Actions and contacts",
    "11. Escalations",
    "12. Managing the case",
    "13. Staff risk assessment",
    "14. Consent to share",
    "15. Audit trail",
]


def build(document: dict[str, Any], **changes: Any):
    options: dict[str, Any] = {
        "profile": Profile.INTERNAL,
        "produced_by": "Hana Ali",
        "produced_at": PRODUCED_AT,
        "audit_trail": rb.audit_trail(),
    }
    options.update(changes)
    return build_case_summary(document, **options)


@pytest.fixture(scope="module")
def internal():
    return build(rb.case_document(incidents=4))


def test_sections_follow_the_procedure_in_order(internal):
    text = flat_text(internal.pdf)
    positions = [text.find(title) for title in SECTIONS]
    assert -1 not in positions, [t for t, p in zip(SECTIONS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_every_page_carries_marking_reference_page_count_and_producer(internal):
    pages = page_texts(internal.pdf)
    assert len(pages) == internal.pages == len(PdfReader(io.BytesIO(internal.pdf)).pages)
    assert internal.pages >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom
        assert "Case ASB-2026-000123" in text
        assert f"Page {number} of {internal.pages}" in text
        assert "Produced by Hana Ali on 12 Mar 2026 10:00" in text
        assert "Connexus" in text


def test_the_report_facts_and_the_response_target(internal):
    text = flat_text(internal.pdf)
    assert "Via a third party: Police, Northfields SNT, PC 4411 Rhodes" in text
    assert "Serious: respond within 1 working day (5.3)" in text
    assert "Response due Wed 11 Mar 2026, 17:00" in text
    assert "Met: first response Tue 10 Mar 2026, 14:30" in text
    assert "Rule Employee involved (5.9)" in text  # a harassed colleague is an employee involved
    assert "Assigned to Tom Lee Why Assigned by hand to Tom Lee." in text
    assert "Reason Colleague harassment: team leader takes the case" in text
    assert "Group agreed Yes" in text


def test_a_late_first_response_is_reported_as_not_met():
    doc = rb.case_document(incidents=1)
    doc["first_response"]["at"] = format_timestamp(rb.RECEIVED + timedelta(days=3))
    assert "Not met: first response Fri 13 Mar 2026" in flat_text(build(doc).pdf)


def test_without_a_manual_choice_the_rule_explains_itself():
    doc = rb.case_document(incidents=1, extras=False, colleague_harassment=False)
    text = flat_text(build(doc).pdf)
    assert "Rule Patch officer for the estate (5.3)" in text
    assert "Assigned to Hana Ali: it goes to the housing officer for the estate (5.3)." in text
    employee = flat_text(build(rb.case_document(incidents=1, extras=False)).pdf)
    assert "Assigned to Tom Lee: an employee is involved, so a Team Leader at least" in employee


def test_no_first_response_after_the_deadline_is_not_met():
    doc = rb.case_document(incidents=1, extras=False)
    assert "Not met: no first response recorded" in flat_text(build(doc).pdf)


def test_the_timeline_runs_oldest_first_with_the_three_impact_statements(internal):
    text = flat_text(internal.pdf)
    order = [text.find(f"Incident {n}.") for n in (4, 3, 2, 1)]
    assert -1 not in order and order == sorted(order)
    for label in (
        "How it made them feel:",
        "How it has affected them since:",
        "Measures taken to avoid it happening again:",
    ):
        assert text.count(label) == 4


def test_names_in_many_alphabets_print_as_written():
    doc = rb.case_document(incidents=1)
    doc["involved"][0]["name"] = "Dvořák"
    text = flat_text(build(doc).pdf)
    for name in ("Zoë O'Brien-Łukasiewicz", "Siobhán Dvořák", "Dvořák", "Nguyễn Văn An"):
        assert name in text


def test_markup_characters_in_free_text_print_literally(internal):
    assert "passers-by <loudly>; one of them" in flat_text(internal.pdf)
    assert "Heard shouting & banging" in flat_text(internal.pdf)


def test_a_script_the_font_lacks_is_replaced_visibly_and_reported():
    doc = rb.case_document(incidents=1)
    doc["incidents"][0]["description"] = "他说：滚开 then ሰላም and 😀, then plain words."
    result = build(doc)
    text = flat_text(result.pdf)
    assert REPLACEMENT in text and "then plain words." in text
    joined = " ".join(result.warnings)
    assert "incidents[0].description" in joined
    for script in ("CJK", "ETHIOPIC"):
        assert script in joined
    assert "他" not in joined and "ሰ" not in joined  # warnings never repeat the text


def test_a_case_not_yet_synced_is_labelled_by_its_id():
    doc = rb.case_document(
        incidents=1, reference=None, case_id="0b6f6a57-9d8c-4a55-9a41-3f1d2c3b4a5e"
    )
    result = build(doc)
    assert "Not yet synced · case 0b6f6a57-9d8c-4a55-9a41-3f1d2c3b4a5e" in page_texts(result.pdf)[0]
    assert result.file_name == "case-0b6f6a57-9d8c-4a55-9a41-3f1d2c3b4a5e-summary.pdf"


def test_the_file_name_names_no_person(internal):
    assert internal.file_name == "ASB-2026-000123-summary.pdf"


def test_sixty_incidents_of_long_text_paginate_with_repeated_table_headings():
    result = build(rb.case_document(incidents=60, long_text=True), audit_trail=rb.audit_trail(60))
    pages = page_texts(result.pdf)
    assert result.pages == len(pages) >= 15
    incident_pages = [i for i, t in enumerate(pages) if "Incident " in t and "bin store" in t]
    assert len(incident_pages) >= 10
    for i in incident_pages:
        assert "What happened, and the impact" in pages[i], f"page {i + 1} lost its headings"
    text = "\n".join(pages)
    assert all(f"Incident {n}." in text for n in range(1, 61))
    assert "The 40 most recent of 60 records." in text
    assert f"Page {result.pages} of {result.pages}" in pages[-1]


def test_a_single_enormous_statement_still_prints_in_full():
    doc = rb.case_document(incidents=1, extras=False)
    words = " ".join(f"word{n}" for n in range(12_000))
    doc["incidents"][0]["description"] = words
    result = build(doc)
    text = " ".join(flat_text(result.pdf).split())
    assert "word0 word1" in text and "word11999" in text
    assert result.pages >= 5


def test_a_malformed_field_is_named():
    doc = rb.case_document(incidents=2)
    doc["incidents"][1]["occurred_at"] = "yesterday"
    with pytest.raises(InputError) as caught:
        build(doc)
    assert caught.value.field == "incidents[1].occurred_at"


def test_a_missing_logo_is_a_warning_not_a_failure(tmp_path: Path):
    branding = Branding(organisation="Northfields Homes", logo=tmp_path / "gone.png")
    result = build(rb.case_document(incidents=1), branding=branding)
    assert "Northfields Homes" in page_texts(result.pdf)[0]
    assert any("logo" in w for w in result.warnings)


def qpdf_or_skip() -> str:
    path = shutil.which("qpdf")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("qpdf is required in CI (apt-get install qpdf)")
        pytest.skip("qpdf is not installed")
    return path


@pytest.mark.parametrize("profile", list(Profile))
def test_qpdf_finds_the_file_sound(profile: Profile, tmp_path: Path):
    qpdf = qpdf_or_skip()
    path = tmp_path / "summary.pdf"
    path.write_bytes(build(rb.case_document(incidents=25, long_text=True), profile=profile).pdf)
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def test_right_to_left_text_prints_and_is_flagged():
    doc = rb.case_document(incidents=1)
    doc["witnesses"][1]["account"] = "قال إنه سمع الصراخ"
    result = build(doc)
    assert any("witnesses[1].account: right-to-left text (ARABIC)" in w for w in result.warnings)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    description=st.text(min_size=1, max_size=400),
    name=st.text(max_size=60),
    frequency=st.text(max_size=200),
)
def test_any_text_at_all_prints_without_failing(description: str, name: str, frequency: str):
    doc = rb.case_document(incidents=1, extras=False)
    doc["incidents"][0]["description"] = description
    doc["complainant"]["name"] = name
    doc["frequency"] = frequency
    for profile in Profile:
        result = build(doc, profile=profile)
        assert result.pages >= 1
        assert all(description not in w for w in result.warnings if len(description) > 3)


@pytest.mark.parametrize("profile", list(Profile))
def test_page_breaks_fall_anywhere_without_failing(profile: Profile):
    """Cases of growing size move every section across a page end at least once."""
    for incidents in range(1, 14):
        doc = rb.case_document(incidents=incidents, long_text=incidents % 2 == 0)
        doc["frequency"] = "Every night. " * (incidents * 7)
        result = build(doc, profile=profile)
        assert f"Page {result.pages} of {result.pages}" in page_texts(result.pdf)[-1]


def test_text_of_any_shape_lays_out_in_narrow_columns():
    """Hundreds of short lines, an unbroken run of letters, a paragraph in the location column."""
    doc = rb.case_document(incidents=2, extras=False)
    doc["incidents"][0]["location"] = "\n".join(f"line {n}" for n in range(400))
    doc["incidents"][1]["location"] = "Stairwell " * 150
    doc["witnesses"][0]["account"] = "A" * 6000
    doc["incidents"][0]["how_it_made_them_feel"] = "\n".join(["scared"] * 300)
    doc["involved"][0]["name"] = "N" * 900
    result = build(doc)
    text = flat_text(result.pdf)
    assert "line 0" in text and "line 399" in text
    assert text.replace(" ", "").count("A" * 50) >= 100
    assert result.pages >= 4
