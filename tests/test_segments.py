"""Audience segments: people clustered by behaviour from a generated activity log whose groups
are known (who uploads by day on a laptop, who looks and reacts at night on a phone, who
drops in once), named by what sets them apart; the device read from real requests; the
export; hosts and administrators only."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from albumen.db.engagement import COMMENT, REACTION, UPLOAD, VIEW_ASSET, Activity
from albumen.insights import segments
from albumen.insights.activity import tracker
from albumen.insights.devices import device_class
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "a-long-password"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
LAPTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0 Safari/537.36")


def _user(client: TestClient, name: str) -> dict[str, str]:
    r = client.post("/api/v1/users", json={"username": name, "password": PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": bearer(client, name, PASSWORD)}


@pytest.fixture
def festival(client: TestClient, rt: Runtime) -> dict[str, Any]:
    host = _user(client, "host")
    cohost, carl, outsider = (_user(client, n) for n in ("cohost", "carl", "olga"))
    event = client.post("/api/v1/events", headers=host, json={
        "title": "Harbour festival", "timezone": "Europe/Lisbon"}).json()
    for name, role in (("cohost", "cohost"), ("carl", "contributor")):
        client.put(f"/api/v1/events/{event['id']}/members", headers=host,
                   json={"username": name, "role": role})
    tracker(rt).flush()
    with rt.transaction() as session:
        session.execute(Activity.__table__.delete())
    return {"event": event, "host": host, "cohost": cohost, "carl": carl,
            "outsider": outsider}


def _log(rt: Runtime, event_id: int) -> dict[str, set[str]]:
    """30 guests in three known groups over four days of July (Lisbon = UTC+1):
    100-109 upload 8-12 photos each by day (10:00-17:00) on laptops and look a little;
    200-209 look at 25-35 photos, react to 8-12 and comment 2-4 at night (22:00-02:00)
    on phones, on 3-4 days; 300-309 look at one or two photos once, at lunch."""
    rnd = random.Random(7)
    day0 = datetime(2024, 7, 10, tzinfo=UTC)
    groups: dict[str, set[str]] = {"uploaders": set(), "night": set(), "dropins": set()}
    record = tracker(rt).record

    def at(day: int, local_hours: tuple[int, int]) -> datetime:
        hour = rnd.randrange(*local_hours) - 1  # UTC = Lisbon summer time - 1
        return day0 + timedelta(days=day, hours=hour, minutes=rnd.randrange(60))

    for g in range(100, 110):
        groups["uploaders"].add(f"g:{g}")
        for _ in range(rnd.randint(8, 12)):
            record(UPLOAD, guest_id=g, event_id=event_id, at=at(rnd.randrange(2), (10, 17)),
                   device="desktop")
        for _ in range(rnd.randint(2, 4)):
            record(VIEW_ASSET, guest_id=g, event_id=event_id, asset_id=1,
                   at=at(rnd.randrange(2), (10, 17)), device="desktop")
    for g in range(200, 210):
        groups["night"].add(f"g:{g}")
        days = rnd.sample(range(4), rnd.randint(3, 4))
        for kind, n in ((VIEW_ASSET, rnd.randint(25, 35)), (REACTION, rnd.randint(8, 12)),
                        (COMMENT, rnd.randint(2, 4))):
            for _ in range(n):
                when = at(rnd.choice(days), (22, 26))
                record(kind, guest_id=g, event_id=event_id, asset_id=1, at=when,
                       device="phone")
    for g in range(300, 310):
        groups["dropins"].add(f"g:{g}")
        for _ in range(rnd.randint(1, 2)):
            record(VIEW_ASSET, guest_id=g, event_id=event_id, asset_id=1, at=at(1, (12, 14)),
                   device=rnd.choice(["phone", "desktop"]))
    # The anonymous are not a person: they are left out.
    for _ in range(20):
        record(VIEW_ASSET, event_id=event_id, asset_id=1, at=at(0, (12, 14)))
    tracker(rt).flush()
    return groups


def test_three_known_groups_come_out_as_three_named_segments(
        client: TestClient, rt: Runtime, festival: dict[str, Any]) -> None:
    event_id = festival["event"]["id"]
    groups = _log(rt, event_id)
    r = client.get(f"/api/v1/analytics/events/{event_id}/segments", headers=festival["cohost"])
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["people"] == 30 and doc["silhouette"] > 0.4
    assert [s["size"] for s in doc["segments"]] == [10, 10, 10]
    assert sum(s["share"] for s in doc["segments"]) == pytest.approx(1.0, abs=0.01)
    with rt.session() as session:
        _, rows = segments._event(session, None, event_id)
    members: dict[str, set[str]] = {}
    for actor, _, name, *_ in rows:
        members.setdefault(name, set()).add(actor)
    # Each generated group is exactly one segment, and its name says what it does.
    by_group = {g: next(n for n, m in members.items() if m == who) for g, who in groups.items()}
    assert by_group["uploaders"] == "Desktop contributors"
    assert by_group["night"] == "Night-owl mobile engagers"
    assert by_group["dropins"] == "Drop-ins"
    night = next(s for s in doc["segments"] if s["name"] == by_group["night"])
    assert night["averages"]["night"] == 1.0 and night["averages"]["mobile"] == 1.0
    assert night["averages"]["reactions"] >= 8
    assert any("at night" in t for t in night["traits"])
    assert {e["actor"] for e in night["examples"]} <= groups["night"]
    # The same log gives the same segments.
    assert client.get(f"/api/v1/analytics/events/{event_id}/segments",
                      headers=festival["host"]).json() == doc


def test_segments_export_and_the_cli_view(client: TestClient, rt: Runtime,
                                          festival: dict[str, Any]) -> None:
    event_id = festival["event"]["id"]
    groups = _log(rt, event_id)
    r = client.get(f"/api/v1/analytics/events/{event_id}/export.csv?table=segments",
                   headers=festival["host"])
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 30
    assert {row["actor"] for row in rows if row["segment"] == "Drop-ins"} == groups["dropins"]
    uploader = next(row for row in rows if row["actor"] == "g:100")
    assert float(uploader["uploads"]) >= 8 and float(uploader["mobile"]) == 0.0
    assert uploader["name"] == "guest 100"  # no guest row of that id: named by its number
    xlsx = client.get(f"/api/v1/analytics/events/{event_id}/export.xlsx",
                      headers=festival["host"])
    assert xlsx.status_code == 200
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert "segments" in book.sheetnames


def test_few_people_are_one_segment_and_nobody_is_an_empty_answer(
        client: TestClient, rt: Runtime, festival: dict[str, Any]) -> None:
    event_id = festival["event"]["id"]
    empty = client.get(f"/api/v1/analytics/events/{event_id}/segments",
                       headers=festival["host"]).json()
    assert empty["people"] == 0 and empty["segments"] == []
    for g in (1, 2, 3):
        tracker(rt).record(VIEW_ASSET, guest_id=g, event_id=event_id, asset_id=1)
    tracker(rt).flush()
    doc = client.get(f"/api/v1/analytics/events/{event_id}/segments",
                     headers=festival["host"]).json()
    assert doc["people"] == 3 and doc["silhouette"] is None
    assert [(s["name"], s["size"]) for s in doc["segments"]] == [("Everyone", 3)]


def test_only_hosts_and_administrators_see_segments(client: TestClient,
                                                    festival: dict[str, Any]) -> None:
    event_id = festival["event"]["id"]
    url = f"/api/v1/analytics/events/{event_id}/segments"
    assert client.get(url, headers=festival["carl"]).status_code == 403  # a contributor
    assert client.get(url, headers=festival["outsider"]).status_code == 404
    assert client.get(url, headers={"Authorization": ""}).status_code == 401
    assert client.get("/api/v1/analytics/instance/segments",
                      headers=festival["cohost"]).status_code == 403
    r = client.get("/api/v1/analytics/instance/segments?days=30")  # the administrator
    assert r.status_code == 200 and r.json()["scope"] == {"instance": True, "days": 30}
    assert client.get("/api/v1/analytics/instance/segments?days=0").status_code == 422


def test_the_device_comes_from_the_request(client: TestClient, rt: Runtime,
                                           festival: dict[str, Any]) -> None:
    event_id = festival["event"]["id"]
    link = client.post(f"/api/v1/events/{event_id}/links", headers=festival["host"], json={
        "label": "door", "can_upload": True, "can_view": True}).json()
    client.cookies.clear()
    for agent, seed in ((IPHONE, 1), (LAPTOP, 2)):
        r = client.post(f"/api/v1/share/{link['token']}/assets", params={"guest_name": "Ana"},
                        files={"file": (f"a{seed}.jpg", images.jpeg(64, 48, seed=seed),
                                        "image/jpeg")},
                        headers={"Authorization": "", "User-Agent": agent})
        assert r.status_code == 201, r.text
        client.cookies.clear()
    tracker(rt).flush()
    with rt.session() as session:
        devices = list(session.scalars(select(Activity.device).where(
            Activity.event_id == event_id, Activity.kind == UPLOAD).order_by(Activity.id)))
    assert devices == ["phone", "desktop"]


@pytest.mark.parametrize(("agent", "expected"), [
    (IPHONE, "phone"), (LAPTOP, "desktop"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126 Mobile "
     "Safari/537.36", "phone"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/126 Safari/537.36",
     "tablet"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15", "tablet"),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
    ("python-httpx/0.27.0", "app"), ("curl/8.5.0", "app"), ("", None), (None, None),
])
def test_device_classes(agent: str | None, expected: str | None) -> None:
    assert device_class(agent) == expected
