"""OCR with the real PP-OCR models (RapidOCR) on photos with known text rendered in them, and
what counts as text (ml/ocr_filter.py): through the pipeline on real photos in which the reader
sees text that is not there, and rule by rule on lines the reader really returned."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHRASES = ["HAPPY BIRTHDAY ANNA", "Welcome to Lisbon", "EXIT 12", "Cafe Central",
           "Congratulations 2026", "Platform 4"]


def _scene(text: str, seed: int) -> bytes:
    """A 'photo' of a sign: textured background, coloured board, slightly soft text."""
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 200, size=(900, 1400, 3), dtype=np.uint8)
    im = Image.fromarray(base).filter(ImageFilter.GaussianBlur(6))
    draw = ImageDraw.Draw(im)
    draw.rectangle((120, 250, 1280, 560), fill=tuple(int(v) for v in rng.integers(200, 255, 3)))
    draw.text((170, 340), text, fill=(20, 20, 60), font=ImageFont.load_default(size=96))
    im = im.filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def test_text_found_with_boxes_and_confidence(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="ocr")
    exact = 0
    for seed, phrase in enumerate(PHRASES):
        asset = c.post("/api/v1/assets", files={"file": (f"s{seed}.jpg", _scene(phrase, seed))}
                       ).json()["asset"]
        detail = c.get(f"/api/v1/assets/{asset['id']}").json()
        assert detail["state"] == "ready"
        lines = detail["text_lines"]
        got = " ".join(line["text"] for line in lines)
        assert detail["text"] == "\n".join(line["text"] for line in lines)
        assert detail["text_truncated"] is False
        exact += got.replace(" ", "").lower() == phrase.replace(" ", "").lower()
        for line in lines:
            assert 0.5 <= line["confidence"] <= 1
            xs = [p[0] for p in line["box"]]
            ys = [p[1] for p in line["box"]]
            assert 0.05 < min(xs) < max(xs) < 0.95 and 0.2 < min(ys) < max(ys) < 0.7
    rate = exact / len(PHRASES)
    print(f"OCR exact-match rate: {exact}/{len(PHRASES)} = {rate:.0%}")
    assert rate >= 5 / 6


def test_photo_without_text_has_none(app_client: Callable[..., TestClient]) -> None:
    from tests import images

    c = app_client(enrichments="ocr")
    asset = c.post("/api/v1/assets", files={"file": ("p.jpg", images.jpeg(seed=4))}
                   ).json()["asset"]
    detail = c.get(f"/api/v1/assets/{asset['id']}").json()
    assert detail["text"] == "" and detail["text_lines"] == [] and not detail["text_truncated"]


# -- what counts as text (ml/ocr_filter.py) --------------------------------------------------

def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _covered(part: str, whole: str) -> float:
    """The share of ``part``'s letters and digits found, in order, in ``whole``."""
    from difflib import SequenceMatcher

    a, b = ("".join(c for c in s.casefold() if c.isalnum()) for s in (part, whole))
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False)
               .get_matching_blocks()) / max(1, len(a))


def _search(c: TestClient, q: str) -> set[int]:
    r = c.get("/api/v1/search", params={"q": q, "limit": 200})
    assert r.status_code == 200, r.text
    return {h["asset"]["id"] if "asset" in h else h["id"] for h in r.json()["items"]}


# Real photos (the samples scikit-learn and matplotlib ship) in which the reader sees text
# that is not there: a flag's stars and a collar ("***", "K", "X1"), an ear ("大"), a flower
# ("am", a giant "0"), a temple's railings ("759221", "Lunic", "品品品").
NOISY = ("photo-hopper-0", "photo-hopper-2", "photo-flower-0", "photo-flower-3",
         "photo-temple-1", "photo-temple-4")
# Signs, a banner, a document and posters in real photos, at sizes from 24 to 130 px.
WITH_TEXT = ("sign-12", "sign-19", "sign-3", "document-100", "banner-201", "poster-308")


