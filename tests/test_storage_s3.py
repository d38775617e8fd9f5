"""Storage: the contract run on the local filesystem and on S3 (moto's real HTTP server),
then the whole app on S3: upload, processing, files with Range, pre-signed downloads."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from albumen.config import Settings
from albumen.storage import Storage
from albumen.storage.base import original_key
from albumen.storage.local import LocalStorage
from albumen.storage.s3 import S3Storage, s3_storage
from tests import images
from tests.conftest import bearer, s3_client, s3_settings

MiB = 1024 * 1024
PART = 5 * MiB  # the smallest part S3 allows: the big file below takes 8 parts
PASSWORD = "a-long-password"


def _s3(endpoint: str, bucket: str, tmp: Path, **overrides: object) -> S3Storage:
    values: dict[str, object] = {**s3_settings(endpoint, bucket), "data_dir": tmp,
                                 "s3_part_size": PART, **overrides}
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return s3_storage(str(settings.storage_url), settings)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "storage")
    endpoint = request.getfixturevalue("s3_server")
    return _s3(endpoint, request.getfixturevalue("s3_bucket"), tmp_path / "data")


def _stage(storage: Storage, data: bytes, chunk: int = MiB) -> Any:
    staged = storage.stage()
    for start in range(0, len(data), chunk):
        staged.write(data[start:start + chunk])
    return staged


def _read(storage: Storage, key: str) -> bytes:
    with storage.open(key) as fh:
        return fh.read()


def _staging_files(storage: Storage) -> list[Path]:
    tmp = storage.tmp  # type: ignore[attr-defined]
    return sorted(tmp.iterdir())


def _uploads_in_progress(storage: Storage) -> list[dict]:
    if not isinstance(storage, S3Storage):
        return []
    return storage.client.list_multipart_uploads(Bucket=storage.bucket).get("Uploads", [])


# ---------------------------------------------------------------- the contract, both kinds


def test_commit_is_atomic_and_content_addressed(storage: Storage) -> None:
    data = random.Random(1).randbytes(300_000)
    key = original_key(hashlib.sha256(data).hexdigest())
    with _stage(storage, data, chunk=7000) as staged:
        assert staged.sha256 == hashlib.sha256(data).hexdigest() and staged.size == len(data)
        assert staged.path.read_bytes() == data  # a local file for the header checks
        assert staged.head == data[:4096]
        assert not storage.exists(key) and list(storage.keys()) == []
        assert storage.commit(staged, key) is True
    assert storage.exists(key) and storage.size(key) == len(data)
    assert _read(storage, key) == data
    assert list(storage.keys()) == [key]
    assert _staging_files(storage) == []


def test_duplicate_commit_returns_false_and_keeps_the_first(storage: Storage) -> None:
    key = "originals/ab/cd/abcd"
    with _stage(storage, b"first") as staged:
        assert storage.commit(staged, key)
    with _stage(storage, b"second") as staged:
        assert storage.commit(staged, key) is False
    assert _read(storage, key) == b"first"


def test_recommit_from_the_same_stage_after_removal(storage: Storage) -> None:
    """Ingest commits again from its stage when a purge removed the object meanwhile."""
    with _stage(storage, b"bytes") as staged:
        assert storage.commit(staged, "originals/k")
        storage.delete("originals/k")
        assert storage.commit(staged, "originals/k")
    assert _read(storage, "originals/k") == b"bytes"


def test_discard_leaves_nothing(storage: Storage) -> None:
    staged = _stage(storage, b"x" * 100_000)
    staged.discard()
    with pytest.raises(RuntimeError), _stage(storage, b"y" * 100_000):
        raise RuntimeError("the upload was refused")
    assert _staging_files(storage) == []
    assert list(storage.keys()) == [] and _uploads_in_progress(storage) == []


def test_large_file_round_trip(storage: Storage) -> None:
    data = random.Random(40).randbytes(40 * MiB + 123)
    sha = hashlib.sha256(data).hexdigest()
    key = original_key(sha)
    seen_during_upload: list[bool] = []
    if isinstance(storage, S3Storage):  # look under the key while the parts go up
        def peek(**_: Any) -> None:
            seen_during_upload.append(storage.exists(key))

        storage.client.meta.events.register("before-call.s3.UploadPart", peek)
    with _stage(storage, data) as staged:
        assert staged.sha256 == sha
        assert storage.commit(staged, key)
    if isinstance(storage, S3Storage):
        head = storage.client.head_object(Bucket=storage.bucket, Key=storage.prefix + key)
        assert head["ETag"].endswith('-9"')  # multipart: 8 parts of 5 MiB and a short one
        assert head["Metadata"] == {"sha256": sha}
        assert len(seen_during_upload) == 9 and not any(seen_during_upload)
    assert storage.size(key) == len(data)
    digest = hashlib.sha256()
    with storage.open(key) as fh:
        while chunk := fh.read(MiB):
            digest.update(chunk)
    assert digest.hexdigest() == sha
    assert hashlib.sha256(b"".join(storage.iter_bytes(key))).hexdigest() == sha
    with storage.local_path(key) as path:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert _staging_files(storage) == []


def test_keys_exists_size_move_delete(storage: Storage) -> None:
    storage.put_bytes("derivatives/001/1/preview.jpg", b"p" * 10)
    storage.put_bytes("derivatives/001/1/thumbnail.webp", b"t" * 5)
    storage.put_bytes("reports/7.pdf", b"%PDF")
    storage.put_bytes("reports/7.pdf", b"%PDF-2")  # put_bytes replaces
    assert sorted(storage.keys()) == ["derivatives/001/1/preview.jpg",
                                      "derivatives/001/1/thumbnail.webp", "reports/7.pdf"]
    assert sorted(storage.keys("derivatives/")) == ["derivatives/001/1/preview.jpg",
                                                    "derivatives/001/1/thumbnail.webp"]
    assert storage.size("reports/7.pdf") == 6 and _read(storage, "reports/7.pdf") == b"%PDF-2"

    assert storage.move("reports/7.pdf", "purging/7.pdf") is True
    assert not storage.exists("reports/7.pdf") and _read(storage, "purging/7.pdf") == b"%PDF-2"
    assert storage.move("reports/7.pdf", "purging/again.pdf") is False
    storage.delete("purging/7.pdf")
    storage.delete("purging/7.pdf")  # deleting what is gone is fine
    assert not storage.exists("purging/7.pdf")

    for call in (lambda: storage.size("nope"), lambda: storage.open("nope"),
                 lambda: storage.local_path("nope").__enter__()):
        with pytest.raises(FileNotFoundError):
            call()
    with pytest.raises(FileNotFoundError):
        list(storage.iter_bytes("nope"))
    for bad in ("../outside", "tmp/x"):
        with pytest.raises(ValueError):
            storage.put_bytes(bad, b"x")
    storage.check()


def test_open_streams_and_seeks(storage: Storage) -> None:
    data = images.jpeg(1600, 1200, seed=7)
    storage.put_bytes("derivatives/000/9/preview.jpg", data)
    with storage.open("derivatives/000/9/preview.jpg") as fh:
        assert fh.read(4) == data[:4]
        assert fh.seek(-10, io.SEEK_END) == len(data) - 10
        assert fh.read() == data[-10:]
        fh.seek(1000)
        assert fh.read(50) == data[1000:1050]
        fh.seek(0)
        with Image.open(fh) as im:  # Pillow seeks around the header
            assert im.size == (1600, 1200)
    key = "derivatives/000/9/preview.jpg"
    assert b"".join(storage.iter_bytes(key, 100, 300, chunk_size=64)) == data[100:300]
    assert b"".join(storage.iter_bytes(key, len(data) - 5)) == data[-5:]
    assert storage.url_for_download(key, "p.jpg", "image/jpeg") is None  # not asked for


# ---------------------------------------------------------------- S3 only


@pytest.fixture
def s3(s3_server: str, s3_bucket: str, tmp_path: Path) -> S3Storage:
    return _s3(s3_server, s3_bucket, tmp_path / "data")


def test_failed_multipart_upload_is_aborted(s3: S3Storage) -> None:
    data = random.Random(3).randbytes(3 * PART + 10)
    parts: list[int] = []

    def fail_third_part(params: dict, **_: Any) -> None:
        parts.append(params["PartNumber"])
        if len(parts) == 3:
            raise ConnectionError("network went away mid-upload")

    s3.client.meta.events.register("before-parameter-build.s3.UploadPart", fail_third_part)
    key = original_key(hashlib.sha256(data).hexdigest())
    with _stage(s3, data) as staged:
        with pytest.raises(ConnectionError):
            s3.commit(staged, key)
        assert not s3.exists(key) and list(s3.keys()) == []
        assert _uploads_in_progress(s3) == []  # aborted: no parts left behind
        s3.client.meta.events.unregister("before-parameter-build.s3.UploadPart",
                                         fail_third_part)
        assert s3.commit(staged, key)  # the stage is still there: try again
    assert hashlib.sha256(_read(s3, key)).hexdigest() == hashlib.sha256(data).hexdigest()
    assert _uploads_in_progress(s3) == []


def test_prefix_isolates_and_reads_are_ranged(s3: S3Storage, s3_server: str,
                                              s3_bucket: str) -> None:
    s3_client(s3_server).put_object(Bucket=s3_bucket, Key="someone-else/file", Body=b"x")
    s3.put_bytes("derivatives/000/1/preview.jpg", b"0123456789" * 1000)
    assert list(s3.keys()) == ["derivatives/000/1/preview.jpg"]
    assert s3.client.head_object(Bucket=s3_bucket, Key="albumen/derivatives/000/1/preview.jpg")
    ranges: list[str | None] = []
    s3.client.meta.events.register("before-parameter-build.s3.GetObject",
                                   lambda params, **_: ranges.append(params.get("Range")))
    assert b"".join(s3.iter_bytes("derivatives/000/1/preview.jpg", 10, 20)) == b"0123456789"
    with s3.open("derivatives/000/1/preview.jpg") as fh:
        fh.seek(9990)
        assert fh.read() == b"0123456789"
    assert ranges == ["bytes=10-19", "bytes=9990-"]  # never the whole object


def test_check_fails_without_a_bucket(s3_server: str, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="NoSuchBucket"):
        _s3(s3_server, "no-such-bucket", tmp_path).check()


def test_presigned_download_url(s3_server: str, s3_bucket: str, tmp_path: Path) -> None:
    signed = _s3(s3_server, s3_bucket, tmp_path, s3_presign_downloads=True,
                 s3_presign_seconds=60)
    signed.put_bytes("originals/aa/bb/aabb", b"the bytes")
    url = signed.url_for_download("originals/aa/bb/aabb", "Été à Nice.jpg", "image/jpeg")
    assert url is not None and "X-Amz-Expires=60" in url
    assert signed.download_origin() == s3_server
    assert _s3(s3_server, s3_bucket, tmp_path).download_origin() is None
    response = httpx.get(url)
    assert response.status_code == 200 and response.content == b"the bytes"
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"] == (
        "inline; filename*=utf-8''%C3%89t%C3%A9%20%C3%A0%20Nice.jpg")


# ---------------------------------------------------------------- the app on S3


@pytest.fixture
def s3_app(app_client: Callable[..., TestClient], s3_server: str, s3_bucket: str
           ) -> Callable[..., TestClient]:
    def make(**overrides: object) -> TestClient:
        return app_client(**s3_settings(s3_server, s3_bucket), **overrides)
    return make


def _bucket_keys(endpoint: str, bucket: str) -> list[str]:
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def test_app_on_s3_uploads_processes_and_serves(s3_app: Callable[..., TestClient],
                                                s3_server: str, s3_bucket: str,
                                                tmp_path: Path) -> None:
    client = s3_app()
    assert client.get("/health/ready").json()["checks"]["storage"] == "ok"
    data = images.jpeg(2000, 1500, seed=11, exif=images.exif_bytes(gps=(38.72, -9.14)))
    created = client.post("/api/v1/assets", files={"file": ("lisbon.jpg", data)})
    assert created.status_code == 201, created.text
    asset = created.json()["asset"]
    assert asset["state"] == "ready" and asset["width"] == 2000
    assert asset["location"]["latitude"] == pytest.approx(38.72, abs=1e-3)
    keys = _bucket_keys(s3_server, s3_bucket)
    assert f"albumen/{original_key(asset['sha256'])}" in keys
    assert {k.rsplit("/", 1)[1] for k in keys if "/derivatives/" in k} == {
        "preview.jpg", "thumbnail.webp"}
    assert not (tmp_path / "data" / "storage").exists()  # nothing went to local storage
    assert [p for p in (tmp_path / "data" / "tmp").rglob("*") if p.is_file()] == []
    again = client.post("/api/v1/assets", files={"file": ("copy.jpg", data)})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    original = client.get(asset["links"]["original"])
    assert original.status_code == 200 and original.content == data
    assert original.headers["etag"] == f'"{asset["sha256"]}"'
    assert original.headers["content-length"] == str(len(data))
    assert original.headers["content-disposition"] == 'inline; filename="lisbon.jpg"'
    assert original.headers["accept-ranges"] == "bytes"
    for header, status, body, content_range in (
        ("bytes=100-199", 206, data[100:200], f"bytes 100-199/{len(data)}"),
        ("bytes=-50", 206, data[-50:], f"bytes {len(data) - 50}-{len(data) - 1}/{len(data)}"),
        (f"bytes={len(data) - 5}-", 206, data[-5:],
         f"bytes {len(data) - 5}-{len(data) - 1}/{len(data)}"),
        ("bytes=0-99999999", 206, data, f"bytes 0-{len(data) - 1}/{len(data)}"),
        ("bytes=0-1,5-6", 200, data, None),  # several ranges: the whole file
    ):
        part = client.get(asset["links"]["original"], headers={"Range": header})
        assert part.status_code == status, header
        assert part.content == body, header
        assert part.headers.get("content-range") == content_range, header
    outside = client.get(asset["links"]["original"], headers={"Range": f"bytes={len(data)}-"})
    assert outside.status_code == 416
    assert outside.headers["content-range"] == f"bytes */{len(data)}"
    stale = client.get(asset["links"]["original"],
                       headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == data
    cached = client.get(asset["links"]["original"], headers={"If-None-Match": original.headers[
        "etag"]})
    assert cached.status_code == 304

    for kind, mime, short in (("thumbnail", "image/webp", 250), ("preview", "image/jpeg", 1440)):
        response = client.get(asset["links"][kind])
        assert response.status_code == 200 and response.headers["content-type"] == mime
        assert min(Image.open(io.BytesIO(response.content)).size) == short

    archive = client.get("/api/v1/assets/download", params={"ids": str(asset["id"])})
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        assert zf.read("lisbon.jpg") == data


def _user(client: TestClient, name: str) -> dict[str, str]:
    created = client.post("/api/v1/users", json={"username": name, "password": PASSWORD})
    assert created.status_code == 201, created.text
    return {"Authorization": bearer(client, name, PASSWORD)}


def test_presigned_original_redirects_after_the_permission_checks(
        s3_app: Callable[..., TestClient], s3_server: str) -> None:
    client = s3_app(s3_presign_downloads=True)
    data = images.jpeg(900, 600, seed=12)
    asset = client.post("/api/v1/assets", files={"file": ("Dünen.jpg", data)}).json()["asset"]
    response = client.get(asset["links"]["original"], follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["cache-control"] == "private, no-store"
    url = response.headers["location"]
    assert url.startswith(s3_server + "/") and "X-Amz-Signature=" in url
    fetched = httpx.get(url)
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["content-disposition"] == "inline; filename*=utf-8''D%C3%BCnen.jpg"
    assert fetched.headers["content-type"] == "image/jpeg"
    # Derivatives are still served by albumen (small, cacheable under a stable URL).
    assert client.get(asset["links"]["thumbnail"], follow_redirects=False).status_code == 200
    # The viewer's zoom loads the original from the object store: the pages allow it.
    page = client.get("/login", follow_redirects=False)
    assert f"img-src 'self' data: blob: {s3_server};" in page.headers["content-security-policy"]

    stranger = _user(client, "stranger")
    refused = client.get(asset["links"]["original"], headers=stranger, follow_redirects=False)
    assert refused.status_code == 404 and "location" not in refused.headers
    anonymous = client.get(asset["links"]["original"], headers={"Authorization": ""},
                           follow_redirects=False)
    assert anonymous.status_code == 401 and "location" not in anonymous.headers


def test_presigned_guest_original_respects_the_link(s3_app: Callable[..., TestClient]) -> None:
    client = s3_app(s3_presign_downloads=True)
    event = client.post("/api/v1/events", json={"title": "Picnic"}).json()
    data = images.jpeg(640, 480, seed=13, exif=images.exif_bytes(gps=(38.7, -9.1)))
    asset = client.post("/api/v1/assets", params={"event_id": event["id"]},
                        files={"file": ("p.jpg", data)}).json()["asset"]

    def original(**link: object) -> httpx.Response:
        token = client.post(f"/api/v1/events/{event['id']}/links",
                            json={"can_view": True, **link}).json()["token"]
        client.cookies.clear()
        return client.get(f"/api/v1/share/{token}/assets/{asset['id']}/original",
                          headers={"Authorization": ""}, follow_redirects=False)

    redirected = original(can_download=True)
    assert redirected.status_code == 307
    assert httpx.get(redirected.headers["location"]).content == data
    assert original(can_download=False).status_code == 403
    stripped = original(can_download=True, strip_location=True)  # rewritten: not the stored
    assert stripped.status_code == 200 and stripped.content != data


def test_refused_upload_leaves_nothing_in_the_bucket(s3_app: Callable[..., TestClient],
                                                     s3_server: str, s3_bucket: str,
                                                     tmp_path: Path) -> None:
    client = s3_app()
    refused = client.post("/api/v1/assets", files={"file": ("note.jpg", b"plain text")})
    assert refused.status_code == 415
    assert _bucket_keys(s3_server, s3_bucket) == []
    assert [p for p in (tmp_path / "data" / "tmp").rglob("*") if p.is_file()] == []
