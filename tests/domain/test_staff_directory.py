"""The staff directory (`asb-directory/1`): who can be assigned, in the order they are listed."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from asb_desktop.domain.directory import Role, directory_to_document, parse_directory
from asb_desktop.domain.errors import InputError
from tests.domain.domain_builders import DIRECTORY_DOCUMENT, directory


def document() -> dict[str, Any]:
    return copy.deepcopy(DIRECTORY_DOCUMENT)


def read_error(doc: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_directory(doc)
    return caught.value


def test_the_contracts_example_directory_reads() -> None:
    example = {
        "format": "asb-directory/1",
        "staff": [
            {
                "id": "s-ha",
                "name": "Hana Ali",
                "roles": ["housing_officer"],
                "patches": ["EST-NORTH"],
            },
            {
                "id": "s-tl",
                "name": "Tom Lee",
                "roles": ["team_leader"],
                "patches": ["EST-NORTH", "EST-SOUTH"],
            },
            {
                "id": "s-ic",
                "name": "Iris Cole",
                "roles": ["scheme_coordinator"],
                "schemes": ["SCH-OAK"],
            },
        ],
        "estates": [{"code": "EST-NORTH", "name": "Northfields"}],
        "schemes": [{"code": "SCH-OAK", "name": "Oak Court", "kind": "independent_living"}],
    }
    read = parse_directory(example)
    assert [s.id for s in read.staff] == ["s-ha", "s-tl", "s-ic"]
    tom = read.member("s-tl")
    assert tom is not None
    assert tom.patches == ("EST-NORTH", "EST-SOUTH")
    assert read.member("s-nobody") is None
    assert read.schemes[0].kind == "independent_living"


def test_staff_keep_their_listed_order_for_first_listed_rules() -> None:
    officers = directory().with_role(Role.HOUSING_OFFICER)
    assert [s.id for s in officers] == ["s-ha", "s-hb", "s-hs"]
    assert [s.id for s in directory().with_role(Role.TEAM_LEADER)] == ["s-tl", "s-tn"]


def test_someone_can_hold_several_roles() -> None:
    nia = directory().member("s-tn")
    assert nia is not None
    assert nia.roles == {Role.TEAM_LEADER, Role.LINE_MANAGER}


def test_writing_a_directory_and_reading_it_back_gives_the_same_directory() -> None:
    assert parse_directory(directory_to_document(directory())) == directory()


def test_an_empty_directory_is_allowed() -> None:
    empty = parse_directory({"format": "asb-directory/1"})
    assert (empty.staff, empty.estates, empty.schemes) == ((), (), ())


def test_the_roles_are_the_contracts_ten() -> None:
    assert {r.value for r in Role} == {
        "housing_officer",
        "enforcement_officer",
        "scheme_coordinator",
        "team_leader",
        "line_manager",
        "housing_manager",
        "health_safety_adviser",
        "hr_od_manager",
        "director_of_operations",
        "admin",
    }


def test_an_unknown_role_is_named_with_its_entry() -> None:
    doc = document()
    doc["staff"][3]["roles"] = ["team_leader", "wizard"]
    error = read_error(doc)
    assert error.field == "staff[3].roles[1]"
    assert "'wizard' is not a known role" in str(error)


def test_a_staff_id_listed_twice_is_rejected_at_its_second_entry() -> None:
    doc = document()
    doc["staff"][4]["id"] = "s-ha"
    error = read_error(doc)
    assert error.field == "staff[4].id"
    assert "'s-ha' is listed twice" in str(error)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["staff"][1].pop("name"), "staff[1].name"),
        (lambda d: d["staff"][1].update(id="  "), "staff[1].id"),
        (lambda d: d["staff"][2].update(roles=[]), "staff[2].roles"),
        (lambda d: d["staff"][2].update(roles="housing_officer"), "staff[2].roles"),
        (lambda d: d["staff"][0].update(patches="EST-NORTH"), "staff[0].patches"),
        (lambda d: d["staff"][0].update(patches=["EST-NORTH", 7]), "staff[0].patches[1]"),
        (lambda d: d["staff"][5].update(schemes=[""]), "staff[5].schemes[0]"),
        (lambda d: d["staff"][0].update(email="h@example.org"), "staff[0].email"),
        (lambda d: d["estates"][1].update(code=None), "estates[1].code"),
        (lambda d: d["estates"][0].update(manager="x"), "estates[0].manager"),
        (lambda d: d["schemes"][0].update(kind=3), "schemes[0].kind"),
        (lambda d: d["schemes"][1].pop("name"), "schemes[1].name"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.update(format="asb-directory/2"), "format"),
        (lambda d: d["staff"].append("s-new"), "staff[8]"),
    ],
)
def test_a_wrong_entry_is_named_with_its_field(change, path: str) -> None:
    doc = document()
    change(doc)
    error = read_error(doc)
    assert error.field == path
    assert str(error).startswith(f"field {path}: ")


@pytest.mark.parametrize("part", ["staff", "estates", "schemes"])
@pytest.mark.parametrize("value", ["s-ha", {"id": "s-ha"}, 3, True])
def test_staff_estates_and_schemes_must_be_lists(part: str, value: Any) -> None:
    doc = document()
    doc[part] = value
    error = read_error(doc)
    assert error.field == part
    assert "list" in error.problem


@pytest.mark.parametrize("document", [[], "asb-directory/1", None])
def test_a_directory_that_is_not_an_object_is_rejected(document: Any) -> None:
    assert "JSON object" in str(read_error(document))