# The reading does not depend on the database (and costs a minute): SQLite only; has:text and
# text search on PostgreSQL are tested in tests/test_search.py.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_photos_with_and_without_text_through_the_pipeline(
        app_client: Callable[..., TestClient]) -> None:
    from tests import text_scenes

    # Every photo read in full: the filter is what is tested here, on what the reader returns
    # (the quick look that spares most photos a reading: tests/test_enrich_levers.py)
    c = app_client(enrichments="ocr", ocr_gate_size=0)
    scenes = {s.name: s for s in text_scenes.with_text() + list(text_scenes.real_photos())}
    uploaded = {}
    for name in NOISY + WITH_TEXT:
        body = c.post("/api/v1/assets", files={"file": (f"{name}.jpg", _jpeg(scenes[name].image))})
        assert body.status_code == 201, body.text
        uploaded[name] = body.json()["asset"]["id"]

    dropped = 0
    for name in NOISY:
        detail = c.get(f"/api/v1/assets/{uploaded[name]}").json()
        assert detail["state"] == "ready"
        assert (name, detail["text"], detail["text_lines"]) == (name, "", [])
        text = c.get(f"/api/v1/assets/{uploaded[name]}/text").json()
        assert text["text"] == "" and text["lines"] == []
        # The reader's lines are kept as read, each with why it is not text.
        assert all(line["reason"] and line["confidence"] >= 0.5 for line in text["dropped"])
        dropped += len(text["dropped"])
    assert dropped >= len(NOISY)  # the filter, not the reader, emptied them

    for name in WITH_TEXT:
        detail = c.get(f"/api/v1/assets/{uploaded[name]}").json()
        truth = " ".join(scenes[name].lines)
        read = "".join(c for c in detail["text"].casefold() if c.isalnum())
        found = [w for w in truth.split() if _covered(w, read) == 1.0]  # lines in any order
        assert len(found) >= 0.8 * len(truth.split()), (name, truth, detail["text"])
        assert all(_covered(line["text"], truth) >= 0.8 for line in detail["text_lines"]), (
            name, detail["text_lines"])

    # The viewer shows the kept text only.
    from tests.conftest import ADMIN_PASSWORD

    c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    viewer = [c.get(f"/photos/{uploaded[n]}").text for n in ("photo-hopper-0", "sign-12")]
    # (the page's random CSRF token may hold any two letters: look at the text block only)
    assert "Text in the photo" not in viewer[0] and 'class="ocr"' not in viewer[0]
    assert "Text in the photo" in viewer[1] and "No Parking" in viewer[1]

    with_text = {uploaded[n] for n in WITH_TEXT}
    assert _search(c, "has:text") == with_text
    r = c.post("/api/v1/search", json={"has_text": False, "limit": 200})
    assert {h["asset"]["id"] for h in r.json()["items"]} == {uploaded[n] for n in NOISY}
    assert _search(c, "Regaleira") == {uploaded["document-100"]}
    assert _search(c, "Lunic") == set()


def test_migration_judges_the_lines_already_read(app_client: Callable[..., TestClient],
                                                 db_url: str) -> None:
    """Photos read before the filter: every line was their text. Migration 0017 judges them
    (on the preview's size), and the reconciler re-indexes the photos whose text changed."""
    from alembic import command
    from sqlalchemy import text

    from albumen.db.migrate import alembic_config, upgrade
    from albumen.operations.reconciler import reconcile
    from albumen.runtime import get_runtime
    from albumen.search import text_index
    from tests import text_scenes

    c = app_client(enrichments="ocr", ocr_gate_size=0)  # read as before the quick look too
    scenes = {s.name: s for s in text_scenes.with_text() + list(text_scenes.real_photos())}
    noisy, sign = (c.post("/api/v1/assets", files={"file": (f"{n}.jpg", _jpeg(scenes[n].image))}
                          ).json()["asset"]["id"] for n in ("photo-hopper-0", "sign-12"))
    assert _search(c, "has:text") == {sign}

    command.downgrade(alembic_config(db_url), "0016")  # as it was: every line is text
    rt = get_runtime()
    with rt.transaction() as session:  # (the app's models have new tables: plain SQL here)
        texts = dict(session.execute(text("SELECT id, ocr_text FROM assets")).all())
        # the search documents as they were then (today's reconciler reads today's tables)
        indexed = set(session.scalars(text("SELECT asset_id FROM search_docs")))
        text_index.write(session, {i: [t] for i, t in texts.items() if t and i not in indexed})
        bodies = dict(session.execute(text("SELECT asset_id, body FROM search_docs")).all())
    assert texts[noisy] and "x1" in bodies[noisy].split()

    upgrade(db_url)
    assert c.get(f"/api/v1/assets/{noisy}").json()["text"] == ""
    assert [line["reason"] for line in c.get(f"/api/v1/assets/{noisy}/text").json()["dropped"]]
    assert c.get(f"/api/v1/assets/{sign}").json()["text"] == "No Parking"
    assert _search(c, "has:text") == {sign}
    reconcile(rt)  # the photo's search document, anew from its kept text
    assert _search(c, "X1") == set()
    assert _search(c, "parking") == {sign}


