"""Host and guest flows in a real browser (Chromium + Playwright against `albumen serve`; the
fixtures and skip rules are tests/test_web_browser.py's): a guest picking several photos at
once stays one guest; a host shows a share link again and sees a new one listed at once."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_web_browser import (  # noqa: F401  (browser: a fixture)
    PHONE,
    browser,
    photos,
    serving,
    setup_admin,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path, ALBUMEN_WORKERS="2") as base:
        yield base


def test_a_guest_picking_several_photos_is_one_guest(site: str, browser: Any,  # noqa: F811
                                                     tmp_path: Path) -> None:
    host = browser.new_context(viewport={"width": 1280, "height": 860})
    page = host.new_page()
    errors = watch_errors(page)
    setup_admin(page, site)
    page.goto(site + "/events/new")
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
