"""Faces, people and places with the real models (dlib, GeoNames) on real face photos.

The photos are the sample images inside insightface's source package (`make test-data` puts
them in .venv/test-data/faces): t1.jpg shows six different people. "Other photos of the same
people" are made from it by mirroring, rescaling and re-exposing, as a second camera would.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageEnhance, ImageOps

from albumen.ml.faces import SAME_PERSON, FaceModel, distances
from tests import images
from tests.conftest import ADMIN_PASSWORD, bearer


@pytest.fixture(scope="session")
def model() -> FaceModel:
    return FaceModel(detect_size=1600)  # one loaded model for the whole test process


def _variants(photo: Image.Image) -> list[Image.Image]:
    mirrored = ImageEnhance.Brightness(ImageOps.mirror(photo)).enhance(1.2)
    bigger = photo.resize((round(photo.width * 1.4), round(photo.height * 1.4)),
                          Image.Resampling.LANCZOS)
    return [mirrored, ImageEnhance.Contrast(bigger).enhance(0.85)]


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_six_people_found_and_told_apart(group_photo: Image.Image, model: FaceModel) -> None:
    faces = model.predict_one(np.asarray(group_photo))
    assert len(faces) == 6
    vectors = np.stack([f.embedding for f in faces])
    for i in range(len(faces)):
        d = distances(vectors, vectors[i])
        d[i] = np.inf
        assert d.min() > SAME_PERSON, "two different people matched"
    assert all(0 < f.box[0] < 1 and 0 < f.box[2] < 0.5 for f in faces)


def test_same_people_match_across_photos(group_photo: Image.Image, model: FaceModel) -> None:
    first = np.stack([f.embedding for f in model.predict_one(np.asarray(group_photo))])
    for variant in _variants(group_photo):
        found = model.predict_one(np.asarray(variant))
        assert len(found) == 6
        matches = []
        for face in found:
            d = distances(first, face.embedding)
            order = np.argsort(d)
            assert d[order[0]] < SAME_PERSON < d[order[1]]
            matches.append(int(order[0]))
        assert sorted(matches) == list(range(6))  # one-to-one


def test_unloads_when_idle_and_loads_again(group_photo: Image.Image) -> None:
    model = FaceModel(detect_size=800, idle_seconds=60.0)
    assert not model.loaded  # construction reads nothing
    small = np.asarray(group_photo.resize((640, 443)))
    model.predict_one(small)
    assert model.loaded and not model.unload_if_idle()  # just used
    assert model.unload_if_idle(now=time.monotonic() + 61)
    assert not model.loaded
    model.predict_one(small)  # the next call after an unload costs a load, not a failure
    assert model.loads == 2


@pytest.fixture
def rt_storage_files(tmp_path: Path) -> Callable[[], int]:
    root = tmp_path / "data" / "storage"
    return lambda: sum(1 for p in root.rglob("*") if p.is_file() and "tmp" not in p.parts)


@pytest.fixture
def ai_client(app_client: Callable[..., TestClient], group_photo: Image.Image) -> TestClient:
    return app_client(enrichments="places,faces", face_min_faces=3)


def test_people_from_uploads_and_what_users_do(ai_client: TestClient,
                                               group_photo: Image.Image) -> None:
    c = ai_client
    photos = [group_photo, *_variants(group_photo)]
    ids = [c.post("/api/v1/assets", files={"file": (f"p{i}.jpg", _jpeg(p))}).json()["asset"]["id"]
           for i, p in enumerate(photos)]
    people = c.get("/api/v1/people").json()
    assert len(people) == 6
    assert all(p["face_count"] == 3 and sorted(p["asset_ids"]) == sorted(ids) for p in people)
    crop = c.get(people[0]["cover"])
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/webp"
    faces = c.get(f"/api/v1/assets/{ids[0]}/faces").json()
    assert len(faces) == 6 and all(f["person_id"] for f in faces)

    anna, bruno = people[0]["id"], people[1]["id"]
    renamed = c.patch(f"/api/v1/people/{anna}", json={"name": "Anna",
                                                      "birth_date": "1990-05-01"}).json()
    assert renamed["name"] == "Anna"
    # A wrong face: moved from Bruno to Anna by the user, and one removed altogether.
    bruno_faces = c.get(f"/api/v1/people/{bruno}/faces").json()
    moved = c.patch(f"/api/v1/faces/{bruno_faces[0]['id']}", json={"person_id": anna}).json()
    assert moved["person_id"] == anna and moved["assigned_by"] == "user"
    c.patch(f"/api/v1/faces/{bruno_faces[1]['id']}", json={"person_id": None})
    # A full re-cluster does not undo either decision, and keeps Anna's name.
    c.post("/api/v1/people/recluster")
    after = {p["id"]: p for p in c.get("/api/v1/people").json()}
    assert after[anna]["name"] == "Anna" and after[anna]["face_count"] == 4
    assert c.get(f"/api/v1/faces/{bruno_faces[1]['id']}/crop").status_code == 200
    removed = next(f for f in c.get(f"/api/v1/assets/{bruno_faces[1]['asset_id']}/faces").json()
                   if f["id"] == bruno_faces[1]["id"])
    assert removed["person_id"] is None and removed["assigned_by"] == "user"
    assert bruno_faces[1]["id"] not in [f["id"] for f in c.get("/api/v1/faces/unassigned").json()]

    # Bruno kept one face of three: below the minimum, so he is no person any more.
    assert bruno not in after and len(after) == 5
    # The others kept their ids through the re-cluster; two of them are merged by the user.
    carla, dora = people[2]["id"], people[3]["id"]
    assert after[carla]["face_count"] == after[dora]["face_count"] == 3
    merged = c.post(f"/api/v1/people/{carla}/merge", json={"person_ids": [dora]}).json()
    assert merged["changed"] == 3
    assert c.get(f"/api/v1/people/{dora}").status_code == 404
    assert c.get(f"/api/v1/people/{carla}").json()["face_count"] == 6

    # Another user sees none of it.
    c.post("/api/v1/users", json={"username": "zed", "password": ADMIN_PASSWORD})
    zed = {"Authorization": bearer(c, "zed", ADMIN_PASSWORD)}
    assert c.get("/api/v1/people", headers=zed).json() == []
    assert c.get(f"/api/v1/people/{anna}", headers=zed).status_code == 404
    assert c.get(people[2]["cover"], headers=zed).status_code == 404
    assert c.patch(f"/api/v1/faces/{faces[0]['id']}", headers=zed,
                   json={"person_id": None}).status_code == 404


def test_one_face_does_not_make_a_person(ai_client: TestClient,
                                         group_photo: Image.Image) -> None:
    ai_client.post("/api/v1/assets", files={"file": ("one.jpg", _jpeg(group_photo))})
    assert ai_client.get("/api/v1/people").json() == []
    assert len(ai_client.get("/api/v1/faces/unassigned").json()) == 6
    faces = ai_client.get("/api/v1/faces/unassigned").json()
    named = ai_client.post("/api/v1/people", json={"name": "Carla",
                                                   "face_ids": [faces[0]["id"]]}).json()
    assert named["face_count"] == 1 and named["name"] == "Carla"


def test_places_from_gps(ai_client: TestClient) -> None:
    lisbon = images.jpeg(640, 480, seed=5, exif=images.exif_bytes(gps=(38.7223, -9.1393)))
    nowhere = images.jpeg(640, 480, seed=6)
    for name, data in (("l.jpg", lisbon), ("n.jpg", nowhere)):
        assert ai_client.post("/api/v1/assets", files={"file": (name, data)}).status_code == 201
    places = ai_client.get("/api/v1/places").json()
    assert [(p["city"], p["country_code"], p["country"], p["asset_count"]) for p in places] == [
        ("Lisbon", "PT", "Portugal", 1)]
    geo = ai_client.get("/api/v1/places/geojson").json()
    assert len(geo["features"]) == 1
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert abs(lat - 38.7223) < 1e-3 and abs(lon + 9.1393) < 1e-3


def test_cli_people_places_models(tmp_path: Path, db_url: str,
                                  group_photo: Image.Image) -> None:
    from tests.processes import env_for, run_json

    env = env_for(tmp_path / "data", db_url, ALBUMEN_ENRICHMENTS="places,faces",
                  ALBUMEN_FACE_MIN_FACES="3")
    src = tmp_path / "photos"
    for i, photo in enumerate([group_photo, *_variants(group_photo)]):
        images.write(src / f"group{i}.jpg", _jpeg(photo))
    images.write(src / "lisbon.jpg", images.jpeg(
        640, 480, seed=5, exif=images.exif_bytes(gps=(38.7223, -9.1393))))
    done = run_json(env, "import", str(src), "--wait", "--json")
    assert done["processing"]["ready"] == 4
    people = run_json(env, "people", "list", "--json")["people"]
    assert len(people) == 6
    assert all(p["face_count"] == 3 and p["asset_count"] == 3 for p in people)
    places = run_json(env, "places", "list", "--json")["places"]
    assert [(p["city"], p["country"]) for p in places] == [("Lisbon", "Portugal")]
    models = {m["name"]: m for m in run_json(env, "models", "list", "--json")["models"]}
    assert models["faces"]["installed"] and models["faces"]["enabled"]


def test_parallel_callers_get_correct_results(group_photo: Image.Image,
                                              model: FaceModel) -> None:
    """Thread workers share one loaded model; dlib's networks are not thread-safe, so the
    runtime serialises calls — concurrent results must equal sequential ones."""
    from concurrent.futures import ThreadPoolExecutor

    inputs = [np.asarray(v) for v in [group_photo, *_variants(group_photo)]] * 2
    expected = [np.stack([f.embedding for f in model.predict_one(x)]) for x in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda x: np.stack([f.embedding for f in model.predict_one(x)]),
                            inputs))
    for a, b in zip(expected, got, strict=True):
        assert np.allclose(a, b, atol=1e-5)


def test_selfie_search_for_guests(ai_client: TestClient, rt_storage_files: Callable[[], int],
                                  group_photo: Image.Image, model: FaceModel) -> None:
    c = ai_client
    event = c.post("/api/v1/events", json={"title": "Wedding"}).json()
    photos = [group_photo, *_variants(group_photo)]
    for i, photo in enumerate(photos):
        c.post("/api/v1/assets", params={"event_id": event["id"]},
               files={"file": (f"g{i}.jpg", _jpeg(photo))})
    c.post("/api/v1/assets", params={"event_id": event["id"]},
           files={"file": ("empty.jpg", images.jpeg(seed=3))})
    link = c.post(f"/api/v1/events/{event['id']}/links", json={"can_view": True}).json()
    # The selfie: one guest's face, cropped from another angle of the day and enlarged.
    face = model.predict_one(np.asarray(group_photo))[2]
    x, y, w, h = face.box
    W, H = group_photo.size
    crop = group_photo.crop((int((x - w) * W), int((y - h) * H), int((x + 2 * w) * W),
                             int((y + 2 * h) * H))).resize((600, 600))
    selfie = _jpeg(ImageEnhance.Brightness(crop).enhance(1.1))

    assets_before, files_before = len(c.get("/api/v1/assets").json()["items"]), \
        rt_storage_files()
    anon = {"Authorization": ""}
    url = f"/api/v1/share/{link['token']}/selfie-search"
    c.cookies.clear()
    found = c.post(url, headers=anon, files={"file": ("me.jpg", selfie)})
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert len(items) == 3 and all(i["original_filename"].startswith("g") for i in items)
    assert [i["distance"] for i in items] == sorted(i["distance"] for i in items)
    assert items[0]["distance"] < 0.3  # the same photo the selfie was cut from
    # The selfie was used for the query only: no asset, no file was kept.
    assert len(c.get("/api/v1/assets").json()["items"]) == assets_before
    assert rt_storage_files() == files_before

    faceless = c.post(url, headers=anon, files={"file": ("x.jpg", images.jpeg(seed=9))})
    assert faceless.status_code == 422 and "no face" in faceless.json()["error"]["message"]
    junk = c.post(url, headers=anon, files={"file": ("x.jpg", b"not an image")})
    assert junk.status_code == 422
    c.patch(f"/api/v1/events/{event['id']}", json={"selfie_search": False})
    off = c.post(url, headers=anon, files={"file": ("me.jpg", selfie)})
    assert off.status_code == 403


def test_cnn_detector_option(group_photo: Image.Image) -> None:
    """dlib's MMOD CNN detector, the slower option that finds more turned faces."""
    cnn = FaceModel(detector="cnn", detect_size=900)
    found = cnn.predict_one(np.asarray(group_photo))
    assert len(found) == 6 and all(f.confidence > 0 for f in found)
    with pytest.raises(ValueError):
        FaceModel(detector="haar")


