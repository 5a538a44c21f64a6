"""The stored cases an ASB Case Review counts beside a case: its complainant's other cases and,
when the organisation counts them, the cases about its place. Each is read once and parsed
once, however many cases of a batch ask: importing 10,000 cases asked a query (and parsed every
other case again) for each of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from asb_desktop.domain.case import Case
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.store import cases as case_table


class StoredPeers:
    """Reads through `conn` (the caller's transaction); `prefetch` reads many complainants'
    cases in one query, and a key not prefetched is read when first asked for."""

    def __init__(self, conn: Connection, policy: CasePolicy) -> None:
        self.conn = conn
        self.policy = policy
        self._by_key: dict[str, list[case_table.KeyedDocument]] = {}
        self._cases: dict[str, Case] = {}
        self._places: dict[tuple[str | None, str | None], list[dict[str, Any]]] = {}

    def prefetch(self, keys: set[str]) -> list[case_table.KeyedDocument]:
        """Read the stored cases of these complainants at once; returns them in store order."""
        wanted = {k for k in keys if k not in self._by_key}
        found = case_table.keyed_documents(self.conn, wanted) if wanted else []
        for key in wanted:
            self._by_key[key] = []
        for row in found:
            self._by_key[row.complainant_key].append(row)
        return found

    def documents(self, key: str) -> list[case_table.KeyedDocument]:
        if key not in self._by_key:
            self.prefetch({key})
        return self._by_key[key]

    def case(self, row: case_table.KeyedDocument) -> Case:
        """The stored case read as domain values (InputError when the reader refuses it)."""
        found = self._cases.get(row.id)
        if found is None:
            found = self._cases[row.id] = case_from_document(row.document)
        return found

    def complainant_cases(self, key: str, *, besides: set[str]) -> list[Case]:
        """The stored cases of the complainant with this key, but those in `besides`."""
        return [self.case(row) for row in self.documents(key) if row.id not in besides]

    def readable_cases(self, key: str) -> list[Case]:
        """The stored cases of the complainant with this key a reader can take (the others
        count as no one, as `Casework.documents` has them)."""
        found = []
        for row in self.documents(key):
            try:
                found.append(self.case(row))
            except InputError:
                continue
        return found

    def place_documents(self, estate: str | None, scheme: str | None) -> list[dict[str, Any]]:
        """The stored documents of every case about this place (estate, else scheme)."""
        place = (estate, scheme)
        if place not in self._places:
            self._places[place] = case_table.place_documents(self.conn, estate, scheme)
        return self._places[place]
