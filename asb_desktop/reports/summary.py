"""One case (or a run of cases) from document to PDF bytes."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import SimpleDocTemplate

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.errors import InputError
from asb_desktop.reports.fonts import REGULAR, TextCleaner, register_fonts
from asb_desktop.reports.page_furniture import CaseStart, Furniture, canvas_maker
from asb_desktop.reports.story_casework import managing_section
from asb_desktop.reports.story_evidence import PhotoSource, evidence_section
from asb_desktop.reports.story_facts import (
    complainant_section,
    frequency_section,
    hate_section,
    incidents_section,
    involved_section,
    report_section,
    targeting_section,
    witnesses_section,
)
from asb_desktop.reports.story_handling import (
    actions_section,
    assignment_section,
    audit_section,
    consent_section,
    escalations_section,
    risk_assessment_section,
)
from asb_desktop.reports.styles import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    SUBTITLE,
    TITLE,
    Para,
    text,
)
from asb_desktop.reports.view import Names, Profile, SummaryView, prepare_view
from asb_desktop.support.collector import paused as collection_paused
from asb_desktop.support.presets import DEFAULT_ORGANISATION_NAME
from asb_desktop.support.resources import resource_path

DEFAULT_ORGANISATION = DEFAULT_ORGANISATION_NAME  # support/presets.py: no ReportLab to know it
AUDIENCES = {Profile.INTERNAL: "Internal", Profile.THIRD_PARTY: "For a third party (5.6)"}


@dataclass(frozen=True)
class Branding:
    """The organisation's name and logo on every page; Settings may replace both."""

    organisation: str
    logo: Path | None = None

    @classmethod
    def default(cls) -> Branding:
        return cls(organisation=DEFAULT_ORGANISATION, logo=resource_path("branding", "logo.png"))


@dataclass(frozen=True)
class SummaryResult:
    """A finished summary. `warnings` name fields, never their contents."""

    pdf: bytes
    pages: int
    warnings: tuple[str, ...]
    file_name: str


def case_label(document: Mapping[str, Any]) -> str:
    reference = document.get("reference")
    if reference:
        return f"Case {reference}"
    return f"Not yet synced · case {document.get('id')}"


def summary_file_name(document: Mapping[str, Any], profile: Profile | str) -> str:
    """A file name made of the reference (or case id) only: never a person's name."""
    base = document.get("reference") or f"case-{document.get('id')}"
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", str(base)).strip("-") or "case"
    suffix = "-third-party" if Profile(profile) is Profile.THIRD_PARTY else ""
    return f"{safe}-summary{suffix}.pdf"


def case_story(
    view: SummaryView, produced_at: datetime, photos: PhotoSource | None = None
) -> list[Flowable]:
    """The sections in the order of procedure 5.2, then how the case has been handled, then
    the evidence schedule (with thumbnails of the photos when `photos` gives their bytes)."""
    doc = view.doc
    reference = doc.get("reference") or "not yet synced"
    story: list[Flowable] = [
        Para("Anti-social behaviour case summary", TITLE),
        Para(f"Reference {text(reference)} · {text(AUDIENCES[view.profile])}", SUBTITLE),
    ]
    story += report_section(view, produced_at)
    story += complainant_section(view)
    story += incidents_section(view)
    story += frequency_section(view)
    story += involved_section(view)
    story += targeting_section(view)
    story += hate_section(view)
    story += witnesses_section(view)
    story += assignment_section(view)
    story += actions_section(view)
    story += escalations_section(view)
    story += managing_section(view, produced_at)
    story += risk_assessment_section(view, produced_at)
    story += consent_section(view)
    story += audit_section(view)
    story += evidence_section(view, photos)
    return story


@lru_cache(maxsize=4)
def _logo(path: str, mtime: float) -> ImageReader:
    return ImageReader(io.BytesIO(Path(path).read_bytes()))


def load_logo(branding: Branding, warnings: list[str]) -> ImageReader | None:
    if branding.logo is None:
        return None
    try:
        path = Path(branding.logo)
        reader = _logo(str(path), path.stat().st_mtime)
        reader.getSize()
        return reader
    except (OSError, ValueError):
        warnings.append("the logo in Settings could not be read; the summary is printed without it")
        return None


