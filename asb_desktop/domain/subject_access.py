"""Subject access: everything held about one person across cases, other people's data taken out.

Used by `asb-desktop subject-access` (a laptop-only install, over its store) and `asb-central
subject-access` (over every case of the organisation); both read case documents and write what
`subject_access_document` returns as JSON, and a PDF of it.

Who matches. The person is found as the complainant, as a person involved or as a witness. Their
name and their address are compared folded (case, accents and punctuation ignored, as the ASB
Case Review compares complainants: `domain.search_folding`). Both must match for a case to be
included. A partial match (the same name at another or no recorded address, or another name at
the same address) is never included, because it may be someone else: it is listed for the
officer (`partial`), by case id and which half matched, to check by hand.

What other people's data is taken out, as the third-party summary does (reports/view.py), and
more, since the reader is a private person: every other person's name, address, phone, email,
contact details, description, vulnerabilities and adjustments; any repeat of their identifying
details in free text prints as "[withheld]"; internal notes and contact records are left out
(counted, for the officer to review by hand); a case's disclosure log and the staff risk
assessment are left out. The complainant's impact statements, the first response, the updates
given and the risk assessments are theirs, so they are kept only when the subject is the
complainant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from asb_desktop.domain.search_folding import fold_for_search

SUBJECT_ACCESS_FORMAT = "asb-subject-access/1"
WITHHELD = "[withheld]"
MIN_SCRUB = 3  # shorter words would match inside ordinary words
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "the", "and"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
IMPACT_KEYS = ("how_it_made_them_feel", "effect_since", "measures_taken")
ROLES = ("complainant", "involved", "witness")


def folded_key(text: str | None) -> str:
    """Name or address as compared: folded, punctuation and spacing ignored."""
    folded = fold_for_search(unicodedata.normalize("NFC", text or ""))
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


@dataclass(frozen=True)
class Subject:
    name: str
    address: str

    def problem(self) -> str | None:
        if not folded_key(self.name):
            return "give the person's name (--name)"
        if not folded_key(self.address):
            return "give the person's address (--address)"
        return None


@dataclass(frozen=True)
class PartialMatch:
    case_id: str
    reference: str | None
    role: str
    matched: str  # "name" or "address"


@dataclass
class Found:
    """The cases holding the person, and where they appear in each."""

    cases: list[tuple[dict[str, Any], list[tuple[str, int]]]] = field(default_factory=list)
    partial: list[PartialMatch] = field(default_factory=list)

    @property
    def case_ids(self) -> list[str]:
        return [str(doc["id"]) for doc, _ in self.cases]


def _people(doc: Mapping[str, Any]) -> list[tuple[str, int, Mapping[str, Any]]]:
    people: list[tuple[str, int, Mapping[str, Any]]] = []
    complainant = doc.get("complainant")
    if isinstance(complainant, Mapping) and not complainant.get("anonymous"):
        people.append(("complainant", 0, complainant))
    for role, key in (("involved", "involved"), ("witness", "witnesses")):
        for i, person in enumerate(doc.get(key) or []):
            if isinstance(person, Mapping):
                people.append((role, i, person))
    return people


def find_subject(documents: Iterable[Mapping[str, Any]], subject: Subject) -> Found:
    """Every case where the person appears by name and address; partial matches apart."""
    name, address = folded_key(subject.name), folded_key(subject.address)
    found = Found()
    for doc in documents:
        roles: list[tuple[str, int]] = []
        for role, index, person in _people(doc):
            same_name = folded_key(person.get("name")) == name
            same_address = folded_key(person.get("address")) == address
            if same_name and same_address:
                roles.append((role, index))
            elif same_name or same_address:
                found.partial.append(
                    PartialMatch(
                        case_id=str(doc.get("id")),
                        reference=doc.get("reference"),
                        role=role,
                        matched="name" if same_name else "address",
                    )
                )
        if roles:
            found.cases.append((dict(doc), roles))
    return found


def identity_pattern(people: Iterable[Mapping[str, Any]]) -> re.Pattern[str] | None:
    """Matches these people's identifying details wherever free text repeats them (the
    third-party summary's rule, for any number of people)."""
    parts: set[str] = set()  # whole values and phone numbers
    words: set[str] = set()  # each word of a name, after the whole values
    for person in people:
        for key in ("name", "address", "email", "contact"):
            value = person.get(key)
            if isinstance(value, str) and len(value.strip()) >= MIN_SCRUB:
                parts.add(re.escape(value.strip()))
        address = person.get("address")
        if isinstance(address, str):
            first_line = re.split(r"[,\n]", address.strip())[0].strip()
            if len(first_line) >= 6:
                parts.add(re.escape(first_line))
        for key in ("phone", "contact"):
            value = person.get(key)
            digits = re.sub(r"\D", "", value) if isinstance(value, str) else ""
            if len(digits) >= 6:
                parts.add(r"\+?" + r"[\s().-]*".join(digits))
        name = person.get("name")
        if isinstance(name, str):
            for word in _WORD.findall(name):
                if len(word) >= MIN_SCRUB and word.lower() not in _TITLES:
                    words.add(rf"(?<!\w){re.escape(word)}(?!\w)")
    if not parts and not words:
        return None
    # Longest first, whole values before single words: "Marker Perpetrator" is one [withheld].
    ordered = sorted(parts, key=lambda p: (-len(p), p)) + sorted(words, key=lambda p: (-len(p), p))
    return re.compile("|".join(ordered), re.IGNORECASE)


