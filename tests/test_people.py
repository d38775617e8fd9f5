"""Naming people: a name someone of yours already has asks "same person?" before it makes a
second one; a yes merges, a no keeps two people of that name; names are suggested as typed.

The faces come from the real face model (dlib, loaded once per test process) on t1.jpg, six
different people; with ``face_min_faces=3`` one photo leaves all six unassigned, to be named.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import ADMIN_PASSWORD, bearer

PP = "/api/v1/people"


@pytest.fixture
def faces_client(app_client: Callable[..., TestClient], group_photo: Image.Image) -> TestClient:
    return app_client(enrichments="faces", face_min_faces=3)


def _faces(c: TestClient, photo: Image.Image, headers: dict[str, str] | None = None
           ) -> list[int]:
    """Upload the photo; the ids of the faces found in it, none of them anyone's yet."""
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90)
    up = c.post("/api/v1/assets", files={"file": ("group.jpg", buf.getvalue())},
                headers=headers)
    assert up.status_code == 201, up.text
    faces = c.get(f"/api/v1/assets/{up.json()['asset']['id']}/faces", headers=headers).json()
    assert len(faces) == 6 and not any(f["person_id"] for f in faces)
    return [f["id"] for f in faces]


def _name(c: TestClient, name: str, face_ids: list[int], headers: dict[str, str] | None = None,
          **extra: Any) -> Any:
    return c.post(PP, json={"name": name, "face_ids": face_ids, **extra}, headers=headers)


def _named(c: TestClient, headers: dict[str, str] | None = None) -> list[tuple[str, int]]:
    return sorted((p["name"], p["face_count"]) for p in c.get(PP, headers=headers).json()
                  if p["name"])


def test_a_taken_name_asks_before_making_a_second_person(faces_client: TestClient,
                                                         group_photo: Image.Image) -> None:
    c = faces_client
    f = _faces(c, group_photo)
    tom = _name(c, "Tom", [f[0]])
    assert tom.status_code == 201, tom.text
    tom_id = tom.json()["id"]
    jose = _name(c, "Jos\u00e9", [f[1]]).json()  # é composed (NFC)

    # Case, spacing and Unicode forms (fullwidth letters, é decomposed) make no new name.
    for name, same in (("tom ", tom_id), ("  TOM", tom_id), ("\uff54\uff4f\uff4d", tom_id),
                       ("jose\u0301", jose["id"]), ("JOS\u00c9", jose["id"])):
        r = _name(c, name, [f[2]])
        assert r.status_code == 409, (name, r.text)
        error = r.json()["error"]
        assert error["code"] == "same_name" and '"merge"' in error["message"]
        assert error["details"]["matches"] == 1
        assert error["details"]["person"]["id"] == same
    details = _name(c, "tom", [f[2]]).json()["error"]["details"]["person"]
    assert details == {"id": tom_id, "name": "Tom", "birth_date": None, "hidden": False,
                       "face_count": 1, "asset_count": 1, "cover_face_id": f[0],
                       "cover": f"/api/v1/faces/{f[0]}/crop"}
    assert c.get(details["cover"]).status_code == 200
    # Nothing was made or moved by the questions.
    assert _named(c) == [("Jos\u00e9", 1), ("Tom", 1)]
    assert f[2] in [x["id"] for x in c.get("/api/v1/faces/unassigned").json()]

    # Renaming another person to the name asks the same; the person keeps their name.
    ann = _name(c, "Ann", [f[3]]).json()["id"]
    r = c.patch(f"{PP}/{ann}", json={"name": "TOM ", "birth_date": "1990-01-01"})
    assert r.status_code == 409 and r.json()["error"]["details"]["person"]["id"] == tom_id
    assert c.get(f"{PP}/{ann}").json()["name"] == "Ann"
    assert c.get(f"{PP}/{ann}").json()["birth_date"] is None  # the whole change waited
    # Other names are other names; a person renamed to their own name is no question.
    assert _name(c, "Tomás", [f[4]]).status_code == 201
    assert _name(c, "Tom Hanks", [f[5]]).status_code == 201
    again = c.patch(f"{PP}/{tom_id}", json={"name": " tom\t"})
    assert again.status_code == 200 and again.json()["name"] == "tom"  # spaces tidied
    assert c.patch(f"{PP}/{tom_id}", json={"name": "Tom"}).json()["name"] == "Tom"
    # Unnamed is no name to clash with.
    assert c.patch(f"{PP}/{ann}", json={"name": ""}).json()["name"] is None


