"""Letters on a real encrypted store: recorded as an entry and a disclosure in one change (an
update letter moves the next update on), refused for an anonymous complainant (5.8) and when the
agreed adjustments rule letters out, and a failed write records nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case import EntryKind
from asb_desktop.domain.disclosure import DisclosureProfile, DisclosureWhat
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.letters import DEFAULT_WORDING, LetterKind
from asb_desktop.reports.letters import write_letter
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.services.letters import LetterRequest, prepare_letter, record_letter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO
from tests.services.test_case_actions import NOW, document

CASE = "51515151-5151-4515-8515-515151515151"
ANONYMOUS = "51515151-5151-4515-8515-515151515152"
BY_PHONE = "51515151-5151-4515-8515-515151515153"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="s-ha", clock=lambda: NOW)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    received = NOW - timedelta(days=20)
    responded = {"at": (received + timedelta(hours=2)).isoformat(), "by": "s-ha", "summary": "Rang"}
    anonymous = document(ANONYMOUS, name="x", received=received)
    anonymous["complainant"] = {"anonymous": True}
    by_phone = document(BY_PHONE, name="Ola Brown", received=received, first_response=responded)
    by_phone["complainant"]["adjustments"] = "Contact by telephone only please"  # type: ignore[index]
    services.casework.import_documents(
        [
            LabelledDocument(
                "1", document(CASE, name="Zoë Ng", received=received, first_response=responded)
            ),
            LabelledDocument("2", anonymous),
            LabelledDocument("3", by_phone),
        ]
    )
    yield services
    services.close()


def _prepare(services: Services, request: LetterRequest):  # type: ignore[no-untyped-def]
    return prepare_letter(
        services.casework, request, wording=DEFAULT_WORDING, organisation="Connexus",
        officer="Hana Ali",
    )  # fmt: skip


def test_an_update_letter_is_an_update_given_and_a_disclosure_to_the_complainant(
    services: Services,
) -> None:
    before = services.actions.view(CASE).outcome.next_update_due_at
    assert before is not None and before < NOW  # overdue: the last contact was 20 days ago
    request = LetterRequest(CASE, LetterKind.UPDATE, extra="We spoke to them.")
    letter = _prepare(services, request)
    record_letter(services.casework, request)

    case = services.casework.case(CASE)
    assert case is not None
    [entry] = case.entries
    assert entry.kind is EntryKind.UPDATE and "We spoke to them." in entry.text
    assert "Zoë" not in entry.text
    [disclosure] = case.disclosures
    assert disclosure.to == "the complainant"
    assert (disclosure.profile, disclosure.what) == (
        DisclosureProfile.COMPLAINANT,
        DisclosureWhat.LETTER_PDF,
    )
    after = services.actions.view(CASE).outcome.next_update_due_at
    assert after is not None and after > NOW
    # the letter said the date the update clock then moved to
    assert any(f"{after.day} {after:%B %Y}" in p for p in letter.paragraphs)
    actions = [row.action for row in services.casework.history(CASE)]
    assert actions.count("case.letter") == 1


def test_an_acknowledgement_is_a_contact(services: Services) -> None:
    record_letter(services.casework, LetterRequest(CASE, LetterKind.ACKNOWLEDGEMENT, docx=True))
    case = services.casework.case(CASE)
    assert case is not None
    assert [e.kind for e in case.entries] == [EntryKind.CONTACT]
    assert case.disclosures[0].what is DisclosureWhat.LETTER_DOCX


@pytest.mark.parametrize(
    ("case_id", "words"),
    [(ANONYMOUS, "anonymous"), (BY_PHONE, "rule out letters")],
)
def test_refused_letters_record_nothing(services: Services, case_id: str, words: str) -> None:
    for kind in LetterKind:
        request = LetterRequest(case_id, kind)
        with pytest.raises(ProcedureError, match=words):
            _prepare(services, request)
        with pytest.raises(ProcedureError, match=words):
            record_letter(services.casework, request)
    case = services.casework.case(case_id)
    assert case is not None and case.entries == () and case.disclosures == ()


def test_a_failed_write_leaves_no_file_and_records_nothing(
    services: Services, tmp_path: Path
) -> None:
    request = LetterRequest(CASE, LetterKind.ACKNOWLEDGEMENT)
    path = tmp_path / "gone" / "letter.pdf"
    with pytest.raises(OSError):
        write_letter(path, b"%PDF", before_rename=lambda: record_letter(services.casework, request))
    case = services.casework.case(CASE)
    assert case is not None and case.disclosures == ()

    def refused() -> None:
        raise ProcedureError("refused")

    folder = tmp_path / "letters"
    folder.mkdir()
    with pytest.raises(ProcedureError):
        write_letter(folder / "letter.pdf", b"%PDF", before_rename=refused)
    assert list(folder.iterdir()) == []  # no letter, no hidden part-written file
