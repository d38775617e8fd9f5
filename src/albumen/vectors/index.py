"""The embedded vector index: CLIP embeddings ranked against a query, together with filters.

Each process keeps two compact codes of every embedding in memory:
- sign bits (64 bytes for 512 dimensions), scanned whole with Hamming distance to pick the
  ``COARSE`` nearest candidates;
- 4-bit codes of the embedding after a fixed random rotation (256 bytes for 512 dimensions:
  the rotation spreads every dimension's share evenly, so one fixed scale fits all), which
  order those candidates again almost as the float vectors would.
The best few hundred are then re-scored exactly with their float vectors read from the
database. 320 MB per million embeddings. The same code serves SQLite and PostgreSQL without
pgvector.

Filters and ranking work together, never "top k, then filter":
- a selective filter (at most ``PREFILTER`` matches) is run first and only its assets are
  ranked;
- a broad one is checked on the ranked candidates in order, chunk by chunk, until the page is
  full; at worst every embedding is visited, so a page is never short while matches remain.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import (
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session

from albumen.db.models import AssetEmbedding
from albumen.vectors.base import PREFILTER, Ranked, among, fetch_ids

log = logging.getLogger(__name__)
COARSE = 20_000  # candidates picked by sign bits and ordered by the 4-bit codes
# Exact re-scoring of RERANK x wanted candidates in the 4-bit order, at least MIN_POOL
# (bench/search.py prints the recall against an exact scan).
RERANK = 4
MIN_POOL = 200
CHUNK = 4096  # at most this many ranked candidates checked against a filter per query
WALK_LIMIT = 32_768  # a filter that needs more candidates checked is applied first instead
REFRESH_SECONDS = 5.0  # how often a process looks for new embeddings
SKEW = timedelta(minutes=5)  # clock skew tolerated between machines writing embeddings
BATCH = 10_000  # rows per fetch while loading (20 MB of float vectors)
ROTATION_SEED = 512  # the rotation is fixed: codes stay comparable across processes
CLIP_SIGMAS = 3.5  # the 4-bit codes cover this many standard deviations of a coordinate
SLICE = 2048  # rows of 4-bit codes scored at a time


def sign_codes(matrix: np.ndarray) -> np.ndarray:
    """Sign bits of each row, packed little-endian into 64-bit words (n x words)."""
    bits = np.packbits(matrix > 0, axis=1, bitorder="little")
    pad = -bits.shape[1] % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(bits).view(np.uint64)


def rotate(matrix: np.ndarray) -> np.ndarray:
    """A fixed random rotation of each row (random signs, then a fast Walsh-Hadamard
    transform; rows zero-padded to a power of two). Dot products are kept."""
    n, dim = matrix.shape
    size = 1 << max(0, math.ceil(math.log2(dim)))
    signs = np.random.default_rng(ROTATION_SEED).choice(
        np.array([-1.0, 1.0], dtype=np.float32), size=size)
    x = np.zeros((n, size), dtype=np.float32)
    x[:, :dim] = matrix
    x *= signs
    h = 1
    while h < size:
        pairs = x.reshape(n, size // (2 * h), 2, h)
        x = np.stack((pairs[:, :, 0] + pairs[:, :, 1], pairs[:, :, 0] - pairs[:, :, 1]),
                     axis=2).reshape(n, size)
        h *= 2
    return x / np.float32(math.sqrt(size))


def fine_codes(matrix: np.ndarray) -> np.ndarray:
    """4-bit codes of the rotated rows, two per byte (n x size/2): each coordinate of a unit
    vector rotated so is about normal with deviation 1/sqrt(size), cut at CLIP_SIGMAS."""
    rotated = rotate(matrix)
    step = CLIP_SIGMAS / math.sqrt(rotated.shape[1]) / 7.5
    levels = (np.clip(np.rint(rotated / step), -8, 7) + 8).astype(np.uint8)
    return np.ascontiguousarray(levels[:, 0::2] | (levels[:, 1::2] << 4))


def _fine_scores(codes: np.ndarray, rotated_query: np.ndarray) -> np.ndarray:
    """Dot products of the coded rows with a rotated query, up to a positive factor and a
    common offset (the codes' zero is level 8), so in the same order. In slices that stay
    in the CPU's cache: 5x faster than whole."""
    even = np.ascontiguousarray(rotated_query[0::2])
    odd = np.ascontiguousarray(rotated_query[1::2])
    out = np.empty(len(codes), dtype=np.float32)
    for start in range(0, len(codes), SLICE):
        part = codes[start:start + SLICE]
        out[start:start + SLICE] = ((part & 15).astype(np.float32) @ even
                                    + (part >> 4).astype(np.float32) @ odd)
    return out


_blas: Any = None


def _one_blas_thread() -> Any:
    """Small matrix products on one thread: OpenBLAS's threads, contending with the other
    work of a 2-core machine, made scoring 20,000 candidates 5-15x slower (measured)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


class VectorIndex:
    """Sign-bit and 4-bit codes of one model's embeddings, kept current from the database."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)  # sorted
        self._codes = np.zeros((0, 0), dtype=np.uint64)  # words x n, one row per 64 bits
        self._fine = np.zeros((0, 0), dtype=np.uint8)  # n x size/2, 4-bit codes
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
            query = select(AssetEmbedding.asset_id, AssetEmbedding.vector).where(
                AssetEmbedding.model == self.model).order_by(AssetEmbedding.asset_id)
            if self._seen is None:
                self._load_all(session, query)
            else:
                parts = [_coded(batch) for batch in session.execute(
                    query.where(AssetEmbedding.created_at >= self._seen - SKEW)
                    .execution_options(yield_per=BATCH)).partitions()]
                if parts:
                    self._merge(np.concatenate([p[0] for p in parts]),
                                np.concatenate([p[1] for p in parts]).T,
                                np.concatenate([p[2] for p in parts]))
            self._seen = newest

    def _load_all(self, session: Session, query: Select[Any]) -> None:
        """Everything, written straight into arrays of the final size (no second copy: the
        peak stays near the index's own 320 MB per million)."""
        n = session.scalar(select(func.count()).select_from(AssetEmbedding)
                           .where(AssetEmbedding.model == self.model)) or 0
        ids = np.zeros(n, dtype=np.int64)
        codes: np.ndarray | None = None
        fine: np.ndarray | None = None
        at = 0
        for batch in session.execute(query.execution_options(yield_per=BATCH)).partitions():
            batch_ids, batch_codes, batch_fine = _coded(batch[:n - at])
            if codes is None or fine is None:
                codes = np.zeros((batch_codes.shape[1], n), dtype=np.uint64)
                fine = np.zeros((n, batch_fine.shape[1]), dtype=np.uint8)
            end = at + len(batch_ids)
            ids[at:end], codes[:, at:end], fine[at:end] = batch_ids, batch_codes.T, batch_fine
            at = end
        if codes is None or fine is None:
            return
        self._ids, self._codes, self._fine = ids[:at], codes[:, :at], fine[:at]

    def _merge(self, ids: np.ndarray, codes: np.ndarray, fine: np.ndarray) -> None:
        """Add (or replace) ids with their codes (sign bits: words x n; 4-bit: n x bytes)."""
        if len(self._ids):
            keep = ~np.isin(self._ids, ids)
            ids = np.concatenate([self._ids[keep], ids])
            codes = np.concatenate([self._codes[:, keep], codes], axis=1)
            fine = np.concatenate([self._fine[keep], fine])
        order = np.argsort(ids, kind="stable")
        self._ids, self._codes = ids[order], np.ascontiguousarray(codes[:, order])
        self._fine = np.ascontiguousarray(fine[order])

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        """The ``want`` best assets for ``vector`` among ``allowed`` (a select of asset ids;
        None: all), best first, scored by exact cosine similarity. ``prefilter`` is the same
        set in the form that suits fetching it whole (default: ``allowed``)."""
        self.refresh(session)
        with _one_blas_thread():
            return self._rank(session, vector, allowed, want, exclude, prefilter)

    def _rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
              want: int, exclude: int | None, prefilter: Select[tuple[int]] | None
              ) -> list[Ranked]:
        with self._lock:
            ids, codes, fine = self._ids, self._codes, self._fine
        if not len(ids):
            return []
        query = np.asarray(vector, dtype=np.float32)
        pool = max(MIN_POOL, RERANK * want)
        ranking = _Ranking(ids, _hamming(codes, sign_codes(query[None, :])[0]),
                           fine, rotate(query[None, :])[0], pool)
        if allowed is None:
            chosen = ids[ranking.nearest()[:pool]]
        else:
            chosen = _filtered(session, ranking, allowed,
                               allowed if prefilter is None else prefilter, pool)
        if exclude is not None:
            chosen = chosen[chosen != exclude]
        return _rescore(session, self.model, vector, chosen, want)


