"""Videos in the web app, in Chromium (issue 28): a big clip sent in parts whose second part
the network drops — Retry resumes from the bytes the server has, not from the start — a
small clip shown as a video tile that scrubs its strip under the pointer, and the viewer's
player loading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_web_browser import (  # noqa: F401  (browser: a fixture)
    PASSWORD,
    browser,
    serving,
    setup_admin,
    wait_js,
    watch_errors,
)
from tests.videos import live_photo_jpeg, make_clip

pytestmark = pytest.mark.slow
PART = 8 * 1024 * 1024


def _padded(path: Path, size: int) -> Path:
    """A valid MP4 made ``size`` bytes long by a trailing ``free`` box (players skip it)."""
    data = path.read_bytes()
    pad = size - len(data)
    path.write_bytes(data + pad.to_bytes(4, "big") + b"free" + b"\0" * (pad - 8))
    return path


def test_a_big_clip_resumes_and_videos_play(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    with serving(tmp_path, ALBUMEN_WORKERS="2") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        errors = watch_errors(page)
        setup_admin(page, base)
        big = _padded(make_clip(tmp_path / "speeches.mp4", seconds=2.0), 2 * PART + 123_456)
        small = make_clip(tmp_path / "dance.webm", seconds=2.0, codec="libvpx-vp9",
                          audio=False)
        offsets: list[str] = []

        def network(route: Any) -> None:
            if route.request.method == "PATCH":
                offsets.append(route.request.headers.get("upload-offset", "?"))
                if len(offsets) == 2:  # the second part: the connection drops
                    route.abort("connectionreset")
                    return
            route.continue_()

        page.route("**/api/v1/uploads/**", network)
        page.goto(base + "/upload")
        page.set_input_files("#files", [str(big)])
        page.get_by_text("resumes where it stopped").wait_for(timeout=60_000)
        errors.clear()  # the dropped part is logged by the console
        page.click("li.upload button:has-text('Retry')")
        wait_js(page, "[...document.querySelectorAll('li.upload .status')].some("
                      "s => s.textContent.startsWith('uploaded'))", 120)
        assert offsets == ["0", str(PART), str(PART), str(2 * PART)], offsets
        page.set_input_files("#files", [str(small)])  # small: one request
        wait_js(page, "[...document.querySelectorAll('li.upload .status')].filter("
                      "s => s.textContent.startsWith('uploaded')).length === 2", 60)

        # The library: video tiles with their length; the strip under the pointer.
        api = context.request
        assets = wait_until_ready(api, base, 2)
        clip = next(a for a in assets if a["original_filename"] == "dance.webm")
        page.goto(base + "/")
        tile = page.locator(f".tile[data-id='{clip['id']}']")
        tile.locator(".vid.badge").get_by_text("0:02").wait_for()
        box = tile.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
        page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
        wait_js(page, f"getComputedStyle(document.querySelector(\".tile[data-id='{clip['id']}']"
                      " .scrub\")).backgroundImage.includes('/strip')")
        # The viewer plays it.
        page.goto(f"{base}/photos/{clip['id']}")
        wait_js(page, "document.getElementById('video')?.readyState >= 1 && "
                      "!document.getElementById('video').error", 30)
        # An event's slideshow plays a short clip through.
        token = api.post(f"{base}/api/v1/auth/token", form={
            "username": "admin", "password": PASSWORD}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        event = api.post(f"{base}/api/v1/events", headers=auth,
                         data={"title": "Wedding"}).json()
        sent = api.post(f"{base}/api/v1/assets?event_id={event['id']}", headers=auth,
                        multipart={"file": {"name": "toast.webm", "mimeType": "video/webm",
                                            "buffer": make_clip(
                                                tmp_path / "toast.webm", seconds=1.0,
                                                codec="libvpx-vp9", audio=False,
                                                dark_frames=3).read_bytes()}})
        assert sent.status == 201, sent.text()
        wait_until_ready(api, base, 3)
        page.goto(f"{base}/events/{event['id']}/slideshow?interval=5")
        wait_js(page, "document.querySelector('#show video.shown')?.readyState >= 2", 30)
        # A Live Photo is one tile, and its clip plays while the pointer is on it.
        key = "0C7A2F4E-1B2D-4C3E-8F90-A1B2C3D4E5F6"
        pair = [("IMG_0007.JPG", "image/jpeg", live_photo_jpeg(key)),
                ("IMG_0007.MOV", "video/quicktime", make_clip(
                    tmp_path / "IMG_0007.MOV", seconds=1.5,
                    metadata={"com.apple.quicktime.content.identifier": key}).read_bytes())]
        sent_ids = []
        for name, mime, data in pair:
            sent = api.post(f"{base}/api/v1/assets", headers=auth, multipart={
                "file": {"name": name, "mimeType": mime, "buffer": data}})
            assert sent.status == 201, sent.text()
            sent_ids.append(sent.json()["asset"]["id"])
        still = sent_ids[0]
        wait_until_ready(api, base, 4)  # the clip is not listed: the still stands for both
        page.goto(base + "/")
        live = page.locator(f".tile[data-id='{still}']")
        box = live.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_js(page, f"(v => v && v.classList.contains('on') && !v.paused && v.readyState >= 2)"
                      f"(document.querySelector(\".tile[data-id='{still}'] video.motion\"))", 30)
        page.mouse.move(0, 0)
        wait_js(page, f"document.querySelector(\".tile[data-id='{still}'] video.motion\").paused")
        assert errors == []


def wait_until_ready(api: Any, base: str, n: int) -> list[dict]:
    from tests.processes import wait_until

    found: list[dict] = []

    def ready() -> bool:
        items = api.get(f"{base}/api/v1/assets").json()["items"]
        found[:] = items
        return len(items) == n and all(a["state"] == "ready" for a in items)

    assert wait_until(ready, 120), found
    return found
