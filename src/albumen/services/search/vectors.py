"""The embedded vector index: CLIP embeddings ranked against a query, together with filters.

Each process keeps every embedding's sign bits (64 bytes for 512 dimensions: 64 MB per million
photos) in memory and scans them with Hamming distance; the best candidates are then re-scored
exactly with their float vectors read from the database. The same code serves SQLite and
PostgreSQL (pgvector, when the scale-out work adds it, can take over there).

Filters and ranking work together, never "top k, then filter":
- a selective filter (at most ``PREFILTER`` matches) is run first and only its assets are
  ranked;
- a broad one is checked on the ranked candidates in order, chunk by chunk, until the page is
  full; at worst every embedding is visited, so a page is never short while matches remain.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, AssetEmbedding

log = logging.getLogger(__name__)
PREFILTER = 50_000  # a filter with at most this many matches is applied first
# Exact re-scoring of RERANK x wanted candidates, at least MIN_POOL: sign bits order a
# tight cluster of look-alikes only roughly (bench/search.py prints the recall).
RERANK = 20
MIN_POOL = 3000
CHUNK = 4096  # ranked candidates checked against a broad filter per query
WALK_CHUNKS = 8  # a filter that needs more chunks than this is applied first instead
REFRESH_SECONDS = 5.0  # how often a process looks for new embeddings
SKEW = timedelta(minutes=5)  # clock skew tolerated between machines writing embeddings
BATCH = 50_000  # rows per fetch while loading


def code_of(vector: np.ndarray) -> bytes:
    """Sign bits of a vector, packed little-endian and padded to whole 64-bit words."""
    bits = np.packbits(np.asarray(vector) > 0, bitorder="little").tobytes()
    return bits + bytes(-len(bits) % 8)


@dataclass
class Ranked:
    asset_id: int
    score: float


class VectorIndex:
    """Sign-bit codes of one model's embeddings, kept current from the database."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)  # sorted
        self._codes = np.zeros((0, 0), dtype=np.uint64)  # words x n, one row per 64 bits
        self._seen = None  # newest created_at loaded
        self._checked = 0.0

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self, session: Session, force: bool = False) -> None:
        """Load embeddings added or replaced since the last look (all of them the first time)."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS and len(self._ids):
            return
        with self._lock:
            newest = session.scalar(select(func.max(AssetEmbedding.created_at))
                                    .where(AssetEmbedding.model == self.model))
            self._checked = now
            if newest is None or (self._seen is not None and newest <= self._seen):
                return
            query = select(AssetEmbedding.asset_id, AssetEmbedding.code).where(
                AssetEmbedding.model == self.model)
            if self._seen is not None:
                query = query.where(AssetEmbedding.created_at >= self._seen - SKEW)
            parts_ids, parts_codes = [], []
            for batch in session.execute(query.execution_options(yield_per=BATCH)).partitions():
                missing = [r[0] for r in batch if r[1] is None]  # stored before codes existed
                computed = dict(self._codes_of(session, missing)) if missing else {}
                parts_ids.append(np.fromiter((r[0] for r in batch), dtype=np.int64,
                                             count=len(batch)))
                parts_codes.append(np.frombuffer(b"".join(r[1] or computed[r[0]] for r in batch),
                                                 dtype=np.uint64).reshape(len(batch), -1))
            self._seen = newest
            if parts_ids:
                self._merge(np.concatenate(parts_ids), np.concatenate(parts_codes).T)

    def _codes_of(self, session: Session, asset_ids: list[int]) -> list[tuple[int, bytes]]:
        out = []
        for start in range(0, len(asset_ids), 1000):
            chunk = asset_ids[start:start + 1000]
            out += [(asset_id, code_of(np.frombuffer(vector, dtype="<f4")))
                    for asset_id, vector in session.execute(
                        select(AssetEmbedding.asset_id, AssetEmbedding.vector).where(
                            AssetEmbedding.model == self.model,
                            AssetEmbedding.asset_id.in_(chunk)))]
        return out

    def _merge(self, ids: np.ndarray, codes: np.ndarray) -> None:
        """Add (or replace) ids with their codes, given one 64-bit word per row (words x n)."""
        if len(self._ids):
            keep = ~np.isin(self._ids, ids)
            ids = np.concatenate([self._ids[keep], ids])
            codes = np.concatenate([self._codes[:, keep], codes], axis=1)
        order = np.argsort(ids, kind="stable")
        self._ids, self._codes = ids[order], np.ascontiguousarray(codes[:, order])

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        """The ``want`` best assets for ``vector`` among ``allowed`` (a select of asset ids;
        None: all), best first, scored by exact cosine similarity. ``prefilter`` is the same
        set in the form that suits fetching it whole (default: ``allowed``)."""
        self.refresh(session)
        with self._lock:
            ids, codes = self._ids, self._codes
        if not len(ids):
            return []
        code = np.frombuffer(code_of(vector), dtype=np.uint64)
        pool = max(MIN_POOL, RERANK * want)
        distances = _hamming(codes, code)
        if allowed is None:
            chosen = ids[_smallest(distances, pool)]
        else:
            chosen = self._filtered(session, ids, distances, allowed,
                                    allowed if prefilter is None else prefilter, pool)
        if exclude is not None:
            chosen = chosen[chosen != exclude]
        return _rescore(session, self.model, vector, chosen, want)

    @staticmethod
    def _filtered(session: Session, ids: np.ndarray, distances: np.ndarray,
                  allowed: Select[tuple[int]], prefilter: Select[tuple[int]], pool: int
                  ) -> np.ndarray:
        """The ``pool`` nearest allowed ids. Walk the nearest candidates in order, checking
        the filter a chunk at a time; when few pass (a selective filter), fetch the filter's
        matches instead and rank only those."""
        # Each chunk is checked by looking its rows up by id (not by a filter's index).
        allowed = allowed.prefix_with("/* index none */", dialect="sqlite")
        order = _smallest(distances, max(4 * pool, 4 * CHUNK))
        kept: list[int] = []
        start = 0
        while len(kept) < pool and start < len(ids):
            if start >= len(order):  # the nearest candidates ran out: rank everything
                order = np.argsort(distances, kind="stable")
            chunk = ids[order[start:start + CHUNK]].tolist()
            ok = set(fetch_ids(session, allowed.where(Asset.id.in_(chunk))))
            kept.extend(i for i in chunk if i in ok)
            start += CHUNK
            if start == CHUNK and len(ids) > CHUNK and len(kept) * WALK_CHUNKS < pool:
                # At this pass rate the walk would take more than WALK_CHUNKS queries.
                matched = fetch_ids(session, prefilter.limit(PREFILTER + 1))
                if len(matched) <= PREFILTER:
                    wanted = np.unique(np.asarray(matched, dtype=np.int64))
                    rows = np.clip(np.searchsorted(ids, wanted), 0, len(ids) - 1)
                    rows = rows[ids[rows] == wanted]  # those that have an embedding
                    return ids[rows[_smallest(distances[rows], pool)]]
        return np.asarray(kept[:pool], dtype=np.int64)


def fetch_ids(session: Session, query: Select[tuple[int]]) -> list[int]:
    """The ids a select of ids returns, read straight from the driver's cursor: tens of
    thousands of rows for a prefilter, where building a Row for each would cost more than
    the query (5x, measured at 50k rows on SQLite)."""
    result = session.connection().execute(query)
    try:
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()


def _hamming(codes: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Bits that differ from ``code`` for every column of ``codes`` (words x n): word by word
    over contiguous rows, several times faster than over n x words."""
    out = np.zeros(codes.shape[1], dtype=np.uint16)
    scratch = np.empty(codes.shape[1], dtype=np.uint64)
    for word in range(codes.shape[0]):
        np.bitwise_xor(codes[word], code[word], out=scratch)
        out += np.bitwise_count(scratch)
    return out


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    if k >= len(values):
        return np.argsort(values, kind="stable")
    part = np.argpartition(values, k)[:k]
    return part[np.argsort(values[part], kind="stable")]


