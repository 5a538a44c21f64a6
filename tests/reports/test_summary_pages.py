"""No page of a printed summary is empty: a page with only the header and footer on it is the
first thing a reader (or a court bundle's index) notices."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from asb_desktop.reports import Profile, build_case_summary, write_summaries
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import page_texts

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
FURNITURE = re.compile(
    r"^(OFFICIAL-SENSITIVE|Connexus|Case ASB-\S+|Not yet synced · case \S+|Produced by .*|"
    r"Page \d+ of \d+)$"
)


def empty_pages(pdf: bytes) -> list[int]:
    """Pages whose only text is the header and footer every page carries."""
    empty = []
    for number, text in enumerate(page_texts(pdf), start=1):
        body = [line for line in text.splitlines() if line.strip()]
        if all(FURNITURE.match(line.strip()) for line in body):
            empty.append(number)
    return empty


# Among them, the layouts where the last section ended exactly at the foot of a page: the little
# space after it went onto a page of its own (a third-party summary, consent given, 20 audit lines).
LAYOUTS = [
    (incidents, consent, audit)
    for incidents in (1, 2, 3, 8)
    for consent in (("not_asked", None), ("given", "consent"))
    for audit in (0, 20, 45)
]


@pytest.mark.parametrize("profile", list(Profile))
def test_no_page_of_a_summary_is_empty(profile: Profile) -> None:
    found = {}
    for incidents, consent, audit in LAYOUTS:
        document = rb.case_document(incidents=incidents, consent=consent)
        result = build_case_summary(
            document,
            profile=profile,
            produced_by="Hana Ali",
            produced_at=PRODUCED_AT,
            audit_trail=rb.audit_trail(audit),
        )
        assert len(page_texts(result.pdf)) == result.pages
        if empty_pages(result.pdf):
            found[(incidents, consent[0], audit)] = empty_pages(result.pdf)
    assert found == {}, f"pages with nothing on them (incidents, consent, audit): {found}"


def test_many_cases_in_one_file_have_no_empty_page(tmp_path: Any) -> None:
    documents = [rb.case_document(incidents=n, consent=("given", "consent")) for n in (1, 2, 3, 8)]
    result = write_summaries(
        documents,
        single_file=tmp_path / "all.pdf",
        profile=Profile.THIRD_PARTY,
        produced_by="Hana Ali",
        produced_at=PRODUCED_AT,
        audit_trails=lambda _: rb.audit_trail(20),
    )
    assert result.done == 4
    assert empty_pages((tmp_path / "all.pdf").read_bytes()) == []
