"""How processing treats a stage that fails: retried when trying again may help, failed at once
with its reason when it would fail the same way every time, and never at the cost of the
asset's other stages. Real files, the real pipeline (issue 21, defect 7)."""

from __future__ import annotations

import errno
import io
import json
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import JSON, Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.exc import OperationalError, StatementError

from albumen.db.models import Asset, AssetStage, Derivative
from albumen.errors import MediaDecodeError, RejectedFile, ServiceUnavailable
from albumen.library import failures, stages
from albumen.library.importer import import_paths
from albumen.library.processing import process_asset
from albumen.library.requeue import reset_stages
from albumen.operations import maintenance
from albumen.runtime import Runtime, set_runtime
from tests import images
from tests.conftest import make_settings

# The enrichments that need no model weights beyond the packages, and the model stages
# (screening, faces, OCR) that read the preview.
ENRICHMENTS = "screening,bursts,places,faces,ocr,dates"


@pytest.fixture
def rich_rt(tmp_path: Path, db_url: str) -> Iterator[Runtime]:
    runtime = Runtime(make_settings(tmp_path / "data", db_url, enrichments=ENRICHMENTS))
    runtime.migrate()
    set_runtime(runtime)
    yield runtime
    set_runtime(None)


def _stages(rt: Runtime, asset_id: int) -> dict[str, AssetStage]:
    with rt.session() as session:
        return {r.stage: r for r in session.scalars(
            select(AssetStage).where(AssetStage.asset_id == asset_id))}


def _exif_double(tag: int, value: float) -> bytes:
    """An EXIF block (little-endian TIFF) whose Exif IFD holds one tag typed DOUBLE: a type
    the standard does not give that tag, which exiv2 reads as written."""
    exif_ifd = 8 + 2 + 12 + 4
    data = exif_ifd + 2 + 12 + 4
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<HHHII", 1, 0x8769, 4, 1, exif_ifd) + struct.pack("<I", 0)
    tiff += struct.pack("<HHHII", 1, tag, 12, 1, data) + struct.pack("<I", 0)
    tiff += struct.pack("<d", value)
    return b"Exif\x00\x00" + tiff


def _refuse_iso(rt: Runtime, iso: int) -> None:
    """Make the database refuse one ISO value the way it refuses a number it cannot hold:
    PostgreSQL with its own "integer out of range" (SQLSTATE 22003), SQLite with a value too
    big for it (SQLITE_TOOBIG). Both reach albumen as a DataError, as a real refusal does."""
    with rt.transaction() as conn:
        if conn.get_bind().dialect.name == "postgresql":
            conn.execute(text(f"""
                CREATE OR REPLACE FUNCTION refuse_iso() RETURNS trigger AS $$ BEGIN
                  IF NEW.iso = {iso} THEN
                    RAISE EXCEPTION 'integer out of range' USING ERRCODE = '22003';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql"""))
            conn.execute(text("CREATE TRIGGER refuse_iso BEFORE INSERT OR UPDATE ON assets "
                              "FOR EACH ROW EXECUTE FUNCTION refuse_iso()"))
        else:
            conn.execute(text(f"CREATE TRIGGER refuse_iso BEFORE UPDATE OF iso ON assets "
                              f"WHEN NEW.iso = {iso} BEGIN SELECT zeroblob(2000000000); END"))


@pytest.fixture
def iso_refused(rich_rt: Runtime) -> Iterator[Runtime]:
    _refuse_iso(rich_rt, 4242)
    yield rich_rt
    with rich_rt.transaction() as conn:  # the PostgreSQL database is this worker's, reused
        postgres = conn.get_bind().dialect.name == "postgresql"
        conn.execute(text("DROP TRIGGER IF EXISTS refuse_iso" + (" ON assets" if postgres else "")))


