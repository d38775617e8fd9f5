"""The web app's server side: setup and login, page access, what the pages show, the asset
edits and the live slideshow feed they use (the browser flows are in test_web_browser.py)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from albumen.db.models import Asset
from albumen.runtime import Runtime
from tests.conftest import ADMIN_PASSWORD
from tests.images import exif_bytes, jpeg


@pytest.fixture
def web(rt: Runtime) -> Iterator[TestClient]:
    """A browser-like client of a fresh installation (no user yet, no credentials)."""
    from albumen.api.app import create_app

    with TestClient(create_app(rt, start_workers=False), follow_redirects=False) as c:
        c.headers["Accept"] = "text/html"
        yield c


def setup(c: TestClient) -> str:
    """First-run setup through the form; returns the session's CSRF token."""
    r = c.post("/setup", data={"username": "admin", "password": ADMIN_PASSWORD,
                               "password2": ADMIN_PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/"
    return csrf(c)


def csrf(c: TestClient, path: str = "/") -> str:
    page = c.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def upload(c: TestClient, token: str, name: str, seed: int, taken: str,
           event_id: int | None = None) -> int:
    url = "/api/v1/assets" + (f"?event_id={event_id}" if event_id else "")
    r = c.post(url, files={"file": (name, jpeg(320, 240, seed=seed,
                                                exif=exif_bytes(taken=taken)), "image/jpeg")},
               headers={"X-CSRF-Token": token, "Accept": "application/json"})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def test_a_new_installation_leads_to_setup_then_the_library(web: TestClient) -> None:
    first = web.get("/")
    assert first.status_code == 303 and first.headers["location"] == "/setup"
    assert web.get("/login").headers["location"] == "/setup"
    mismatch = web.post("/setup", data={"username": "admin", "password": ADMIN_PASSWORD,
                                        "password2": "something-else-1"})
    assert mismatch.status_code == 422 and "the two passwords differ" in mismatch.text
    setup(web)
    library = web.get("/")
    assert "No photos yet" in library.text and ">admin<" in library.text
    # Setup happens once: afterwards the form is refused and the page sends you to log in.
    web.cookies.clear()
    assert web.get("/setup").headers["location"] == "/login"
    again = web.post("/setup", data={"username": "eve", "password": "eve-password-1",
                                     "password2": "eve-password-1"})
    assert again.status_code == 409 and "setup is already done" in again.text


def test_login_logout_and_where_it_leads(web: TestClient) -> None:
    setup(web)
    web.cookies.clear()
    gated = web.get("/events?archived=true")
    assert gated.status_code == 303
    assert gated.headers["location"] == "/login?next=%2Fevents%3Farchived%3Dtrue"
    wrong = web.post("/login", data={"username": "admin", "password": "nope-nope-nope"})
    assert wrong.status_code == 401 and "wrong username or password" in wrong.text
    ok = web.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD,
                                  "next": "/events?archived=true"})
    assert ok.status_code == 303 and ok.headers["location"] == "/events?archived=true"
    assert "HttpOnly" in ok.headers["set-cookie"] and "SameSite=lax" in ok.headers["set-cookie"]
    # Logging out through the API (as the page's button does) ends the session.
    out = web.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf(web)})
    assert out.status_code == 204
    web.cookies.clear()  # what the browser does with the deleted cookie
    assert web.get("/").status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x",
                                    "relative/path"])
def test_login_never_redirects_off_site(web: TestClient, target: str) -> None:
    setup(web)
    web.cookies.clear()
    r = web.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD,
                                 "next": target})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_changes_from_pages_need_the_csrf_token(web: TestClient) -> None:
    token = setup(web)
    asset_id = upload(web, token, "a.jpg", 1, "2024:01:05 10:00:00")
    refused = web.patch(f"/api/v1/assets/{asset_id}", json={"favorite": True})
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    forged = web.patch(f"/api/v1/assets/{asset_id}", json={"favorite": True},
                       headers={"X-CSRF-Token": "x" + token})
    assert forged.status_code == 403


