"""The models of this process, built once from the settings (cheap: nothing loads until used)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from albumen.config import Settings
from albumen.ml.clip import ClipModel
from albumen.ml.faces import FaceModel
from albumen.ml.ocr import OcrModel
from albumen.ml.places import PlaceModel
from albumen.ml.runtime import Model
from albumen.ml.screening import ScreeningModel

_lock = threading.Lock()
_faces: dict[tuple[object, ...], FaceModel] = {}
_places: PlaceModel | None = None
_ocr: OcrModel | None = None
_screening: ScreeningModel | None = None
_clip: dict[str, ClipModel] = {}


def faces(settings: Settings) -> FaceModel:
    key = (settings.face_detector, settings.face_detect_size, settings.face_upsample)
    with _lock:
        if key not in _faces:
            _faces[key] = FaceModel(settings.face_detector, settings.face_detect_size,
                                    settings.face_upsample,
                                    idle_seconds=settings.model_idle_seconds)
        return _faces[key]


def places(settings: Settings) -> PlaceModel:
    global _places
    with _lock:
        if _places is None:
            _places = PlaceModel(idle_seconds=settings.model_idle_seconds)
        return _places


def ocr(settings: Settings) -> OcrModel:
    global _ocr
    with _lock:
        if _ocr is None:
            _ocr = OcrModel(_providers(settings), idle_seconds=settings.model_idle_seconds)
        return _ocr


def screening(settings: Settings) -> ScreeningModel:
    global _screening
    with _lock:
        if _screening is None:
            _screening = ScreeningModel(_providers(settings),
                                        idle_seconds=settings.model_idle_seconds)
        return _screening


def clip_path(settings: Settings) -> Path:
    return settings.data_dir / "models" / "clip"


def clip(settings: Settings) -> ClipModel:
    path = clip_path(settings)
    with _lock:
        if str(path) not in _clip:
            _clip[str(path)] = ClipModel(path, _providers(settings),
                                         idle_seconds=settings.model_idle_seconds)
        return _clip[str(path)]


def _providers(settings: Settings) -> list[str]:
    return [p.strip() for p in settings.ml_providers.split(",") if p.strip()]


def all_models(settings: Settings) -> list[tuple[str, Model[Any, Any]]]:
    """Every model albumen can use, with the enrichment it serves."""
    return [("screening", screening(settings)), ("places", places(settings)),
            ("faces", faces(settings)), ("ocr", ocr(settings)), ("clip", clip(settings))]
