"""Video (issue 28): clips of the common containers and codecs through the same upload as
photos, checked by content; their metadata (length, codecs, rotation, capture time and place
from QuickTime atoms); a poster that is not the black first frame, thumbnails and a scrub
strip; playback with Range requests, from the original or a web copy made when browsers cannot
play it (a job with progress that can be cancelled and asked for again); faces and screening
on frames sampled over the clip; every bad input refused with its reason and nothing kept."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from albumen.db.models import Asset, AssetStage, Derivative, Face, Video
from albumen.library import processing, transcoding
from albumen.media import video
from albumen.media.sniff import FileType, sniff
from albumen.operations import verify
from albumen.runtime import get_runtime
from tests.test_web_pages import browser
from tests.videos import APPLE_PARIS, make_clip

FACES = Path(__file__).resolve().parent.parent / ".venv" / "test-data" / "faces"


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    specs = {
        # an iPhone clip held upright: landscape pixels turned by the display matrix, a black
        # first third of a second, Apple's location and local creation date
        "iphone.mov": dict(metadata=APPLE_PARIS, rotation=90, dark_frames=10),
        "hevc.mp4": dict(codec="libx265", seconds=1.5),
        "clip.webm": dict(codec="libvpx-vp9", seconds=1.0),
        "camera.avi": dict(codec="mpeg4"),
        "camera.mts": dict(codec="mpeg2video"),
        "vfr.mp4": dict(variable=True),
    }
    return {name: make_clip(folder / name, **spec) for name, spec in specs.items()}


def upload(c: TestClient, path: Path, name: str | None = None) -> dict:
    r = c.post("/api/v1/assets", files={"file": (name or path.name, path.read_bytes())})
    assert r.status_code in (200, 201), r.text
    return c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()


def refused(c: TestClient, content: bytes, name: str) -> dict:
    r = c.post("/api/v1/assets", files={"file": (name, content)})
    assert 400 <= r.status_code < 500, r.text
    return r.json()["error"]


def count(model: type) -> int:
    with get_runtime().session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def probe_bytes(data: bytes) -> av.container.InputContainer:
    return av.open(io.BytesIO(data))


def test_sniffing_knows_video_containers_by_content(clips: dict[str, Path]) -> None:
    expected = {"iphone.mov": "mov", "hevc.mp4": "mp4", "clip.webm": "webm",
                "camera.avi": "avi", "camera.mts": "mts", "vfr.mp4": "mp4"}
    for name, fmt in expected.items():
        kind = sniff(clips[name].read_bytes()[:4096])
        assert isinstance(kind, FileType) and (kind.format, kind.media_type) == (fmt, "video")
    # an old QuickTime file without ftyp, and a Matroska file that is not WebM
    old_mov = sniff(b"\x00\x00\x00\x08wide\x00\x00\x00\x10mdat")
    mkv = sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01B\x82\x88matroska")
    assert isinstance(old_mov, FileType) and old_mov.format == "mov"
    assert isinstance(mkv, FileType) and mkv.format == "mkv"
    sound = sniff(b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom")
    assert sound == "ISO media (M4A, sound only)"


def test_iso6709_positions_in_degrees_and_in_minutes() -> None:
    assert video.iso6709("+48.8584+002.2945+035.000/") == (48.8584, 2.2945, 35.0)
    assert video.iso6709("-33.8688+151.2093/") == (-33.8688, 151.2093, None)
    lat, lon, _ = video.iso6709("+4851.504+00217.670/")  # DDMM.MMM, DDDMM.MMM
    assert (round(lat, 4), round(lon, 4)) == (48.8584, 2.2945)
    with pytest.raises(ValueError):
        video.iso6709("+95.0+002.0/")
    with pytest.raises(ValueError):
        video.iso6709("somewhere")


def test_clips_become_video_assets_with_metadata_poster_and_strip(
        app_client: Callable[..., TestClient], clips: dict[str, Path]) -> None:
    c = app_client()
    phone = upload(c, clips["iphone.mov"])
    assert (phone["state"], phone["media_type"], phone["mime_type"], phone["format"]) == (
        "ready", "video", "video/quicktime", "mov")
    assert (phone["width"], phone["height"]) == (360, 640)  # as displayed: turned upright
    assert phone["duration"] == pytest.approx(2.0, abs=0.05)
    assert phone["taken_at"].startswith("2024-06-01T12:34:56")  # 14:34:56 at +02:00
    assert (phone["taken_at_local"], phone["taken_at_offset_minutes"]) == (
        "2024-06-01T14:34:56", 120)
    assert phone["location"] == {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0}
    assert (phone["camera_make"], phone["camera_model"]) == ("Apple", "iPhone 15 Pro")
    meta = phone["video"]
    assert (meta["container"], meta["video_codec"], meta["rotation"], meta["audio_codec"]) == (
        "mp4", "h264", 90, "aac")
    assert meta["fps"] == 30 and meta["frames"] == 60 and meta["browser_playable"]
    assert meta["poster_time"] >= 10 / 30  # not the black frames at the start
    assert meta["web_copy"] is None  # browsers play it as it is
    # The original is stored untouched.
    got = c.get(phone["links"]["original"])
    assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(
        clips["iphone.mov"].read_bytes()).hexdigest()
    # The poster: upright, not black; the thumbnail; the strip of 10 frames side by side.
    poster = Image.open(io.BytesIO(c.get(phone["links"]["preview"]).content))
    assert poster.size == (360, 640) and np.asarray(poster.convert("L")).mean() > 40
    thumb = Image.open(io.BytesIO(c.get(phone["links"]["thumbnail"]).content))
    assert thumb.format == "WEBP" and min(thumb.size) == 250
    strip = Image.open(io.BytesIO(c.get(phone["links"]["strip"]).content))
    assert meta["strip_frames"] == 10 and strip.size == (10 * 90, 160)
    assert phone["thumbhash"]
    # Other containers and codecs; each plays in a browser, from the original or a copy.
    for name, codec, playable in (("hevc.mp4", "hevc", False), ("clip.webm", "vp9", True),
                                  ("camera.avi", "mpeg4", False),
                                  ("camera.mts", "mpeg2video", False),
                                  ("vfr.mp4", "h264", True)):
        asset = upload(c, clips[name])
        assert asset["state"] == "ready", (name, asset["failure_reason"], asset["stages"])
        assert asset["video"]["video_codec"] == codec
        assert asset["video"]["browser_playable"] is playable, name
        played = c.get(asset["links"]["playback"])
        assert played.status_code == 200, played.text
        with probe_bytes(played.content) as box:
            assert box.streams.video[0].codec_context.name in ("h264", "vp9")
            if not playable:
                assert box.streams.audio[0].codec_context.name == "aac"
                assert asset["video"]["web_copy"]["width"] == 640
        assert (played.headers["content-type"] == "video/webm") is (name == "clip.webm")
        if name == "vfr.mp4":
            assert asset["video"]["variable_frame_rate"] is True
    assert count(Video) == 6
    # Every stored file (web copies and strips too) is known to belong: none is an orphan.
    assert list(verify.orphans(get_runtime())) == []


def test_playback_answers_range_requests(app_client: Callable[..., TestClient],
                                         clips: dict[str, Path]) -> None:
    c = app_client()
    for path in (clips["iphone.mov"], clips["hevc.mp4"]):  # the original, then a web copy
        asset = upload(c, path)
        url = asset["links"]["playback"]
        whole = c.get(url)
        size = len(whole.content)
        assert whole.headers["accept-ranges"] == "bytes"
        part = c.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1099/{size}"
        assert part.content == whole.content[100:1100]
        tail = c.get(url, headers={"Range": "bytes=-500"})
        assert tail.status_code == 206 and tail.content == whole.content[-500:]
        # If-Range with the current validator: the range; with a stale one: the whole file
        etag = whole.headers["etag"]
        assert c.get(url, headers={"Range": "bytes=0-9", "If-Range": etag}).status_code == 206
        stale = c.get(url, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
        assert stale.status_code == 200 and len(stale.content) == size
        assert c.get(url, headers={"Range": f"bytes={size + 10}-"}).status_code == 416


def test_bad_videos_are_refused_with_their_reason_and_nothing_kept(
        app_client: Callable[..., TestClient], clips: dict[str, Path],
        tmp_path: Path) -> None:
    c = app_client(video_max_seconds=1.8, video_max_fps=60, video_max_dimension=1000)
    data = clips["iphone.mov"].read_bytes()
    # An MP4 cut off before its index (the moov atom, written last) cannot be played.
    error = refused(c, data[: len(data) // 2], "cut.mov")
    assert "not a readable video container" in error["message"]
    # Sound only.
    sound = tmp_path / "voice.m4a"
    with av.open(str(sound), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48_000)
        for i in range(20):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp",
                                               layout="mono")
            frame.sample_rate, frame.pts = 48_000, i * 1024
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    error = refused(c, sound.read_bytes(), "voice.mp4")
    assert error["message"] == "the file has no video stream (only audio)"
    # Over the limits: too long, too many frames a second, too large a picture.
    long = make_clip(tmp_path / "long.mp4", seconds=2.0, audio=False)
    assert "over the limit of 0:00:01 (ALBUMEN_VIDEO_MAX_SECONDS)" in refused(
        c, long.read_bytes(), "long.mp4")["message"]
    fast = make_clip(tmp_path / "fast.mp4", seconds=0.5, fps=120, audio=False)
    assert "claims 120 frames a second" in refused(c, fast.read_bytes(), "fast.mp4")["message"]
    big = make_clip(tmp_path / "big.mp4", seconds=0.2, width=1280, height=720, audio=False)
    assert "1280x720 pixels, over the limit" in refused(c, big.read_bytes(), "b.mp4")["message"]
    # HTML behind a video's magic bytes, and a container holding a script.
    html = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2<html><script>alert(1)</script>"
    assert "not a readable video container" in refused(c, html, "x.mp4")["message"]
    assert count(Asset) == 0 and count(Video) == 0
    originals = get_runtime().settings.data_dir / "originals"
    assert not originals.exists() or not any(p.is_file() for p in originals.rglob("*"))


def test_undecodable_frames_keep_the_original_and_record_why(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A real container whose pictures FFmpeg cannot decode: kept, its failure recorded."""
    c = app_client()
    path = make_clip(tmp_path / "broken.mkv", seconds=1.0, audio=False, codec="libx264")
    data = bytearray(path.read_bytes())
    start = data.find(b"\x1f\x43\xb6\x75")  # the first Matroska cluster: the frames
    assert start > 0
    for i in range(start + 64, len(data) - 16):
        data[i] = 0  # keep the container's structure readable, wipe the pictures
    r = c.post("/api/v1/assets", files={"file": ("broken.mkv", bytes(data))})
    assert r.status_code == 201, r.text
    asset = c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()
    assert asset["state"] == "failed"
    assert "decode" in asset["failure_reason"] or "frame" in asset["failure_reason"]
    assert c.get(asset["links"]["original"]).content == bytes(data)


