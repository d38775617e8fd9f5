"""The asset as integrators read it: the API's JSON, `albumen assets show/list --json` and the
photo viewer give the same facts (place names, people, tags with confidence, text found,
capture time and offset, camera and lens, stages with their failures, near-duplicates).

The viewer marks every fact it shows with data-field (its path in the JSON) and, where the
text is formatted, data-value; these tests read the real page and compare."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from tests import images
from tests.conftest import ADMIN_PASSWORD, bearer
from tests.processes import env_for, run_json
from tests.test_web_pages import browser

SIGN = "HAPPY BIRTHDAY ANNA"
LISBON = (38.7223, -9.1393)


class _Fields(HTMLParser):
    """(field, value) of every element with data-field, in document order; the value is its
    data-value when it has one, else its text."""

    VOID = {"img", "br", "input", "meta", "link", "hr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[Any]] = []  # [field, value or None, text parts]
        self.stack: list[list[Any] | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        entry = None
        if "data-field" in a:
            entry = [a["data-field"], a.get("data-value"), []]
            self.found.append(entry)
        if tag not in self.VOID:
            self.stack.append(entry)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for entry in self.stack:
            if entry is not None:
                entry[2].append(data)

    def pairs(self) -> list[tuple[str, str]]:
        return [(f, v if v is not None else "".join(t).strip()) for f, v, t in self.found]


def viewer_fields(html: str) -> list[tuple[str, str]]:
    parser = _Fields()
    parser.feed(html)
    return parser.pairs()


def _values(doc: Any, path: str) -> list[Any]:
    """The JSON's values at a path like 'place.label' or 'people[].name' (a list)."""
    values = [doc]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part.removesuffix("[]")
        values = [v.get(key) if isinstance(v, dict) else None for v in values]
        if many:
            values = [item for v in values for item in (v or [])]
    return values


def _same(shown: str, value: Any) -> bool:
    if value is None:
        return shown == ""
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        try:  # an instant: compare the times, not how the offset is written
            return datetime.fromisoformat(shown) == datetime.fromisoformat(value)
        except ValueError:
            return False
    if isinstance(value, bool):
        return shown == str(value).lower()
    if isinstance(value, int | float):
        try:
            return abs(float(shown) - float(value)) <= 1e-9 * max(1.0, abs(float(value)))
        except ValueError:
            return False
    return shown == str(value)


def assert_viewer_matches(html: str, doc: dict[str, Any]) -> set[str]:
    """Every fact on the page equals the JSON's; returns the fields the page showed."""
    shown: dict[str, list[str]] = {}
    for field, value in viewer_fields(html):
        shown.setdefault(field, []).append(value)
    for field, values in shown.items():
        expected = _values(doc, field)
        if "[]" in field:
            assert len(values) == len(expected), (field, values, expected)
        else:  # a single value, perhaps shown in more than one place
            expected = expected * len(values)
        for got, want in zip(values, expected, strict=True):
            assert _same(got, want), f"{field}: the viewer shows {got!r}, the JSON has {want!r}"
    return set(shown)


