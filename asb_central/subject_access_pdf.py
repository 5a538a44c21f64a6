"""The subject access PDF on the central store, drawn with fpdf2 (the server ships no ReportLab).

It prints what `asb_desktop.domain.subject_access.subject_access_document` holds, in the words
and order of the desktop's `reports/subject_access.py`, with OFFICIAL-SENSITIVE on every page
and DejaVu Sans (shipped in asb_central/fonts) so every name prints as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.timestamps import parse_timestamp
from asb_desktop.domain.wording import counted

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
MARKING = "OFFICIAL-SENSITIVE"
ORGANISATION = "Connexus"
ROLE_WORDS = {
    "complainant": "You reported it (complainant)",
    "involved": "You are named as a person involved",
    "witness": "You are named as a witness",
}
LABELS = (
    ("address", "Address"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("contact", "Contact details"),
    ("description", "Description recorded"),
    ("account", "Your account as a witness"),
)
IMPACT_LABELS = (
    ("how_it_made_them_feel", "How it made you feel"),
    ("effect_since", "How it has affected you since"),
    ("measures_taken", "What you did to avoid it happening again"),
)
NONE_HELD = (
    "We hold no anti-social behaviour case information about a person of this name at this address."
)


def _when(value: Any) -> str:
    if not value:
        return "Not recorded"
    try:
        return parse_timestamp(value, "at").astimezone(LONDON).strftime("%d %b %Y %H:%M")
    except ValueError:
        return str(value)


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


class _Pages(FPDF):
    def __init__(self, produced: str) -> None:
        super().__init__(format="A4")
        self.produced = produced
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(18, 24, 18)

    def header(self) -> None:
        self.set_y(8)
        self.set_font(FAMILY, "B", 8)
        self.cell(0, 4, MARKING, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "B", 10)
        self.cell(90, 6, ORGANISATION)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 6, "Subject access", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(18, self.get_y() + 1, 192, self.get_y() + 1)
        self.set_y(24)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font(FAMILY, "", 7)
        self.cell(130, 4, f"{self.produced} · For the data subject")
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_y(-11)
        self.set_font(FAMILY, "B", 8)
        self.cell(0, 4, MARKING, align="C")

    def heading(self, text: str, size: float = 12) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def body(self, text: str, size: float = 9) -> None:
        self.set_font(FAMILY, "", size)
        self.multi_cell(0, 4.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def _lines(self, width: float, text: str) -> int:
        """How many lines `text` takes at `width` in the current font."""
        lines = self.multi_cell(width, 4.4, text, dry_run=True, output="LINES")
        return len(lines) if isinstance(lines, list) else 1

    def fact(self, label: str, value: Any) -> None:
        shown = "Not recorded" if value in (None, "") else str(value)
        self.set_font(FAMILY, "B", 8.5)
        label_lines = self._lines(48, label)
        self.set_font(FAMILY, "", 8.5)
        value_lines = self._lines(0, shown)
        if self.will_page_break(4.4 * min(max(label_lines, value_lines), 6)):
            self.add_page()  # a label is never left at a page's foot without its value
        top = self.get_y()
        self.set_font(FAMILY, "B", 8.5)
        self.multi_cell(48, 4.4, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FAMILY, "", 8.5)
        self.multi_cell(0, 4.4, shown, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(self.get_y(), top + 4.4 * label_lines) + 0.8)


def _case(pdf: _Pages, case: Mapping[str, Any]) -> None:
    reference = case.get("reference") or f"not yet numbered (case {case.get('id')})"
    pdf.ln(3)
    pdf.heading(f"Case {reference}")
    state = "Closed" if case.get("state") == "closed" else "Open"
    if case.get("closed_at"):
        state += f", {_when(case['closed_at'])}"
    pdf.fact("Received", _when(case.get("received_at")))
    pdf.fact("Status", state)
    kinds = [_words(k) for k in case.get("asb_types") or []]
    pdf.fact("Kind of ASB", ", ".join(kinds) or "Not yet classified")
    for record in case.get("held_about_them") or []:
        pdf.ln(1.5)
        pdf.fact("Held as", ROLE_WORDS.get(record.get("role"), record.get("role")))
        pdf.fact("Name", record.get("name"))
        for key, label in LABELS:
            if key in record:
                pdf.fact(label, record.get(key))
        needs = [_words(v) for v in record.get("vulnerabilities") or []]
        if needs or record.get("adjustments"):
            said = ("Vulnerable: " + ", ".join(needs) + ".") if needs else ""
            if record.get("adjustments"):
                said += f" Adjustments for contact: {record['adjustments']}"
            pdf.fact("Vulnerabilities and adjustments", said.strip())
    for incident in case.get("incidents") or []:
        pdf.ln(1.5)
        where = incident.get("location") or "place not recorded"
        pdf.fact(
            f"Incident, {_when(incident.get('occurred_at'))}",
            f"{where}: {incident.get('description') or ''}",
        )
        for key, label in IMPACT_LABELS:
            if incident.get(key):
                pdf.fact(label, incident[key])
    first = case.get("first_response")
    if isinstance(first, Mapping):
        pdf.fact(f"First response, {_when(first.get('at'))}", first.get("summary"))
    for update in case.get("updates_given") or []:
        pdf.fact(f"Update given, {_when(update.get('at'))}", update.get("text"))
    for assessment in case.get("risk_assessments") or []:
        said = f"Level {assessment.get('level')}, score {assessment.get('score')}"
        if assessment.get("notes"):
            said += f". Notes: {assessment['notes']}"
        pdf.fact(f"Risk assessment, {_when(assessment.get('at'))}", said)
    withheld, notes = case.get("others_withheld") or 0, case.get("notes_not_included") or 0
    parts: list[str] = []
    if withheld:
        parts.append(
            f"other people's details ({counted(withheld, 'person', 'people')}) are withheld"
        )
    if notes:
        parts.append(f"{counted(notes, 'internal note')} and contact records are reviewed by hand")
    if parts:
        pdf.body("In this case " + "; ".join(parts) + ".", size=8)


def subject_access_pdf(
    document: Mapping[str, Any], *, produced_by: str, produced_at: datetime
) -> bytes:
    """The PDF bytes of a subject access document."""
    when = produced_at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
    pdf = _Pages(f"Produced by {produced_by} on {when}")
    pdf.set_title("Subject access")
    pdf.set_creator("ASB central store")
    pdf.set_lang("en-GB")
    pdf.add_page()
    subject = document.get("subject") or {}
    cases = document.get("cases") or []
    pdf.heading("Subject access: the information we hold about you", size=16)
    pdf.body(f"Asked for by {subject.get('name')}, {subject.get('address')}", size=10)
    if not cases:
        pdf.body(NONE_HELD)
    else:
        pdf.body(
            f"We hold information about you in {counted(len(cases), 'case')}. Other people's "
            "names, addresses, contact details and circumstances are withheld, and shown as "
            "[withheld] where the records repeat them."
        )
        for case in cases:
            _case(pdf, case)
    return bytes(pdf.output())
