"""Every case, for a command that goes through them all: `asb-desktop list` (the rows as
stored) and an export or `list --json` (the documents, each Case Review as of now), a page at
a time, so 100,000 cases cost a hundred times 1,000 and are never held at once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.case_review import ReviewFacts, add_months, review_of_facts
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.review_facts import document_review_facts
from asb_desktop.services.casework import Casework, _had_reports, _is_open, _review_words
from asb_desktop.store.case_rows import (
    PrettyRow,
    StoredRow,
    document_text_pages,
    keyed_rowids,
    pretty_document_pages,
    stored_rows,
    texts_by_rowid,
)
from asb_desktop.store.cases import CaseFilter, PageMark
from asb_desktop.support import collector
from asb_desktop.support.json_text import (
    JsonPage,
    indented_pages,
    loads,
    read_page,
    read_unchecked,
    settle,
)

DOCUMENT_PAGE = 500  # documents a page


def stored_row_pages(
    casework: Casework, where: CaseFilter, size: int = 1000
) -> Iterator[list[StoredRow]]:
    """The rows `where` matches in its order, `size` at a time; always at least one page
    (maybe empty)."""
    after: PageMark | None = None
    while True:
        with casework.store.read() as conn, collector.paused():
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
    window = _Window(casework.clock(), casework.policy())
    # No automatic collection until the last page: each page is tens of thousands of objects
    # and no cycles, and a collection after each would walk all of them (the pages' writer,
    # between pages, makes none either).
    with collector.paused(), casework.store.read() as conn:
        peers = _PeerFacts(conn, window)
        for found in document_text_pages(conn, where, size=DOCUMENT_PAGE):
            page = read_unchecked(found.texts)  # by orjson, checked once reviewed
            changed = _review_now(page, found.rowids, peers, window)
            if not settle(page, changed):
                page = read_page(found.texts)  # not orjson's to write: read as before
                _review_now(page, found.rowids, peers, window)
            yield page


class _Window:
    """The Case Review's window as of `now`: only a report made in it (after `since`, not
    after `now`) can count (`report_qualifies`' first test, worked out once an export rather
    than for every report), so a case's other reports are left out of its facts."""

    def __init__(self, now: datetime, policy: CasePolicy) -> None:
        self.now, self.policy = now, policy
        self.since = add_months(now, -policy.review_window_months)

    def recent(self, facts: ReviewFacts) -> ReviewFacts:
        """The facts with only the reports made in the window (the same Case Review)."""
        since, now = self.since, self.now
        kept = tuple(r for r in facts.reports if since < r[0] <= now)
        if len(kept) == len(facts.reports):
            return facts
        return ReviewFacts(facts.id, facts.anonymous, facts.key, kept, facts.hate)


def _review_now(
    page: list[dict[str, Any]], rowids: list[int], peers: _PeerFacts, window: _Window
) -> dict[int, dict[str, Any]]:
    """`Casework.documents`' Case Review as of now, for a page of stored documents, in place:
    only an open case whose stored review counted reports can count any now (a review only
    falls as time passes; a new report of the complainant's is a save, which works their
    other cases out again). Returns the documents changed: {index: {"case_review": before}}."""
    owned: list[tuple[int, ReviewFacts]] = []
    for index, document in enumerate(page):
        if not (_is_open(document) and _had_reports(document)):
            continue
        own = _facts_of(document)  # not plainly there: the whole case read, as before
        if own is not None:  # None: a stored document this reader cannot take, shown as it is
            owned.append((index, window.recent(own)))
    on_page = dict(zip(rowids, page, strict=True))
    peers.prefetch({own.key for _, own in owned if own.key is not None}, on_page)
    changed: dict[int, dict[str, Any]] = {}
    for index, own in owned:
        document = page[index]
        others = peers.of_key(own.key) if own.key is not None else []
        review = _review_words(review_of_facts(own, others, window.now, window.policy))
        before = document.get("case_review", _ABSENT)
        if not _written_alike(before, review):
            changed[index] = {"case_review": before}
        document["case_review"] = review
    return changed


_ABSENT = object()  # no key, so nothing to replace in the stored text: read as before


def _written_alike(before: Any, review: dict[str, Any]) -> bool:
    """Does the stored review read back as this one's JSON text: the same keys in the same
    order, each value of the same type (1 is not true)?"""
    return (
        isinstance(before, dict)
        and list(before) == list(review)
        and all(type(before[k]) is type(v) and before[k] == v for k, v in review.items())
    )


class _PeerFacts:
    """The Case Review facts of complainants' stored cases, each complainant's read once (their
    cases found by the key's index; a case on the page read from it, any other from the store);
    of each case only its reports in the window, and only a case with one is kept."""

    def __init__(self, conn: Connection, window: _Window) -> None:
        self.conn = conn
        self.window = window
        self._by_key: dict[str, list[ReviewFacts]] = {}

    def prefetch(self, keys: set[str], on_page: dict[int, dict[str, Any]] | None = None) -> None:
        """Each complainant's cases' facts, those not read yet; a case in `on_page` (by
        rowid: documents already read) is read from there."""
        wanted = {k for k in keys if k not in self._by_key}
        for key in wanted:
            self._by_key[key] = []
        if not wanted:
            return
        on_page = on_page or {}
        elsewhere: dict[int, str] = {}
        for rowid, key in keyed_rowids(self.conn, wanted):
            # A case on the page, its facts plainly there (strings alone, which orjson and the
            # standard library read alike): from the page; any other read from the store.
            facts = document_review_facts(on_page[rowid]) if rowid in on_page else None
            if facts is None:
                elsewhere[rowid] = key
            else:
                self._keep(key, facts)
        found = texts_by_rowid(self.conn, elsewhere)
        documents = read_page(text for _, text in found)
        for (rowid, _), document in zip(found, documents, strict=True):
            facts = _facts_of(document)
            if facts is not None:
                self._keep(elsewhere[rowid], facts)

    def _keep(self, key: str, facts: ReviewFacts) -> None:
        if (recent := self.window.recent(facts)).reports:
            self._by_key[key].append(recent)

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


