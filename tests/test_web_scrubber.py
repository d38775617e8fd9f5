"""The timeline's date scrubber in a real browser (fixtures from tests/test_web_browser.py): the
rail lists the years and names the month under the pointer; a click, the keyboard and a touch
drag jump to months the infinite scroll has not loaded yet, the months skipped over still load
when scrolled to (from below without moving the view), and the rail marks the month in view
(issue 22, item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.images import exif_bytes, jpeg
from tests.processes import env_for, run_cli, wait_until
from tests.test_web_browser import (  # noqa: F401  (browser, server: fixtures)
    PHONE,
    browser,
    server,
    setup_admin,
    wait_js,
    watch_errors,
)

pytestmark = pytest.mark.slow

# August 2024 holds more than the first chunk of the timeline (120): the older months are not
# on the page until scrolled to, or jumped to.
MONTHS = {"2024-08": 122, "2024-02": 2, "2023-11": 2, "2023-05": 2, "2022-07": 2}
TITLES = {"2024-08": "August 2024", "2024-02": "February 2024", "2023-11": "November 2023",
          "2023-05": "May 2023", "2022-07": "July 2022"}

# Photos of a month fully in view (below the sticky top bar).
IN_VIEW_JS = """(month) => {
  const head = document.getElementById('m-' + month);
  if (!head) return 0;
  const top = document.querySelector('.topbar').getBoundingClientRect().bottom;
  let n = 0;
  for (let el = head.nextElementSibling; el && !el.matches('.monthhead');
       el = el.nextElementSibling) {
    const r = el.getBoundingClientRect();
    if (el.matches('.tile') && r.top >= top - 1 && r.bottom <= innerHeight + 1) n++;
  }
  return n;
}"""


def _import_library(tmp_path: Path) -> None:
    """MONTHS' photos, imported into the installation the ``server`` fixture serves."""
    folder = tmp_path / "library"
    folder.mkdir()
    seed = 0
    for month, count in MONTHS.items():
        for n in range(count):
            taken = f"{month.replace('-', ':')}:{n % 28 + 1:02d} 12:{n // 28:02d}:00"
            (folder / f"{month}-{n}.jpg").write_bytes(
                jpeg(96, 72, seed=seed, exif=exif_bytes(taken=taken)))
            seed += 1
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'albumen.db'}", ALBUMEN_WORKERS="2")
    run_cli(env, "import", str(folder), "--wait")


def _marked(page: Any) -> str:
    return page.get_attribute(".scrubber", "aria-valuetext")


def _lands_on(page: Any, month: str) -> None:
    """The month's photos are in view and the rail marks it."""
    wait_js(page, f"({IN_VIEW_JS})('{month}') >= {min(MONTHS[month], 2)}")
    wait_js(page, f"document.querySelector('.scrubber').getAttribute('aria-valuetext') === "
                  f"'{TITLES[month]}'")
    assert page.get_attribute(".scrub-month.current", "data-month") == month


def _segment(page: Any, month: str) -> tuple[float, float]:
    box = page.locator(f'.scrub-month[data-month="{month}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _tiles(page: Any) -> list[str]:
    return page.eval_on_selector_all(".grid .tile", "els => els.map(e => e.dataset.id)")


def test_scrubber_jumps_to_months_not_loaded_yet(server: str, browser: Any,  # noqa: F811
                                                 tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    _import_library(tmp_path)
    page.goto(server + "/")

    # The rail lists the months, newest first, and their years; August 2024 is in view.
    page.locator(".scrubber").wait_for()
    assert page.eval_on_selector_all(".scrub-month", "els => els.map(e => e.dataset.month)"
                                     ) == list(MONTHS)
    assert page.eval_on_selector_all(".scrub-year:not(.crowded)",
                                     "els => els.map(e => e.textContent)") == [
        "2024", "2023", "2022"]
    assert _marked(page) == "August 2024"
    assert page.locator("#m-2023-05").count() == 0  # not loaded yet

    # Hovering names the month under the pointer; a click goes there.
    x, y = _segment(page, "2023-05")
    page.mouse.move(x, y)
    assert page.inner_text(".scrub-label") == "May 2023" and page.is_visible(".scrub-label")
    page.mouse.click(x, y)
    _lands_on(page, "2023-05")
    # The month just above loads (its sentinel shows under the top bar) without moving the view.
    page.locator("#m-2023-11").wait_for(state="attached")
    assert page.evaluate(f"({IN_VIEW_JS})('2023-05')") == 2

    # Scrolling up loads the months skipped over, the nearest first, scrolling down the rest:
    # every photo once, every month in its place.
    page.mouse.move(400, 500)

    def scroll(dy: int, until: str) -> bool:
        return wait_until(lambda: page.mouse.wheel(0, dy) or page.evaluate(until), 60,
                          interval=0.3)

    assert scroll(-400, "scrollY === 0")
    assert scroll(400, "!document.querySelector('.grid .sentinel')")
    assert len(_tiles(page)) == len(set(_tiles(page))) == sum(MONTHS.values())
    assert page.eval_on_selector_all(".monthhead", "els => els.map(e => e.id)") == [
        f"m-{m}" for m in MONTHS]

    # The mark follows scrolling.
    page.evaluate("scrollTo(0, document.querySelector('#m-2023-11 + .tile')"
                  ".getBoundingClientRect().top + scrollY - 120)")
    wait_js(page, "document.querySelector('.scrubber').getAttribute('aria-valuetext') === "
                  "'November 2023'")
    page.evaluate("scrollTo(0, 0)")
    wait_js(page, "document.querySelector('.scrubber').getAttribute('aria-valuetext') === "
                  "'August 2024'")

    # The keyboard, on a fresh page: End, a month up, a year up and down, Home.
    page.goto(server + "/")
    page.focus(".scrubber")
    page.keyboard.press("End")
    _lands_on(page, "2022-07")
    page.keyboard.press("ArrowUp")
    _lands_on(page, "2023-05")
    page.keyboard.press("PageUp")
    _lands_on(page, "2024-08")
    page.keyboard.press("PageDown")
    _lands_on(page, "2023-11")
    page.keyboard.press("Home")
    _lands_on(page, "2024-08")
    assert len(set(_tiles(page))) == len(_tiles(page))
    assert not errors, errors
    context.close()


def test_scrubber_on_a_phone_follows_a_touch_drag(server: str, browser: Any,  # noqa: F811
                                                  tmp_path: Path) -> None:
    desktop = browser.new_context()
    setup_admin(desktop.new_page(), server)
    _import_library(tmp_path)
    phone = browser.new_context(**PHONE)
    phone.add_cookies(desktop.cookies())
    page = phone.new_page()
    errors = watch_errors(page)
    page.goto(server + "/")
    page.locator(".scrubber").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]

    # A finger down on the rail's top, dragged to May 2023, and up.
    touch = phone.new_cdp_session(page)
    x, start = _segment(page, "2024-08")
    _, end = _segment(page, "2023-05")
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                            "touchPoints": [{"x": x, "y": start}]})
    for step in range(1, 11):
        y = start + (end - start) * step / 10
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                "touchPoints": [{"x": x, "y": y}]})
    wait_js(page, "document.querySelector('.scrub-label').textContent === 'May 2023'")
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    _lands_on(page, "2023-05")
    assert page.is_hidden(".scrub-label")
    assert not errors, errors
    desktop.close()
    phone.close()
