"""Text in photos with RapidOCR (PP-OCR detection + recognition ONNX models inside the wheel).

Most photos hold no text, and reading costs most where there is none to find: detection on the
whole preview. So a photo is first looked at small (``gate_size`` on its long side, a sixteenth
of the pixels) and the lines found there read: only when one of them counts as text is the
photo read in full, exactly as without the look (decisions.md, "Text is looked for small
first").

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


@dataclass(frozen=True)
class Page:
    """A document page to read: read in full at once (a page without a text layer is a scan
    of text; the quick look that spares photos a reading would only read it twice)."""

    pixels: np.ndarray


class OcrModel(Model[np.ndarray | Page, list[TextLine]]):
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
        """Whether the photo made small (its long side ``gate_size``) shows text: detection
        there, then the lines it found read on the photo itself, and judged as every reading
        is (shapes, foliage and fences are found as lines, then read as "8" or "口")."""
        if not self.gate_size or max(bgr.shape[:2]) <= self.gate_size:
            return True
        # RapidOCR's steps, run one by one (rapidocr 3.x: main.RapidOCR's methods)
        detector = state._load_det_model()
        sizing = detector.limit_side_len, detector.limit_type
        detector.limit_side_len, detector.limit_type = self.gate_size, "max"
        try:
            found = detector(bgr)  # boxes in the photo's own pixels
        finally:
            detector.limit_side_len, detector.limit_type = sizing
        if found.boxes is None or len(found.boxes) == 0:
            return False
        from rapidocr.main import RapidOCRError

        try:
            crops, _ = state.cls_and_rotate(state.crop_text_regions(bgr, found.boxes))
            read = state.recognize_txt(crops)
        except RapidOCRError:  # nothing legible in them (the full reading says so the same way)
            return False
        lines = self._lines(read.txts, read.scores, found.boxes, bgr.shape[1], bgr.shape[0])
        return any(reason is None for reason in ocr_filter.judge(lines, bgr.shape[1],
                                                                  bgr.shape[0]))

    def _lines(self, texts: Any, scores: Any, boxes: Any, width: int, height: int
               ) -> list[TextLine]:
        """The readings at or above ``min_confidence``, boxes relative to the image."""
        lines = []
        for text, score, box in zip(texts or (), scores or (),
                                    boxes if boxes is not None else (), strict=False):
            if float(score) < self.min_confidence or not str(text).strip():
                continue
            corners = [[round(float(x) / width, 5), round(float(y) / height, 5)]
                       for x, y in box]
            lines.append(TextLine(str(text).strip(), round(float(score), 4), corners))
        return lines

    def _predict(self, state: Any, batch: Sequence[np.ndarray | Page]) -> list[list[TextLine]]:
        """Each image's lines (RGB pixels in, as everywhere in albumen), judged."""
        out = []
        for item in batch:
            page = isinstance(item, Page)
            image = item.pixels if isinstance(item, Page) else item
            height, width = image.shape[:2]
            # RapidOCR takes an array as OpenCV's BGR (it converts only files and PIL images).
            rgb = image.ndim == 3 and image.shape[2] == 3
            bgr = np.ascontiguousarray(image[..., ::-1]) if rgb else image
            if not page and not self._shows_text(state, bgr):
                self.gated += 1
                out.append([])
                continue
            result = state(bgr)
            lines = self._lines(result.txts, result.scores, result.boxes, width, height)
            for line, reason in zip(lines, ocr_filter.judge(lines, width, height), strict=True):
                line.dropped = reason
            out.append(lines)
        return out