def _read(text: str, confidence: float, box: list[list[float]]) -> Any:
    from albumen.ml.ocr import TextLine

    return TextLine(text, confidence, box)


# Lines the reader returned (text, confidence, box as it gave them) on the photos named, with
# the size of the image it read: each case is one photo.
READ = {
    "Grace Hopper before a flag (1982x1440)": ((1982, 1440), [
        ("***", 0.9171, [[0.00555, 0.04861], [0.31685, 0.17222], [0.26438, 0.42431],
                         [0.0, 0.30069]]),
        ("**", 0.755, [[0.0, 0.37431], [0.16549, 0.37431], [0.16549, 0.58958],
                       [0.0, 0.58958]]),
        ("K", 0.607, [[0.13471, 0.45347], [0.23562, 0.45347], [0.23562, 0.58403],
                      [0.13471, 0.58403]]),
        ("X1", 0.7731, [[0.00202, 0.67986], [0.11453, 0.68889], [0.10848, 0.83472],
                        [0.0, 0.82569]])]),
    "her ear (1982x1440)": ((1982, 1440), [
        ("大", 0.7610, [[0.0, 0.04792], [0.20333, 0.0], [0.23915, 0.29028],
                       [0.03078, 0.33958]])]),
    "a flower filling the frame (1500x1000)": ((1500, 1000), [
        ("0", 0.6304, [[0.04333, 0.069], [0.99933, 0.191], [0.99933, 0.999], [0.0, 0.999]])]),
    "a temple's railings (1500x1000)": ((1500, 1000), [
        ("759221", 0.6252, [[0.47533, 0.882], [0.54933, 0.879], [0.55, 0.917],
                            [0.476, 0.921]])]),
    "the temple's roof (2168x1440)": ((2168, 1440), [
        ("Lunic", 0.701, [[0.61694, 0.47545], [0.70212, 0.50074], [0.69506, 0.5506],
                          [0.60988, 0.5253]]),
        ("品品品", 0.7367, [[0.38206, 0.84747], [0.45817, 0.84598], [0.45817, 0.875],
                          [0.38206, 0.87649]])]),
    "the temple, small (640x427)": ((640, 427), [
        ("AAAAAA", 0.5371, [[0.28125, 0.76347], [0.33594, 0.75644], [0.3375, 0.77986],
                            [0.28281, 0.78689]])]),
    "a portrait, 112 px (112x112)": ((112, 112), [
        ("29", 0.6976, [[0.05357, 0.23214], [0.875, 0.09821], [0.99107, 0.99107],
                        [0.20536, 0.99107]])]),
    "a menu on a table (1440x1800)": ((1440, 1800), [
        ("MENU", 0.9986, [[0.20278, 0.10333], [0.45486, 0.12167], [0.43889, 0.26056],
                          [0.1875, 0.24222]]),
        ("7", 0.9483, [[0.61944, 0.17833], [0.89861, 0.14667], [0.93194, 0.33444],
                       [0.65278, 0.36611]]),
        ("Soup of the day 4.50", 0.9986, [[0.24028, 0.24333], [0.51458, 0.27056],
                                          [0.50833, 0.31], [0.23403, 0.28333]])]),
    "a No Parking sign, read as two lines (1600x1080)": ((1600, 1080), [
        ("Parking", 0.9999, [[0.27437, 0.26296], [0.55563, 0.26296], [0.55563, 0.41759],
                             [0.27437, 0.41759]]),
        ("No", 0.873, [[0.18063, 0.27685], [0.31625, 0.27685], [0.31625, 0.39352],
                       [0.18063, 0.39352]])]),
}
KEPT = {"MENU", "Soup of the day 4.50", "Parking", "No"}
REASONS = {"***": "symbols only", "**": "symbols only", "K": "unsure", "X1": "unsure",
           "大": "unsure", "0": "too large for its length", "759221": "unsure",
           "Lunic": "unsure", "品品品": "repeated character", "AAAAAA": "repeated character",
           "29": "too large for its length", "7": "unsure"}


