"""Ingest and processing through the service layer, on real files and databases."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from albumen.db.models import Asset, AssetSource, AssetStage, Derivative
from albumen.library import assets as asset_svc
from albumen.library.importer import import_paths
from albumen.library.processing import process_asset, run_stage
from albumen.library.requeue import reset_stages
from albumen.runtime import Runtime
from tests import images


def _asset(rt: Runtime, asset_id: int) -> Asset:
    with rt.session() as session:
        return asset_svc.get_asset(session, asset_id)


def _staged_leftovers(rt: Runtime) -> list[Path]:
    return list((rt.settings.data_dir / "storage" / "tmp").glob("*"))


def test_import_folder_then_rerun_skips(rt: Runtime, tmp_path: Path) -> None:
    src = tmp_path / "photos"
    images.write(src / "a.jpg", images.jpeg(seed=1, exif=images.exif_bytes(gps=(38.7, -9.1))))
    images.write(src / "nested" / "deeper" / "b.png", images.encode("PNG", seed=2))
    images.write(src / "nested" / "copy-of-a.jpg", (src / "a.jpg").read_bytes())
    images.write(src / "notes.jpg", b"this is a text file, not a photo\n")
    images.write(src / ".DS_Store", b"\x00\x00\x00\x01Bud1")

    report = import_paths(rt, [src])
    assert report.counts == {"imported": 2, "duplicate": 1, "skipped": 0, "rejected": 1}
    rejected = [r for r in report.results if r.outcome == "rejected"]
    assert rejected[0].filename == "notes.jpg"
    assert "content is text" in (rejected[0].reason or "")

    ids = report.asset_ids
    assert len(ids) == 2
    for asset_id in ids:
        assert _asset(rt, asset_id).state == "ready"

    again = import_paths(rt, [src])
    assert again.counts == {"imported": 0, "duplicate": 0, "skipped": 3, "rejected": 1}

    with rt.session() as session:
        # a.jpg and its copy are imported at once: either may be the one first recorded.
        a = session.scalar(select(Asset).where(
            Asset.original_filename.in_(["a.jpg", "copy-of-a.jpg"])))
        assert a is not None
        paths = session.scalars(
            select(AssetSource.source_path).where(AssetSource.asset_id == a.id)
        ).all()
    assert sorted(Path(p).name for p in paths) == ["a.jpg", "copy-of-a.jpg"]
    assert a.latitude == pytest.approx(38.7, abs=1e-4)
    assert a.longitude == pytest.approx(-9.1, abs=1e-4)
    assert _staged_leftovers(rt) == []


def test_originals_are_content_addressed_and_read_only(rt: Runtime, tmp_path: Path) -> None:
    data = images.jpeg(seed=3)
    report = import_paths(rt, [images.write(tmp_path / "x.jpg", data)])
    asset = _asset(rt, report.asset_ids[0])
    path = rt.settings.data_dir / "storage" / asset.storage_key
    assert path.read_bytes() == data
    assert asset.storage_key.endswith(asset.sha256)
    assert not path.stat().st_mode & 0o222


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "TIFF", "HEIF", "AVIF"])
def test_every_supported_format_is_processed(rt: Runtime, tmp_path: Path, fmt: str) -> None:
    path = images.write(tmp_path / "photo.bin", images.encode(fmt, 640, 480, seed=4))
    report = import_paths(rt, [path])
    assert report.counts["imported"] == 1, report.to_dict()
    asset = _asset(rt, report.asset_ids[0])
    assert asset.state == "ready", asset.failure_reason
    expected = {"HEIF": "heic", "JPEG": "jpeg"}.get(fmt, fmt.lower())
    assert asset.format == expected
    assert (asset.width, asset.height) == (640, 480)
    assert asset.thumbhash and asset.phash is not None


def test_derivatives_sizes_orientation_and_formats(rt: Runtime, tmp_path: Path) -> None:
    big = images.jpeg(3000, 2000, seed=5)
    rotated = images.jpeg(800, 600, seed=6, exif=images.exif_bytes(orientation=6))
    report = import_paths(rt, [images.write(tmp_path / "big.jpg", big),
                               images.write(tmp_path / "rotated.jpg", rotated)])
    big_id, rot_id = report.asset_ids
    with rt.session() as session:
        d = {(r.asset_id, r.kind): r for r in session.scalars(select(Derivative))}
    assert (d[big_id, "preview"].width, d[big_id, "preview"].height) == (2160, 1440)
    assert (d[big_id, "thumbnail"].width, d[big_id, "thumbnail"].height) == (375, 250)
    # Orientation 6: stored landscape, shown portrait.
    assert (d[rot_id, "thumbnail"].width, d[rot_id, "thumbnail"].height) == (250, 333)
    assert (_asset(rt, rot_id).width, _asset(rt, rot_id).height) == (600, 800)
    # Small images are never upscaled.
    assert (d[rot_id, "preview"].width, d[rot_id, "preview"].height) == (600, 800)
    storage = rt.settings.data_dir / "storage"
    with Image.open(storage / d[big_id, "thumbnail"].storage_key) as im:
        assert im.format == "WEBP" and im.mode == "RGB"
    with Image.open(storage / d[big_id, "preview"].storage_key) as im:
        assert im.format == "JPEG"


def test_stages_are_idempotent(rt: Runtime, tmp_path: Path) -> None:
    report = import_paths(rt, [images.write(tmp_path / "a.jpg", images.jpeg(seed=7))])
    asset_id = report.asset_ids[0]
    before = _asset(rt, asset_id)
    # Run every stage again from scratch: same results, no duplicate rows.
    with rt.transaction() as session:
        for row in session.scalars(select(AssetStage).where(AssetStage.asset_id == asset_id)):
            row.state = "pending"
    assert process_asset(rt, asset_id) == "ready"
    run_stage(rt, asset_id, "derivatives")  # already done: a no-op
    # The phash stage alone reads the stored thumbnail back: the value it had in one job.
    reset_stages(rt, [asset_id], ["phash"])
    run_stage(rt, asset_id, "phash")
    after = _asset(rt, asset_id)
    assert (after.phash, after.thumbhash, after.taken_at) == (
        before.phash, before.thumbhash, before.taken_at)
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Derivative)) == 2
        attempts = dict(session.execute(select(AssetStage.stage, AssetStage.attempts)).all())
    assert attempts == {"metadata": 2, "derivatives": 2, "phash": 1}  # phash: reset, run once


def test_near_duplicates_found_by_perceptual_hash(rt: Runtime, tmp_path: Path) -> None:
    original = images.photo(1200, 900, seed=8)
    buf = io.BytesIO()
    original.resize((600, 450)).save(buf, "JPEG", quality=60)  # smaller, recompressed
    paths = [
        images.write(tmp_path / "orig.jpg", images.jpeg(1200, 900, seed=8)),
        images.write(tmp_path / "small.jpg", buf.getvalue()),
        images.write(tmp_path / "other.jpg", images.jpeg(1200, 900, seed=99)),
    ]
    orig_id, small_id, _other_id = import_paths(rt, paths).asset_ids
    with rt.session() as session:
        found = asset_svc.near_duplicates(session, orig_id, rt.settings.near_duplicate_distance)
    assert [a.id for a, _ in found] == [small_id]
    assert found[0][1] <= 4


# ------------------------------------------------------------------ bad input


def _one(rt: Runtime, path: Path):  # type: ignore[no-untyped-def]
    report = import_paths(rt, [path])
    assert len(report.results) == 1
    return report.results[0]


def test_zero_byte_file_rejected(rt: Runtime, tmp_path: Path) -> None:
    result = _one(rt, images.write(tmp_path / "empty.jpg", b""))
    assert result.outcome == "rejected" and result.reason == "file is empty"
    assert _staged_leftovers(rt) == []


def test_unsupported_format_named(rt: Runtime, tmp_path: Path) -> None:
    result = _one(rt, images.write(tmp_path / "pic.jpg", images.encode("BMP")))
    assert result.outcome == "rejected" and result.code == "unsupported_media_type"
    assert "content is bmp" in (result.reason or "")


def test_decompression_bomb_rejected_before_decoding(rt: Runtime, tmp_path: Path) -> None:
    result = _one(rt, images.write(tmp_path / "bomb.png", images.png_bomb()))
    assert result.outcome == "rejected"
    assert "decompression bomb" in (result.reason or "") or "too large" in (result.reason or "")
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Asset)) == 0
    assert not list((rt.settings.data_dir / "storage").glob("originals/**/*.*"))
    assert _staged_leftovers(rt) == []


def test_file_over_size_limit_rejected(tmp_path: Path, db_url: str) -> None:
    from albumen.runtime import set_runtime
    from tests.conftest import make_settings

    small = Runtime(make_settings(tmp_path / "data", db_url, max_upload_bytes=10_000))
    small.migrate()
    set_runtime(small)
    try:
        result = _one(small, images.write(tmp_path / "big.jpg", images.jpeg(seed=9)))
    finally:
        set_runtime(None)
    assert result.outcome == "rejected" and result.code == "too_large"
    assert _staged_leftovers(small) == []


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_damaged_image_is_kept_and_marked_failed(rt: Runtime, tmp_path: Path,
                                                 damage: str) -> None:
    data = images.jpeg(1200, 900, seed=10)
    if damage == "truncated":
        data = data[: len(data) // 3]
    else:  # valid header, scrambled entropy-coded data
        data = data[:600] + bytes((b * 7 + 13) % 256 for b in data[600:])
    result = _one(rt, images.write(tmp_path / f"{damage}.jpg", data))
    assert result.outcome == "imported"
    asset = _asset(rt, result.asset_id)
    assert asset.state == "failed"
    reason = asset.failure_reason or ""
    assert reason.startswith(("metadata:", "derivatives:")), reason
    assert "storage" not in reason  # no internal paths in user-facing reasons
    storage = rt.settings.data_dir / "storage"
    assert (storage / asset.storage_key).read_bytes() == data  # the user's bytes are kept


def test_hostile_filenames_are_made_safe(rt: Runtime, tmp_path: Path) -> None:
    from albumen.library.ingest import Origin, ingest

    data = images.jpeg(seed=11)
    for raw, expected in [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.jpg", "evil.jpg"),
        (b"caf\xe9-\xff.jpg", "caf\ufffd-\ufffd.jpg"),
        ("a\x00b\x1b[31m.jpg", "ab[31m.jpg"),
    ]:
        result = ingest(rt, [data], Origin("upload", raw))  # type: ignore[arg-type]
        assert result.filename == expected
    long_name = "x" * 5000 + ".jpg"
    result = ingest(rt, [images.jpeg(seed=12)], Origin("upload", long_name))
    assert len(result.filename) == 255 and result.filename.endswith(".jpg")
    assert not (tmp_path / "etc").exists()
    storage_files = {p.name for p in (rt.settings.data_dir / "storage").rglob("*") if p.is_file()}
    assert "passwd" not in storage_files


def test_non_utf8_path_on_disk_is_imported(rt: Runtime, tmp_path: Path) -> None:
    import os

    raw = os.path.join(os.fsencode(tmp_path), b"ph\xf6to.jpg")
    with open(raw, "wb") as fh:
        fh.write(images.jpeg(seed=13))
    result = _one(rt, Path(os.fsdecode(raw)))
    assert result.outcome == "imported"
    assert _asset(rt, result.asset_id).original_filename == "ph\ufffdto.jpg"


def test_rest_of_batch_goes_on_after_bad_files(rt: Runtime, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    images.write(folder / "1.jpg", images.jpeg(seed=14))
    images.write(folder / "2.jpg", b"")
    images.write(folder / "3.png", images.png_bomb())
    images.write(folder / "4.jpg", b"GIF89a-not-really")
    images.write(folder / "5.jpg", images.jpeg(seed=15))
    report = import_paths(rt, [folder, tmp_path / "does-not-exist"])
    assert report.counts["imported"] == 3  # 4.jpg has GIF magic: kept, then fails processing
    assert report.counts["rejected"] == 3
    states = sorted(_asset(rt, i).state for i in report.asset_ids)
    assert states == ["failed", "ready", "ready"]


def test_job_stopped_by_a_passing_error_gives_back_the_stages_it_claimed(
        rt: Runtime, tmp_path: Path) -> None:
    """A job claims an asset's plain stages at once; when one fails for a reason that may pass
    (here the original is briefly unreadable), the stages it did not reach are pending again at
    once, so the retry runs them without waiting for their lease to run out."""
    from albumen.library.processing import RetryableStageError

    asset_id = import_paths(rt, [images.write(tmp_path / "a.jpg", images.jpeg(seed=3))]
                            ).asset_ids[0]
    reset_stages(rt, [asset_id], None)
    original = rt.settings.data_dir / "storage" / _asset(rt, asset_id).storage_key
    away = original.rename(tmp_path / "away")
    with pytest.raises(RetryableStageError, match="metadata"):
        process_asset(rt, asset_id)
    with rt.session() as session:
        rows = {r.stage: r for r in session.scalars(
            select(AssetStage).where(AssetStage.asset_id == asset_id))}
    assert rows["metadata"].state == "pending" and rows["metadata"].attempts == 1
    assert "FileNotFoundError" in (rows["metadata"].error or "")
    for later in ("derivatives", "phash"):
        assert (rows[later].state, rows[later].attempts, rows[later].lease_until) == (
            "pending", 0, None)
    away.rename(original)
    assert process_asset(rt, asset_id) == "ready"


def test_a_passing_error_in_a_later_stage_keeps_what_the_earlier_ones_found(
        rt: Runtime, tmp_path: Path) -> None:
    """An asset's file stages are computed in one job and recorded together: when one fails for
    a reason that may pass (here its derivatives cannot be written), the stages before it are
    recorded as done, the failing one waits for its retry, and the ones after it are given back."""
    from albumen.library.processing import RetryableStageError
    from albumen.storage.base import derivative_key

    photo = images.write(tmp_path / "a.jpg", images.jpeg(exif=images.exif_bytes()))
    asset_id = import_paths(rt, [photo]).asset_ids[0]
    reset_stages(rt, [asset_id], None)
    with rt.transaction() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        asset.camera_model = None
    folder = (rt.settings.data_dir / "storage" / derivative_key(asset_id, "preview", "jpg")).parent
    for old in folder.iterdir():
        old.unlink()
    folder.rmdir()
    folder.write_bytes(b"a file where the folder should be")
    with pytest.raises(RetryableStageError, match="derivatives"):
        process_asset(rt, asset_id)
    with rt.session() as session:
        rows = {r.stage: r for r in session.scalars(
            select(AssetStage).where(AssetStage.asset_id == asset_id))}
    assert (rows["metadata"].state, rows["metadata"].error) == ("done", None)
    assert rows["derivatives"].state == "pending" and rows["derivatives"].attempts == 1
    assert rows["derivatives"].error
    assert (rows["phash"].state, rows["phash"].attempts) == ("pending", 0)
    asset = _asset(rt, asset_id)
    assert asset.camera_model and asset.state == "processing"
    folder.unlink()
    assert process_asset(rt, asset_id) == "ready"
    assert _asset(rt, asset_id).phash is not None


def test_a_lost_derivative_is_queued_again_once(rt: Runtime, tmp_path: Path) -> None:
    """Repair on read queues the derivatives stage only when it is done: requests arriving
    while it is already waiting (or failed for good) change nothing."""
    from albumen.library.requeue import requeue_done_stage

    asset_id = import_paths(rt, [images.write(tmp_path / "a.jpg", images.jpeg(seed=21))]
                            ).asset_ids[0]
    reset_stages(rt, [asset_id], ["derivatives"])  # waiting, as after a first lost-file request
    assert requeue_done_stage(rt, asset_id, "derivatives") is False
    with rt.session() as session:
        row = session.get(AssetStage, (asset_id, "derivatives"))
        assert row is not None and (row.state, row.attempts) == ("pending", 0)
    assert process_asset(rt, asset_id) == "ready"
    assert requeue_done_stage(rt, asset_id, "derivatives") is True  # immediate queue: run again
    with rt.session() as session:
        row = session.get(AssetStage, (asset_id, "derivatives"))
        assert row is not None and (row.state, row.attempts) == ("done", 1)
    assert _asset(rt, asset_id).state == "ready"


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (greyscale), with a token of pixel data: what
    a header check reads, without building the pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def test_pixel_limit_is_the_configured_one_from_the_first_file(tmp_path: Path,
                                                              db_url: str) -> None:
    """A fresh process applies ALBUMEN_MAX_IMAGE_PIXELS (250 M) to its very first file, not
    Pillow's own 179 M default until something else has raised it (issue 21, defect 2)."""
    from tests.processes import env_for, run_json

    src = tmp_path / "in"
    images.write(src / "big.png", _png_header(16_000, 12_500))  # 200 MP: under our limit
    images.write(src / "bigger.png", _png_header(17_000, 15_000))  # 255 MP: over it
    doc = run_json(env_for(tmp_path / "data", db_url), "import", str(src), "--json")
    outcome = {Path(r["path"]).name: r for r in doc["results"]}
    assert outcome["big.png"]["outcome"] == "imported", outcome["big.png"]
    assert outcome["bigger.png"]["outcome"] == "rejected"
    assert "over the limit of 250,000,000" in outcome["bigger.png"]["reason"]


