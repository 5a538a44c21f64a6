"""The ASB Case Review (community trigger): `case_review.qualifying_reports` and `.eligible`.

A report counts toward a Case Review for a complainant when it is an incident, in this case or
in any other case of the same complainant (same name and address, compared without case or
accents: `complainant_key`), reported within the last `review_window_months` (default 6) and
within `report_within_months` (default 1) after the behaviour it reports. Reports are counted,
not cases: two complaints added to one case as incidents are two reports. An anonymous
complainant has none: they cannot be identified as the same person, and cannot apply.

Two local thresholds the organisation may set (CasePolicy, through its presets):

- one hate incident: a qualifying report on a case with hate strands is enough;
- reports about the same place by different people (`review_place_reporters`, off unless
  set): the place is the case's estate (or, with none, its supported scheme): the directory's
  codes, the one place every case records the same way (an incident's `location` is free
  text, "outside no. 4", and cannot be compared). Different people are different complainant
  keys; an anonymous report, or one whose complainant has no name or address, counts as no
  one, since two of them may be the same person. When that many different people each made a
  qualifying report about the place, each of their cases is eligible.
"""

from __future__ import annotations

import calendar as month_lengths
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import Case, Complainant, Incident
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.domain.search_folding import fold_for_search


@dataclass(frozen=True)
class CaseReview:
    qualifying_reports: int = 0
    eligible: bool = False
    # Why, beyond the count (not in the document): a hate incident made it enough; how many
    # different people reported about the same place (when the organisation counts them).
    by_hate_incident: bool = False
    place_reporters: int = 0


NO_REVIEW = CaseReview()


def _folded(text: str | None) -> str:
    return " ".join(fold_for_search(text or "").split())


def complainant_key(complainant: Complainant) -> str | None:
    """Who the complainant is, for finding their other cases: a hash of the folded name and
    address (so a store's index column holds no name). None when anonymous, or when the name
    or the address is not recorded (no one can be told apart by half of it)."""
    if complainant.anonymous:
        return None
    name, address = _folded(complainant.name), _folded(complainant.address)
    if not name or not address:
        return None
    return hashlib.sha256(f"{name}\n{address}".encode()).hexdigest()


def add_months(moment: datetime, months: int) -> datetime:
    """The same London wall-clock time `months` later (or earlier), the day clamped to the
    month's last (31 January + 1 month is 28 or 29 February)."""
    local = moment.astimezone(LONDON)
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    day = min(local.day, month_lengths.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def qualifies(reported_at: datetime, incident: Incident, now: datetime, policy: CasePolicy) -> bool:
    return report_qualifies(reported_at, incident.occurred_at, now, policy)


def report_qualifies(
    reported_at: datetime, occurred_at: datetime, now: datetime, policy: CasePolicy
) -> bool:
    if reported_at > now or reported_at <= add_months(now, -policy.review_window_months):
        return False
    return occurred_at <= reported_at <= add_months(occurred_at, policy.report_within_months)


@dataclass(frozen=True)
class ReviewFacts:
    """What a Case Review counts of one case: whose it is, each report's (reported_at,
    occurred_at), and whether it has hate strands. Read from a case, or straight from a stored
    document (domain/review_facts.py), which is far cheaper than reading the whole case."""

    id: str
    anonymous: bool
    key: str | None
    reports: tuple[tuple[datetime, datetime], ...]
    hate: bool

    @classmethod
    def of(cls, case: Case) -> ReviewFacts:
        reports = tuple((case.reported_at(i), i.occurred_at) for i in case.incidents)
        key = complainant_key(case.complainant)
        return cls(case.id, case.complainant.anonymous, key, reports, bool(case.hate_strands))


def counted_reports(
    own: ReviewFacts, others: Iterable[ReviewFacts], now: datetime, policy: CasePolicy
) -> list[ReviewFacts]:
    """The case a report is in, once for each report that counts toward this case's Case
    Review: its own and those of its complainant's other cases (any other in `others` is left
    out). None for an anonymous complainant."""
    if own.anonymous:
        return []
    cases = [own] + [
        o for o in others if own.key is not None and o.id != own.id and o.key == own.key
    ]
    return [
        c for c in cases for reported, occurred in c.reports
        if report_qualifies(reported, occurred, now, policy)
    ]  # fmt: skip


def review_of_facts(
    own: ReviewFacts, others: Iterable[ReviewFacts], now: datetime, policy: CasePolicy
) -> CaseReview:
    """`case_review` from facts, for an organisation that does not count reports about a place
    (`review_place_reporters` unset: no neighbours to read)."""
    if policy.review_place_reporters:
        raise ValueError("reports about a place are counted from whole cases (case_review)")
    counted = counted_reports(own, others, now, policy)
    if not counted:
        return NO_REVIEW
    hate = policy.review_one_hate_incident and any(c.hate for c in counted)
    return CaseReview(
        qualifying_reports=len(counted),
        eligible=len(counted) >= policy.review_threshold or hate,
        by_hate_incident=hate and len(counted) < policy.review_threshold,
    )


def place_of(case: Case) -> str | None:
    """Where a report is about, for the same-place threshold: the estate, else the scheme."""
    return case.estate or case.supported_scheme


def place_reporters(case: Case, neighbours: Iterable[Case], now: datetime,
                    policy: CasePolicy) -> int:  # fmt: skip
    """How many different people (complainant keys) made a qualifying report about this case's
    place, this case's complainant included; `neighbours` may be any list of cases."""
    place = place_of(case)
    if place is None:
        return 0
    people = {
        key
        for c in [case, *neighbours]
        if place_of(c) == place and (key := complainant_key(c.complainant)) is not None
        if any(qualifies(c.reported_at(i), i, now, policy) for i in c.incidents)
    }
    return len(people)


def case_review(
    case: Case,
    others: Iterable[Case],
    now: datetime,
    policy: CasePolicy = DEFAULT_POLICY,
    neighbours: Iterable[Case] = (),
) -> CaseReview:
    """`others`: the complainant's other cases (any case whose key differs is left out, as is
    this case itself, so a caller may pass a broad list). `neighbours`: cases about the same
    place, read only when the organisation counts reports about a place."""
    if case.complainant.anonymous:
        return NO_REVIEW
    own = ReviewFacts.of(case)  # its key None: not told apart, so this case alone
    others_facts = (ReviewFacts.of(o) for o in others if own.key is not None)
    counted = counted_reports(own, others_facts, now, policy)
    if not counted:
        return NO_REVIEW
    key = own.key
    hate = policy.review_one_hate_incident and any(c.hate for c in counted)
    people = (
        place_reporters(case, [n for n in neighbours if n.id != case.id], now, policy)
        if policy.review_place_reporters and key is not None
        else 0
    )
    by_place = bool(policy.review_place_reporters) and people >= policy.review_place_reporters
    eligible = len(counted) >= policy.review_threshold or hate or by_place
    return CaseReview(
        qualifying_reports=len(counted),
        eligible=eligible,
        by_hate_incident=hate and len(counted) < policy.review_threshold,
        place_reporters=people,
    )


def as_of(case: Case) -> datetime:
    """A moment to judge a case by when the caller has no clock (a preview of a new case): the
    latest report it holds."""
    return max([case.received_at, *(case.reported_at(i) for i in case.incidents)])
