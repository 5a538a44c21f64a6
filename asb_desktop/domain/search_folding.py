"""Folding text for the caseload search, so "lukasiewicz" finds "Łukasiewicz" and back again.

One function, used on both sides: on the words stored in the search index and on what the officer
types. It is part of what the store keeps on disk, so a change to it needs a migration that folds
the index again (see store/migrations/versions/0007_fold_search_index.py).

What it does, in order:
1. Compatibility decomposition and case folding (Unicode's "compatibility caseless match":
   NFKD, casefold, NFKD): "É" becomes "e" plus an acute accent, "ß" becomes "ss", "ﬁ" "fi".
2. Accents and other marks from the combining diacritical blocks are dropped: "Dvořák" ->
   "dvorak", "Nguyễn" -> "nguyen", "Zoë" -> "zoe", "İ" -> "i".
3. Latin letters that carry their stroke or shape in the letter itself, so no decomposition
   reaches a plain letter, go through the small table below: "Ł" -> "l", "Ø" -> "o", "Đ" -> "d".
4. NFC, so other scripts (Hangul, for one) are kept composed as typed.

Letters of other scripts (Greek, Cyrillic, Arabic, …) are case-folded but not transliterated: a
name typed in its own script finds itself, not a Latin spelling of it.

Why a table and not a library: transliteration libraries (anyascii, ISC; Unidecode, GPL) map far
more than we need, read their mappings from data files at run time (a frozen build that leaves
them out silently drops the letters), and may change a mapping in any release, which would leave
the stored index folded one way and the query another. The table is ours, short, and changes
only with a migration.
"""

from __future__ import annotations

import unicodedata

# Letters (after case folding) that NFKD leaves as they are, with the plain letters an officer
# types for them on a UK keyboard. Sources: the Latin letters of European, Vietnamese, Turkish,
# Azerbaijani and West African alphabets whose Unicode names say "WITH STROKE", "DOTLESS",
# "WITH HOOK", or that are ligatures or letters of their own.
LETTERS: dict[str, str] = {
    "ł": "l",  # Polish, Sorbian: Łukasiewicz
    "ø": "o",  # Danish, Norwegian, Faroese: Søren, Øvergaard
    "đ": "d",  # Croatian, Serbian, Bosnian, Vietnamese: Đorđević, Đặng
    "ð": "d",  # Icelandic, Faroese eth: Guðrún
    "þ": "th",  # Icelandic thorn: Þór
    "æ": "ae",  # Danish, Norwegian, Icelandic: Ævar
    "œ": "oe",  # French: Œuvray
    "ħ": "h",  # Maltese: Ħamrun
    "ı": "i",  # Turkish, Azerbaijani dotless i: Işık
    "ə": "e",  # Azerbaijani schwa: Əliyev
    "ǝ": "e",  # Pan-Nigerian turned e
    "ŧ": "t",  # Northern Sami
    "ŋ": "n",  # Sami, Ewe, Wolof, Dinka
    "ɛ": "e",  # Akan, Ewe, Dinka open e
    "ɔ": "o",  # Akan, Ewe, Dinka open o
    "ɓ": "b",  # Hausa, Fula hooked b
    "ɗ": "d",  # Hausa, Fula hooked d
    "ƙ": "k",  # Hausa hooked k
    "ƴ": "y",  # Hausa, Fula hooked y
    "ƒ": "f",
    "ß": "ss",  # casefold already gives "ss"; kept for readers of the table
}

# Combining marks dropped in step 2: the diacritical blocks (as SQLite's unicode61 tokenizer
# with remove_diacritics drops them from Latin letters), not the vowel signs of other scripts.
_MARK_BLOCKS = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining Diacritical Marks for Symbols
    (0xFE20, 0xFE2F),  # Combining Half Marks
)

_TABLE: dict[int, str | None] = {
    code: None for first, last in _MARK_BLOCKS for code in range(first, last + 1)
}
_TABLE.update({ord(letter): plain for letter, plain in LETTERS.items()})


def fold_for_search(text: str) -> str:
    """The text as the search index keeps it and as a search looks for it: lower case, no
    accents, the letters above spelt plainly. Idempotent: folding twice changes nothing."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    caseless = unicodedata.normalize("NFKD", decomposed.casefold())
    return unicodedata.normalize("NFC", caseless.translate(_TABLE))
