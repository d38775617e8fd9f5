"""The recommender's model: implicit-feedback matrix factorisation (ALS, the ``implicit``
package) of the actors x photos engagement matrix, with each photo's popularity for those the
model does not know. Trained by a queued job (daily, or ``albumen recommend train``), kept in
the storage (``learned/recommend.npz``) so that every API process reads the same one."""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from albumen.db.base import utcnow
from albumen.discovery.signals import Interactions, gather
from albumen.runtime import Runtime
from albumen.storage.base import LEARNED

log = logging.getLogger(__name__)
KEY = f"{LEARNED}recommend.npz"
FACTORS = 48
ITERATIONS = 15
REGULARIZATION = 0.05
ALPHA = 8.0  # confidence = 1 + alpha * weight


@dataclass
class Model:
    actors: np.ndarray  # actor keys ("u1", "g7"), sorted
    assets: np.ndarray  # int64 asset ids, sorted
    user_factors: np.ndarray  # actors x FACTORS, float32
    item_factors: np.ndarray  # assets x FACTORS, float32
    popularity: np.ndarray  # per asset: how many actors engaged, log-scaled
    seen: sparse.csr_matrix  # the training matrix (actors x assets)
    trained_at: datetime

    def actor_row(self, key: str) -> int | None:
        i = int(np.searchsorted(self.actors, key))
        return i if i < len(self.actors) and self.actors[i] == key else None

    def columns(self, asset_ids: np.ndarray) -> np.ndarray:
        """Column of each asset id; -1 for ones the model does not know."""
        if not len(self.assets):
            return np.full(len(asset_ids), -1, dtype=np.int64)
        cols = np.searchsorted(self.assets, asset_ids)
        cols = np.minimum(cols, len(self.assets) - 1)
        return np.where(self.assets[cols] == asset_ids, cols, -1)

    def scores(self, row: int) -> np.ndarray:
        """The actor's predicted preference for every asset; -inf for those already engaged
        with (never recommended again)."""
        scores = self.item_factors @ self.user_factors[row]
        scores[self.seen.indices[self.seen.indptr[row]:self.seen.indptr[row + 1]]] = -np.inf
        return scores

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf, actors=self.actors, assets=self.assets, user_factors=self.user_factors,
            item_factors=self.item_factors, popularity=self.popularity,
            seen_data=self.seen.data, seen_indices=self.seen.indices,
            seen_indptr=self.seen.indptr, seen_shape=np.array(self.seen.shape),
            trained_at=np.array(self.trained_at.isoformat()))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            seen = sparse.csr_matrix((z["seen_data"], z["seen_indices"], z["seen_indptr"]),
                                     shape=tuple(z["seen_shape"]))
            return cls(z["actors"], z["assets"], z["user_factors"], z["item_factors"],
                       z["popularity"], seen, datetime.fromisoformat(str(z["trained_at"])))


def fit(data: Interactions, factors: int = FACTORS, iterations: int = ITERATIONS,
        regularization: float = REGULARIZATION, alpha: float = ALPHA,
        seed: int = 0) -> Model:
    """Factorise the matrix (a few seconds for a million interactions on one core)."""
    from implicit.cpu.als import AlternatingLeastSquares

    matrix = data.matrix.tocsr().astype(np.float32)
    n_actors, n_assets = matrix.shape
    popularity = np.log1p(np.asarray((matrix > 0).sum(axis=0)).ravel()).astype(np.float32)
    if matrix.nnz == 0:
        zeros = np.zeros((0, factors), dtype=np.float32)
        return Model(np.array(data.actors, dtype=str), data.assets,
                     np.zeros((n_actors, factors), dtype=np.float32),
                     np.zeros((n_assets, factors), dtype=np.float32) if n_assets else zeros,
                     popularity, matrix, utcnow())
    with threadpool_limits(1, "blas"):  # implicit's own threads do the work
        model = AlternatingLeastSquares(factors=factors, iterations=iterations,
                                        regularization=regularization, alpha=alpha,
                                        random_state=seed)
        model.fit(matrix, show_progress=False)
    return Model(np.array(data.actors, dtype=str), data.assets,
                 np.asarray(model.user_factors, dtype=np.float32),
                 np.asarray(model.item_factors, dtype=np.float32), popularity, matrix,
                 utcnow())


def train(rt: Runtime) -> Model:
    """Gather the engagement log, fit, store; the job the daily schedule queues."""
    from albumen.insights.activity import tracker

    tracker(rt).flush()  # this process's buffered views count too
    with rt.session() as session:
        data = gather(session)
    model = fit(data)
    rt.storage.put_bytes(KEY, model.to_bytes())
    _CACHE.clear()
    log.info("recommendations: trained on %d actors, %d photos, %d interactions",
             len(model.actors), len(model.assets), model.seen.nnz)
    return model


class _Cache:
    """The stored model, read again when a newer one is stored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Model | None = None
        self._stamp: datetime | None = None

    def get(self, rt: Runtime) -> Model | None:
        try:
            stamp = rt.storage.modified(KEY)
        except (FileNotFoundError, OSError):
            return None
        with self._lock:
            if self._model is None or stamp != self._stamp:
                with rt.storage.open(KEY) as fh:
                    self._model = Model.from_bytes(fh.read())
                self._stamp = stamp
            return self._model

    def clear(self) -> None:
        with self._lock:
            self._model, self._stamp = None, None


_CACHE = _Cache()


def current(rt: Runtime) -> Model | None:
    """The stored model, or None before the first training."""
    return _CACHE.get(rt)
