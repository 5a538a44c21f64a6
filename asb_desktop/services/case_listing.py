"""Every case, for a command that goes through them all: `asb-desktop list` (the rows as
stored) and an export or `list --json` (the documents, each Case Review as of now), a page at
a time, so 100,000 cases cost a hundred times 1,000 and are never held at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.case_review import ReviewFacts, review_of_facts
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.review_facts import document_review_facts
from asb_desktop.services.casework import Casework, _had_reports, _is_open, _raw_key, _review_words
from asb_desktop.store.case_rows import (
    StoredRow,
    document_text_pages,
    keyed_document_texts,
    stored_rows,
)
from asb_desktop.store.cases import CaseFilter, PageMark
from asb_desktop.support.json_text import JsonPage, read_page

DOCUMENT_PAGE = 500  # documents a page


def stored_row_pages(
    casework: Casework, where: CaseFilter, size: int = 1000
) -> Iterator[list[StoredRow]]:
    """The rows `where` matches in its order, `size` at a time; always at least one page
    (maybe empty)."""
    after: PageMark | None = None
    while True:
        with casework.store.read() as conn:
            page = stored_rows(conn, where, after=after, limit=size)
        yield page
        if len(page) < size:
            return
        after = page[-1].mark


def reviewed_pages(casework: Casework, where: CaseFilter | None = None) -> Iterator[JsonPage]:
    """Every stored document (or those `where` matches, in its order), each one's ASB Case
    Review as of now as `Casework.documents` works it out, a page at a time in one read
    transaction; each page asks once for the other cases of its complainants not read yet.
    Not for an organisation that counts reports about a place (every case may count there:
    `Casework.stream_documents` reads them all)."""
    now, policy = casework.clock(), casework.policy()
    with casework.store.read() as conn:
        peers = _PeerFacts(conn)
        for texts in document_text_pages(conn, where, size=DOCUMENT_PAGE):
            page = read_page(texts)
            _review_now(page, peers, now, policy)
            yield page


def _review_now(
    page: list[dict[str, Any]], peers: _PeerFacts, now: datetime, policy: CasePolicy
) -> None:
    """`Casework.documents`' Case Review as of now, for a page of stored documents, in place:
    only an open case whose stored review counted reports can count any now (a review only
    falls as time passes; a new report of the complainant's is a save, which works their
    other cases out again)."""
    counting = [d for d in page if _is_open(d) and _had_reports(d)]
    peers.prefetch({k for k in map(_raw_key, counting) if k is not None})
    for document in counting:
        own = document_review_facts(document)
        if own is None:  # not plainly there: the whole case read, as before
            try:
                own = ReviewFacts.of(case_from_document(document))
            except InputError:
                continue  # a stored document this reader cannot take: shown as it is
        others = peers.of_key(own.key) if own.key is not None else []
        document["case_review"] = _review_words(review_of_facts(own, others, now, policy))


class _PeerFacts:
    """The Case Review facts of complainants' stored cases, each complainant's read once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._by_key: dict[str, list[ReviewFacts]] = {}

    def prefetch(self, keys: set[str]) -> None:
        wanted = {k for k in keys if k not in self._by_key}
        for key in wanted:
            self._by_key[key] = []
        if not wanted:
            return
        found = keyed_document_texts(self.conn, wanted)
        documents = read_page(text for _, _, text in found)
        for (_, key, _), document in zip(found, documents, strict=True):
            facts = _facts_of(document)
            if facts is not None:
                self._by_key[key].append(facts)

    def of_key(self, key: str) -> list[ReviewFacts]:
        if key not in self._by_key:
            self.prefetch({key})
        return self._by_key[key]


def _facts_of(document: dict[str, Any]) -> ReviewFacts | None:
    """A stored case's facts; None when the reader cannot take it (it counts as no one)."""
    found = document_review_facts(document)
    if found is not None:
        return found
    try:
        return ReviewFacts.of(case_from_document(document))
    except InputError:
        return None


def export_pages(casework: Casework, where: CaseFilter | None = None) -> Iterator[list[Any]]:
    """`Casework.stream_documents`, a page at a time (see `reviewed_pages`)."""
    if not casework.policy().review_place_reporters:
        yield from reviewed_pages(casework, where)
        return
    page: list[Any] = []  # reports about a place: every case may count, all read at once
    for document in casework.stream_documents(where):
        page.append(document)
        if len(page) == DOCUMENT_PAGE:
            yield page
            page = []
    if page:
        yield page
