"""Erasing a person from a case, and correcting one of their details (issue 14, item 6).

A person is addressed by their place in the case: `complainant`, `involved:N` or `witness:N`
(N counts from 1, as the summary lists them). `erase_person` replaces their name with
`PLACEHOLDER`, clears their address, phone, email or contact, date of birth if any, their
vulnerabilities and adjustments (an involved person's description too: it describes them), and
replaces every mention of them in the case's free text (incidents, entries, notes, the first
response, risk assessments' notes and answers, the action plan, referrals, decisions, ...).

What a mention is (`Marks`), compared without case or accents (`fold_for_search`), and only as
whole words, so "Ann" is not found inside "Annual" or "Joanna":
- their full name, its words separated by any spaces ("Zoë  O'Brien" finds "zoe o’brien");
- each part of their name of three letters or more that is not also part of another person's
  name in the case (a shared family name is left, since it names the other person too);
- their address, email and contact as written (without case or accents), and their phone
  number's digits however spaced or dashed.

What is NOT caught, and must be read for by the administrator: a nickname or short form
("Bob" for Robert), a misspelling, a part of a name under three letters ("Jo"), initials alone,
a name written in another script, a relationship that identifies them ("her son"), and a
family name shared with another person in the case.

Correcting (`rectify_person`) sets one field to a new value and, when asked, replaces the old
value's mentions with the new one (a misspelt name everywhere it was typed).

Pure functions over `Case` values: every path (the central store, a laptop-only install) calls
them and then the one validation path (`domain/validation.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import Enum
from typing import Any

from asb_desktop.domain.case import Case, Complainant, InvolvedPerson, Witness
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.search_folding import fold_for_search

PLACEHOLDER = "[person removed]"
# What an address or a phone, email or contact typed in the text becomes: a sentence still reads
# ("heard shouting at [address removed]"), and says what was there.
ADDRESS_REMOVED = "[address removed]"
CONTACT_REMOVED = "[contact removed]"

# Keys whose text is an id or a code, never free text: a staff id such as "s-ha" must not be
# read as a mention of someone called "Ha".
_NOT_TEXT = frozenset(
    {"id", "by", "recorded_by", "staff_id", "to_staff_id", "participants", "estate",
     "supported_scheme", "reference", "incident_id", "format"}
)  # fmt: skip
_KINDS = ("complainant", "involved", "witness")
_MIN_PART = 3
_MIN_PHONE_DIGITS = 6
_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}
# Words a name may hold that are not a name on their own.
_NOT_A_NAME = frozenset({"mr", "mrs", "ms", "miss", "dr", "the", "and", "van", "von", "der",
                         "den", "del", "della", "de", "la", "le", "bin", "bint", "al", "ibn"})  # fmt: skip

# The fields of a person that may be corrected, by kind.
RECTIFIABLE: dict[str, tuple[str, ...]] = {
    "complainant": ("name", "address", "phone", "email", "adjustments"),
    "involved": ("name", "address", "description", "adjustments"),
    "witness": ("name", "address", "contact", "account", "adjustments"),
}


@dataclass(frozen=True)
class PersonSlot:
    """Where a person is in a case: the complainant, or the Nth involved person or witness."""

    kind: str
    number: int = 0  # 1-based for involved and witness; 0 for the complainant

    def __str__(self) -> str:
        return self.kind if self.kind == "complainant" else f"{self.kind}:{self.number}"

    @property
    def words(self) -> str:
        """The slot as a sentence says it: 'the complainant', 'involved person 2', 'witness 1'."""
        if self.kind == "complainant":
            return "the complainant"
        return f"{'involved person' if self.kind == 'involved' else 'witness'} {self.number}"


def parse_slot(text: str) -> PersonSlot:
    """`complainant`, `involved:N` or `witness:N`; anything else is an InputError saying so."""
    raw = text.strip().lower()
    kind, _, number = raw.partition(":")
    if kind == "complainant" and not number:
        return PersonSlot("complainant")
    if kind in ("involved", "witness") and number.isdigit() and int(number) >= 1:
        return PersonSlot(kind, int(number))
    raise InputError(
        "PERSON",
        f"{text!r} is not a person of a case: say complainant, involved:N or witness:N "
        "(N counts from 1, as the summary lists them)",
    )


def _person(case: Case, slot: PersonSlot) -> Complainant | InvolvedPerson | Witness:
    if slot.kind == "complainant":
        return case.complainant
    people: tuple[InvolvedPerson | Witness, ...] = (
        case.involved if slot.kind == "involved" else case.witnesses
    )
    if slot.number > len(people):
        held = len(people)
        plural = "s" if held != 1 else ""
        noun = (
            f"involved person{plural}"
            if slot.kind == "involved"
            else f"witness{'es' * (held != 1)}"
        )
        raise InputError("PERSON", f"the case has {held} {noun}, so there is no {slot}")
    return people[slot.number - 1]


def _with_person(case: Case, slot: PersonSlot, person: Any) -> Case:
    if slot.kind == "complainant":
        return replace(case, complainant=person)
    name = "involved" if slot.kind == "involved" else "witnesses"
    people = list(getattr(case, name))
    people[slot.number - 1] = person
    changes: dict[str, Any] = {name: tuple(people)}
    return replace(case, **changes)


def is_erased(case: Case, slot: PersonSlot) -> bool:
    try:
        return _person(case, slot).name == PLACEHOLDER
    except InputError:
        return False


def erased_slots(before: Case, after: Case) -> list[PersonSlot]:
    """The people `after` shows as erased whom `before` still names (a laptop's copy against the
    central store's new one)."""
    found = []
    slots = [PersonSlot("complainant")]
    slots += [PersonSlot("involved", n + 1) for n in range(len(after.involved))]
    slots += [PersonSlot("witness", n + 1) for n in range(len(after.witnesses))]
    for slot in slots:
        if is_erased(after, slot) and not is_erased(before, slot):
            try:
                old = _person(before, slot)
            except InputError:
                continue
            if old.name or getattr(old, "address", None):
                found.append(slot)
    return found


# --- finding mentions ------------------------------------------------------------------------


def _fold_char(ch: str) -> str:
    return _QUOTES.get(ch) or fold_for_search(ch)


def _folded_with_places(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the original character it came from."""
    parts: list[str] = []
    places: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        places.extend([i] * len(folded))
    return "".join(parts), places


def _fold(text: str) -> str:
    return _folded_with_places(text)[0]


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", _fold(name)) if w]


def _phrase_pattern(text: str) -> str:
    words = _fold(text).split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    return r"(?<!\d)" + r"[\s\-.()]*".join(digits) + r"(?!\d)"


@dataclass(frozen=True)
class Marks:
    """What identifies one person in free text, as patterns over folded text, longest first."""

    patterns: tuple[str, ...]
    words: tuple[str, ...] = ()  # what each pattern's mention becomes (default: PLACEHOLDER)
    replacement: str | None = None  # a correction puts the new value instead, for every one

    def _regex(self) -> re.Pattern[str] | None:
        if not self.patterns:
            return None
        return re.compile("|".join(f"(?P<m{i}>{p})" for i, p in enumerate(self.patterns)))

    def _word(self, found: re.Match[str]) -> str:
        if self.replacement is not None:
            return self.replacement
        index = int((found.lastgroup or "m0")[1:])
        return self.words[index] if index < len(self.words) else PLACEHOLDER

    def scrub(self, text: str) -> tuple[str, int]:
        """The text with every mention replaced, and how many there were."""
        regex = self._regex()
        if regex is None or not text:
            return text, 0
        folded, places = _folded_with_places(text)
        out: list[str] = []
        last = count = 0
        for found in regex.finditer(folded):
            if found.end() == found.start():
                continue
            start, end = places[found.start()], places[found.end() - 1] + 1
            while end < len(text) and not _fold_char(text[end]):
                end += 1  # a combining mark after the last letter goes with it
            if start < last:
                continue
            out.append(text[last:start])
            out.append(self._word(found))
            last, count = end, count + 1
        out.append(text[last:])
        return "".join(out), count

    def mentions(self, text: str) -> int:
        return self.scrub(text)[1]

    def scrub_json(self, value: Any, key: str = "") -> tuple[Any, int]:
        """Any JSON value with its strings scrubbed (ids and codes left), and the count."""
        if isinstance(value, str):
            return (value, 0) if key in _NOT_TEXT else self.scrub(value)
        if isinstance(value, list):
            pairs = [self.scrub_json(v, key) for v in value]
            return [v for v, _ in pairs], sum(n for _, n in pairs)
        if isinstance(value, dict):
            out, total = {}, 0
            for k, v in value.items():
                out[k], n = self.scrub_json(v, str(k))
                total += n
            return out, total
        return value, 0


def _others_words(case: Case, slot: PersonSlot) -> set[str]:
    names: list[str | None] = []
    if slot.kind != "complainant":
        names.append(case.complainant.name)
    for n, involved in enumerate(case.involved, start=1):
        if PersonSlot("involved", n) != slot:
            names.append(involved.name)
    for n, witness in enumerate(case.witnesses, start=1):
        if PersonSlot("witness", n) != slot:
            names.append(witness.name)
    return {w for name in names if name and name != PLACEHOLDER for w in _words(name)}


def _marks_of(
    name: str | None, values: Iterable[tuple[str | None, str]], others: set[str]
) -> Marks:
    """`values`: (a detail, what its mentions become)."""
    patterns: list[tuple[int, str, str]] = []
    if name and name != PLACEHOLDER and _fold(name).split():
        patterns.append((len(_fold(name)), _phrase_pattern(name), PLACEHOLDER))
        whole = [w for w in _fold(name).split() if "-" in w]  # a double-barrelled name whole
        for word in whole + _words(name):
            letters = re.sub(r"\W", "", word)
            if len(letters) >= _MIN_PART and word not in others and word not in _NOT_A_NAME:
                pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
                patterns.append((len(word), pattern, PLACEHOLDER))
    for value, word in values:
        if not value or not value.strip():
            continue
        patterns.append((len(value), _phrase_pattern(value), word))
        phone = _phone_pattern(value)
        if phone is not None:
            patterns.append((len(value), phone, word))
    patterns.sort(key=lambda entry: -entry[0])
    chosen: dict[str, str] = {}
    for _, pattern, word in patterns:
        chosen.setdefault(pattern, word)
    return Marks(tuple(chosen), tuple(chosen.values()))


def person_marks(case: Case, slot: PersonSlot) -> Marks:
    """What identifies the person at `slot` of `case` in its free text."""
    person = _person(case, slot)
    values = [(getattr(person, "address", None), ADDRESS_REMOVED)]
    values += [
        (getattr(person, key, None), CONTACT_REMOVED) for key in ("phone", "email", "contact")
    ]
    return _marks_of(person.name, values, _others_words(case, slot))


# --- rewriting a case --------------------------------------------------------------------------


def _scrub_value(value: Any, key: str, marks: Marks, counter: list[int]) -> Any:
    if isinstance(value, Enum) or key in _NOT_TEXT:
        return value
    if isinstance(value, str):
        text, n = marks.scrub(value)
        counter[0] += n
        return text
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, key, marks, counter) for v in value)
    if isinstance(value, dict):
        scrubbed, n = marks.scrub_json(value, key)
        counter[0] += n
        return scrubbed
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in fields(value):
            old = getattr(value, f.name)
            new = _scrub_value(old, f.name, marks, counter)
            if new is not old and new != old:
                changes[f.name] = new
        return replace(value, **changes) if changes else value
    return value


def scrub_case(case: Case, marks: Marks) -> tuple[Case, int]:
    """Every free-text field of the case with the mentions replaced, and how many there were."""
    counter = [0]
    scrubbed = _scrub_value(case, "", marks, counter)
    assert isinstance(scrubbed, Case)
    return scrubbed, counter[0]


def _blank(person: Complainant | InvolvedPerson | Witness) -> Any:
    cleared: dict[str, Any] = {"name": PLACEHOLDER, "vulnerabilities": frozenset(),
                               "adjustments": None}  # fmt: skip
    for key in ("address", "phone", "email", "contact", "description", "date_of_birth"):
        if any(f.name == key for f in fields(person)):
            cleared[key] = None
    return replace(person, **cleared)


@dataclass(frozen=True)
class Erased:
    case: Case
    mentions: int  # how many mentions in the case's free text were replaced
    marks: Marks  # for scrubbing other copies (history, conflicts, queued changes)


def erase_person(case: Case, slot: PersonSlot) -> Erased:
    """The case with the person at `slot` anonymised (see the module's docstring)."""
    person = _person(case, slot)
    if person.name == PLACEHOLDER:
        raise InputError("PERSON", f"{slot.words} has already been removed from this case")
    if isinstance(person, Complainant) and person.anonymous:
        if not person.vulnerabilities and not person.adjustments:
            raise InputError(
                "PERSON", "the complainant is anonymous: nothing about them is held to remove"
            )
        cleared = replace(person, vulnerabilities=frozenset(), adjustments=None)
        return Erased(_with_person(case, slot, cleared), 0, Marks(()))
    marks = person_marks(case, slot)
    blanked = _with_person(case, slot, _blank(person))
    scrubbed, mentions = scrub_case(blanked, marks)
    return Erased(scrubbed, mentions, marks)


@dataclass(frozen=True)
class Rectified:
    case: Case
    mentions: int  # how many mentions of the old value were replaced by the new one
    old_marks: Marks


def rectify_person(
    case: Case, slot: PersonSlot, field: str, value: str, *, replace_mentions: bool = False
) -> Rectified:
    """The case with one field of the person at `slot` set to `value`; with `replace_mentions`
    the old value's mentions in the free text become the new value."""
    allowed = RECTIFIABLE[slot.kind]
    if field not in allowed:
        raise InputError(
            "FIELD",
            f"{field!r} cannot be corrected for {slot.words}: say one of {', '.join(allowed)}",
        )
    new = value.strip()
    if not new:
        raise InputError("VALUE", "the corrected value must not be empty")
    person = _person(case, slot)
    if person.name == PLACEHOLDER:
        raise InputError("PERSON", f"{slot.words} was removed from this case: nothing to correct")
    if isinstance(person, Complainant) and person.anonymous:
        raise InputError("PERSON", "the complainant is anonymous: no details are held to correct")
    old = getattr(person, field)
    if old == new:
        raise InputError("VALUE", f"{field} is already {new!r}")
    corrected: dict[str, Any] = {field: new}
    changed = _with_person(case, slot, replace(person, **corrected))
    if not replace_mentions or not old:
        return Rectified(changed, 0, Marks(()))
    marks = _marks_of(None, [(old, new)], set())
    if field == "name":
        marks = Marks((_phrase_pattern(old),))
    counter = [0]
    rewritten = _scrub_value_with(changed, marks, new, counter)
    if field == "name":  # the parts too, where the old and new names have as many
        old_words, new_words = _words(old), new.split()
        others = _others_words(case, slot)
        if len(old_words) == len(new_words):
            for was, now in zip(old_words, new_words, strict=True):
                if was != _fold(now) and len(was) >= _MIN_PART and was not in others:
                    part = Marks((r"(?<!\w)" + re.escape(was) + r"(?!\w)",))
                    rewritten = _scrub_value_with(rewritten, part, now, counter)
    return Rectified(rewritten, counter[0], marks)


def _scrub_value_with(case: Case, marks: Marks, replacement: str, counter: list[int]) -> Case:
    """`scrub_case` putting `replacement` (a corrected value) instead of the placeholder."""
    result = _scrub_value(case, "", replace(marks, replacement=replacement), counter)
    assert isinstance(result, Case)
    return result


# --- other copies of a case: history, queued changes, conflicts (JSON as stored) -----------

_SLOT_KEYS = {"complainant": None, "involved": "involved", "witness": "witnesses"}
_CLEARED = ("address", "phone", "email", "contact", "description", "date_of_birth", "adjustments")


def erase_in_document(document: Any, slot: PersonSlot, marks: Marks) -> tuple[Any, int]:
    """A stored copy of a case document (an earlier revision, a change waiting to be sent, an
    answer kept for a repeated request) with the person erased as `erase_person` does it: their
    place blanked when it holds them (their name is a mention) or is already blanked, then every
    string scrubbed. Anything that is not a case document is only scrubbed."""
    if not isinstance(document, dict):
        return marks.scrub_json(document)
    out = dict(document)
    key = _SLOT_KEYS[slot.kind]
    person: Any = None
    if key is None:
        person = out.get("complainant")
    elif isinstance(out.get(key), list) and 0 < slot.number <= len(out[key]):
        person = out[key][slot.number - 1]
    if isinstance(person, dict) and not person.get("anonymous"):
        name = person.get("name")
        if isinstance(name, str) and (name == PLACEHOLDER or marks.mentions(name)):
            blank = {**person, "name": PLACEHOLDER}
            for cleared in _CLEARED:
                if cleared in blank:
                    blank[cleared] = None
            if "vulnerabilities" in blank:
                blank["vulnerabilities"] = []
            if key is None:
                out["complainant"] = blank
            else:
                people = list(out[key])
                people[slot.number - 1] = blank
                out[key] = people
    return marks.scrub_json(out)


def slot_name(document: Any, slot: PersonSlot) -> str | None:
    """The name a case document gives the person at `slot` (None if none, or no such place)."""
    if not isinstance(document, dict):
        return None
    key = _SLOT_KEYS[slot.kind]
    person = document.get("complainant") if key is None else None
    if key is not None and isinstance(document.get(key), list):
        people = document[key]
        person = people[slot.number - 1] if 0 < slot.number <= len(people) else None
    name = person.get("name") if isinstance(person, dict) else None
    return name if isinstance(name, str) else None
