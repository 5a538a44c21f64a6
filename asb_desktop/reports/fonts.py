"""The embedded font and the text clean-up that keeps every string printable.

ReportLab's built-in fonts know only Latin-1, so "Łukasiewicz" or "Nguyễn" would print as black
boxes. We embed DejaVu Sans (shipped with its licence in resources/fonts/) and check every character
against the glyphs it really has: a character it lacks becomes a visible replacement mark and a
warning, never a crash or a silent gap.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from asb_desktop.support.resources import resource_path

REGULAR = "ASBSummarySans"
BOLD = "ASBSummarySans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
REPLACEMENT = "\ufffd"  # drawn as a visible box with a question mark
_KEPT_CONTROLS = {"\n", "\t"}

_lock = threading.Lock()


def fonts_dir() -> Path:
    return resource_path("fonts")


@cache
def _coverage() -> frozenset[int]:
    """Code points both weights can draw (bold is used for names and labels)."""
    faces = [TTFont(name, str(fonts_dir() / file)) for name, file in FONT_FILES.items()]
    with _lock:
        for font in faces:
            if font.fontName not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    maps = [set(font.face.charToGlyph) for font in faces]
    return frozenset(set.intersection(*maps))


@cache
def _printable() -> frozenset[str]:
    """Characters that print as they are: drawable, not a control (tab and newline kept), and
    written left to right."""
    drawable = {chr(c) for c in _coverage()}
    return frozenset(
        {
            c
            for c in drawable
            if unicodedata.category(c) not in ("Cc", "Cf") and not _right_to_left(c)
        }
        | _KEPT_CONTROLS
    )


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def register_fonts() -> None:
    """Load and register the embedded fonts once per process; safe from any thread."""
    _coverage()


def _script_of(char: str) -> str:
    """A short, data-free name for the writing system of a character, e.g. "CJK" or "ETHIOPIC"."""
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else f"U+{ord(char):04X}"


class TextCleaner:
    """Normalises text and replaces what the font cannot draw, remembering where that happened.

    Warnings name the field and the kind of script, never the text itself: they may be shown or
    logged where personal data must not go.
    """

    def __init__(self) -> None:
        self._covered = _coverage()
        self._printable = _printable()
        self.warnings: list[str] = []

    def clean(self, value: str, where: str) -> str:
        text = unicodedata.normalize("NFC", value)
        if self._printable.issuperset(text):
            return text  # the common case: every character drawable, nothing to report
        missing: list[str] = []
        backwards: list[str] = []
        out: list[str] = []
        for char in text:
            if char in _KEPT_CONTROLS:
                out.append(char)
            elif unicodedata.category(char) in ("Cc", "Cf"):
                continue  # invisible controls: dropping them changes nothing a reader sees
            elif ord(char) in self._covered:
                out.append(char)
                if _right_to_left(char):
                    backwards.append(char)
            else:
                missing.append(char)
                out.append(REPLACEMENT)
        if backwards:
            scripts = sorted({_script_of(c) for c in backwards})
            self.warnings.append(
                f"{where}: right-to-left text ({', '.join(scripts)}) is printed without "
                "right-to-left layout and may read wrongly; check it against the record"
            )
        if missing:
            scripts = sorted({_script_of(c) for c in missing})
            self.warnings.append(
                f"{where}: {len(missing)} character{'s' if len(missing) != 1 else ''} in a script "
                f"the embedded font lacks ({', '.join(scripts)}) printed as {REPLACEMENT}"
            )
        return "".join(out)


def clean_tree(value: object, where: str, clean: Callable[[str, str], str]) -> object:
    """Every string inside a JSON-like value passed through `clean`, with its dotted path."""
    if isinstance(value, str):
        return clean(value, where)
    if isinstance(value, dict):
        prefix = f"{where}." if where else ""
        return {k: clean_tree(v, f"{prefix}{k}", clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v, f"{where}[{i}]", clean) for i, v in enumerate(value)]
    return value
