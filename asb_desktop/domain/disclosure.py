"""The disclosure log (`disclosures[]`): what left the team about a case, when, by whom, for whom.

Append-only: an entry is recorded when a summary, an export or a subject access output about the
case is produced for someone outside the team, and is never changed or removed. Two laptops (or
a laptop and the central store) that recorded different entries keep them all: the log merges as
a set of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asb_desktop.domain.timestamps import format_timestamp

MAX_TO = 500  # "to": whom it went to, as the officer typed it


class DisclosureProfile(StrEnum):
    """What the recipient was allowed to see."""

    INTERNAL = "internal"  # everything recorded (an export, or an internal summary given out)
    THIRD_PARTY = "third_party"  # the third-party profile (5.6)
    SUBJECT_ACCESS = "subject_access"  # the data subject's own data, other people's redacted
    COMPLAINANT = "complainant"  # a letter to the complainant about their own report


class DisclosureWhat(StrEnum):
    """What was produced."""

    SUMMARY_PDF = "summary_pdf"
    EXPORT_JSON = "export_json"
    SUBJECT_ACCESS = "subject_access"  # one PDF and one JSON over every case holding the person
    LETTER_PDF = "letter_pdf"  # a letter to the complainant (domain/letters.py)
    LETTER_DOCX = "letter_docx"  # the same, as a Word document for editing


WHAT_WORDS = {
    DisclosureWhat.SUMMARY_PDF: "case summary (PDF)",
    DisclosureWhat.EXPORT_JSON: "case export (JSON)",
    DisclosureWhat.SUBJECT_ACCESS: "subject access output (PDF and JSON)",
    DisclosureWhat.LETTER_PDF: "letter (PDF)",
    DisclosureWhat.LETTER_DOCX: "letter (Word document)",
}
# What needs no profile said after it (a letter is the complainant's own; subject access is named).
_SAID_WHOLE = {
    DisclosureWhat.SUBJECT_ACCESS.value,
    DisclosureWhat.LETTER_PDF.value,
    DisclosureWhat.LETTER_DOCX.value,
}
PROFILE_WORDS = {
    DisclosureProfile.INTERNAL: "internal",
    DisclosureProfile.THIRD_PARTY: "third-party",
    DisclosureProfile.SUBJECT_ACCESS: "subject access",
    DisclosureProfile.COMPLAINANT: "complainant's",
}


@dataclass(frozen=True)
class Disclosure:
    at: datetime
    by: str  # a staff id (or the computer account before an officer was chosen)
    to: str  # the recipient, in the officer's words
    profile: DisclosureProfile
    what: DisclosureWhat


def disclosure_words(d: Disclosure) -> str:
    """'case summary (PDF), third-party profile' for lists and the audit section."""
    return disclosed_words(d.what.value, d.profile.value)


def disclosed_words(what: object, profile: object) -> str:
    """The words for stored values (as a document holds them); unknown ones as they are."""
    try:
        said = WHAT_WORDS[DisclosureWhat(str(what))]
    except ValueError:
        said = str(what)
    if what in _SAID_WHOLE:
        return said  # its profile is in its name
    try:
        return f"{said}, {PROFILE_WORDS[DisclosureProfile(str(profile))]} profile"
    except ValueError:
        return f"{said}, {profile} profile"


def recipient_problem(to: str | None) -> str | None:
    """Why `to` cannot be recorded as a recipient, or None."""
    if to is None or not to.strip():
        return "say whom it is for (the person or organisation it goes to)"
    if len(to.strip()) > MAX_TO:
        return f"whom it is for must be at most {MAX_TO} characters"
    return None


def disclosure_document(d: Disclosure) -> dict[str, Any]:
    return {
        "at": format_timestamp(d.at),
        "by": d.by,
        "to": d.to,
        "profile": d.profile.value,
        "what": d.what.value,
    }