def test_merge_on_confirmation_moves_faces_and_removes_the_person(
        faces_client: TestClient, group_photo: Image.Image) -> None:
    c = faces_client
    f = _faces(c, group_photo)
    tom = _name(c, "Tom", [f[0]]).json()["id"]
    c.patch(f"{PP}/{tom}", json={"birth_date": "1956-07-09", "cover_face_id": f[0]})
    ann = _name(c, "Ann", [f[1], f[2]]).json()["id"]
    c.patch(f"{PP}/{ann}", json={"birth_date": "2001-02-03"})
    photo = c.get(f"{PP}/{tom}").json()["asset_ids"][0]

    def found(q: str) -> list[int]:
        return [h["asset"]["id"] for h in c.get("/api/v1/search", params={"q": q}).json()["items"]]

    assert found("Ann") == [photo]

    # Naming a face with the name, merge confirmed: the face joins Tom, nobody new is made.
    joined = _name(c, "TOM", [f[3]], merge=True)
    assert joined.status_code == 200, joined.text
    assert joined.json()["id"] == tom and joined.json()["face_count"] == 2

    # Renaming Ann to Tom, merge confirmed: her faces are Tom's, her row is gone, and Tom
    # keeps his name, birth date and cover.
    merged = c.patch(f"{PP}/{ann}", json={"name": "tom ", "merge": True})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert (body["id"], body["name"], body["birth_date"], body["cover_face_id"],
            body["face_count"]) == (tom, "Tom", "1956-07-09", f[0], 4)
    assert c.get(f"{PP}/{ann}").status_code == 404
    assert _named(c) == [("Tom", 4)]
    assert sorted(x["id"] for x in c.get(f"{PP}/{tom}/faces").json()) == sorted(f[:4])
    faces = {x["id"]: x for x in c.get(f"/api/v1/assets/{photo}/faces").json()}
    assert all(faces[i]["person_id"] == tom and faces[i]["assigned_by"] == "user"
               for i in f[:4])
    # Search knows: nobody called Ann is in the photo any more.
    assert found("Ann") == [] and found("Tom") == [photo]
    assert found(f"person:{ann}") == [] and found("person:tom") == [photo]

    # Both merges are in the audit log, by whom and what moved.
    log = c.get("/api/v1/audit", params={"action": "person.merge"}).json()
    assert [(e["target_type"], e["target_id"]) for e in log] == [("person", tom)] * 2
    assert log[0]["details"] == {"people": [ann], "faces": 2}
    assert log[1]["details"] == {"people": [], "faces": 1}
    assert log[0]["actor_user_id"] == c.get("/api/v1/auth/me").json()["user"]["id"]

    # The merge endpoint is the same merge (and its log entry).
    bo = _name(c, "Bo", [f[4]]).json()["id"]
    assert c.post(f"{PP}/{tom}/merge", json={"person_ids": [bo]}).json()["changed"] == 1
    assert c.get(f"{PP}/{bo}").status_code == 404 and _named(c) == [("Tom", 5)]
    assert len(c.get("/api/v1/audit", params={"action": "person.merge"}).json()) == 3


def test_keep_separate_makes_two_people_of_one_name(faces_client: TestClient,
                                                     group_photo: Image.Image) -> None:
    c = faces_client
    f = _faces(c, group_photo)
    first = _name(c, "Maria", [f[0]]).json()["id"]
    second = _name(c, "maria ", [f[1], f[2]], merge=False)
    assert second.status_code == 201, second.text
    assert second.json()["id"] != first and second.json()["name"] == "maria"
    renamed = c.patch(f"{PP}/{first}", json={"name": "MARIA", "merge": False})
    assert renamed.status_code == 200 and renamed.json()["id"] == first
    assert _named(c) == [("MARIA", 1), ("maria", 2)]
    # A third asks about the one with the most faces, and says there are two.
    r = _name(c, "Maria", [f[3]])
    assert r.status_code == 409
    assert r.json()["error"]["details"]["matches"] == 2
    assert r.json()["error"]["details"]["person"]["id"] == second.json()["id"]
    # ... which is the one a merge goes to.
    assert _name(c, "Maria", [f[3]], merge=True).json()["id"] == second.json()["id"]
    # "merge": false where no one has the name is just a name.
    assert _name(c, "Zoe", [f[4]], merge=False).status_code == 201


