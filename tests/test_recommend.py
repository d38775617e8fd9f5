"""Recommendations (issue 30): trained on real engagement (reactions, views, comments through
the API), ranked by who is in the photos the viewer engaged with, explained, and never a photo
the viewer may not see."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from albumen.db.models import Face, Person
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"


def _upload(c: TestClient, seed: int, event_id: int | None = None) -> int:
    params = {"event_id": event_id} if event_id else {}
    r = c.post("/api/v1/assets", params=params,
               files={"file": (f"p{seed}.jpg", images.jpeg(320, 240, seed=seed))})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def _name_faces(owner_id: int, people: dict[str, list[int]]) -> None:
    rt = get_runtime()
    with rt.transaction() as session:
        for name, ids in people.items():
            person = Person(owner_id=owner_id, name=name)
            session.add(person)
            session.flush()
            for asset_id in ids:
                session.add(Face(asset_id=asset_id, owner_id=owner_id, person_id=person.id,
                                 assigned_by="user", box_x=0.3, box_y=0.3, box_w=0.2,
                                 box_h=0.2))


def test_recommendations_follow_the_people_you_look_for_and_respect_access(
        client: TestClient) -> None:
    c = client
    for name in ("rita", "ben", "outsider"):
        c.post("/api/v1/users", json={"username": name, "password": PASSWORD})
    as_user = {n: {"Authorization": bearer(c, n, PASSWORD)} for n in ("rita", "ben",
                                                                     "outsider")}
    event = c.post("/api/v1/events", json={"title": "Wedding"}).json()["id"]
    for name in ("rita", "ben"):
        c.put(f"/api/v1/events/{event}/members", json={"username": name, "role": "viewer"})
    photos = [_upload(c, seed, event) for seed in range(1, 31)]
    private = _upload(c, 99)  # the admin's own library: no one else may see it
    anna, tom = photos[:6], photos[6:12]  # the other 18: no one anybody named
    _name_faces(1, {"Anna": [*anna, private], "Tom": tom})

    # Rita engages with photos of Anna; Ben with photos of Tom (and the popular tom[0]).
    for asset_id in anna[:4]:
        assert c.put(f"/api/v1/assets/{asset_id}/reactions/like",
                     headers=as_user["rita"]).status_code == 204
    c.get(f"/api/v1/assets/{tom[0]}/preview", headers=as_user["rita"])  # a view
    for asset_id in tom[:4]:
        c.put(f"/api/v1/assets/{asset_id}/reactions/love", headers=as_user["ben"])
        c.post(f"/api/v1/assets/{asset_id}/comments", json={"text": "so good"},
               headers=as_user["ben"])

    # Only admins train by hand.
    assert c.post("/api/v1/recommendations/train",
                  headers=as_user["rita"]).status_code == 403
    trained = c.post("/api/v1/recommendations/train").json()
    assert (trained["actors"], trained["photos"], trained["interactions"]) == (2, 8, 9)

    recs = c.get("/api/v1/recommendations", params={"limit": 5},
                 headers=as_user["rita"]).json()
    ids = [r["asset"]["id"] for r in recs]
    assert ids[:2] and set(ids[:2]) == set(anna[4:6])  # Anna's photos she has not liked yet
    assert recs[0]["reason"] == "because you liked photos with Anna"
    assert not set(ids) & set(anna[:4])  # never what she already engaged with
    assert private not in ids  # never what she may not see
    ben = [r["asset"]["id"] for r in c.get("/api/v1/recommendations",
                                           headers=as_user["ben"]).json()]
    assert set(ben[:2]) == set(tom[4:6])

    # Who may see nothing of the event is recommended nothing of it.
    outsider = c.get("/api/v1/recommendations", headers=as_user["outsider"]).json()
    assert outsider == []
    assert c.get("/api/v1/recommendations", params={"event_id": event},
                 headers=as_user["outsider"]).status_code == 404
    # Every photo recommended to anyone is one they can open.
    for name, headers in as_user.items():
        for rec in c.get("/api/v1/recommendations", params={"limit": 100},
                         headers=headers).json():
            assert c.get(f"/api/v1/assets/{rec['asset']['id']}",
                         headers=headers).status_code == 200, name
    # Events: Rita's one event, with the photos of it she may like (Anna's first).
    events = c.get("/api/v1/recommendations/events", headers=as_user["rita"]).json()
    assert [e["event_id"] for e in events] == [event]
    assert events[0]["title"] == "Wedding" and set(events[0]["photos"][:2]) == set(anna[4:6])
    assert events[0]["reason"].endswith("because you liked photos with Anna")
    assert c.get("/api/v1/recommendations/events",
                 headers=as_user["outsider"]).json() == []
    # Bad input.
    assert c.get("/api/v1/recommendations/events", params={"limit": 0}).status_code == 422
    assert c.get("/api/v1/recommendations", params={"limit": 0}).status_code == 422
    assert c.get("/api/v1/recommendations", params={"limit": 101}).status_code == 422


def test_before_any_training_recommendations_are_the_popular_photos(
        client: TestClient) -> None:
    c = client
    a, b = _upload(c, 1), _upload(c, 2)
    c.put(f"/api/v1/assets/{b}/reactions/like")
    recs = c.get("/api/v1/recommendations").json()
    assert [r["asset"]["id"] for r in recs][:1] == [b]
    assert recs[0]["source"] == "popular" and recs[0]["reason"] == "popular in your library"
    assert a in [r["asset"]["id"] for r in recs]


def test_cli_recommend_and_train(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    run_cli(env, "users", "create", "admin", "--admin", stdin=PASSWORD + "\n")
    folder = tmp_path / "in"
    images.write(folder / "a.jpg", images.jpeg(seed=1))
    images.write(folder / "b.jpg", images.jpeg(seed=2))
    run_json(env, "import", str(folder), "--json")
    doc = run_json(env, "recommend", "train", "--json")
    assert doc["interactions"] == 0 and "trained_at" in doc
    recs = run_json(env, "recommend", "--json", "--limit", "5")
    assert isinstance(recs, list)


def test_a_guest_gets_recommendations_of_the_link_s_photos_only(client: TestClient) -> None:
    c = client
    event = c.post("/api/v1/events", json={"title": "Party"}).json()["id"]
    photos = [_upload(c, seed, event) for seed in range(1, 21)]
    private = _upload(c, 98)
    other_event = c.post("/api/v1/events", json={"title": "Other"}).json()["id"]
    elsewhere = _upload(c, 97, other_event)
    _name_faces(1, {"Maria": [*photos[:5], private, elsewhere]})
    token = c.post(f"/api/v1/events/{event}/links", json={"can_view": True}).json()["token"]
    c.cookies.clear()
    entered = c.put(f"/api/v1/share/{token}/guest", json={"name": "Maria"},
                    headers={"Authorization": ""})
    guest = {"Authorization": "", "X-Guest-Token": entered.headers["X-Guest-Token"]}
    for asset_id in photos[:3]:
        assert c.put(f"/api/v1/share/{token}/assets/{asset_id}/reactions/like",
                     headers=guest).status_code == 204
    assert c.post("/api/v1/recommendations/train").json()["actors"] == 1
    recs = c.get(f"/api/v1/share/{token}/recommendations", headers=guest).json()
    ids = [r["asset"]["id"] for r in recs]
    assert set(ids[:2]) == set(photos[3:5])
    assert recs[0]["reason"] == "because you liked photos with Maria"
    assert set(ids) <= set(photos[3:])  # the link's photos she has not liked, nothing else
    assert c.get("/api/v1/share/not-a-token/recommendations",
                 headers={"Authorization": ""}).status_code in (401, 404)