@dataclass
class _Ranking:
    """One query against a snapshot of the index."""

    ids: np.ndarray
    distances: np.ndarray  # Hamming distance of every embedding's sign bits
    fine: np.ndarray
    rotated: np.ndarray  # the query, rotated as the 4-bit codes were

    pool: int  # how many will be re-scored exactly

    def nearest(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Rows (default: all) best first: the COARSE nearest by sign bits (more for a deep
        page), in the order of their 4-bit codes."""
        count = max(COARSE, 4 * self.pool)
        if rows is None:
            rows = _smallest(self.distances, count)
        else:
            rows = rows[_smallest(self.distances[rows], count)]
        scores = _fine_scores(self.fine[rows], self.rotated)
        return rows[np.argsort(-scores, kind="stable")]


def _filtered(session: Session, ranking: _Ranking, allowed: Select[tuple[int]],
              prefilter: Select[tuple[int]], pool: int) -> np.ndarray:
    """The ``pool`` best allowed ids. Walk the best candidates in order, checking the filter
    a chunk at a time (the first one twice the pool, each next one four times bigger); when
    few pass (a selective filter), fetch the filter's matches instead and rank only those."""
    ids = ranking.ids
    dialect = session.get_bind().dialect.name
    # Each chunk is checked by looking its rows up by id (not by a filter's index).
    allowed = allowed.prefix_with("/* index none */", dialect="sqlite")
    order = ranking.nearest()
    kept: list[int] = []
    start, size, tried = 0, 2 * pool, False
    while len(kept) < pool and start < len(ids):
        if start >= len(order):  # the best candidates ran out: go on through the rest
            rest = np.argsort(ranking.distances, kind="stable")
            order = np.concatenate([order, rest[~np.isin(rest, order)]])
        chunk = ids[order[start:start + size]].tolist()
        ok = set(fetch_ids(session, allowed.where(among(dialect, chunk))))
        kept.extend(i for i in chunk if i in ok)
        start += size
        size = min(4 * size, CHUNK)
        # At this pass rate the walk would check pool * start / kept candidates: too many?
        if (not tried and len(kept) < pool and start < len(ids)
                and len(kept) * WALK_LIMIT < pool * start):
            tried = True
            matched = fetch_ids(session, prefilter.limit(PREFILTER + 1))
            if len(matched) <= PREFILTER:
                wanted = np.unique(np.asarray(matched, dtype=np.int64))
                rows = np.clip(np.searchsorted(ids, wanted), 0, len(ids) - 1)
                rows = rows[ids[rows] == wanted]  # those that have an embedding
                return ids[ranking.nearest(rows)[:pool]]  # type: ignore[no-any-return]
    return np.asarray(kept[:pool], dtype=np.int64)


def _coded(rows: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, sign bits (n x words) and 4-bit codes of (asset_id, vector) rows."""
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
    return ids, sign_codes(matrix), fine_codes(matrix)


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
