"""What a summary may show: the case document cut down for its audience, then made printable.

Redaction happens here, on the data, before anything is laid out: a withheld value is deleted from
the view the renderer reads, so it can never be drawn, compressed or left in the file by accident.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from asb_desktop.domain.document import CASE_FORMAT, format_timestamp
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import may_share_document
from asb_desktop.reports.fonts import TextCleaner, clean_tree

IMPACT_KEYS = ("how_it_made_them_feel", "effect_since", "measures_taken")
COMPLAINANT_PRIVATE = ("name", "address", "phone", "email", "is_employee")
WITNESS_PRIVATE = ("address", "contact")
# Special category data (issue 13): a third party sees it only when 5.6 allows sharing.
VULNERABILITY_KEYS = ("vulnerabilities", "adjustments")
WITHHELD = "[withheld]"
AUDIT_LINES_SHOWN = 40
_LIST_KEYS = (
    "incidents",
    "involved",
    "witnesses",
    "resolution_attempts",
    "entries",
    "risk_assessments",
    "case_review_applications",
    "reopenings",
    "attachments",
)
_OBJECT_KEYS = (
    "source",
    "complainant",
    "targeting",
    "consent_to_share",
    "status",
    "anonymity",
    "referral",
    "first_response",
    "staff_risk_assessment",
    "manual_assignment",
    "action_plan",
    "case_review",
    "closure",
)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "the", "and"}
# Codes, timestamps and ids: never free text, so never scrubbed (a name such as "Al" must not
# eat into "2026-03-10T09:30").
_STRUCTURAL = {
    "format", "id", "reference", "at", "channel", "severity", "kind", "state", "status",
    "basis", "organisation", "to_role", "assignment_rule", "assigned_to", "staff_id",
    "to_staff_id", "estate", "supported_scheme", "hate_strands", "sha256", "media_type",
    "incident_id",
}  # fmt: skip
MIN_SCRUB = 3  # shorter values would match inside ordinary words
# Where the document keeps who did something or whom it went to: a staff id (or, before an
# officer was chosen, the laptop's account), printed by name. `[]` marks a list of objects.
ACTOR_FIELDS = (
    "recorded_by",
    "first_response.by",
    "manual_assignment.by",
    "manual_assignment.staff_id",
    "referral.by",
    "referral.to_staff_id",
    "entries[].by",
    "resolution_attempts[].by",
    "risk_assessments[].by",
    "action_plan.actions[].who",
    "attachments[].added_by",
    "disclosures[].by",
    "closure.complainant_told.by",
    "closure.satisfaction.by",
    "reopenings[].by",
    "reopenings[].closure.complainant_told.by",
    "reopenings[].closure.satisfaction.by",
    "case_review_applications[].received_by",
    "case_review_applications[].decided_by",
)
Names = Callable[[str], str]
"""A stored actor id to the name printed for it (`services.actors.ActorNames` is one)."""
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class Profile(StrEnum):
    """Who the summary is for."""

    INTERNAL = "internal"  # everything recorded
    THIRD_PARTY = "third_party"  # 5.6: the complainant's circumstances only with consent


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit trail as printed: when, who (staff), what. Never personal data."""

    at: datetime | str
    actor: str
    action: str


@dataclass
class SummaryView:
    doc: dict[str, Any]
    profile: Profile
    sharing_allowed: bool
    audit: list[tuple[str, str, str]]
    audit_hidden: int = 0
    entries_withheld: int = 0
    warnings: list[str] = field(default_factory=list)
    # When each update was given to the complainant, read before the entries are cut down (a
    # third party sees that updates were given, not what was said).
    update_times: list[str] = field(default_factory=list)


def may_share(document: Mapping[str, Any]) -> bool:
    """5.6 exactly as the window has it: `domain.procedure.may_share_document` (consent given
    is a ground with or without a recorded basis; so is the information sharing protocol)."""
    return may_share_document(document)


