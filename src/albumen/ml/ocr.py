"""Text in photos with RapidOCR (PP-OCR detection + recognition ONNX models inside the wheel).

Most photos hold no text, and reading costs most where there is none to find: detection on the
whole preview. So a photo is first looked at small (``gate_size`` on its long side, a tenth of
the pixels): only when text shows there is it read in full, exactly as without the look
(decisions.md, "Text is looked for small first").

Every line the reader returns is kept with, where it does not count as text, why not
(``ml/ocr_filter.py``): the raw reading stays, so a better filter can be run over it again."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from albumen.ml import ocr_filter
from albumen.ml.runtime import Availability, Model, installed_version, package_dir


@dataclass
class TextLine:
    text: str
    confidence: float
    box: list[list[float]]  # four corners, relative to the image (0..1)
    dropped: str | None = None  # why this reading is not text (ocr_filter); None: it is


class OcrModel(Model[np.ndarray, list[TextLine]]):
    name = "ocr"
    summary = "Reads text in photos (signs, banners, documents) with PP-OCR (RapidOCR)"
    distributions = ("rapidocr", "onnxruntime")

    def __init__(self, providers: Sequence[str] = ("CPUExecutionProvider",),
                 min_confidence: float = 0.5, gate_size: int = 480, threads: int = 0,
                 idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        self.providers = tuple(providers)
        self.min_confidence = min_confidence
        self.gate_size = gate_size  # 0: every photo read in full
        self.threads = threads
        self.gated = 0  # photos the small look found without text (not read in full)

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

        cuda = "CUDAExecutionProvider" in self.providers
        # Errors only: it warns "the text detection result is empty" for every photo without
        # text, on a handler of its own.
        params: dict[str, Any] = {"EngineConfig.onnxruntime.use_cuda": cuda,
                                  "Global.log_level": "error"}
        if self.threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = self.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        return RapidOCR(params=params)

    def _shows_text(self, state: Any, bgr: np.ndarray) -> bool:
        """Whether text detection finds anything on the photo made small (its long side
        ``gate_size``); the detector's own sizing is put back for the full reading."""
        if not self.gate_size or max(bgr.shape[:2]) <= self.gate_size:
            return True
        detector = state._load_det_model()
        sizing = detector.limit_side_len, detector.limit_type
        detector.limit_side_len, detector.limit_type = self.gate_size, "max"
        try:
            found = detector(bgr)
        finally:
            detector.limit_side_len, detector.limit_type = sizing
        return found.boxes is not None and len(found.boxes) > 0

    def _predict(self, state: Any, batch: Sequence[np.ndarray]) -> list[list[TextLine]]:
        """Each image's lines (RGB pixels in, as everywhere in albumen), judged."""
        out = []
        for image in batch:
            height, width = image.shape[:2]
            # RapidOCR takes an array as OpenCV's BGR (it converts only files and PIL images).
            rgb = image.ndim == 3 and image.shape[2] == 3
            bgr = np.ascontiguousarray(image[..., ::-1]) if rgb else image
            if not self._shows_text(state, bgr):
                self.gated += 1
                out.append([])
                continue
            result = state(bgr)
            lines = []
            for text, score, box in zip(result.txts or (), result.scores or (),
                                        result.boxes if result.boxes is not None else (),
                                        strict=False):
                if float(score) < self.min_confidence or not str(text).strip():
                    continue
                corners = [[round(float(x) / width, 5), round(float(y) / height, 5)]
                           for x, y in box]
                lines.append(TextLine(str(text).strip(), round(float(score), 4), corners))
            for line, reason in zip(lines, ocr_filter.judge(lines, width, height), strict=True):
                line.dropped = reason
            out.append(lines)
        return out
