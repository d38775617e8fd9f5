"""The image service (issue 27): signed addresses of transforms, renditions cached with ETags,
crops that keep faces or detail in view, limits, permissions, single-flight. Real photos
through the real pipeline; outputs decoded with Pillow."""

from __future__ import annotations

import io
import threading
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from albumen.db.models import Face
from albumen.db.renditions import Rendition
from albumen.images import service
from albumen.images.options import Options
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "password-12345"


def _photo(client: TestClient, width: int = 1200, height: int = 900, seed: int = 1,
           pixels: np.ndarray | None = None, exif: bytes | None = None) -> int:
    if pixels is not None:
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "JPEG", quality=92, exif=exif or b"")
        data = out.getvalue()
    else:
        data = images.jpeg(width, height, seed=seed, exif=exif)
    r = client.post("/api/v1/assets", files={"file": ("p.jpg", data)})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def _sign(client: TestClient, asset_id: int, **body: object) -> str:
    r = client.post("/api/v1/images/sign", json={"asset_id": asset_id, **body})
    assert r.status_code == 200, r.text
    return r.json()["url"]


def _image(response: object) -> Image.Image:
    return Image.open(io.BytesIO(response.content))  # type: ignore[attr-defined]


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_signed_address_serves_its_transform_to_anyone_and_nothing_else(
        client: TestClient) -> None:
    asset_id = _photo(client)
    url = _sign(client, asset_id, width=400, format="webp")
    assert url.startswith("/img/") and url.endswith(f"/w:400/{asset_id}.webp")
    anon = TestClient(client.app)
    got = anon.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "image/webp"
    assert _image(got).size == (400, 300)
    assert "immutable" in got.headers["cache-control"]
    again = anon.get(url, headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304 and not again.content
    signature = url.split("/")[2]
    for tampered in (url.replace("w:400", "w:401"), url.replace(f"/{asset_id}.", "/999."),
                     url.replace(signature, signature[:-2] + "AA"),
                     url.replace(".webp", ".png")):
        assert anon.get(tampered).status_code == 403, tampered
    expired = service.sign(client.app.state.runtime, asset_id,
                           Options(width=100, expires=int(time.time()) - 1), "jpeg")
    refused = anon.get(expired)
    assert refused.status_code == 403 and "expired" in refused.text
    assert client.delete(f"/api/v1/assets/{asset_id}").status_code == 200
    gone = anon.get(url)  # trashed: the address stops working, kept rendition or not
    assert gone.status_code == 404 and "image not found" in gone.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_unsigned_addresses_need_a_caller_who_may_see_the_photo(client: TestClient) -> None:
    asset_id = _photo(client)
    own = client.get(f"/img/_/w:200/{asset_id}.jpeg")
    assert own.status_code == 200 and _image(own).size == (200, 150)
    assert own.headers["cache-control"].startswith("private")
    client.post("/api/v1/users", json={"username": "bob", "password": PASSWORD})
    bob = {"Authorization": bearer(client, "bob", PASSWORD)}
    stranger = client.get(f"/img/_/w:200/{asset_id}.jpeg", headers=bob)
    missing = client.get("/img/_/w:200/987654.jpeg")
    assert stranger.status_code == missing.status_code == 404
    assert stranger.json() == missing.json()  # the same words: nothing told
    assert TestClient(client.app).get(f"/img/_/w:200/{asset_id}.jpeg").status_code == 401
    refused = client.post("/api/v1/images/sign", headers=bob, json={"asset_id": asset_id})
    assert refused.status_code == 404


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_limits_and_bad_options_are_refused_with_the_reason(
        app_client: object) -> None:
    c = app_client(image_formats="jpeg,webp", image_max_dimension=2000)  # type: ignore[operator]
    asset_id = _photo(c)
    over = c.get(f"/img/_/w:2001/{asset_id}.jpeg")
    assert over.status_code == 400 and "ALBUMEN_IMAGE_MAX_DIMENSION" in over.text
    assert c.get(f"/img/_/w:1000,dpr:3/{asset_id}.jpeg").status_code == 400  # dpr counts
    avif = c.get(f"/img/_/w:100/{asset_id}.avif")
    assert avif.status_code == 400 and "ALBUMEN_IMAGE_FORMATS" in avif.text
    for bad, why in (("w:abc", "not a number"), ("zoom:2", "unknown image option"),
                     ("fit:cover,w:100", "needs both"), ("rot:45", "rot is"),
                     ("w:1,w:2", "twice"), ("bg:red", "rrggbb"), ("q:0", "between")):
        r = c.get(f"/img/_/{bad}/{asset_id}.jpeg")
        assert r.status_code == 422 and why in r.json()["error"]["message"], (bad, r.text)
    assert c.get(f"/img/_/w:100/{asset_id}.gif").status_code == 404
    assert c.post("/api/v1/images/sign", json={"asset_id": asset_id, "width": 3000}
                  ).status_code == 400


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_fits_crops_rotation_blur_and_formats(client: TestClient, rt: Runtime) -> None:
    pixels = np.full((600, 1200, 3), 128, dtype=np.uint8)
    pixels[200:400, 900:1100] = np.random.default_rng(1).integers(0, 255, (200, 200, 3))
    asset_id = _photo(client, pixels=pixels)

    def get(options: str, fmt: str = "png", **headers: str) -> object:
        r = client.get(f"/img/_/{options}/{asset_id}.{fmt}", headers=headers)
        assert r.status_code == 200, (options, r.text)
        return r

    assert _image(get("w:300,h:300,fit:cover")).size == (300, 300)
    contained = np.asarray(_image(get("w:300,h:300,fit:contain,bg:ff0000")).convert("RGB"))
    assert contained.shape == (300, 300, 3)
    assert tuple(contained[5, 150]) == (255, 0, 0)  # padded above and below
    assert _image(get("w:300,h:300")).size == (300, 150)  # inside: aspect kept
    assert _image(get("w:4000")).size == (1200, 600)  # never upscaled
    assert _image(get("w:100,rot:90")).size == (100, 200)
    # smart: the crop moves to the detail on the right; centre keeps the middle
    smart = np.asarray(_image(get("w:300,h:300,fit:cover,g:smart")).convert("L"), float)
    centre = np.asarray(_image(get("w:300,h:300,fit:cover")).convert("L"), float)
    assert smart.std() > 2 * centre.std() + 1
    # a face on the left: g:face centres the crop on it
    with rt.transaction() as session:
        session.add(Face(asset_id=asset_id, box_x=0.05, box_y=0.3, box_w=0.1, box_h=0.2,
                         assigned_by="auto", embedding=bytes(512)))
    face = np.asarray(_image(get("w:300,h:300,fit:cover,g:face")).convert("L"), float)
    assert face.std() < 5  # the grey left side, not the detail
    blurred = np.asarray(_image(get("w:300,h:300,fit:cover,g:smart,blur:8")).convert("L"),
                         float)
    assert blurred.std() < smart.std()
    auto = get("w:100", "auto", accept="image/avif,image/webp,*/*")
    assert auto.headers["content-type"] == "image/avif" and auto.headers["vary"] == "Accept"
    assert get("w:100", "auto", accept="image/webp").headers["content-type"] == "image/webp"
    assert get("w:100", "auto").headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_metadata_is_stripped_unless_asked_to_keep(client: TestClient) -> None:
    exif = images.exif_bytes(gps=(38.7223, -9.1393))
    asset_id = _photo(client, exif=exif)
    stripped = _image(client.get(f"/img/_/w:300/{asset_id}.jpeg"))
    assert not stripped.getexif()
    kept = _image(client.get(f"/img/_/w:300,strip:0/{asset_id}.jpeg")).getexif()
    assert kept.get_ifd(0x8825)  # the GPS block came along
    assert kept.get(0x0112, 1) == 1  # upright pixels say so


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_one_transform_asked_by_many_at_once_is_made_once(client: TestClient, rt: Runtime,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from albumen.images import transform

    asset_id = _photo(client, 3000, 2000, seed=4)
    url = _sign(client, asset_id, width=800, format="webp")
    real, made = transform.render, []

    def counted(*args: object, **kwargs: object) -> bytes:  # counts calls, runs the real one
        made.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transform, "render", counted)
    bodies: list[bytes] = []
    anon = TestClient(client.app)

    def fetch() -> None:
        bodies.append(anon.get(url).content)

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and len(bodies) == 8 and len(set(bodies)) == 1
    with rt.session() as session:
        assert session.query(Rendition).count() == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_guests_sign_addresses_for_what_their_link_shows(client: TestClient) -> None:
    exif = images.exif_bytes(gps=(38.7223, -9.1393))
    event = client.post("/api/v1/events", json={"title": "Party"}).json()
    shown = client.post("/api/v1/assets", params={"event_id": event["id"]},
                        files={"file": ("a.jpg", images.jpeg(1200, 900, 5, exif=exif))}
                        ).json()["asset"]["id"]
    private = _photo(client, seed=6)  # the host's own library: not the link's
    link = client.post(f"/api/v1/events/{event['id']}/links", json={"can_view": True}).json()
    guest = TestClient(client.app)

    def sign(**body: object) -> object:
        return guest.post(f"/api/v1/share/{link['token']}/images/sign", json=body)

    signed = sign(asset_id=shown, width=600, strip=False, format="jpeg")
    assert signed.status_code == 200, signed.text
    got = guest.get(signed.json()["url"])
    assert got.status_code == 200 and _image(got).size == (600, 450)
    assert not _image(got).getexif()  # guests never get the metadata
    assert sign(asset_id=private, width=600).status_code == 404
    too_big = sign(asset_id=shown, width=3000)
    assert too_big.status_code == 400 and "1920" in too_big.text  # no downloads on this link
    assert sign(asset_id=shown).status_code == 400  # no size: the original's, refused
    assert guest.post("/api/v1/share/" + "x" * 43 + "/images/sign",
                      json={"asset_id": shown, "width": 10}).status_code == 404


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_images_command_cache_cap_and_verify(client: TestClient, rt: Runtime) -> None:
    import json as json_

    from typer.testing import CliRunner

    from albumen.cli.main import app
    from albumen.operations import maintenance, verify

    asset_id = _photo(client, seed=7)
    result = CliRunner().invoke(app, ["images", "url", str(asset_id), "--width", "320",
                                      "--format", "webp", "--json"])
    assert result.exit_code == 0, result.output
    path = json_.loads(result.stdout)["path"]
    anon = TestClient(client.app)
    assert _image(anon.get(path)).size == (320, 240)
    for width in (100, 200, 300):
        assert anon.get(service.sign(rt, asset_id, Options(width=width), "png")
                        ).status_code == 200
    with rt.session() as session:
        sizes = {r.key: r.size for r in session.query(Rendition)}
    assert len(sizes) == 4
    assert not [k for k in verify.orphans(rt) if k.startswith("renditions/")]  # all known
    rt.settings.image_cache_mb = 0
    dry = maintenance.trim_renditions(rt, dry_run=True)
    assert dry.count == 4 and all(rt.storage.exists(k) for k in sizes)
    done = maintenance.trim_renditions(rt)
    assert done.count == 4 and not any(rt.storage.exists(k) for k in sizes)
    assert anon.get(path).status_code == 200  # made again on the next request
    bad = CliRunner().invoke(app, ["images", "url", "999999", "--json"])
    assert bad.exit_code == 1 and json_.loads(bad.stdout)["error"]["code"] == "not_found"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_export_writes_every_photo_a_search_finds_into_a_folder_or_a_zip(
        client: TestClient, tmp_path: object) -> None:
    import json as json_
    import zipfile
    from pathlib import Path

    from typer.testing import CliRunner

    from albumen.cli.main import app

    folder, archive = Path(str(tmp_path)) / "out", Path(str(tmp_path)) / "photos.zip"
    ids = [_photo(client, 800, 600, seed=s) for s in (20, 21, 22)]
    client.post("/api/v1/users", json={"username": "bob", "password": PASSWORD})
    bob = {"Authorization": bearer(client, "bob", PASSWORD)}
    client.post("/api/v1/assets", headers=bob,
                files={"file": ("b.jpg", images.jpeg(640, 480, seed=23))})  # not the admin's
    cli = CliRunner()
    done = cli.invoke(app, ["images", "export", "", "--width", "200", "--format", "webp",
                            "--out", str(folder), "--json"])
    assert done.exit_code == 0, done.output
    doc = json_.loads(done.stdout)
    assert doc["written"] == 3 and doc["failed"] == []
    files = sorted(folder.iterdir())
    assert len(files) == 3 and all(f.suffix == ".webp" for f in files)
    assert {Image.open(f).size for f in files} == {(200, 150)}
    zipped = cli.invoke(app, ["images", "export", "", "--width", "100", "--zip",
                              str(archive), "--json"])
    assert zipped.exit_code == 0, zipped.output
    with zipfile.ZipFile(archive) as zf:
        assert len(zf.namelist()) == 3 and len(set(zf.namelist())) == 3
    assert not list(Path(str(tmp_path)).glob(".*.part"))
    both = cli.invoke(app, ["images", "export", "", "--out", str(folder), "--zip",
                            str(archive), "--json"])
    assert both.exit_code == 1 and "one of them" in both.stdout
    assert len(ids) == 3


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_batch_export_runs_as_a_job_with_progress_and_its_zip(client: TestClient,
                                                                 rt: Runtime) -> None:
    import zipfile
    from datetime import timedelta

    from albumen.db.base import utcnow
    from albumen.db.renditions import ImageExport
    from albumen.images import batch

    for seed in (30, 31):
        _photo(client, 800, 600, seed=seed)
    r = client.post("/api/v1/images/batch", json={"query": "", "width": 100,
                                                  "format": "webp"})
    assert r.status_code == 202, r.text
    export = client.get(f"/api/v1/images/batch/{r.json()['id']}").json()
    assert (export["state"], export["total"], export["done"], export["written"]) == (
        "done", 2, 2, 2)
    got = client.get(export["file"])
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(got.content)) as zf:
        sizes = {Image.open(io.BytesIO(zf.read(n))).size for n in zf.namelist()}
    assert sizes == {(100, 75)} and len(zf.namelist()) == 2
    client.post("/api/v1/users", json={"username": "bob", "password": PASSWORD})
    bob = {"Authorization": bearer(client, "bob", PASSWORD)}
    assert client.get(f"/api/v1/images/batch/{export['id']}", headers=bob).status_code == 404
    assert client.get(export["file"], headers=bob).status_code == 404
    assert client.post("/api/v1/images/batch", json={"query": 'after:"nonsense"'}
                       ).status_code == 422
    assert client.post("/api/v1/images/batch", json={"width": 90000}).status_code == 400
    theirs = client.post("/api/v1/assets", headers=bob,
                         files={"file": ("b.jpg", images.jpeg(64, 48, seed=33))}
                         ).json()["asset"]["id"]
    listed = [a["id"] for a in client.get("/api/v1/assets").json()["items"]]
    chosen = client.post("/api/v1/images/batch", json={
        "asset_ids": [listed[0], theirs, listed[1]], "width": 50}).json()
    done = client.get(f"/api/v1/images/batch/{chosen['id']}").json()
    assert (done["selected"], done["total"], done["written"]) == (3, 2, 2)  # not bob's
    assert client.post("/api/v1/images/batch", json={"asset_ids": []}).status_code == 422
    # a worker died mid-export: running, lease expired: queued again, and until then no file
    with rt.transaction() as session:
        me = client.get("/api/v1/auth/me").json()["user"]["id"]
        row = ImageExport(owner_id=me, query="", options="w:10",
                          format="jpeg", state="running", done=0, written=0, failed=[],
                          attempts=1, lease_until=utcnow() - timedelta(seconds=1))
        session.add(row)
        session.flush()
        stuck = row.id
    assert client.get(f"/api/v1/images/batch/{stuck}/file").status_code == 409
    with rt.session() as session:
        assert batch.stalled(session) == [stuck]
    assert batch.run(rt, stuck) == "done"
    assert client.get(f"/api/v1/images/batch/{stuck}").json()["written"] == 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_rendition_whose_file_went_is_made_again(client: TestClient, rt: Runtime) -> None:
    asset_id = _photo(client, seed=40)
    first = client.get(f"/img/_/w:150/{asset_id}.jpeg")
    with rt.session() as session:
        (key,) = [r.key for r in session.query(Rendition)]
    rt.storage.delete(key)
    again = client.get(f"/img/_/w:150/{asset_id}.jpeg")
    assert again.status_code == 200 and again.content == first.content
    assert rt.storage.exists(key)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_photo_still_processing_is_served_at_its_size(client: TestClient, rt: Runtime
                                                        ) -> None:
    """Asked for before its metadata stage recorded its size (an integrator right after the
    upload): the header says how large it is, upright."""
    from albumen.db.models import Asset

    asset_id = _photo(client, 1200, 900, seed=50, exif=images.exif_bytes(orientation=6))
    with rt.transaction() as session:
        session.get(Asset, asset_id).width = None
        session.get(Asset, asset_id).height = None
    got = client.get(f"/img/_/w:300/{asset_id}.jpeg")
    assert got.status_code == 200
    assert _image(got).size == (300, 400)  # turned upright: 900 x 1200
