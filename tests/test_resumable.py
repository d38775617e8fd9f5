"""Resumable uploads (issue 28: a guest's video over a weak connection): parts appended at
their offset, a cut-off part keeping what arrived, HEAD telling where to resume, the whole
file ingested like a one-request upload; someone else's upload unreachable; bad input
refused with nothing kept; unfinished uploads expiring."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from albumen.db.base import utcnow
from albumen.db.models import Asset, ResumableUpload
from albumen.errors import InvalidInput
from albumen.library import resumable
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer
from tests.videos import make_clip

PART = "application/offset+octet-stream"


def _start(c: TestClient, name: str, length: int, base: str = "/api/v1/uploads",
           **kw: object) -> dict:
    r = c.post(base, json={"filename": name, "length": length}, **kw)  # type: ignore[arg-type]
    assert r.status_code == 201, r.text
    assert r.headers["location"] == r.json()["url"] and r.headers["upload-offset"] == "0"
    return r.json()


def _send(c: TestClient, url: str, offset: int, data: bytes, **headers: str) -> Any:
    return c.patch(url, content=data, headers={"Content-Type": PART,
                                               "Upload-Offset": str(offset), **headers})


def _assets() -> int:
    with get_runtime().session() as session:
        return session.scalar(select(func.count()).select_from(Asset)) or 0


@pytest.fixture
def clip(tmp_path: Path) -> bytes:
    return make_clip(tmp_path / "speech.mp4", seconds=2.0).read_bytes()


def test_a_video_sent_in_parts_becomes_an_asset(app_client: Callable[..., TestClient],
                                                clip: bytes) -> None:
    c = app_client()
    up = _start(c, "speech.mp4", len(clip))
    third = len(clip) // 3
    r = _send(c, up["url"], 0, clip[:third])
    assert r.status_code == 204 and r.headers["upload-offset"] == str(third)
    head = c.head(up["url"])
    assert head.headers["upload-offset"] == str(third)
    assert head.headers["upload-length"] == str(len(clip))
    # A part sent from the wrong place is refused with where to resume.
    wrong = _send(c, up["url"], 10, clip[10:third])
    assert wrong.status_code == 409 and wrong.json()["error"]["details"]["offset"] == third
    assert _send(c, up["url"], third, clip[third:2 * third]).status_code == 204
    done = _send(c, up["url"], 2 * third, clip[2 * third:])
    assert done.status_code == 201, done.text
    asset = done.json()["asset"]
    assert (asset["media_type"], asset["state"]) == ("video", "ready")
    assert asset["sha256"] == hashlib.sha256(clip).hexdigest()
    assert c.get(f"/api/v1/assets/{asset['id']}/original").content == clip
    state = c.get(up["url"]).json()
    assert (state["outcome"], state["asset_id"], state["offset"]) == (
        "imported", asset["id"], len(clip))
    assert _send(c, up["url"], len(clip), b"x").status_code == 409  # it is complete
    assert not list((get_runtime().settings.data_dir / "uploads").glob("*.part"))
    # The same file again, in one part: a duplicate of that asset.
    again = _start(c, "copy.mp4", len(clip))
    dup = _send(c, again["url"], 0, clip)
    assert dup.status_code == 200 and dup.json()["status"] == "duplicate"
    assert dup.json()["asset"]["id"] == asset["id"] and _assets() == 1


def test_a_part_cut_off_keeps_what_arrived(app_client: Callable[..., TestClient],
                                           clip: bytes) -> None:
    c = app_client()
    up = _start(c, "speech.mp4", len(clip))
    rt = get_runtime()
    owner = resumable.Owner(user_id=1)

    def dropped() -> Iterator[bytes]:  # the connection dies after 5,000 bytes
        yield clip[:3000]
        yield clip[3000:5000]
        raise InvalidInput("part interrupted: the client disconnected")

    with pytest.raises(InvalidInput):
        resumable.append(rt, up["id"], owner, 0, dropped())
    assert c.head(up["url"]).headers["upload-offset"] == "5000"
    finished = _send(c, up["url"], 5000, clip[5000:])
    assert finished.status_code == 201
    assert finished.json()["asset"]["sha256"] == hashlib.sha256(clip).hexdigest()


def test_uploads_are_their_owner_s_alone(app_client: Callable[..., TestClient],
                                         clip: bytes) -> None:
    c = app_client()
    c.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"})
    up = _start(c, "speech.mp4", len(clip))
    bob = {"Authorization": bearer(c, "bob", "bob-password-1")}
    assert c.head(up["url"], headers=bob).status_code == 404
    assert c.get(up["url"], headers=bob).status_code == 404
    assert _send(c, up["url"], 0, clip, **bob).status_code == 404
    assert c.delete(up["url"], headers=bob).status_code == 404
    assert c.get(up["url"], headers={"Authorization": ""}).status_code == 401
    assert c.head(up["url"]).headers["upload-offset"] == "0"  # untouched
    assert c.delete(up["url"]).status_code == 204
    assert c.head(up["url"]).status_code == 404


def test_bad_uploads_are_refused_and_nothing_kept(app_client: Callable[..., TestClient],
                                                  clip: bytes) -> None:
    c = app_client(max_upload_bytes=100_000)
    too_big = c.post("/api/v1/uploads", json={"filename": "x.mp4", "length": 1 << 60})
    assert too_big.status_code == 413
    assert c.post("/api/v1/uploads", json={"filename": "x", "length": 0}).status_code == 422
    # A photo larger than photos may be (videos may be larger): refused once its first bytes
    # say what it is, its bytes removed.
    photo = images.jpeg(1600, 1200, seed=3)
    assert len(photo) > 100_000
    up = _start(c, "big.jpg", len(photo))
    r = _send(c, up["url"], 0, photo)
    assert r.status_code == 413 and "100,000 bytes at most" in r.json()["error"]["message"]
    assert c.get(up["url"]).json()["outcome"] == "rejected"
    # HTML sent as a video: refused when whole, with the reason.
    html = b"<!doctype html><html><script>alert(1)</script></html>" * 40
    up = _start(c, "clip.mp4", len(html))
    r = _send(c, up["url"], 0, html)
    assert r.status_code == 415 and "an HTML page" in r.json()["error"]["message"]
    assert c.get(up["url"]).json()["error"].startswith("content is an HTML page")
    # More bytes than the upload's length; the wrong content type.
    up = _start(c, "speech.mp4", 100)
    assert _send(c, up["url"], 0, clip[:200]).status_code == 422
    assert c.patch(up["url"], content=b"x", headers={"Upload-Offset": "0"}).status_code == 422
    assert _assets() == 0
    # Only the unfinished upload's bytes are left (until it expires).
    assert len(list((get_runtime().settings.data_dir / "uploads").glob("*.part"))) == 1


def test_guests_upload_in_parts_through_their_link(app_client: Callable[..., TestClient],
                                                   clip: bytes) -> None:
    c = app_client()
    event = c.post("/api/v1/events", json={"title": "Wedding"}).json()
    link = c.post(f"/api/v1/events/{event['id']}/links",
                  json={"can_view": True, "can_upload": True}).json()
    base = f"/api/v1/share/{link['token']}/uploads"
    c.cookies.clear()
    anon = {"Authorization": ""}
    up = _start(c, "first-dance.mp4", len(clip), base=base, headers=anon)
    guest = {**anon, "X-Guest-Token": up["guest_token"]}
    c.cookies.clear()
    half = len(clip) // 2
    assert _send(c, up["url"], 0, clip[:half], **guest).status_code == 204
    assert c.head(up["url"], headers=guest).headers["upload-offset"] == str(half)
    # Another guest (or none) cannot see or continue it.
    assert c.head(up["url"], headers=anon).status_code in (404, 422)
    other = _start(c, "x.mp4", 10, base=base, headers=anon)["guest_token"]
    c.cookies.clear()
    assert _send(c, up["url"], half, clip[half:], **{**anon, "X-Guest-Token": other}
                 ).status_code == 404
    done = _send(c, up["url"], half, clip[half:], **guest)
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["status"] == "created" and body["asset"]["media_type"] == "video"
    owner_view = c.get(f"/api/v1/assets/{body['asset']['id']}").json()
    assert owner_view["event_id"] == event["id"] and owner_view["state"] == "ready"
    assert c.delete(up["url"], headers=guest).status_code == 204  # its row only


def test_unfinished_uploads_expire(app_client: Callable[..., TestClient], clip: bytes) -> None:
    c = app_client()
    up = _start(c, "speech.mp4", len(clip))
    assert _send(c, up["url"], 0, clip[:1000]).status_code == 204
    rt = get_runtime()
    part = rt.settings.data_dir / "uploads" / f"{up['id']}.part"
    assert part.stat().st_size == 1000
    assert resumable.expired(rt) == []
    with rt.transaction() as session:
        session.execute(update(ResumableUpload).values(expires_at=utcnow() - timedelta(1)))
    assert [u.id for u in resumable.expired(rt, dry_run=True)] == [up["id"]]
    assert part.exists()
    assert [u.id for u in resumable.expired(rt)] == [up["id"]]
    assert not part.exists() and c.head(up["url"]).status_code == 404