def _with_sign(photo: Image.Image) -> Image.Image:
    """The group photo with a birthday banner across the bottom, under the people."""
    w, h = photo.size
    out = Image.new("RGB", (w, h + h // 3), (235, 235, 230))
    out.paste(photo, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.text((w // 12, h + h // 10), SIGN, fill=(25, 25, 70),
              font=ImageFont.load_default(size=max(24, w // 16)))
    return out


def _jpeg(photo: Image.Image, exif: bytes) -> bytes:
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


RICH = {"title", "original_filename", "taken_at_local", "taken_at_offset_minutes", "rating",
        "camera_model", "camera_make", "lens", "width", "height", "size", "format",
        "place.label", "location.latitude", "location.longitude", "people[].face_id",
        "people[].name", "text", "tags[].name", "tags[].source", "tags[].confidence",
        "f_number", "exposure_time", "iso", "focal_length"}


def test_asset_json_carries_what_the_viewer_shows(
        app_client: Callable[..., TestClient], group_photo: Image.Image, tmp_path: Path,
        db_url: str) -> None:
    c = app_client(enrichments="places,faces,ocr,dates")
    exif = images.exif_bytes(taken="2023:12:25 12:00:00", offset="+00:00", gps=LISBON,
                             lens="RF24-105mm F4 L IS USM")
    photo = _with_sign(group_photo)
    first = c.post("/api/v1/assets", files={"file": ("party.jpg", _jpeg(photo, exif))}
                   ).json()["asset"]
    brighter = ImageEnhance.Brightness(photo).enhance(1.1)
    second = c.post("/api/v1/assets", files={"file": ("party2.jpg", _jpeg(brighter, exif))}
                    ).json()["asset"]
    faces = c.get(f"/api/v1/assets/{first['id']}/faces").json()
    assert len(faces) == 6
    anna = c.post("/api/v1/people", json={"name": "Anna", "face_ids": [faces[0]["id"]]}).json()
    c.patch(f"/api/v1/assets/{first['id']}", json={"rating": 4, "title": "The party"})

    doc = c.get(f"/api/v1/assets/{first['id']}").json()
    assert doc["state"] == "ready"
    assert doc["place"] == {"id": doc["place"]["id"], "city": "Lisbon", "region": "Lisbon",
                            "country": "Portugal", "country_code": "PT",
                            "label": "Lisbon, Portugal"}
    assert abs(doc["location"]["latitude"] - LISBON[0]) < 1e-4
    assert len(doc["people"]) == 6
    named = [p for p in doc["people"] if p["person_id"] is not None]
    assert named == [{"face_id": faces[0]["id"], "person_id": anna["id"], "name": "Anna",
                      "box": named[0]["box"], "confidence": named[0]["confidence"]}]
    assert all(0 <= v <= 1 for p in doc["people"] for v in p["box"])
    assert doc["text"].replace(" ", "").upper() == SIGN.replace(" ", "")
    assert doc["text"] == "\n".join(line["text"] for line in doc["text_lines"])
    assert not doc["text_truncated"] and doc["links"]["text"].endswith(f"/{first['id']}/text")
    assert {"name": "christmas day", "source": "holiday", "confidence": None} in doc["tags"]
    assert doc["lens"] == "RF24-105mm F4 L IS USM" and doc["camera_model"] == "EOS R5"
    assert doc["taken_at_local"] == "2023-12-25T12:00:00" and doc["taken_at_offset_minutes"] == 0
    assert doc["duplicates"] == [{"asset_id": second["id"], "distance": doc["duplicates"][0][
        "distance"]}] and doc["duplicates"][0]["distance"] <= 8
    assert {s["stage"]: s["state"] for s in doc["stages"]}["ocr"] == "done"

    # The viewer shows the same facts, all of them.
    page = browser(c).get(f"/photos/{first['id']}")
    assert page.status_code == 200
    shown = assert_viewer_matches(page.text, doc)
    assert RICH - shown == set(), f"the viewer no longer shows {RICH - shown}"

    # The whole text, and the compact form of lists and search results.
    whole = c.get(doc["links"]["text"]).json()
    assert whole["text"] == doc["text"] and len(whole["lines"]) == len(doc["text_lines"])
    listed = {a["id"]: a for a in c.get("/api/v1/assets").json()["items"]}[first["id"]]
    found = c.get("/api/v1/search", params={"q": "anna"}).json()["items"]
    assert first["id"] in [h["asset"]["id"] for h in found]
    for compact in (listed, next(h["asset"] for h in found if h["asset"]["id"] == first["id"])):
        assert compact["place"] == doc["place"] and compact["people"] == doc["people"]
        assert compact["text"] == doc["text"] and compact["tags"] == doc["tags"]
        assert "duplicates" not in compact and "metadata_raw" not in compact

    # The CLI gives the API's document (the operator sees what the owner sees here).
    env = env_for(tmp_path / "data", db_url)
    assert run_json(env, "assets", "show", str(first["id"]), "--json") == doc
    cli_items = {a["id"]: a for a in run_json(env, "assets", "list", "--json")["items"]}
    assert cli_items[first["id"]] == listed

    # Someone else sees neither the asset, its text, nor who is in it.
    c.post("/api/v1/users", json={"username": "zed", "password": ADMIN_PASSWORD})
    zed = {"Authorization": bearer(c, "zed", ADMIN_PASSWORD)}
    assert c.get(f"/api/v1/assets/{first['id']}/text", headers=zed).status_code == 404
    assert c.get(f"/api/v1/assets/{first['id']}", headers=zed).status_code == 404


def test_failed_stages_and_no_gps(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="places,captions")
    plain = c.post("/api/v1/assets", files={"file": ("p.jpg", images.jpeg(seed=3))}
                   ).json()["asset"]
    doc = c.get(f"/api/v1/assets/{plain['id']}").json()
    assert doc["state"] == "ready" and doc["location"] is None and doc["place"] is None
    assert doc["people"] == [] and doc["text"] == "" and doc["duplicates"] == []
    captions = next(s for s in doc["stages"] if s["stage"] == "captions")
    assert captions["state"] == "failed" and "ALBUMEN_CAPTION_URL" in captions["error"]
    web = browser(c)
    shown = assert_viewer_matches(web.get(f"/photos/{plain['id']}").text, doc)
    assert "place.label" not in shown and "location.latitude" not in shown

    data = images.jpeg(seed=4)
    broken = data[:600] + bytes((b * 7 + 13) % 256 for b in data[600:])
    failed = c.post("/api/v1/assets", files={"file": ("broken.jpg", broken)}).json()["asset"]
    doc = c.get(f"/api/v1/assets/{failed['id']}").json()
    assert doc["state"] == "failed" and doc["failure_reason"]
    assert any(s["state"] == "failed" and s["error"] for s in doc["stages"])
    shown = assert_viewer_matches(web.get(f"/photos/{failed['id']}").text, doc)
    assert {"state", "failure_reason"} <= shown


def test_every_field_is_documented(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    names = ["AssetOut", "AssetDetail", "AssetText", "AssetPlace", "PersonInPhoto", "TagOut",
             "StageOut", "SourceOut", "Location", "AssetLinks", "TextLineOut", "DuplicateOut"]
    missing = [f"{name}.{field}" for name in names
               for field, spec in schemas[name]["properties"].items()
               if not spec.get("description")]
    assert missing == []


def test_viewer_field_reader_catches_drift() -> None:
    html = ('<p data-field="lens">RF 50mm</p><span data-field="iso" data-value="400">ISO 400'
            '</span><b data-field="people[].name" data-value="Anna"></b>')
    doc = {"lens": "RF 50mm", "iso": 400, "people": [{"name": "Anna"}]}
    assert assert_viewer_matches(html, doc) == {"lens", "iso", "people[].name"}
    for broken in ({**doc, "lens": "EF 50mm"}, {**doc, "iso": 800},
                   {**doc, "people": [{"name": "Anna"}, {"name": "Bo"}]}):
        with pytest.raises(AssertionError):
            assert_viewer_matches(html, broken)
