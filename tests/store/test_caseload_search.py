"""Caseload search gives the same answer whichever way the query is driven (by the matches, or
by walking the open cases' index), with and without the other filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from asb_desktop.app import open_services
from asb_desktop.domain.document import case_from_document
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import cases as case_table
from asb_desktop.store.cases import CaseFilter
from asb_desktop.support.synthetic import synthetic_cases


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory):
    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    services = open_services(Path(tmp_path_factory.mktemp("search")) / "data")
    documents = synthetic_cases(300, seed=21)
    documents[7]["complainant"] = {"anonymous": False, "name": "Siobhán Quinlivan"}
    documents[7]["status"] = {"state": "closed", "reason": "Resolved"}
    documents[8]["involved"] = [
        {"name": "Rare Quinlivan", "address": None, "description": None, "is_employee": False}
    ]
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    yield services, {d["id"]: d for d in documents}
    services.close()


def _tokens(document) -> set[str]:
    """The words the index holds for a case, folded as its tokenizer folds them."""
    import re
    import unicodedata

    raw = case_table.search_text(case_from_document(document))
    plain = unicodedata.normalize("NFKD", raw.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return set(re.findall(r"\w+", plain))


def _expected(documents, words, where: CaseFilter) -> set[str]:
    found = set()
    for case_id, d in documents.items():
        state = (d.get("status") or {}).get("state", "open")
        if where.state and state != where.state:
            continue
        if where.severity and d["severity"] != where.severity:
            continue
        tokens = _tokens(d)
        # Each word typed is a prefix of some word of the case ("nobody-such" is a phrase).
        if all(_phrase_in(word, tokens, d) for word in words):
            found.add(case_id)
    return found


def _phrase_in(word: str, tokens: set[str], document) -> bool:
    parts = word.split("-")
    if len(parts) > 1:
        return False  # no synthetic case holds the phrase
    return any(token.startswith(parts[0]) for token in tokens)


@pytest.mark.parametrize("drives_below", [0, 5, 10_000])
@pytest.mark.parametrize(
    ("words", "where"),
    [
        (["quinlivan"], CaseFilter()),
        (["quinlivan"], CaseFilter(state="open")),
        (["siobhan"], CaseFilter(state="closed")),
        (["stairwell"], CaseFilter(state="open", severity="serious")),
        (["mill"], CaseFilter(state="open")),
        (["nobody-such"], CaseFilter(state="open")),
    ],
)
def test_search_results_do_not_depend_on_the_plan(
    stored, monkeypatch, drives_below, words, where
) -> None:
    services, documents = stored
    monkeypatch.setattr(case_table, "SEARCH_DRIVES_BELOW", drives_below)
    from dataclasses import replace

    query = replace(where, search=" ".join(words))
    rows = services.casework.list_cases(query, limit=1000)
    expected = _expected(documents, words, where)
    assert {row.id for row in rows} == expected
    assert services.casework.count_cases(query) == len(expected)
    assert [r.response_due_at for r in rows] == sorted(r.response_due_at for r in rows)