def _check_shape(document: Any) -> dict[str, Any]:
    if not isinstance(document, Mapping):
        raise InputError("(document)", "must be a case document (a JSON object)")
    if document.get("format") != CASE_FORMAT:
        raise InputError("format", f'must be "{CASE_FORMAT}"')
    if not isinstance(document.get("id"), str) or not document["id"].strip():
        raise InputError("id", "is required")
    for key in _OBJECT_KEYS:
        if document.get(key) is not None and not isinstance(document[key], Mapping):
            raise InputError(key, "must be an object or null")
    for key in _LIST_KEYS:
        items = document.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise InputError(key, "must be a list")
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise InputError(f"{key}[{i}]", "must be an object")
    strands = document.get("hate_strands")
    if strands is not None and not (
        isinstance(strands, list) and all(isinstance(s, str) for s in strands)
    ):
        raise InputError("hate_strands", "must be a list of strings")
    copied: dict[str, Any] = _plain(document)
    return copied


def _plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists, so the caller's document is never changed."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _identity_pattern(complainant: Mapping[str, Any]) -> re.Pattern[str] | None:
    """Matches the withheld complainant's details wherever free text repeats them."""
    parts: list[str] = []
    for key in ("name", "address", "email"):
        value = complainant.get(key)
        if isinstance(value, str) and len(value.strip()) >= MIN_SCRUB:
            parts.append(re.escape(value.strip()))
    address = complainant.get("address")
    if isinstance(address, str):
        first_line = re.split(r"[,\n]", address.strip())[0].strip()
        if len(first_line) >= 6:
            parts.append(re.escape(first_line))
    phone = complainant.get("phone")
    if isinstance(phone, str):
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 6:
            parts.append(r"\+?" + r"[\s().-]*".join(digits))
    name = complainant.get("name")
    if isinstance(name, str):
        words = {w for w in _WORD.findall(name) if len(w) >= MIN_SCRUB and w.lower() not in _TITLES}
        parts.extend(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words)
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def _redact_for_third_party(doc: dict[str, Any], view: SummaryView) -> None:
    complainant = doc.get("complainant") or {}
    if not view.sharing_allowed:
        pattern = _identity_pattern(complainant)
        doc["complainant"] = {
            "anonymous": bool(complainant.get("anonymous")),
            "withheld": True,
        }
        for incident in doc.get("incidents") or []:
            for key in IMPACT_KEYS:
                incident.pop(key, None)
        for application in doc.get("case_review_applications") or []:
            # Who applied for them, the reasons and the recommendations are about the person.
            if application.get("applied_by") != "complainant":
                application["applied_by"] = WITHHELD
            for key in ("decision", "outcome"):
                if application.get(key):
                    application[key] = WITHHELD
        for attachment in doc.get("attachments") or []:
            # A file's name is free text from a phone or a resident ("Zoe's door, 14 Larch
            # Walk.jpg"): without a sharing ground it is withheld whole, not scrubbed word by word.
            if attachment.get("name"):
                attachment["name"] = WITHHELD
        if pattern is not None:
            count = [0]

            def scrub(text: str, where: str) -> str:
                key = where.rsplit(".", 1)[-1].split("[", 1)[0]
                if key in _STRUCTURAL or key.endswith("_at"):
                    return text
                new, n = pattern.subn(WITHHELD, text)
                count[0] += n
                return new

            scrubbed = clean_tree(doc, "", scrub)
            assert isinstance(scrubbed, dict)
            doc.clear()
            doc.update(scrubbed)
            if count[0]:
                view.warnings.append(
                    f"{count[0]} mention{'s' if count[0] != 1 else ''} of the complainant's "
                    f"identifying details in free text printed as {WITHHELD} (5.6)"
                )
        for person in [*(doc.get("involved") or []), *(doc.get("witnesses") or [])]:
            for key in VULNERABILITY_KEYS:
                person.pop(key, None)
        closings = [doc.get("closure"), *(r.get("closure") for r in doc.get("reopenings") or [])]
        for closure in closings:
            if isinstance(closure, dict) and closure.get("satisfaction"):  # their own views
                closure["satisfaction"] = WITHHELD
        for assessment in doc.get("risk_assessments") or []:
            if isinstance(assessment, dict):  # the officer's notes are the household's story
                assessment.pop("notes", None)
                assessment.pop("answers", None)
    for witness in doc.get("witnesses") or []:
        for key in WITNESS_PRIVATE:
            witness.pop(key, None)
    entries = doc.get("entries") or []
    kept = [e for e in entries if e.get("kind") == "action"]
    view.entries_withheld = len(entries) - len(kept)
    doc["entries"] = kept
    if doc.get("first_response"):
        doc["first_response"].pop("summary", None)
    doc.pop("staff_risk_assessment", None)
    doc.pop("colleague_harassment", None)
    doc.pop("staff_risk_assessment_due_at", None)
    for disclosure in doc.get("disclosures") or []:
        # A subject access request names a data subject: never told to a third party.
        if isinstance(disclosure, dict) and disclosure.get("profile") == "subject_access":
            disclosure["to"] = "the data subject"


