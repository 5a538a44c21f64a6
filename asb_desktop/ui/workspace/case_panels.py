"""The case workspace's read-only parts: summary, people, incident timeline, notes, history."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QListWidget, QScrollArea, QVBoxLayout, QWidget

from asb_desktop.domain.case import Case, Referral, ReferralRole
from asb_desktop.domain.procedure import sharing_consequence
from asb_desktop.domain.wording import counted
from asb_desktop.services.actors import NO_NAMES, ActorNames
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.words import case_label, label, when
from asb_desktop.ui.workspace.closing_words import closing_lines
from asb_desktop.ui.workspace.review_forms import applicant_words

REFERRAL_WORDS = {
    ReferralRole.HOUSING_OFFICER: "the Housing Officer",
    ReferralRole.ENFORCEMENT_OFFICER: "the Enforcement Officer",
}


def referral_words(referral: Referral, names: ActorNames = NO_NAMES) -> str:
    """ "Referred to the Enforcement Officer (Erin O'Neill) on Mon 23 Nov 2026, 10:00 by Hana
    Ali", for the status line and the summary (5.5)."""
    officer = f" ({names(referral.to_staff_id)})" if referral.to_staff_id else ""
    return (
        f"Referred to {REFERRAL_WORDS[referral.to_role]}{officer} on {when(referral.at)} "
        f"by {names(referral.by)}"
    )


def scroll_text(name: str) -> tuple[QScrollArea, QLabel]:
    text = QLabel()
    text.setWordWrap(True)
    text.setAccessibleName(name)
    text.setTextFormat(text.textFormat().PlainText)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(text)
    layout.addStretch()
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(holder)
    return area, text


def summary_text(view: CaseView) -> str:
    case, outcome, names = view.case, view.outcome, view.names
    lines = [
        f"Received {when(case.received_at)} by {label(case.channel.value)}",
        f"Severity: {label(case.severity.value)}",
        outcome.assignment.explain(),
    ]
    if case.manual_assignment is not None:
        manual = case.manual_assignment
        lines.append(
            f"Assigned by hand to {names(manual.staff_id)} on {when(manual.at)} by "
            f"{names(manual.by)}: {manual.reason}"
        )
    lines.append(f"Response due by {when(outcome.response_due_at)}")
    if case.first_response is not None:
        met = "met" if view.response_met else "missed"
        lines.append(
            f"First response {when(case.first_response.at)} by {names(case.first_response.by)}: "
            f"target {met}. {case.first_response.summary}"
        )
    else:
        lines.append(f"No first response yet: {view.due_in_words}.")
    if case.source.organisation:
        lines.append(
            f"Reported through {label(case.source.organisation)} "
            f"{case.source.organisation_name or ''} ({case.source.contact or 'no contact'})"
        )
        lines.append(sharing_consequence(case))
    lines.append(f"Estate: {case.estate or 'none'}; scheme: {case.supported_scheme or 'none'}")
    strands = ", ".join(label(s.value) for s in sorted(case.hate_strands)) or "none"
    lines.append(f"Hate strands: {strands}")
    lines.append(f"Frequency and history: {case.frequency or 'not recorded'}")
    if case.targeting.targeted:
        lines.append(f"Targeted: {case.targeting.reason or 'reason not recorded'}")
    if case.colleague_harassment:
        due = outcome.staff_risk_assessment_due_at
        done = case.staff_risk_assessment
        if done is None:
            lines.append(
                f"Staff risk assessment (5.9.1) due by {when(due) if due else '?'}: not done"
            )
        else:
            decision = (
                done.decision
                if done.agreed
                else f"Director of Operations: {done.director_decision}"
            )
            lines.append(
                f"Staff risk assessment done {when(done.completed_at)} by "
                f"{', '.join(done.participants)}. Decision: {decision}"
            )
    for attempt in case.resolution_attempts:
        outcome_word = "worked" if attempt.successful else "did not work"
        lines.append(
            f"Scheme officer's attempt {when(attempt.at)} by {names(attempt.by)} "
            f"({outcome_word}): {attempt.description}"
        )
    if case.referral:
        lines.append(f"{referral_words(case.referral, names)}: {case.referral.reason}")
    lines += closing_lines(case, names)
    return "\n".join(lines)


def people_text(case: Case) -> str:
    c = case.complainant
    lines = ["Complainant"]
    if c.anonymous:
        lines.append("  Anonymous: no contact details are kept (5.8); no feedback can be given.")
    else:
        for key in ("name", "address", "phone", "email"):
            lines.append(f"  {key.capitalize()}: {getattr(c, key) or '—'}")
    if c.is_employee:
        lines.append("  An employee of ours (5.9)")
    lines.append("")
    lines.append(f"People involved ({len(case.involved)})")
    for person in case.involved:
        lines.append(
            f"  {person.name or 'Name not known'}; {person.address or 'address not known'}"
            f"{'; employee' if person.is_employee else ''}"
        )
        if person.description:
            lines.append(f"    {person.description}")
    lines.append("")
    lines.append(f"Witnesses ({len(case.witnesses)})")
    for w in case.witnesses:
        lines.append(f"  {w.name or 'Name not given'}; {w.contact or w.address or 'no contact'}")
        if w.account:
            lines.append(f"    {w.account}")
    return "\n".join(lines)


