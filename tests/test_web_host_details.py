"""Details of the host's pages in a real browser (fixtures from tests/test_web_browser.py): the
viewer's Delete trashes the photo and goes on to the next one; a new event starts in the
browser's time zone (issue 22, item 8)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_web_browser import (  # noqa: F401  (browser, server: fixtures)
    browser,
    photos,
    server,
    setup_admin,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow


def _processed(page: Any, base: str, timeout: float = 120) -> None:
    """Wait until no photo is still processing (through the page's own session)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = page.request.get(f"{base}/api/v1/assets?state=processing").json()["items"]
        if not items:
            return
        time.sleep(0.5)
    raise AssertionError("photos still processing")



def test_delete_in_the_viewer_goes_to_the_next_photo(server: str, browser: Any,  # noqa: F811
                                                     tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.goto(server + "/upload")
    page.set_input_files("#files", [str(p) for p in photos(tmp_path, 3)])
    page.get_by_text("3 of 3 uploaded").wait_for(timeout=60_000)
    _processed(page, server)  # a viewer of a photo still processing reloads when it is done
    page.goto(server + "/")
    page.locator(".tile a").first.click()
    page.wait_for_url(re.compile(r"/photos/\d+"))
    first = page.url
    following = page.get_attribute("#next", "href")
    assert following and following != "#"
    page.on("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Delete")
    page.wait_for_url(lambda url: url != first)
    assert page.url.split("?")[0].endswith(following.split("?")[0])
    assert not errors, errors
    context.close()


def test_a_new_events_time_zone_starts_as_the_browsers(server: str, browser: Any  # noqa: F811
                                                       ) -> None:
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    setup_admin(page, server)
    page.goto(server + "/events/new")
    assert page.input_value("#tz") == "Asia/Tokyo"
    page.fill("#title", "Hanami")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/sharing$"))
    event_id = re.search(r"/events/(\d+)/", page.url).group(1)
    page.goto(f"{server}/events/{event_id}/settings")
    assert page.input_value("#tz") == "Asia/Tokyo"  # kept, and never overwritten later
    context.close()


def test_an_album_made_from_search_results_and_shared(server: str, browser: Any,  # noqa: F811
                                                      tmp_path: Path) -> None:
    """Select photos in search results → "New album…" → the album holds them; the album page
    makes a share link, lists it at once and shows it again; its visitor sees the photos
    (issue 22, item 6)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.goto(server + "/upload")
    page.set_input_files("#files", [str(p) for p in photos(tmp_path, 3, prefix="trip")])
    page.get_by_text("3 of 3 uploaded").wait_for(timeout=60_000)
    page.goto(server + "/search?q=trip")
    tiles = page.locator(".grid .tile")
    tiles.first.wait_for()
    assert tiles.count() == 3
    for i in range(2):
        tiles.nth(i).locator("button.select").click()
    page.get_by_text("2 selected").wait_for()
    page.select_option("#bulk-album", "new")
    page.once("dialog", lambda dialog: dialog.accept("Trip highlights"))
    page.locator('.selectionbar [data-bulk="album"]').click()
    page.get_by_text('added to "Trip highlights" (2 new)').wait_for()

    page.goto(server + "/albums")
    page.get_by_text("Trip highlights").click()
    page.wait_for_url(re.compile(r"/albums/\d+$"))
    assert page.locator(".grid .tile").count() == 2
    page.fill("#label", "family")
    page.check("#can_download")
    page.click("#newlink button[type=submit]")
    page.locator("#newlink-result").wait_for()
    link = page.input_value("#newlink-url")
    page.locator("#links tr[data-link]", has_text="family").wait_for()
    page.reload()
    page.get_by_role("button", name="Show link & QR").click()
    assert page.input_value("#newlink-url") == link

    visitor = browser.new_context()
    guest = visitor.new_page()
    guest.goto(link)
    guest.get_by_role("heading", name="Trip highlights").wait_for()
    wait_js(guest, "document.querySelectorAll('#g-gallery-grid .tile').length === 2")
    assert not errors, errors
    visitor.close()
    context.close()


def test_an_admin_sets_a_quota_in_gb(server: str, browser: Any) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.goto(server + "/admin")
    page.fill("#nu-name", "member")
    page.fill("#nu-pass", "member-password-1")
    page.click(".newuser button[type=submit]")
    row = page.locator('tr[data-user="member"]')
    row.wait_for()
    row.locator("summary", has_text="Manage").click()
    row.locator('input[name="quota_bytes"]').fill("2.5")
    row.get_by_role("button", name="Save").click()
    page.get_by_text("of 2.5 GB").wait_for()
    users = page.evaluate("fetch('/api/v1/users').then(r => r.json())")
    assert next(u for u in users if u["username"] == "member")["quota_bytes"] == 2_684_354_560
    assert not errors, errors
    context.close()


def test_download_resized_makes_a_zip_of_the_selection(server: str, browser: Any,  # noqa: F811
                                                       tmp_path: Path) -> None:
    """Select photos → "Download resized" at 640 px: a queued export, then its ZIP
    downloads by itself, with the selected photos as WebP within 640 px (issue 27)."""
    import io
    import zipfile

    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 860},
                                  accept_downloads=True)
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.goto(server + "/upload")
    page.set_input_files("#files", [str(p) for p in photos(tmp_path, 3, prefix="resize")])
    page.get_by_text("3 of 3 uploaded").wait_for(timeout=60_000)
    page.goto(server + "/search?q=resize")
    tiles = page.locator(".grid .tile")
    tiles.first.wait_for()
    for i in range(2):
        tiles.nth(i).locator("button.select").click()
    page.get_by_text("2 selected").wait_for()
    page.select_option("#bulk-resize", "640")
    with page.expect_download(timeout=120_000) as download:
        page.locator('.selectionbar [data-bulk="resized"]').click()
    with zipfile.ZipFile(download.value.path()) as zf:
        names = zf.namelist()
        shots = [Image.open(io.BytesIO(zf.read(n))) for n in names]
    assert len(names) == 2 and all(n.endswith(".webp") for n in names)
    assert all(s.format == "WEBP" and max(s.size) <= 640 for s in shots)
    assert not errors, errors
    context.close()
