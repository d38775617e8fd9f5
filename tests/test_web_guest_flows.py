"""Host and guest flows in a real browser (Chromium + Playwright against `albumen serve`; the
fixtures and skip rules are tests/test_web_browser.py's): a guest picking several photos at
once stays one guest; a host shows a share link again and sees a new one listed at once."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.test_video_browser import wait_until_ready
from tests.test_web_browser import (  # noqa: F401  (browser, server: fixtures)
    PHONE,
    browser,
    photos,
    server,
    setup_admin,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow



def test_a_guest_picking_several_photos_is_one_guest(server: str, browser: Any,  # noqa: F811
                                                     tmp_path: Path) -> None:
    host = browser.new_context(viewport={"width": 1280, "height": 860})
    page = host.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.goto(server + "/events/new")
    page.fill("#title", "Tom's birthday")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/sharing$"))
    event_id = int(re.search(r"/events/(\d+)/", page.url).group(1))

    # A new link shows up in the list at once, and can be shown again after a reload.
    assert page.locator("#links tr[data-link]").count() == 0
    page.fill("#label", "tables")
    page.click("#newlink button[type=submit]")
    page.locator("#newlink-result").wait_for()
    link = page.input_value("#newlink-url")
    page.locator("#links tr[data-link]", has_text="tables").wait_for()
    page.reload()
    assert page.locator("#newlink-result").is_hidden()
    page.get_by_role("button", name="Show link & QR").click()
    page.locator("#newlink-result").wait_for()
    assert page.input_value("#newlink-url") == link
    wait_js(page, "document.getElementById('newlink-qr').naturalWidth > 0")
    poster = page.get_attribute("#newlink-poster", "href")
    assert poster and poster.endswith("/poster") and link.rsplit("/", 1)[1] in poster

    # A guest who has never been here picks four photos at once.
    guest_context = browser.new_context(**PHONE)
    guest = guest_context.new_page()
    guest_errors = watch_errors(guest)
    guest.goto(link)
    guest.get_by_role("heading", name="Tom's birthday").wait_for()
    guest.fill("#g-name", "Tom")
    picked = photos(tmp_path, 4, prefix="tom")
    guest.set_input_files("#g-files", [str(p) for p in picked])
    guest.get_by_text("4 of 4 uploaded").wait_for(timeout=90_000)
    wait_js(guest, "document.querySelectorAll('#g-mine-grid .tile').length === 4", timeout=60)

    db = sqlite3.connect(tmp_path / "albumen.db")  # where `serving` keeps it
    guests = db.execute("SELECT name FROM guests").fetchall()
    owners = db.execute("SELECT COUNT(DISTINCT guest_id), COUNT(*) FROM assets "
                        "WHERE event_id = ?", (event_id,)).fetchone()
    db.close()
    assert guests == [("Tom",)]
    assert owners == (1, 4)
    assert not errors and not guest_errors, (errors, guest_errors)
    host.close()
    guest_context.close()


def _event_link(page: Any, server: str, title: str, *, review: bool = False,  # noqa: F811
                download: bool = False) -> str:
    page.goto(server + "/events/new")
    page.fill("#title", title)
    if review:
        page.check("#review")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/sharing$"))
    page.fill("#label", "guests")
    if download:
        page.check("#can_download")
    page.click("#newlink button[type=submit]")
    page.locator("#newlink-result").wait_for()
    return page.input_value("#newlink-url")


def _shown(guest: Any) -> str:
    return guest.evaluate("document.getElementById('g-lightbox').dataset.asset || ''")


def test_guest_gallery_lightbox_steps_downloads_and_takes_drops(server: str, browser: Any,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    host = browser.new_context(viewport={"width": 1280, "height": 860})
    page = host.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    link = _event_link(page, server, "Lia's party", download=True)

    guest_context = browser.new_context(viewport={"width": 1024, "height": 800},
                                        accept_downloads=True)
    guest = guest_context.new_page()
    guest_errors = watch_errors(guest)
    guest.goto(link)
    guest.get_by_role("heading", name="Lia's party").wait_for()
    # Before anyone uploads: a friendly word in the gallery and in "Your uploads".
    guest.get_by_text("No photos shared yet — be the first: upload yours above").wait_for()
    guest.locator("#g-mine-empty").wait_for()

    # Two photos picked, a third dropped on the upload card (which shows it takes the drop).
    picked = photos(tmp_path, 3, prefix="lia")
    guest.set_input_files("#g-files", [str(p) for p in picked[:2]])
    guest.get_by_text("2 of 2 uploaded").wait_for(timeout=90_000)
    drop = guest.evaluate_handle(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, { type: "image/jpeg" }));
            return dt;
        }""", [picked[2].name, base64.b64encode(picked[2].read_bytes()).decode()])
    guest.dispatch_event("#g-drop", "dragover", {"dataTransfer": drop})
    assert "over" in guest.get_attribute("#g-drop", "class")
    guest.dispatch_event("#g-drop", "drop", {"dataTransfer": drop})
    assert "over" not in guest.get_attribute("#g-drop", "class")
    guest.get_by_text("3 of 3 uploaded").wait_for(timeout=90_000)
    # Each finished upload reloads both lists; the newest reply wins (an older, shorter one
    # arriving late is dropped), so both settle on all three.
    wait_js(guest, "document.querySelectorAll('#g-gallery-grid .tile').length === 3", timeout=60)
    wait_js(guest, "document.querySelectorAll('#g-mine-grid .tile').length === 3", timeout=60)
    assert guest.locator("#g-gallery-empty").is_hidden()
    assert guest.locator("#g-mine-empty").is_hidden()
    # Processing gives the photos their capture times, which reorders the gallery: let it
    # settle (on a busy machine it ends after the lists were loaded), then look again.
    wait_until_ready(host.request, server, 3)
    guest.reload()
    wait_js(guest, "document.querySelectorAll('#g-gallery-grid .tile').length === 3", timeout=60)

    # The first photo in the lightbox; next, previous and the arrow keys step through the gallery.
    guest.locator("#g-gallery-grid .tile a.open").first.click()
    wait_js(guest, "document.getElementById('g-lightbox').open")
    first = _shown(guest)
    assert first and guest.locator("#g-prev").is_disabled()
    guest.get_by_role("button", name="Next photo").click()
    second = _shown(guest)
    assert second not in ("", first)
    assert guest.inner_text("#g-count") == "2 of 3"
    guest.get_by_role("button", name="Previous photo").click()
    assert _shown(guest) == first
    guest.keyboard.press("ArrowRight")
    assert _shown(guest) == second
    guest.keyboard.press("ArrowRight")
    third = _shown(guest)
    assert third not in ("", first, second) and guest.locator("#g-next").is_disabled()
    assert guest.evaluate("document.getElementById('g-lightbox').contains(document.activeElement)")
    guest.keyboard.press("ArrowLeft")
    assert _shown(guest) == second

    # Downloads are on: the original of the shown photo.
    with guest.expect_download() as download:
        guest.click("#g-save")
    assert download.value.suggested_filename.endswith(".jpg")
    assert Path(download.value.path()).stat().st_size > 1000
    guest.keyboard.press("Escape")
    wait_js(guest, "!document.getElementById('g-lightbox').open")

    # With review on, the guest's own photo waits for review and the gallery says so.
    review_link = _event_link(page, server, "Quiet dinner", review=True)
    guest.goto(review_link)
    guest.get_by_role("heading", name="Quiet dinner").wait_for()
    guest.set_input_files("#g-files", str(picked[0]))
    guest.get_by_text("1 of 1 uploaded").wait_for(timeout=60_000)
    guest.locator("#g-mine-grid .tile", has_text="waiting for review").wait_for()
    assert "approve them" in guest.inner_text("#g-gallery-empty")
    assert not errors and not guest_errors, (errors, guest_errors)
    host.close()
    guest_context.close()