def test_a_web_copy_can_be_cancelled_and_asked_for_again(
        app_client: Callable[..., TestClient], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Jobs wait in the queue here: the test runs them, the web copy in a worker thread.
    c = app_client(transcode="all", transcode_preset="medium", queue_immediate=False,
                   transcode_segment_seconds=3)
    rt = get_runtime()
    clip = make_clip(tmp_path / "speech.mp4", seconds=12.0, width=960, height=540)
    monkeypatch.setattr(transcoding, "_PROGRESS_SECONDS", 0.05)
    created = c.post("/api/v1/assets", files={"file": ("speech.mp4", clip.read_bytes())})
    asset_id = created.json()["asset"]["id"]
    processing.process_asset(rt, asset_id, "media")  # core stages; the copy is handed over
    with rt.session() as session:
        assert session.get(AssetStage, (asset_id, "transcode")).state == "pending"
    worker = threading.Thread(target=processing.run_stage, args=(rt, asset_id, "transcode"))
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with rt.session() as session:
            row = session.get(AssetStage, (asset_id, "transcode"))
            if (row.progress_done or 0) > 0:
                break
        time.sleep(0.02)
    cancelled = c.delete(f"/api/v1/assets/{asset_id}/transcode")
    assert cancelled.status_code == 200, cancelled.text
    worker.join(60)
    assert not worker.is_alive()
    after = c.get(f"/api/v1/assets/{asset_id}").json()
    stage = next(s for s in after["stages"] if s["stage"] == "transcode")
    assert stage["state"] == "failed" and stage["error"] == "cancelled by user 1"
    assert 0 < stage["progress_done"] < stage["progress_total"] == 12
    assert after["state"] == "ready" and after["video"]["web_copy"] is None
    assert not list(rt.storage.tmp.glob("web*"))  # the partial copy was removed
    with rt.session() as session:  # and the segments it had finished
        assert sorted(session.scalars(select(Derivative.kind).where(
            Derivative.asset_id == asset_id))) == ["preview", "strip", "thumbnail"]
    assert c.delete(f"/api/v1/assets/{asset_id}/transcode").status_code == 409
    # Asked for again: queued, then made by the video queue's worker.
    again = c.post(f"/api/v1/assets/{asset_id}/transcode")
    assert again.status_code == 202, again.text
    assert next(s for s in again.json()["stages"] if s["stage"] == "transcode")["state"] == \
        "pending"
    processing.process_asset(rt, asset_id, "video")
    done = c.get(f"/api/v1/assets/{asset_id}").json()
    assert done["video"]["web_copy"]["width"] == 960 and done["state"] == "ready"
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Derivative).where(
            Derivative.asset_id == asset_id, Derivative.kind == "web")) == 1
    # A photo has no web copy to ask for.
    photo = c.post("/api/v1/assets", files={"file": ("p.png", _png())}).json()["asset"]
    assert c.post(f"/api/v1/assets/{photo['id']}/transcode").status_code == 422


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.skipif(not (FACES / "t1.jpg").exists(), reason="face photos not downloaded")
def test_faces_and_screening_run_on_sampled_frames(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    c = app_client(enrichments="screening,faces", video_sample_seconds=1.0)
    photo = np.asarray(Image.open(FACES / "t1.jpg").convert("RGB"))
    clip = make_clip(tmp_path / "toast.mp4", seconds=3.0, fps=10, width=1280, height=720,
                     photo=photo, audio=False)
    event = c.post("/api/v1/events", json={"title": "Wedding", "review_required": False}).json()
    link = c.post(f"/api/v1/events/{event['id']}/links",
                  json={"can_view": True, "can_upload": True}).json()
    c.cookies.clear()
    r = c.post(f"/api/v1/share/{link['token']}/assets", headers={"Authorization": ""},
               files={"file": ("toast.mp4", clip.read_bytes())})
    assert r.status_code == 201, r.text
    assert r.json()["asset"]["media_type"] == "video"
    asset = c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()
    assert asset["state"] == "ready", asset["stages"]
    # Screening looked at the frames: scored, released (clean, no review required).
    assert asset["screening"]["nudity"] < 0.5 and asset["moderation"] == "approved"
    # The people of the photo, found in the frames, each once, with when they were seen.
    with get_runtime().session() as session:
        faces = list(session.scalars(select(Face).where(Face.asset_id == asset["id"])))
    assert len(faces) >= 3
    assert all(f.frame_time is not None and 0 <= f.frame_time <= 3 for f in faces)
    assert len(asset["people"]) == len(faces)


def _listed(c: TestClient) -> list[int]:
    return [a["id"] for a in c.get("/api/v1/assets").json()["items"]]


@pytest.mark.parametrize("clip_first", [False, True])
def test_a_live_photo_is_one_asset_whatever_arrives_first(
        app_client: Callable[..., TestClient], tmp_path: Path, clip_first: bool) -> None:
    from tests.videos import live_photo_jpeg

    c = app_client()
    key = "5D2E8A1C-7B3F-4E21-9C0D-AB12CD34EF56"
    still = live_photo_jpeg(key)
    clip = make_clip(tmp_path / "IMG_0001.MOV", seconds=1.5,
                     metadata={**APPLE_PARIS, "com.apple.quicktime.content.identifier": key})
    other = make_clip(tmp_path / "IMG_0002.MOV", seconds=0.5,
                      metadata={"com.apple.quicktime.content.identifier": "another"})
    sends = [("IMG_0001.MOV", clip.read_bytes()), ("IMG_0001.JPG", still)]
    ids = {}
    for name, data in (reversed(sends) if not clip_first else sends):
        r = c.post("/api/v1/assets", files={"file": (name, data)})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["asset"]["id"]
    lone = c.post("/api/v1/assets", files={"file": ("IMG_0002.MOV", other.read_bytes())})
    photo = c.get(f"/api/v1/assets/{ids['IMG_0001.JPG']}").json()
    movie = c.get(f"/api/v1/assets/{ids['IMG_0001.MOV']}").json()
    assert photo["motion_id"] == movie["id"] and movie["motion_of_id"] == photo["id"]
    assert photo["links"]["motion"] == f"/api/v1/assets/{movie['id']}/playback"
    assert c.get(photo["links"]["motion"]).status_code == 200
    # Lists and search show the still alone; a clip without its still is a video of its own.
    assert sorted(_listed(c)) == sorted([photo["id"], lone.json()["asset"]["id"]])
    b = browser(c)
    page = b.get("/").text
    assert f'data-src="/api/v1/assets/{movie["id"]}/playback"' in page and "LIVE" in page
    viewer = b.get(f"/photos/{photo['id']}").text
    assert 'id="motion"' in viewer and f"/api/v1/assets/{movie['id']}/playback" in viewer


def test_a_motion_photo_s_clip_is_taken_out_of_the_jpeg(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    from tests import images

    c = app_client()
    clip = make_clip(tmp_path / "motion.mp4", seconds=1.0, audio=False).read_bytes()
    picture = images.jpeg(640, 480, seed=4)
    samsung = picture + b"MotionPhoto_Data" + clip  # Samsung's layout (Google's: no marker)
    r = c.post("/api/v1/assets", files={"file": ("20240601_143456.jpg", samsung)})
    assert r.status_code == 201, r.text
    photo = c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()
    assert photo["state"] == "ready" and photo["media_type"] == "image"
    assert c.get(photo["links"]["original"]).content == samsung  # the original, whole
    movie = c.get(f"/api/v1/assets/{photo['motion_id']}").json()
    assert movie["media_type"] == "video" and movie["state"] == "ready"
    assert movie["original_filename"] == "20240601_143456.motion.mp4"
    assert movie["sha256"] == hashlib.sha256(clip).hexdigest()
    assert _listed(c) == [photo["id"]]
    # A plain JPEG has no clip; the same motion photo again adds nothing.
    assert c.post("/api/v1/assets", files={"file": ("p.jpg", picture)}).json()["asset"][
        "id"] not in (photo["id"], movie["id"])
    again = c.post("/api/v1/assets", files={"file": ("copy.jpg", samsung)})
    assert again.json()["status"] == "duplicate" and count(Asset) == 3


@pytest.mark.slow
def test_import_takes_videos_and_the_cli_asks_for_web_copies(
        tmp_path: Path, db_url: str, clips: dict[str, Path]) -> None:
    from tests.processes import env_for, run_cli, run_json

    env = env_for(tmp_path / "data", db_url, ALBUMEN_WORKERS="2")
    src = tmp_path / "camera-roll"
    src.mkdir()
    for name in ("iphone.mov", "hevc.mp4", "camera.mts"):
        (src / name).write_bytes(clips[name].read_bytes())
    (src / "not-a-video.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"<html>" * 50)
    doc = run_json(env, "import", str(src), "--wait", "--json")
    assert doc["counts"] == {"imported": 3, "duplicate": 0, "skipped": 0, "rejected": 1}
    assert "not a readable video container" in doc["rejected"][0]["reason"]
    assert doc["processing"]["ready"] == 3, doc["processing"]
    listing = run_json(env, "assets", "list", "--json")["items"]
    hevc = next(a for a in listing if a["original_filename"] == "hevc.mp4")
    assert hevc["video"]["web_copy"] is not None and hevc["duration"] == pytest.approx(1.5)
    nothing = run_cli(env, "assets", "transcode", str(hevc["id"]), "--cancel", check=False)
    assert nothing.returncode == 1 and "no web copy was queued" in nothing.stdout
    queued = run_json(env, "assets", "transcode", str(hevc["id"]), "--json")
    assert queued == {"asset_id": hevc["id"], "done": True, "message": "queued"}
    stages = run_json(env, "assets", "show", str(hevc["id"]), "--json")["stages"]
    assert next(s for s in stages if s["stage"] == "transcode")["state"] == "pending"
    photo = next(a for a in listing if a["original_filename"] == "iphone.mov")
    assert run_cli(env, "assets", "transcode", str(photo["id"] + 999), "--json",
                   check=False).returncode == 1


def test_videos_have_a_size_limit_of_their_own(app_client: Callable[..., TestClient],
                                               clips: dict[str, Path]) -> None:
    data = clips["iphone.mov"].read_bytes()
    c = app_client(max_upload_bytes=20_000, max_video_bytes=len(data) + 10)
    assert c.post("/api/v1/assets", files={"file": ("v.mov", data)}).status_code == 201
    photo = refused(c, b"\xff\xd8\xff\xe0" + b"\x00" * 30_000, "big.jpg")
    assert photo["code"] == "too_large" and "ALBUMEN_MAX_UPLOAD_BYTES" in photo["message"]
    c2 = app_client(max_video_bytes=len(data) - 10)
    error = refused(c2, data, "v2.mov")
    assert error["code"] == "too_large" and "ALBUMEN_MAX_VIDEO_BYTES" in error["message"]
    assert count(Asset) == 1


def test_the_live_photo_key_is_read_from_jpeg_and_heic_stills(tmp_path: Path) -> None:
    import piexif
    from pillow_heif import register_heif_opener

    from albumen.media.metadata import apple_content_identifier, read_metadata
    from tests.videos import apple_maker_note, live_photo_jpeg

    register_heif_opener()
    jpeg = tmp_path / "IMG_0001.JPG"
    jpeg.write_bytes(live_photo_jpeg("KEY-JPEG"))
    heic = tmp_path / "IMG_0002.HEIC"
    exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Apple"},
                        "Exif": {piexif.ExifIFD.MakerNote: apple_maker_note("KEY-HEIC")}})
    Image.new("RGB", (64, 48), (30, 100, 200)).save(heic, exif=exif)
    assert read_metadata(jpeg).content_identifier == "KEY-JPEG"
    assert read_metadata(heic).content_identifier == "KEY-HEIC"
    # Not Apple's, or damaged: no key (and no error).
    assert apple_content_identifier(b"Nikon\x00\x02\x10\x00\x00MM\x00\x00\x00\x08") is None
    assert apple_content_identifier(apple_maker_note("X")[:20]) is None


@pytest.mark.slow
def test_a_killed_worker_s_web_copy_goes_on_from_its_last_segment(tmp_path: Path,
                                                                    db_url: str) -> None:
    """SIGKILL a worker making a web copy: the segments it finished are kept, and the next
    worker makes only the rest; the joined copy has every frame, the sound and the rotation."""
    from sqlalchemy import create_engine

    from tests.processes import env_for, log_tail, run_json, spawn, wait_until

    seconds, fps = 8, 30
    folder = tmp_path / "clips"
    folder.mkdir()
    make_clip(folder / "speech.mov", seconds=seconds, width=960, height=540, rotation=90,
              codec="libx265")
    env = env_for(tmp_path / "data", db_url, ALBUMEN_TRANSCODE="all",
                  ALBUMEN_TRANSCODE_PRESET="medium", ALBUMEN_TRANSCODE_SEGMENT_SECONDS="1",
                  ALBUMEN_JOB_LEASE_SECONDS="3", ALBUMEN_RECONCILE_INTERVAL_SECONDS="1",
                  ALBUMEN_WORKER_HEARTBEAT_SECONDS="1")
    assert run_json(env, "import", str(folder), "--json")["counts"]["imported"] == 1
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))

    def kinds() -> dict[str, str]:
        with engine.connect() as conn:
            return dict(conn.execute(select(Derivative.kind, Derivative.storage_key)).all())

    def parts() -> dict[str, str]:
        return {k: v for k, v in kinds().items() if k.startswith("webpart-")}

    log = tmp_path / "worker.log"
    try:
        first = spawn(env, log, "worker", "--worker-type", "process")
        try:
            assert wait_until(lambda: len(parts()) >= 2, 120), log_tail(log)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        left = parts()
        assert "web" not in kinds() and len(left) < seconds, "finished before the kill"
        second = spawn(env, log, "worker", "--worker-type", "process")
        seen: dict[str, str] = dict(left)
        try:
            def made() -> bool:
                now = kinds()
                if "web" in now:
                    return True
                current = {k: v for k, v in now.items() if k.startswith("webpart-")}
                assert left.items() <= current.items(), "a finished segment was dropped"
                seen.update(current)
                return False

            assert wait_until(made, 180, interval=0.05), log_tail(log)
            second.send_signal(signal.SIGTERM)
            assert second.wait(30) == 0
        finally:
            if second.poll() is None:
                os.killpg(second.pid, signal.SIGKILL)
        # One key per segment: none made twice (a re-made one gets a new key).
        assert len(seen) == len(set(seen.values())) and len(seen) <= seconds
        after = kinds()
        assert not [k for k in after if k.startswith("webpart-")]
        root = tmp_path / "data" / "storage"
        assert not [key for key in seen.values() if (root / key).exists()]
        with av.open(str(root / after["web"])) as box:
            frames = list(box.decode(video=0))
            assert len(frames) == seconds * fps and frames[0].rotation == 90
            assert box.streams.audio[0].codec_context.name == "aac"
    finally:
        engine.dispose()


