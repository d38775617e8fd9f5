"""Similar photos without CLIP (search.similar): real photos and variants of them uploaded
through the API, ranked by perceptual hash and the people in them; people written as face
rows (their model is tested in tests/test_faces.py). The test runtimes' data folders hold no
CLIP model, so ``similar:`` cannot take the CLIP path here: the fallback runs for real."""

from __future__ import annotations

import io
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageEnhance
from sqlalchemy import select

from albumen.db.models import Asset, Face, Person
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import ADMIN_PASSWORD, bearer
from tests.text_scenes import REAL_PHOTOS

Library = tuple[TestClient, dict[str, int]]


def _jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _crop(im: Image.Image, share: float) -> Image.Image:
    dx, dy = int(im.width * share), int(im.height * share)
    return im.crop((dx, dy, im.width - dx, im.height - dy))


def scene_variants() -> dict[str, bytes]:
    """A temple photo and what a library makes of one scene: a smaller copy, a recompressed
    one, a slight crop, a brighter one and the next frame a step aside; and unrelated photos
    (a flower, a portrait, generated landscapes)."""
    temple = Image.open(REAL_PHOTOS["temple"]).convert("RGB")
    out = {
        "temple": _jpeg(temple),
        "smaller": _jpeg(temple.resize((temple.width // 2, temple.height // 2))),
        "recompressed": _jpeg(temple, quality=35),
        "cropped": _jpeg(_crop(temple, 0.04)),
        "brighter": _jpeg(ImageEnhance.Brightness(temple).enhance(1.15)),
        "step_aside": _jpeg(temple.crop((int(temple.width * 0.06), 0, temple.width,
                                         temple.height))),
        "flower": _jpeg(Image.open(REAL_PHOTOS["flower"])),
        "hopper": _jpeg(Image.open(REAL_PHOTOS["hopper"])),
    }
    for seed in range(3):
        out[f"landscape{seed}"] = _jpeg(images.photo(640, 480, seed))
    return out


LOOK_ALIKES = {"smaller", "recompressed", "cropped", "brighter", "step_aside"}


def post(c: TestClient, name: str, data: bytes, headers: dict[str, str] | None = None) -> int:
    r = c.post("/api/v1/assets", files={"file": (f"{name}.jpg", data, "image/jpeg")},
               headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


@pytest.fixture
def lib(app_client: Callable[..., TestClient]) -> Library:
    c = app_client()
    return c, {name: post(c, name, data) for name, data in scene_variants().items()}


def similar(c: TestClient, ids: dict[str, int], asset: str, **params: Any) -> dict[str, Any]:
    r = c.get("/api/v1/search", params={"q": f"similar:{ids[asset]}", **params})
    assert r.status_code == 200, r.text
    body = r.json()
    by_id = {v: k for k, v in ids.items()}
    body["names"] = [by_id.get(h["asset"]["id"], h["asset"]["id"]) for h in body["items"]]
    return body


def test_look_alikes_first_and_nothing_unrelated(lib: Library) -> None:
    c, ids = lib
    body = similar(c, ids, "temple")
    assert body["ranked_by"] == "appearance"
    assert "no CLIP model" in body["note"] and "albumen models install PATH" in body["note"]
    assert set(body["names"]) == LOOK_ALIKES  # the flower, the portrait... are not similar
    scores = [h["score"] for h in body["items"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    # The same pixels at another size or quality are closer than another framing.
    assert set(body["names"][:2]) == {"smaller", "recompressed"} and scores[0] == 1.0
    assert similar(c, ids, "flower")["names"] == []
    # Pages of two give the same list.
    names, cursor = [], None
    while True:
        page = similar(c, ids, "temple", limit=2, **({"cursor": cursor} if cursor else {}))
        names += page["names"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == body["names"]
    # Other filters still apply, and the grid view says the same.
    grid = c.get("/api/v1/search", params={"q": f"similar:{ids['temple']} is:favorite",
                                           "view": "grid"}).json()
    assert grid["items"] == [] and grid["ranked_by"] == "appearance"


def _faces(ids: dict[str, int], cast: dict[str, list[str]]) -> None:
    with get_runtime().transaction() as session:
        owner = session.scalar(select(Asset.owner_id).where(Asset.id == next(iter(ids.values()))))
        people = {}
        for name in sorted({p for names in cast.values() for p in names}):
            people[name] = Person(owner_id=owner, name=name)
            session.add(people[name])
        session.flush()
        for photo, names in cast.items():
            for name in names:
                session.add(Face(asset_id=ids[photo], owner_id=owner,
                                 person_id=people[name].id, assigned_by="user",
                                 box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2))


def test_the_same_people_count_however_the_photos_look(app_client: Callable[..., TestClient]
                                                       ) -> None:
    """Photos that look nothing alike are similar when they show mostly the same people
    (Jaccard at least a half); a crowd that includes one of them, or other people, is not."""
    c = app_client()
    seeds = {"p0": 0, "p1": 1, "p2": 2, "p3": 3, "p4": 4, "p5": 5, "p6": 10}  # 20+ bits apart
    ids = {name: post(c, name, images.jpeg(320, 240, seed)) for name, seed in seeds.items()}
    ids["p0_copy"] = post(c, "p0_copy", _jpeg(Image.open(io.BytesIO(images.jpeg(320, 240, 0))),
                                              quality=40))
    _faces(ids, {"p0": ["anna", "bob"], "p0_copy": ["anna", "bob"],
                 "p1": ["anna", "bob"],  # the same two people: 1
                 "p2": ["bob", "anna", "carol"],  # 2 of 3: 0.67
                 "p3": ["anna"],  # 1 of 2: 0.5
                 "p4": ["anna", "carol", "dan", "eve"],  # 1 of 5
                 "p5": ["carol"]})  # p6: nobody
    body = similar(c, ids, "p0")
    assert body["names"][0] == "p0_copy"  # the same people, and the same picture
    assert set(body["names"]) == {"p0_copy", "p1", "p2", "p3"}
    # Nobody recognised in a photo: only the look counts.
    assert similar(c, ids, "p6")["names"] == []


def test_only_what_the_viewer_may_see(lib: Library) -> None:
    c, ids = lib
    c.post("/api/v1/users", json={"username": "stranger", "password": "stranger-password"})
    other = {"Authorization": bearer(c, "stranger", "stranger-password")}
    theirs = {name: post(c, name, data, other) for name, data in scene_variants().items()
              if name in ("temple", "cropped")}
    assert set(similar(c, ids, "temple")["names"]) == LOOK_ALIKES  # not the stranger's
    r = c.get("/api/v1/search", params={"q": f"similar:{ids['temple']}"}, headers=other)
    assert r.status_code == 404  # nor may they ask about one of ours
    r = c.get("/api/v1/search", params={"q": f"similar:{theirs['temple']}"}, headers=other)
    assert [h["asset"]["id"] for h in r.json()["items"]] == [theirs["cropped"]]
    # A photo in the trash is not offered.
    assert c.delete(f"/api/v1/assets/{ids['cropped']}").status_code in (200, 204)
    assert set(similar(c, ids, "temple")["names"]) == LOOK_ALIKES - {"cropped"}


def test_content_search_without_clip_says_how_to_enable_it(lib: Library) -> None:
    c, ids = lib
    r = c.get("/api/v1/search", params={"q": 'smart:"a temple"'})
    assert r.status_code == 409 and r.json()["error"]["code"] == "model_unavailable"
    message = r.json()["error"]["message"]
    assert "albumen models install PATH" in message and "ALBUMEN_ENRICHMENTS" in message
    assert r.json()["error"]["details"]["model"] == "clip"
    # The CLIP endpoint keeps its contract: CLIP or a 409, never the fallback.
    r = c.get(f"/api/v1/assets/{ids['temple']}/similar")
    assert r.status_code == 409 and r.json()["error"]["code"] == "model_unavailable"


def html(c: TestClient, path: str, **params: Any) -> str:
    """A page as the signed-in administrator's browser gets it."""
    if not c.cookies:
        c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    r = c.get(path, params=params, headers={"Authorization": "", "Accept": "text/html"})
    assert r.status_code == 200 and "csrf-token" in r.text, r.text
    return r.text


def test_search_page_and_viewer_without_clip(lib: Library) -> None:
    c, ids = lib
    page = html(c, "/search", q='smart:"a temple"')
    assert 'id="needs-clip"' in page and "<code>albumen models install PATH</code>" in page
    assert "Nothing found" not in page
    help_text = unescape(page.split('id="qhelp"')[1].split("</details>")[0])
    assert 'smart:"text"' not in help_text and "similar:ASSET_ID" in help_text
    page = html(c, "/search", q=f"similar:{ids['temple']}")
    assert 'id="search-note"' in page and "Similar by appearance" in page
    assert all(f'data-id="{ids[n]}"' in page for n in LOOK_ALIKES)
    assert f'data-id="{ids["flower"]}"' not in page
    viewer = html(c, f"/photos/{ids['temple']}")
    assert f'href="/search?q=similar:{ids["temple"]}"' in viewer
    assert "by appearance" in viewer and "albumen models install PATH" in viewer


def test_with_clip_installed_an_unembedded_photo_falls_back(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """CLIP installed, the photo not embedded yet (the clip stage is off): by appearance,
    saying why; once embedded, by CLIP; smart: is offered again."""
    import numpy as np

    from albumen.ml.clip import install
    from albumen.ml.models import clip_path
    from albumen.search import clip
    from tests.test_clip import make_export

    c = app_client()
    install(make_export(tmp_path / "export"), clip_path(get_runtime().settings))
    ids = {name: post(c, name, data) for name, data in scene_variants().items()
           if name in ("temple", "smaller", "flower")}
    body = similar(c, ids, "temple")
    assert body["ranked_by"] == "appearance" and body["names"] == ["smaller"]
    assert "no CLIP embedding yet" in body["note"]
    assert 'smart:"text"' in unescape(html(c, "/search").split('id="qhelp"')[1])
    with get_runtime().transaction() as session:
        for name, vector in (("temple", (1, 0, 0)), ("smaller", (0, 1, 0)),
                             ("flower", (0.9, 0.1, 0))):
            clip.store_embedding(session, ids[name], np.asarray(vector, dtype=np.float32))
    body = similar(c, ids, "temple")
    assert body["ranked_by"] == "clip" and body["names"][0] == "flower" and not body["note"]
