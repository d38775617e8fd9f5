"""Memories (issue 30): on this day, a trip away from home, a person over the years, an event's
anniversary — built from real uploads (EXIF dates and GPS, the places stage), shown only with
photos the viewer may still see."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from albumen.db.models import Event, Face, Person
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"
TODAY = "2026-12-08"
LISBON, PARIS = (38.7223, -9.1393), (48.8566, 2.3522)


def _photo(c: TestClient, seed: int, taken: str, gps: tuple[float, float] | None = None,
           event_id: int | None = None) -> int:
    data = images.jpeg(160, 120, seed=seed, exif=images.exif_bytes(taken=taken, gps=gps))
    params = {"event_id": event_id} if event_id else {}
    r = c.post("/api/v1/assets", params=params, files={"file": (f"m{seed}.jpg", data)})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def test_memories_of_a_day(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="places")
    day_2023 = [_photo(c, 1, "2023:12:08 10:00:00", LISBON),
                _photo(c, 2, "2023:12:08 18:30:00", LISBON)]
    day_2021 = [_photo(c, 3, "2021:12:08 09:00:00")]
    _photo(c, 4, "2023:12:09 10:00:00")  # the next day: not today's
    for i, day in enumerate(("05", "06", "07", "09", "10", "11")):  # home: Lisbon, many days
        _photo(c, 10 + i, f"2024:03:{day} 12:00:00", LISBON)
    trip = [_photo(c, 20 + i, f"2024:06:{day} 1{i}:00:00", PARIS)
            for i, day in enumerate(("01", "01", "02", "03", "03", "04"))]
    years = [_photo(c, 30 + i, f"{year}:05:01 12:00:00") for i, year in
             enumerate((2019, 2021, 2024))]
    rt = get_runtime()
    with rt.transaction() as session:
        anna = Person(owner_id=1, name="Anna")
        session.add(anna)
        session.flush()
        for asset_id in years:
            session.add(Face(asset_id=asset_id, owner_id=1, person_id=anna.id,
                             assigned_by="user", box_x=0.4, box_y=0.3, box_w=0.2, box_h=0.3,
                             size_px=80))
    event = c.post("/api/v1/events", json={
        "title": "Rita's wedding", "starts_at": "2024-12-08T14:00:00Z"}).json()["id"]
    wedding = [_photo(c, 40, "2024:12:08 15:00:00", event_id=event)]

    shown = c.get("/api/v1/memories", params={"day": TODAY}).json()
    by_title = {m["title"]: m for m in shown}
    assert [m["kind"] for m in shown] == ["on_this_day", "on_this_day", "anniversary", "trip",
                                          "person_years"]
    assert by_title["3 years ago"]["asset_ids"] == day_2023
    assert by_title["5 years ago"]["asset_ids"] == day_2021
    assert by_title["Rita's wedding"]["asset_ids"] == wedding
    assert by_title["Rita's wedding"]["subtitle"].startswith("2 years ago")
    assert by_title["Trip to Paris"]["asset_ids"] == trip
    assert by_title["Trip to Paris"]["subtitle"] == "June 2024, 4 days"
    assert by_title["Anna over the years"]["asset_ids"] == years
    assert by_title["Anna over the years"]["subtitle"] == "2019 to 2024"

    detail = c.get(f"/api/v1/memories/{by_title['3 years ago']['id']}").json()
    assert [a["id"] for a in detail["assets"]] == day_2023
    # A photo moved to the trash leaves the memory at once; a memory left empty is not shown.
    c.delete(f"/api/v1/assets/{day_2021[0]}")
    again = {m["title"] for m in c.get("/api/v1/memories", params={"day": TODAY}).json()}
    assert "5 years ago" not in again and "3 years ago" in again

    # Someone else sees none of them; a day with nothing is an empty list; bad input.
    c.post("/api/v1/users", json={"username": "other", "password": PASSWORD})
    other = {"Authorization": bearer(c, "other", PASSWORD)}
    assert c.get("/api/v1/memories", params={"day": TODAY}, headers=other).json() == []
    assert c.get(f"/api/v1/memories/{detail['id']}", headers=other).status_code == 404
    assert c.get("/api/v1/memories", params={"day": "2026-13-01"}).status_code == 422
    built = c.post("/api/v1/memories/build", params={"day": "2026-07-04"}).json()
    assert built["memories"] == 2  # trips and people are of every day
    with rt.session() as session:
        assert session.get(Event, event) is not None


def test_the_library_page_shows_today_s_memories(app_client: Callable[..., TestClient]
                                                  ) -> None:
    from albumen.db.base import utcnow
    from tests.test_web_pages import browser

    c = app_client()
    today = utcnow().date()
    taken = today.replace(year=today.year - 4).strftime("%Y:%m:%d 10:00:00")  # 29 Feb too
    ids = [_photo(c, 50, taken), _photo(c, 51, taken)]
    c.post("/api/v1/memories/build")
    page = browser(c)
    html = page.get("/").text
    assert 'class="memories"' in html and "4 years ago" in html
    memory_id = c.get("/api/v1/memories").json()[0]["id"]
    assert f"/memories/{memory_id}" in html
    shown = page.get(f"/memories/{memory_id}")
    assert shown.status_code == 200
    assert all(f'data-id="{i}"' in shown.text for i in ids)
    assert page.get("/memories/999999").status_code == 404


def test_cli_memories(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    run_cli(env, "users", "create", "admin", "--admin", stdin=PASSWORD + "\n")
    folder = tmp_path / "in"
    images.write(folder / "a.jpg", images.jpeg(seed=1, exif=images.exif_bytes(
        taken="2020:12:08 10:00:00")))
    run_json(env, "import", str(folder), "--wait", "--json")
    doc = run_json(env, "memories", "--day", TODAY, "--json")
    assert [m["title"] for m in doc] == ["6 years ago"]