def test_hdr_clips_are_tone_mapped_not_flattened(app_client: Callable[..., TestClient],
                                                  tmp_path: Path) -> None:
    """An HLG clip (as iPhones record): its poster and web copy are SDR BT.709, as bright as
    the scene, not the HLG signal read as if it were SDR (greyed, flat)."""
    c = app_client()
    clip = make_clip(tmp_path / "hdr.mov", seconds=1.0, codec="libx265", hdr=True)
    with av.open(str(clip)) as box:
        source = next(box.decode(video=0))
        assert source.color_trc == 18  # HLG
        flat = source.to_ndarray(format="rgb24").astype(float)  # no tone mapping
    asset = upload(c, clip)
    assert asset["state"] == "ready", asset["failure_reason"]
    with probe_bytes(c.get(asset["links"]["playback"]).content) as box:
        copy = next(box.decode(video=0))
        assert (copy.color_trc, copy.color_primaries, copy.format.name) == (1, 1, "yuv420p")
        mapped = copy.to_ndarray(format="rgb24").astype(float)
    poster = np.asarray(Image.open(io.BytesIO(c.get(asset["links"]["preview"]).content))
                        .convert("RGB")).astype(float)
    assert mapped.mean() > flat.mean() + 15 and poster.mean() > flat.mean() + 15
    # The table applied to the web copy agrees with FFmpeg's own conversion of the frame.
    exact = source.reformat(format="rgb24", dst_colorspace=1, dst_color_trc=1,
                            dst_color_primaries=1, dst_color_range=2).to_ndarray()
    assert abs(mapped.mean() - exact.mean()) < 4
