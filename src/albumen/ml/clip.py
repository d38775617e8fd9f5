"""CLIP (operator-supplied): image and text embeddings in one space, from an OpenCLIP
ViT-B-32 ONNX export that the operator installs with ``albumen models install PATH``.

No package ships CLIP weights, so without an installed model every CLIP feature says
"not installed" — it never guesses. The expected layout (as Immich and others export it):

    config.json            {"image_size": 224, "context_length": 77,
                            "mean": [r, g, b], "std": [r, g, b]}   (all optional)
    visual/model.onnx      float32 [N, 3, S, S] -> [N, D]
    textual/model.onnx     int64 [N, context_length] -> [N, D]
    textual/tokenizer.json a Hugging Face `tokenizers` file
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from albumen.errors import InvalidInput
from albumen.ml.runtime import Availability, Model, existing, onnx_session

REQUIRED = ("visual/model.onnx", "textual/model.onnx", "textual/tokenizer.json")
OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)
_fingerprints: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> digest
_fingerprint_lock = threading.Lock()


def check_layout(path: Path) -> None:
    missing = [name for name in REQUIRED if not (path / name).is_file()]
    if missing:
        raise InvalidInput(f"{path} is not a CLIP export: missing {', '.join(missing)}")


def install(source: Path, target: Path) -> None:
    """Copy a CLIP export into albumen's model folder (atomically: copy, then rename)."""
    check_layout(source)
    staging = target.with_name(target.name + ".installing")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


class ClipModel(Model[Any, np.ndarray]):
    """Inputs are RGB arrays (images) or strings (texts); outputs unit-length vectors."""

    name = "clip"
    summary = ("Image and text embeddings in one space (operator-supplied OpenCLIP ViT-B-32 "
               "ONNX export): zero-shot tags, text search, similar photos")
    distributions = ("onnxruntime", "tokenizers")
    thread_safe = True  # ONNX Runtime sessions may be called from several threads

    def __init__(self, path: Path, providers: Sequence[str] = ("CPUExecutionProvider",),
                 threads: int = 0, idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        self.path = path
        self.providers = list(providers)
        self.threads = threads

    def availability(self) -> Availability:
        for package in ("onnxruntime", "tokenizers"):
            if importlib.util.find_spec(package) is None:
                return Availability(False, f"the {package!r} package is not installed")
        missing = [name for name in REQUIRED if not (self.path / name).is_file()]
        if missing:
            return Availability(False, "no CLIP model is installed (albumen models install "
                                       "PATH, with an OpenCLIP ViT-B-32 ONNX export)")
        return Availability(True)

    def weight_files(self) -> list[Path]:
        return existing([self.path / name for name in (*REQUIRED, "config.json")])

    def version(self) -> str | None:
        """No package names these weights: a digest of the installed files says which they
        are (computed once per file version, as it reads them all)."""
        files = self.weight_files()
        if not files:
            return None
        combined = hashlib.blake2b(digest_size=8)
        for path in files:
            combined.update(path.relative_to(self.path).as_posix().encode())
            combined.update(_digest(path).encode())
        return f"blake2b:{combined.hexdigest()}"

    def _load(self) -> Any:
        from tokenizers import Tokenizer

        config_file = self.path / "config.json"
        config = json.loads(config_file.read_text()) if config_file.exists() else {}
        return {
            "visual": onnx_session(str(self.path / "visual/model.onnx"), self.providers,
                                   self.threads),
            "textual": onnx_session(str(self.path / "textual/model.onnx"), self.providers,
                                    self.threads),
            "tokenizer": Tokenizer.from_file(str(self.path / "textual/tokenizer.json")),
            "size": int(config.get("image_size", 224)),
            "context": int(config.get("context_length", 77)),
            "mean": np.array(config.get("mean", OPENAI_MEAN), dtype=np.float32),
            "std": np.array(config.get("std", OPENAI_STD), dtype=np.float32),
        }

    def _predict(self, state: Any, batch: Sequence[Any]) -> list[np.ndarray]:
        texts = [x for x in batch if isinstance(x, str)]
        if texts and len(texts) != len(batch):
            raise ValueError("a batch is all images or all texts")
        if texts:
            ids = np.zeros((len(texts), state["context"]), dtype=np.int64)
            for row, encoding in enumerate(state["tokenizer"].encode_batch(texts)):
                tokens = encoding.ids[: state["context"]]
                ids[row, : len(tokens)] = tokens
            out = _run(state["textual"], ids)
        else:
            pixels = np.stack([_pixels(x, state) for x in batch])
            out = _run(state["visual"], pixels)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return list((out / np.maximum(norms, 1e-12)).astype(np.float32))


def _digest(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _fingerprint_lock:
        known = _fingerprints.get(key)
    if known is None:
        with path.open("rb") as fh:
            known = hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
        with _fingerprint_lock:
            _fingerprints[key] = known
    return known


def _run(session: Any, data: np.ndarray) -> np.ndarray:
    name = session.get_inputs()[0].name
    return np.asarray(session.run(None, {name: data})[0], dtype=np.float32)


def _pixels(rgb: np.ndarray, state: Any) -> np.ndarray:
    """Shortest side to the model's size (bicubic), centre crop, normalise, CHW."""
    size = state["size"]
    im = Image.fromarray(rgb)
    scale = size / min(im.size)
    im = im.resize((max(size, round(im.width * scale)), max(size, round(im.height * scale))),
                   Image.Resampling.BICUBIC)
    left, top = (im.width - size) // 2, (im.height - size) // 2
    arr = np.asarray(im.crop((left, top, left + size, top + size)), dtype=np.float32) / 255.0
    return ((arr - state["mean"]) / state["std"]).transpose(2, 0, 1)