def test_holidays_and_birthdays_become_tags(app_client: Callable[..., TestClient],
                                            group_photo: Image.Image) -> None:
    c = app_client(enrichments="places,faces,dates", face_min_faces=3)
    christmas = images.exif_bytes(taken="2023:12:25 12:00:00", gps=(38.7223, -9.1393))
    xmas = c.post("/api/v1/assets", files={"file": ("x.jpg", images.jpeg(seed=8, exif=christmas))}
                  ).json()["asset"]
    tags = c.get(f"/api/v1/assets/{xmas['id']}").json()["tags"]
    assert {"name": "christmas day", "source": "holiday", "confidence": None} in tags
    ids = []
    for i, photo in enumerate([group_photo, *_variants(group_photo)]):
        buf = io.BytesIO()
        photo.save(buf, "JPEG", quality=90,
                   exif=images.exif_bytes(taken="2024:03:14 15:00:00"))
        ids.append(c.post("/api/v1/assets", files={"file": (f"p{i}.jpg", buf.getvalue())}
                          ).json()["asset"]["id"])
    person = c.get("/api/v1/people").json()[0]
    c.patch(f"/api/v1/people/{person['id']}", json={"name": "Eva", "birth_date": "1990-03-14"})
    for asset_id in ids:  # the new birth date re-tags the person's photos
        names = [t["name"] for t in c.get(f"/api/v1/assets/{asset_id}").json()["tags"]
                 if t["source"] == "birthday"]
        assert names == ["birthday of eva"]


