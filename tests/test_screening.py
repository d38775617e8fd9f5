"""Screening of guest uploads with the real NudeNet model and real quality measures.

A test suite cannot ship explicit photos, so the rule "a guest upload scoring at or above the
threshold waits for a moderator" is exercised with a threshold of 0 (every photo scores at
least 0); the model's low score on ordinary photos is checked with the real threshold.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image, ImageEnhance, ImageFilter

from tests import images

FACES = Path(__file__).resolve().parent.parent / ".venv" / "test-data" / "faces"


def _photo() -> Image.Image:
    path = FACES / "t1.jpg"
    return Image.open(path).convert("RGB") if path.exists() else images.photo(1280, 886, 3)


def _jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _event(c: TestClient, review: bool = False) -> tuple[int, str]:
    event = c.post("/api/v1/events", json={"title": "Party", "review_required": review}).json()
    link = c.post(f"/api/v1/events/{event['id']}/links",
                  json={"can_view": True, "can_upload": True}).json()
    return event["id"], link["token"]


def _guest_upload(c: TestClient, token: str, data: bytes, name: str) -> dict:
    c.cookies.clear()
    r = c.post(f"/api/v1/share/{token}/assets", headers={"Authorization": ""},
               files={"file": (name, data)})
    assert r.status_code == 201, r.text
    return c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()


def test_clean_guest_upload_is_released_after_screening(
        app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="screening")
    _, token = _event(c)
    asset = _guest_upload(c, token, _jpeg(_photo()), "party.jpg")
    assert asset["moderation"] == "approved" and asset["moderation_note"] is None
    assert asset["screening"]["nudity"] < 0.5 and asset["screening"]["flags"] == []
    shown = c.get(f"/api/v1/share/{token}/assets", headers={"Authorization": ""}).json()
    assert [a["id"] for a in shown["items"]] == [asset["id"]]


def test_flagged_guest_upload_waits_for_a_moderator(
        app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="screening", screening_nudity_threshold=0.0)
    event_id, token = _event(c)
    held = _guest_upload(c, token, _jpeg(_photo()), "guest.jpg")
    assert held["moderation"] == "pending"
    assert held["moderation_note"].startswith("held by screening: nudity")
    c.cookies.clear()  # another guest (the uploader still sees their own upload)
    assert c.get(f"/api/v1/share/{token}/assets", headers={"Authorization": ""}
                 ).json()["items"] == []
    own = c.post("/api/v1/assets", params={"event_id": event_id},
                 files={"file": ("host.jpg", _jpeg(_photo(), 80))}).json()["asset"]
    assert own["moderation"] == "approved"  # the host's own photos are not held
    c.post(f"/api/v1/events/{event_id}/moderation",
           json={"asset_ids": [held["id"]], "decision": "approve"})
    assert c.get(f"/api/v1/assets/{held['id']}").json()["moderation"] == "approved"


def test_blurry_dark_and_duplicate_uploads_are_flagged(
        app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="screening")
    _, token = _event(c)
    photo = _photo()
    first = _guest_upload(c, token, _jpeg(photo), "a.jpg")
    blurry = _guest_upload(c, token, _jpeg(photo.filter(ImageFilter.GaussianBlur(8))), "b.jpg")
    dark = _guest_upload(c, token, _jpeg(ImageEnhance.Brightness(photo).enhance(0.12)),
                         "c.jpg")
    again = _guest_upload(c, token, _jpeg(photo, quality=60), "d.jpg")

    def flags(a: dict) -> set[str]:
        return {f["flag"] for f in a["screening"]["flags"]}

    assert "blurry" in flags(blurry) and "blurry" not in flags(first)
    assert "dark" in flags(dark)
    twin = next(f for f in again["screening"]["flags"] if f["flag"] == "near_duplicate")
    assert first["id"] in twin["asset_ids"] and twin["reason"].startswith("near-duplicate")
    # Flags inform the moderator; only nudity holds a photo back.
    assert {blurry["moderation"], dark["moderation"], again["moderation"]} == {"approved"}


def test_bursts_are_stacked_with_the_sharpest_on_top(
        app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="bursts")
    scene = images.photo(1600, 1200, seed=21)
    shots = [("b0.jpg", scene.filter(ImageFilter.GaussianBlur(3)), "18:30:00"),
             ("b1.jpg", scene, "18:30:01"),  # the sharp one
             ("b2.jpg", scene.crop((6, 4, 1600, 1200)).resize((1600, 1200))
              .filter(ImageFilter.GaussianBlur(2)), "18:30:02"),
             ("later.jpg", scene, "18:45:00")]  # same scene, minutes later: not the burst
    ids = {}
    for name, im, clock in shots:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=90, exif=images.exif_bytes(taken=f"2023:06:01 {clock}"))
        ids[name] = c.post("/api/v1/assets", files={"file": (name, buf.getvalue())}
                           ).json()["asset"]["id"]
    burst = c.get(f"/api/v1/assets/{ids['b1.jpg']}").json()
    assert burst["stack_id"] is not None and burst["stack_cover"] is True
    stacked = c.get("/api/v1/assets", params={"stack_id": burst["stack_id"]}).json()["items"]
    assert sorted(a["id"] for a in stacked) == sorted(ids[n] for n in ("b0.jpg", "b1.jpg",
                                                                         "b2.jpg"))
    assert c.get(f"/api/v1/assets/{ids['later.jpg']}").json()["stack_id"] is None
    timeline = c.get("/api/v1/assets", params={"collapse_stacks": True}).json()["items"]
    assert sorted(a["id"] for a in timeline) == sorted([ids["b1.jpg"], ids["later.jpg"]])
