"""The web app in a real browser: Debian's Chromium driven by Playwright against a real
`albumen serve` (SQLite, in-process workers). Screenshots of the main pages land in
test-output/screenshots/ (look at them).

Outside CI the tests are skipped, with the reason, when Chromium is not installed
(`apt-get install chromium`); in CI (CI=true) they always run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FACES
from tests.images import exif_bytes, jpeg
from tests.processes import env_for, free_port, spawn, wait_for_server, wait_until

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("ALBUMEN_SCREENSHOTS", "test-output/screenshots"))
PASSWORD = "admin-password-1"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"}

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium",
                allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow


@contextlib.contextmanager
def serving(tmp_path: Path, **env: str) -> Iterator[str]:
    """A fresh installation (no users yet) with ``env`` settings, served on a free port."""
    port = free_port()
    settings = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'albumen.db'}", **env)
    log = tmp_path / "serve.log"
    proc = spawn(settings, log, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(proc, f"{base}/health/live", log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path, ALBUMEN_WORKERS="2") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


# `make screenshots` sets this to docs/images: the README's pictures come from these tests.
README_SHOTS = os.environ.get("ALBUMEN_README_SHOTS")


def shot(page: Any, name: str, readme: str | None = None) -> None:
    """A screenshot into SHOTS; with ``readme``, also a small WebP of it for the README."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    if readme:  # the pictures in view loaded (or failed), not only their placeholders
        wait_js(page, "[...document.images].filter(i => i.getBoundingClientRect().top < "
                      "innerHeight).every(i => i.complete && (!i.closest('.tile') || "
                      "i.classList.contains('loaded') || i.classList.contains('broken')))")
        page.wait_for_timeout(400)  # the tiles' fade-in
    page.screenshot(path=str(path), full_page=False)
    if readme and README_SHOTS:
        from PIL import Image

        with Image.open(path) as im:
            im.thumbnail((900, 900))
            Path(README_SHOTS).mkdir(parents=True, exist_ok=True)
            im.convert("RGB").save(Path(README_SHOTS) / f"{readme}.webp", "WEBP", quality=72,
                                   method=6)


def wait_js(page: Any, expression: str, timeout: float = 30) -> None:
    """Poll a JavaScript expression from here (Playwright's wait_for_function evaluates
    strings with eval, which the pages' Content-Security-Policy rightly forbids)."""
    assert wait_until(lambda: page.evaluate(expression), timeout), expression


