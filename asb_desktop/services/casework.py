"""Casework: the procedure applied to the store. Screens and commands call this, never the store.

It knows the clock, the configured nation and the directory, so the rules see the same facts
whether a case comes from the form, an import, or (later) the central store.

Every case stored, import and directory change is logged here (docs/logging.md), with ids and
counts only, so the window and the commands write the same events.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.domain.case import Case, Complainant
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.domain.case_review import CaseReview, case_review, complainant_key, place_of
from asb_desktop.domain.case_rules import sentences
from asb_desktop.domain.directory import Directory, parse_directory
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.errors import InputError, Problems, ProcedureError
from asb_desktop.domain.json_input import NotReadable, loads
from asb_desktop.domain.limits import MAX_IMPORT_BYTES, MAX_IMPORT_RECORDS, MAX_PROBLEMS_LISTED
from asb_desktop.domain.procedure import (
    Outcome,
    anonymised,
    current_outcome,
    evaluate,
    kept_case_review,
)
from asb_desktop.domain.validation import check_case, check_change, check_document
from asb_desktop.domain.wording import counted
from asb_desktop.services.actors import ActorNames, typed_name
from asb_desktop.services.review_peers import StoredPeers
from asb_desktop.store import cases as case_table
from asb_desktop.store.audit import AuditCheck, AuditEntry, AuditWriter, entries_for_case, verify
from asb_desktop.store.cases import CaseFilter, CaseRow, DuplicateCaseError, PageMark
from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, load_directory, save_directory, set_setting
from asb_desktop.support.logs import log_event, since_ms

_log = logging.getLogger(__name__)
NATION_SETTING = "bank_holiday_nation"
MAX_ERRORS_REPORTED = MAX_PROBLEMS_LISTED


class ImportRejected(ValueError):
    """A file was refused whole; `problems` lists each record and field that was wrong (the
    first MAX_PROBLEMS_LISTED of them; `count` says how many there were in all)."""

    def __init__(self, problems: list[str], count: int | None = None) -> None:
        self.problems = problems[:MAX_ERRORS_REPORTED]
        self.count = max(count or 0, len(problems))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        more = self.count - len(self.problems)
        tail = (
            f"\n  … and {more:,} more problem{'s' if more != 1 else ''} "
            f"(only the first {len(self.problems):,} are listed)"
            if more
            else ""
        )
        super().__init__(f"nothing was imported; {counted(self.count, 'problem')}:\n{lines}{tail}")


class CaseRefused(ProcedureError):
    """A case the window (or an action) would save breaks a rule or a limit: nothing is stored.
    Its words are the rules' own (domain/case_rules.py, domain/limits.py), as import and the
    central store say them; `problems` names each field."""

    def __init__(self, problems: list[InputError]) -> None:
        self.problems = problems
        super().__init__(" ".join(_said(p) for p in problems))


def _said(problem: InputError) -> str:
    """A rule's problem is a sentence of its own; a limit's is said with its field."""
    if problem.problem[:1].isupper():
        return sentences([problem])
    return sentences([InputError(problem.field, f"{problem.field} {problem.problem}")])


@dataclass(frozen=True)
class LabelledDocument:
    """A document from a file with where it came from ("record 3", "line 12")."""

    label: str
    body: Any


def now_utc() -> datetime:
    return datetime.now(UTC)


def _log_saved(action: str, case: Case, started: float) -> None:
    known: dict[str, Any] = {"reference": case.reference} if case.reference else {}
    log_event(
        _log,
        "case.saved",
        case_id=case.id,
        **known,
        action=action,
        incidents=len(case.incidents),
        entries=len(case.entries),
        duration_ms=since_ms(started),
    )


class Casework:
    def __init__(
        self,
        store: Store,
        *,
        actor: str,
        clock: Callable[[], datetime] = now_utc,
        policy: CasePolicy | None = None,
    ) -> None:
        self.store = store
        self.account = actor
        """The computer account (`local:<login>`, or who a command or test runs as): the actor
        while no officer is chosen."""
        self.actor = actor
        """Who the audit log and the documents say did it: the officer's staff id once chosen
        (`CaseActions.follow_officer` keeps it so), else the account. Always an id, never a name:
        `names()` says who it is."""
        self.clock = clock
        self._directory: Directory | None = None
        self._calendar: WorkingDayCalendar | None = None
        self._policy = policy

    # --- settings the rules depend on --------------------------------------------------------

    def calendar(self) -> WorkingDayCalendar:
        if self._calendar is None:
            with self.store.read() as conn:
                stored = get_setting(conn, NATION_SETTING)
            self._calendar = WorkingDayCalendar(
                Nation(stored) if stored else Nation.ENGLAND_AND_WALES
            )
        return self._calendar

    def policy(self) -> CasePolicy:
        """The organisation's numbers for the case-management rules (its presets), read once;
        the built-in defaults when there is no preset file or it cannot be used (the window
        says why when it starts)."""
        if self._policy is None:
            from asb_desktop.support.presets import PresetError, load_presets

            try:
                self._policy = load_presets().case_policy
            except PresetError:
                self._policy = DEFAULT_POLICY
        return self._policy

    def set_policy(self, policy: CasePolicy) -> None:
        self._policy = policy

    def set_nation(self, nation: Nation) -> None:
        """Change the bank holidays in use; open cases' deadlines follow at once."""
        calendar = WorkingDayCalendar(nation)
        with self.store.write() as conn:
            set_setting(conn, NATION_SETTING, nation.value)
            audit = AuditWriter(conn, actor=self.actor)
            audit.append(at=self.clock(), action="settings.nation", after={"nation": nation.value})
            moved = reassess_open_cases(
                conn, audit, self.directory(), calendar, now=self.clock(), policy=self.policy()
            )
        self._calendar = calendar
        log_event(_log, "settings.nation_set", nation=nation.value, reassessed=moved)

    def directory(self) -> Directory:
        if self._directory is None:
            with self.store.read() as conn:
                self._directory = load_directory(conn)
        return self._directory

    def forget_directory(self) -> None:
        """The stored directory changed behind our back (a sync pulled one): read it again."""
        self._directory = None

    def import_directory(self, document: Any) -> Directory:
        """Replace the staff directory; raises InputError naming the entry and field."""
        try:
            parsed = parse_directory(document)
        except InputError as error:
            log_event(_log, "directory.import_refused", level=logging.WARNING, error=error)
            raise
        with self.store.write() as conn:
            save_directory(conn, document, now=self.clock())
            audit = AuditWriter(conn, actor=self.actor)
            audit.append(
                at=self.clock(),
                action="directory.imported",
                after={
                    "staff": len(parsed.staff),
                    "estates": len(parsed.estates),
                    "schemes": len(parsed.schemes),
                },
            )
            # Open cases follow the directory at once (closed ones keep what held at closing).
            moved = reassess_open_cases(
                conn, audit, parsed, self.calendar(), now=self.clock(), policy=self.policy()
            )
        self._directory = parsed
        log_event(
            _log,
            "directory.imported",
            members=len(parsed.staff),
            estates=len(parsed.estates),
            schemes=len(parsed.schemes),
            reassessed=moved,
        )
        return parsed

    # --- recording ----------------------------------------------------------------------------

    def preview(self, case: Case) -> Outcome:
        """What the procedure decides for a case as it stands: for the form, as the officer types."""
        return evaluate(
            case, self.directory(), self.calendar(), policy=self.policy(), review=self.review(case)
        )

    def outcome(self, case: Case) -> Outcome:
        """The computed fields the stored case carries as it stands now: an open case's follow
        the directory and nation; a closed case keeps what held when it closed."""
        return current_outcome(
            case,
            self.directory(),
            self.calendar(),
            stored=self.document(case.id, as_of_now=False),
            policy=self.policy(),
            review=self.review(case),
        )

    def review(
        self, case: Case, batch: Sequence[Case] = (), peers: StoredPeers | None = None
    ) -> CaseReview:
        """The ASB Case Review now, counting the reports of every stored case of the same
        complainant (and of `batch`, cases about to be stored with it). `peers`: the stored
        cases already read for a batch (an import reads its complainants' cases once)."""
        key = complainant_key(case.complainant)
        if key is None:  # anonymous (none count), or not told apart (this case alone)
            return case_review(case, (), self.clock(), self.policy())
        if peers is None:
            with self.store.read() as conn:
                return self._review_among(case, batch, StoredPeers(conn, self.policy()), key)
        return self._review_among(case, batch, peers, key)

    def _review_among(
        self, case: Case, batch: Sequence[Case], peers: StoredPeers, key: str
    ) -> CaseReview:
        policy = self.policy()
        others = [c for c in batch if c.id != case.id]
        batch_ids = {c.id for c in batch}
        others += peers.complainant_cases(key, besides=batch_ids | {case.id})
        nearby = (
            peers.place_documents(case.estate, case.supported_scheme)
            if policy.review_place_reporters
            else []
        )
        neighbours = [c for c in batch if c.id != case.id] + _readable(
            nearby, batch_ids | {case.id}
        )
        return case_review(case, others, self.clock(), policy, neighbours)

    def _prepared(
        self,
        case: Case,
        *,
        before: Case | None = None,
        stored: dict[str, Any] | None = None,
        checked: bool = False,
        batch: Sequence[Case] = (),
        peers: StoredPeers | None = None,
    ) -> tuple[Case, Outcome]:
        """The case as it will be stored, with its computed fields. Unless `checked` (import
        checked it already), it is checked first as every path checks a case
        (`domain.validation.check_case`): CaseRefused, and nothing stored, when it breaks a
        rule or a limit it did not break before."""
        case = _with_complainant_anonymised(case)
        if case.recorded_by is None:
            case = _replace(case, recorded_by=self.actor)
        if not checked:
            problems = check_case(case, before, self.directory())
            if problems:
                log_event(_log, "case.refused", level=logging.WARNING, case_id=case.id,
                          problems=len(problems))  # fmt: skip
                raise CaseRefused(problems)
        outcome = current_outcome(
            case,
            self.directory(),
            self.calendar(),
            stored=stored,
            policy=self.policy(),
            review=self.review(case, batch, peers),
        )
        return case, outcome

    def _follow_complainants(
        self, conn: Any, audit: AuditWriter, saved: list[Case], read: StoredPeers | None = None
    ) -> int:
        """The complainant's other open cases count these reports too (the ASB Case Review):
        work their computed fields out again, in the same transaction (`case.reassessed`, not
        queued: the central store works them out itself). `read`: the stored cases this
        transaction read for the saved cases' reviews (before storing them)."""
        keys = {k for k in (complainant_key(c.complainant) for c in saved) if k is not None}
        if not keys:
            return 0
        saved_ids = {c.id for c in saved}
        moved = 0
        # Only a complainant with a case stored before these has a case to work out again; their
        # cases are read once, at once (an import of new complainants reads no document).
        if read is not None:
            waiting = {key for key in keys
                       if any(row.id not in saved_ids for row in read.documents(key))}  # fmt: skip
        else:
            waiting = {key for case_id, key in case_table.keyed_pairs(conn, keys)
                       if case_id not in saved_ids}  # fmt: skip
        if not waiting:
            return 0
        peers = StoredPeers(conn, self.policy())
        for row in peers.prefetch(waiting):
            stored = row.document
            if row.id in saved_ids or not _is_open(stored):
                continue
            try:
                case = peers.case(row)
            except InputError:
                continue  # a stored document this reader cannot take: left as it is
            key = complainant_key(case.complainant)
            others = peers.complainant_cases(key, besides={case.id}) if key is not None else []
            review = case_review(case, others, self.clock(), self.policy())
            case = _replace(case, reference=row.reference)
            outcome = evaluate(
                case, self.directory(), self.calendar(), policy=self.policy(), review=review
            )
            if case_to_document(case, outcome) != stored:
                case_table.replace_case(
                    conn, audit, case, outcome, now=self.clock(), action="case.reassessed",
                    queue=False,
                )  # fmt: skip
                moved += 1
        return moved

    def record(
        self, case: Case, *, then: Callable[[Any, AuditWriter], None] | None = None
    ) -> dict[str, Any]:
        """Save a new case; returns its document with the computed fields. CaseRefused when
        it breaks a rule or a limit. `then` runs in the same transaction after it (the
        evidence of a new report)."""
        started = time.perf_counter()
        self.directory(), self.calendar(), self.policy()  # read before the write lock is held
        # One transaction: the Case Review's reading of the complainant's cases is the write's,
        # and says too whether any other case of theirs is to be worked out again.
        with self.store.write() as conn:
            peers = StoredPeers(conn, self.policy())
            prepared = self._prepared(case, peers=peers)
            audit = AuditWriter(conn, actor=self.actor)
            document = case_table.insert_cases(conn, audit, [prepared], now=self.clock())[0]
            self._follow_complainants(conn, audit, [prepared[0]], read=peers)
            if then is not None:
                then(conn, audit)
        _log_saved("case.recorded", prepared[0], started)
        return document

    def import_documents(self, documents: Sequence[LabelledDocument]) -> list[str]:
        """All or nothing: every record is checked before any is stored, as every path checks a
        case (`domain.validation`: limits, shape, the procedure's rules, and new facts against
        the directory), and every problem of every record is told (the first
        MAX_PROBLEMS_LISTED in words, the rest counted)."""
        started = time.perf_counter()
        if len(documents) > MAX_IMPORT_RECORDS:
            _log_import_refused("check", len(documents), len(documents), 1)
            raise ImportRejected([_too_many(len(documents))])
        found = Problems(MAX_PROBLEMS_LISTED)
        parsed: list[Case] = []
        seen: dict[str, str] = {}
        refused = 0
        directory = self.directory()
        for item in documents:
            room = max(MAX_PROBLEMS_LISTED - len(found.kept), 0)
            checked = check_document(item.body, keep=room)
            case = checked.case
            problems = checked.problems
            if case is not None:
                problems.extend(check_change(None, case, directory))
            if problems:
                for problem in problems.kept:
                    found.add(problem.field, str(problem.in_record(item.label)))
                found.count += problems.count - len(problems.kept)
                refused += 1
                continue
            assert case is not None
            if case.id in seen:
                found.add("id", f"{item.label}, field id: repeats the id of {seen[case.id]}")
                refused += 1
                continue
            seen[case.id] = item.label
            parsed.append(case)
        if not found:
            with self.store.read() as conn:
                clash = case_table.existing_ids(conn, list(seen))
            for i in sorted(clash, key=list(seen).index):
                found.add("id", f"{seen[i]}, field id: a case with id {i} is already stored")
            refused += len(clash)
        if found:
            _log_import_refused("check", len(documents), refused, found.count)
            raise ImportRejected([p.problem for p in found.kept], found.count)
        # Each case's Case Review counts the other cases of its complainant in the file too.
        by_complainant: dict[str | None, list[Case]] = {}
        for case in parsed:
            by_complainant.setdefault(complainant_key(case.complainant), []).append(case)
        with self.store.read() as conn:
            peers = StoredPeers(conn, self.policy())
            peers.prefetch({key for key in by_complainant if key is not None})
            prepared = [
                self._prepared(
                    case,
                    checked=True,
                    batch=by_complainant[complainant_key(case.complainant)],
                    peers=peers,
                )
                for case in parsed
            ]
        try:
            with self.store.write() as conn:
                audit = AuditWriter(conn, actor=self.actor)
                case_table.insert_cases(
                    conn, audit, prepared, now=self.clock(), action="case.imported"
                )
                self._follow_complainants(conn, audit, [case for case, _ in prepared])
        except DuplicateCaseError as error:
            _log_import_refused("store", len(documents), 1, 1, error=error)
            raise ImportRejected([f"{seen[error.case_id]}, field id: {error}"]) from None
        log_event(
            _log,
            "case.imported",
            records=len(documents),
            accepted=len(parsed),
            refused=0,
            incidents=sum(len(case.incidents) for case in parsed),
            duration_ms=since_ms(started),
        )
        return [case.id for case in parsed]

    def case(self, id_or_reference: str) -> Case | None:
        """The stored case as domain values, for an action to change."""
        with self.store.read() as conn:
            case_id = case_table.find_id(conn, id_or_reference)
            if case_id is None:
                return None
            document = case_table.load_document(conn, case_id)
            reference = case_table.load_reference(conn, case_id)
        assert document is not None
        # The reference is the central store's, not a fact of the document, so it is kept apart.
        return _replace(case_from_document(document), reference=reference)

    def update(
        self,
        case: Case,
        *,
        action: str,
        then: Callable[[Any, AuditWriter], None] | None = None,
    ) -> dict[str, Any]:
        """Store a changed case (an action in the workspace); audited and queued for sync.
        CaseRefused, and nothing stored, when the change breaks a rule or a limit. `then`
        runs in the same transaction after it (an erasure scrubs the case's other copies)."""
        started = time.perf_counter()
        stored = self.document(case.id, as_of_now=False)
        before = case_from_document(stored) if stored is not None else None
        prepared = self._prepared(case, before=before, stored=stored)
        with self.store.write() as conn:
            audit = AuditWriter(conn, actor=self.actor)
            document = case_table.replace_case(
                conn, audit, *prepared, now=self.clock(), action=action
            )
            self._follow_complainants(conn, audit, [prepared[0]])
            if then is not None:
                then(conn, audit)
        _log_saved(action, prepared[0], started)
        return document

    # --- reading ------------------------------------------------------------------------------

    def document(self, id_or_reference: str, *, as_of_now: bool = True) -> dict[str, Any] | None:
        """The stored document, its ASB Case Review as of now (`as_of_now`), or as stored."""
        with self.store.read() as conn:
            case_id = case_table.find_id(conn, id_or_reference)
            document = case_table.load_document(conn, case_id) if case_id else None
        if document is None or not as_of_now:
            return document
        return self.as_of_now(document)

    def documents(self, *, open_only: bool = False) -> list[dict[str, Any]]:
        """Every stored document (or the open ones), each one's ASB Case Review as of now. All
        of them read at once, a complainant's other cases are found among them, not asked for.
        A Case Review only falls as time passes (reports leave the window; none joins it
        without a save, which works it out again), so only a case that had qualifying reports,
        and its complainant's other cases, are read as cases: an export stays fast."""
        with self.store.read() as conn:
            found = list(case_table.iter_documents(conn))
        kept = [d for d in found if not open_only or _is_open(d)]
        policy = self.policy()
        counting = [d for d in kept if _is_open(d) and _had_reports(d)]
        if policy.review_place_reporters:
            wanted: set[str] | None = None  # reports about a place: every case may count
        else:
            wanted = {k for k in map(_raw_key, counting) if k is not None}
        counted_here = {id(d) for d in counting}
        by_key: dict[str, list[Case]] = {}
        readable: dict[str, Case] = {}
        for document in found:
            key = _raw_key(document)
            if wanted is not None and key not in wanted and id(document) not in counted_here:
                continue
            try:
                case = case_from_document(document)
            except InputError:
                continue
            readable[case.id] = case
            if key is not None:
                by_key.setdefault(key, []).append(case)
        places: dict[str, list[Case]] = {}
        for case in readable.values() if policy.review_place_reporters else ():
            if (where := place_of(case)) is not None:
                places.setdefault(where, []).append(case)
        for document in counting:
            shown = readable.get(str(document.get("id")))
            if shown is None:
                continue
            key = complainant_key(shown.complainant)
            others = by_key.get(key, []) if key is not None else []
            neighbours = places.get(place_of(shown) or "", [])
            review = case_review(shown, others, self.clock(), policy, neighbours)
            document["case_review"] = _review_words(review)
        return kept

    def stream_documents(self, where: CaseFilter | None = None) -> Iterator[dict[str, Any]]:
        """Every stored document (or those `where` matches, in its order), each one's ASB Case
        Review as of now as `documents` works it out, read and yielded a page at a time in one
        read transaction: an export or `list --json` of 100,000 cases is never held whole,
        and each page asks once for the other cases of its complainants."""
        if self.policy().review_place_reporters:  # reports about a place: every case may count
            ids = None if where is None else {r.id for r in self._all_rows(where)}
            yield from (d for d in self.documents() if ids is None or d["id"] in ids)
            return
        from asb_desktop.services.case_listing import reviewed_pages

        for page in reviewed_pages(self, where):
            yield from page

    def _all_rows(self, where: CaseFilter) -> list[CaseRow]:
        rows: list[CaseRow] = []
        after = None
        while page := self.list_cases(where, after=after, limit=1000):
            rows.extend(page)
            after = page[-1].mark
        return rows

    def as_of_now(self, document: dict[str, Any]) -> dict[str, Any]:
        """The stored document with its ASB Case Review worked out now: stored when the case
        was last saved, its 6-month window moves on with the clock (a closed case keeps what
        held when it closed). What the window, `list --json`, an export and a summary show."""
        if not _is_open(document):
            return document
        try:
            case = case_from_document(document)
        except InputError:
            return document  # a stored document this reader cannot take: shown as it is
        return {**document, "case_review": _review_words(self.review(case))}

    def list_cases(
        self,
        where: CaseFilter,
        *,
        offset: int = 0,
        limit: int = 100,
        after: PageMark | None = None,
    ) -> list[CaseRow]:
        """A page of the caseload; `after` (the last row's `mark`) starts it where the page
        before ended, through the order's index, at any depth for the cost of the first."""
        with self.store.read() as conn:
            return case_table.list_cases(conn, where, offset=offset, limit=limit, after=after)

    def stored_documents(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """These cases' documents as stored (no Case Review worked out), by id, in one read."""
        with self.store.read() as conn:
            return case_table.stored_documents(conn, ids)

    def count_cases(self, where: CaseFilter) -> int:
        with self.store.read() as conn:
            return case_table.count_cases(conn, where)

    def history(self, case_id: str) -> list[AuditEntry]:
        with self.store.read() as conn:
            return entries_for_case(conn, case_id)

    def names(self) -> ActorNames:
        """How to show the actors stored in the audit log and the documents: by name."""
        with self.store.read() as conn:
            typed = typed_name(conn)
        return ActorNames(self.directory(), account=self.account, typed_name=typed)

    def verify_audit(self) -> AuditCheck:
        with self.store.read() as conn:
            return verify(conn)


def _log_import_refused(
    stage: str, records: int, refused: int, problems: int, *, error: BaseException | None = None
) -> None:
    """An import refused whole: how many records, how many were wrong; never what they held."""
    cause: dict[str, Any] = {"error": error} if error is not None else {}
    log_event(
        _log,
        "case.import_refused",
        level=logging.WARNING,
        stage=stage,
        records=records,
        accepted=0,
        refused=refused,
        problems=problems,
        **cause,
    )


def _had_reports(document: dict[str, Any]) -> bool:
    """Whether the stored Case Review counted any report (one that counted none still counts
    none later)."""
    review = document.get("case_review")
    return not isinstance(review, dict) or bool(review.get("qualifying_reports"))


def _raw_key(document: dict[str, Any]) -> str | None:
    """`complainant_key` read straight from a stored document (no whole case read)."""
    raw = document.get("complainant")
    if not isinstance(raw, dict) or raw.get("anonymous") is not False:
        return None
    name, address = raw.get("name"), raw.get("address")
    if not isinstance(name, str) or not isinstance(address, str):
        return None
    return complainant_key(Complainant(anonymous=False, name=name, address=address))


def _review_words(review: CaseReview) -> dict[str, Any]:
    """`case_review` as the document writes it."""
    return {"qualifying_reports": review.qualifying_reports, "eligible": review.eligible}


def _readable(documents: list[dict[str, Any]], besides: set[str]) -> list[Case]:
    """The cases of these stored documents a reader can take (but those in `besides`)."""
    found = []
    for document in documents:
        if document.get("id") in besides:
            continue
        try:
            found.append(case_from_document(document))
        except InputError:
            continue  # a stored document this reader cannot take counts as no one
    return found


def _is_open(document: dict[str, Any]) -> bool:
    status = document.get("status")
    return not isinstance(status, dict) or status.get("state") != "closed"


def _replace(case: Case, **changes: Any) -> Case:
    from dataclasses import replace

    return replace(case, **changes)


def _with_complainant_anonymised(case: Case) -> Case:
    """5.8: whatever the form held, an anonymous complainant is stored with no contact details."""
    return _replace(case, complainant=anonymised(case.complainant))


def _too_many(records: int) -> str:
    return (
        f"the file holds {records:,} records; one import takes at most "
        f"{MAX_IMPORT_RECORDS:,}: split it into smaller files"
    )


def _refuse_file(source: str, problem: str, error: BaseException | None = None) -> ImportRejected:
    _log_import_refused("read", 0, 0, 1, error=error)
    return ImportRejected([f"{source}: {problem}"])


def _loaded(text: str, where: str) -> Any:
    try:
        return loads(text, where)
    except NotReadable as refused:
        raise _refuse_file(where, refused.problem, refused.cause) from None


def parse_json_records(raw: str, source: str) -> list[LabelledDocument]:
    """One document, a JSON array of them, or JSON lines; labels say where each record was.

    Whatever the file holds, the answer is a list of records or ImportRejected in words: a
    UTF-8 byte order mark is accepted (and dropped); UTF-16 text, a file over
    MAX_IMPORT_BYTES or MAX_IMPORT_RECORDS records, nesting thousands deep, a number
    thousands of digits long and NaN are refused, naming the file or the line."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]  # a UTF-8 byte order mark, as some Windows editors write: harmless
    if len(raw) > MAX_IMPORT_BYTES:
        raise _refuse_file(
            source,
            f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024):,} MiB, the most one "
            "import reads: split it into smaller files",
        )
    if "\x00" in raw:  # JSON never holds a raw NUL; UTF-16 text read as UTF-8 is full of them
        raise _refuse_file(
            source,
            "the file is not UTF-8 text (it holds NUL bytes: is it UTF-16?); save it as UTF-8",
        )
    stripped = raw.lstrip()
    if not stripped:
        raise _refuse_file(source, "the file is empty")
    if stripped.startswith("["):
        loaded = _loaded(raw, source)
        if not isinstance(loaded, list):  # e.g. "[1] 2": not one array after all
            raise _refuse_file(source, "is not one JSON array of case documents")
        if len(loaded) > MAX_IMPORT_RECORDS:
            raise _refuse_file(source, _too_many(len(loaded)))
        return [LabelledDocument(f"record {i + 1}", body) for i, body in enumerate(loaded)]
    lines = [(n, line) for n, line in enumerate(raw.splitlines(), start=1) if line.strip()]
    if len(lines) <= 1:
        return [LabelledDocument("record 1", _loaded(raw, source))]
    try:
        return [LabelledDocument("record 1", loads(raw, source))]
    except NotReadable:
        pass  # more than one line: JSON lines, one document a line
    if len(lines) > MAX_IMPORT_RECORDS:
        raise _refuse_file(source, _too_many(len(lines)))
    records = []
    problems = Problems(MAX_PROBLEMS_LISTED)
    for number, line in lines:
        try:
            records.append(LabelledDocument(f"line {number}", loads(line, f"line {number}")))
        except NotReadable as refused:
            problems.add(f"line {number}", f"line {number}: {refused.problem}")
    if problems:
        _log_import_refused("read", len(lines), problems.count, problems.count)
        raise ImportRejected([p.problem for p in problems.kept], problems.count)
    return records


def reassess_open_cases(
    conn: Any,
    audit: AuditWriter,
    directory: Directory,
    calendar: WorkingDayCalendar,
    *,
    now: datetime,
    policy: CasePolicy = DEFAULT_POLICY,
) -> int:
    """Work out again the computed fields of every open case stored here (the directory or the
    nation changed): assignment and deadlines follow them at once, a manual assignment stands,
    and a closed case keeps what held when it closed. Each case that changes gets a new
    version, audited as `case.reassessed`, and is not queued for sync: the central store works
    the same fields out itself. Runs in the caller's transaction; returns how many changed."""
    changed: list[tuple[Case, Outcome]] = []
    for stored in case_table.iter_documents(conn, open_only=True):
        try:
            case = case_from_document(stored)
        except InputError:
            continue  # a stored document this reader cannot take: left exactly as it is
        outcome = evaluate(
            case, directory, calendar, policy=policy, review=kept_case_review(stored)
        )
        document = case_to_document(_replace(case, reference=stored.get("reference")), outcome)
        if document != stored:
            changed.append((case, outcome))
    for case, outcome in changed:  # the reading is over: now the writing
        case = _replace(case, reference=case_table.load_reference(conn, case.id))
        case_table.replace_case(
            conn, audit, case, outcome, now=now, action="case.reassessed", queue=False
        )
    return len(changed)
