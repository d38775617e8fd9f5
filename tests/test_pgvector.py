"""pgvector on PostgreSQL 16 (from the `pgserver` package): the same rankings as the embedded
index, with filters applied together with the ranking; vectors kept current and back-filled."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text, update

from albumen.db.base import utcnow
from albumen.db.models import Asset
from albumen.runtime import Runtime, set_runtime
from albumen.search import engine
from albumen.search.query import SearchQuery
from albumen.vectors import index as vectors
from albumen.vectors import pgvector
from tests.conftest import IN_CI, make_settings
from tests.test_search import _assets, _embed


@pytest.fixture(scope="session")
def pgvector_admin_url() -> str:
    try:
        import pgserver  # type: ignore[import-not-found]
    except ImportError:
        reason = "the pgserver package is not installed; pgvector tests skipped"
        if IN_CI:
            pytest.fail(reason + " (not allowed in CI)")
        print(f"\nSKIP: {reason}")
        pytest.skip(reason)
    server = pgserver.get_server(Path.home() / ".cache" / "albumen-test-pgvector",
                                 cleanup_mode=None)
    return server.get_uri().replace("postgresql://", "postgresql+psycopg://")


@pytest.fixture
def vrt(pgvector_admin_url: str, tmp_path: Path, worker_id: str) -> Iterator[Runtime]:
    from sqlalchemy.engine import make_url

    name = f"albumen_vec_{worker_id}_{os.getpid()}"
    admin = create_engine(pgvector_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pgvector_admin_url).set(database=name).render_as_string(hide_password=False)
    runtime = Runtime(make_settings(tmp_path / "data", url))
    runtime.migrate()
    set_runtime(runtime)
    yield runtime
    set_runtime(None)
    from albumen.db.session import _ENGINES

    engine_ = _ENGINES.pop(url, None)
    if engine_ is not None:
        engine_.dispose()
    pgvector._ready.clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _rare(i: int) -> str:
    return "rare" if i % 100 == 0 else "common"


@pytest.mark.parametrize("prefilter", [10_000, 5], ids=["selective", "broad"])
def test_pgvector_ranks_like_the_exact_ranking(vrt: Runtime, prefilter: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "PREFILTER", prefilter)
    ids = _assets(vrt, 3000, _rare)
    matrix = _embed(vrt, ids, dim=pgvector.DIM)
    with vrt.session() as session:
        assert pgvector.enabled(session)
        assert session.execute(text("SELECT count(*) FROM asset_vectors")).scalar() == 3000
    query = -matrix[0]  # the rare assets sit low for this query: an index scan alone is short
    index = pgvector.PgVectorIndex("clip")
    rare = np.array([i % 100 == 0 for i in range(3000)])
    scores = matrix @ query
    expected = [ids[i] for i in np.argsort(-np.where(rare, scores, -np.inf))[:25]]
    with vrt.session() as session:
        allowed = engine.matching(session, SearchQuery(cameras=["rare"]), Asset.id)
        got = index.rank(session, query, allowed, want=25, prefilter=allowed)
    assert [r.asset_id for r in got] == expected
    assert [r.score for r in got] == pytest.approx(sorted(scores[rare], reverse=True)[:25],
                                                   abs=1e-4)
    # without a filter: the nearest overall; the asset itself excluded for "more like this"
    with vrt.session() as session:
        best = index.rank(session, matrix[7], None, want=10, exclude=ids[7])
    overall = [ids[i] for i in np.argsort(-(matrix @ matrix[7])) if ids[i] != ids[7]][:10]
    assert [r.asset_id for r in best] == overall
    # deleted assets drop out (the filter), and their vectors go with them (cascade)
    with vrt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == expected[0]).values(deleted_at=utcnow()))
        session.execute(text("DELETE FROM assets WHERE id = :i"), {"i": expected[1]})
    with vrt.session() as session:
        allowed = engine.matching(session, SearchQuery(cameras=["rare"]), Asset.id)
        again = [r.asset_id for r in index.rank(session, query, allowed, want=25,
                                                prefilter=allowed)]
        assert session.execute(text("SELECT count(*) FROM asset_vectors")).scalar() == 2999
    assert expected[0] not in again and expected[1] not in again and len(again) == 25


def test_semantic_search_pages_through_pgvector(vrt: Runtime) -> None:
    """The search service on pgvector: pages in score order, no repeats, nothing missed."""
    ids = _assets(vrt, 400, _rare)
    matrix = _embed(vrt, ids, dim=pgvector.DIM, seed=5)
    seen: list[int] = []
    cursor = None
    with vrt.session() as session:
        while True:
            page = engine.search(vrt, session, SearchQuery(vector=list(map(float, matrix[3]))),
                                 limit=60, cursor=cursor)
            seen += [hit.asset.id for hit in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
    assert seen[0] == ids[3] and sorted(seen) == sorted(ids)
    order = np.argsort(-(matrix @ matrix[3]))
    assert seen[:50] == [ids[i] for i in order[:50]]


def test_vectors_stored_before_pgvector_are_backfilled(vrt: Runtime) -> None:
    ids = _assets(vrt, 50, _rare)
    with vrt.transaction() as session:
        session.execute(text("DROP TABLE asset_vectors"))
    pgvector._ready.clear()
    _embed(vrt, ids, dim=pgvector.DIM)  # written while there is no vector table
    with vrt.session() as session:
        assert not pgvector.enabled(session)
    pgvector._ready.clear()
    vrt.migrate()  # at start: the table again, filled from asset_embeddings
    with vrt.session() as session:
        assert pgvector.enabled(session)
        assert session.execute(text("SELECT count(*) FROM asset_vectors")).scalar() == 50


def test_pgvector_off_uses_the_embedded_index(pgvector_admin_url: str, tmp_path: Path) -> None:
    with create_engine(pgvector_admin_url).begin() as conn:
        assert pgvector.install(conn, "off") is False


def _passages(rt: Runtime, asset_ids: list[int], per_asset: int, seed: int = 3) -> np.ndarray:
    """Passages with unit-length 384-d embeddings (as the semantic stage writes them, then
    copied to chunk_vectors by the same call it makes)."""
    from albumen.db.models import TextChunk

    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(len(asset_ids) * per_asset, pgvector.CHUNK_DIM)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    with rt.transaction() as session:
        for n, asset_id in enumerate(asset_ids):
            for k in range(per_asset):
                row = matrix[n * per_asset + k]
                session.add(TextChunk(asset_id=asset_id, page=None, start=0, end=1, text="x",
                                      vector=row.astype("<f4").tobytes()))
            session.flush()
            pgvector.store_chunks(session, asset_id)
    return matrix


@pytest.mark.parametrize("prefilter", [10_000, 5], ids=["selective", "broad"])
def test_passages_rank_on_pgvector_as_on_the_exact_index(
        vrt: Runtime, prefilter: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """about: on PostgreSQL ranks each asset by its best passage through pgvector's HNSW
    index, with the filter applied together with the ranking: the same order as the exact
    in-memory ranking; passages go with their asset, and ones read before are back-filled."""
    from albumen.search import semantic
    from albumen.vectors.chunks import ChunkIndex

    monkeypatch.setattr(pgvector, "PREFILTER", prefilter)
    ids = _assets(vrt, 600, _rare)
    matrix = _passages(vrt, ids, per_asset=3)
    with vrt.session() as session:
        assert isinstance(semantic.ranker(vrt, session), pgvector.PgChunkIndex)
        assert session.execute(text("SELECT count(*) FROM chunk_vectors")).scalar() == 1800
    exact, fast = ChunkIndex(), pgvector.PgChunkIndex()
    for query in (matrix[4], -matrix[0]):  # one near a passage; one the rare assets sit far
        with vrt.session() as session:
            allowed = engine.matching(session, SearchQuery(cameras=["rare"]), Asset.id)
            for kwargs in ({"allowed": None}, {"allowed": None, "exclude": ids[1]},
                           {"allowed": allowed, "prefilter": allowed}):
                want = exact.rank(session, query, want=5, **kwargs)
                got = fast.rank(session, query, want=5, **kwargs)
                assert [(h.asset_id, h.chunk_id) for h in got] == [
                    (h.asset_id, h.chunk_id) for h in want], kwargs
                assert [h.score for h in got] == pytest.approx([h.score for h in want],
                                                               abs=1e-4)
    with vrt.transaction() as session:  # an asset deleted: its passages' vectors too
        session.execute(text("DELETE FROM assets WHERE id = :i"), {"i": ids[0]})
    with vrt.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM chunk_vectors")).scalar() == 1797
        session.execute(text("DROP TABLE chunk_vectors"))
    pgvector._ready.clear()
    vrt.migrate()  # at start: the table again, filled from text_chunks
    with vrt.session() as session:
        assert session.execute(text("SELECT count(*) FROM chunk_vectors")).scalar() == 1797
