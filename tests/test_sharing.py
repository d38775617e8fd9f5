"""Events, share links, guests, moderation and downloads, end to end through the API."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from albumen.db.base import utcnow
from albumen.media.strip import has_location
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "a-long-password"


def _gps_jpeg(seed: int) -> bytes:
    exif = images.exif_bytes(gps=(38.7223, -9.1393))
    return images.jpeg(640, 480, seed=seed, exif=exif)


def _user(client: TestClient, name: str) -> dict[str, str]:
    created = client.post("/api/v1/users", json={"username": name, "password": PASSWORD})
    assert created.status_code == 201, created.text
    return {"Authorization": bearer(client, name, PASSWORD)}


def _guest_upload(client: TestClient, token: str, data: bytes, name: str,
                  guest_token: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": ""}
    if guest_token:
        headers["X-Guest-Token"] = guest_token
    client.cookies.clear()
    r = client.post(f"/api/v1/share/{token}/assets", params={"guest_name": name},
                    files={"file": (f"{name}.jpg", data, "image/jpeg")}, headers=headers)
    return r.status_code, r.json()


def test_host_flow_from_the_api_alone(client: TestClient, rt: Runtime) -> None:
    """The issue's "done when": event, upload link with review, two guests (one over the
    limit), approve/reject, a reveal-later view link without location, ZIP of the approved."""
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={
        "title": "Ana & Rui", "timezone": "Europe/Lisbon", "review_required": True,
        "starts_at": "2026-06-01T15:00:00Z"}).json()
    assert event["role"] == "owner"
    upload_link = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
        "can_view": False, "can_upload": True, "max_uploads_per_guest": 2}).json()
    assert len(upload_link["token"]) >= 43  # 256 bits, URL-safe base64

    ok1, first = _guest_upload(client, upload_link["token"], _gps_jpeg(1), "maria")
    assert ok1 == 201, first
    maria = first["guest_token"]
    ok2, second = _guest_upload(client, upload_link["token"], _gps_jpeg(2), "maria", maria)
    assert ok2 == 201, second
    over, refused = _guest_upload(client, upload_link["token"], _gps_jpeg(3), "maria", maria)
    assert over == 429 and refused["error"]["code"] == "rate_limited"
    ok3, third = _guest_upload(client, upload_link["token"], _gps_jpeg(4), "joao")
    assert ok3 == 201, third  # the other guest is unaffected
    assert first["asset"]["moderation"] == "pending"

    ids = [first["asset"]["id"], second["asset"]["id"], third["asset"]["id"]]
    pending = client.get("/api/v1/assets", headers=host,
                         params={"event_id": event["id"], "moderation": "pending"}).json()
    assert sorted(a["id"] for a in pending["items"]) == sorted(ids)
    assert client.post(f"/api/v1/events/{event['id']}/moderation", headers=host, json={
        "asset_ids": [ids[0], ids[2]], "decision": "approve"}).json()["changed"] == 2
    assert client.post(f"/api/v1/events/{event['id']}/moderation", headers=host, json={
        "asset_ids": [ids[1]], "decision": "reject", "note": "blurry"}).json()["changed"] == 1

    reveal = utcnow() + timedelta(hours=2)
    view = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
        "can_view": True, "can_download": True, "strip_location": True,
        "reveal_at": reveal.isoformat()}).json()
    anon = {"Authorization": ""}
    client.cookies.clear()
    assert client.get(f"/api/v1/share/{view['token']}/assets", headers=anon).json()[
        "items"] == []  # not revealed yet
    client.patch(f"/api/v1/links/{view['id']}", headers=host,
                 json={"reveal_at": (utcnow() - timedelta(minutes=1)).isoformat()})
    shown = client.get(f"/api/v1/share/{view['token']}/assets", headers=anon).json()["items"]
    assert sorted(a["id"] for a in shown) == sorted([ids[0], ids[2]])  # not the rejected one

    original = client.get(f"/api/v1/share/{view['token']}/assets/{ids[0]}/original",
                          headers=anon)
    assert original.status_code == 200 and not has_location(original.content)
    with rt.session() as session:
        from albumen.db.models import Asset

        stored = session.get(Asset, ids[0])
        assert stored is not None
        with rt.storage.open(stored.storage_key) as fh:
            assert has_location(fh.read())  # the stored original is untouched

    archive = client.get(f"/api/v1/share/{view['token']}/download", headers=anon)
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        names = zf.namelist()
        assert sorted(names) == ["joao.jpg", "maria.jpg"]
        assert all(not has_location(zf.read(n)) for n in names)

    audit = client.get("/api/v1/audit", params={"action": "moderation.reject"}).json()
    assert audit and audit[0]["details"]["note"] == "blurry"
    uploads = client.get("/api/v1/audit", params={"action": "asset.guest_upload"}).json()
    assert sorted(e["target_id"] for e in uploads) == sorted(ids)
    assert all(e["actor_guest_id"] for e in uploads)


def test_revoked_and_expired_links_stop_at_once(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Party"}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"can_view": True}).json()
    anon = {"Authorization": ""}
    assert client.get(f"/api/v1/share/{link['token']}", headers=anon).status_code == 200
    assert client.delete(f"/api/v1/links/{link['id']}", headers=host).status_code == 204
    assert client.get(f"/api/v1/share/{link['token']}", headers=anon).status_code == 404
    expired = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
        "expires_at": (utcnow() - timedelta(seconds=1)).isoformat()}).json()
    assert client.get(f"/api/v1/share/{expired['token']}", headers=anon).status_code == 404
    assert client.get("/api/v1/share/not-a-real-token", headers=anon).status_code == 404


def test_link_password_and_qr(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Gala"}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"password": "secret-words"}).json()
    anon = {"Authorization": ""}
    assert client.get(f"/api/v1/share/{link['token']}", headers=anon).status_code == 401
    ok = {"Authorization": "", "X-Share-Password": "secret-words"}
    assert client.get(f"/api/v1/share/{link['token']}", headers=ok).json()["title"] == "Gala"
    png = client.get(f"/api/v1/share/{link['token']}/qr.png", headers=ok)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    svg = client.get(f"/api/v1/share/{link['token']}/qr.svg", headers=ok)
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_people_see_only_what_they_may(client: TestClient) -> None:
    alice, bob = _user(client, "alice"), _user(client, "bob")
    mine = client.post("/api/v1/assets", headers=alice,
                       files={"file": ("a.jpg", images.jpeg(seed=11))}).json()["asset"]
    for path in ("", "/original", "/thumbnail", "/preview", "/near-duplicates"):
        r = client.get(f"/api/v1/assets/{mine['id']}{path}", headers=bob)
        assert r.status_code == 404, (path, r.status_code)
    assert client.delete(f"/api/v1/assets/{mine['id']}", headers=bob).status_code == 404
    assert client.get("/api/v1/assets", headers=bob).json()["items"] == []
    uploads = client.get("/api/v1/audit", params={"action": "asset.upload"}).json()
    assert [e["target_id"] for e in uploads] == [mine["id"]]
    # The administrator manages accounts but does not read other people's photos.
    assert client.get(f"/api/v1/assets/{mine['id']}").status_code == 404
    # Without credentials nothing is readable.
    assert client.get("/api/v1/assets", headers={"Authorization": ""}).status_code == 401
    # Event roles: a viewer sees approved photos, cannot moderate or upload.
    event = client.post("/api/v1/events", headers=alice,
                        json={"title": "Trip", "review_required": True}).json()
    client.put(f"/api/v1/events/{event['id']}/members", headers=alice,
               json={"username": "bob", "role": "viewer"})
    up = client.post("/api/v1/assets", headers=alice, params={"event_id": event["id"]},
                     files={"file": ("t.jpg", images.jpeg(seed=12))}).json()["asset"]
    assert client.get(f"/api/v1/assets/{up['id']}", headers=bob).status_code == 200
    denied = client.post(f"/api/v1/events/{event['id']}/moderation", headers=bob,
                         json={"asset_ids": [up["id"]], "decision": "reject"})
    assert denied.status_code == 403
    refused = client.post("/api/v1/assets", headers=bob, params={"event_id": event["id"]},
                          files={"file": ("b.jpg", images.jpeg(seed=13))})
    assert refused.status_code == 403


def test_tokens_refresh_logout_and_api_keys(client: TestClient) -> None:
    client.post("/api/v1/users", json={"username": "carol", "password": PASSWORD})
    anon = {"Authorization": ""}
    pair = client.post("/api/v1/auth/token", headers=anon,
                       data={"username": "carol", "password": PASSWORD}).json()
    auth = {"Authorization": f"Bearer {pair['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=auth).json()["user"]["username"] == "carol"
    new = client.post("/api/v1/auth/refresh", headers=anon,
                      json={"refresh_token": pair["refresh_token"]}).json()
    assert client.post("/api/v1/auth/refresh", headers=anon, json={
        "refresh_token": pair["refresh_token"]}).status_code == 401  # used once
    auth = {"Authorization": f"Bearer {new['access_token']}"}
    key = client.post("/api/v1/api-keys", headers=auth,
                      json={"name": "reader", "scopes": ["read"]}).json()
    as_key = {"Authorization": f"Bearer {key['secret']}"}
    assert client.get("/api/v1/assets", headers=as_key).status_code == 200
    write = client.post("/api/v1/events", headers=as_key, json={"title": "x"})
    assert write.status_code == 403  # read-only key
    assert client.get("/api/v1/api-keys", headers=auth).json()[0]["prefix"] == key["prefix"]
    assert "secret" not in client.get("/api/v1/api-keys", headers=auth).json()[0]
    client.delete(f"/api/v1/api-keys/{key['id']}", headers=auth)
    assert client.get("/api/v1/assets", headers=as_key).status_code == 401
    assert client.post("/api/v1/auth/logout", headers=auth).status_code == 204
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 401
    wrong = client.post("/api/v1/auth/token", headers=anon,
                        data={"username": "carol", "password": "nope-nope"})
    assert wrong.status_code == 401


def test_cookie_sessions_need_csrf(client: TestClient) -> None:
    client.post("/api/v1/users", json={"username": "dave", "password": PASSWORD})
    client.headers.pop("Authorization")
    login = client.post("/api/v1/auth/login", json={"username": "dave", "password": PASSWORD})
    assert login.status_code == 200
    assert "httponly" in login.headers["set-cookie"].lower()
    assert "samesite=lax" in login.headers["set-cookie"].lower()
    csrf = login.json()["csrf_token"]
    assert client.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/events", json={"title": "x"}).status_code == 403
    ok = client.post("/api/v1/events", json={"title": "x"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_setup_only_once_and_login_rate_limit(client: TestClient) -> None:
    again = client.post("/api/v1/setup", json={"username": "eve", "password": PASSWORD})
    assert again.status_code == 409
    anon = {"Authorization": ""}
    codes = [client.post("/api/v1/auth/token", headers=anon,
                         data={"username": "admin", "password": "wrong-password"}).status_code
             for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    limited = client.post("/api/v1/auth/token", headers=anon,
                          data={"username": "admin", "password": "wrong-password"})
    assert int(limited.headers["retry-after"]) >= 1
    failed = client.get("/api/v1/audit", params={"action": "auth.login_failed"}).json()
    assert len(failed) == 10 and all("password" not in str(e["details"]) for e in failed)


def test_guests_delete_their_own_uploads_only(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Fair"}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"can_view": True, "can_upload": True}).json()
    _, a = _guest_upload(client, link["token"], images.jpeg(seed=21), "ann")
    _, b = _guest_upload(client, link["token"], images.jpeg(seed=22), "ben")
    client.cookies.clear()
    ann = {"Authorization": "", "X-Guest-Token": a["guest_token"]}
    other = client.delete(f"/api/v1/share/{link['token']}/assets/{b['asset']['id']}",
                          headers=ann)
    assert other.status_code == 404
    mine = client.get(f"/api/v1/share/{link['token']}/assets", headers=ann,
                      params={"mine": True}).json()["items"]
    assert [x["id"] for x in mine] == [a["asset"]["id"]] and mine[0]["mine"]
    own = client.delete(f"/api/v1/share/{link['token']}/assets/{a['asset']['id']}",
                        headers=ann)
    assert own.status_code == 204
    left = client.get(f"/api/v1/share/{link['token']}/assets", headers=ann).json()["items"]
    assert [x["id"] for x in left] == [b["asset"]["id"]]


def test_upload_window_and_link_limit(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Run"}).json()
    later = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
        "can_upload": True,
        "upload_opens_at": (utcnow() + timedelta(hours=1)).isoformat()}).json()
    code, body = _guest_upload(client, later["token"], images.jpeg(seed=31), "x")
    assert code == 403 and "open at" in body["error"]["message"]
    capped = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                         json={"can_upload": True, "max_uploads": 1}).json()
    assert _guest_upload(client, capped["token"], images.jpeg(seed=32), "y")[0] == 201
    code, body = _guest_upload(client, capped["token"], images.jpeg(seed=33), "z")
    assert code == 429
    # A refused or duplicate file does not use up the allowance.
    bad = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                      json={"can_upload": True, "max_uploads": 1}).json()
    code, _ = _guest_upload(client, bad["token"], b"not an image", "q")
    assert code == 415
    assert _guest_upload(client, bad["token"], images.jpeg(seed=34), "q")[0] == 201


def test_quota_and_rejected_uploads_are_purged(client: TestClient, rt: Runtime) -> None:
    small = client.post("/api/v1/users", json={"username": "small", "password": PASSWORD,
                                               "quota_bytes": 1000}).json()
    assert small["quota_bytes"] == 1000
    headers = {"Authorization": bearer(client, "small", PASSWORD)}
    over = client.post("/api/v1/assets", headers=headers,
                       files={"file": ("big.jpg", images.jpeg(seed=41))})
    assert over.status_code == 413 and over.json()["error"]["code"] == "quota_exceeded"

    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host,
                        json={"title": "Q", "review_required": True}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"can_upload": True}).json()
    _, up = _guest_upload(client, link["token"], images.jpeg(seed=42), "g")
    asset_id = up["asset"]["id"]
    client.post(f"/api/v1/events/{event['id']}/moderation", headers=host,
                json={"asset_ids": [asset_id], "decision": "reject"})
    from albumen.db.models import Asset
    from albumen.operations.maintenance import purge_rejected

    assert purge_rejected(rt, older_than=timedelta(days=1)).count == 0  # not old enough
    later = utcnow() + timedelta(days=31)
    assert [i["asset_id"] for i in purge_rejected(rt, dry_run=True, now=later).items] == [
        asset_id]
    assert purge_rejected(rt, now=later).count == 1
    with rt.session() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.purged_at is not None  # the record stays
        assert not rt.storage.exists(asset.storage_key)
    gone = client.get(f"/api/v1/assets/{asset_id}/original", headers=host)
    assert gone.status_code == 404


def test_albums_hold_library_and_event_photos_and_share_by_link(client: TestClient) -> None:
    alice, bob = _user(client, "alice"), _user(client, "bob")
    own = client.post("/api/v1/assets", headers=alice,
                      files={"file": ("own.jpg", images.jpeg(seed=51))}).json()["asset"]
    event = client.post("/api/v1/events", headers=bob, json={"title": "Bob's"}).json()
    client.put(f"/api/v1/events/{event['id']}/members", headers=bob,
               json={"username": "alice", "role": "viewer"})
    theirs = client.post("/api/v1/assets", headers=bob, params={"event_id": event["id"]},
                         files={"file": ("ev.jpg", images.jpeg(seed=52))}).json()["asset"]
    private = client.post("/api/v1/assets", headers=bob,
                          files={"file": ("bob.jpg", images.jpeg(seed=53))}).json()["asset"]
    album = client.post("/api/v1/albums", headers=alice, json={"title": "Best of"}).json()
    sneaky = client.post(f"/api/v1/albums/{album['id']}/assets", headers=alice,
                         json={"asset_ids": [private["id"]]})
    assert sneaky.status_code == 404  # cannot add what she cannot see
    added = client.post(f"/api/v1/albums/{album['id']}/assets", headers=alice,
                        json={"asset_ids": [own["id"], theirs["id"]]})
    assert added.json()["changed"] == 2
    assert client.get(f"/api/v1/albums/{album['id']}", headers=bob).status_code == 404
    listed = client.get(f"/api/v1/albums/{album['id']}/assets", headers=alice).json()
    assert sorted(a["original_filename"] for a in listed["items"]) == ["ev.jpg", "own.jpg"]

    link = client.post(f"/api/v1/albums/{album['id']}/links", headers=alice,
                       json={"can_download": True}).json()
    client.cookies.clear()
    anon = {"Authorization": ""}
    shown = client.get(f"/api/v1/share/{link['token']}/assets", headers=anon).json()["items"]
    assert len(shown) == 2
    for item in shown:
        thumb = client.get(item["links"]["preview"], headers=anon)
        assert thumb.status_code == 404 or thumb.headers["content-type"] == "image/jpeg"
    zipped = client.get(f"/api/v1/share/{link['token']}/download", headers=anon)
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        assert sorted(zf.namelist()) == ["ev.jpg", "own.jpg"]
    no_upload = client.post(f"/api/v1/albums/{album['id']}/links", headers=alice,
                            json={"can_upload": True})
    assert no_upload.status_code == 422
    selection = client.get("/api/v1/assets/download", headers=alice,
                           params={"ids": f"{own['id']},{private['id']}"})
    with zipfile.ZipFile(io.BytesIO(selection.content)) as zf:
        assert zf.namelist() == ["own.jpg"]  # bob's private photo is not hers to take


def test_purging_a_rejected_copy_keeps_shared_bytes(client: TestClient, rt: Runtime) -> None:
    """Originals are stored once per content: purging one event's rejected copy must not
    remove the bytes another asset still uses."""
    host = _user(client, "host")
    data = images.jpeg(seed=61)
    tokens = []
    for title in ("A", "B"):
        event = client.post("/api/v1/events", headers=host,
                            json={"title": title, "review_required": True}).json()
        tokens.append((event["id"], client.post(f"/api/v1/events/{event['id']}/links",
                                                headers=host,
                                                json={"can_upload": True}).json()["token"]))
    (ev_a, tok_a), (_, tok_b) = tokens
    _, a = _guest_upload(client, tok_a, data, "same")
    _, b = _guest_upload(client, tok_b, data, "same")
    assert a["status"] == b["status"] == "created" and a["asset"]["id"] != b["asset"]["id"]
    client.post(f"/api/v1/events/{ev_a}/moderation", headers=host,
                json={"asset_ids": [a["asset"]["id"]], "decision": "reject"})
    from albumen.operations.maintenance import purge_rejected

    assert purge_rejected(rt, now=utcnow() + timedelta(days=365)).count == 1
    kept = client.get(f"/api/v1/assets/{b['asset']['id']}/original", headers=host)
    assert kept.status_code == 200 and kept.content == data


def test_security_headers_and_no_password_in_logs(client: TestClient, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "never-log-this-password"
    client.post("/api/v1/users", json={"username": "frank", "password": secret})
    client.post("/api/v1/auth/token", headers={"Authorization": ""},
                data={"username": "frank", "password": secret})
    client.post("/api/v1/auth/token", headers={"Authorization": ""},
                data={"username": "frank", "password": secret + "x"})
    assert secret not in caplog.text
    r = client.get("/api/v1/auth/me")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"  # share tokens live in URLs
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_api_key_rate_limit(app_client: Callable[..., TestClient]) -> None:
    c = app_client(api_key_rate="3/minute")
    key = c.post("/api/v1/api-keys", json={"name": "k"}).json()["secret"]
    codes = [c.get("/api/v1/assets", headers={"Authorization": f"Bearer {key}"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert c.get("/api/v1/assets").status_code == 200  # sessions are not limited


def test_event_lifecycle(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={
        "title": "Week", "starts_at": "2026-07-01T10:00:00Z", "ends_at": "2026-07-07T10:00:00Z",
        "timezone": "Europe/Lisbon", "location": "Porto"}).json()
    bad = client.patch(f"/api/v1/events/{event['id']}", headers=host,
                       json={"ends_at": "2026-06-01T10:00:00Z"})
    assert bad.status_code == 422 and "before" in bad.json()["error"]["message"]
    tz = client.patch(f"/api/v1/events/{event['id']}", headers=host,
                      json={"timezone": "Mars/Olympus"})
    assert tz.status_code == 422
    for field in ("guest_comments", "selfie_search", "review_required", "archived", "title"):
        null = client.patch(f"/api/v1/events/{event['id']}", headers=host, json={field: None})
        assert null.status_code == 422 and field in null.json()["error"]["message"], field
    naive = client.post("/api/v1/events", headers=host,
                        json={"title": "n", "starts_at": "2026-07-01T10:00:00"})
    assert naive.status_code == 422
    photo = client.post("/api/v1/assets", headers=host, params={"event_id": event["id"]},
                        files={"file": ("c.jpg", images.jpeg(seed=71))}).json()["asset"]
    cover = client.patch(f"/api/v1/events/{event['id']}", headers=host,
                         json={"cover_asset_id": photo["id"]}).json()
    assert cover["cover_asset_id"] == photo["id"]
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={}).json()
    archived = client.patch(f"/api/v1/events/{event['id']}", headers=host,
                            json={"archived": True}).json()
    assert archived["archived_at"] is not None
    assert client.get("/api/v1/events", headers=host).json() == []
    assert len(client.get("/api/v1/events", headers=host, params={"archived": True}).json()) == 1
    anon = {"Authorization": ""}
    assert client.get(f"/api/v1/share/{link['token']}", headers=anon).status_code == 404
    assert client.delete(f"/api/v1/events/{event['id']}", headers=host).status_code == 204
    assert client.get(f"/api/v1/events/{event['id']}", headers=host).status_code == 404
    trashed = client.get("/api/v1/assets", headers=host, params={"trashed": True}).json()
    assert [a["id"] for a in trashed["items"]] == [photo["id"]]  # restorable, not lost


def test_album_membership_grants_no_more_than_the_event(client: TestClient) -> None:
    """A viewer removed from an event loses the event's photos he had put in his album: by
    id, original, comments, his album and its public link; a photo the host trashes leaves
    every album and link at once (issue 21, defect 4)."""
    host, viewer = _user(client, "host"), _user(client, "vic")
    event = client.post("/api/v1/events", headers=host, json={"title": "Gala"}).json()
    client.put(f"/api/v1/events/{event['id']}/members", headers=host,
               json={"username": "vic", "role": "viewer"})
    kept, trashed = (client.post("/api/v1/assets", headers=host, params={"event_id": event["id"]},
                                 files={"file": (f"{n}.jpg", images.jpeg(seed=s))}
                                 ).json()["asset"]["id"] for n, s in (("kept", 81), ("gone", 82)))
    album = client.post("/api/v1/albums", headers=viewer, json={"title": "Mine"}).json()
    assert client.post(f"/api/v1/albums/{album['id']}/assets", headers=viewer,
                       json={"asset_ids": [kept, trashed]}).json()["changed"] == 2
    token = client.post(f"/api/v1/albums/{album['id']}/links", headers=viewer,
                        json={"can_download": True}).json()["token"]
    anon = {"Authorization": ""}

    def album_ids() -> list[int]:
        return [a["id"] for a in client.get(f"/api/v1/albums/{album['id']}/assets",
                                            headers=viewer).json()["items"]]

    def link_ids() -> list[int]:
        client.cookies.clear()
        return [a["id"] for a in client.get(f"/api/v1/share/{token}/assets",
                                            headers=anon).json()["items"]]

    assert sorted(album_ids()) == sorted(link_ids()) == sorted([kept, trashed])
    assert client.delete(f"/api/v1/assets/{trashed}", headers=host).status_code == 200
    assert album_ids() == link_ids() == [kept]
    assert client.get(f"/api/v1/share/{token}/assets/{trashed}/original",
                      headers=anon).status_code == 404
    assert client.get(f"/api/v1/assets/{trashed}", headers=viewer).status_code == 404
    trash = client.get("/api/v1/assets", headers=viewer, params={"trashed": True}).json()
    assert trash["items"] == []  # the event's trash is the host's, not the viewers'

    assert client.delete(f"/api/v1/events/{event['id']}/members/vic",
                         headers=host).status_code == 204
    assert client.get(f"/api/v1/assets/{kept}", headers=viewer).status_code == 404
    assert client.get(f"/api/v1/assets/{kept}/original", headers=viewer).status_code == 404
    assert client.post(f"/api/v1/assets/{kept}/comments", headers=viewer,
                       json={"text": "still here?"}).status_code == 404
    assert album_ids() == [] and link_ids() == []
    assert client.get(f"/api/v1/share/{token}/assets/{kept}/original",
                      headers=anon).status_code == 404
    client.cookies.clear()
    zipped = client.get(f"/api/v1/share/{token}/download", headers=anon)
    assert zipped.status_code in (200, 404)
    if zipped.status_code == 200:
        with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
            assert zf.namelist() == []
    assert client.get(f"/api/v1/albums/{album['id']}", headers=viewer).json()["asset_count"] == 0
    # back in the event, the album shows the photo again (the album kept its place)
    client.put(f"/api/v1/events/{event['id']}/members", headers=host,
               json={"username": "vic", "role": "viewer"})
    assert album_ids() == link_ids() == [kept]


def test_guest_cookie_remembers_the_guest(client: TestClient) -> None:
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Picnic"}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"can_view": False, "can_upload": True}).json()
    client.cookies.clear()
    anon = {"Authorization": ""}
    url = f"/api/v1/share/{link['token']}"
    named = client.put(f"{url}/guest", headers=anon, json={"name": "Zoe"})
    assert named.json()["name"] == "Zoe" and "httponly" in named.headers["set-cookie"].lower()
    up = client.post(f"{url}/assets", headers=anon,
                     files={"file": ("z.jpg", images.jpeg(seed=81))})
    assert up.status_code == 201 and up.json()["guest_token"] == ""  # known by the cookie
    mine = client.get(f"{url}/assets", headers=anon, params={"mine": True}).json()["items"]
    assert [m["id"] for m in mine] == [up.json()["asset"]["id"]]
    assert client.get(url, headers=anon).json()["guest"]["uploads"] == 1
    client.cookies.clear()  # another phone: sees nothing (the link does not allow viewing)
    assert client.get(f"{url}/assets", headers=anon).json()["items"] == []


def test_guest_preview_is_the_preview_not_the_original(client: TestClient) -> None:
    """Regression: the guest preview served the original (bypassing can_download and
    carrying the GPS position) since the engagement change."""
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host, json={"title": "Dunes"}).json()
    data = _gps_jpeg(91)
    asset = client.post("/api/v1/assets", headers=host, params={"event_id": event["id"]},
                        files={"file": ("d.jpg", data)}).json()["asset"]
    client.cookies.clear()
    anon = {"Authorization": ""}
    for strip in (False, True):
        link = client.post(f"/api/v1/events/{event['id']}/links", headers=host, json={
            "can_view": True, "can_download": False, "strip_location": strip}).json()
        url = f"/api/v1/share/{link['token']}/assets/{asset['id']}"
        preview = client.get(f"{url}/preview", headers=anon)
        assert preview.status_code == 200 and preview.content != data
        assert not has_location(preview.content)
        assert client.get(f"{url}/original", headers=anon).status_code == 403


def test_a_duplicate_reveals_nothing_of_someone_elses_upload(client: TestClient) -> None:
    """Bytes identical to another guest's upload still awaiting review: the reply was that
    hidden asset (its id, filename, SHA-256, moderation state) and the upload was merged into
    it (issue 21, defect 3). Each uploader's copy is their own asset and moderation item; a
    duplicate is only ever the uploader's own earlier upload."""
    host = _user(client, "host")
    event = client.post("/api/v1/events", headers=host,
                        json={"title": "Party", "review_required": True}).json()
    token = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                        json={"can_upload": True}).json()["token"]
    contributor = _user(client, "carl")
    client.put(f"/api/v1/events/{event['id']}/members", headers=host,
               json={"username": "carl", "role": "contributor"})
    data = images.jpeg(seed=71)
    code_a, ann = _guest_upload(client, token, data, "secret-name")
    code_b, ben = _guest_upload(client, token, data, "ben")
    assert (code_a, code_b) == (201, 201), ben
    assert ben["status"] == "created" and ben["asset"]["id"] != ann["asset"]["id"]
    assert "secret-name" not in str(ben)
    by_carl = client.post("/api/v1/assets", params={"event_id": event["id"]},
                          headers=contributor, files={"file": ("carl.jpg", data, "image/jpeg")})
    assert by_carl.status_code == 201 and by_carl.json()["status"] == "created", by_carl.text
    assert by_carl.json()["asset"]["original_filename"] == "carl.jpg"
    # Each is its own item in the review queue, and the same guest again is a duplicate of
    # their own upload.
    pending = client.get("/api/v1/assets", headers=host,
                         params={"event_id": event["id"], "moderation": "pending"}).json()
    assert len(pending["items"]) == 3
    again_code, again = _guest_upload(client, token, data, "ben", ben["guest_token"])
    assert again_code == 200 and again["status"] == "duplicate"
    assert again["asset"]["id"] == ben["asset"]["id"]