def watch_errors(page: Any) -> list[str]:
    """JavaScript errors and failed same-origin requests of a page (other than the thumbnail
    404s of photos still processing)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}")
            if m.type == "error" and "404" not in m.text else None)
    return errors


# A real photo where `make test-data` has fetched it (the README's screenshots show it), in
# different crops; generated pictures otherwise.
REAL = FACES / "t1.jpg"


def photos(tmp_path: Path, n: int, prefix: str = "holiday") -> list[Path]:
    from PIL import Image, ImageOps

    out = []
    for i in range(n):
        path = tmp_path / f"{prefix}-{i + 1}.jpg"
        exif = exif_bytes(taken=f"2024:0{i + 3}:1{i} 12:00:00", model=f"Camera {i}",
                          gps=(38.7 + i * 2.5, -9.1 + i * 4.0))
        if REAL.exists():
            across = ((i * 0.4 + (0.2 if prefix != "holiday" else 0.0)) % 1.0, 0.5)
            with Image.open(REAL) as im:
                ImageOps.fit(im.convert("RGB"), (900, 800), centering=across).save(
                    path, "JPEG", quality=88, exif=exif)
        else:
            path.write_bytes(jpeg(1200, 800, seed=i + 10, exif=exif))
        out.append(path)
    return out


def setup_admin(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"/setup$"))
    shot(page, "01-setup")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def login(page: Any, base: str, username: str = "admin", password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_setup_login_upload_timeline_viewer_search(server: str, browser: Any,
                                                   tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    page.get_by_text("No photos yet").wait_for()

    # Log out, then in again (a wrong password first: the reason is shown).
    page.click(".usermenu summary")
    page.click("text=Log out")
    page.wait_for_url(re.compile(r"/login"))
    page.fill("#username", "admin")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    page.get_by_text("wrong username or password").wait_for()
    shot(page, "02-login")
    errors.clear()  # the refused login is answered with status 401, which the console logs
    login(page, server)

    # Upload three photos and a file that is no image with the file picker. The network drops
    # the first try of one photo (the one true external edge, simulated in the browser); the
    # non-image is refused by the server, with its reason shown.
    sent: list[str] = []
    dropped: list[str] = []

    def network(route: Any) -> None:
        body = route.request.post_data_buffer or b""
        name = re.search(rb'filename="([^"]+)"', body)
        sent.append(name.group(1).decode() if name else "?")
        if name and name.group(1) == b"holiday-2.jpg" and not dropped:
            dropped.append("holiday-2.jpg")
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/assets", network)
    page.goto(server + "/upload")
    notes = tmp_path / "notes.jpg"
    notes.write_text("these are not the pixels you are looking for")
    page.set_input_files("#files", [str(p) for p in photos(tmp_path, 3)] + [str(notes)])
    page.get_by_text("2 of 4 uploaded, 2 failed").wait_for(timeout=60_000)
    refused = page.locator(".upload.failed", has_text="notes.jpg")
    assert "not a supported image" in refused.inner_text().lower() or "unsupported" in (
        refused.inner_text().lower()), refused.inner_text()
    page.locator(".upload.failed", has_text="holiday-2.jpg").get_by_role(
        "button", name="Retry").click()
    page.get_by_text("3 of 4 uploaded, 1 failed").wait_for(timeout=60_000)
    # A file refused for what it is gets no Retry: sending it again cannot succeed.
    assert refused.get_by_role("button", name="Retry").is_hidden()
    assert page.locator("#retry-all").is_hidden()
    # Only the failed file went again; the ones that succeeded were sent once.
    assert sorted(sent) == sorted(["holiday-1.jpg", "holiday-2.jpg", "holiday-2.jpg",
                                   "holiday-3.jpg", "notes.jpg"]), sent
    assert page.locator(".upload.done").count() == 3
    # and each one's processing, live over the WebSocket, until it is ready
    assert wait_until(lambda: page.locator(".upload.done", has_text="ready").count() == 3, 60)
    shot(page, "03-upload")
    page.unroute("**/api/v1/assets")
    errors.clear()  # the refused and the dropped uploads are logged by the console

    # They appear in the timeline, under their months, with thumbnails once processed.
    # (the next months come in by infinite scroll: wait for them rather than count at once,
    # and load the page again while a busy machine is still storing the last upload)
    def three_tiles() -> bool:
        page.goto(server + "/")
        return wait_until(lambda: page.locator(".grid .tile").count() == 3, 10)

    assert wait_until(three_tiles, 60, interval=1)
    _reload_until_ready(page, server, months=3)  # capture months, once metadata is read
    shot(page, "04-timeline", readme="library")

    page.goto(server + "/places")
    wait_js(page, "document.getElementById('map').dataset.points === '3'")
    page.wait_for_timeout(800)  # the map's zoom animation, for the screenshot
    shot(page, "04b-places")
    page.goto(server + "/")

    # The viewer: preview, details, keyboard next/previous in the grid's order.
    first = page.locator(".grid .tile").first.get_attribute("data-id")
    page.locator(".grid .tile a.open").first.click()
    page.wait_for_url(f"{server}/photos/{first}")
    page.get_by_text("Camera 2").wait_for()  # the newest photo (May 2024) comes first
    wait_js(page, "document.getElementById('photo').naturalWidth > 0")
    assert page.evaluate("window.albumenLoads") == 1  # one app.js, so one request per click
    # Where it was taken, on the offline base map (no tile server is configured).
    wait_js(page, "Number(document.getElementById('minimap')?.dataset.basemapLines) > 0")
    assert page.evaluate("document.getElementById('minimap').dataset.drawn") == "true"
    shot(page, "05-viewer")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(rf"/photos/(?!{first}$)\d+$"))
    page.get_by_text("Camera 1").wait_for()
    page.keyboard.press("f")  # favourite, through the API
    page.get_by_text("added to favourites").wait_for()
    page.fill("#comment", "What a lovely day")
    page.click(".commentform button[type=submit]")
    page.locator(".comments li", has_text="What a lovely day").wait_for()
    page.click('[data-react="love"]')
    wait_js(page, "document.querySelector('[data-react=love]').getAttribute('aria-pressed')"
                  " === 'true'")
    page.keyboard.press("Escape")
    page.wait_for_url(server + "/")

    # Search finds one of them by its file name.
    page.fill("#top-q", "holiday-2")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=holiday-2"))
    assert page.locator(".grid .tile").count() == 1
    page.locator("#facets .chip").first.wait_for()
    shot(page, "06-search")
    assert not errors, errors
    context.close()


def _reload_until_ready(page: Any, base: str, months: int) -> None:
    """The workers read the metadata and make thumbnails: reload the timeline until every
    thumbnail is there under its own month."""
    def ready() -> bool:
        page.goto(base + "/")
        return page.locator(".monthhead").count() == months and page.evaluate(
            "Promise.all([...document.querySelectorAll('.tile img')].map(i => i.decode()"
            ".then(() => true, () => false))).then(r => r.length > 0 && r.every(Boolean))")
    assert wait_until(ready, 60, interval=1), "thumbnails were not made"


def test_event_guest_upload_review_live_slideshow(server: str, browser: Any,
                                                  tmp_path: Path) -> None:
    host = browser.new_context(viewport={"width": 1280, "height": 860})
    page = host.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)

    # The host creates an event that reviews guest uploads, and a share link for it.
    page.goto(server + "/events/new")
    page.fill("#title", "Ana & Rui's wedding")
    page.check("#review")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/sharing$"))
    event_id = int(re.search(r"/events/(\d+)/", page.url).group(1))
    page.fill("#label", "tables")
    page.click("#newlink button[type=submit]")
    page.locator("#newlink-result").wait_for()
    link = page.input_value("#newlink-url")
    assert re.search(r"/s/[\w-]{20,}$", link)
    wait_js(page, "document.getElementById('newlink-qr').naturalWidth > 0")
    shot(page, "07-event-sharing")

    # A screen at the event shows the live slideshow (still empty).
    screen = host.new_page()
    screen_errors = watch_errors(screen)
    screen.goto(f"{server}/events/{event_id}/slideshow?interval=5")
    screen.get_by_text("Photos appear here as soon as they are approved").wait_for()
    wait_js(screen, "document.getElementById('show').dataset.live === 'open'")
    screen.evaluate("window.__sameDocument = true")

    # A guest opens the link on a phone, gives a name and uploads a photo.
    guest_context = browser.new_context(**PHONE)
    guest = guest_context.new_page()
    guest_errors = watch_errors(guest)
    guest.goto(link)
    guest.get_by_role("heading", name="Ana & Rui's wedding").wait_for()
    guest.get_by_text("The hosts look at new photos before everyone sees them").wait_for()
    assert guest.evaluate("window.albumenLoads") == 1
    guest.fill("#g-name", "Maria")
    upload = photos(tmp_path, 1, prefix="guest")[0]
    guest.set_input_files("#g-files", str(upload))
    guest.get_by_text("1 of 1 uploaded").wait_for(timeout=60_000)
    guest.get_by_text("waiting for approval").wait_for()
    assert guest.evaluate("document.documentElement.scrollWidth") <= 390
    shot(guest, "08-guest-phone", readme="guest-upload")

    # The host approves it in the review queue...
    page.goto(f"{server}/events/{event_id}/moderation")
    item = page.locator(".moditem").first
    item.wait_for()
    asset_id = item.get_attribute("data-id")
    assert "Maria" in item.inner_text()
    shot(page, "09-moderation")
    assert page.evaluate("window.albumenLoads") == 1
    item.get_by_role("button", name="Approve").click()
    page.get_by_text("1 photo(s) approved").wait_for()

    # ...and it appears on the open slideshow without a reload, once processed.
    screen.wait_for_selector(f'#show img.shown[data-id="{asset_id}"]', timeout=60_000)
    assert screen.evaluate("window.__sameDocument") is True
    assert "Maria" in screen.inner_text("#caption")
    shot(screen, "10-slideshow")

    # The host's insights: figures, charts, highlights.
    page.goto(f"{server}/events/{event_id}/insights")
    wait_js(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "15-insights")

    # The guest sees it as shared now, and in the gallery.
    guest.reload()
    guest.get_by_text("shared").first.wait_for()
    assert guest.locator("#g-gallery-grid .tile").count() == 1
    # ...opens it, reacts and comments (the event lets guests talk).
    guest.locator("#g-gallery-grid .tile a.open").first.click()
    guest.locator("#g-talk").wait_for()
    guest.click('#g-reactions [data-react="love"]')
    wait_js(guest, "document.querySelector('#g-reactions [data-react=love]')"
                   ".getAttribute('aria-pressed') === 'true'")
    guest.fill("#g-comment", "Congratulations!")
    guest.click("#g-comment-form button[type=submit]")
    guest.locator("#g-comments li", has_text="Congratulations!").wait_for()
    assert "Maria" in guest.inner_text("#g-comments")
    shot(guest, "16-guest-lightbox")
    assert not errors and not screen_errors and not guest_errors, (
        errors, screen_errors, guest_errors)
    host.close()
    guest_context.close()


def test_pages_fit_a_phone_and_label_their_controls(server: str, browser: Any) -> None:
    """Accessible basics on every main page at 360 px: nothing wider than the screen, every
    form control has a label, and every image has alt text."""
    desktop = browser.new_context()
    setup_admin(desktop.new_page(), server)
    cookies = desktop.cookies()
    phone = browser.new_context(**{**PHONE, "viewport": {"width": 360, "height": 740}})
    phone.add_cookies(cookies)
    page = phone.new_page()
    errors = watch_errors(page)
    unlabeled_js = """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby'))
        .map(el => el.outerHTML.slice(0, 120))"""
    for path in ("/", "/upload", "/search", "/albums", "/events", "/events/new", "/trash",
                 "/account", "/people", "/places", "/duplicates", "/admin"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert page.evaluate(unlabeled_js) == [], path
        assert page.evaluate("[...document.images].filter(i => !i.hasAttribute('alt'))"
                             ".length") == 0, path
    # Keyboard: "/" jumps to the search box.
    page.goto(server + "/")
    shot(page, "11-phone-library")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "top-q"
    assert not errors, errors
    wide = desktop.new_page()
    for path, name in (("/admin", "12-admin"), ("/places", "13-places"),
                       ("/account", "14-account")):
        wide.goto(server + path)
        shot(wide, name)
    desktop.close()
    phone.close()


# --- the places map: offline base map, labels, clusters; a tile server when configured ------
LISBON, MADRID, PARIS = (38.7223, -9.1393), (40.4168, -3.7038), (48.8566, 2.3522)

LABEL_OVERLAPS_JS = """() => {
  const r = [...document.querySelectorAll('#map .maplabel')].map(e => e.getBoundingClientRect());
  let n = 0;
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
    if (r[i].left < r[j].right && r[j].left < r[i].right
        && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
  }
  return n;
}"""
# Pixels of the base map's canvas by kind: land (its fill colour), lines (coasts and borders:
# opaque, not the land's colour) and the rest (the sea shows through, transparent).
BASEMAP_PIXELS_JS = """() => {
  const canvas = document.querySelector('#map .leaflet-basemap-pane canvas');
  if (!canvas) return null;
  const ctx = canvas.getContext('2d');
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const land = getComputedStyle(document.getElementById('map')).getPropertyValue('--map-land')
    .trim().match(/[0-9a-f]{2}/gi).map(h => parseInt(h, 16));
  const out = {land: 0, lines: 0, clear: 0, total: data.length / 4};
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 200) out.clear++;  // the sea, and the faint graticule on it
    else if (Math.abs(data[i] - land[0]) + Math.abs(data[i + 1] - land[1])
             + Math.abs(data[i + 2] - land[2]) < 12) out.land++;
    else out.lines++;
  }
  return out;
}"""


def _labels(page: Any, kind: str) -> list[str]:
    return page.eval_on_selector_all(f"#map .maplabel.{kind}", "els => els.map(e => e.textContent)")


def _zoom_to(page: Any, zoom: int) -> None:
    """Zoom with the map's own +/- buttons until the labels are laid out for ``zoom``."""
    for _ in range(20):
        now = int(page.evaluate("Number(document.getElementById('map').dataset.labeledZoom)"))
        if now == zoom:
            return
        page.click(".leaflet-control-zoom-in" if now < zoom else ".leaflet-control-zoom-out")
        wait_js(page, f"document.getElementById('map').dataset.labeledZoom !== '{now}'")
        page.wait_for_timeout(350)  # the clusters' animation
    raise AssertionError(f"could not zoom to {zoom}")