def test_names_suggested_by_prefix_most_faces_first(faces_client: TestClient,
                                                    group_photo: Image.Image) -> None:
    c = faces_client
    f = _faces(c, group_photo)
    andre = _name(c, "André", [f[0]]).json()["id"]
    anna = _name(c, "Anna Smith", [f[1], f[2]]).json()["id"]
    hidden = _name(c, "Anja", [f[3]]).json()["id"]
    c.patch(f"{PP}/{hidden}", json={"hidden": True})
    _name(c, "Bob", [f[4]])
    c.patch(f"/api/v1/faces/{f[5]}", json={"person_id": None})  # no unnamed person listed

    def names(**params: Any) -> list[int]:
        r = c.get(PP, params=params)
        assert r.status_code == 200, r.text
        return [p["id"] for p in r.json()]

    assert names(q="an") == [anna, andre]  # most faces first
    assert names(q="AN", limit=1) == [anna]
    assert names(q="smi") == [anna]  # a word of the name
    assert names(q="andre") == [andre]  # accents aside, as in search
    assert names(q="an", hidden="true") == [anna, andre, hidden]
    assert names(q="zz") == []
    # Hidden from People is not renamed: the name still asks.
    assert _name(c, "anja", [f[5]]).json()["error"]["details"]["person"]["id"] == hidden
    first = c.get(PP, params={"q": "an"}).json()[0]
    assert (first["name"], first["face_count"], first["cover"]) == (
        "Anna Smith", 2, f"/api/v1/faces/{c.get(f'{PP}/{anna}').json()['cover_face_id']}/crop")


def test_other_owners_people_are_never_matched_or_merged(faces_client: TestClient,
                                                         group_photo: Image.Image) -> None:
    c = faces_client
    mine = _faces(c, group_photo)
    tom = _name(c, "Tom", [mine[0]]).json()["id"]
    ann = _name(c, "Ann", [mine[1]]).json()["id"]
    c.post("/api/v1/users", json={"username": "zed", "password": ADMIN_PASSWORD})
    zed = {"Authorization": bearer(c, "zed", ADMIN_PASSWORD)}
    theirs = _faces(c, group_photo, zed)

    # Zed's Tom is a name of Zed's own: nobody else's Tom is asked about or suggested.
    zed_tom = _name(c, "tom", [theirs[0]], zed)
    assert zed_tom.status_code == 201, zed_tom.text
    zed_tom_id = zed_tom.json()["id"]
    assert [p["id"] for p in c.get(PP, params={"q": "to"}, headers=zed).json()] == [zed_tom_id]
    assert [p["id"] for p in c.get(PP, params={"q": "to"}).json()] == [tom]
    assert _name(c, "Ann", [theirs[1]], zed, merge=True).status_code == 201

    # Nobody names, merges or renames into what is not theirs.
    assert _name(c, "Tom", [mine[2]], zed, merge=True).status_code == 404
    assert c.patch(f"{PP}/{tom}", json={"name": "x", "merge": True},
                   headers=zed).status_code == 404
    assert c.post(f"{PP}/{zed_tom_id}/merge", json={"person_ids": [tom]},
                  headers=zed).status_code == 404
    assert c.post(f"{PP}/{tom}/merge", json={"person_ids": [zed_tom_id]}).status_code == 404
    # A merge by name finds the caller's own Tom only.
    merged = c.patch(f"{PP}/{ann}", json={"name": "Tom", "merge": True})
    assert merged.status_code == 200 and merged.json()["id"] == tom
    assert _named(c) == [("Tom", 2)]
    assert _named(c, zed) == [("Ann", 1), ("tom", 1)]


def test_bad_names_and_queries_are_refused(client: TestClient) -> None:
    def refused(r: Any, where: str) -> None:
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == "invalid_input" and where in error["message"], error

    for name in ("", "   ", "x" * 500):
        refused(client.post(PP, json={"name": name, "face_ids": [1]}), "name")
    refused(client.post(PP, json={"name": "Tom", "face_ids": [1], "merge": "yes"}), "merge")
    refused(client.patch(f"{PP}/1", json={"name": "x" * 500}), "name")
    refused(client.patch(f"{PP}/1", json={"name": "Tom", "merge": 1}), "merge")
    refused(client.get(PP, params={"q": "x" * 500}), "q")
    refused(client.get(PP, params={"q": ""}), "q")
    refused(client.get(PP, params={"q": "a", "limit": 0}), "limit")
    # Well-formed but nobody's: not found, as before.
    assert client.post(PP, json={"name": "Tom", "face_ids": [1]}).status_code == 404
    assert client.patch(f"{PP}/1", json={"name": "Tom", "merge": True}).status_code == 404
