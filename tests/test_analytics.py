"""Engagement tracking, comments and reactions, and analytics computed from a generated
activity log whose answers are known (peak hour, unique guests, top contributor, buckets in
the event's time zone across midnight and daylight-saving changes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from albumen.db.engagement import UPLOAD, VIEW_ASSET, VIEW_GALLERY, Activity
from albumen.db.models import Asset
from albumen.insights import activity, analytics
from albumen.insights.activity import tracker
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "a-long-password"


def _user(client: TestClient, name: str) -> dict[str, str]:
    assert client.post("/api/v1/users", json={"username": name, "password": PASSWORD}
                       ).status_code == 201
    return {"Authorization": bearer(client, name, PASSWORD)}


def _guest_upload(client: TestClient, token: str, name: str, seed: int,
                  guest_token: str | None = None) -> dict[str, Any]:
    client.cookies.clear()
    headers = {"Authorization": ""}
    if guest_token:
        headers["X-Guest-Token"] = guest_token
    r = client.post(f"/api/v1/share/{token}/assets", params={"guest_name": name},
                    files={"file": (f"{name}{seed}.jpg", images.jpeg(320, 240, seed=seed),
                                    "image/jpeg")}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def party(client: TestClient, rt: Runtime) -> dict[str, Any]:
    """An event in New York time: a host, a co-host, a contributor; guests Maria (3 photos),
    João (1) through the link "tables"; the host's own 2 photos; known upload times."""
    host = _user(client, "host")
    cohost = _user(client, "cohost")
    contributor = _user(client, "carl")
    event = client.post("/api/v1/events", headers=host, json={
        "title": "Summer party", "timezone": "America/New_York"}).json()
    for name, role in (("cohost", "cohost"), ("carl", "contributor")):
        client.put(f"/api/v1/events/{event['id']}/members", headers=host,
                   json={"username": name, "role": role})
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
        "label": "tables", "can_upload": True, "can_view": True}).json()
    first = _guest_upload(client, link["token"], "Maria", 1)
    maria = first["guest_token"]
    mine = [first["asset"]["id"]] + [
        _guest_upload(client, link["token"], "Maria", s, maria)["asset"]["id"] for s in (2, 3)]
    joao = _guest_upload(client, link["token"], "João", 4)
    own = []
    for seed in (5, 6):
        r = client.post(f"/api/v1/assets?event_id={event['id']}", headers=host,
                        files={"file": (f"h{seed}.jpg", images.jpeg(320, 240, seed=seed),
                                        "image/jpeg")})
        own.append(r.json()["asset"]["id"])
    # Upload times (UTC): Maria's three at 23:10-23:40 UTC = 19:xx New York time (EDT, -4).
    times = {mine[0]: "2024-06-01T23:10", mine[1]: "2024-06-01T23:20",
             mine[2]: "2024-06-01T23:40", joao["asset"]["id"]: "2024-06-02T01:05",
             own[0]: "2024-06-01T16:00", own[1]: "2024-06-02T03:30"}
    with rt.transaction() as session:
        for asset_id, at in times.items():
            session.execute(update(Asset).where(Asset.id == asset_id)
                            .values(created_at=_at(at)))
    tracker(rt).flush()
    with rt.transaction() as session:  # the uploads' own log rows are not part of this story
        session.execute(Activity.__table__.delete())
    return {"event": event, "link": link, "host": host, "cohost": cohost,
            "contributor": contributor, "maria": mine, "joao": joao["asset"]["id"],
            "own": own, "maria_guest": first["asset"], "guest_token": maria}


def _views(rt: Runtime, party: dict[str, Any], log: list[tuple[str, int, int | None, str]]
           ) -> None:
    """A generated log: (UTC time, asset, guest id or None, ip) views."""
    for at, asset_id, guest_id, ip in log:
        tracker(rt).record(VIEW_ASSET, at=_at(at), asset_id=asset_id, guest_id=guest_id,
                          event_id=party["event"]["id"], link_id=party["link"]["id"], ip=ip)
    tracker(rt).flush()


