"""Naming people in a real browser (Chromium, against a real `albumen serve` with the face
model): a name already given is suggested, and giving it to someone else asks "same person?"
— Merge makes one person of the two, Keep separate two of one name.

Skipped, with the reason, like tests/test_web_browser.py when Chromium is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FACES
from tests.processes import wait_until
from tests.test_web_browser import (  # noqa: F401 (browser: the fixture)
    browser,
    serving,
    setup_admin,
    shot,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow
GROUP, TOM = FACES / "t1.jpg", FACES / "Tom_Hanks_54745.png"  # six people; Tom Hanks


def _people(page: Any) -> list[tuple[str, str]]:
    cards = page.locator(".peoplegrid .person")
    return sorted((cards.nth(i).locator("strong").inner_text(),
                   cards.nth(i).locator(".muted").inner_text()) for i in range(cards.count()))


def test_a_taken_name_offers_a_merge(tmp_path: Path, browser: Any) -> None:  # noqa: F811
    if not TOM.exists():
        pytest.skip(f"face photos missing ({TOM}); run `make test-data`")
    with serving(tmp_path, ALBUMEN_WORKERS="2", ALBUMEN_ENRICHMENTS="faces",
                 ALBUMEN_FACE_MIN_FACES="3") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        errors = watch_errors(page)
        setup_admin(page, base)
        page.goto(base + "/upload")
        page.set_input_files("#files", [str(GROUP), str(TOM)])
        wait_js(page, "document.querySelectorAll('.upload.done').length === 2", 60)

        # Seven faces, one person in each: nobody is grouped from one photo each.
        def faces_found() -> bool:
            page.goto(base + "/people")
            return page.locator(".facecard").count() == 7
        assert wait_until(faces_found, 120, interval=1), "faces were not found"
        photo_of = [page.locator(".facecard").nth(i).locator("a").get_attribute("href")
                    for i in range(7)]
        alone = next(href for href, n in Counter(photo_of).items() if n == 1)  # Tom Hanks

        def card(photo: str, other: bool = False) -> Any:
            cards = page.locator(".facecard")
            return next(cards.nth(i) for i in range(cards.count())
                        if (cards.nth(i).locator("a").get_attribute("href") == photo) != other)

        # The face alone in its photo is named Tom.
        tom = card(alone)
        tom.locator("input[name=name]").fill("Tom")
        tom.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/people/\d+$"))
        tom_url = page.url
        page.locator("h1", has_text="Tom").wait_for()

        # A face of the group photo is named Ann; on her page she is renamed "tom ".
        page.goto(base + "/people")
        ann = card(alone, other=True)
        ann.locator("input[name=name]").fill("Ann")
        ann.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/people/\d+$"))
        assert page.url != tom_url
        page.fill("#pname", "")
        page.locator("#pname").press_sequentially("to")
        wait_js(page, "!!document.querySelector('#people-names option[value=\"Tom\"]')")
        assert page.locator("#people-names option").get_attribute("label") == "1 photo"
        page.fill("#pname", "tom ")
        page.get_by_role("button", name="Rename").click()
        prompt = page.locator(".samename")
        prompt.get_by_text("Same person as Tom (1 photo)?").wait_for()
        assert page.evaluate("document.activeElement.textContent") == "Merge"
        shot(page, "people-same-name")
        prompt.get_by_role("button", name="Merge").click()

        # One Tom, with both faces, on his page and in People.
        page.wait_for_url(tom_url)
        page.get_by_text("2 photos · 2 faces").wait_for()
        assert page.locator(".facegrid .facecard").count() == 2
        page.goto(base + "/people")
        assert _people(page) == [("Tom", "2 photos")]

        # Another face named "TOM", kept separate: two people of the name.
        other = card(alone, other=True)
        other.locator("input[name=name]").fill("TOM")
        other.get_by_role("button", name="Save").click()
        other.get_by_text("Same person as Tom (2 photos)?").wait_for()
        other.get_by_role("button", name="Keep separate").click()
        page.wait_for_url(re.compile(r"/people/\d+$"))
        assert page.url != tom_url
        page.locator("h1", has_text="TOM").wait_for()
        page.goto(base + "/people")
        assert _people(page) == [("TOM", "1 photo"), ("Tom", "2 photos")]
        # The questions were answers of status 409, which the console logs; nothing else.
        assert not [e for e in errors if "409" not in e], errors
        context.close()
