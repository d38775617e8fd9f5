"""More like this and related events (issue 30): real uploads with EXIF times and GPS, the
pipeline's perceptual hashes, named people; only what the viewer may see, with reasons."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient

from albumen.db.models import Face, Person
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "a-long-password"
LISBON, LISBON_NEAR, PARIS = (38.7223, -9.1393), (38.7250, -9.1393), (48.8566, 2.3522)


def _photo(c: TestClient, seed: int, taken: str, gps: tuple[float, float] | None = None,
           event_id: int | None = None, size: tuple[int, int] = (320, 240),
           headers: dict[str, str] | None = None) -> int:
    """A generated photo; the same ``seed`` at another ``size`` is the same picture scaled
    (a copy a phone made smaller, another shot of the same scene)."""
    picture = images.photo(320, 240, seed).resize(size)
    buf = io.BytesIO()
    picture.save(buf, "JPEG", quality=90, exif=images.exif_bytes(taken=taken, gps=gps))
    data = buf.getvalue()
    params = {"event_id": event_id} if event_id else {}
    r = c.post("/api/v1/assets", params=params, headers=headers or {},
               files={"file": (f"r{seed}-{size[0]}.jpg", data)})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def _name(owner_id: int, name: str, asset_ids: list[int]) -> None:
    with get_runtime().transaction() as session:
        person = Person(owner_id=owner_id, name=name)
        session.add(person)
        session.flush()
        for asset_id in asset_ids:
            session.add(Face(asset_id=asset_id, owner_id=owner_id, person_id=person.id,
                             assigned_by="user", box_x=0.4, box_y=0.3, box_w=0.2, box_h=0.3,
                             size_px=80))


def test_more_like_this_from_look_time_place_and_people(client: TestClient) -> None:
    c = client
    base = _photo(c, 1, "2024:06:01 18:00:00", LISBON)
    copy = _photo(c, 1, "2024:06:01 18:05:00", LISBON_NEAR, size=(640, 480))  # the same scene
    anna_elsewhere = _photo(c, 3, "2024:05:01 12:00:00", PARIS)
    unrelated = _photo(c, 4, "2020:01:01 12:00:00")
    _name(1, "Anna", [base, anna_elsewhere])
    c.post("/api/v1/users", json={"username": "other", "password": PASSWORD})
    other = {"Authorization": bearer(c, "other", PASSWORD)}
    private = _photo(c, 1, "2024:06:01 18:01:00", LISBON, headers=other)  # not ours to see

    r = c.get(f"/api/v1/assets/{base}/related")
    assert r.status_code == 200, r.text
    found = {x["asset"]["id"]: x for x in r.json()}
    assert [x["asset"]["id"] for x in r.json()][:2] == [copy, anna_elsewhere]
    assert set(found) == {copy, anna_elsewhere}  # nothing unrelated, nothing private
    assert unrelated not in found and private not in found
    near = found[copy]
    assert {"look", "time", "place"} <= set(near["signals"])
    assert "looks alike" in near["reasons"] and "taken 5 min apart" in near["reasons"]
    assert any(r.startswith("taken 300 m away") or r.startswith("taken 3")
               for r in near["reasons"])
    assert found[anna_elsewhere]["reasons"] == ["with Anna"]
    assert found[anna_elsewhere]["signals"] == {"people": 1.0}
    # The other way round, and for someone who may not see the photo.
    back = [x["asset"]["id"] for x in c.get(f"/api/v1/assets/{copy}/related").json()]
    assert back[0] == base
    assert c.get(f"/api/v1/assets/{base}/related", headers=other).status_code == 404
    mine = c.get(f"/api/v1/assets/{private}/related", headers=other).json()
    assert mine == []  # their only photo: nothing of ours comes with it
    assert c.get(f"/api/v1/assets/{base}/related?limit=0").status_code == 422
    assert c.get(f"/api/v1/assets/{base}/related?limit=101").status_code == 422


def test_related_events_by_people_place_and_time(client: TestClient) -> None:
    c = client
    june = c.post("/api/v1/events", json={"title": "June party"}).json()["id"]
    later = c.post("/api/v1/events", json={"title": "Summer dinner"}).json()["id"]
    far = c.post("/api/v1/events", json={"title": "Old trip"}).json()["id"]
    a = _photo(c, 11, "2024:06:01 20:00:00", LISBON, event_id=june)
    b = _photo(c, 12, "2024:06:20 20:00:00", LISBON_NEAR, event_id=later)
    _photo(c, 13, "2019:03:01 10:00:00", PARIS, event_id=far)
    _name(1, "Anna", [a, b])
    c.post("/api/v1/users", json={"username": "other", "password": PASSWORD})
    other = {"Authorization": bearer(c, "other", PASSWORD)}
    theirs = c.post("/api/v1/events", headers=other, json={"title": "Theirs"}).json()["id"]
    _photo(c, 14, "2024:06:02 20:00:00", LISBON, event_id=theirs, headers=other)

    r = c.get(f"/api/v1/events/{june}/related")
    assert r.status_code == 200, r.text
    rows = r.json()
    assert rows[0]["event_id"] == later
    assert theirs not in [x["event_id"] for x in rows]  # not one of ours
    assert rows[0]["reasons"][0] == "with Anna"
    assert "at the same place" in rows[0]["reasons"] and "19 days apart" in rows[0]["reasons"]
    if len(rows) > 1:
        assert rows[1]["event_id"] == far and rows[1]["score"] < rows[0]["score"] / 3
    assert c.get(f"/api/v1/events/{june}/related", headers=other).status_code == 404
    assert c.get(f"/api/v1/events/{june}/related?limit=0").status_code == 422
