"""Every page's furniture: logo and organisation, protective marking, case label, "Page N of M".

"of M" is unknown until the story has been laid out, so the canvas holds each finished page back
and draws the header and footer over all of them at save time. That costs one layout pass, not
two. A file holding many cases numbers pages per case and bookmarks where each case begins.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib.boxstuff import aspectRatioFix
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from asb_desktop.reports.fonts import BOLD, REGULAR
from asb_desktop.reports.styles import ACCENT, INK, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, RULE

MARKING = "OFFICIAL-SENSITIVE"
LOGO_SIZE = 11 * mm


@dataclass(frozen=True)
class Furniture:
    """What every page of one file carries, already cleaned for the font."""

    organisation: str
    logo: ImageReader | None
    produced: str  # "Produced by … on …"
    audience: str  # "Internal" or "For a third party (5.6)"
    labels: dict[str, str]  # case key -> "Case ASB-2026-000123"
    outline: bool  # bookmark each case (files holding many cases)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis if it would run past `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


LOGO_FORM = "asb-logo"
RIGHT = PAGE_WIDTH - MARGIN_X


@dataclass(frozen=True)
class _LogoImage:
    """The logo as drawImage embeds it (its name, its image and soft mask objects, their
    pixels compressed), made once per logo for all the files a process writes."""

    name: str
    image: Any
    smask: Any


@lru_cache(maxsize=4)
def _logo_image(logo: ImageReader) -> _LogoImage:
    pixels = logo.getRGBData()  # then its alpha channel is known: what drawImage hashes
    smask = logo._dataA
    masked = smask.getRGBData() if smask else b"auto"
    name = _digester(pixels + masked)
    image = PDFImageXObject(name, logo, mask="auto")
    image.name = name
    return _LogoImage(name, image, getattr(image, "_smask", None))


def _draw_logo(canv: Canvas, logo: ImageReader, x: float, y: float) -> None:
    """What `canv.drawImage(logo, x, y, LOGO_SIZE, LOGO_SIZE, mask="auto",
    preserveAspectRatio=True, anchor="sw")` draws and embeds, from the image made once
    (`_logo_image`): compressing and hashing its pixels for every file was a tenth of the
    furniture's time."""
    made = _logo_image(logo)
    doc = canv._doc
    registered = doc.getXObjectName(made.name)
    image = doc.idToObject.get(registered)
    if not image:
        image = copy.copy(made.image)  # this file's own object; the pixels are shared
        image.__dict__.pop("_smask", None)
        canv._setXObjects(image)
        doc.Reference(image, registered)
        doc.addForm(made.name, image)
        if made.smask is not None:
            smask = copy.copy(made.smask)
            canv._setXObjects(smask)
            image.smask = doc.Reference(smask, doc.getXObjectName(smask.name))
    canv._currentPageHasImages = 1
    x, y, width, height, _ = aspectRatioFix(
        True, "sw", x, y, LOGO_SIZE, LOGO_SIZE, image.width, image.height, False
    )
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width, height)
    canv._code.append(f"/{registered} Do")
    canv.restoreState()
    canv._formsinuse.append(made.name)


def _logo_form(canv: Canvas, furniture: Furniture) -> None:
    """The logo, drawn once into a form the pages share: drawImage on every page hashed the
    logo's pixels again each time to find the image it had already embedded."""
    if furniture.logo is None or canv.hasForm(LOGO_FORM):
        return
    canv.beginForm(LOGO_FORM)
    _draw_logo(canv, furniture.logo, MARGIN_X, PAGE_HEIGHT - 22 * mm - 1.5 * mm)
    canv.endForm()