def test_disabling_a_user_ends_their_api_keys_for_good(client: TestClient) -> None:
    """Re-enabling a disabled user brought their API keys back to life; the README says
    disabling ends them (issue 21, defect 9)."""
    dora = _user(client, "dora")
    key = client.post("/api/v1/api-keys", headers=dora,
                      json={"name": "sync", "scopes": ["read"]}).json()
    as_key = {"Authorization": f"Bearer {key['secret']}"}
    assert client.get("/api/v1/assets", headers=as_key).status_code == 200
    user_id = next(u["id"] for u in client.get("/api/v1/users").json() if u["username"] == "dora")
    assert client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200
    assert client.get("/api/v1/assets", headers=as_key).status_code == 401
    assert client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}).status_code == 200
    assert client.get("/api/v1/assets", headers=as_key).status_code == 401
    assert client.get("/api/v1/assets", headers=dora).status_code == 401  # sessions too


def test_a_disabled_users_links_stop_working(client: TestClient) -> None:
    """Share links of a disabled user's events and albums kept serving (issue 21, defect 9)."""
    host = _user(client, "erin")
    event = client.post("/api/v1/events", headers=host, json={"title": "E"}).json()
    token = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                        json={"can_upload": True}).json()["token"]
    album = client.post("/api/v1/albums", headers=host, json={"title": "A"}).json()
    album_token = client.post(f"/api/v1/albums/{album['id']}/links", headers=host,
                              json={}).json()["token"]
    anon = {"Authorization": ""}
    for t in (token, album_token):
        assert client.get(f"/api/v1/share/{t}", headers=anon).status_code == 200
    user_id = next(u["id"] for u in client.get("/api/v1/users").json() if u["username"] == "erin")
    client.patch(f"/api/v1/users/{user_id}", json={"is_active": False})
    for t in (token, album_token):
        assert client.get(f"/api/v1/share/{t}", headers=anon).status_code == 404
    code, _ = _guest_upload(client, token, images.jpeg(seed=81), "x")
    assert code == 404
    client.patch(f"/api/v1/users/{user_id}", json={"is_active": True})
    assert client.get(f"/api/v1/share/{token}", headers=anon).status_code == 200


