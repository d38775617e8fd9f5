"""CLIP features: image embeddings as a stage, zero-shot tags from a vocabulary, text-to-image
and image-to-image similarity over what the caller may see."""

from __future__ import annotations

import threading

import numpy as np
from sqlalchemy import delete
from sqlalchemy.orm import Session

from albumen.db.models import AssetEmbedding
from albumen.errors import NotFound
from albumen.ml import models
from albumen.ml.clip import ClipModel
from albumen.ml.runtime import ModelUnavailable
from albumen.runtime import Runtime
from albumen.vectors import pgvector

MODEL_KEY = "clip"
VOCABULARY = (
    "beach", "sunset", "sunrise", "mountain", "forest", "lake", "river", "sea", "snow", "city",
    "street", "building", "church", "bridge", "night sky", "fireworks", "garden", "flowers",
    "tree", "desert", "park", "wedding", "birthday party", "concert", "stage", "crowd",
    "dancing", "group photo", "selfie", "portrait", "baby", "child", "family", "friends",
    "dog", "cat", "horse", "bird", "food", "cake", "drinks", "restaurant", "kitchen",
    "car", "bicycle", "boat", "airplane", "train", "sports", "football", "swimming pool",
    "hiking", "camping", "museum", "painting", "screenshot", "document", "receipt", "text",
    "christmas tree", "halloween", "graduation", "office", "computer", "book", "indoor",
    "outdoor", "black and white photo", "red", "green", "blue",
)
# How an operator turns CLIP on (README, "AI models"): the search page, the viewer and the
# API's errors say it where a feature needs it.
ENABLE = ("install an OpenCLIP ViT-B-32 ONNX export with `albumen models install PATH`, add "
          "clip to ALBUMEN_ENRICHMENTS and run `albumen reprocess --stage clip`")
_cache_lock = threading.Lock()
_vocab_cache: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}


def model_for(rt: Runtime) -> ClipModel:
    return models.clip(rt.settings)


def require(rt: Runtime) -> ClipModel:
    model = model_for(rt)
    available = model.availability()
    if not available.ok:
        raise ModelUnavailable(f"CLIP is not available: {available.reason}. To enable it: "
                               f"{ENABLE}.", details={"model": MODEL_KEY, "enable": ENABLE})
    return model


def store_embedding(session: Session, asset_id: int, vector: np.ndarray) -> None:
    session.execute(delete(AssetEmbedding).where(AssetEmbedding.asset_id == asset_id,
                                                 AssetEmbedding.model == MODEL_KEY))
    session.add(AssetEmbedding(asset_id=asset_id, model=MODEL_KEY, dim=len(vector),
                               vector=np.asarray(vector, dtype="<f4").tobytes()))
    pgvector.store(session, asset_id, MODEL_KEY, vector)


def zero_shot(rt: Runtime, vector: np.ndarray, threshold: float, top: int = 5
              ) -> list[tuple[str, float]]:
    """Tags from the vocabulary with their probability (softmax over CLIP's scaled cosine)."""
    model = require(rt)
    key = (id(model), VOCABULARY)
    with _cache_lock:
        texts = _vocab_cache.get(key)
    if texts is None:
        texts = np.stack(model.predict([f"a photo of {w}" for w in VOCABULARY]))
        with _cache_lock:
            _vocab_cache[key] = texts
    logits = 100.0 * (texts @ vector)
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    order = np.argsort(-probs)[:top]
    return [(VOCABULARY[i], round(float(probs[i]), 4)) for i in order if probs[i] >= threshold]


def has_embedding(session: Session, asset_id: int) -> bool:
    """Whether "similar photos" can be asked of this photo (its CLIP embedding is stored)."""
    return session.get(AssetEmbedding, (asset_id, MODEL_KEY)) is not None


def image_vector(session: Session, asset_id: int) -> np.ndarray:
    row = session.get(AssetEmbedding, (asset_id, MODEL_KEY))
    if row is None:
        raise NotFound(f"asset {asset_id} has no CLIP embedding (is the clip stage enabled "
                       "and done?)")
    return np.frombuffer(row.vector, dtype="<f4")
