"""The people, places, duplicates and administration pages, and retrying failed processing.

Pages are read by a browser with a session cookie; every change they offer goes through the
JSON API (checked here through the API with the administrator's bearer token).
"""

from __future__ import annotations

import html
import io
import json
import re

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, update

from albumen.runtime import Runtime
from tests import images
from tests.conftest import ADMIN_PASSWORD

PASSWORD = "pages-password-1"


def browser(client: TestClient, username: str = "admin", password: str = ADMIN_PASSWORD
            ) -> TestClient:
    """A second client on the same app, signed in through the login form (a cookie)."""
    b = TestClient(client.app)
    r = b.post("/login", data={"username": username, "password": password},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return b


def upload(client: TestClient, data: bytes, name: str = "p.jpg") -> int:
    r = client.post("/api/v1/assets", files={"file": (name, data)})
    assert r.status_code == 201, r.text
    return int(r.json()["asset"]["id"])


def make_user(client: TestClient, name: str) -> None:
    r = client.post("/api/v1/users", json={"username": name, "password": PASSWORD})
    assert r.status_code == 201, r.text


def add_person(rt: Runtime, owner: int, name: str | None, asset_ids: list[int]
               ) -> tuple[int, list[int]]:
    """A person with one face in each photo (the tests run without the face model)."""
    from albumen.db.models import Face, Person
    from albumen.search import text_index
    from albumen.storage.base import face_crop_key

    with rt.transaction() as session:
        person = Person(owner_id=owner, name=name)
        session.add(person)
        session.flush()
        faces = []
        for asset_id in asset_ids:
            face = Face(asset_id=asset_id, owner_id=owner, person_id=person.id,
                        assigned_by="auto", box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2,
                        size_px=80, confidence=0.9, embedding=bytes(512))
            session.add(face)
            session.flush()
            face.crop_key = face_crop_key(asset_id, face.id)
            faces.append((asset_id, face.id))
        session.flush()
        text_index.refresh_people(session, [person.id])
        person_id = person.id
    for asset_id, face_id in faces:
        rt.storage.put_bytes(face_crop_key(asset_id, face_id), images.encode("webp", 16, 16))
    return person_id, [f for _, f in faces]


def data_bodies(page: str) -> list[dict[str, object]]:
    return [json.loads(html.unescape(b)) for b in re.findall(r"data-body='([^']*)'", page)]


def test_people_pages(client: TestClient, rt: Runtime) -> None:
    ids = [upload(client, images.jpeg(320, 240, seed=s), f"p{s}.jpg") for s in range(3)]
    admin_id = client.get("/api/v1/auth/me").json()["user"]["id"]
    anna, anna_faces = add_person(rt, admin_id, "Anna Lima", ids[:2])
    unnamed, _ = add_person(rt, admin_id, None, ids[2:])
    from albumen.db.models import Face

    with rt.transaction() as session:  # a face nobody is grouped with yet
        loose = Face(asset_id=ids[2], owner_id=admin_id, box_x=0.5, box_y=0.5, box_w=0.1,
                     box_h=0.1, embedding=bytes(512), crop_key="faces/loose.webp")
        session.add(loose)
        session.flush()
        loose_id = loose.id
    b = browser(client)

    people = b.get("/people")
    assert people.status_code == 200
    text = people.text
    assert "Anna Lima" in text and f'href="/people/{anna}"' in text
    assert f'href="/people/{unnamed}"' in text and "Unnamed" in text
    assert "2 photos" in text
    assert "Unnamed faces" in text and f"/api/v1/faces/{loose_id}/crop" in text
    assert 'data-api="POST /api/v1/people"' in text

    page = b.get(f"/people/{anna}")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Anna Lima</h1>" in text and "2 photos · 2 faces" in text
    assert f'data-api="PATCH /api/v1/people/{anna}"' in text
    assert f'data-api="POST /api/v1/people/{unnamed}/merge"' in text
    assert {"person_ids": [anna]} in data_bodies(text)
    for face_id in anna_faces:
        assert f'data-api="PATCH /api/v1/faces/{face_id}"' in text
    assert {"person_id": None} in data_bodies(text)
    assert {"hidden": True} in data_bodies(text)
    tiles = re.findall(r'class="tile" data-id="(\d+)"', text)
    assert sorted(map(int, tiles)) == sorted(ids[:2])

    # What the buttons send works: a wrong face out, then the person hidden.
    r = client.patch(f"/api/v1/faces/{anna_faces[0]}", json={"person_id": None})
    assert r.status_code == 200 and r.json()["person_id"] is None
    assert client.patch(f"/api/v1/people/{anna}", json={"hidden": True}).status_code == 200
    assert "1 photo · 1 face" in b.get(f"/people/{anna}").text
    assert "Anna Lima" not in b.get("/people").text
    assert "Anna Lima" in b.get("/people?hidden=true").text

    # Someone else's person is not found; the pages need a login.
    make_user(client, "pat")
    assert browser(client, "pat", PASSWORD).get(f"/people/{anna}").status_code == 404
    anonymous = TestClient(client.app).get("/people", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_people_photo_grid_scrolls(client: TestClient, rt: Runtime) -> None:
    from albumen.web import people

    ids = [upload(client, images.jpeg(64, 48, seed=10 + s), f"s{s}.jpg") for s in range(3)]
    admin_id = client.get("/api/v1/auth/me").json()["user"]["id"]
    person, _ = add_person(rt, admin_id, "Bo", ids)
    b = browser(client)
    before, people.PAGE = people.PAGE, 2
    try:
        first = b.get(f"/people/{person}").text
        more = re.search(r'hx-get="([^"]+)"', first)
        assert more is not None
        rest = b.get(html.unescape(more.group(1)))
    finally:
        people.PAGE = before
    assert rest.status_code == 200 and "<html" not in rest.text
    found = re.findall(r'class="tile" data-id="(\d+)"', first + rest.text)
    assert sorted(map(int, found)) == sorted(ids)


def test_places_page(client: TestClient, rt: Runtime) -> None:
    from albumen.db.models import Asset, Place

    lisbon = upload(client, images.jpeg(exif=images.exif_bytes(gps=(38.7223, -9.1393)), seed=5))
    upload(client, images.jpeg(seed=6))  # no position
    with rt.transaction() as session:
        place = Place(city="São Paulo", region="SP", country_code="BR", country="Brazil",
                      latitude=-23.55, longitude=-46.63)
        session.add(place)
        session.flush()
        session.execute(update(Asset).where(Asset.id == lisbon).values(place_id=place.id))
    b = browser(client)
    page = b.get("/places")
    assert page.status_code == 200
    text = page.text
    assert "São Paulo, SP, Brazil" in text and "1 photo" in text
    assert 'data-q="place:&#34;São Paulo&#34;"' in text or "place:&#34;São Paulo&#34;" in text
    assert '<div class="map" id="map"' in text and 'data-tiles=""' in text
    assert '/static/vendor/leaflet.js' in text and '/static/places.js' in text
    assert "<script>" not in text  # no inline scripts (CSP: script-src 'self')
    at = b.get("/places", params={"at": "38.72230,-9.13930"}).text
    assert 'data-at="38.722300,-9.139300"' in at
    assert "data-at=" not in b.get("/places", params={"at": "999,1"}).text
    points = client.get("/api/v1/places/geojson").json()["features"]
    assert [f["properties"]["asset_id"] for f in points] == [lisbon]
    assert points[0]["properties"]["place_id"] is not None
    assert [p["asset_count"] for p in client.get("/api/v1/places").json()] == [1]
    assert b.get("/static/places.js").status_code == 200


def test_places_page_with_tiles(app_client: object) -> None:
    c = app_client(map_tile_url="https://tile.example.org/{z}/{x}/{y}.png")  # type: ignore[operator]
    b = browser(c)
    r = b.get("/places")
    assert 'data-tiles="https://tile.example.org/{z}/{x}/{y}.png"' in r.text
    assert "OpenStreetMap" in r.text
    assert "https://tile.example.org" in r.headers["content-security-policy"]


# The offline base map's files: albumen's own, so the page's policy (same origin) admits them.
MAP_FILES = {
    "/static/basemap.js": "text/javascript",
    "/static/vendor/leaflet.markercluster.js": "text/javascript",
    "/static/vendor/topojson-client.min.js": "text/javascript",
    "/static/vendor/MarkerCluster.css": "text/css",
    "/static/vendor/countries-110m.json": "application/json",
    "/static/vendor/countries-50m.json": "application/json",
    "/static/vendor/cities.json": "application/json",
}


def test_places_map_files_are_served_with_their_types(client: TestClient) -> None:
    from albumen.web import STATIC

    page = browser(client).get("/places")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    for path in ("/static/vendor/leaflet.markercluster.js", "/static/vendor/topojson-client.min.js",
                 "/static/vendor/MarkerCluster.css"):
        assert path in page.text
    bodies = {}
    for path, kind in MAP_FILES.items():
        r = client.get(path)
        assert r.status_code == 200, path
        # module scripts need a JavaScript type (the pages send nosniff)
        accepted = {kind, "application/javascript"} if kind == "text/javascript" else {kind}
        assert r.headers["content-type"].split(";")[0] in accepted, (path, r.headers)
        bodies[path] = r.content
    for res in ("110m", "50m"):
        topo = json.loads(bodies[f"/static/vendor/countries-{res}.json"])
        assert topo["type"] == "Topology" and {"countries", "land"} <= set(topo["objects"])
        assert len(topo["objects"]["countries"]["geometries"]) > 170
    cities = json.loads(bodies["/static/vendor/cities.json"])
    assert cities["fields"] == ["name", "lat", "lon", "population", "capital", "country"]
    rows = cities["cities"]
    assert len(rows) > 1000 and all(r[3] >= 500_000 or r[4] for r in rows)
    assert all(-90 <= r[1] <= 90 and -180 <= r[2] <= 180 and r[0] for r in rows)
    capitals = {r[5]: r[0] for r in rows if r[4]}
    assert capitals["PT"] == "Lisbon" and capitals["AU"] == "Canberra" and len(capitals) > 200
    assert "GeoNames" in cities["licence"]
    # Small enough to ship: under 1 MB for the outlines and names together.
    assert sum(len(b) for p, b in bodies.items() if p.endswith(".json")) < 1_000_000
    # Every vendored file has its row (package, version, licence) in the vendor README.
    readme = (STATIC / "vendor" / "README.md").read_text()
    for f in (STATIC / "vendor").iterdir():
        if f.is_file() and f.name != "README.md":
            assert f.name in readme, f"{f.name} is not listed in static/vendor/README.md"


def _smaller(data: bytes) -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(data)).resize((400, 300)).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def test_duplicates_page(client: TestClient, rt: Runtime) -> None:
    from albumen.db.models import Asset, Stack

    original = images.jpeg(800, 600, seed=77)
    big = upload(client, original, "big.jpg")
    small = upload(client, _smaller(original), "small.jpg")
    b1 = upload(client, images.jpeg(640, 480, seed=81), "b1.jpg")
    b2 = upload(client, images.jpeg(640, 480, seed=82), "b2.jpg")
    with rt.transaction() as session:  # a burst (the bursts stage is off in the tests)
        stack = Stack(owner_id=client.get("/api/v1/auth/me").json()["user"]["id"])
        session.add(stack)
        session.flush()
        session.execute(update(Asset).where(Asset.id.in_([b1, b2])).values(stack_id=stack.id))
        stack.cover_asset_id = b2
    b = browser(client)
    page = b.get("/duplicates")
    assert page.status_code == 200
    text = page.text
    assert "2 groups to review" in text
    assert "2 similar photos" in text and "Burst of 2 photos" in text
    assert "800 \u00d7 600" in text and "400 \u00d7 300" in text
    assert re.search(rf'class="dupitem best" data-id="{big}"', text)
    assert re.search(rf'class="dupitem best" data-id="{b2}"', text)
    bodies = data_bodies(text)
    assert {"keep_id": big, "trash_ids": [small]} in bodies
    assert {"keep_id": small, "trash_ids": [big]} in bodies
    assert {"keep_id": b1, "trash_ids": [b2]} in bodies
    # The buttons' request: a burst resolves although its photos differ more than copies do.
    r = client.post("/api/v1/assets/duplicates/resolve", json={"keep_id": b1, "trash_ids": [b2]})
    assert r.json() == {"trashed": 1}
    r = client.post("/api/v1/assets/duplicates/resolve",
                    json={"keep_id": big, "trash_ids": [small]})
    assert r.json() == {"trashed": 1}
    assert "Nothing to review" in b.get("/duplicates").text


def _fail(rt: Runtime, asset_id: int, transient: bool = False) -> None:
    """Leave the asset as processing leaves one whose derivatives stage failed: for good (a
    verdict on the file), or ``transient`` (it may pass: the worker died, storage was away)."""
    from albumen.db.models import ASSET_FAILED, FAILED, Asset, AssetStage

    with rt.transaction() as session:
        session.execute(update(AssetStage).where(AssetStage.asset_id == asset_id,
                                                 AssetStage.stage == "derivatives")
                        .values(state=FAILED, error="decoder crashed", attempts=3,
                                transient=transient))
        session.execute(update(Asset).where(Asset.id == asset_id).values(
            state=ASSET_FAILED, failure_reason="derivatives: decoder crashed"))


def _state(rt: Runtime, asset_id: int) -> str:
    from albumen.db.models import Asset

    with rt.session() as session:
        return str(session.scalar(select(Asset.state).where(Asset.id == asset_id)))


def test_admin_page(client: TestClient, rt: Runtime) -> None:
    make_user(client, "member")
    upload(client, images.jpeg(seed=31), "fine.jpg")
    broken = upload(client, images.jpeg(seed=32), "broken.jpg")
    _fail(rt, broken)
    b = browser(client)
    page = b.get("/admin")
    assert page.status_code == 200
    text = page.text
    assert "<strong>admin</strong>" in text and "<strong>member</strong>" in text
    assert 'data-api="POST /api/v1/users"' in text
    member_id = next(u["id"] for u in client.get("/api/v1/users").json()
                     if u["username"] == "member")
    assert f'data-api="PATCH /api/v1/users/{member_id}"' in text
    assert {"is_active": False} in data_bodies(text)
    assert "broken.jpg" in text and "derivatives: decoder crashed" in text
    assert "Cannot be processed" in text
    assert re.search(r"<span class=\"muted\">Photos</span><b>2</b>", text)
    assert re.search(r"Originals</span><b>\d+(\.\d)? KB</b>", text)
    assert '<td>derivatives</td>' in text

    # Members get "not allowed"; a browser without a session goes to the login.
    m = browser(client, "member", PASSWORD)
    denied = m.get("/admin")
    assert denied.status_code == 403 and "Not allowed" in denied.text
    assert 'href="/admin"' not in m.get("/people").text  # no menu entry either
    anonymous = TestClient(client.app).get("/admin", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=%2Fadmin"

    # Disabling through the button's request shows up on the page.
    assert client.patch(f"/api/v1/users/{member_id}",
                        json={"is_active": False}).status_code == 200
    assert '<span class="badge bad">disabled</span>' in b.get("/admin").text


def test_retry_failed_processing(client: TestClient, rt: Runtime) -> None:
    first = upload(client, images.jpeg(seed=41), "one.jpg")
    second = upload(client, images.jpeg(seed=42), "two.jpg")
    _fail(rt, first)
    _fail(rt, second)
    status = client.get("/api/v1/status").json()
    assert status["assets"]["failed"] == 2

    make_user(client, "member")
    from tests.conftest import bearer

    member = {"Authorization": bearer(client, "member", PASSWORD)}
    denied = client.post("/api/v1/status/retry", headers=member)
    assert denied.status_code == 403
    assert _state(rt, first) == "failed"

    one = client.post("/api/v1/status/retry", json={"asset_ids": [first]})
    assert one.status_code == 200 and one.json() == {"queued": 1}
    assert _state(rt, first) == "ready"  # the queue runs jobs at once in the tests
    assert _state(rt, second) == "failed"

    every = client.post("/api/v1/status/retry")  # no body: every failed asset
    assert every.json() == {"queued": 1}
    assert _state(rt, second) == "ready"
    assert client.post("/api/v1/status/retry", json={}).json() == {"queued": 0}
    status = client.get("/api/v1/status").json()
    assert status["assets"]["failed"] == 0 and status["failures"] == []
    assert client.post("/api/v1/status/retry", json={"asset_ids": [0]}).status_code == 422


def test_retry_offered_only_where_it_can_help(client: TestClient, rt: Runtime) -> None:
    """A file processing refused for good fails again however often it runs: the admin page
    gives its reason and no Retry; a failure that may pass (the worker died) gets Retry, and
    "Retry all failed" retries those only."""
    doomed = upload(client, images.jpeg(seed=43), "doomed.jpg")
    passing = upload(client, images.jpeg(seed=44), "passing.jpg")
    _fail(rt, doomed)
    _fail(rt, passing, transient=True)
    failures = {f["asset_id"]: f for f in client.get("/api/v1/status").json()["failures"]}
    assert failures[doomed]["may_pass"] is False and failures[passing]["may_pass"] is True

    text = browser(client).get("/admin").text
    bodies = data_bodies(text)
    assert {"asset_ids": [passing]} in bodies
    assert {"asset_ids": [doomed]} not in bodies
    assert "Cannot be processed" in text and "albumen reprocess --failed" in text
    assert {"may_pass_only": True} in bodies  # the "Retry all failed" button

    r = client.post("/api/v1/status/retry", json={"may_pass_only": True})
    assert r.json() == {"queued": 1}
    assert _state(rt, passing) == "ready" and _state(rt, doomed) == "failed"
    # Only refusals are left: no "Retry all failed"; asking by id still runs it (an upgrade).
    text = browser(client).get("/admin").text
    assert "Retry all failed" not in text
    assert client.post("/api/v1/status/retry", json={"may_pass_only": True}).json() == {
        "queued": 0}
    assert client.post("/api/v1/status/retry", json={"asset_ids": [doomed]}).json() == {
        "queued": 1}


def test_web_session_retry_needs_csrf(client: TestClient, rt: Runtime) -> None:
    broken = upload(client, images.jpeg(seed=51), "x.jpg")
    _fail(rt, broken)
    b = browser(client)
    assert b.post("/api/v1/status/retry").status_code == 403  # no CSRF token
    token = re.search(r'name="csrf-token" content="([^"]+)"', b.get("/admin").text)
    assert token is not None
    r = b.post("/api/v1/status/retry", headers={"X-CSRF-Token": token.group(1)},
               json={"asset_ids": [broken]})
    assert r.json() == {"queued": 1} and _state(rt, broken) == "ready"


def test_one_password_minimum_everywhere(rt: Runtime) -> None:
    """Setup, account, admin and share-link forms ask for the minimum the server enforces
    (security/passwords.py), and say it (issue 22, item 8)."""
    from albumen.api.app import create_app
    from albumen.security.passwords import MIN_LENGTH

    with TestClient(create_app(rt, start_workers=False)) as fresh:
        setup = fresh.get("/setup").text
        assert setup.count(f'minlength="{MIN_LENGTH}"') == 2
        assert f"at least {MIN_LENGTH} characters" in setup
        short = "x" * (MIN_LENGTH - 1)
        refused = fresh.post("/api/v1/setup", json={"username": "admin", "password": short})
        assert refused.status_code == 422 and str(MIN_LENGTH) in refused.text
        assert fresh.post("/api/v1/setup", json={"username": "admin",
                                                 "password": ADMIN_PASSWORD}).status_code == 201
        from tests.conftest import bearer

        fresh.headers["Authorization"] = bearer(fresh, "admin", ADMIN_PASSWORD)
        b = browser(fresh)
        for path in ("/account", "/admin"):
            text = b.get(path).text
            assert f'minlength="{MIN_LENGTH}"' in text, path
            assert re.findall(r'type="password"[^>]*minlength="(\d+)"', text) == [
                str(MIN_LENGTH)] * len(re.findall(r'type="password"[^>]*minlength', text)), path
        event = fresh.post("/api/v1/events", json={"title": "x"}).json()
        sharing = b.get(f"/events/{event['id']}/sharing").text
        assert f'minlength="{MIN_LENGTH}"' in sharing


def test_malformed_page_addresses_get_the_not_found_page(client: TestClient) -> None:
    b = browser(client)
    for path in ("/events/abc", "/events/abc/sharing", "/people/9x", "/albums/-1",
                 "/events/99999999999999999999999"):
        r = b.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"] and "not found" in r.text.lower(), path
    api = client.get("/api/v1/events/abc")  # the API keeps its JSON error
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_input"


def test_admin_manages_roles_quotas_passwords_and_reads_the_audit_log(client: TestClient
                                                                       ) -> None:
    """The admin page's forms for another user (role, quota in GB, a new password) are the
    API's requests, and the latest audit entries are listed (issue 22, item 8)."""
    make_user(client, "member")
    member_id = next(u["id"] for u in client.get("/api/v1/users").json()
                     if u["username"] == "member")
    b = browser(client)
    text = b.get("/admin").text
    assert f'data-api="PATCH /api/v1/users/{member_id}" data-then="reload" data-done="saved"' \
        in text
    assert f'id="adm-{member_id}" name="is_admin"' in text
    assert 'name="quota_bytes" type="number" min="0" step="0.1" data-scale="1073741824"' in text
    assert f'data-api="POST /api/v1/users/{member_id}/password"' in text
    assert 'id="adm-1"' not in text  # no demoting yourself from the page
    # What those forms send works: role, quota, password (and the old password stops).
    assert client.patch(f"/api/v1/users/{member_id}", json={
        "is_admin": True, "quota_bytes": 2_684_354_560}).status_code == 200
    assert client.post(f"/api/v1/users/{member_id}/password",
                       json={"password": "a-new-password-9"}).status_code == 204
    text = b.get("/admin").text
    assert f'id="quota-{member_id}" name="quota_bytes"' in text and 'value="2.5"' in text
    audit_rows = re.findall(r"<code>([a-z_.]+)</code>", text.split('id="audit"')[1])
    assert {"user.create", "user.role", "user.password"} <= set(audit_rows), audit_rows