def test_not_found_replies_do_not_name_the_photo(client: TestClient) -> None:
    """Deleting someone else's comment, or fetching the crop of a face in a photo one may not
    see, answered "asset N not found": which photo it belongs to (issue 21, defect 9)."""
    asset = client.post("/api/v1/assets", files={"file": ("p.jpg", images.jpeg(seed=91))}
                        ).json()["asset"]
    comment = client.post(f"/api/v1/assets/{asset['id']}/comments", json={"text": "mine"}).json()
    other = _user(client, "fred")
    r = client.delete(f"/api/v1/comments/{comment['id']}", headers=other)
    assert r.status_code == 404 and r.json()["error"]["message"] == (
        f"comment {comment['id']} not found")
    assert str(asset["id"]) not in str(r.json()["error"].get("details", {}))


def test_share_links_can_be_shown_again_to_their_managers(
        app_client: Callable[..., TestClient], tmp_path: Any) -> None:
    """A link's address is kept sealed (not readable in the database) and shown again to the
    event's managers; never to other members; a changed secret makes it unshowable, and the
    link keeps working (issue 22, item 3)."""
    from sqlalchemy import text

    from albumen.runtime import get_runtime

    client = app_client()
    host, cohost, viewer = _user(client, "host"), _user(client, "co"), _user(client, "vi")
    event = client.post("/api/v1/events", headers=host, json={"title": "Fair"}).json()
    for name, role in (("co", "cohost"), ("vi", "viewer")):
        client.put(f"/api/v1/events/{event['id']}/members", headers=host,
                   json={"username": name, "role": role})
    made = client.post(f"/api/v1/events/{event['id']}/links", headers=host,
                       json={"label": "tables", "can_upload": True}).json()
    for who in (host, cohost):
        listed = client.get(f"/api/v1/events/{event['id']}/links", headers=who).json()
        assert [(x["token"], x["url"]) for x in listed] == [(made["token"], made["url"])]
    assert client.get(f"/api/v1/events/{event['id']}/links", headers=viewer).status_code in (
        403, 404)
    rt = get_runtime()
    key = rt.settings.data_dir / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
    with rt.session() as session:
        row = session.execute(text("SELECT * FROM share_links")).mappings().one()
    assert made["token"] not in " ".join(str(v) for v in row.values())

    other = app_client(secret_key="another-secret-of-this-installation")
    relisted = other.get(f"/api/v1/events/{event['id']}/links", headers=host).json()
    assert [(x["token"], x["url"]) for x in relisted] == [(None, None)]
    still = other.get(f"/api/v1/share/{made['token']}", headers={"Authorization": ""})
    assert still.status_code == 200
