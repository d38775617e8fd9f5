"""The models of this process, built once per configuration (cheap: nothing loads until
used), so every worker thread shares one loaded copy of each."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from albumen.config import Settings
from albumen.ml.clip import ClipModel
from albumen.ml.faces import FaceModel
from albumen.ml.ocr import OcrModel
from albumen.ml.places import PlaceModel
from albumen.ml.runtime import Model
from albumen.ml.screening import ScreeningModel
from albumen.ml.sentences import SentenceModel

M = TypeVar("M", bound=Model[Any, Any])
_lock = threading.Lock()
_built: dict[Hashable, Model[Any, Any]] = {}


def _once(key: Hashable, build: Callable[[], M]) -> M:
    with _lock:
        if key not in _built:
            _built[key] = build()
        return _built[key]  # type: ignore[return-value]


def _providers(settings: Settings) -> list[str]:
    return [p.strip() for p in settings.ml_providers.split(",") if p.strip()]


def threads(s: Settings) -> int:
    """Cores for one ONNX model call: the configured number, else this machine's cores shared
    among the workers (two workers on two cores each get one: with ONNX Runtime's default,
    every call takes every core and two workers only take turns)."""
    if s.ml_threads:
        return s.ml_threads
    return max(1, len(os.sched_getaffinity(0)) // max(1, s.workers))


def faces(s: Settings) -> FaceModel:
    return _once(("faces", s.face_detector, s.face_detect_size, s.face_upsample,
                  s.face_detect_gray),
                 lambda: FaceModel(s.face_detector, s.face_detect_size, s.face_upsample,
                                   gray=s.face_detect_gray, idle_seconds=s.model_idle_seconds))


def places(s: Settings) -> PlaceModel:
    return _once("places", lambda: PlaceModel(idle_seconds=s.model_idle_seconds))


def ocr(s: Settings) -> OcrModel:
    return _once(("ocr", s.ml_providers, s.ocr_gate_size, threads(s)),
                 lambda: OcrModel(_providers(s), gate_size=s.ocr_gate_size, threads=threads(s),
                                  idle_seconds=s.model_idle_seconds))


def screening(s: Settings) -> ScreeningModel:
    return _once(("screening", s.ml_providers, threads(s)),
                 lambda: ScreeningModel(_providers(s), threads=threads(s),
                                        idle_seconds=s.model_idle_seconds))


def clip_path(s: Settings) -> Path:
    return s.data_dir / "models" / "clip"


def clip(s: Settings) -> ClipModel:
    return _once(("clip", str(clip_path(s)), s.ml_providers, threads(s)),
                 lambda: ClipModel(clip_path(s), _providers(s), threads=threads(s),
                                   idle_seconds=s.model_idle_seconds))


def sentences(s: Settings) -> SentenceModel:
    return _once(("sentences", threads(s)),
                 lambda: SentenceModel(threads=threads(s), idle_seconds=s.model_idle_seconds))


def all_models(s: Settings) -> list[tuple[str, Model[Any, Any]]]:
    """Every model albumen can use, with the enrichment it serves."""
    return [("screening", screening(s)), ("places", places(s)), ("faces", faces(s)),
            ("ocr", ocr(s)), ("pages", ocr(s)), ("document", sentences(s)),
            ("semantic", sentences(s)), ("clip", clip(s))]