def test_filter_on_lines_the_reader_returned() -> None:
    from albumen.ml.ocr_filter import judge

    got = {}
    for (width, height), found in READ.values():
        lines = [_read(*line) for line in found]
        got.update({line.text: reason for line, reason in zip(
            lines, judge(lines, width, height), strict=True)})
    assert {t for t, r in got.items() if r is None} == KEPT
    assert {t: r.split(" (")[0] for t, r in got.items() if r} == REASONS


def test_filter_rules_one_by_one() -> None:
    """Each rule on its own, on lines shaped like the reader's (a box 60 px high on a
    1600x1200 photo unless said)."""
    from albumen.ml.ocr_filter import judge

    def box(x: float = 0.2, y: float = 0.4, w: float = 0.3, h: float = 0.05) -> list[list[float]]:
        return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]

    def one(text: str, confidence: float = 0.99, **where: float) -> str | None:
        return judge([_read(text, confidence, box(**where))], 1600, 1200)[0]

    kept = ["Welcome to Lisbon", "EXIT 12", "Bäckerei Müller", "HTML", "2025", "出口",
            "iPhone手机", "T恤", "www.albumen.org", "12:30", "Coffee 2.50", "Nº 5"]
    assert {t: one(t) for t in kept} == dict.fromkeys(kept)
    assert one("☆☆ ♥") == "symbols only" and one("**K") == "mostly symbols"
    assert one("1111") == "repeated character" and one("OOOOk") == "repeated character"
    assert one("AB西K") == one("Caf\u0435") == "mixed scripts in a word"  # a Cyrillic ie
    assert one("Welcome", h=0.005) == "too small (6 px)"
    assert one("Welcome", h=0.0095).startswith("too small")  # 11 px: under 1% of 1200
    assert one("Welcome", h=0.011) is None
    assert one("Z", h=0.6, w=0.4) == "too large for its length"
    assert one("Xkcdtrpl") == one("lIlIl") == "not a word"
    assert one("Lisbon", 0.70) == "unsure (0.700 < 0.75)" and one("Lisbon", 0.76) is None
    assert one("ok", 0.90).startswith("unsure") and one("ok", 0.93) is None
    assert one("Welcome to the conference", 0.66) is None
    # One CJK glyph among Latin lines, however sure; alone, it needs 0.96.
    latin = _read("Happy Birthday Anna", 0.99, box())
    lone = _read("鸣", 0.99, box(y=0.7, w=0.05))
    assert judge([latin, lone], 1600, 1200) == [None, "lone CJK glyph among Latin text"]
    assert judge([lone], 1600, 1200) == [None]
    chinese = _read("出口方向", 0.99, box())
    assert judge([chinese, _read("WC", 0.99, box(y=0.7, w=0.05))], 1600, 1200) == [None, None]
    # A short word needs a neighbour on its line (or right above/below) of its size.
    parking = _read("Parking", 0.99, box(x=0.3, w=0.3))
    assert judge([parking, _read("No", 0.85, box(x=0.2, w=0.09))], 1600, 1200) == [None, None]
    far = _read("No", 0.85, box(x=0.2, y=0.8, w=0.09))
    assert judge([parking, far], 1600, 1200)[1].startswith("unsure")
    above = _read("NO", 0.85, box(x=0.35, y=0.33, w=0.09))
    assert judge([parking, above], 1600, 1200) == [None, None]
