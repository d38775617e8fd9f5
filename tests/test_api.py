"""The REST API through HTTP, on real storage and databases."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from albumen.runtime import Runtime
from tests import images


def upload(client: TestClient, data: bytes, name: str = "photo.jpg",
           content_type: str = "image/jpeg"):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/assets", files={"file": (name, data, content_type)})


def leftovers(rt: Runtime) -> list[object]:
    tmp = rt.settings.data_dir / "storage" / "tmp"
    return list(tmp.iterdir()) if tmp.exists() else []


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_upload_then_duplicate(client: TestClient) -> None:
    data = images.jpeg(seed=1, exif=images.exif_bytes(gps=(-33.86, 151.21), altitude=-12.5,
                                                     lens="RF 50mm F1.8"))
    first = upload(client, data, "sydney.jpg")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "created"
    asset = body["asset"]
    assert asset["original_filename"] == "sydney.jpg"
    assert asset["state"] == "ready"
    assert asset["camera_make"] == "Canon" and asset["camera_model"] == "EOS R5"
    assert asset["lens"] == "RF 50mm F1.8"
    assert asset["location"]["latitude"] == pytest.approx(-33.86, abs=1e-4)
    assert asset["location"]["longitude"] == pytest.approx(151.21, abs=1e-4)
    assert asset["location"]["altitude"] == pytest.approx(-12.5)
    assert asset["taken_at"] == "2023-06-01T16:30:00Z"
    assert asset["taken_at_local"] == "2023-06-01T18:30:00"
    assert asset["taken_at_offset_minutes"] == 120
    assert asset["f_number"] == pytest.approx(2.8) and asset["iso"] == 400
    assert asset["exposure_time"] == pytest.approx(1 / 250)

    again = upload(client, data, "copy.jpg")
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["asset"]["id"] == asset["id"]
    detail = client.get(f"/api/v1/assets/{asset['id']}").json()
    assert [s["original_filename"] for s in detail["sources"]] == ["sydney.jpg", "copy.jpg"]
    assert detail["metadata_raw"]["Exif.Image.Make"] == "Canon"


def test_upload_rejections_use_the_error_shape(client: TestClient, rt: Runtime) -> None:
    err = assert_error(upload(client, b"hello, I am text", "note.jpg"), 415,
                       "unsupported_media_type")
    assert "content is text" in err["message"]
    assert_error(upload(client, b"", "empty.jpg"), 422, "rejected_file")
    err = assert_error(upload(client, images.png_bomb(), "bomb.png"), 422, "rejected_file")
    assert "pixels" in err["message"] or "too large" in err["message"]
    assert_error(client.post("/api/v1/assets", data={"x": "1"}), 422, "invalid_input")
    assert_error(client.post("/api/v1/assets", content=b"{}",
                             headers={"content-type": "application/json"}),
                 422, "invalid_input")
    assert_error(client.post("/api/v1/assets", content=b"--x\r\ngarbage",
                             headers={"content-type": "multipart/form-data; boundary=x"}),
                 422, "invalid_input")
    assert client.get("/api/v1/assets").json()["items"] == []
    assert leftovers(rt) == []


def test_upload_over_size_limit(client: TestClient, rt: Runtime) -> None:
    rt.settings.max_upload_bytes = 50_000
    data = images.jpeg(1200, 900, seed=2)
    err = assert_error(upload(client, data), 413, "too_large")
    assert err["details"]["max_bytes"] == 50_000

    def chunked():  # no Content-Length: the limit is enforced while streaming
        yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
        for i in range(0, len(data), 8192):
            yield data[i : i + 8192]
        yield b"\r\n--B--\r\n"

    response = client.post("/api/v1/assets", content=chunked(),
                           headers={"content-type": "multipart/form-data; boundary=B"})
    assert_error(response, 413, "too_large")
    assert leftovers(rt) == []


def test_list_filters_and_cursor_pagination(client: TestClient) -> None:
    ids = []
    for i, (model, gps, taken) in enumerate([
        ("EOS R5", (48.85, 2.35), "2021:03:01 10:00:00"),
        ("iPhone 15 Pro", None, "2022:07:15 12:00:00"),
        ("EOS R5", None, "2023:01:10 09:00:00"),
        ("Pixel 8", (40.71, -74.0), "2024:05:20 20:00:00"),
        ("iPhone 15 Pro", (51.5, -0.12), None),
    ]):
        exif = images.exif_bytes(model=model, gps=gps, taken=taken, offset=None)
        ids.append(upload(client, images.jpeg(seed=20 + i, exif=exif), f"{i}.jpg").json()
                   ["asset"]["id"])

    def listed(**params: object) -> list[int]:
        return [a["id"] for a in client.get("/api/v1/assets", params=params).json()["items"]]

    # Newest capture first; the undated one sorts by arrival (now), so first.
    assert listed() == [ids[4], ids[3], ids[2], ids[1], ids[0]]
    assert listed(camera="eos") == [ids[2], ids[0]]
    assert listed(camera="IPHONE") == [ids[4], ids[1]]
    assert listed(has_gps=True) == [ids[4], ids[3], ids[0]]
    assert listed(has_gps=False) == [ids[2], ids[1]]
    assert listed(taken_after="2022-01-01T00:00:00Z", taken_before="2024-01-01T00:00:00Z") == [
        ids[2], ids[1]]
    assert listed(state="ready", media_type="image") == listed()
    assert listed(state="failed") == []

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/assets", params=params).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == listed()

    assert_error(client.get("/api/v1/assets", params={"cursor": "!!nonsense"}), 422,
                 "invalid_input")
    assert_error(client.get("/api/v1/assets", params={"limit": 0}), 422, "invalid_input")
    assert_error(client.get("/api/v1/assets", params={"taken_after": "2022-01-01T00:00:00"}),
                 422, "invalid_input")
    assert_error(client.get("/api/v1/assets", params={"state": "bogus"}), 422, "invalid_input")


def test_files_range_etag_and_cache(client: TestClient) -> None:
    data = images.jpeg(2000, 1500, seed=3)
    asset = upload(client, data).json()["asset"]
    original = client.get(asset["links"]["original"])
    assert original.status_code == 200 and original.content == data
    assert original.headers["etag"] == f'"{asset["sha256"]}"'
    assert "immutable" in original.headers["cache-control"]

    part = client.get(asset["links"]["original"], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"

    for kind, mime, short in (("thumbnail", "image/webp", 250), ("preview", "image/jpeg", 1440)):
        response = client.get(asset["links"][kind])
        assert response.status_code == 200
        assert response.headers["content-type"] == mime
        etag = response.headers["etag"]
        cached = client.get(asset["links"][kind], headers={"If-None-Match": etag})
        assert cached.status_code == 304 and cached.content == b""
        from io import BytesIO

        from PIL import Image

        assert min(Image.open(BytesIO(response.content)).size) == short


def test_a_derivative_lost_from_storage_is_made_again_on_read(client: TestClient,
                                                             rt: Runtime) -> None:
    """A thumbnail or preview gone from storage (a crash before it reached the disk, a partial
    restore) is answered with a named 404 and made again from the original; an original gone
    is named too, never a bare server error."""
    from albumen.storage.base import derivative_key

    asset = upload(client, images.jpeg(seed=5)).json()["asset"]
    storage = rt.settings.data_dir / "storage"
    for kind, ext in (("thumbnail", "webp"), ("preview", "jpg")):
        made = client.get(asset["links"][kind]).content
        (storage / derivative_key(asset["id"], kind, ext)).unlink()
        error = assert_error(client.get(asset["links"][kind]), 404, "file_missing")
        assert error["details"] == {"asset_id": asset["id"], "kind": kind, "regenerating": True}
        again = client.get(asset["links"][kind])  # the queue ran the stage (immediate in tests)
        assert again.status_code == 200 and again.content == made
    shown = client.get(f"/api/v1/assets/{asset['id']}").json()
    assert shown["state"] == "ready"
    with rt.session() as session:
        from albumen.db.models import Asset

        key = session.get(Asset, asset["id"]).storage_key
    (storage / key).unlink()
    error = assert_error(client.get(asset["links"]["original"]), 404, "file_missing")
    assert "storage/" not in error["message"] and key not in str(error)


def test_missing_things_are_404_in_the_error_shape(client: TestClient) -> None:
    for path in ("/api/v1/assets/999", "/api/v1/assets/999/original",
                 "/api/v1/assets/999/thumbnail", "/api/v1/assets/999/near-duplicates",
                 "/api/v1/nothing-here"):
        assert_error(client.get(path), 404, "not_found")
    assert_error(client.delete("/api/v1/assets/999"), 404, "not_found")
    assert_error(client.get("/api/v1/assets/abc"), 422, "invalid_input")
    assert_error(client.put("/api/v1/assets"), 405, "method_not_allowed")


def test_failed_asset_has_reason_and_no_thumbnail(client: TestClient) -> None:
    data = images.jpeg(seed=4)
    broken = data[:600] + bytes((b * 7 + 13) % 256 for b in data[600:])
    asset = upload(client, broken, "broken.jpg").json()["asset"]
    assert asset["state"] == "failed" and asset["failure_reason"]
    assert_error(client.get(asset["links"]["thumbnail"]), 404, "not_found")
    assert client.get(asset["links"]["original"]).content == broken
    status = client.get("/api/v1/status").json()
    assert status["assets"]["failed"] == 1
    assert status["failures"][0]["asset_id"] == asset["id"]
    assert status["failures"][0]["reason"] == asset["failure_reason"]
    failed = client.get("/api/v1/assets", params={"state": "failed"}).json()["items"]
    assert [a["id"] for a in failed] == [asset["id"]]


def test_trash_and_restore(client: TestClient) -> None:
    asset_id = upload(client, images.jpeg(seed=5)).json()["asset"]["id"]
    trashed = client.delete(f"/api/v1/assets/{asset_id}")
    assert trashed.status_code == 200 and trashed.json()["deleted_at"]
    assert client.get("/api/v1/assets").json()["items"] == []
    assert [a["id"] for a in client.get("/api/v1/assets", params={"trashed": True})
            .json()["items"]] == [asset_id]
    assert client.get(f"/api/v1/assets/{asset_id}/original").status_code == 200
    restored = client.post(f"/api/v1/assets/{asset_id}/restore")
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert [a["id"] for a in client.get("/api/v1/assets").json()["items"]] == [asset_id]


def test_near_duplicates_endpoint(client: TestClient) -> None:
    from io import BytesIO

    a = upload(client, images.jpeg(1000, 750, seed=6)).json()["asset"]["id"]
    buf = BytesIO()
    images.photo(1000, 750, seed=6).resize((500, 375)).save(buf, "WEBP", quality=50)
    b = upload(client, buf.getvalue(), "small.webp").json()["asset"]["id"]
    upload(client, images.jpeg(1000, 750, seed=7))
    body = client.get(f"/api/v1/assets/{a}/near-duplicates").json()
    assert [item["asset"]["id"] for item in body["items"]] == [b]
    assert client.get(f"/api/v1/assets/{a}/near-duplicates",
                      params={"max_distance": 64}).status_code == 422


def test_health_status_openapi(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready").json()
    assert ready["checks"] == {"database": "ok", "queue": "ok", "storage": "ok"}
    spec = client.get("/openapi.json").json()
    upload_op = spec["paths"]["/api/v1/assets"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert "/api/v1/assets/{asset_id}/near-duplicates" in spec["paths"]
    assert client.get("/docs").status_code == 200
    response = client.get("/health/live", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


def test_ready_reports_broken_storage(client: TestClient, rt: Runtime) -> None:
    import shutil

    shutil.rmtree(rt.settings.data_dir / "storage", ignore_errors=True)
    (rt.settings.data_dir / "storage").write_text("not a directory")
    err = assert_error(client.get("/health/ready"), 503, "unavailable")
    assert err["details"]["checks"]["storage"].startswith("error")


def test_duplicate_groups_and_keep_best(client: TestClient) -> None:
    from io import BytesIO

    from PIL import Image

    original = images.jpeg(1600, 1200, seed=77)
    smaller = BytesIO()
    Image.open(BytesIO(original)).resize((800, 600)).save(smaller, "JPEG", quality=70)
    ids = {}
    for name, data in (("orig.jpg", original), ("small.jpg", smaller.getvalue()),
                       ("other.jpg", images.jpeg(1600, 1200, seed=78))):
        ids[name] = client.post("/api/v1/assets", files={"file": (name, data)}).json()[
            "asset"]["id"]
    groups = client.get("/api/v1/assets/duplicates").json()
    assert len(groups) == 1
    assert sorted(a["id"] for a in groups[0]["assets"]) == sorted(
        [ids["orig.jpg"], ids["small.jpg"]])
    assert groups[0]["best_id"] == ids["orig.jpg"]  # more pixels
    wrong = client.post("/api/v1/assets/duplicates/resolve",
                        json={"keep_id": ids["orig.jpg"], "trash_ids": [ids["other.jpg"]]})
    assert wrong.status_code == 422 and "not a near-duplicate" in wrong.json()["error"]["message"]
    done = client.post("/api/v1/assets/duplicates/resolve",
                       json={"keep_id": ids["orig.jpg"], "trash_ids": [ids["small.jpg"]]})
    assert done.json() == {"trashed": 1}
    assert client.get("/api/v1/assets/duplicates").json() == []
    trashed = client.get("/api/v1/assets", params={"trashed": True}).json()["items"]
    assert [a["id"] for a in trashed] == [ids["small.jpg"]]