def test_places_map_offline_base_map_labels_and_clusters(server: str, browser: Any,
                                                         tmp_path: Path) -> None:
    """No tile server and no internet: the map still shows land, coasts, borders and names
    (from albumen's own files), and photos of one place gather in one counted cluster."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    outside: list[str] = []

    def offline(route: Any) -> None:  # the browser reaches albumen and nothing else
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", offline)
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, server)
    files = []
    for i, gps in enumerate([LISBON] * 4 + [MADRID, PARIS]):
        path = tmp_path / f"trip-{i + 1}.jpg"
        path.write_bytes(jpeg(640, 480, seed=40 + i, exif=exif_bytes(
            taken=f"2024:06:0{i + 1} 12:00:00", gps=gps)))
        files.append(path)
    page.goto(server + "/upload")
    page.set_input_files("#files", [str(p) for p in files])
    page.get_by_text("6 of 6 uploaded").wait_for(timeout=60_000)

    def positioned() -> bool:  # the workers read the positions
        page.goto(server + "/places")
        wait_js(page, "document.getElementById('map').dataset.points !== undefined")
        return page.evaluate("document.getElementById('map').dataset.points") == "6"
    assert wait_until(positioned, 60, interval=1), "the photos' positions were not read"

    # Fitted to the photos (Iberia to Paris): the detailed outlines, names that fit.
    wait_js(page, "document.getElementById('map').dataset.basemap === '50m'")
    wait_js(page, "document.getElementById('map').dataset.labeledZoom !== undefined")
    zoom = int(page.evaluate("document.getElementById('map').dataset.labeledZoom"))
    assert 4 <= zoom <= 6, zoom
    pixels = page.evaluate(BASEMAP_PIXELS_JS)
    assert pixels is not None, "no base map canvas"
    assert 0.2 < pixels["land"] / pixels["total"] < 0.9, pixels  # land and sea, both
    assert pixels["lines"] / pixels["total"] > 0.003, pixels  # coasts and borders drawn
    assert int(page.evaluate("document.getElementById('map').dataset.basemapLines")) > 100
    countries = _labels(page, "country")
    assert {"SPAIN", "FRANCE"} <= set(countries), countries
    cities = _labels(page, "city")
    assert {"Madrid", "Paris"} <= set(cities), cities
    assert page.evaluate(LABEL_OVERLAPS_JS) == 0
    # The four photos taken in Lisbon are one cluster of 4; Madrid and Paris are single dots.
    def clusters() -> list[int]:  # once those of the last zoom have faded out
        return [int(t.split()[0]) for t in page.locator("#map .photocluster").all_inner_texts()]
    assert wait_until(lambda: clusters() == [4], 5), clusters()
    assert page.locator("#map .photodot").count() == 2
    shot(page, "15-places-map")

    # Click the cluster: they share one spot, so it spreads them out; a dot opens its preview.
    page.click("#map .photocluster")
    assert wait_until(lambda: page.locator("#map .photodot").count() == 6, 10)
    page.wait_for_timeout(400)  # the spreading animation
    spots = page.eval_on_selector_all("#map .photodot", "els => els.map(e => { const r = "
                                      "e.getBoundingClientRect(); return [r.x, r.y]; })")
    assert len(set(map(tuple, spots[2:]))) == 4, spots  # the four side by side
    page.locator("#map .photodot").nth(2).click()
    page.locator(".leaflet-popup .mappop img").wait_for()
    wait_js(page, "document.querySelector('.leaflet-popup .mappop img').naturalWidth > 0")
    page.wait_for_timeout(300)  # the popup's fade
    shot(page, "15a-places-spread")
    page.keyboard.press("Escape")

    # Zoomed out to the world: the coarse outlines, country names only, no clutter.
    _zoom_to(page, 2)
    wait_js(page, "document.getElementById('map').dataset.basemap === '110m'")
    countries = _labels(page, "country")
    assert {"RUSSIA", "CANADA", "BRAZIL"} <= set(countries), countries
    assert "FRANCE" not in countries  # too small for its name at this zoom
    assert _labels(page, "city") == []
    assert page.evaluate(LABEL_OVERLAPS_JS) == 0
    def clustered() -> list[int]:
        return clusters() + [1] * page.locator("#map .photodot").count()
    assert wait_until(lambda: sum(clustered()) == 6, 5), clustered()
    shot(page, "15b-places-world")

    # In the dark the land is redrawn in the dark palette.
    page.emulate_media(color_scheme="dark")
    _zoom_to(page, 3)
    assert page.evaluate(BASEMAP_PIXELS_JS)["land"] > 0
    shot(page, "15c-places-dark")
    assert outside == [], outside
    assert not errors, errors
    context.close()


TILES = "https://tiles.example.test"


@pytest.fixture
def tiled_server(tmp_path: Path) -> Iterator[str]:
    """Like ``server``, with a tile server configured (answered by the test's browser)."""
    with serving(tmp_path, ALBUMEN_WORKERS="1", ALBUMEN_MAP_TILE_URL=TILES + "/{z}/{x}/{y}.png",
                 ALBUMEN_MAP_TILE_ATTRIBUTION="Test tiles") as base:
        yield base


def test_places_map_with_a_tile_server_uses_its_tiles(tiled_server: str, browser: Any) -> None:
    """An operator's tile server replaces the built-in base map (and its names)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (170, 211, 223)).save(buf, "PNG")
    tile = buf.getvalue()
    asked: list[str] = []

    def tiles(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile)

    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.route(TILES + "/**", tiles)
    page = context.new_page()
    errors = watch_errors(page)
    setup_admin(page, tiled_server)
    page.goto(tiled_server + "/places")
    wait_js(page, "document.getElementById('map').dataset.points === '0'")
    assert wait_until(lambda: page.locator("#map img.leaflet-tile-loaded").count() >= 4, 15)
    assert asked and all(re.search(r"/\d+/\d+/\d+\.png$", u) for u in asked), asked
    page.wait_for_timeout(500)
    assert page.evaluate("document.getElementById('map').dataset.basemap") is None
    assert page.locator("#map .maplabel").count() == 0
    assert page.locator("#map .leaflet-basemap-pane").count() == 0
    assert "Test tiles" in page.inner_text("#map .leaflet-control-attribution")
    assert not errors, errors
    context.close()
