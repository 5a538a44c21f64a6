"""The organisation's wording for the letters to the complainant (presets `letter_*`), the
placeholders it may use and the check of it: apart from domain/letters.py, which merges a
letter from a case, so that reading the presets at start-up needs no case model."""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    UPDATE = "update"
    CLOSURE = "closure"


# The placeholders a letter's wording may use, and what each becomes.
PLACEHOLDERS = {
    "reference": "the case reference (before the case has synced: its local id, 'Local 11A1B1C1')",
    "received_date": "the day the report was received, e.g. 1 December 2026",
    "officer": "the name of the officer writing",
    "organisation": "the organisation's name",
    "next_update_date": "when the next update is due, in words (update letters)",
    "closed_date": "the day the case was closed (closure letters)",
    "outcome": "how the case ended, in words for the complainant (closure letters)",
}


@dataclass(frozen=True)
class LetterWording:
    """The organisation's wording for each letter (presets `letter_*`). Paragraphs are separated
    by a blank line; `{placeholders}` from PLACEHOLDERS are filled from the case."""

    acknowledgement: str = (
        "Thank you for reporting anti-social behaviour to us on {received_date}. Your case "
        "reference is {reference}: please quote it whenever you contact us.\n\n"
        "{officer} is dealing with your report and will contact you to talk it through and "
        "agree what happens next. We will keep you informed of progress while your case is open."
    )
    update: str = (
        "We are writing to update you on your report of anti-social behaviour, case reference "
        "{reference}.\n\n"
        "We will write to you or call you again by {next_update_date}, or sooner if there is news."
    )
    closure: str = (
        "We are writing to let you know that we have closed your case, reference {reference}, "
        "on {closed_date}. The outcome: {outcome}.\n\n"
        "If the behaviour starts again, please report it to us: a new report will be looked at "
        "afresh. Thank you for your help while we worked on your case."
    )
    sign_off: str = "Yours sincerely"

    def for_kind(self, kind: LetterKind) -> str:
        return str(getattr(self, kind.value))


DEFAULT_WORDING = LetterWording()


def template_problem(text: str) -> str | None:
    """What is wrong with an organisation's wording, or None: an unknown `{placeholder}` or a
    stray brace would otherwise print as it is or fail when a letter is merged."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return "has an unmatched { or } (write {{ or }} for a brace itself)"
    for name in fields:
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
            return f"uses {{{name}}}, which is not a placeholder (known: {known})"
    return None