def test_event_dashboard_from_a_known_log(client: TestClient, rt: Runtime,
                                          party: dict[str, Any]) -> None:
    a, b, c = party["maria"]
    # 7 views: 4 between 01:00 and 02:00 UTC on 2 June = 21:00-22:00 on 1 June in New York;
    # one at 03:30 UTC = 23:30 on 1 June (still 1 June there); one on 2 June local.
    _views(rt, party, [
        ("2024-06-02T01:05", a, 101, "10.0.0.1"), ("2024-06-02T01:15", a, 102, "10.0.0.2"),
        ("2024-06-02T01:25", a, 103, "10.0.0.3"), ("2024-06-02T01:55", b, 101, "10.0.0.1"),
        ("2024-06-02T03:30", b, None, "10.0.0.9"), ("2024-06-02T14:00", c, 102, "10.0.0.2"),
        ("2024-06-01T20:00", a, None, "10.0.0.9"),
    ])
    tracker(rt).record(VIEW_GALLERY, at=_at("2024-06-01T20:00"), guest_id=104,
                      event_id=party["event"]["id"])
    tracker(rt).flush()
    r = client.get(f"/api/v1/analytics/events/{party['event']['id']}", headers=party["cohost"])
    assert r.status_code == 200, r.text
    doc = r.json()
    t = doc["totals"]
    assert (t["photos"], t["uploads"], t["views"], t["gallery_views"]) == (6, 6, 7, 1)
    # Guests: Maria and João uploaded (2); guests 101-104 viewed (4 others): 6 in all.
    assert t["guests_uploading"] == 2 and t["unique_guests"] == 6
    # Viewers: guests 101, 102, 103, 104 and the anonymous member-less views (one group).
    assert t["unique_viewers"] == 5
    assert doc["peak_hours"]["view_peak"] == 21
    assert doc["peak_hours"]["views"][21] == 4 and doc["peak_hours"]["views"][23] == 1
    # Uploads: 3 at 19:xx, 1 at 21:05, 1 at 12:00, 1 at 23:30 (all 1 June, New York).
    assert doc["peak_hours"]["upload_peak"] == 19
    days = {d["start"][:10]: d["count"] for d in doc["views_by_day"]}
    assert days == {"2024-06-01": 6, "2024-06-02": 1}
    assert [d["start"] for d in doc["uploads_by_day"]] == ["2024-06-01T00:00:00-04:00"]
    hours = doc["views_by_hour"]
    assert hours[0]["start"] == "2024-06-01T16:00:00-04:00" and hours[0]["count"] == 1
    assert hours[-1]["start"] == "2024-06-02T10:00:00-04:00"
    assert len(hours) == 19 and sum(h["count"] for h in hours) == 7  # empty hours included
    top = doc["top_contributors"]
    assert (top[0]["name"], top[0]["kind"], top[0]["uploads"]) == ("Maria", "guest", 3)
    assert {(r["name"], r["uploads"]) for r in top[1:]} == {("host", 2), ("João", 1)}
    assert doc["most_viewed"][0] == {"asset_id": a, "count": 4}
    assert doc["moderation"]["approved"] == 6