def _scrubber(pattern: re.Pattern[str] | None) -> Any:
    def scrub(value: Any) -> Any:
        if not isinstance(value, str) or pattern is None:
            return value
        return pattern.sub(WITHHELD, value)

    return scrub


_OWN_KEYS = {
    "complainant": ("name", "address", "phone", "email", "vulnerabilities", "adjustments"),
    "involved": ("name", "address", "description", "vulnerabilities", "adjustments"),
    "witness": ("name", "address", "contact", "account", "vulnerabilities", "adjustments"),
}


def _case_extract(doc: Mapping[str, Any], roles: list[tuple[str, int]]) -> dict[str, Any]:
    mine = set(roles)
    others = [p for role, i, p in _people(doc) if (role, i) not in mine]
    scrub = _scrubber(identity_pattern(others))
    is_complainant = ("complainant", 0) in mine
    records = []
    for role, index, person in _people(doc):
        if (role, index) in mine:
            # Their own name and address as recorded; the rest with others' details withheld.
            kept = {"role": role, "name": person.get("name"), "address": person.get("address")}
            kept.update({k: scrub(person.get(k)) for k in _OWN_KEYS[role] if k not in kept})
            records.append(kept)
    incidents = []
    for incident in doc.get("incidents") or []:
        if not isinstance(incident, Mapping):
            continue
        item = {
            "occurred_at": incident.get("occurred_at"),
            "reported_at": incident.get("reported_at"),
            "location": scrub(incident.get("location")),
            "description": scrub(incident.get("description")),
        }
        if is_complainant:
            item.update({k: scrub(incident.get(k)) for k in IMPACT_KEYS})
        incidents.append(item)
    entries = [e for e in doc.get("entries") or [] if isinstance(e, Mapping)]
    raw_status = doc.get("status")
    status: Mapping[str, Any] = raw_status if isinstance(raw_status, Mapping) else {}
    extract: dict[str, Any] = {
        "id": doc.get("id"),
        "reference": doc.get("reference"),
        "received_at": doc.get("received_at"),
        "state": status.get("state", "open"),
        "closed_at": status.get("at") if status.get("state") == "closed" else None,
        "roles": sorted({role for role, _ in roles}, key=ROLES.index),
        "held_about_them": records,
        "incidents": incidents,
        "asb_types": list(doc.get("asb_types") or []),
        "others_withheld": len(others),
        "notes_not_included": sum(1 for e in entries if e.get("kind") in ("note", "contact")),
    }
    if is_complainant:
        first = doc.get("first_response")
        extract["first_response"] = (
            {"at": first.get("at"), "summary": scrub(first.get("summary"))}
            if isinstance(first, Mapping)
            else None
        )
        extract["updates_given"] = [
            {"at": e.get("at"), "text": scrub(e.get("text"))}
            for e in entries
            if e.get("kind") == "update"
        ]
        extract["risk_assessments"] = [
            {
                "at": a.get("at"),
                "level": a.get("level"),
                "score": a.get("score"),
                "notes": scrub(a.get("notes")),
            }
            for a in doc.get("risk_assessments") or []
            if isinstance(a, Mapping)
        ]
    return extract


def subject_access_document(
    found: Found, subject: Subject, *, produced_at: str, produced_by: str
) -> dict[str, Any]:
    """The JSON given to the data subject (the PDF prints the same)."""
    return {
        "format": SUBJECT_ACCESS_FORMAT,
        "subject": {"name": subject.name.strip(), "address": subject.address.strip()},
        "produced_at": produced_at,
        "produced_by": produced_by,
        "nothing_held": not found.cases,
        "cases": [_case_extract(doc, roles) for doc, roles in found.cases],
    }
