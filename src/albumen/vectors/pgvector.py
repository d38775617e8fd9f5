"""pgvector on PostgreSQL: the embeddings also kept as ``vector`` values with an HNSW index —
CLIP's per asset (``asset_vectors``) and the text passages' for search by meaning
(``chunk_vectors``, ranked by each asset's best passage).

Used when the server has the extension (``ALBUMEN_PGVECTOR=auto``); without it, PostgreSQL uses
the embedded index (index.py) like SQLite does. ``asset_vectors`` is derived data: made at
start by ``install``, back-filled from ``asset_embeddings`` there, kept current by
``store`` when a stage writes an embedding, and removed with its asset (ON DELETE CASCADE).

pgvector 0.6 (the version the pip-installable server ships) has no iterative index scans: an
HNSW search with a WHERE clause filters the ``ef_search`` nearest and may come back short. So
filters and ranking are combined here as in the embedded index — never "top k, then filter":
- a selective filter (at most ``PREFILTER`` matches) is ranked exactly over its matches;
- a broad one goes through the index with a wide ``ef_search``, and when the filtered index
  scan comes back short, the page is completed by an exact scan of the filter's matches.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Float,
    Select,
    any_,
    bindparam,
    cast,
    column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.types import UserDefinedType

from albumen.vectors.base import PREFILTER, Ranked, fetch_ids

log = logging.getLogger(__name__)
DIM = 512  # CLIP ViT-B/32; embeddings of other sizes stay with the embedded index
CHUNK_DIM = 384  # all-MiniLM-L6-v2, the passages' model
EF_SEARCH_MAX = 1000  # pgvector's ceiling; also the most rows one index scan returns
BACKFILL_BATCH = 2000

_DDL = [
    f"CREATE TABLE IF NOT EXISTS asset_vectors ("
    f"asset_id BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE, "
    f"model VARCHAR(64) NOT NULL, embedding vector({DIM}) NOT NULL, "
    f"PRIMARY KEY (asset_id, model))",
    "CREATE INDEX IF NOT EXISTS ix_asset_vectors_hnsw ON asset_vectors "
    "USING hnsw (embedding vector_ip_ops)",
    f"CREATE TABLE IF NOT EXISTS chunk_vectors ("
    f"chunk_id BIGINT PRIMARY KEY REFERENCES text_chunks (id) ON DELETE CASCADE, "
    f"asset_id BIGINT NOT NULL, embedding vector({CHUNK_DIM}) NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_chunk_vectors_asset_id ON chunk_vectors (asset_id)",
    "CREATE INDEX IF NOT EXISTS ix_chunk_vectors_hnsw ON chunk_vectors "
    "USING hnsw (embedding vector_ip_ops)",
]

_ready: dict[str, bool] = {}
_ready_lock = threading.Lock()


def literal(vector: np.ndarray) -> str:
    """A vector in pgvector's text form."""
    return "[" + ",".join(f"{x:.8g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


def install(conn: Connection, mode: str = "auto") -> bool:
    """Create the extension (when the server has it and we may), the table and its index, and
    back-fill embeddings stored before. Returns whether pgvector is in use."""
    if conn.dialect.name != "postgresql" or mode == "off":
        return False
    available = conn.execute(text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).scalar()
    if not available:
        log.info("pgvector is not installed on this server; using the embedded vector index")
        return False
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    except Exception as exc:  # no privilege to create it: the embedded index does the work
        log.warning("pgvector is available but could not be enabled (%s); ask the database "
                    "administrator to run CREATE EXTENSION vector", exc)
        return False
    for statement in _DDL:
        conn.execute(text(statement))
    filled = backfill(conn)
    if filled:
        log.info("pgvector: copied %d embedding(s) into asset_vectors", filled)
    passages = backfill_chunks(conn)
    if passages:
        log.info("pgvector: copied %d passage embedding(s) into chunk_vectors", passages)
    return True


def backfill(conn: Connection) -> int:
    """Embeddings that have no vector row yet (stored before pgvector was enabled)."""
    done = 0
    while True:
        rows = conn.execute(text(
            "SELECT e.asset_id, e.model, e.vector FROM asset_embeddings e "
            "WHERE e.dim = :dim AND NOT EXISTS (SELECT 1 FROM asset_vectors v "
            "WHERE v.asset_id = e.asset_id AND v.model = e.model) LIMIT :n"),
            {"dim": DIM, "n": BACKFILL_BATCH}).all()
        if not rows:
            return done
        conn.execute(text(
            "INSERT INTO asset_vectors (asset_id, model, embedding) "
            "VALUES (:a, :m, CAST(:v AS vector)) ON CONFLICT DO NOTHING"),
            [{"a": a, "m": m, "v": literal(np.frombuffer(v, dtype="<f4"))} for a, m, v in rows])
        done += len(rows)


_CHUNKS_MISSING = (
    "SELECT c.id, c.asset_id, c.vector FROM text_chunks c WHERE {where} NOT EXISTS "
    "(SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id) ORDER BY c.id LIMIT :n")


def _copy_chunks(conn: Any, where: str, params: dict[str, Any]) -> int:
    done = 0
    while True:
        rows = conn.execute(text(_CHUNKS_MISSING.format(where=where)),
                            {**params, "n": BACKFILL_BATCH}).all()
        if not rows:
            return done
        conn.execute(text(
            "INSERT INTO chunk_vectors (chunk_id, asset_id, embedding) "
            "VALUES (:c, :a, CAST(:v AS vector)) ON CONFLICT DO NOTHING"),
            [{"c": c, "a": a, "v": literal(np.frombuffer(v, dtype="<f4"))} for c, a, v in rows])
        done += len(rows)


def backfill_chunks(conn: Connection) -> int:
    """Passages that have no vector row yet (read before pgvector was enabled)."""
    return _copy_chunks(conn, "", {})


def store_chunks(session: Session, asset_id: int) -> None:
    """An asset's passages (just written to text_chunks) into chunk_vectors; the ones they
    replaced went with their rows (ON DELETE CASCADE)."""
    if enabled(session):
        _copy_chunks(session, "c.asset_id = :asset AND", {"asset": asset_id})


def enabled(session: Session) -> bool:
    """Whether this database keeps vectors in pgvector (checked once per database)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    key = bind.url.render_as_string(hide_password=False)
    with _ready_lock:
        known = _ready.get(key)
    if known is None:
        known = session.execute(text(
            "SELECT to_regclass('asset_vectors') IS NOT NULL "
            "AND to_regclass('chunk_vectors') IS NOT NULL")).scalar()
        with _ready_lock:
            _ready[key] = bool(known)
    return bool(known)


def store(session: Session, asset_id: int, model: str, vector: np.ndarray) -> None:
    if len(vector) != DIM or not enabled(session):
        return
    session.execute(text(
        "INSERT INTO asset_vectors (asset_id, model, embedding) "
        "VALUES (:a, :m, CAST(:v AS vector)) "
        "ON CONFLICT (asset_id, model) DO UPDATE SET embedding = EXCLUDED.embedding"),
        {"a": asset_id, "m": model, "v": literal(vector)})


class Vector(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "vector"


_vectors = table("asset_vectors", column("asset_id"), column("model"),
                 column("embedding", Vector()))


class PgVectorIndex:
    """The same ``rank`` as the embedded index, answered by PostgreSQL."""

    def __init__(self, model: str) -> None:
        self.model = model

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        ids_filter = prefilter if prefilter is not None else allowed
        pool = want + (exclude is not None)
        distance = _vectors.c.embedding.op("<#>", return_type=Float())(
            cast(bindparam("q", literal(vector)), Vector()))
        query = select(_vectors.c.asset_id, (-distance).label("score")).where(
            _vectors.c.model == self.model).limit(pool)
        if ids_filter is not None:
            matched = fetch_ids(session, ids_filter.limit(PREFILTER + 1))
            if len(matched) <= PREFILTER:
                ids = cast(bindparam("ids", list(matched)), ARRAY(BigInteger()))
                rows = _exact(session, query.where(_vectors.c.asset_id == any_(ids)), distance)
                return _ranked(rows, exclude, want)
            query = query.where(_vectors.c.asset_id.in_(ids_filter))
        rows = []
        if pool <= EF_SEARCH_MAX:  # through the HNSW index: approximate, may come back short
            session.execute(text(f"SET LOCAL hnsw.ef_search = {EF_SEARCH_MAX}"))
            rows = session.execute(query.order_by(distance)).all()
        if len(rows) < pool:
            rows = _exact(session, query, distance)
        return _ranked(rows, exclude, want)


def _exact(session: Session, query: Select[Any], distance: Any) -> list[Any]:
    """Every candidate scored (``+ 0`` keeps the planner off the approximate index)."""
    return list(session.execute(query.order_by(distance + 0, _vectors.c.asset_id.desc())))


def _ranked(rows: list[Any], exclude: int | None, want: int) -> list[Ranked]:
    return [Ranked(int(a), round(float(s), 5)) for a, s in rows if a != exclude][:want]


_chunks = table("chunk_vectors", column("chunk_id"), column("asset_id"),
                column("embedding", Vector()))


class PgChunkIndex:
    """Search by meaning answered by PostgreSQL: the same ``rank`` as the embedded passage
    index (vectors/chunks.py), each asset at its best passage."""

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        from albumen.vectors.chunks import ChunkHit

        ids_filter = prefilter if prefilter is not None else allowed
        pool = want + (exclude is not None)
        distance = _chunks.c.embedding.op("<#>", return_type=Float())(
            cast(bindparam("q", literal(vector)), Vector()))
        query = select(_chunks.c.chunk_id, _chunks.c.asset_id, (-distance).label("score"))
        selective = False
        if ids_filter is not None:
            matched = fetch_ids(session, ids_filter.limit(PREFILTER + 1))
            selective = len(matched) <= PREFILTER
            if selective:
                ids = cast(bindparam("ids", list(matched)), ARRAY(BigInteger()))
                query = query.where(_chunks.c.asset_id == any_(ids))
            else:
                query = query.where(_chunks.c.asset_id.in_(ids_filter))
        best: dict[int, tuple[int, float]] = {}
        if not selective:  # the HNSW index: the nearest passages, approximate
            session.execute(text(f"SET LOCAL hnsw.ef_search = {EF_SEARCH_MAX}"))
            for chunk_id, asset_id, score in session.execute(
                    query.order_by(distance).limit(EF_SEARCH_MAX)):
                best.setdefault(int(asset_id), (int(chunk_id), float(score)))
        if len(best) - (exclude in best) < pool:  # short, or selective: every passage scored
            exact = query.order_by(_chunks.c.asset_id, distance + 0).ext(
                distinct_on(_chunks.c.asset_id))
            best = {int(a): (int(c), float(s)) for c, a, s in session.execute(exact)}
        ranked = sorted(((a, c, s) for a, (c, s) in best.items() if a != exclude),
                        key=lambda t: (-t[2], -t[0]))
        return [ChunkHit(a, round(s, 5), c) for a, c, s in ranked[:want]]
