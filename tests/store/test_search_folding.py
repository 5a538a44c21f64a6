"""The caseload search ignores case and accents on both sides, on a real SQLCipher store: the
index holds folded words, the query is folded the same way, and a store written before the
folding (or before the caseload's row words) is brought up to it by its migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from asb_desktop.app import Services, services_for
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.search_folding import fold_for_search
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import cases as case_table
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import DATABASE_FILE, Store
from asb_desktop.store.tables import cases
from asb_desktop.support.synthetic import synthetic_cases
from tests.store.store_support import (
    SAMPLE_ACTOR,
    SAMPLE_CLOCK,
    SEARCH_INDEX,
    TEST_KEYS,
    column_names,
    engine_for,
    migrate_to,
)

NAMES = {
    "lukasiewicz": "Józef Łukasiewicz",
    "dvorak": "Antonín Dvořák",
    "nguyen": "Nguyễn Văn An",
    "zoe": "Zoë Smith",
    "overgaard": "Søren Øvergaard",
    "dordevic": "Đorđe Đorđević",
    "isik": "Ayşe Işık",
    "gudrun": "Guðrún Þórsdóttir",
}


def _documents() -> list[dict[str, Any]]:
    documents = synthetic_cases(len(NAMES) + 3, seed=505)
    for document, name in zip(documents, NAMES.values(), strict=False):
        document["complainant"] = {"anonymous": False, "name": name}
    documents[len(NAMES)]["complainant"] = {"anonymous": False, "name": "Anna Lukasiewicz"}
    documents[len(NAMES) + 1]["complainant"] = {"anonymous": False, "name": "Max Straße"}
    documents[len(NAMES) + 2]["complainant"] = {"anonymous": True}
    documents[len(NAMES) + 2]["incidents"][0]["description"] = "Shouting\nat the  door"
    return documents


def _open(folder: Path) -> Services:
    return services_for(
        Store.open(folder, TEST_KEYS), actor=SAMPLE_ACTOR, clock=lambda: SAMPLE_CLOCK
    )


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, dict[str, str]]]:
    services = _open(tmp_path_factory.mktemp("folding"))
    documents = _documents()
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    names = {d["complainant"].get("name") or "": d["id"] for d in documents}
    yield services, names
    services.close()


def _found(services: Services, words: str) -> set[str]:
    rows = services.casework.list_cases(CaseFilter(search=words), limit=1000)
    assert services.casework.count_cases(CaseFilter(search=words)) == len(rows)
    return {row.id for row in rows}


@pytest.mark.parametrize("typed", list(NAMES))
def test_a_search_typed_without_accents_finds_the_accented_name(stored, typed: str) -> None:
    services, names = stored
    assert names[NAMES[typed]] in _found(services, typed)
    assert names[NAMES[typed]] in _found(services, typed.upper())


@pytest.mark.parametrize("name", list(NAMES.values()))
def test_the_name_typed_with_its_accents_finds_itself(stored, name: str) -> None:
    services, names = stored
    assert names[name] in _found(services, name)
    assert names[name] in _found(services, name.lower())


def test_the_other_way_round_accented_words_find_plain_ones(stored) -> None:
    services, names = stored
    found = _found(services, "ŁUKASIEWICZ")
    assert found == {names["Józef Łukasiewicz"], names["Anna Lukasiewicz"]}
    assert names["Max Straße"] in _found(services, "strasse")
    assert names["Max Straße"] in _found(services, "STRASSE")


def test_the_index_holds_folded_words_and_the_query_is_folded_the_same_way(stored) -> None:
    services, _ = stored
    with services.store.read() as conn:
        bodies = list(conn.execute(text(f"SELECT body FROM {SEARCH_INDEX}")).scalars())
    joined = "\n".join(bodies)
    assert "lukasiewicz" in joined and "Ł" not in joined and "ł" not in joined
    assert all(body == fold_for_search(body) for body in bodies)
    assert case_table.fts_query("Łukasiewicz Dvořák") == '"lukasiewicz"* "dvorak"*'


def test_rows_carry_the_complainant_and_the_latest_incident_in_one_line(stored) -> None:
    services, names = stored
    rows = {row.id: row for row in services.casework.list_cases(CaseFilter(), limit=1000)}
    assert rows[names["Zoë Smith"]].complainant_name == "Zoë Smith"
    anonymous = rows[names[""]]
    assert anonymous.anonymous and anonymous.complainant_name is None
    assert anonymous.latest_incident == "Shouting at the door"


# --- stores written before the folding and before the row words ----------------------------------


def _rows_as_written_before(tmp: Path) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The cases' rows and search entries as today's code writes them, but with the index words
    unfolded, as every release before 0007 wrote them."""
    services = _open(tmp)
    documents = _documents()
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    try:
        with services.store.read() as conn:
            rows = [dict(row) for row in conn.execute(select(cases)).mappings()]
    finally:
        services.close()
    by_id = {d["id"]: d for d in documents}
    unfolded = {}
    for row in rows:
        case = case_from_document(by_id[row["id"]])
        parts = [case.complainant.name, case.estate, case.supported_scheme]
        parts += [i.description for i in case.incidents]
        unfolded[row["search_key"]] = "\n".join(p for p in parts if p)
    return rows, unfolded


@pytest.mark.parametrize("revision", ["0005", "0006"])
def test_an_older_store_is_back_filled_and_folded_by_its_migrations(
    tmp_path: Path, revision: str
) -> None:
    rows, unfolded = _rows_as_written_before(tmp_path / "today")
    folder = tmp_path / "older"
    folder.mkdir()
    engine = engine_for(folder / DATABASE_FILE)
    try:
        with engine.begin() as conn:
            migrate_to(conn, revision)
            present = set(column_names(conn, "cases"))
            cut = [{k: v for k, v in row.items() if k in present} for row in rows]
            conn.execute(insert(cases), cut)
            conn.execute(
                text(f"INSERT INTO {SEARCH_INDEX} (rowid, body) VALUES (:key, :body)"),
                [{"key": key, "body": body} for key, body in unfolded.items()],
            )
            found = conn.execute(
                text(f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH 'lukasiewicz'")
            ).all()
            assert len(found) == 1, "before the folding only the plain spelling is found"
    finally:
        engine.dispose()
    if revision == "0005":
        assert "complainant_name" not in present

    services = _open(folder)  # opening runs the migrations to head
    try:
        by_name = {row["complainant_name"]: row["id"] for row in rows}
        assert _found(services, "lukasiewicz") == {
            by_name["Józef Łukasiewicz"],
            by_name["Anna Lukasiewicz"],
        }
        assert by_name["Đorđe Đorđević"] in _found(services, "dordevic")
        listed = {r.id: r for r in services.casework.list_cases(CaseFilter(), limit=1000)}
        for row in rows:
            assert listed[row["id"]].complainant_name == row["complainant_name"]
            assert listed[row["id"]].latest_incident == row["latest_incident"]
        (anonymous,) = [r for r in listed.values() if r.anonymous]
        assert anonymous.complainant_name is None
        assert anonymous.latest_incident == "Shouting at the door"
        with services.store.read() as conn:
            bodies = dict(conn.execute(text(f"SELECT rowid, body FROM {SEARCH_INDEX}")).all())
        assert bodies == {key: fold_for_search(body) for key, body in unfolded.items()}
    finally:
        services.close()
