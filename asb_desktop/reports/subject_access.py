"""The subject access PDF: what `domain.subject_access.subject_access_document` holds, printed.

It prints only what that document holds (other people's data is already taken out there), with
the same page furniture as a case summary: OFFICIAL-SENSITIVE on every page, DejaVu Sans so
names print as written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable

from asb_desktop.domain.wording import counted
from asb_desktop.reports.fonts import TextCleaner, clean_tree, register_fonts
from asb_desktop.reports.pdf_tables import Pieces, facts, listing
from asb_desktop.reports.story_casework import asb_types_words, vulnerability_words
from asb_desktop.reports.styles import NOTE, SUBTITLE, TITLE, Para, para, section, when
from asb_desktop.reports.summary import Branding, furniture_for, render
from asb_desktop.reports.view import Profile

ROLE_WORDS = {
    "complainant": "You reported it (complainant)",
    "involved": "You are named as a person involved",
    "witness": "You are named as a witness",
}
_LABELS = {
    "address": "Address",
    "phone": "Phone",
    "email": "Email",
    "contact": "Contact details",
    "description": "Description recorded",
    "account": "Your account as a witness",
}
IMPACT_LABELS = {
    "how_it_made_them_feel": "How it made you feel",
    "effect_since": "How it has affected you since",
    "measures_taken": "What you did to avoid it happening again",
}


def _when(value: Any) -> str:
    try:
        return when(value, "at", short=True) or "Not recorded"
    except ValueError:
        return str(value)


def _record(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [("Held as", ROLE_WORDS.get(record["role"], record["role"]))]
    pairs.append(("Name", record.get("name")))
    pairs += [(label, record.get(k)) for k, label in _LABELS.items() if k in record]
    needs = vulnerability_words(dict(record))
    if needs:
        pairs.append(("Vulnerabilities and adjustments", needs))
    return pairs


def _case_story(case: Mapping[str, Any]) -> list[Flowable]:
    reference = case.get("reference") or f"not yet numbered (case {case.get('id')})"
    state = "Closed" if case.get("state") == "closed" else "Open"
    story: list[Flowable] = []
    story += section(
        f"Case {reference}",
        facts(
            [
                ("Received", _when(case.get("received_at"))),
                (
                    "Status",
                    state + (f", {_when(case['closed_at'])}" if case.get("closed_at") else ""),
                ),
                ("Kind of ASB", asb_types_words(dict(case))),
            ]
        ),
    )
    for record in case.get("held_about_them") or []:
        story.append(facts(_record(record)))
    incidents = case.get("incidents") or []
    if incidents:
        rows = []
        for incident in incidents:
            cell = Pieces([(None, incident.get("description"))])
            cell += [
                (label, incident[key]) for key, label in IMPACT_LABELS.items() if incident.get(key)
            ]
            rows.append([_when(incident.get("occurred_at")), incident.get("location"), cell])
        story.append(listing(["When", "Where", "What happened"], rows, [30, 40, 104]))
    if case.get("first_response"):
        first = case["first_response"]
        story.append(
            para(f"First response to you ({_when(first.get('at'))}): {first.get('summary') or ''}")
        )
    for update in case.get("updates_given") or []:
        story.append(
            para(f"Update given to you ({_when(update.get('at'))}): {update.get('text') or ''}")
        )
    for assessment in case.get("risk_assessments") or []:
        level = str(assessment.get("level") or "not recorded")
        story.append(
            para(
                f"Risk assessment ({_when(assessment.get('at'))}): level {level}, score "
                f"{assessment.get('score')}"
                + (f". Notes: {assessment['notes']}" if assessment.get("notes") else "")
            )
        )
    withheld = case.get("others_withheld") or 0
    notes = case.get("notes_not_included") or 0
    if withheld or notes:
        said: list[str] = []
        if withheld:
            said.append(
                f"other people's details ({counted(withheld, 'person', 'people')}) are withheld"
            )
        if notes:
            said.append(
                f"{counted(notes, 'internal note')} and contact records are reviewed by hand"
            )
        story.append(para("In this case " + "; ".join(said) + ".", NOTE))
    return story


def subject_access_story(document: Mapping[str, Any]) -> list[Flowable]:
    subject = document.get("subject") or {}
    cases = document.get("cases") or []
    story: list[Flowable] = [
        Para("Subject access: the information we hold about you", TITLE),
        para(f"Asked for by {subject.get('name')}, {subject.get('address')}", SUBTITLE),
    ]
    if not cases:
        story.append(
            para(
                "We hold no anti-social behaviour case information about a person of this name "
                "at this address."
            )
        )
        return story
    story.append(
        para(
            f"We hold information about you in {counted(len(cases), 'case')}. Other people's "
            "names, addresses, contact details and circumstances are withheld, and shown as "
            "[withheld] where the records repeat them."
        )
    )
    for case in cases:
        story += _case_story(case)
    return story


def build_subject_access_pdf(
    document: Mapping[str, Any], *, produced_by: str, produced_at: datetime
) -> bytes:
    """The PDF bytes for a subject access document."""
    register_fonts()
    cleaner = TextCleaner()
    cleaned = clean_tree(dict(document), "", cleaner.clean)
    assert isinstance(cleaned, dict)
    warnings: list[str] = list(cleaner.warnings)
    furniture = furniture_for(
        branding=Branding.default(),
        produced_by=produced_by,
        produced_at=produced_at,
        profile=Profile.THIRD_PARTY,
        labels={"subject": "Subject access"},
        outline=False,
        warnings=warnings,
    )
    buffer = io.BytesIO()
    render(
        [("subject", subject_access_story(cleaned))],
        buffer,
        furniture=replace(furniture, audience="For the data subject"),
        title="Subject access",
        subject="Subject access: the information we hold about you",
    )
    return buffer.getvalue()