def _audit_value(line: Any, key: str, index: int) -> Any:
    value = line.get(key) if isinstance(line, Mapping) else getattr(line, key, None)
    if value is None:
        raise InputError(f"audit_trail[{index}].{key}", "is required")
    return value


def _audit_lines(audit_trail: Iterable[Any]) -> list[tuple[str, str, str]]:
    lines = []
    for i, line in enumerate(audit_trail):
        at = _audit_value(line, "at", i)
        when = format_timestamp(at) if isinstance(at, datetime) else str(at)
        lines.append(
            (when, str(_audit_value(line, "actor", i)), str(_audit_value(line, "action", i)))
        )
    return lines


def _holders(value: Any, path: list[str]) -> Iterator[tuple[dict[str, Any], str]]:
    """Each (object, key) the dotted `path` reaches in the document; `name[]` walks a list."""
    if not isinstance(value, dict) or not path:
        return
    head, rest = path[0], path[1:]
    key = head.removesuffix("[]")
    if not rest:
        yield value, key
        return
    inner = value.get(key)
    items = inner if head.endswith("[]") and isinstance(inner, list) else [inner]
    for item in items:
        yield from _holders(item, rest)


def show_names(doc: dict[str, Any], names: Names) -> None:
    """Every actor field of the (already cut-down) view printed as a name, not an id."""
    for field_path in ACTOR_FIELDS:
        for holder, key in _holders(doc, field_path.split(".")):
            actor = holder.get(key)
            if isinstance(actor, str) and actor:
                holder[key] = names(actor)


def prepare_view(
    document: Mapping[str, Any],
    profile: Profile | str,
    audit_trail: Iterable[Any] = (),
    names: Names | None = None,
) -> SummaryView:
    """The document as this audience may see it, every string printable in the embedded font.
    With `names`, the actors (who did it, whom it went to) print as names."""
    try:
        profile = Profile(profile)
    except ValueError:
        raise InputError("profile", f"{profile!r} is not one of internal, third_party") from None
    doc = _check_shape(document)
    audit = _audit_lines(audit_trail)
    view = SummaryView(doc=doc, profile=profile, sharing_allowed=may_share(doc), audit=audit)
    view.update_times = [
        str(e["at"]) for e in doc.get("entries") or [] if e.get("kind") == "update" and e.get("at")
    ]
    if profile is Profile.THIRD_PARTY:
        _redact_for_third_party(doc, view)
    if names is not None:  # after redaction: an officer's name is never taken for a complainant's
        show_names(doc, names)
        audit = [(at, names(actor), action) for at, actor, action in audit]
    if len(audit) > AUDIT_LINES_SHOWN:
        view.audit_hidden = len(audit) - AUDIT_LINES_SHOWN
        audit = audit[-AUDIT_LINES_SHOWN:]
    cleaner = TextCleaner()
    cleaned = clean_tree(doc, "", cleaner.clean)
    assert isinstance(cleaned, dict)
    view.doc = cleaned
    view.audit = [
        (
            cleaner.clean(at, f"audit_trail[{i}].at"),
            cleaner.clean(actor, f"audit_trail[{i}].actor"),
            cleaner.clean(action, f"audit_trail[{i}].action"),
        )
        for i, (at, actor, action) in enumerate(audit)
    ]
    view.warnings.extend(cleaner.warnings)
    return view