def test_import_takes_only_regular_files(tmp_path: Path, db_url: str) -> None:
    """A named pipe in the tree made `albumen import` hang for ever, and a link to /dev/zero was
    read up to the size limit (issue 21, defect 8): only regular files are read, the others
    are reported with what they are."""
    import json
    import os
    import subprocess

    from tests.processes import ALBUMEN, env_for

    src = tmp_path / "in"
    images.write(src / "photo.jpg", images.jpeg(seed=1))
    os.mkfifo(src / "pipe.jpg")
    (src / "zero.jpg").symlink_to("/dev/zero")
    proc = subprocess.run([ALBUMEN, "import", str(src), "--json"], capture_output=True,
                          text=True, timeout=60, env=env_for(tmp_path / "data", db_url))
    doc = json.loads(proc.stdout)
    outcome = {Path(r["path"]).name: r for r in doc["results"]}
    assert outcome["photo.jpg"]["outcome"] == "imported"
    assert outcome["pipe.jpg"]["outcome"] == "rejected"
    assert "named pipe" in outcome["pipe.jpg"]["reason"]
    assert outcome["zero.jpg"]["outcome"] == "rejected"
    assert "device" in outcome["zero.jpg"]["reason"]
    assert not list((tmp_path / "data").rglob("*.part"))
