"""The same letter as a Word document, for an officer who wants to edit it before it goes
(python-docx, imported only when a DOCX is asked for: the `docx` extra).

The organisation's logo and name head the page, as on the PDF; the body is Arial (Word has no
DejaVu Sans on most desktops) at the letter's size: 11 points, or 16 in large print.
"""

from __future__ import annotations

import io
from pathlib import Path

from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.letters import KIND_WORDS, Letter
from asb_desktop.reports.summary import Branding

FONT = "Arial"
NO_DOCX = (
    "A Word document needs python-docx, which is not installed with this copy of ASB Desktop "
    "(pip install 'asb-desktop[docx]'); the PDF can still be made."
)


def letter_docx(letter: Letter, *, branding: Branding, warnings: list[str]) -> bytes:
    try:
        import docx
        from docx.shared import Mm, Pt, RGBColor
    except ImportError:
        raise ProcedureError(NO_DOCX) from None

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)  # A4, as the PDF
    section.left_margin = section.right_margin = Mm(18)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(letter.body_size)
    normal.paragraph_format.space_after = Pt(letter.body_size * 0.8)
    size = Pt(letter.body_size)

    header = section.header.paragraphs[0]
    logo = _logo(branding, warnings)
    if logo is not None:
        header.add_run().add_picture(str(logo), height=Mm(11))
        header.add_run("  ")
    name = header.add_run(branding.organisation)
    name.bold = True
    name.font.size = Pt(11)

    def lines(parts: list[str]) -> None:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(letter.body_size)
        for i, part in enumerate(parts):
            run = paragraph.add_run(part)
            run.font.size = size
            if i < len(parts) - 1:
                run.add_break()

    lines([letter.recipient, *letter.address_lines])
    lines([letter.dated, f"Our reference: {letter.reference}"])
    document.add_paragraph(f"Dear {letter.recipient},")
    heading = document.add_paragraph().add_run(letter.heading)
    heading.bold = True
    heading.font.size = Pt(letter.body_size + 2)
    heading.font.color.rgb = RGBColor(0x00, 0x5E, 0x68)
    for text in letter.paragraphs:
        document.add_paragraph(text)
    document.add_paragraph(f"{letter.sign_off},")
    document.add_paragraph()
    signer = document.add_paragraph()
    signer.paragraph_format.space_after = Pt(0)
    signer.add_run(letter.signer).bold = True
    document.add_paragraph(letter.organisation)

    properties = document.core_properties
    properties.title = f"{KIND_WORDS[letter.kind].capitalize()} letter, case {letter.reference}"
    properties.author = properties.last_modified_by = branding.organisation
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _logo(branding: Branding, warnings: list[str]) -> Path | None:
    if branding.logo is None:
        return None
    path = Path(branding.logo)
    if not path.is_file():
        warnings.append("the logo could not be read; the letter is made without it")
        return None
    return path