def _rescore(session: Session, model: str, vector: np.ndarray, ids: np.ndarray, want: int
             ) -> list[Ranked]:
    if not len(ids):
        return []
    found: dict[int, bytes] = {}
    id_list = ids.tolist()
    for start in range(0, len(id_list), 1000):
        chunk = id_list[start:start + 1000]
        rows = session.execute(select(AssetEmbedding.asset_id, AssetEmbedding.vector).where(
            AssetEmbedding.model == model, AssetEmbedding.asset_id.in_(chunk)))
        found.update((asset_id, vector) for asset_id, vector in rows)
    kept = [i for i in id_list if i in found]
    if not kept:
        return []
    matrix = np.frombuffer(b"".join(found[i] for i in kept), dtype="<f4").reshape(len(kept), -1)
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    order = np.lexsort((-np.asarray(kept), -scores))[:want]
    return [Ranked(kept[i], round(float(scores[i]), 5)) for i in order]


_indexes: dict[tuple[str, str], VectorIndex] = {}
_indexes_lock = threading.Lock()


def index_for(database_url: str, model: str) -> VectorIndex:
    with _indexes_lock:
        return _indexes.setdefault((database_url, model), VectorIndex(model))


def warm_up(rt: Any, model: str = "clip") -> threading.Thread:
    """Load the index in the background at start (seconds per million embeddings), so the
    first semantic search does not wait for it."""
    def load() -> None:
        from albumen.services.search import pgvector

        try:
            with rt.session() as session:
                if pgvector.enabled(session):
                    return  # PostgreSQL ranks; nothing to hold in memory
                index_for(rt.settings.effective_database_url, model).refresh(session)
        except Exception:  # a search will try again and report
            log.exception("loading the vector index failed")

    thread = threading.Thread(target=load, name="vector-index-warm-up", daemon=True)
    thread.start()
    return thread