def test_series_in_half_hour_zones_and_across_daylight_saving() -> None:
    india = ZoneInfo("Asia/Kolkata")
    quanta = [(int(_at("2024-06-01T18:45").timestamp()) // 900, 2),   # 00:15 on 2 June, IST
              (int(_at("2024-06-01T18:15").timestamp()) // 900, 1)]   # 23:45 on 1 June, IST
    hours = analytics._series(quanta, india, "hour")
    assert [(h["start"], h["count"]) for h in hours] == [
        ("2024-06-01T23:00:00+05:30", 1), ("2024-06-02T00:00:00+05:30", 2)]
    ny = ZoneInfo("America/New_York")  # clocks go back at 02:00 EDT on 3 November 2024
    quanta = [(int(_at("2024-11-03T05:30").timestamp()) // 900, 1),   # 01:30 EDT
              (int(_at("2024-11-03T06:30").timestamp()) // 900, 5)]   # 01:30 EST
    hours = analytics._series(quanta, ny, "hour")
    assert [(h["start"], h["count"]) for h in hours] == [
        ("2024-11-03T01:00:00-04:00", 1), ("2024-11-03T01:00:00-05:00", 5)]
    days = analytics._series([*quanta, (int(_at("2024-11-04T12:00").timestamp()) // 900, 1)],
                             ny, "day")
    assert [(d["start"], d["count"]) for d in days] == [
        ("2024-11-03T00:00:00-04:00", 6), ("2024-11-04T00:00:00-05:00", 1)]


def test_anomalies_name_the_link_and_the_address(client: TestClient, rt: Runtime,
                                                 party: dict[str, Any]) -> None:
    eid, link = party["event"]["id"], party["link"]["id"]
    # Normal hours: 2 uploads an hour over 10 hours; then 45 in one hour through one address.
    for hour in range(10):
        for minute in (5, 35):
            tracker(rt).record(UPLOAD, at=_at(f"2024-06-01T{hour + 10:02d}:{minute:02d}"),
                              event_id=eid, link_id=link, ip=f"10.1.0.{hour}")
    for i in range(45):
        tracker(rt).record(UPLOAD, at=_at("2024-06-01T22:00") + timedelta(seconds=60 * i),
                          event_id=eid, link_id=link, ip="203.0.113.7")
    tracker(rt).flush()
    found = client.get(f"/api/v1/analytics/events/{eid}/anomalies",
                       headers=party["host"]).json()
    by_source = {a["source"]: a for a in found}
    assert set(by_source) == {"link", "ip"}
    assert by_source["ip"]["count"] == 45 and by_source["ip"]["who"] == "203.0.113.7"
    assert "address 203.0.113.7: 45 uploads between 18:00 and 19:00 on 01 Jun" in (
        by_source["ip"]["reason"])
    assert "link “tables”" in by_source["link"]["reason"]
    # A quiet event has none.
    other = client.post("/api/v1/events", headers=party["host"], json={"title": "Quiet"}).json()
    assert client.get(f"/api/v1/analytics/events/{other['id']}/anomalies",
                      headers=party["host"]).json() == []


def test_analytics_permissions(client: TestClient, rt: Runtime, party: dict[str, Any]) -> None:
    eid = party["event"]["id"]
    url = f"/api/v1/analytics/events/{eid}"
    assert client.get(url, headers=party["cohost"]).status_code == 200
    assert client.get(url, headers=party["contributor"]).status_code == 403
    stranger = _user(client, "stranger")
    assert client.get(url, headers=stranger).status_code == 404
    client.cookies.clear()
    assert client.get(url, headers={"Authorization": ""}).status_code == 401
    # A guest's link token opens nothing here either.
    assert client.get(url, headers={"Authorization": "", "X-Guest-Token":
                                    party["guest_token"]}).status_code == 401
    assert client.get("/api/v1/analytics/instance", headers=party["host"]).status_code == 403
    assert client.get(f"{url}/series?metric=bogus", headers=party["host"]).status_code == 422


def test_instance_dashboard(client: TestClient, rt: Runtime, party: dict[str, Any]) -> None:
    doc = client.get("/api/v1/analytics/instance").json()  # the admin
    assert sum(m["added"] for m in doc["growth"]) == 6
    assert doc["growth"][-1]["total"] == 6
    by_user = {r["username"]: r["bytes"] for r in doc["storage_by_user"]}
    assert by_user["host"] > 0 and by_user["carl"] == 0
    assert doc["throughput"]["stages_done"] >= 6  # every photo went through its stages
    assert doc["failures"]["total"] == 0


def test_requests_are_tracked_and_tracking_can_be_off(client: TestClient, rt: Runtime,
                                                      party: dict[str, Any]) -> None:
    a = party["maria"][0]
    client.get(f"/api/v1/assets/{a}/preview", headers=party["host"])
    client.get(f"/api/v1/assets/{a}/thumbnail", headers=party["host"])
    client.cookies.clear()
    token = party["link"]["token"]
    client.get(f"/api/v1/share/{token}/assets", headers={"Authorization": ""})
    client.get(f"/api/v1/share/{token}/assets/{a}/preview", headers={"Authorization": ""})
    client.get("/api/v1/search?q=maria", headers=party["host"])
    tracker(rt).flush()
    with rt.session() as session:
        rows = session.execute(select(Activity.kind, Activity.asset_id, Activity.event_id,
                                      Activity.link_id).order_by(Activity.id)).all()
    assert [r.kind for r in rows] == ["view_asset", "view_gallery", "view_asset", "search"]
    assert rows[0].event_id == party["event"]["id"] and rows[0].link_id is None
    assert rows[2].link_id == party["link"]["id"] and rows[2].asset_id == a
    # Off: nothing is recorded.
    rt.settings.tracking = False
    try:
        client.get(f"/api/v1/assets/{a}/preview", headers=party["host"])
        assert tracker(rt).flush() == 0
    finally:
        rt.settings.tracking = True


def test_activity_retention(rt: Runtime) -> None:
    now = datetime.now(UTC)
    for days in (1, 399, 401, 800):
        tracker(rt).record(VIEW_GALLERY, at=now - timedelta(days=days))
    tracker(rt).flush()
    assert activity.purge(rt, now) == 2
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 2


def test_comments_and_reactions(client: TestClient, rt: Runtime,
                                party: dict[str, Any]) -> None:
    a = party["maria"][0]
    host, carl = party["host"], party["contributor"]
    nice = client.post(f"/api/v1/assets/{a}/comments", headers=carl,
                       json={"text": "What a beautiful evening, love it!"})
    assert nice.status_code == 201 and nice.json()["sentiment"] > 0.5
    assert nice.json()["author"] == "carl"
    sad = client.post(f"/api/v1/assets/{a}/comments", headers=host,
                      json={"text": "Terrible, blurry and awful."}).json()
    assert sad["sentiment"] < -0.5
    assert client.post(f"/api/v1/assets/{a}/comments", headers=host,
                       json={"text": "   "}).status_code == 422
    # A guest says who they are first, then comments and reacts through the link.
    token = party["link"]["token"]
    client.cookies.clear()
    anonymous = {"Authorization": ""}
    assert client.post(f"/api/v1/share/{token}/assets/{a}/comments", headers=anonymous,
                       json={"text": "hi"}).status_code == 422
    g = {"Authorization": "", "X-Guest-Token": party["guest_token"]}
    mine = client.post(f"/api/v1/share/{token}/assets/{a}/comments", headers=g,
                       json={"text": "Thanks everyone"})
    assert mine.status_code == 201 and mine.json()["author"] == "Maria"
    assert mine.json()["by_guest"] is True
    for _ in range(2):  # twice: still one reaction
        assert client.put(f"/api/v1/share/{token}/assets/{a}/reactions/love",
                          headers=g).status_code == 204
    assert client.put(f"/api/v1/assets/{a}/reactions/love", headers=host).status_code == 204
    assert client.put(f"/api/v1/assets/{a}/reactions/like", headers=carl).status_code == 204
    assert client.put(f"/api/v1/assets/{a}/reactions/angry", headers=carl).status_code == 422
    counts = client.get(f"/api/v1/assets/{a}/reactions", headers=host).json()
    assert counts == {"counts": {"like": 1, "love": 2, "laugh": 0, "wow": 0}, "mine": ["love"]}
    # A guest cannot delete someone else's comment; the host can delete anyone's on the photo.
    assert client.delete(f"/api/v1/share/{token}/comments/{sad['id']}",
                         headers=g).status_code == 403
    assert client.delete(f"/api/v1/share/{token}/comments/{mine.json()['id']}",
                         headers=g).status_code == 204
    assert client.delete(f"/api/v1/comments/{nice.json()['id']}",
                         headers=party["host"]).status_code == 204
    left = client.get(f"/api/v1/assets/{a}/comments", headers=carl).json()
    assert [c["text"] for c in left] == ["Terrible, blurry and awful."]
    # The dashboard counts them; sentiment of what is left.
    doc = client.get(f"/api/v1/analytics/events/{party['event']['id']}", headers=host).json()
    assert doc["totals"]["comments"] == 1 and doc["totals"]["reactions"] == 3
    assert doc["sentiment"]["negative"] == 1 and doc["most_liked"][0] == {"asset_id": a,
                                                                          "count": 3}
    for _ in range(2):  # taken back twice: one fewer
        assert client.delete(f"/api/v1/assets/{a}/reactions/like",
                             headers=carl).status_code == 204
    doc = client.get(f"/api/v1/analytics/events/{party['event']['id']}", headers=host).json()
    assert doc["totals"]["reactions"] == 2 and doc["most_liked"][0]["count"] == 2
    # When the host closes comments to guests, guests can neither read nor write them.
    client.patch(f"/api/v1/events/{party['event']['id']}", headers=host,
                 json={"guest_comments": False})
    assert client.get(f"/api/v1/share/{token}/assets/{a}/comments", headers=g).status_code == 403
    assert client.put(f"/api/v1/share/{token}/assets/{a}/reactions/wow",
                      headers=g).status_code == 403
    # Strangers see nothing.
    stranger = _user(client, "stranger")
    assert client.get(f"/api/v1/assets/{a}/comments", headers=stranger).status_code == 404


def test_charts_png_and_svg(client: TestClient, party: dict[str, Any]) -> None:
    base = f"/api/v1/analytics/events/{party['event']['id']}/charts"
    for name in ("uploads", "views", "peak-hours", "contributors"):
        png = client.get(f"{base}/{name}.png", headers=party["host"])
        assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n", name
        svg = client.get(f"{base}/{name}.svg", headers=party["host"])
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in svg.content[:500]
    contributors = client.get(f"{base}/contributors.svg", headers=party["host"]).text
    assert "Maria" in contributors  # the names are drawn as text in the SVG
    assert client.get(f"{base}/uploads.png", headers=party["contributor"]).status_code == 403
    assert client.get(f"{base}/pie.png", headers=party["host"]).status_code == 422


def test_exports_csv_excel_parquet(client: TestClient, rt: Runtime,
                                   party: dict[str, Any]) -> None:
    import csv
    import io

    import openpyxl
    import pyarrow.parquet as pq

    a = party["maria"][0]
    _views(rt, party, [("2024-06-02T01:05", a, 101, "10.0.0.1"),
                       ("2024-06-02T01:15", a, 102, "10.0.0.2")])
    base = f"/api/v1/analytics/events/{party['event']['id']}"
    xlsx = client.get(f"{base}/export.xlsx", headers=party["host"])
    assert xlsx.status_code == 200 and 'filename="event-' in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert {"totals", "uploads_by_hour", "contributors", "activity"} <= set(book.sheetnames)
    contributors = list(book["contributors"].iter_rows(values_only=True))
    assert contributors[0] == ("name", "kind", "uploads", "approved")
    assert contributors[1] == ("Maria", "guest", 3, 3)  # numbers, not text
    activity_rows = list(book["activity"].iter_rows(values_only=True))
    assert len(activity_rows) == 3 and isinstance(activity_rows[1][0], datetime)
    assert activity_rows[1][0] == datetime(2024, 6, 2, 1, 5)  # UTC, as Excel has no zones
    hours = list(book["uploads_by_hour"].iter_rows(values_only=True))
    assert hours[1][0] == datetime(2024, 6, 1, 12, 0)  # the event's local time
    text = client.get(f"{base}/export.csv?table=contributors", headers=party["host"]).text
    assert list(csv.reader(io.StringIO(text)))[1] == ["Maria", "guest", "3", "3"]
    parquet = client.get(f"{base}/export.parquet", headers=party["host"])  # the activity
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 2 and str(table.schema.field("at").type) == "timestamp[us, tz=UTC]"
    assert table.column("guest_id").to_pylist() == [101, 102]
    assert client.get(f"{base}/export.csv?table=nope", headers=party["host"]).status_code == 422
    assert client.get(f"{base}/export.xlsx", headers=party["contributor"]).status_code == 403
    # Asset metadata of the event, of a search, never of what the caller cannot see.
    photos = client.get(f"/api/v1/analytics/assets.csv?event_id={party['event']['id']}",
                        headers=party["host"]).text
    rows = list(csv.DictReader(io.StringIO(photos)))
    assert len(rows) == 6 and {r["uploaded_by"] for r in rows} == {"Maria", "João", "host"}
    found = client.get("/api/v1/analytics/assets.parquet?q=maria2",
                       headers=party["host"]).content
    assert pq.read_table(io.BytesIO(found)).column("filename").to_pylist() == ["Maria2.jpg"]
    stranger = _user(client, "stranger")
    assert client.get(f"/api/v1/analytics/assets.csv?event_id={party['event']['id']}",
                      headers=stranger).status_code == 404


def test_highlights_rank_engagement_and_quality_and_skip_near_copies(
        client: TestClient, rt: Runtime, party: dict[str, Any]) -> None:
    a, b, c = party["maria"]
    blurry = party["joao"]
    log = [("2024-06-02T01:05", a, 100 + i, "10.0.0.1") for i in range(10)]
    log += [("2024-06-02T01:05", b, 200 + i, "10.0.0.1") for i in range(8)]
    log += [("2024-06-02T01:05", c, 300, "10.0.0.1")]
    _views(rt, party, log)
    with rt.transaction() as session:
        phash = session.get(Asset, a).phash
        session.execute(update(Asset).where(Asset.id == b).values(phash=phash))  # a near-copy
        session.execute(update(Asset).where(Asset.id == blurry).values(screening={
            "sharpness": 20.0, "flags": [{"flag": "blurry", "reason": "blurry"}]}))
    eid = party["event"]["id"]
    picks = client.get(f"/api/v1/analytics/events/{eid}/highlights?limit=4",
                       headers=party["cohost"]).json()
    ids = [p["asset_id"] for p in picks]
    # b is the second most viewed, but a near-copy of a: c comes second instead.
    assert ids[:2] == [a, c] and b not in ids and blurry not in ids
    assert "10 view(s)" in picks[0]["reasons"]
    everything = client.get(f"/api/v1/analytics/events/{eid}/highlights?limit=50",
                            headers=party["host"]).json()
    # Asked for all of them: the blurry one after every sharp one, the near-copy last.
    assert [p["asset_id"] for p in everything[-2:]] == [blurry, b]
    assert "blurry" in everything[-2]["reasons"]
    made = client.post(f"/api/v1/analytics/events/{eid}/highlights/album?limit=3",
                       headers=party["host"])
    assert made.status_code == 201 and made.json()["photos"] == 3
    album = client.get(f"/api/v1/albums/{made.json()['album_id']}/assets",
                       headers=party["host"]).json()
    assert {x["id"] for x in album["items"]} == set(ids[:3])
    assert client.get(f"/api/v1/analytics/events/{eid}/highlights",
                      headers=party["contributor"]).status_code == 403


def _pdf_text(data: bytes) -> tuple[int, str]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_event_report_and_contact_sheet_pdfs(client: TestClient, rt: Runtime,
                                            party: dict[str, Any]) -> None:
    eid = party["event"]["id"]
    _views(rt, party, [("2024-06-02T01:05", party["maria"][0], 101, "10.0.0.1")])
    made = client.post("/api/v1/reports", headers=party["cohost"],
                       json={"kind": "event", "event_id": eid})
    assert made.status_code == 202, made.text
    report = client.get(f"/api/v1/reports/{made.json()['id']}", headers=party["cohost"]).json()
    assert report["state"] == "done" and report["progress"] == 1.0, report
    pdf = client.get(report["file"], headers=party["cohost"])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    pages, text = _pdf_text(pdf.content)
    assert pages == report["pages"] >= 3
    for expected in ("Summer party", "EVENT REPORT", "Top contributors", "Maria", "Moderation",
                     "Highlights", "America/New_York"):
        assert expected in text, expected
    # A contact sheet of an album: every photo, with its file name.
    album = client.post("/api/v1/albums", headers=party["host"], json={"title": "Best"}).json()
    client.post(f"/api/v1/albums/{album['id']}/assets", headers=party["host"],
                json={"asset_ids": party["maria"]})
    sheet = client.post("/api/v1/reports", headers=party["host"],
                        json={"kind": "contact_sheet", "album_id": album["id"]}).json()
    sheet = client.get(f"/api/v1/reports/{sheet['id']}", headers=party["host"]).json()
    pages, text = _pdf_text(client.get(sheet["file"], headers=party["host"]).content)
    assert pages == 1 and "Best" in text and "3 photos" in text
    assert all(f"Maria{s}.jpg" in text for s in (1, 2, 3))
    assert [r["id"] for r in client.get("/api/v1/reports", headers=party["host"]).json()] == [
        sheet["id"]]


def test_report_permissions_and_a_lost_worker(client: TestClient, rt: Runtime,
                                              party: dict[str, Any]) -> None:
    from albumen.db.engagement import Report
    from albumen.operations.reconciler import reconcile

    eid = party["event"]["id"]
    assert client.post("/api/v1/reports", headers=party["contributor"],
                       json={"kind": "event", "event_id": eid}).status_code == 403
    stranger = _user(client, "stranger")
    assert client.post("/api/v1/reports", headers=stranger,
                       json={"kind": "contact_sheet", "event_id": eid}).status_code == 404
    assert client.post("/api/v1/reports", headers=stranger,
                       json={"kind": "contact_sheet"}).status_code == 422
    # Ids beyond 64 bits are refused as input, not passed to the database (found by fuzzing).
    assert client.post("/api/v1/reports", headers=party["host"],
                       json={"kind": "event", "event_id": 2**70}).status_code == 422
    mine = client.post("/api/v1/reports", headers=party["host"],
                       json={"kind": "contact_sheet", "q": "maria"}).json()
    assert client.get(f"/api/v1/reports/{mine['id']}", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/reports/{mine['id']}/file", headers=stranger).status_code == 404
    # A worker died while making a report: it stays "running" until its lease runs out, then
    # the reconciler makes it again.
    host_id = client.get("/api/v1/auth/me", headers=party["host"]).json()["user"]["id"]
    with rt.transaction() as session:
        lost = Report(owner_id=host_id, kind="event", params={"event_id": eid},
                      title="lost", state="running", progress=0.4, attempts=1,
                      lease_until=datetime.now(UTC) - timedelta(seconds=1))
        session.add(lost)
        session.flush()
        lost_id = lost.id
    half = client.get(f"/api/v1/reports/{lost_id}/file", headers=party["host"])
    assert half.status_code == 409 and "running (40%)" in half.json()["error"]["message"]
    reconcile(rt)
    again = client.get(f"/api/v1/reports/{lost_id}", headers=party["host"]).json()
    assert again["state"] == "done" and again["pages"] >= 3


def test_upload_counts_follow_the_assets_table(rt: Runtime) -> None:
    """The triggers keep upload_counts equal to a recount of the assets, through inserts,
    a photo moved to another event, a changed time and a deletion for good."""
    from sqlalchemy import delete

    from albumen.db.engagement import UploadCount
    from albumen.db.models import Event, User
    from albumen.insights.analytics import _epoch_quantum

    with rt.transaction() as session:
        owner = User(username="o", password_hash="x")
        session.add(owner)
        session.flush()
        one, two = Event(owner_id=owner.id, title="1"), Event(owner_id=owner.id, title="2")
        session.add_all([one, two])
        session.flush()
        base = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
        rows = [Asset(sha256=f"{i:064x}", size=1, mime_type="image/jpeg", format="jpeg",
                      storage_key=f"k{i}", original_filename=f"{i}.jpg", state="ready",
                      event_id=one.id, created_at=base + timedelta(minutes=7 * i),
                      sort_at=base, local_at=base) for i in range(12)]
        session.add_all(rows)
        session.flush()
        ids = [a.id for a in rows]
        event_ids = (one.id, two.id)

    def recount() -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
        with rt.session() as session:
            q = _epoch_quantum(session, Asset.created_at)
            truth = {(int(e), int(k)): int(n) for e, k, n in session.execute(
                select(Asset.event_id, q, func.count()).where(Asset.event_id.is_not(None))
                .group_by(Asset.event_id, q))}
            kept = {(r.event_id, r.quantum): r.n for r in session.scalars(select(UploadCount))
                    if r.n}
        return truth, kept

    truth, kept = recount()
    assert kept == truth and sum(kept.values()) == 12
    with rt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == ids[0]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[1]).values(
            created_at=datetime(2026, 6, 2, tzinfo=UTC)))
        session.execute(update(Asset).where(Asset.id == ids[2]).values(event_id=None))
        session.execute(delete(Asset).where(Asset.id == ids[3]))
        session.execute(update(Asset).where(Asset.id == ids[4]).values(title="no change"))
    truth, kept = recount()
    assert kept == truth and sum(kept.values()) == 10
    assert {e for e, _ in kept} == set(event_ids)


def _owner_and_events(rt: Runtime) -> tuple[int, tuple[int, ...]]:
    """A user owning two events made through the service."""
    from albumen.accounts.audit import Actor
    from albumen.db.models import User
    from albumen.events import service as events

    with rt.transaction() as session:
        owner = User(username="o", password_hash="x")
        session.add(owner)
        session.flush()
        owner_id = owner.id
    return owner_id, tuple(events.create_event(rt, owner_id, {"title": t}, Actor(owner_id))
                           for t in ("1", "2"))


def _flag_truth(rt: Runtime) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
    """Screening flags of the photos in events, not in the trash, counted from the assets
    themselves; and what the triggers kept in event_flag_counts."""
    from albumen.db.engagement import EventFlagCount

    with rt.session() as session:
        truth: dict[tuple[int, str], int] = {}
        for event_id, screening in session.execute(select(Asset.event_id, Asset.screening).where(
                Asset.event_id.is_not(None), Asset.deleted_at.is_(None))):
            for f in (screening or {}).get("flags", []):
                key = (event_id, str(f.get("flag")))
                truth[key] = truth.get(key, 0) + 1
        kept = {(r.event_id, r.flag): r.n for r in session.scalars(select(EventFlagCount))}
    return truth, kept


def test_flag_counts_follow_the_assets_table(rt: Runtime) -> None:
    """The triggers keep event_flag_counts equal to a recount of the assets' screening flags
    through inserts, re-screening, moves between events, trash and restore, deletion for good
    and an event deleted; the moderation panel reads them; a recount agrees."""
    from sqlalchemy import delete

    from albumen.accounts.audit import Actor
    from albumen.db import search_ddl
    from albumen.events import service as events
    from albumen.library import assets as asset_service

    def screened(*flags: str | None) -> dict[str, Any]:
        return {"sharpness": 50.0, "flags": [{"reason": "x"} if f is None else
                                             {"flag": f, "reason": f} for f in flags]}

    owner_id, event_ids = _owner_and_events(rt)
    with rt.transaction() as session:
        base = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
        screenings: list[dict[str, Any] | None] = [
            screened("blurry"), screened("blurry", "dark"), screened("nudity", "blurry"),
            screened(), None, screened("near_duplicate", "near_duplicate"), screened(None),
            screened("overexposed"), None, screened("blurry")]
        rows = [Asset(sha256=f"{i:064x}", size=1, mime_type="image/jpeg", format="jpeg",
                      storage_key=f"k{i}", original_filename=f"{i}.jpg", state="ready",
                      event_id=event_ids[0] if i < 8 else None, owner_id=owner_id,
                      screening=screenings[i], created_at=base, sort_at=base, local_at=base)
                for i in range(10)]
        session.add_all(rows)
        session.flush()
        ids = [a.id for a in rows]

    truth, kept = _flag_truth(rt)
    assert kept == truth and truth[(event_ids[0], "blurry")] == 3
    assert truth[(event_ids[0], "near_duplicate")] == 2 and truth[(event_ids[0], "None")] == 1
    with rt.session() as session:
        panel = analytics._moderation(session, event_ids[0], {})["flags"]
    assert panel == {f: n for (e, f), n in truth.items() if e == event_ids[0]}
    assert next(iter(panel)) == "blurry"  # the most raised first

    with rt.transaction() as session:
        asset = session.get(Asset, ids[4])  # screened for the first time (ORM)
        assert asset is not None
        asset.screening = screened("dark", "dark")
        asset = session.get(Asset, ids[0])  # screened again: blurry no more
        assert asset is not None
        asset.screening = screened()
        session.execute(update(Asset).where(Asset.id == ids[1])  # a bulk update
                        .values(screening=screened("blurry", "nudity")))
        session.execute(update(Asset).where(Asset.id == ids[2]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[3]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[8]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[9]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[7]).values(event_id=None))
        session.execute(update(Asset).where(Asset.id == ids[6]).values(title="no change"))
    truth, kept = _flag_truth(rt)
    assert kept == truth and truth[(event_ids[1], "blurry")] == 2
    assert (event_ids[0], "overexposed") not in kept  # counts that reach 0 are removed

    asset_service.trash(rt, ids[5])
    asset_service.trash(rt, ids[2])
    truth, kept = _flag_truth(rt)
    assert kept == truth and (event_ids[0], "near_duplicate") not in kept
    asset_service.restore(rt, ids[5])
    with rt.transaction() as session:
        session.execute(delete(Asset).where(Asset.id == ids[1]))  # for good
        session.execute(delete(Asset).where(Asset.id == ids[2]))  # for good, from the trash
    truth, kept = _flag_truth(rt)
    assert kept == truth and truth[(event_ids[0], "near_duplicate")] == 2
    with rt.session() as session:
        assert analytics._moderation(session, event_ids[1], {})["flags"] == {"blurry": 1}

    events.delete_event(rt, owner_id, event_ids[1], Actor(owner_id))
    truth, kept = _flag_truth(rt)
    assert kept == truth and {e for e, _ in kept} == {event_ids[0]}
    with rt.transaction() as session:  # the recount (migrations, copies, bulk loads) agrees
        search_ddl.install_flag_triggers(session.connection())
    assert _flag_truth(rt) == (truth, kept)


def test_source_histogram_follows_activity_sources(rt: Runtime) -> None:
    """activity_source_hist stays equal to a recount of activity_sources as source-hours are
    made and grow across writes, with a purge of the log in between; anomalies read it."""
    from albumen.db import search_ddl
    from albumen.db.engagement import ActivitySource, ActivitySourceHistogram
    from albumen.db.models import Event, User

    def histograms() -> tuple[dict[tuple[int, str, str, int], int],
                              dict[tuple[int, str, str, int], int]]:
        with rt.session() as session:
            truth: dict[tuple[int, str, str, int], int] = {}
            for s in session.scalars(select(ActivitySource)):
                key = (s.event_id, s.kind, s.source[:2], s.n)
                truth[key] = truth.get(key, 0) + 1
            kept = {(h.event_id, h.kind, h.prefix, h.n): h.hours
                    for h in session.scalars(select(ActivitySourceHistogram))}
        return truth, kept

    with rt.transaction() as session:
        owner = User(username="o", password_hash="x")
        session.add(owner)
        session.flush()
        made = [Event(owner_id=owner.id, title=str(i)) for i in range(3)]
        session.add_all(made)
        session.flush()
        event_ids = tuple(e.id for e in made)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
    # Three writes: the same source-hours grow (1 -> 3 -> 6 ...), others appear, two events.
    for write in range(3):
        for hour in range(6):
            for i in range(hour + write + 1):
                at = start + timedelta(hours=hour, minutes=i % 60)
                for event_id in event_ids[:2]:
                    tracker(rt).record(UPLOAD if i % 3 else VIEW_ASSET, at=at, event_id=event_id,
                                      link_id=1 + i % 2, ip=f"10.0.{hour % 3}.{i % 4}")
        tracker(rt).record(VIEW_ASSET, at=start, event_id=event_ids[0], ip="10.9.9.9")  # no link
        # The only source-hour of a third event: its bucket moves up, the one it left goes.
        tracker(rt).record(UPLOAD, at=start, event_id=event_ids[2], ip="10.9.9.8")
        tracker(rt).flush()
        truth, kept = histograms()
        assert kept == truth and sum(kept.values()) > 20
        assert {k: v for k, v in kept.items() if k[0] == event_ids[2]} == {
            (event_ids[2], UPLOAD, "i:", write + 1): 1}
    # The log's retention is over: the log goes, the per-hour rollups and their histogram stay.
    assert activity.purge(rt, datetime.now(UTC) + timedelta(days=3650)) > 0
    for i in range(40):  # a spike, written after the purge
        tracker(rt).record(UPLOAD, at=start + timedelta(hours=3, seconds=i),
                          event_id=event_ids[0], link_id=1, ip="203.0.113.5")
    tracker(rt).flush()
    truth, kept = histograms()
    assert kept == truth
    with rt.session() as session:
        found = analytics.anomalies(session, None, event_ids[0])
    assert [(a["source"], a["who"], a["count"]) for a in found if a["source"] == "ip"] == [
        ("ip", "203.0.113.5", 40)]
    with rt.transaction() as session:  # the recount (copies, bulk loads) agrees
        search_ddl.recount_source_histogram(session.connection())
    assert histograms() == (truth, kept)


def test_moderation_waits_follow_the_assets_table(rt: Runtime) -> None:
    """moderation_waits (kept by triggers) gives the moderation panel the median decision time
    the panel always computed from the assets, through decisions, changed upload times, moves,
    trash, deletion for good and a deleted event; the counts by state agree with the assets."""
    from sqlalchemy import delete

    from albumen.accounts.audit import Actor
    from albumen.db import search_ddl
    from albumen.db.engagement import ModerationWait
    from albumen.db.models import Guest, ShareLink
    from albumen.events import service as events
    from albumen.library import assets as asset_service

    def truth(event_id: int) -> tuple[dict[str, int], float | None]:
        """The states and the median as the dashboard computed them from the assets."""
        with rt.session() as session:
            states = dict(session.execute(
                select(Asset.moderation, func.count())
                .where(Asset.event_id == event_id, Asset.deleted_at.is_(None))
                .group_by(Asset.moderation)).all())
            if session.get_bind().dialect.name == "sqlite":
                wait = (func.julianday(Asset.moderated_at)
                        - func.julianday(Asset.created_at)) * 86400
            else:
                wait = func.extract("epoch", Asset.moderated_at - Asset.created_at)
            decided = (Asset.event_id == event_id, Asset.moderated_at.is_not(None),
                       Asset.guest_id.is_not(None))
            n = session.scalar(select(func.count()).select_from(Asset).where(*decided))
            median = session.scalar(select(wait).where(*decided).order_by(wait)
                                    .offset(n // 2).limit(1)) if n else None
        return states, round(float(median), 1) if median is not None else None

    def check(*event_ids: int) -> None:
        with rt.session() as session:
            for event_id in event_ids:
                states, median = truth(event_id)
                doc = analytics.event_dashboard(session, None, event_id)
                panel = doc["moderation"]
                assert panel["median_decision_seconds"] == median
                assert {k: panel[k] for k in ("approved", "pending", "rejected")} == {
                    k: states.get(s, 0) for k, s in (("approved", "approved"),
                                                     ("pending", "pending"),
                                                     ("rejected", "rejected"))}
                assert doc["totals"]["photos"] == sum(states.values())
            kept = {(w.asset_id, w.event_id) for w in session.scalars(select(ModerationWait))}
            expected = {(a, e) for a, e in session.execute(select(Asset.id, Asset.event_id).where(
                Asset.event_id.is_not(None), Asset.moderated_at.is_not(None),
                Asset.guest_id.is_not(None)))}
        assert kept == expected

    owner_id, event_ids = _owner_and_events(rt)
    with rt.transaction() as session:
        link = ShareLink(token_hash="t" * 64, event_id=event_ids[0], created_by=owner_id)
        session.add(link)
        session.flush()
        guest = Guest(link_id=link.id, token_hash="g" * 64, name="Maria")
        session.add(guest)
        session.flush()
        base = datetime(2026, 6, 1, 12, 0, 0, 250000, tzinfo=UTC)
        states = ["approved", "rejected", "pending", "approved", "approved", "approved",
                  "approved", "pending", "approved"]
        rows = [Asset(sha256=f"{i:064x}", size=1, mime_type="image/jpeg", format="jpeg",
                      storage_key=f"k{i}", original_filename=f"{i}.jpg", state="ready",
                      event_id=event_ids[0], owner_id=owner_id,
                      guest_id=guest.id if i < 7 else None, moderation=states[i],
                      moderated_at=None if states[i] == "pending" or i == 6 else
                      base + timedelta(seconds=37 * i * i + 0.123 * i),
                      created_at=base, sort_at=base, local_at=base) for i in range(9)]
        session.add_all(rows)
        session.flush()
        ids = [a.id for a in rows]
    check(*event_ids)

    with rt.transaction() as session:
        asset = session.get(Asset, ids[2])  # a decision (ORM)
        assert asset is not None
        asset.moderation, asset.moderated_at = "approved", base + timedelta(minutes=90)
        session.execute(update(Asset).where(Asset.id == ids[1])  # uploaded at another time
                        .values(created_at=base - timedelta(hours=2)))
        session.execute(update(Asset).where(Asset.id == ids[3]).values(event_id=event_ids[1]))
        session.execute(update(Asset).where(Asset.id == ids[4]).values(guest_id=None))
        session.execute(update(Asset).where(Asset.id == ids[5]).values(moderated_at=None))
        session.execute(update(Asset).where(Asset.id == ids[8]).values(title="no change"))
    check(*event_ids)
    asset_service.trash(rt, ids[1])  # the trash keeps its wait (as the panel always did)
    asset_service.trash(rt, ids[0])
    check(*event_ids)
    asset_service.restore(rt, ids[0])
    with rt.transaction() as session:
        session.execute(delete(Asset).where(Asset.id == ids[1]))  # for good
    check(*event_ids)
    events.delete_event(rt, owner_id, event_ids[1], Actor(owner_id))
    check(event_ids[0])
    with rt.transaction() as session:  # the recount (migrations, copies, bulk loads) agrees
        before = {(w.asset_id, w.event_id, w.seconds)
                  for w in session.scalars(select(ModerationWait))}
        search_ddl.install_wait_triggers(session.connection())
    with rt.session() as session:
        assert {(w.asset_id, w.event_id, w.seconds)
                for w in session.scalars(select(ModerationWait))} == before
    check(event_ids[0])
