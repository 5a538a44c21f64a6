"""Letters to the complainant, read back as a recipient's tools would: the PDF's text (pypdf),
its type size (large print honoured), the organisation's wording from presets with its
placeholders filled, and the same letter as a Word document read back with python-docx."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from docx import Document
from pypdf import PdfReader

from asb_desktop.domain.case import CaseState, Complainant, FirstResponse, Status
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.domain.letters import (
    DEFAULT_WORDING,
    Letter,
    LetterKind,
    LetterWording,
    compose_letter,
)
from asb_desktop.reports.letters import letter_file_name, letter_pdf
from asb_desktop.reports.letters_docx import letter_docx
from asb_desktop.reports.summary import Branding
from tests.domain.domain_builders import case
from tests.reports.report_pdf_checks import flat_text

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NAME = "Zoë O'Brien-Łukasiewicz"


def _case(adjustments: str | None = None, *, closed: bool = False):  # type: ignore[no-untyped-def]
    made = case(
        reference="ASB-2026-000123",
        complainant=Complainant(
            anonymous=False,
            name=NAME,
            address="Flat 4, 12 Elm Road\nNorthfields, NF1 2AB",
            adjustments=adjustments,
        ),
        first_response=FirstResponse(at=NOW, by="s-ha", summary="Rang"),
    )
    if closed:
        made = replace(
            made,
            status=Status(
                state=CaseState.CLOSED,
                reason="Quiet",
                at=NOW,
                outcome=CaseOutcome.ENFORCEMENT_TAKEN,
            ),
        )
    return made


def _letter(kind: LetterKind, adjustments: str | None = None, **options: object) -> Letter:
    return compose_letter(
        _case(adjustments, closed=kind is LetterKind.CLOSURE),
        kind,
        wording=options.pop("wording", DEFAULT_WORDING),  # type: ignore[arg-type]
        organisation="Connexus Housing",
        officer="Hana Ali",
        today=NOW,
        next_update_due=datetime(2026, 12, 15, 17, 0, tzinfo=UTC),
        **options,  # type: ignore[arg-type]
    )


def _pdf(letter: Letter) -> bytes:
    pdf, warnings = letter_pdf(
        letter,
        branding=Branding.default(),
        produced_by="Hana Ali",
        produced_at=NOW,
        case_key="k",
    )
    assert warnings == []
    return pdf


def _size_of(pdf: bytes, words: str) -> float:
    """The type size the text starting with `words` is set in (pypdf reads each `Tf`)."""
    sizes: list[float] = []

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if text.startswith(words):
            sizes.append(size)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert sizes, words
    return sizes[0]


@pytest.mark.parametrize("kind", list(LetterKind))
def test_each_letter_says_who_it_is_for_and_what_happened(kind: LetterKind) -> None:
    text = flat_text(_pdf(_letter(kind)))
    assert f"Dear {NAME}," in text
    for part in ("Flat 4", "12 Elm Road", "Northfields", "NF1 2AB", "1 December 2026"):
        assert part in text
    assert "Our reference: ASB-2026-000123" in text and "Yours sincerely," in text
    assert "Hana Ali" in text and "Connexus Housing" in text
    expected = {
        LetterKind.ACKNOWLEDGEMENT: "reporting anti-social behaviour to us on 10 March 2026",
        LetterKind.UPDATE: "again by 15 December 2026",
        LetterKind.CLOSURE: "The outcome: we have taken enforcement action.",
    }[kind]
    assert expected in text
    assert "{" not in text  # every placeholder filled
    assert "Letter to the complainant" in text and "Page 1 of 1" in text


def test_large_print_is_larger_type_and_normal_print_is_not() -> None:
    normal = _pdf(_letter(LetterKind.ACKNOWLEDGEMENT, "Calls in the morning"))
    large = _pdf(_letter(LetterKind.ACKNOWLEDGEMENT, "Needs LARGE print letters"))
    for words in ("Dear", "Thank you for reporting", "Yours sincerely", "Flat 4"):
        assert _size_of(normal, words) == 11.0
        assert _size_of(large, words) == 16.0
    assert flat_text(_pdf(_letter(LetterKind.UPDATE, "large print"))).count("Dear") == 1


def test_the_organisations_wording_from_presets_is_merged() -> None:
    wording = LetterWording(
        acknowledgement="Ref {reference}, received {received_date}, from {organisation}.",
        sign_off="With best wishes",
    )
    text = flat_text(_pdf(_letter(LetterKind.ACKNOWLEDGEMENT, wording=wording)))
    assert "Ref ASB-2026-000123, received 10 March 2026, from Connexus Housing." in text
    assert "With best wishes," in text and "Yours sincerely" not in text


def test_the_officers_own_words_follow_the_opening_and_markup_prints_as_written() -> None:
    extra = "We spoke to them & they agreed <no music after 11pm>."
    letter = _letter(LetterKind.UPDATE, extra=extra)
    assert letter.paragraphs[1] == extra
    assert extra in flat_text(_pdf(letter))


def test_the_docx_reads_back_with_the_same_letter_and_size() -> None:
    letter = _letter(LetterKind.CLOSURE, "large print")
    data = letter_docx(letter, branding=Branding.default(), warnings=[])
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert f"Dear {NAME}," in texts
    assert any("we have taken enforcement action" in t for t in texts)
    assert "Hana Ali" in texts and "Yours sincerely," in texts
    assert document.styles["Normal"].font.size.pt == 16.0
    assert any("Connexus" in p.text for p in document.sections[0].header.paragraphs)
    assert section_pictures(document) == 1  # the logo, in the page header
    assert document.core_properties.author == "Connexus"
    assert NAME not in (document.core_properties.title or "")


def section_pictures(document: object) -> int:
    return document.sections[0].header._element.xml.count("<pic:pic>")  # type: ignore[attr-defined]


def test_file_names_never_carry_a_name() -> None:
    assert letter_file_name("ASB-2026-000123", "x", "update", docx=False) == (
        "ASB-2026-000123-update-letter.pdf"
    )
    assert letter_file_name(None, "abc", "closure", docx=True) == "case-abc-closure-letter.docx"


def test_a_case_not_yet_synced_quotes_its_local_id() -> None:
    unsynced = replace(_case(), reference=None)
    letter = compose_letter(
        unsynced, LetterKind.ACKNOWLEDGEMENT, wording=DEFAULT_WORDING, organisation="Connexus",
        officer="Hana Ali", today=NOW,
    )  # fmt: skip
    local = f"Local {unsynced.id.split('-')[0].upper()}"
    assert letter.reference == local
    assert f"Your case reference is {local}:" in letter.paragraphs[0]