def test_moments_split_by_time_and_place(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="places")
    shots = [("2024:05:01 10:00:00", (38.7223, -9.1393)), ("2024:05:01 10:40:00", (38.72, -9.14)),
             ("2024:05:01 11:30:00", None),  # no GPS: still part of the morning
             ("2024:05:02 18:00:00", (41.1579, -8.6291)),  # Porto, next day
             ("2024:05:02 18:20:00", (41.15, -8.61))]
    for i, (when, gps) in enumerate(shots):
        exif = images.exif_bytes(taken=when, gps=gps)
        c.post("/api/v1/assets", files={"file": (f"m{i}.jpg", images.jpeg(seed=40 + i,
                                                                        exif=exif))})
    found = c.get("/api/v1/moments").json()
    assert [(m["place"], m["asset_count"]) for m in found] == [("Porto, Portugal", 2),
                                                              ("Lisbon, Portugal", 3)]


def test_model_stages_run_in_batches(app_client: Callable[..., TestClient],
                                     group_photo: Image.Image) -> None:
    """Photos waiting for the same AI stage share one model call (ml_batch_size at a time)."""
    from albumen.library.processing import process_asset
    from albumen.library.requeue import reset_stages
    from albumen.ml import models

    c = app_client(enrichments="", face_min_faces=3, ml_batch_size=4)
    rt = c.app.state.runtime  # type: ignore[attr-defined]
    ids = [c.post("/api/v1/assets", files={"file": (f"p{i}.jpg", _jpeg(p))}).json()["asset"]["id"]
           for i, p in enumerate([group_photo, *_variants(group_photo)])]
    rt.settings.enrichments = "faces"  # switched on later, as an operator would
    reset_stages(rt, None, ["faces"])
    model = models.faces(rt.settings)
    calls, items = model.calls, model.items
    process_asset(rt, ids[0])  # one job: its photo plus the two others waiting for faces
    assert (model.calls - calls, model.items - items) == (1, 3)
    people = c.get("/api/v1/people").json()
    assert len(people) == 6 and all(p["face_count"] == 3 for p in people)
    assert all(c.get(f"/api/v1/assets/{i}").json()["state"] == "ready" for i in ids)


