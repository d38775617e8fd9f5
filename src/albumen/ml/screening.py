"""Nudity screening with NudeNet's detector (a YOLO ONNX model inside the wheel)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from albumen.ml.runtime import (
    Availability,
    Model,
    existing,
    installed_version,
    onnx_session,
    package_dir,
)

# The detector's classes that make a photo need a human look before guests see it.
EXPLICIT = frozenset({"FEMALE_BREAST_EXPOSED", "FEMALE_GENITALIA_EXPOSED",
                      "MALE_GENITALIA_EXPOSED", "BUTTOCKS_EXPOSED", "ANUS_EXPOSED"})
LABEL_MIN_SCORE = 0.4


@dataclass
class Nudity:
    score: float  # the highest score among explicit classes (0 when none was found)
    labels: list[dict[str, float | str]] = field(default_factory=list)


class ScreeningModel(Model[np.ndarray, Nudity]):
    name = "screening"
    summary = ("Scores nudity (NudeNet's detector), so guest uploads that need a human look "
               "wait for a moderator")
    distributions = ("nudenet", "onnxruntime")

    def __init__(self, providers: Sequence[str] = ("CPUExecutionProvider",), threads: int = 0,
                 idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        self.providers = list(providers)
        self.threads = threads

    def availability(self) -> Availability:
        for package in ("nudenet", "onnxruntime"):
            if importlib.util.find_spec(package) is None:
                return Availability(False, f"the {package!r} package is not installed")
        return Availability(True)

    def _weights(self) -> Path | None:
        folder = package_dir("nudenet")
        return folder / "320n.onnx" if folder else None  # NudeDetector's default model

    def weight_files(self) -> list[Path]:
        path = self._weights()
        return existing([path]) if path else []

    def version(self) -> str | None:
        return installed_version("nudenet")

    def _load(self) -> Any:
        from nudenet import NudeDetector

        path = self._weights()
        detector = NudeDetector(model_path=str(path) if path else None)
        if path is not None:
            # Its own session ignores the providers it is given and takes every core: ours
            # runs on the configured providers with this worker's share of the cores.
            detector.onnx_session = onnx_session(str(path), self.providers, self.threads)
        return detector

    def _predict(self, state: Any, batch: Sequence[np.ndarray]) -> list[Nudity]:
        out = []
        for rgb in batch:
            found = state.detect(np.ascontiguousarray(rgb[:, :, ::-1]))  # it reads BGR
            labels = [{"label": d["class"], "score": round(float(d["score"]), 4)}
                      for d in found if float(d["score"]) >= LABEL_MIN_SCORE
                      and not d["class"].startswith("FACE_")]
            score = max((float(d["score"]) for d in found if d["class"] in EXPLICIT),
                        default=0.0)
            out.append(Nudity(round(score, 4), labels))
        return out