def test_a_result_that_cannot_be_written_fails_its_stage_once_and_the_rest_goes_on(
        iso_refused: Runtime, tmp_path: Path) -> None:
    """A camera file whose metadata the database refuses, every time. It was retried as
    transient, and the derivatives computed in the same job were lost with it: no thumbnail,
    no faces, OCR or screening. Now the metadata stage fails at once with the database's
    reason and everything else is recorded and runs. (The file that found this had an ISO of
    1e300, now refused by the metadata reader itself; the database refuses ISO 4242 here.)"""
    rt = iso_refused
    photo = images.write(tmp_path / "iso.jpg",
                         images.jpeg(seed=7, exif=_exif_double(0x8827, 4242.0)))
    asset_id = import_paths(rt, [photo]).asset_ids[0]

    rows = _stages(rt, asset_id)
    metadata = rows.pop("metadata")
    assert (metadata.state, metadata.attempts, metadata.transient) == ("failed", 1, False)
    assert "INSERT" not in (metadata.error or "") and "UPDATE" not in (metadata.error or "")
    assert ("out of range" in (metadata.error or "")
            or "too big" in (metadata.error or "")), metadata.error
    assert {stage: row.state for stage, row in rows.items()} == {
        stage: "done" for stage in ("derivatives", "phash", *ENRICHMENTS.split(","))}
    with rt.session() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        assert asset.state == "failed"
        assert (asset.failure_reason or "").startswith("metadata: ")
        assert asset.phash is not None and asset.screening is not None
        assert session.get(Derivative, (asset_id, "thumbnail")) is not None
    # ... and maintenance does not try it again by itself (`albumen reprocess --failed` does)
    assert maintenance.retry_failed(rt, dry_run=True).items == []


def test_stages_reading_a_damaged_derivative_fail_once_and_the_others_still_run(
        rich_rt: Runtime, tmp_path: Path) -> None:
    """The stored thumbnail and preview rotted (bytes on disk that no decoder reads). Every
    stage that reads them fails at once with the reason (the decoder's error was retried as if
    storage were away, and the first one stopped the asset's other stages until its retries
    ran out); places and dates, which do not read them, run in the same job."""
    rt = rich_rt
    photo = images.write(tmp_path / "a.jpg", images.jpeg(
        seed=8, exif=images.exif_bytes(gps=(38.7, -9.1))))
    asset_id = import_paths(rt, [photo]).asset_ids[0]
    storage = rt.settings.data_dir / "storage"
    with rt.session() as session:
        for kind in ("thumbnail", "preview"):
            derivative = session.get(Derivative, (asset_id, kind))
            assert derivative is not None
            (storage / derivative.storage_key).write_bytes(b"\x00rotten\x00" * 500)
    stages.DECODED.clear()  # as a worker that did not just decode this preview finds it
    again = ["phash", *ENRICHMENTS.split(",")]
    reset_stages(rt, [asset_id], again)

    assert process_asset(rt, asset_id) == "failed"  # nothing raised: nothing to retry
    rows = _stages(rt, asset_id)
    for stage in ("phash", "screening", "bursts", "faces", "ocr"):
        row = rows[stage]
        assert (stage, row.state, row.attempts, row.transient) == (stage, "failed", 1, False)
        assert "cannot identify image file" in (row.error or ""), (stage, row.error)
        assert str(rt.settings.data_dir) not in (row.error or "")  # no internal paths
    assert (rows["places"].state, rows["dates"].state) == ("done", "done")
    with rt.session() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.place_id is not None
        assert (asset.failure_reason or "").startswith("phash: ")


def _locked_sqlite_error(tmp_path: Path) -> OperationalError:
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
    except OperationalError as exc:
        return exc
    finally:
        engine.dispose()
        holder.close()
    raise AssertionError("the database was not locked")


def _unserialisable_write(tmp_path: Path) -> StatementError:
    engine = create_engine(f"sqlite:///{tmp_path / 'json.db'}")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("doc", JSON))
    table.create(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(table).values(doc={"value": object()}))
    except StatementError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the write succeeded")


def _undecodable() -> OSError:
    try:
        Image.open(io.BytesIO(b"not an image"))
    except OSError as exc:
        return exc
    raise AssertionError("decoded")


def _truncated() -> OSError:
    buf = io.BytesIO()
    images.photo(64, 64).save(buf, "PNG")
    try:
        Image.open(io.BytesIO(buf.getvalue()[:-40])).load()
    except OSError as exc:
        return exc
    raise AssertionError("decoded")


def _caught(fn: object) -> BaseException:
    try:
        fn()  # type: ignore[operator]
    except Exception as exc:
        return exc
    raise AssertionError("nothing raised")