def export_bytes(casework: Casework, ids: list[str]) -> Iterator[bytes]:
    """Every stored document by when it was received, each Case Review as of now, as the UTF-8
    bytes of `json.dumps(all of them, ensure_ascii=False, indent=2) + "\\n"`, a page at a
    time; each one's id noted in `ids` as it goes. SQLite indents each stored text in C; only
    a case whose Case Review may count something now is read in Python (to work it out, and,
    when it changed, to put it in the indented text). Every stored text is one `json.dumps`
    wrote, so SQLite's indenting, which keeps each number and string as written, is the
    standard library's (NaN and Infinity, which are not strict JSON, go the old way)."""
    if casework.policy().review_place_reporters:
        yield from indented_pages(noted(export_pages(casework), ids))
        return
    window = _Window(casework.clock(), casework.policy())
    first = True
    with collector.paused(), casework.store.read() as conn:  # see reviewed_pages
        peers = _PeerFacts(conn, window)
        for rows in pretty_document_pages(conn, size=DOCUMENT_PAGE):
            ids.extend(row.id for row in rows)
            elements = _reviewed_texts(rows, peers, window)
            yield (b"[\n  " if first else b",\n  ") + b",\n  ".join(
                text.replace(b"\n", b"\n  ") for text in elements
            )
            first = False
    yield b"[]\n" if first else b"\n]\n"


def noted(pages: Iterable[list[dict[str, Any]]], ids: list[str]) -> Iterator[list[Any]]:
    """The pages as they go by, each document's id noted (for the count and the disclosure
    log)."""
    for page in pages:
        ids.extend(document["id"] for document in page)
        yield page


def _reviewed_texts(rows: list[PrettyRow], peers: _PeerFacts, window: _Window) -> list[bytes]:
    """Each row's document indented (`json.dumps(..., indent=2)`), its Case Review as of now."""
    texts: list[bytes | None] = [row.pretty for row in rows]  # None: written as before
    read: dict[int, dict[str, Any]] = {}  # by index: the documents read to work a review out
    exact: dict[int, dict[str, Any]] = {}  # by index: read by the standard library
    for index, row in enumerate(rows):
        if row.pretty is None or _escaped(row.text):  # read and written as before
            texts[index] = None
            read[index] = exact[index] = read_page([row.text])[0]
        elif _may_count(row):
            read[index] = loads(row.text)  # strict JSON: strings read as json.loads reads them
    owned = []
    for index, document in read.items():
        if _is_open(document) and _had_reports(document):
            own = document_review_facts(document)  # from strings alone: read alike
            if own is None:  # not plainly there: the whole case read, as before
                own = _facts_of(exact.setdefault(index, read_page([rows[index].text])[0]))
            if own is not None:  # None: a stored document this reader cannot take, as it is
                owned.append((index, window.recent(own)))
    on_page = {rows[index].rowid: document for index, document in read.items()}
    peers.prefetch({own.key for _, own in owned if own.key is not None}, on_page)
    for index, own in owned:
        others = peers.of_key(own.key) if own.key is not None else []
        review = _review_words(review_of_facts(own, others, window.now, window.policy))
        before = read[index].get("case_review", _ABSENT)
        text = texts[index]
        if text is not None and not _written_alike(before, review):
            texts[index] = _with_review(text, before, review)
        if texts[index] is None:
            document = exact.get(index) or read_page([rows[index].text])[0]
            texts[index] = _indented({**document, "case_review": review})
    return [text if text is not None else _indented(exact[i]) for i, text in enumerate(texts)]


def _indented(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _escaped(text: bytes) -> bool:
    """Any escape SQLite would keep as written that the standard library writes otherwise (it
    writes a \\u escape only for a control character, and never \\/): read as before. A
    control character in a stored text is rare."""
    return b"\\u" in text or b"\\/" in text


def _may_count(row: PrettyRow) -> bool:
    """`_is_open` and `_had_reports` of the document, from its status and review alone."""
    status = None if row.status is None else loads(row.status)
    review = None if row.case_review is None else loads(row.case_review)
    return _is_open({"status": status}) and _had_reports({"case_review": review})


def _with_review(text: bytes, before: Any, review: dict[str, Any]) -> bytes | None:
    """The indented document with its top-level `case_review` (the line that starts with two
    spaces) given the new review; None when the old one is not there as the standard library
    writes it (or the document had none)."""
    if before is _ABSENT:
        return None
    old, new = _review_member(before), _review_member(review)
    for end in (b",\n", b"\n}"):
        if text.count(old + end) == 1 and text.count(old) == 1:
            return text.replace(old + end, new + end)
    return None


def _review_member(value: Any) -> bytes:
    shown = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return f'\n  "case_review": {shown}'.encode()


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
