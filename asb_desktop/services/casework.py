"""Casework: the procedure applied to the store. Screens and commands call this, never the store.

It knows the clock, the configured nation and the directory, so the rules see the same facts
whether a case comes from the form, an import, or (later) the central store.

Every case stored, import and directory change is logged here (docs/logging.md), with ids and
counts only, so the window and the commands write the same events.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.directory import Directory, parse_directory
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import Outcome, anonymised, evaluate
from asb_desktop.services.actors import ActorNames, typed_name
from asb_desktop.store import cases as case_table
from asb_desktop.store.audit import AuditCheck, AuditEntry, AuditWriter, entries_for_case, verify
from asb_desktop.store.cases import CaseFilter, CaseRow, DuplicateCaseError
from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, load_directory, save_directory, set_setting
from asb_desktop.support.logs import log_event, since_ms

_log = logging.getLogger(__name__)
NATION_SETTING = "bank_holiday_nation"
MAX_ERRORS_REPORTED = 20


class ImportRejected(ValueError):
    """A file was refused whole; `problems` lists each record and field that was wrong."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS_REPORTED]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  - {p}" for p in shown)
        tail = f"\n  … and {more} more" if more else ""
        super().__init__(f"nothing was imported; {len(problems)} problem(s):\n{lines}{tail}")


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
        self, store: Store, *, actor: str, clock: Callable[[], datetime] = now_utc
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

    # --- settings the rules depend on --------------------------------------------------------

    def calendar(self) -> WorkingDayCalendar:
        if self._calendar is None:
            with self.store.read() as conn:
                stored = get_setting(conn, NATION_SETTING)
            self._calendar = WorkingDayCalendar(
                Nation(stored) if stored else Nation.ENGLAND_AND_WALES
            )
        return self._calendar

    def set_nation(self, nation: Nation) -> None:
        with self.store.write() as conn:
            set_setting(conn, NATION_SETTING, nation.value)
            AuditWriter(conn, actor=self.actor).append(
                at=self.clock(), action="settings.nation", after={"nation": nation.value}
            )
        self._calendar = WorkingDayCalendar(nation)
        log_event(_log, "settings.nation_set", nation=nation.value)

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
            AuditWriter(conn, actor=self.actor).append(
                at=self.clock(),
                action="directory.imported",
                after={
                    "staff": len(parsed.staff),
                    "estates": len(parsed.estates),
                    "schemes": len(parsed.schemes),
                },
            )
        self._directory = parsed
        log_event(
            _log,
            "directory.imported",
            members=len(parsed.staff),
            estates=len(parsed.estates),
            schemes=len(parsed.schemes),
        )
        return parsed

    # --- recording ----------------------------------------------------------------------------

    def preview(self, case: Case) -> Outcome:
        """What the procedure decides for a case as it stands: for the form, as the officer types."""
        return evaluate(case, self.directory(), self.calendar())

    def _prepared(self, case: Case) -> tuple[Case, Outcome]:
        case = _with_complainant_anonymised(case)
        if case.recorded_by is None:
            case = _replace(case, recorded_by=self.actor)
        return case, self.preview(case)

    def record(self, case: Case) -> dict[str, Any]:
        """Save a new case; returns its document with the computed fields."""
        started = time.perf_counter()
        prepared = self._prepared(case)
        with self.store.write() as conn:
            audit = AuditWriter(conn, actor=self.actor)
            document = case_table.insert_cases(conn, audit, [prepared], now=self.clock())[0]
        _log_saved("case.recorded", prepared[0], started)
        return document

    def import_documents(self, documents: Sequence[LabelledDocument]) -> list[str]:
        """All or nothing: every record is checked before any is stored."""
        started = time.perf_counter()
        problems: list[str] = []
        parsed: list[Case] = []
        seen: dict[str, str] = {}
        refused = 0
        for item in documents:
            try:
                case = case_from_document(item.body)
            except InputError as error:
                problems.append(str(error.in_record(item.label)))
                refused += 1
                continue
            if case.id in seen:
                problems.append(f"{item.label}, field id: repeats the id of {seen[case.id]}")
                refused += 1
                continue
            seen[case.id] = item.label
            parsed.append(case)
        if not problems:
            with self.store.read() as conn:
                clash = case_table.existing_ids(conn, list(seen))
            problems += [
                f"{seen[i]}, field id: a case with id {i} is already stored"
                for i in sorted(clash, key=list(seen).index)
            ]
            refused += len(clash)
        if problems:
            _log_import_refused("check", len(documents), refused, len(problems))
            raise ImportRejected(problems)
        prepared = [self._prepared(case) for case in parsed]
        try:
            with self.store.write() as conn:
                audit = AuditWriter(conn, actor=self.actor)
                case_table.insert_cases(
                    conn, audit, prepared, now=self.clock(), action="case.imported"
                )
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

    def update(self, case: Case, *, action: str) -> dict[str, Any]:
        """Store a changed case (an action in the workspace); audited and queued for sync."""
        started = time.perf_counter()
        prepared = self._prepared(case)
        with self.store.write() as conn:
            audit = AuditWriter(conn, actor=self.actor)
            document = case_table.replace_case(
                conn, audit, *prepared, now=self.clock(), action=action
            )
        _log_saved(action, prepared[0], started)
        return document

    # --- reading ------------------------------------------------------------------------------

    def document(self, id_or_reference: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            case_id = case_table.find_id(conn, id_or_reference)
            return case_table.load_document(conn, case_id) if case_id else None

    def documents(self, *, open_only: bool = False) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            return list(case_table.iter_documents(conn, open_only=open_only))

    def list_cases(self, where: CaseFilter, *, offset: int = 0, limit: int = 100) -> list[CaseRow]:
        with self.store.read() as conn:
            return case_table.list_cases(conn, where, offset=offset, limit=limit)

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


def _replace(case: Case, **changes: Any) -> Case:
    from dataclasses import replace

    return replace(case, **changes)


def _with_complainant_anonymised(case: Case) -> Case:
    """5.8: whatever the form held, an anonymous complainant is stored with no contact details."""
    return _replace(case, complainant=anonymised(case.complainant))


def parse_json_records(raw: str, source: str) -> list[LabelledDocument]:
    """One document, a JSON array of them, or JSON lines; labels say where each record was."""
    stripped = raw.lstrip()
    if not stripped:
        _log_import_refused("read", 0, 0, 1)
        raise ImportRejected([f"{source}: the file is empty"])
    if stripped.startswith("["):
        try:
            loaded = json.loads(raw)
        except json.JSONDecodeError as error:
            _log_import_refused("read", 0, 0, 1, error=error)
            problem = f"{source}: not valid JSON ({error.msg} at line {error.lineno})"
            raise ImportRejected([problem]) from None
        return [LabelledDocument(f"record {i + 1}", body) for i, body in enumerate(loaded)]
    try:
        return [LabelledDocument("record 1", json.loads(raw))]
    except json.JSONDecodeError:
        pass
    records = []
    problems = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(LabelledDocument(f"line {number}", json.loads(line)))
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
    if problems:
        _log_import_refused("read", len(records) + len(problems), len(problems), len(problems))
        raise ImportRejected(problems)
    return records