def test_small_faces_get_an_upsampled_pass(group_photo: Image.Image) -> None:
    """Detected at 640 px the six faces are near the detector's limit: three are found without
    upsampling, and the extra pass that only such photos get finds the rest."""
    model = FaceModel(detect_size=640)
    found = model.predict_one(np.asarray(group_photo))
    assert len(found) == 6
    vectors = np.stack([f.embedding for f in found])
    assert all(np.sort(distances(vectors, v))[1] > SAME_PERSON for v in vectors)  # no twins


def test_periodic_recluster_keeps_decisions(ai_client: TestClient,
                                            group_photo: Image.Image) -> None:
    from albumen.worker.host import recluster_all

    c = ai_client
    for i, photo in enumerate([group_photo, *_variants(group_photo)]):
        c.post("/api/v1/assets", files={"file": (f"p{i}.jpg", _jpeg(photo))})
    person = c.get("/api/v1/people").json()[0]
    face = c.get(f"/api/v1/people/{person['id']}/faces").json()[0]
    c.patch(f"/api/v1/faces/{face['id']}", json={"person_id": None})
    c.patch(f"/api/v1/people/{person['id']}", json={"name": "Kept"})
    recluster_all(c.app.state.runtime)  # type: ignore[attr-defined]
    after = c.get(f"/api/v1/people/{person['id']}").json()
    assert after["name"] == "Kept" and after["face_count"] == 2  # named: below the minimum
    assert face["id"] not in [f["id"] for f in c.get(
        f"/api/v1/people/{person['id']}/faces").json()]