def test_which_failures_may_pass(tmp_path: Path) -> None:
    """Real exceptions, as the database, the operating system and the libraries raise them."""
    passing = {
        "database locked": _locked_sqlite_error(tmp_path),
        "disk full": OSError(errno.ENOSPC, "No space left on device"),
        "i/o error": OSError(errno.EIO, "Input/output error"),
        "file away": _caught((tmp_path / "nowhere").read_bytes),
        "connection reset": ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
        "time-out": TimeoutError("timed out"),
        "out of memory": MemoryError(),
        "service away": ServiceUnavailable("caption endpoint unavailable after 3 attempts"),
    }
    will_happen_again = {
        "undecodable": _undecodable(),
        "truncated": _truncated(),
        "unserialisable": _unserialisable_write(tmp_path),
        "type error": _caught(lambda: json.dumps(object())),
        "key error": _caught(lambda: {}["width"]),
        "value error": _caught(lambda: int("twelve")),
        "overflow": _caught(lambda: sqlite3.connect(":memory:").execute("SELECT ?", (2**70,))),
        "decode verdict": MediaDecodeError("cannot decode image"),
        "rejected": RejectedFile("file is empty"),
    }
    assert {name for name, exc in passing.items() if not failures.may_pass(exc)} == set()
    assert {name for name, exc in will_happen_again.items() if failures.may_pass(exc)} == set()
    # a reason names the error, not the statement it broke
    reason = failures.describe(will_happen_again["unserialisable"])
    assert reason.startswith("TypeError: Object of type object is not JSON serializable")
    assert "INSERT" not in reason


def _odd_photos(folder: Path) -> list[Path]:
    """Photos whose pixels are unusual for a model: a 1 x 10000 strip and a 10000 x 1 one,
    1 x 1, CMYK, 16-bit grey, RGBA with transparent corners, palette, and greyscale."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [images.flat_png(folder / "strip-wide.png", 10000, 1),
             images.flat_png(folder / "strip-tall.png", 1, 10000),
             images.flat_png(folder / "dot.png", 1, 1),
             images.flat_png(folder / "grey16.png", 900, 700, mode="I;16")]
    base = images.photo(900, 700, seed=3)
    base.convert("CMYK").save(folder / "cmyk.jpg", "JPEG", quality=90)
    rgba = base.convert("RGBA")
    rgba.putalpha(Image.new("L", base.size, 0).resize(base.size))
    rgba.paste((0, 0, 0, 0), (0, 0, 200, 200))
    rgba.save(folder / "alpha.png")
    base.convert("P", palette=Image.Palette.ADAPTIVE).save(folder / "palette.png")
    base.convert("L").save(folder / "grey.jpg", "JPEG", quality=90)
    return [*paths, folder / "cmyk.jpg", folder / "alpha.png", folder / "palette.png",
            folder / "grey.jpg"]


def test_odd_photos_go_through_every_model_stage(rich_rt: Runtime, tmp_path: Path) -> None:
    """Strips, a single pixel, CMYK, 16-bit, alpha, palette and grey photos, imported together
    (the model stages take them in one batch): every model stage settles each one, none
    waits to be retried, and what fails says why, alone: the other stages and photos go on
    (issue 24, bad input)."""
    rt = rich_rt
    paths = _odd_photos(tmp_path / "odd")
    report = import_paths(rt, paths)
    assert len(report.asset_ids) == len(paths), report
    for path, asset_id in zip(paths, report.asset_ids, strict=True):
        rows = _stages(rt, asset_id)
        states = {stage: row.state for stage, row in rows.items()}
        assert set(states.values()) <= {"done", "failed"}, (path.name, states)
        for stage, row in rows.items():
            if row.state == "failed":
                assert row.error and not row.transient, (path.name, stage, row.error)
        if states["derivatives"] == "done":  # a photo with a preview: the models all ran
            assert all(states[s] == "done" for s in ("screening", "faces", "ocr", "bursts")), (
                path.name, {s: (r.state, r.error) for s, r in rows.items()})
        else:  # refused by the core stages, with the reason; no model stage hangs on it
            assert rows["derivatives"].error, path.name