def check_moment(produced_at: datetime) -> datetime:
    if not isinstance(produced_at, datetime) or produced_at.utcoffset() is None:
        raise InputError("produced_at", "must be a date and time with a UTC offset")
    return produced_at


def furniture_for(
    *,
    branding: Branding,
    produced_by: str,
    produced_at: datetime,
    profile: Profile,
    labels: dict[str, str],
    outline: bool,
    warnings: list[str],
) -> Furniture:
    cleaner = TextCleaner()
    when = produced_at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
    furniture = Furniture(
        organisation=cleaner.clean(branding.organisation, "branding.organisation"),
        logo=load_logo(branding, warnings),
        produced=cleaner.clean(f"Produced by {produced_by} on {when}", "produced_by"),
        audience=AUDIENCES[profile],
        labels={k: cleaner.clean(v, "reference") for k, v in labels.items()},
        outline=outline,
    )
    warnings.extend(cleaner.warnings)
    return furniture


def render(
    stories: Sequence[tuple[str, list[Flowable]]],
    out: BinaryIO,
    *,
    furniture: Furniture,
    title: str,
    subject: str,
    on_case: Callable[[int], None] | None = None,
) -> int:
    """Lay out one or more case stories into `out`; returns the page count.

    `on_case(i)` runs as case i is reached during layout (progress, cancellation).
    """
    register_fonts()
    flowables: list[Flowable] = []
    for i, (key, story) in enumerate(stories):
        if i:
            flowables.append(PageBreak())
        hook = (lambda i=i: on_case(i)) if on_case is not None else None
        flowables.append(CaseStart(key, hook))
        flowables.extend(story)
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=furniture.organisation,
        subject=subject,
        creator="ASB Desktop",
        keywords=["OFFICIAL-SENSITIVE"],
        initialFontName=REGULAR,
        lang="en-GB",
    )
    pages: list[int] = []
    doc.build(flowables, canvasmaker=canvas_maker(furniture, pages))
    return pages[-1] if pages else 0


def subject_for(profile: Profile) -> str:
    return f"Anti-social behaviour case summary: {AUDIENCES[profile].lower()}"


def build_case_summary(
    document: Mapping[str, Any],
    *,
    profile: Profile | str,
    produced_by: str,
    produced_at: datetime,
    audit_trail: Iterable[Any] = (),
    branding: Branding | None = None,
    names: Names | None = None,
    photos: PhotoSource | None = None,
) -> SummaryResult:
    """One case's summary as PDF bytes; raises InputError naming a malformed field. With
    `names`, every actor (recorded by, by, the audit trail's who) prints as a name. With
    `photos` (an attachment id to its stored bytes), photos print as thumbnails where the
    profile allows (`story_evidence.pictures_allowed`)."""
    with collection_paused():  # its 30,000 short-lived objects hold no cycles
        return _build_case_summary(
            document,
            profile=profile,
            produced_by=produced_by,
            produced_at=produced_at,
            audit_trail=audit_trail,
            branding=branding,
            names=names,
            photos=photos,
        )


def _build_case_summary(
    document: Mapping[str, Any],
    *,
    profile: Profile | str,
    produced_by: str,
    produced_at: datetime,
    audit_trail: Iterable[Any],
    branding: Branding | None,
    names: Names | None,
    photos: PhotoSource | None,
) -> SummaryResult:
    register_fonts()
    view = prepare_view(document, profile, audit_trail, names)
    produced_at = check_moment(produced_at)
    warnings = list(view.warnings)
    key = view.doc["id"]
    furniture = furniture_for(
        branding=branding or Branding.default(),
        produced_by=produced_by,
        produced_at=produced_at,
        profile=view.profile,
        labels={key: case_label(view.doc)},
        outline=False,
        warnings=warnings,
    )
    buffer = io.BytesIO()
    reference = view.doc.get("reference") or f"(case {key})"
    pages = render(
        [(key, case_story(view, produced_at, photos))],
        buffer,
        furniture=furniture,
        title=f"ASB case summary {reference}",
        subject=subject_for(view.profile),
    )
    return SummaryResult(
        pdf=buffer.getvalue(),
        pages=pages,
        warnings=tuple(warnings),
        file_name=summary_file_name(view.doc, view.profile),
    )