def incidents_lines(case: Case) -> list[str]:
    """The timeline, newest first."""
    items = sorted(case.incidents, key=lambda i: i.occurred_at, reverse=True)
    lines = []
    for i in items:
        place = f" at {i.location}" if i.location else ""
        impact = "\n".join(
            f"{q}: {a}"  # one line per answer
            for q, a in (
                ("How it made them feel", i.how_it_made_them_feel),
                ("Affected them since", i.effect_since),
                ("What they have done", i.measures_taken),
            )
            if a
        )
        lines.append(
            f"{when(i.occurred_at)}{place}\n{i.description}" + (f"\n{impact}" if impact else "")
        )
    return lines


def entries_lines(case: Case, names: ActorNames = NO_NAMES) -> list[str]:
    items = sorted(case.entries, key=lambda e: e.at, reverse=True)
    return [f"{when(e.at)} · {label(e.kind.value)} by {names(e.by)}\n{e.text}" for e in items]


def history_lines(view: CaseView) -> list[str]:
    lines = []
    for entry in reversed(view.history):
        what = entry.action.replace("case.", "").replace("_", " ")
        who = view.names(entry.actor)
        lines.append(f"{when(datetime.fromisoformat(entry.at))} · {what} · by {who}")
    return lines


def fill(widget: QListWidget, lines: list[str], empty: str) -> None:
    widget.clear()
    widget.addItems(lines or [empty])


def clocks_lines(view: CaseView) -> list[str]:
    """Every clock the case carries, in the order they fall due: what, when, and why."""
    lines = []
    for clock in view.clocks:
        mark = "⚠ Overdue. " if clock.overdue else ""
        lines.append(
            f"{mark}{clock.words[0].upper()}{clock.words[1:]}\n"
            f"Due {when(clock.deadline.due_at)}. Why: {clock.why}"
        )
    return lines


def who_words(who: str, names: ActorNames = NO_NAMES) -> str:
    return "the complainant" if who == "complainant" else names(who)


def plan_lines(view: CaseView) -> list[str]:
    """The action plan: whether and when it was agreed, then each action, done or overdue."""
    case, names = view.case, view.names
    plan = case.action_plan
    if plan is None or (plan.agreed_at is None and not plan.actions):
        return []
    if plan.agreed_at is not None:
        head = f"Action plan: agreed with {plan.agreed_with or '—'} on {when(plan.agreed_at)}"
    else:
        head = "Action plan not yet agreed with the complainant"
    lines = [head]
    now = view.now
    for action in sorted(plan.actions, key=lambda a: a.due_at):
        if action.done_at is not None:
            state = (
                "Done "
                + when(action.done_at)
                + (" (on time)" if action.done_at <= action.due_at else " (late)")
            )
        elif now is not None and now > action.due_at:
            state = "⚠ Overdue"
        else:
            state = "To do"
        lines.append(
            f"{state} · {action.what}\nBy {who_words(action.who, names)}, due {when(action.due_at)}"
        )
    return lines


def review_text(view: CaseView) -> str:
    """The ASB Case Review: whether the complainant qualifies, and the reports that count."""
    case, review = view.case, view.outcome.case_review
    if case.complainant.anonymous:
        return (
            "ASB Case Review: an anonymous complainant cannot be told apart as the same person, "
            "so no reports count and they cannot apply."
        )
    count = review.qualifying_reports
    verdict = (
        "The complainant qualifies for an ASB Case Review"
        if review.eligible
        else "The complainant does not qualify for an ASB Case Review yet"
    )
    lines = [
        f"{verdict}: {count} qualifying report{'s' if count != 1 else ''} "
        "(reports made within the last 6 months and within a month of the behaviour, "
        "across this complainant's cases)."
    ]
    if review.by_hate_incident:
        lines.append("  One hate incident is enough here (the organisation's local threshold).")
    if review.place_reporters:
        lines.append(
            f"  {counted(review.place_reporters, 'different person', 'different people')} "
            "reported about the same estate or scheme (the organisation's local threshold)."
        )
    for report in view.review_reports:
        where = (
            "this case"
            if report.case_id == case.id
            else f"case {case_label(report.reference, report.case_id)}"
        )
        words = " ".join(report.description.split())
        lines.append(
            f"  Reported {when(report.reported_at)} ({where}), about {when(report.occurred_at)}: "
            f"{words if len(words) <= 80 else words[:79] + '…'}"
        )
    return "\n".join(lines)


NO_APPLICATION = (
    "No application for an ASB Case Review is recorded. Alt+W records one (who applied, and when)."
)


def application_lines(view: CaseView) -> list[str]:
    """Each application for a Case Review and how far it has got, newest first: one item each."""
    applications = sorted(view.case.case_review_applications, key=lambda a: a.applied_at)
    names = view.names
    items = []
    for a in reversed(applications):
        lines = [
            f"Applied {when(a.applied_at)} by {applicant_words(a)}; recorded by "
            f"{names(a.received_by)}."
        ]
        if a.decided_at is None:
            due = view.outcome.case_review_decision_due_at
            late = due is not None and view.now is not None and view.now > due
            when_due = f"{'⚠ overdue: it was due' if late else 'due'} by {when(due)}" if due else ""
            lines.append(f"Decision: not yet made{', ' + when_due if when_due else ''}.")
        else:
            met = "the threshold is met" if a.threshold_met else "the threshold is not met"
            by = f" by {names(a.decided_by)}" if a.decided_by else ""
            lines.append(f"Decided {when(a.decided_at)}{by}: {met}.")
            lines.append(f"Reasons: {a.decision}")
            if a.outcome_at is not None:
                lines.append(f"Outcome {when(a.outcome_at)}: {a.outcome}")
            elif a.threshold_met:
                lines.append("Outcome: the review's recommendations are not yet recorded.")
        items.append("\n".join(lines))
    return items
