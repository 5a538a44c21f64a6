"""The first half of a summary: the facts of the report in the order procedure 5.2 collects them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable

from asb_desktop.domain.erasure import PLACEHOLDER
from asb_desktop.reports.pdf_tables import Pieces, facts, listing
from asb_desktop.reports.story_casework import (
    asb_types_words,
    nsir_words,
    risk_level_words,
    vulnerability_parts,
    vulnerability_words,
)
from asb_desktop.reports.story_closing import outcome_words
from asb_desktop.reports.styles import (
    NOTE,
    NOTICE,
    Para,
    moment,
    none_recorded,
    para,
    section,
    text,
    when,
)
from asb_desktop.reports.view import IMPACT_KEYS, Profile, SummaryView

CHANNELS = {
    "telephone": "Telephone",
    "writing": "In writing",
    "in_person": "In person",
    "website": "Website",
}
ORGANISATIONS = {
    "police": "Police",
    "mp": "MP",
    "local_authority": "Local Authority",
    "other": "Other organisation",
}
SEVERITIES = {
    "serious": "Serious: respond within 1 working day (5.3)",
    "general": "General: respond within 3 working days (5.3)",
}
HATE_STRANDS = {
    "race": "Race",
    "religion": "Religion or belief",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation",
    "transgender_identity": "Transgender identity",
}
IMPACT_LABELS = {
    "how_it_made_them_feel": "How it made them feel",
    "effect_since": "How it has affected them since",
    "measures_taken": "Measures taken to avoid it happening again",
}


def _label(table: dict[str, str], value: Any) -> str | None:
    return table.get(value, str(value)) if value is not None else None


def response_outcome(doc: dict[str, Any], produced_at: datetime) -> str:
    """Whether the 5.3 response target was met: met when the first response came by the deadline."""
    due = moment(doc.get("response_due_at"), "response_due_at")
    first = doc.get("first_response") or {}
    responded = moment(first.get("at"), "first_response.at")
    if due is None:
        return "No response target has been worked out"
    due_text = when(due, "response_due_at")
    if responded is not None:
        at = when(responded, "first_response.at")
        if responded <= due:
            return f"Met: first response {at} (due by {due_text})"
        return f"Not met: first response {at}, after the deadline of {due_text}"
    if produced_at > due:
        return f"Not met: no first response recorded by the deadline of {due_text}"
    return f"Pending: no first response recorded yet (due by {due_text})"


def _source(doc: dict[str, Any]) -> str:
    source = doc.get("source") or {}
    if source.get("kind") != "third_party":
        return "Direct from the complainant"
    parts = [_label(ORGANISATIONS, source.get("organisation")) or "Third party"]
    parts += [source[k] for k in ("organisation_name", "contact") if source.get(k)]
    return "Via a third party: " + ", ".join(parts)


REFERRED_TO = {
    "housing_officer": "the Housing Officer",
    "enforcement_officer": "the Enforcement Officer",
}


def referral_status(doc: dict[str, Any]) -> str | None:
    """ "Referred to the Enforcement Officer (Erin O'Neill) on 23 Nov 2026 10:00" (5.5)."""
    referral = doc.get("referral")
    if not referral:
        return None
    role = str(referral.get("to_role") or "")
    whom = REFERRED_TO.get(role) or (f"a {role.replace('_', ' ')}" if role else "an officer")
    words = f"Referred to {whom}"
    if referral.get("to_staff_id"):
        words += f" ({referral['to_staff_id']})"
    at = when(referral.get("at"), "referral.at")
    return words + (f" on {at}" if at else "")


def _status(doc: dict[str, Any]) -> str:
    status = doc.get("status") or {}
    state = "Closed" if status.get("state") == "closed" else "Open"
    at = when(status.get("at"), "status.at")
    outcome = f"outcome: {outcome_words(status['outcome'])}" if status.get("outcome") else None
    since = f"since {at}" if at else None
    bits = [state, since, outcome, status.get("reason"), referral_status(doc)]
    return " — ".join(b for b in bits if b)


def report_section(view: SummaryView, produced_at: datetime) -> list[Flowable]:
    doc = view.doc
    first = doc.get("first_response") or {}
    rows: list[tuple[str, Any]] = [
        ("Reference", doc.get("reference") or "Not yet synced"),
        ("Case id", doc.get("id")),
        ("Status", _status(doc)),
        ("Received", when(doc.get("received_at"), "received_at")),
        ("Channel", _label(CHANNELS, doc.get("channel"))),
        ("Source", _source(doc)),
        ("Severity", _label(SEVERITIES, doc.get("severity"))),
        ("Kind of ASB", asb_types_words(doc)),
        ("NSIR category", nsir_words(doc)),
        ("Risk level", risk_level_words(doc)),
        ("Estate", doc.get("estate")),
        ("Supported scheme", doc.get("supported_scheme") or "None"),
        ("Response due", when(doc.get("response_due_at"), "response_due_at")),
        ("Response target", response_outcome(doc, produced_at)),
    ]
    if first:
        rows.append(("First response by", first.get("by")))
        if "summary" in first:
            rows.append(("First response", first.get("summary")))
    rows.append(("Recorded by", doc.get("recorded_by")))
    return section("1. The report", facts(rows))


ANONYMITY_STEPS = (
    ("reassured", "Reassured: identity not given to the alleged perpetrator without consent"),
    ("information_gathered", "Gathered as much information as possible"),
    ("action_and_support_discussed", "Discussed action, support and protection"),
    ("no_undue_pressure", "No undue pressure to give a name or address"),
    (
        "limitations_explained",
        "Explained the limits anonymity imposes, and that no feedback can follow (5.8)",
    ),
)


def complainant_section(view: SummaryView) -> list[Flowable]:
    person = view.doc.get("complainant") or {}
    if person.get("anonymous"):
        checklist = view.doc.get("anonymity") or {}
        steps = [
            [label, "Done" if checklist.get(key) else "Not recorded"]
            for key, label in ANONYMITY_STEPS
        ]
        note = "Recorded as anonymous (5.7, 5.8): no identifying details are kept."
        known: list[tuple[str, Any]] = [("Name", "Anonymous")]
        vulnerable = vulnerability_words(person)
        if vulnerable:
            known.append(("Vulnerabilities", vulnerable))
        return section(
            "2. Complainant",
            facts(known),
            para(note, NOTE),
            listing(["What the officer did (5.7, 5.8)", "Recorded"], steps, [140, 34]),
        )
    if person.get("withheld"):
        note = (
            "The complainant's identity, contact details and address are not included: no consent "
            "to share has been confirmed and no information sharing protocol applies (5.6)."
        )
        return section("2. Complainant", Para(text(note), NOTICE))
    if person.get("name") == PLACEHOLDER:  # erased by an administrator (domain/erasure.py)
        note = (
            "The complainant's details were removed from this case by an administrator (an "
            f"erasure); where the case's text named them it reads {PLACEHOLDER}."
        )
        employee = "Yes (5.9)" if person.get("is_employee") else "No"
        return section(
            "2. Complainant",
            facts([("Name", PLACEHOLDER), ("Employee", employee)]),
            para(note, NOTE),
        )
    rows = [
        ("Name", person.get("name")),
        ("Address", person.get("address")),
        ("Phone", person.get("phone")),
        ("Email", person.get("email")),
        ("Employee", "Yes (5.9)" if person.get("is_employee") else "No"),
    ]
    vulnerable = vulnerability_words(person)
    if vulnerable:
        rows.append(("Vulnerabilities", vulnerable))
    return section("2. Complainant", facts(rows))


def _incident_cell(incident: dict[str, Any]) -> Pieces:
    """The description, then each impact statement the view still holds (5.2)."""
    cell = Pieces([(None, incident.get("description"))])
    cell.extend((IMPACT_LABELS[key], incident.get(key)) for key in IMPACT_KEYS if key in incident)
    return cell


def _incident_order(pair: tuple[int, dict[str, Any]]) -> tuple[datetime | None, int]:
    index, incident = pair
    return moment(incident.get("occurred_at"), f"incidents[{index}].occurred_at"), index


def ordered_incidents(view: SummaryView) -> list[tuple[int, dict[str, Any]]]:
    """(index in the document, incident), oldest first, those with no time last: the order
    section 3 numbers them in (the evidence schedule names an incident by that number)."""
    incidents = list(enumerate(view.doc.get("incidents") or []))
    known = [p for p in incidents if p[1].get("occurred_at")]
    unknown = [p for p in incidents if not p[1].get("occurred_at")]
    return sorted(known, key=_incident_order) + unknown


def incidents_section(view: SummaryView) -> list[Flowable]:
    incidents = view.doc.get("incidents") or []
    if not incidents:
        return section("3. Incidents", none_recorded())
    ordered = ordered_incidents(view)
    rows = [
        [
            str(n),
            when(incident.get("occurred_at"), f"incidents[{i}].occurred_at", short=True),
            incident.get("location"),
            _incident_cell(incident),
        ]
        for n, (i, incident) in enumerate(ordered, start=1)
    ]
    body: list[Flowable] = []
    withheld = view.profile is Profile.THIRD_PARTY and not view.sharing_allowed
    if withheld:
        body.append(
            Para(text("The impact statements are not included: no consent to share (5.6)."), NOTICE)
        )
    headings = ["#", "When", "Where", "What happened" + ("" if withheld else ", and the impact")]
    body.append(listing(headings, rows, [8, 35, 30, 101]))
    return section(f"3. Incidents ({len(incidents)}), oldest first", *body)


def frequency_section(view: SummaryView) -> list[Flowable]:
    return section("4. Frequency and history", para(view.doc.get("frequency")))


def _with_vulnerability(value: Any, person: dict[str, Any]) -> Any:
    """The cell's text, then the person's vulnerabilities and adjustments when the view has them."""
    parts = vulnerability_parts(person)
    if not parts:
        return value
    return Pieces([(None, value), *parts])


def _erased_or(person: dict[str, Any], value: Any) -> Any:
    """A detail an erasure cleared says so, rather than 'Not recorded' (domain/erasure.py)."""
    return ERASED_DETAIL if person.get("name") == PLACEHOLDER else value


ERASED_DETAIL = "Removed (erasure)"


def involved_section(view: SummaryView) -> list[Flowable]:
    people = view.doc.get("involved") or []
    if not people:
        return section("5. People involved", none_recorded())
    rows = [
        [
            p.get("name") or "Name not known",
            _erased_or(p, p.get("address") or "Not known"),
            _erased_or(p, _with_vulnerability(p.get("description"), p)),
            "Yes (5.9)" if p.get("is_employee") else "No",
        ]
        for p in people
    ]
    table = listing(["Name", "Address", "Description", "Employee"], rows, [34, 40, 80, 20])
    return section("5. People involved", table)


def targeting_section(view: SummaryView) -> list[Flowable]:
    targeting = view.doc.get("targeting") or {}
    rows: list[tuple[str, Any]] = [("Feels targeted", bool(targeting.get("targeted")))]
    if targeting.get("targeted") or targeting.get("reason"):
        rows.append(("Why they think so", targeting.get("reason")))
    return section("6. Targeting", facts(rows))


def hate_section(view: SummaryView) -> list[Flowable]:
    strands = [HATE_STRANDS.get(s, s) for s in view.doc.get("hate_strands") or []]
    value = ", ".join(strands) if strands else "None perceived"
    return section("7. Perceived hostility (hate strands)", facts([("Strands", value)]))


def witnesses_section(view: SummaryView) -> list[Flowable]:
    witnesses = view.doc.get("witnesses") or []
    if not witnesses:
        return section("8. Witnesses", none_recorded())
    if view.profile is Profile.THIRD_PARTY:
        rows = [
            [w.get("name") or "Name not given", _with_vulnerability(w.get("account"), w)]
            for w in witnesses
        ]
        note = Para(
            text("Witnesses' addresses and contact details are not included in this summary."),
            NOTE,
        )
        return section("8. Witnesses", note, listing(["Name", "Account"], rows, [40, 134]))
    rows = [
        [
            w.get("name") or "Name not given",
            _erased_or(w, w.get("address")),
            _erased_or(w, w.get("contact")),
            _with_vulnerability(w.get("account"), w),
        ]
        for w in witnesses
    ]
    table = listing(["Name", "Address", "Contact", "Account"], rows, [32, 38, 32, 72])
    return section("8. Witnesses", table)
