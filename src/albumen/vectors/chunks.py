"""The index of text passages (``text_chunks``) for search by meaning: every passage's
sentence embedding in memory (384 float32, 1.5 KB a passage: 150 MB for 100,000), scored
exactly against the query in one matrix product, and each asset ranked by its best passage.

Exact scoring is the whole method: at 100,000 passages one product takes a few milliseconds
(bench/documents.py), so no approximate codes are needed at the scale of a library's documents.
The index answers the same ``rank`` as the CLIP indexes (base.Ranker), with the same
filters: a filter is checked on the best assets in order, a widening window at a time,
until the page is full (never "top k, then filter").

It is kept current from the database: passages are only ever added (a re-read asset's old
ones are deleted and new ones written), so a refresh loads the rows past the last id seen,
and reloads everything when rows were deleted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from albumen.db.models import TextChunk
from albumen.vectors.base import Ranked, among, fetch_ids

DIM = 384
REFRESH_SECONDS = 2.0
BATCH = 20_000
FIRST_WINDOW = 256  # best assets checked against a filter at first; then four times as many


@dataclass
class ChunkHit(Ranked):
    chunk_id: int = 0  # the passage that matched best


class ChunkIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)  # chunk ids, ascending
        self._assets = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, DIM), dtype=np.float32)
        self._checked = 0.0

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self, session: Session, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        with self._lock:
            self._checked = now
            count, newest = session.execute(
                select(func.count(), func.max(TextChunk.id))).one()
            last = int(self._ids[-1]) if len(self._ids) else 0
            if count == len(self._ids) and (newest or 0) == last:
                return
            if newest is not None and newest > last:
                ids, assets, vectors = _load(session, TextChunk.id > last)
                self._ids = np.concatenate([self._ids, ids])
                self._assets = np.concatenate([self._assets, assets])
                self._vectors = np.concatenate([self._vectors, vectors])
            if count != len(self._ids):  # rows were deleted: start again
                self._ids, self._assets, self._vectors = _load(session, None)

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        """The ``want`` assets whose best passage is closest to ``vector`` among ``allowed``
        (a select of asset ids; None: all), best first, scored by cosine similarity."""
        self.refresh(session)
        with self._lock:
            ids, assets, vectors = self._ids, self._assets, self._vectors
        if not len(ids):
            return []
        scores = vectors @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores, kind="stable")
        # Each asset at its best passage: the first time it appears in score order.
        ranked_assets, first = np.unique(assets[order], return_index=True)
        by_score = np.argsort(first, kind="stable")
        best_rows = order[first[by_score]]
        asset_order = ranked_assets[by_score]
        if exclude is not None:
            keep = asset_order != exclude
            asset_order, best_rows = asset_order[keep], best_rows[keep]
        chosen: list[int] = []
        start, window = 0, FIRST_WINDOW
        dialect = session.get_bind().dialect.name
        while len(chosen) < want and start < len(asset_order):
            part = asset_order[start:start + window]
            if allowed is None:
                ok = set(part.tolist())
            else:
                ok = set(fetch_ids(session, allowed.where(among(dialect, part.tolist()))))
            chosen += [i for i in range(start, start + len(part))
                       if int(asset_order[i]) in ok]
            start += len(part)
            window *= 4
        return [ChunkHit(int(asset_order[i]), float(scores[best_rows[i]]),
                         int(ids[best_rows[i]])) for i in chosen[:want]]


def _load(session: Session, where: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    query = select(TextChunk.id, TextChunk.asset_id, TextChunk.vector).order_by(TextChunk.id)
    if where is not None:
        query = query.where(where)
    ids, assets, parts = [], [], []
    for rows in session.execute(query.execution_options(yield_per=BATCH)).partitions():
        ids.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        assets.append(np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)))
        parts.append(np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4")
                     .reshape(len(rows), DIM))
    if not ids:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                np.zeros((0, DIM), dtype=np.float32))
    return np.concatenate(ids), np.concatenate(assets), np.concatenate(parts)


_indexes: dict[str, ChunkIndex] = {}
_indexes_lock = threading.Lock()


def index_for(database_url: str) -> ChunkIndex:
    with _indexes_lock:
        if database_url not in _indexes:
            _indexes[database_url] = ChunkIndex()
        return _indexes[database_url]
