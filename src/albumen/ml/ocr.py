"""Text in photos with RapidOCR (PP-OCR detection + recognition ONNX models inside the wheel)."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from albumen.ml.runtime import Availability, Model, installed_version, package_dir


@dataclass
class TextLine:
    text: str
    confidence: float
    box: list[list[float]]  # four corners, relative to the image (0..1)


class OcrModel(Model[np.ndarray, list[TextLine]]):
    name = "ocr"
    summary = "Reads text in photos (signs, banners, documents) with PP-OCR (RapidOCR)"
    distributions = ("rapidocr", "onnxruntime")

    def __init__(self, providers: Sequence[str] = ("CPUExecutionProvider",),
                 min_confidence: float = 0.5, idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        self.providers = tuple(providers)
        self.min_confidence = min_confidence

    def availability(self) -> Availability:
        for package in ("rapidocr", "onnxruntime"):
            if importlib.util.find_spec(package) is None:
                return Availability(False, f"the {package!r} package is not installed")
        return Availability(True)

    def weight_files(self) -> list[Path]:
        """The ONNX models in RapidOCR's own models/ folder, where its default configuration
        (detection, direction and recognition models) loads them from."""
        folder = package_dir("rapidocr")
        return sorted((folder / "models").glob("*.onnx")) if folder else []

    def version(self) -> str | None:
        return installed_version("rapidocr")

    def _load(self) -> Any:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        cuda = "CUDAExecutionProvider" in self.providers
        return RapidOCR(params={"EngineConfig.onnxruntime.use_cuda": cuda})

    def _predict(self, state: Any, batch: Sequence[np.ndarray]) -> list[list[TextLine]]:
        out = []
        for image in batch:
            height, width = image.shape[:2]
            result = state(image)
            lines = []
            for text, score, box in zip(result.txts or (), result.scores or (),
                                        result.boxes if result.boxes is not None else (),
                                        strict=False):
                if float(score) < self.min_confidence or not str(text).strip():
                    continue
                corners = [[round(float(x) / width, 5), round(float(y) / height, 5)]
                           for x, y in box]
                lines.append(TextLine(str(text).strip(), round(float(score), 4), corners))
            out.append(lines)
        return out