def test_pages_have_a_content_security_policy_and_html_errors(web: TestClient) -> None:
    setup(web)
    page = web.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    missing = web.get("/photos/987654")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Not found" in missing.text
    # The API keeps answering JSON.
    api = web.get("/api/v1/assets/987654", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    static = web.get("/static/vendor/htmx.min.js")
    assert static.status_code == 200 and "htmx" in static.text


def test_timeline_pages_months_and_continues_where_it_stopped(
        web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from albumen.web import library

    token = setup(web)
    for i, taken in enumerate(["2024:03:10 12:00:00", "2024:03:11 12:00:00",
                               "2024:05:01 09:00:00", "2023:12:24 20:00:00"]):
        upload(web, token, f"p{i}.jpg", i, taken)
    monkeypatch.setattr(library, "PAGE", 2)
    first = web.get("/").text
    assert re.findall(r'<h2>([A-Za-z]+ \d{4})</h2>', first) == ["May 2024", "March 2024"]
    assert first.count('class="tile"') == 2
    more = re.search(r'hx-get="(/timeline/more[^"]+)"', first).group(1).replace("&amp;", "&")
    second = web.get(more).text
    # March continues (no second header), then December 2023 under its own.
    assert re.findall(r'<h2>([A-Za-z]+ \d{4})</h2>', second) == ["December 2023"]
    assert second.count('class="tile"') == 2 and "hx-get" not in second


def test_timeline_scrubber_months_and_chunks_up_to_a_month(
        web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The date scrubber's rail lists the months with their counts (none for one month); a
    chunk can stop before a month (``until``: the months a jump skipped over), and one from a
    month that is gone starts at the next older one."""
    from albumen.web import library

    token = setup(web)
    upload(web, token, "a.jpg", 1, "2024:05:01 09:00:00")
    assert 'class="scrubber"' not in web.get("/").text
    for i, taken in enumerate(["2024:03:10 12:00:00", "2024:03:11 12:00:00",
                               "2023:12:24 20:00:00", "2022:08:02 08:00:00"]):
        upload(web, token, f"p{i}.jpg", i + 2, taken)
    first = web.get("/").text
    rail = re.search(r'<div class="scrubber".*?</div>', first, re.S).group(0)
    assert re.findall(r'data-month="([\d-]+)" data-count="(\d+)"', rail) == [
        ("2024-05", "1"), ("2024-03", "2"), ("2023-12", "1"), ("2022-08", "1")]
    assert re.findall(r'class="scrub-year">(\d+)<', rail) == ["2024", "2023", "2022"]
    assert 'aria-valuetext="May 2024"' in rail and "/static/scrubber.js" in first

    monkeypatch.setattr(library, "PAGE", 1)
    gap = web.get("/timeline/more", params={"month": "2024-03", "until": "2023-12"}).text
    assert re.findall(r'<h2>([A-Za-z]+ \d{4})</h2>', gap) == ["March 2024"]
    more = html.unescape(re.search(r'hx-get="([^"]+)"', gap).group(1))
    assert "until=2023-12" in more and "cursor=" in more
    rest = web.get(more).text  # March's other photo, and not into December
    assert rest.count('class="tile"') == 1 and "<h2>" not in rest and "hx-get" not in rest
    gone = web.get("/timeline/more", params={"month": "2024-01"}).text
    assert re.findall(r'<h2>([A-Za-z]+ \d{4})</h2>', gone) == ["December 2023"]
    assert web.get("/timeline/more", params={"until": "2024-1"}).status_code == 400

    # An event's photos page has the same rail.
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Trip"}, headers=h).json()["id"]
    upload(web, token, "e1.jpg", 20, "2024:06:01 10:00:00", event)
    upload(web, token, "e2.jpg", 21, "2023:06:01 10:00:00", event)
    photos = web.get(f"/events/{event}").text
    assert re.findall(r'data-month="([\d-]+)"', photos) == ["2024-06", "2023-06"]
    assert "/static/scrubber.js" in photos


def test_viewer_shows_details_and_neighbours(web: TestClient, rt: Runtime) -> None:
    token = setup(web)
    older = upload(web, token, "older.jpg", 1, "2024:01:05 10:00:00")
    middle = upload(web, token, "middle.jpg", 2, "2024:02:05 10:00:00")
    newer = upload(web, token, "newer.jpg", 3, "2024:03:05 10:00:00")
    page = web.get(f"/photos/{middle}").text
    assert "middle.jpg" in page and "Canon" in page and "5 February 2024, 10:00 (UTC+02:00)" in page
    assert f'data-newer="{newer}"' in page and f'data-older="{older}"' in page
    last = web.get(f"/photos/{older}").text
    assert 'data-older=""' in last


def test_asset_edits_favourite_rating_title(web: TestClient, rt: Runtime) -> None:
    token = setup(web)
    asset_id = upload(web, token, "a.jpg", 1, "2024:01:05 10:00:00")
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    r = web.patch(f"/api/v1/assets/{asset_id}", json={"favorite": True, "rating": 4,
                                                       "title": "Sunset over Lisbon"}, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["favorite"], r.json()["rating"], r.json()["title"]) == (
        True, 4, "Sunset over Lisbon")
    # The title is searchable at once.
    found = web.get("/api/v1/search?q=lisbon", headers=h).json()["items"]
    assert [hit["asset"]["id"] for hit in found] == [asset_id]
    cleared = web.patch(f"/api/v1/assets/{asset_id}", json={"rating": None}, headers=h)
    assert cleared.json()["rating"] is None and cleared.json()["favorite"] is True
    for bad in ({"rating": 6}, {"rating": -1}, {"favorite": None}, {"favorite": "yes"}):
        refused = web.patch(f"/api/v1/assets/{asset_id}", json=bad, headers=h)
        assert refused.status_code == 422, bad
    assert web.patch(f"/api/v1/assets/{asset_id}", content=b"{not json", headers={
        **h, "Content-Type": "application/json"}).status_code == 422
    # Someone else cannot edit (or even see) it.
    web.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"},
             headers=h)
    web.cookies.clear()
    web.post("/login", data={"username": "bob", "password": "bob-password-1"})
    bob = {"X-CSRF-Token": csrf(web), "Accept": "application/json"}
    assert web.patch(f"/api/v1/assets/{asset_id}", json={"favorite": False},
                     headers=bob).status_code == 404
    assert web.get(f"/photos/{asset_id}").status_code == 404


def _events(body: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]


def test_live_feed_sends_photos_as_they_become_showable(web: TestClient, rt: Runtime) -> None:
    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Party", "review_required": True},
                     headers=h).json()
    before = upload(web, token, "before.jpg", 1, "2024:01:05 10:00:00", event["id"])
    since = datetime.now(UTC)
    later = upload(web, token, "later.jpg", 2, "2024:01:05 11:00:00", event["id"])
    url = f"/api/v1/events/{event['id']}/live?duration=1&poll=0.2&since={since.isoformat()}"
    url = url.replace("+", "%2B")
    sent = _events(web.get(url).text)
    # The owner's uploads are approved at once; only the one after `since` is news.
    assert [e["id"] for e in sent] == [later]
    assert sent[0]["preview"] == f"/api/v1/assets/{later}/preview" and sent[0]["by"] == "admin"
    # A pending photo is not shown until approved; then it is.
    with rt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == before).values(moderation="pending"))
    resume = {"Last-Event-ID": (datetime.now(UTC) - timedelta(seconds=1)).isoformat()}
    assert _events(web.get(url, headers=resume).text) == []
    web.post(f"/api/v1/events/{event['id']}/moderation",
             json={"asset_ids": [before], "decision": "approve"}, headers=h)
    assert [e["id"] for e in _events(web.get(url, headers=resume).text)] == [before]
    # Only members of the event may listen.
    web.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"},
             headers=h)
    web.cookies.clear()
    web.post("/login", data={"username": "bob", "password": "bob-password-1"})
    assert web.get(url).status_code == 404


def test_event_pages_for_hosts_and_members(web: TestClient) -> None:
    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Conference", "review_required": True},
                     headers=h).json()
    eid = event["id"]
    for path, text in ((f"/events/{eid}", "No photos yet"),
                       (f"/events/{eid}/moderation", "Nothing to review"),
                       (f"/events/{eid}/sharing", "New share link"),
                       (f"/events/{eid}/members", "admin"),
                       (f"/events/{eid}/settings", 'value="Conference"'),
                       (f"/events/{eid}/slideshow", "Photos appear here"),
                       ("/events", "Conference")):
        page = web.get(path)
        assert page.status_code == 200 and text in page.text, path
    # A contributor sees the event but not its review queue or links.
    web.post("/api/v1/users", json={"username": "cat", "password": "cat-password-1"},
             headers=h)
    web.put(f"/api/v1/events/{eid}/members", json={"username": "cat", "role": "contributor"},
            headers=h)
    web.cookies.clear()
    web.post("/login", data={"username": "cat", "password": "cat-password-1"})
    assert web.get(f"/events/{eid}").status_code == 200
    assert web.get(f"/events/{eid}/moderation").status_code == 403
    assert "Share links" not in web.get(f"/events/{eid}").text


def test_guest_pages_from_a_link(web: TestClient) -> None:
    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Wedding"}, headers=h).json()
    link = web.post(f"/api/v1/events/{event['id']}/links", json={"can_upload": True},
                    headers=h).json()
    locked = web.post(f"/api/v1/events/{event['id']}/links",
                      json={"can_upload": True, "password": "open-sesame"}, headers=h).json()
    web.cookies.clear()
    page = web.get(f"/s/{link['token']}")
    assert page.status_code == 200 and "Wedding" in page.text and 'id="g-password" hidden' in (
        page.text)
    assert 'id="g-password" hidden' not in web.get(f"/s/{locked['token']}").text
    poster = web.get(f"/s/{link['token']}/poster").text
    assert f"/api/v1/share/{link['token']}/qr.svg" in poster and link["url"] in poster
    assert web.get("/s/not-a-real-token").status_code == 404
    # A revoked link's page is gone at once.
    web.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    revoked = web.delete(f"/api/v1/links/{link['id']}", headers={"X-CSRF-Token": csrf(web)})
    assert revoked.status_code == 204
    web.cookies.clear()
    assert web.get(f"/s/{link['token']}").status_code == 404


def test_insights_reports_and_comments_pages(web: TestClient) -> None:
    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Gala"}, headers=h).json()
    asset_id = upload(web, token, "gala.jpg", 1, "2024:01:05 10:00:00", event["id"])
    web.post(f"/api/v1/assets/{asset_id}/comments", json={"text": "Lovely evening"}, headers=h)
    web.put(f"/api/v1/assets/{asset_id}/reactions/wow", headers=h)
    insights = web.get(f"/events/{event['id']}/insights")
    assert insights.status_code == 200
    for text in ("Top contributors", "charts/uploads.svg", "export.xlsx", "Event report (PDF)",
                 "Highlights", "The next 24 hours", "Audience"):
        assert text in insights.text, text
    viewer = web.get(f"/photos/{asset_id}").text
    assert "Lovely evening" in viewer and 'data-react="wow" aria-pressed="true"' in viewer
    made = web.post("/api/v1/reports", json={"kind": "event", "event_id": event["id"]},
                    headers=h)
    assert made.status_code == 202
    listing = web.get("/reports").text
    assert "Gala — event report" in listing and "Open PDF" in listing
    assert 'hx-trigger="every 2s"' not in listing  # nothing left to wait for


def test_moderation_shows_near_duplicates_as_thumbnails(web: TestClient, rt: Runtime) -> None:
    """A near-duplicate flag shows the photos it resembles as thumbnails that open them, not
    as "#115" (issue 22, item 8)."""
    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    event = web.post("/api/v1/events", json={"title": "Fair", "review_required": True},
                     headers=h).json()
    first = upload(web, token, "a.jpg", 1, "2024:01:05 10:00:00", event["id"])
    second = upload(web, token, "b.jpg", 2, "2024:01:05 10:00:05", event["id"])
    flags = [{"flag": "near_duplicate", "asset_ids": [first],
              "reason": f"near-duplicate of #{first}"}]
    with rt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == second).values(
            moderation="pending", screening={"flags": flags}))
    page = web.get(f"/events/{event['id']}/moderation").text
    assert f'<a href="/photos/{first}" title="Open the photo it resembles"><img src="/api/v1/' \
           f'assets/{first}/thumbnail"' in page
    assert f"near-duplicate of #{first}" not in page
    assert "looks like 1 photo already here" in page


def test_undated_photos_say_so(web: TestClient) -> None:
    """A photo without a date is filed under when it was added, and says so in the grid and
    the viewer (issue 22, item 8)."""
    token = setup(web)
    dated = upload(web, token, "dated.jpg", 1, "2024:01:05 10:00:00")
    r = web.post("/api/v1/assets", files={"file": ("undated.jpg", jpeg(320, 240, seed=9),
                                                   "image/jpeg")},
                 headers={"X-CSRF-Token": token, "Accept": "application/json"})
    undated = r.json()["asset"]["id"]
    grid = web.get("/").text
    tiles = {int(m[0]): m[1] for m in re.findall(
        r'<div class="tile" data-id="(\d+)"(.*?)</div>', grid, flags=re.S)}
    assert "no date" in tiles[undated] and "no date" not in tiles[dated]
    assert "the photo carries no date" in web.get(f"/photos/{undated}").text
    assert "the photo carries no date" not in web.get(f"/photos/{dated}").text


def test_similar_photos_are_offered_where_either_way_can_answer(web: TestClient, rt: Runtime,
                                                                tmp_path: Path) -> None:
    """"Similar photos" is offered whenever it can be answered: by appearance without CLIP
    (saying so, and how to install CLIP), by CLIP once the model and the photo's embedding
    are there; a photo with nothing to compare by gets no link (issue 22, item 8)."""
    import numpy as np

    from albumen.ml.clip import install
    from albumen.ml.models import clip_path
    from albumen.search import clip
    from tests.test_clip import make_export

    token = setup(web)
    photo = upload(web, token, "a.jpg", 1, "2024:01:05 10:00:00")
    bare = upload(web, token, "b.jpg", 2, "2024:01:05 10:00:00")
    link = f'href="/search?q=similar:{photo}"'
    page = web.get(f"/photos/{photo}").text
    assert link in page and "by appearance" in page and "albumen models install PATH" in page
    with rt.transaction() as session:  # no hash, nobody recognised: nothing to compare by
        session.execute(update(Asset).where(Asset.id == bare).values(phash=None))
    assert f"similar:{bare}" not in web.get(f"/photos/{bare}").text
    install(make_export(tmp_path / "export"), clip_path(rt.settings))
    with rt.transaction() as session:
        clip.store_embedding(session, photo, np.ones(3, dtype=np.float32) / np.sqrt(3))
    page = web.get(f"/photos/{photo}").text
    assert link in page and "by appearance" not in page and "models install" not in page


def test_discovery_strips_for_you_more_like_this_and_related_events(web: TestClient,
                                                                   rt: Runtime) -> None:
    """The library page loads "For you", a photo "More like this", an event its related
    events; each strip is a fragment of what the viewer may see."""
    from albumen.db.models import Face, Person

    token = setup(web)
    h = {"X-CSRF-Token": token, "Accept": "application/json"}
    party = web.post("/api/v1/events", json={"title": "Party"}, headers=h).json()["id"]
    dinner = web.post("/api/v1/events", json={"title": "Dinner"}, headers=h).json()["id"]
    a = upload(web, token, "a.jpg", 1, "2024:01:05 10:00:00", party)
    b = upload(web, token, "b.jpg", 2, "2024:01:07 10:00:00", dinner)
    with rt.transaction() as session:
        rita = Person(owner_id=1, name="Rita")
        session.add(rita)
        session.flush()
        for asset_id in (a, b):
            session.add(Face(asset_id=asset_id, owner_id=1, person_id=rita.id,
                             assigned_by="user", box_x=0.4, box_y=0.3, box_w=0.2, box_h=0.3,
                             size_px=80))
    library = web.get("/").text
    assert 'hx-get="/for-you"' in library
    strip = web.get("/for-you", headers={"HX-Request": "true"}).text
    assert "For you" in strip and "/api/v1/assets/" in strip
    assert f'hx-get="/photos/{a}/related"' in web.get(f"/photos/{a}").text
    like = web.get(f"/photos/{a}/related", headers={"HX-Request": "true"}).text
    assert "More like this" in like and f'href="/photos/{b}"' in like and "with Rita" in like
    assert f'hx-get="/events/{party}/related"' in web.get(f"/events/{party}").text
    events = web.get(f"/events/{party}/related", headers={"HX-Request": "true"}).text
    assert "Related events" in events and f'href="/events/{dinner}"' in events
    assert "with Rita" in events
    web.cookies.clear()
    assert web.get(f"/photos/{a}/related").status_code in (401, 303, 307)
