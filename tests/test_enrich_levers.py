"""What makes the AI stages fast (issue 24), each checked against the slower way it replaced,
with the real models: the quick look for text before a full reading, each worker's share of
the cores for ONNX Runtime, one decode of a photo's preview for all its model stages, and
(an option) HOG face detection on the grey image. Speed itself is measured by
bench/enrich.py, which also measures what the grey detection costs in small faces."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from albumen.library import stages
from albumen.library.importer import import_paths
from albumen.ml import models
from albumen.ml.faces import FaceModel
from albumen.ml.ocr import OcrModel
from albumen.ml.screening import ScreeningModel
from albumen.runtime import Runtime, set_runtime
from tests import images, text_scenes
from tests.conftest import make_settings


def _preview(image: Image.Image) -> np.ndarray:
    """As the OCR stage sees a photo: a JPEG's pixels."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=88)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


@pytest.fixture(scope="module")
def readers() -> tuple[OcrModel, OcrModel]:
    """The reader as configured (the quick look first) and the reader that reads everything."""
    return OcrModel(gate_size=480), OcrModel(gate_size=0)


def test_photos_without_text_are_not_read_in_full(readers: tuple[OcrModel, OcrModel]) -> None:
    gated, _ = readers
    blank = [_preview(s.image) for s in text_scenes.without_text()[-10:]]
    before = gated.gated
    found = gated.predict(blank)
    # each is settled by the small look: nothing found there, or the lines found (leaves,
    # bricks, a fence read as "8" or "口") do not count as text
    assert gated.gated - before == len(blank)
    assert found == [[] for _ in blank]  # (there is no text in them to lose)


def test_photos_with_text_read_exactly_as_before(readers: tuple[OcrModel, OcrModel]) -> None:
    gated, full = readers
    every = text_scenes.with_text()
    # a sign and a hard one (faded, 22 px)
    scenes = [every[4], every[24]]
    photos = [_preview(s.image) for s in scenes]
    before = gated.gated
    quick = gated.predict(photos)
    assert gated.gated == before  # every one of them showed text in the small look
    slow = full.predict(photos)
    assert [[(x.text, x.box, x.dropped) for x in lines] for lines in quick] == [
        [(x.text, x.box, x.dropped) for x in lines] for lines in slow]
    assert all(any(line.dropped is None for line in lines) for lines in quick)


def test_grey_face_detection_finds_the_faces_colour_found(group_photo: Any) -> None:
    image = np.asarray(group_photo)
    grey = FaceModel(gray=True).predict_one(image)
    colour = FaceModel(gray=False).predict_one(image)
    assert len(grey) == len(colour) == 6
    # the same six faces: each grey box overlaps a colour one, and the embeddings (computed on
    # the colour photo either way) put the same people together
    for face in grey:
        nearest = min(colour, key=lambda other: np.linalg.norm(other.embedding - face.embedding))
        assert np.linalg.norm(nearest.embedding - face.embedding) < 0.2
        gx, gy, gw, gh = face.box
        cx, cy, _, _ = nearest.box
        assert abs(gx - cx) < gw / 4 and abs(gy - cy) < gh / 4


def test_each_worker_runs_onnx_on_its_share_of_the_cores(tmp_path: Path) -> None:
    cores = len(os.sched_getaffinity(0))
    settings = make_settings(tmp_path, "sqlite://", workers=2)
    assert models.threads(settings) == max(1, cores // 2)
    assert models.threads(make_settings(tmp_path, "sqlite://", workers=2, ml_threads=3)) == 3
    screening = ScreeningModel(threads=1)
    screening.predict_one(np.zeros((64, 64, 3), dtype=np.uint8))
    session = screening._state.onnx_session  # NudeNet's own session took every core
    assert session.get_session_options().intra_op_num_threads == 1
    reader = OcrModel(threads=1)
    reader.predict_one(np.zeros((64, 64, 3), dtype=np.uint8))
    assert reader._state.cfg.EngineConfig.onnxruntime.intra_op_num_threads == 1


def test_a_photo_is_decoded_once_for_all_its_model_stages(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'a.db'}",
                             enrichments="screening,bursts,faces,ocr", ml_batch_size=1)
    rt = Runtime(settings)
    rt.migrate()
    set_runtime(rt)
    try:
        stages.DECODED.clear()
        misses, hits = stages.DECODED.misses, stages.DECODED.hits
        photo = images.write(tmp_path / "p.jpg", images.jpeg(900, 700, seed=5))
        asset_id = import_paths(rt, [photo]).asset_ids[0]
        with rt.session() as session:
            from albumen.db.models import Asset

            asset = session.get(Asset, asset_id)
            assert asset is not None and asset.state == "ready" and asset.screening is not None
        assert stages.DECODED.misses - misses == 1  # screening decoded it ...
        assert stages.DECODED.hits - hits == 3  # ... bursts, faces and OCR read those pixels
    finally:
        set_runtime(None)
