"""Faces with dlib: detection (HOG by default, the CNN/MMOD detector as an option), 5-point
alignment and the 128-d ResNet embedding (same person: distance < 0.6).

Detection runs on the preview scaled to ``detect_size`` on its long side (HOG cost grows with
pixels; a 12 MP original upsampled, as the usual face_recognition loop does, costs 10-50x
more), and all faces of an image are embedded in one batched call on the full preview.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from albumen.ml.runtime import Availability, Model, existing, installed_version

SAME_PERSON = 0.6  # dlib's documented threshold for its embedding
# dlib's detectors see faces down to about 80 px without upsampling. When a photo's smallest
# face is near that limit, smaller ones may have been missed: only then is the (4x dearer)
# upsampled pass run, and what it adds is merged in.
DETECTOR_MIN_FACE = 80
NEAR_LIMIT = 1.5 * DETECTOR_MIN_FACE


@dataclass
class DetectedFace:
    box: tuple[float, float, float, float]  # left, top, width, height in 0..1 of the image
    confidence: float
    size_px: int  # the face box's short side in the analysed image
    embedding: np.ndarray  # float32[128]
    sharpness: float
    crop: Image.Image  # square, with margin, for people pages
    time: float | None = None  # seconds into a video, of the frame it was seen in


class FaceModel(Model[np.ndarray, list[DetectedFace]]):
    name = "faces"
    summary = ("Finds faces (dlib HOG or CNN detector) and computes a 128-d embedding of each, "
               "to group them into people and find people by a selfie")
    distributions = ("dlib-bin", "dlib", "face_recognition_models")

    def __init__(self, detector: str = "hog", detect_size: int = 1600, upsample: int = 0,
                 gray: bool = False, crop_size: int = 160, idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        if detector not in ("hog", "cnn"):
            raise ValueError("face detector must be 'hog' or 'cnn'")
        self.detector, self.detect_size, self.upsample = detector, detect_size, upsample
        # HOG on the grey image: one gradient per pixel instead of the strongest of three, a
        # quarter less time, but a few of the smallest faces missed and some boxes sized
        # otherwise (bench/enrich.py): an option, not the default. The CNN wants colour.
        self.gray = gray and detector == "hog"
        self.crop_size = crop_size

    def availability(self) -> Availability:
        for package in ("dlib", "face_recognition_models"):
            if importlib.util.find_spec(package) is None:
                return Availability(False, f"the {package!r} package is not installed "
                                           "(pip install dlib-bin face_recognition_models)")
        return Availability(True)

    def _weights(self) -> list[Path]:
        """The shape predictor, the encoder and (CNN only) the detector: the HOG detector is
        built into dlib."""
        if importlib.util.find_spec("face_recognition_models") is None:
            return []
        import face_recognition_models as weights

        paths = [weights.pose_predictor_five_point_model_location(),
                 weights.face_recognition_model_location()]
        if self.detector == "cnn":
            paths.append(weights.cnn_face_detector_model_location())
        return [Path(p) for p in paths]

    def weight_files(self) -> list[Path]:
        return existing(self._weights())

    def version(self) -> str | None:
        return installed_version("face_recognition_models")

    def _load(self) -> Any:
        import dlib

        shape, encoder, *cnn = (str(path) for path in self._weights())
        detector = (dlib.cnn_face_detection_model_v1(cnn[0]) if self.detector == "cnn"
                    else dlib.get_frontal_face_detector())
        return {
            "dlib": dlib,
            "detector": detector,
            "shape": dlib.shape_predictor(shape),
            "encoder": dlib.face_recognition_model_v1(encoder),
        }

    def _predict(self, state: Any, batch: Sequence[np.ndarray]) -> list[list[DetectedFace]]:
        return [self._faces(state, image) for image in batch]

    def _detect(self, state: Any, image: np.ndarray) -> list[tuple[Any, float]]:
        dlib = state["dlib"]
        height, width = image.shape[:2]
        scale = min(1.0, self.detect_size / max(height, width))
        small = Image.fromarray(image)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = small.resize(size, Image.Resampling.BILINEAR)
        if self.gray:
            small = small.convert("L")
        small = np.asarray(small)
        found = self._run_detector(state, small, self.upsample)
        smallest = min((min(r.width(), r.height()) for r, _ in found), default=None)
        if self.upsample == 0 and smallest is not None and smallest < NEAR_LIMIT:
            for rect, score in self._run_detector(state, small, 1):
                if all(_iou(rect, other) < 0.3 for other, _ in found):
                    found.append((rect, score))
        inv = 1.0 / scale
        return [(dlib.rectangle(round(r.left() * inv), round(r.top() * inv),
                                round(r.right() * inv), round(r.bottom() * inv)), score)
                for r, score in found]

    def _run_detector(self, state: Any, image: np.ndarray, upsample: int
                      ) -> list[tuple[Any, float]]:
        if self.detector == "cnn":
            return [(d.rect, float(d.confidence)) for d in state["detector"](image, upsample)]
        rects, scores, _ = state["detector"].run(image, upsample, 0.0)
        return list(zip(rects, (float(s) for s in scores), strict=True))

    def _faces(self, state: Any, image: np.ndarray) -> list[DetectedFace]:
        dlib = state["dlib"]
        height, width = image.shape[:2]
        found = [(r, s) for r, s in self._detect(state, image)
                 if r.width() > 8 and r.height() > 8]
        if not found:
            return []
        shapes = dlib.full_object_detections()
        for rect, _ in found:
            shapes.append(state["shape"](image, rect))
        vectors = state["encoder"].compute_face_descriptor(image, shapes)
        faces = []
        for (rect, score), vector in zip(found, vectors, strict=True):
            left, top = max(0, rect.left()), max(0, rect.top())
            right, bottom = min(width, rect.right()), min(height, rect.bottom())
            crop = square_crop(image, left, top, right, bottom, self.crop_size)
            faces.append(DetectedFace(
                box=(left / width, top / height, (right - left) / width, (bottom - top) / height),
                confidence=score, size_px=int(min(right - left, bottom - top)),
                embedding=np.asarray(vector, dtype=np.float32), sharpness=_sharpness(crop),
                crop=crop,
            ))
        return faces


def box_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
            ) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _iou(a: Any, b: Any) -> float:
    ix = max(0, min(a.right(), b.right()) - max(a.left(), b.left()))
    iy = max(0, min(a.bottom(), b.bottom()) - max(a.top(), b.top()))
    inter = ix * iy
    union = a.width() * a.height() + b.width() * b.height() - inter
    return inter / union if union else 0.0


def square_crop(image: np.ndarray, left: int, top: int, right: int, bottom: int,
                 size: int, margin: float = 0.4) -> Image.Image:
    height, width = image.shape[:2]
    side = max(right - left, bottom - top) * (1 + margin)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    box = (max(0, round(cx - side / 2)), max(0, round(cy - side / 2)),
           min(width, round(cx + side / 2)), min(height, round(cy + side / 2)))
    return Image.fromarray(image).crop(box).resize((size, size), Image.Resampling.BICUBIC)


def _sharpness(crop: Image.Image) -> float:
    """Variance of the Laplacian of the grey face crop at 64 px: higher is sharper."""
    grey = np.asarray(crop.convert("L").resize((64, 64)), dtype=np.float32)
    lap = (grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
           - 4 * grey[1:-1, 1:-1])
    return float(lap.var())


def distances(embeddings: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Euclidean distances from one embedding to many (float32[n,128])."""
    if len(embeddings) == 0:
        return np.zeros(0, dtype=np.float32)
    return np.linalg.norm(embeddings - query[None, :], axis=1)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
