"""A letter to the complainant as a PDF in the house style: the summaries' font, logo,
organisation and page furniture, the letter's body at 11 points, or 16 in large print.

`write_letter` puts a finished file (PDF or DOCX bytes) in place whole: written under a hidden
name beside it, then `before_rename` (the letter recorded on the case), then renamed. A failure
leaves no file, hidden or not, and records nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from asb_desktop.domain.letters import KIND_WORDS, Letter, LetterWording
from asb_desktop.reports.batch import write_atomically
from asb_desktop.reports.fonts import BOLD, REGULAR, TextCleaner, register_fonts
from asb_desktop.reports.styles import ACCENT, INK, Para
from asb_desktop.reports.summary import Branding, check_moment, furniture_for, render
from asb_desktop.reports.view import Profile
from asb_desktop.services.casework import Casework
from asb_desktop.services.letters import LetterRequest

AUDIENCE = "Letter to the complainant"


def letter_file_name(reference: str | None, case_id: str, kind: str, *, docx: bool) -> str:
    """The reference (or case id) and the kind only: never the complainant's name."""
    base = reference or f"case-{case_id}"
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", base).strip("-") or "case"
    return f"{safe}-{kind}-letter.{'docx' if docx else 'pdf'}"


def _styles(size: float) -> dict[str, ParagraphStyle]:
    leading = round(size * 1.4, 1)
    body = ParagraphStyle(
        "letter",
        fontName=REGULAR,
        fontSize=size,
        leading=leading,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.8,
    )
    return {
        "body": body,
        "address": ParagraphStyle("address", parent=body, spaceAfter=0),
        "heading": ParagraphStyle(
            "letter-heading",
            parent=body,
            fontName=BOLD,
            fontSize=size + 2,
            leading=round((size + 2) * 1.35, 1),
            textColor=ACCENT,
            spaceBefore=size * 0.4,
        ),
        "signer": ParagraphStyle("signer", parent=body, fontName=BOLD, spaceAfter=0),
    }


def letter_story(letter: Letter, cleaner: TextCleaner) -> list[Flowable]:
    styles = _styles(letter.body_size)

    def line(value: str, style: str, where: str) -> Para:
        return Para(escape(cleaner.clean(value, where)), styles[style])

    gap = letter.body_size * 1.2
    story: list[Flowable] = [Spacer(1, 4 * mm)]
    story.append(line(letter.recipient, "address", "complainant.name"))
    story += [line(part, "address", "complainant.address") for part in letter.address_lines]
    story.append(Spacer(1, gap))
    story.append(line(letter.dated, "address", "date"))
    story.append(line(f"Our reference: {letter.reference}", "address", "reference"))
    story.append(Spacer(1, gap))
    story.append(line(f"Dear {letter.recipient},", "body", "complainant.name"))
    story.append(line(letter.heading, "heading", "heading"))
    story += [line(p, "body", "wording") for p in letter.paragraphs]
    story.append(
        KeepTogether(
            [
                line(f"{letter.sign_off},", "body", "sign_off"),
                Spacer(1, gap * 1.5),
                line(letter.signer, "signer", "officer"),
                line(letter.organisation, "address", "organisation"),
            ]
        )
    )
    return story


def letter_pdf(
    letter: Letter,
    *,
    branding: Branding,
    produced_by: str,
    produced_at: datetime,
    case_key: str,
) -> tuple[bytes, list[str]]:
    """The PDF's bytes and any warnings (which field lost a character the font lacks)."""
    register_fonts()
    produced_at = check_moment(produced_at)
    warnings: list[str] = []
    furniture = furniture_for(
        branding=branding,
        produced_by=produced_by,
        produced_at=produced_at,
        profile=Profile.INTERNAL,
        labels={case_key: f"Our reference {letter.reference}"},
        outline=False,
        warnings=warnings,
    )
    furniture = replace(furniture, audience=AUDIENCE)
    cleaner = TextCleaner()
    story = letter_story(letter, cleaner)
    buffer = io.BytesIO()
    render(
        [(case_key, story)],
        buffer,
        furniture=furniture,
        title=f"{KIND_WORDS[letter.kind].capitalize()} letter, case {letter.reference}",
        subject=AUDIENCE,
    )
    warnings.extend(cleaner.warnings)
    return buffer.getvalue(), warnings


def produce_letter(
    casework: Casework,
    request: LetterRequest,
    target: Path,
    *,
    branding: Branding,
    wording: LetterWording,
    officer: str,
) -> tuple[Letter, list[str]]:
    """Merge, lay out, write whole, record, rename: what `asb-desktop letter` and the window's
    Letter to the complainant both do. Returns the letter and any warnings; ProcedureError (refused) or
    OSError (not written), with nothing recorded and no file left, hidden or not."""
    from asb_desktop.services.letters import prepare_letter, record_letter

    letter = prepare_letter(
        casework, request, wording=wording, organisation=branding.organisation, officer=officer
    )
    warnings: list[str] = []
    if request.docx:
        from asb_desktop.reports.letters_docx import letter_docx

        data = letter_docx(letter, branding=branding, warnings=warnings)
    else:
        data, warnings = letter_pdf(
            letter,
            branding=branding,
            produced_by=officer,
            produced_at=casework.clock(),
            case_key=request.case_id,
        )
    write_letter(target, data, before_rename=lambda: record_letter(casework, request))
    return letter, warnings


def write_letter(path: Path, data: bytes, before_rename: Callable[[], None] | None = None) -> None:
    """`data` at `path`, whole or not at all (see the module docstring)."""
    write_atomically(path, lambda out: out.write(data), before_rename)
