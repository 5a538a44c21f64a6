"""Letters to the complainant: an acknowledgement, an update and a closure letter, merged from
the case and the organisation's wording (presets), and when one may not be sent at all.

A letter is refused, in a sentence, for an anonymous complainant (5.8: no feedback can be
given), for a complainant with no address to post to, and when the reasonable adjustments
agreed for contacting them (`complainant.adjustments`, free text) rule letters out ("no
letters", "phone only", "do not write"). An adjustment asking for large print gives the letter
a larger type size. The phrases read are listed in `NO_LETTERS` and `LARGE_PRINT`, and in
docs/case-document.md; a phrase not listed is not guessed at. `consent_to_share` (5.6) is about
sharing the complainant's circumstances with a third party: a letter goes to the complainant
alone, so it neither needs that consent nor is stopped by its refusal.

Pure: the caller passes the wording, the officer's name and the dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import Case, EntryKind
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.domain.letter_wording import DEFAULT_WORDING as DEFAULT_WORDING
from asb_desktop.domain.letter_wording import PLACEHOLDERS as PLACEHOLDERS
from asb_desktop.domain.letter_wording import LetterKind as LetterKind
from asb_desktop.domain.letter_wording import LetterWording as LetterWording
from asb_desktop.domain.letter_wording import template_problem as template_problem

KIND_WORDS = {
    LetterKind.ACKNOWLEDGEMENT: "acknowledgement",
    LetterKind.UPDATE: "update",
    LetterKind.CLOSURE: "closure",
}
# How each letter is recorded on the case: an update letter is an update given to the
# complainant (it moves the next update on); the others are a contact.
ENTRY_KIND = {
    LetterKind.ACKNOWLEDGEMENT: EntryKind.CONTACT,
    LetterKind.UPDATE: EntryKind.UPDATE,
    LetterKind.CLOSURE: EntryKind.CONTACT,
}
HEADINGS = {
    LetterKind.ACKNOWLEDGEMENT: "Your report of anti-social behaviour",
    LetterKind.UPDATE: "An update on your report of anti-social behaviour",
    LetterKind.CLOSURE: "We have closed your anti-social behaviour case",
}

OUTCOME_FOR_COMPLAINANT = {
    CaseOutcome.RESOLVED: "the behaviour you reported has stopped",
    CaseOutcome.NO_FURTHER_ACTION: "we are taking no further action",
    CaseOutcome.INSUFFICIENT_EVIDENCE: "there was not enough evidence for us to take action",
    CaseOutcome.COMPLAINANT_WITHDREW: "you told us you no longer wish to go ahead",
    CaseOutcome.NO_CONTACT: "we were not able to reach you to go ahead",
    CaseOutcome.REFERRED_TO_ANOTHER_AGENCY: "the matter has been referred to another agency",
    CaseOutcome.ENFORCEMENT_TAKEN: "we have taken enforcement action",
    CaseOutcome.TENANCY_ENDED: "the person causing it no longer lives there",
    CaseOutcome.NOT_ASB: "what was reported is not anti-social behaviour we can act on",
    CaseOutcome.OTHER: "as we discussed with you",
}

# Adjustments that rule out a letter: "no letters", "do not write", "phone only", "not by post".
NO_LETTERS = re.compile(
    r"\b(?:no|not|never|don'?t|do\s+not)\b[^.;\n]{0,25}?\b(?:letters?|post|posted|write|writing|"
    r"written)\b"
    r"|\b(?:phone|telephone|email|e-mail|text|sms|calls?|in\s+person|visits?)\s+only\b"
    r"|\bonly\s+(?:by\s+)?(?:phone|telephone|email|e-mail|text|sms|calls?|in\s+person|visits?)\b",
    re.IGNORECASE,
)
LARGE_PRINT = re.compile(
    r"\b(?:large|larger|big|bigger)\s+(?:print|type|font|text|letters)\b|\blarge-print\b",
    re.IGNORECASE,
)
NORMAL_SIZE = 11.0  # points: the body of a letter
LARGE_PRINT_SIZE = 16.0  # the RNIB's clear print guidance asks for 16 to 18 points

MAX_EXTRA = 4000  # the officer's own paragraph, in characters

ANONYMOUS = "The complainant is anonymous: no letter can be sent to them (5.8)."


def letters_ruled_out(adjustments: str | None) -> bool:
    return bool(adjustments and NO_LETTERS.search(adjustments))


def wants_large_print(adjustments: str | None) -> bool:
    return bool(adjustments and LARGE_PRINT.search(adjustments))


def letter_refusal(case: Case, kind: LetterKind | None = None) -> str | None:
    """Why this letter (or, with no kind, any letter) may not be sent; None when it may."""
    complainant = case.complainant
    if complainant.anonymous:
        return ANONYMOUS
    if letters_ruled_out(complainant.adjustments):
        return (
            "The adjustments agreed with the complainant rule out letters (see the People tab): "
            "contact them the way they agreed instead."
        )
    if not (complainant.address or "").strip():
        return "The complainant has no address recorded: there is nowhere to post a letter to."
    if not (complainant.name or "").strip():
        return "The complainant has no name recorded: a letter cannot be addressed to them."
    if kind is LetterKind.CLOSURE and case.is_open:
        return "The case is still open: a closure letter is sent once it is closed."
    if kind in (LetterKind.ACKNOWLEDGEMENT, LetterKind.UPDATE) and not case.is_open:
        return f"The case is closed: send the closure letter rather than an {kind.value} letter."
    if kind is LetterKind.UPDATE and case.first_response is None:
        return "Record the first response first (5.3): an update follows it."
    return None


def kinds_open_to(case: Case) -> list[LetterKind]:
    return [kind for kind in LetterKind if letter_refusal(case, kind) is None]


@dataclass(frozen=True)
class Letter:
    """A letter merged and ready to lay out (PDF or DOCX): every string final."""

    kind: LetterKind
    large_print: bool
    recipient: str
    address_lines: tuple[str, ...]
    dated: str  # "1 December 2026"
    reference: str
    heading: str
    paragraphs: tuple[str, ...]
    sign_off: str
    signer: str
    organisation: str

    @property
    def body_size(self) -> float:
        return LARGE_PRINT_SIZE if self.large_print else NORMAL_SIZE

    @property
    def entry_kind(self) -> EntryKind:
        return ENTRY_KIND[self.kind]


def long_date(moment: datetime | date) -> str:
    day = moment.astimezone(LONDON).date() if isinstance(moment, datetime) else moment
    return f"{day.day} {day:%B %Y}"


def compose_letter(
    case: Case,
    kind: LetterKind,
    *,
    wording: LetterWording,
    organisation: str,
    officer: str,
    today: datetime,
    next_update_due: datetime | None = None,
    extra: str | None = None,
) -> Letter:
    """The letter for this case; ValueError (the refusal's sentence) when it may not be sent."""
    refusal = letter_refusal(case, kind)
    if refusal is not None:
        raise ValueError(refusal)
    complainant = case.complainant
    assert complainant.name is not None and complainant.address is not None
    outcome = case.status.outcome
    reference = letter_reference(case)
    values = {
        "reference": reference,
        "received_date": long_date(case.received_at),
        "officer": officer,
        "organisation": organisation,
        "next_update_date": long_date(next_update_due) if next_update_due else "soon",
        "closed_date": long_date(case.status.at) if case.status.at else long_date(today),
        "outcome": OUTCOME_FOR_COMPLAINANT[outcome] if outcome else "as we discussed with you",
    }
    merged = wording.for_kind(kind).format_map(values)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", merged) if p.strip()]
    if extra and extra.strip():
        # the officer's own words go after the opening paragraph, where news is told
        paragraphs.insert(1, extra.strip()[:MAX_EXTRA])
    return Letter(
        kind=kind,
        large_print=wants_large_print(complainant.adjustments),
        recipient=" ".join(complainant.name.split()),
        address_lines=address_lines(complainant.address),
        dated=long_date(today),
        reference=reference,
        heading=HEADINGS[kind],
        paragraphs=tuple(paragraphs),
        sign_off=wording.sign_off,
        signer=officer,
        organisation=organisation,
    )


def letter_reference(case: Case) -> str:
    """The reference to quote: the central store's, else the short local id the caseload shows
    ("Local 11A1B1C1"), which finds the case on this laptop."""
    return case.reference or f"Local {case.id.split('-')[0].upper()}"


def address_lines(address: str) -> tuple[str, ...]:
    """An address as typed ("12 Elm Road, Northfields, NF1 2AB" or one part a line)."""
    parts = re.split(r"\s*[\n,]\s*", address.strip())
    return tuple(part for part in (" ".join(p.split()) for p in parts) if part)


def entry_text(kind: LetterKind, *, docx: bool, extra: str | None = None) -> str:
    """What the case's entry says: which letter, in which form (no personal data beyond the
    officer's own words)."""
    form = "Word document for editing (DOCX)" if docx else "PDF"
    text = f"{KIND_WORDS[kind].capitalize()} letter to the complainant produced ({form})."
    if extra and extra.strip():
        text += f" It told them: {extra.strip()[:MAX_EXTRA]}"
    return text
