"""Erasing a person from a case and correcting their details (domain/erasure.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_desktop.domain.case import (
    Complainant,
    Entry,
    EntryKind,
    FirstResponse,
    Incident,
    InvolvedPerson,
    Witness,
)
from asb_desktop.domain.case_management import (
    ActionPlan,
    PlanAction,
    RiskAssessment,
    RiskLevel,
    Vulnerability,
)
from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.erasure import (
    ADDRESS_REMOVED,
    CONTACT_REMOVED,
    PLACEHOLDER,
    PersonSlot,
    erase_in_document,
    erase_person,
    erased_slots,
    parse_slot,
    person_marks,
    rectify_person,
    slot_name,
)
from asb_desktop.domain.errors import InputError
from tests.domain.domain_builders import case

WHEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _full_case():  # type: ignore[no-untyped-def]
    return case(
        complainant=Complainant(
            anonymous=False,
            name="Zoë O'Brien-Łukasiewicz",
            address="12 Elm Road, Northfields",
            phone="07700 900123",
            email="zoe.ob@example.org",
            vulnerabilities=frozenset({Vulnerability.MENTAL_HEALTH}),
            adjustments="Call after 6pm; Zoë prefers text",
        ),
        incidents=(
            Incident(
                id="i1",
                occurred_at=WHEN,
                description="ZOE O’BRIEN-LUKASIEWICZ heard shouting; Lukasiewicz's door kicked. "
                "Annual noise survey. Call 07700-900-123 or zoe.ob@EXAMPLE.org",
                how_it_made_them_feel="Mrs Łukasiewicz is scared at 12 elm road, northfields",
            ),
        ),
        involved=(
            InvolvedPerson(name="Ann Smith", address="14 Elm Road", description="tall, red car"),
        ),
        witnesses=(Witness(name="Dev Patel", contact="dev@example.org", account="Saw Ann Smith"),),
        entries=(
            Entry(id="e1", kind=EntryKind.NOTE, at=WHEN, by="s-ha", text="Spoke to Zoë about Ann"),
        ),
        first_response=FirstResponse(at=WHEN, by="s-ha", summary="Rang Zoë O'Brien-Łukasiewicz"),
        risk_assessments=(
            RiskAssessment(
                id="r1",
                at=WHEN,
                by="s-ha",
                level=RiskLevel.HIGH,
                score=12,
                answers={"q1": "yes", "other": "Łukasiewicz fears Ann Smith"},
                notes="O'Brien-Łukasiewicz lives alone",
            ),
        ),
        action_plan=ActionPlan(
            agreed_at=WHEN,
            agreed_with="Zoë O'Brien-Łukasiewicz",
            actions=(PlanAction(id="a1", what="Visit Zoë weekly", who="s-ha", due_at=WHEN),),
        ),
    )


def test_the_complainant_is_gone_from_every_field_and_every_mention():
    erased = erase_person(_full_case(), parse_slot("complainant"))
    person = erased.case.complainant
    assert person.name == PLACEHOLDER and not person.anonymous
    assert (person.address, person.phone, person.email, person.adjustments) == (None,) * 4
    assert person.vulnerabilities == frozenset()
    text = repr(erased.case)
    for marker in ("Zoë", "zoe ", "brien", "ukasiewicz", "UKASIEWICZ", "Elm Road, North", "12 elm road",
                   "07700", "900123", "zoe.ob"):  # fmt: skip
        assert marker.lower() not in text.lower(), marker
    incident = erased.case.incidents[0]
    assert incident.description.startswith(f"{PLACEHOLDER} heard shouting; {PLACEHOLDER}'s door")
    assert incident.description.endswith(
        f"Call {CONTACT_REMOVED} or {CONTACT_REMOVED}"
    )  # the phone however spaced, the email in capitals
    assert incident.how_it_made_them_feel == f"Mrs {PLACEHOLDER} is scared at {ADDRESS_REMOVED}"
    # "Ann" the involved person is another person: kept; "Annual" is a word, not a name.
    assert "Annual noise survey" in incident.description
    assert erased.case.involved[0].name == "Ann Smith"
    assert erased.case.entries[0].text == f"Spoke to {PLACEHOLDER} about Ann"
    assert erased.case.risk_assessments[0].answers["other"] == f"{PLACEHOLDER} fears Ann Smith"
    assert erased.case.risk_assessments[0].answers["q1"] == "yes"
    assert erased.case.action_plan is not None
    assert erased.case.action_plan.agreed_with == PLACEHOLDER
    assert erased.case.action_plan.actions[0].who == "s-ha"  # ids are left as they are
    assert erased.mentions >= 10


def test_a_name_inside_a_word_is_not_a_mention():
    c = case(
        complainant=Complainant(anonymous=False, name="Ann Lee", address="1 Oak Way"),
        incidents=(
            Incident(
                id="i1", occurred_at=WHEN,
                description="Annual review; Joanna and Leeds; ANN saw it; Lee's car; ann-marie",
            ),
        ),
    )  # fmt: skip
    erased = erase_person(c, PersonSlot("complainant"))
    assert erased.case.incidents[0].description == (
        f"Annual review; Joanna and Leeds; {PLACEHOLDER} saw it; {PLACEHOLDER}'s car; "
        f"{PLACEHOLDER}-marie"
    )


def test_a_family_name_shared_with_another_person_is_left_and_short_parts_too():
    c = case(
        complainant=Complainant(anonymous=False, name="Jo Smith", address="1 Oak Way"),
        involved=(InvolvedPerson(name="Mark Smith"),),
        incidents=(Incident(id="i1", occurred_at=WHEN, description="Jo Smith and Smith; Jo ran"),),
    )
    erased = erase_person(c, PersonSlot("complainant"))
    assert erased.case.incidents[0].description == f"{PLACEHOLDER} and Smith; Jo ran"


def test_an_involved_person_and_a_witness_by_number():
    c = _full_case()
    erased = erase_person(c, parse_slot("involved:1"))
    assert erased.case.involved[0] == InvolvedPerson(name=PLACEHOLDER)
    assert erased.case.witnesses[0].account == f"Saw {PLACEHOLDER}"
    assert erased.case.entries[0].text == "Spoke to Zoë about " + PLACEHOLDER
    witness = erase_person(c, parse_slot(" Witness:1 ")).case.witnesses[0]
    assert (witness.name, witness.contact) == (PLACEHOLDER, None)
    assert witness.account == "Saw Ann Smith"  # their account of events stays


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("involved:3", "the case has 1 involved person, so there is no involved:3"),
        ("witness:2", "the case has 1 witness, so there is no witness:2"),
        ("perpetrator", "is not a person of a case"),
        ("involved:0", "is not a person of a case"),
        ("involved", "is not a person of a case"),
    ],
)
def test_a_person_not_in_the_case_is_said_in_a_sentence(text, words):
    with pytest.raises(InputError, match=words):
        erase_person(_full_case(), parse_slot(text))


def test_erasing_twice_and_an_anonymous_complainant_are_refused():
    once = erase_person(_full_case(), parse_slot("complainant")).case
    with pytest.raises(InputError, match="already been removed"):
        erase_person(once, parse_slot("complainant"))
    anonymous = case(complainant=Complainant(anonymous=True))
    with pytest.raises(InputError, match="anonymous: nothing about them"):
        erase_person(anonymous, parse_slot("complainant"))


def test_the_complainants_key_is_gone_once_erased():
    c = _full_case()
    assert complainant_key(c.complainant) is not None
    assert complainant_key(erase_person(c, parse_slot("complainant")).case.complainant) is None


def test_a_laptop_sees_which_people_were_erased_in_a_new_copy():
    c = _full_case()
    after = erase_person(c, parse_slot("witness:1")).case
    assert erased_slots(c, after) == [PersonSlot("witness", 1)]
    assert erased_slots(after, after) == []


def test_marks_scrub_any_json_but_ids():
    marks = person_marks(_full_case(), parse_slot("complainant"))
    value, count = marks.scrub_json({"id": "zoe", "by": "Zoë", "text": ["Zoë said", 3]})
    assert value == {"id": "zoe", "by": "Zoë", "text": [f"{PLACEHOLDER} said", 3]}
    assert count == 1


def test_a_misspelt_name_is_corrected_with_its_mentions_when_asked():
    c = replace(
        _full_case(),
        involved=(InvolvedPerson(name="Ann Smyth"),),
        entries=(
            Entry(id="e1", kind=EntryKind.NOTE, at=WHEN, by="s-ha", text="Ann Smyth; Smyth's"),
        ),
    )
    slot = parse_slot("involved:1")
    kept = rectify_person(c, slot, "name", "Ann Smith")
    assert kept.case.involved[0].name == "Ann Smith"
    assert kept.case.entries[0].text == "Ann Smyth; Smyth's"
    fixed = rectify_person(c, slot, "name", "Ann Smith", replace_mentions=True)
    assert fixed.case.entries[0].text == "Ann Smith; Smith's"
    assert fixed.mentions == 2


def test_a_wrong_phone_is_corrected_everywhere_it_was_typed():
    fixed = rectify_person(
        _full_case(), parse_slot("complainant"), "phone", "07700 900999", replace_mentions=True
    )
    assert fixed.case.complainant.phone == "07700 900999"
    assert "Call 07700 900999 or" in fixed.case.incidents[0].description


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("phone", "0123", "'phone' cannot be corrected for involved person 1"),
        ("name", "  ", "must not be empty"),
        ("name", "Ann Smith", "name is already 'Ann Smith'"),
    ],
)
def test_a_correction_that_cannot_be_made_is_said(field, value, words):
    with pytest.raises(InputError, match=words):
        rectify_person(_full_case(), parse_slot("involved:1"), field, value)


def test_a_stored_copy_of_the_document_is_erased_the_same_way():
    old = _full_case()
    marks = person_marks(old, parse_slot("complainant"))
    document = {
        "complainant": {"anonymous": False, "name": "zoë o'brien-łukasiewicz", "phone": "07700900123",
                        "vulnerabilities": ["mental_health"], "is_employee": False},
        "involved": [{"name": "Ann Smith"}],
        "entries": [{"id": "e1", "by": "s-ha", "text": "Zoë rang from 12 Elm Road, Northfields"}],
    }  # fmt: skip
    erased, count = erase_in_document(document, parse_slot("complainant"), marks)
    assert erased["complainant"] == {
        "anonymous": False, "name": PLACEHOLDER, "phone": None, "vulnerabilities": [],
        "is_employee": False,
    }  # fmt: skip
    assert erased["entries"][0]["text"] == f"{PLACEHOLDER} rang from {ADDRESS_REMOVED}"
    assert erased["involved"] == [{"name": "Ann Smith"}]
    assert count == 2
    assert slot_name(erased, parse_slot("complainant")) == PLACEHOLDER
    assert slot_name(erased, parse_slot("witness:4")) is None


_AROUND = st.text(alphabet=" .,;:!?()'\n-/\"", min_size=1, max_size=6)  # no letter or digit


@given(
    before=_AROUND,
    after=_AROUND,
    spelling=st.sampled_from(
        ["Zoë Łukasiewicz", "ZOE LUKASIEWICZ", "zoe  łukasiewicz", "Łukasiewicz"]
    ),
)
def test_a_name_between_any_punctuation_is_always_caught(before, after, spelling):
    """Whatever stands beside it (not a letter), a spelling of the name leaves no trace."""
    c = case(
        complainant=Complainant(anonymous=False, name="Zoë Łukasiewicz", address="1 Oak Way"),
        incidents=(
            Incident(id="i1", occurred_at=WHEN, description=f"Said {before}{spelling}{after}"),
        ),
    )
    text = erase_person(c, PersonSlot("complainant")).case.incidents[0].description
    assert "ukasiewicz" not in text.lower() and PLACEHOLDER in text


def test_an_attachments_file_name_naming_the_person_is_scrubbed_in_the_case_and_its_copies():
    """Attachment names are personal data (issue 15 item 6): 'Zoe OBrien door.jpg' says who."""
    from asb_desktop.domain.attachment import Attachment

    photo = Attachment(
        id="att-1", name="Zoë O'Brien-Łukasiewicz front door.jpg", media_type="image/jpeg",
        size=10, sha256="ab" * 32, added_at=WHEN, added_by="s-ha", incident_id="i1",
        scrubbed=True,
    )  # fmt: skip
    full = replace(_full_case(), attachments=(photo,))
    erased = erase_person(full, PersonSlot("complainant"))
    [kept] = erased.case.attachments
    assert kept.name == f"{PLACEHOLDER} front door.jpg"
    assert (kept.id, kept.sha256, kept.media_type) == (photo.id, photo.sha256, photo.media_type)
    stored = {"complainant": {"anonymous": False, "name": "Zoë O'Brien-Łukasiewicz"},
              "attachments": [{"id": "att-1", "name": photo.name, "sha256": photo.sha256}]}  # fmt: skip
    copy, _ = erase_in_document(stored, PersonSlot("complainant"), erased.marks)
    assert copy["attachments"][0]["name"] == f"{PLACEHOLDER} front door.jpg"
