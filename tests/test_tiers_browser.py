"""Curation tiers in the web app, in Chromium (issue 29): the viewer promotes a photo to
silver, is told what gold still needs when it refuses, and the library's selection bar sets a
tier for several photos at once and downloads them with their metadata."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests import images
from tests.test_video_browser import wait_until_ready
from tests.test_web_browser import (  # noqa: F401  (browser: a fixture)
    PASSWORD,
    browser,
    serving,
    setup_admin,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow


def test_the_viewer_and_the_selection_bar_set_tiers(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    with serving(tmp_path) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        errors = watch_errors(page)
        setup_admin(page, base)
        api = context.request
        token = api.post(f"{base}/api/v1/auth/token", form={
            "username": "admin", "password": PASSWORD}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        ids = []
        for seed in (1, 2):
            sent = api.post(f"{base}/api/v1/assets", headers=auth, multipart={"file": {
                "name": f"p{seed}.jpg", "mimeType": "image/jpeg",
                "buffer": images.jpeg(seed=seed, exif=images.exif_bytes(gps=(38.7, -9.1)))}})
            assert sent.status == 201, sent.text()
            ids.append(sent.json()["asset"]["id"])
        wait_until_ready(api, base, 2)

        page.goto(f"{base}/photos/{ids[0]}")
        page.get_by_text("Gold needs:").wait_for()
        page.click("#tiers [data-tier=silver]")
        wait_js(page, "document.querySelector('#tiers [data-tier=silver]')"
                      ".getAttribute('aria-pressed') === 'true'")
        page.click("#tiers [data-tier=gold]")
        page.locator(".toast.bad").get_by_text("a title or a description").wait_for()
        errors.clear()  # the refused request is logged by the console
        assert api.get(f"{base}/api/v1/assets/{ids[0]}", headers=auth).json()["tier"] == \
            "silver"

        page.goto(base + "/")
        for asset_id in ids:
            page.locator(f".tile[data-id='{asset_id}'] .select").click()
        page.select_option("#bulk-tier", "silver")
        page.click("[data-bulk=tier]")
        page.locator(".toast").get_by_text("2 photo(s) now silver").wait_for()
        found = api.get(f"{base}/api/v1/search?q=tier:silver", headers=auth).json()["items"]
        assert sorted(h["asset"]["id"] if "asset" in h else h["id"] for h in found) == ids

        # The same photos downloaded with their metadata: copies and sidecars in one ZIP.
        for asset_id in ids:
            page.locator(f".tile[data-id='{asset_id}'] .select").click()
        with page.expect_download() as caught:
            page.click("[data-bulk=download-metadata]")
        names = sorted(zipfile.ZipFile(caught.value.path()).namelist())
        assert names == ["p1.jpg", "p1.jpg.xmp", "p2.jpg", "p2.jpg.xmp"]
        assert errors == []