def _draw_header(canv: Canvas, furniture: Furniture, key: str) -> None:
    top = PAGE_HEIGHT - 9 * mm
    canv.setFillColor(ACCENT)
    canv.setFont(BOLD, 10)
    canv.drawCentredString(PAGE_WIDTH / 2, top, MARKING)
    row = PAGE_HEIGHT - 22 * mm
    x = MARGIN_X
    if furniture.logo is not None:
        canv.doForm(LOGO_FORM)
        x += LOGO_SIZE + 3 * mm
    room = RIGHT - x - 6 * mm
    organisation = _fit(furniture.organisation, BOLD, 11, room * 0.55)
    canv.setFillColor(INK)
    canv.setFont(BOLD, 11)
    canv.drawString(x, row + 2 * mm, organisation)
    label_room = room - stringWidth(organisation, BOLD, 11)
    canv.setFont(REGULAR, 9)
    canv.drawRightString(
        RIGHT, row + 2 * mm, _fit(furniture.labels.get(key, ""), REGULAR, 9, label_room)
    )
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, PAGE_HEIGHT - 26 * mm, RIGHT, PAGE_HEIGHT - 26 * mm)


def _page_words(furniture: Furniture, number: int, total: int) -> tuple[str, str]:
    """The footer's two texts: "Page N of M", and who produced it for whom, shortened to the
    room the page number leaves."""
    pages = f"Page {number} of {total}"
    room = RIGHT - MARGIN_X - stringWidth(pages, REGULAR, 8) - 6 * mm
    return pages, _fit(f"{furniture.produced} · {furniture.audience}", REGULAR, 8, room)


def _draw_footer(canv: Canvas, produced: str) -> None:
    """The footer but its page number: the rule, who produced it, the marking."""
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, 17 * mm, RIGHT, 17 * mm)
    canv.setFillColor(INK)
    canv.setFont(REGULAR, 8)
    canv.drawString(MARGIN_X, 12.5 * mm, produced)
    canv.setFillColor(ACCENT)
    canv.setFont(BOLD, 9)
    canv.drawCentredString(PAGE_WIDTH / 2, 6.5 * mm, MARKING)


def _draw_page_number(canv: Canvas, pages: str) -> None:
    canv.setFillColor(INK)
    canv.setFont(REGULAR, 8)
    canv.drawRightString(RIGHT, 12.5 * mm, pages)


class CaseStart(Flowable):  # type: ignore[misc]
    """Invisible mark where a case begins: tells the canvas whose pages follow.

    `on_start` runs as the case is reached in layout; a batch uses it for progress and may raise
    there to cancel.
    """

    def __init__(self, key: str, on_start: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.key = key
        self.on_start = on_start

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.case_key = self.key
        if self.on_start is not None:
            self.on_start()


class _HeldCanvas(Canvas):  # type: ignore[misc]
    def __init__(
        self, *args: Any, furniture: Furniture, page_sink: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.furniture = furniture
        self.page_sink = page_sink
        self.case_key = ""
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def _furniture(self, forms: dict[tuple[str, str], str], key: str, produced: str) -> None:
        """The header and footer (but the page number) of the case's pages, drawn once into a
        form its pages share: drawn again on every page, they were a tenth of a summary."""
        name = forms.get((key, produced))
        if name is None:
            _logo_form(self, self.furniture)
            name = forms[(key, produced)] = f"asb-furniture-{len(forms)}"
            self.beginForm(name)
            _draw_header(self, self.furniture, key)
            _draw_footer(self, produced)
            self.endForm()
        self.doForm(name)

    def save(self) -> None:
        held, self._held = self._held, []
        totals = Counter(state["case_key"] for state in held)
        seen: Counter[str] = Counter()
        forms: dict[tuple[str, str], str] = {}
        for state in held:
            self.__dict__.update(state)
            key = self.case_key
            seen[key] += 1
            if seen[key] == 1 and self.furniture.outline:
                self.bookmarkPage(key)
                self.addOutlineEntry(self.furniture.labels.get(key, key), key, level=0)
            pages, produced = _page_words(self.furniture, seen[key], totals[key])
            self._furniture(forms, key, produced)
            _draw_page_number(self, pages)
            Canvas.showPage(self)
        self.page_sink.append(len(held))
        if self.furniture.outline:
            self.showOutline()
        Canvas.save(self)


def canvas_maker(furniture: Furniture, page_sink: list[int]) -> Callable[..., Canvas]:
    """A canvas factory for `doc.build`; the file's page count is appended to `page_sink`."""

    def make(*args: Any, **kwargs: Any) -> Canvas:
        return _HeldCanvas(*args, furniture=furniture, page_sink=page_sink, **kwargs)

    return make
