"""Search and timeline latency on a library made by bench/gen_library.py.

    .venv/bin/python bench/search.py --db bench-data/library.db [--reps 30]

Runs a fixed mix of 20 queries through the search service exactly as the API does (query
language -> engine -> AssetOut page) and prints p50/p95/p99 per query type, the first-page
latency of every query, and the process's peak memory. In the same run, a naive baseline runs
the same queries on a copy of the database without secondary indexes, with full text as a
LIKE scan and semantic ranking as an exact scan of every stored vector, and the ratio is
printed. Targets (issue 5, 1M assets, 2 cores): filters + text p99 < 50 ms, timeline bucket
list p99 < 30 ms, semantic with filters p99 < 150 ms, any first page < 100 ms, API memory < 1 GB.
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from albumen.api.search import GridPage, SearchPage  # noqa: E402
from albumen.config import Settings  # noqa: E402
from albumen.runtime import Runtime  # noqa: E402
from albumen.search import engine, language, text_index, timeline  # noqa: E402
from albumen.search.query import SearchQuery  # noqa: E402

VIEWER = 1


def query_mix(db: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, query language, extras) — extras: vector seed, deep page count, timeline."""
    con = sqlite3.connect(db)
    city = con.execute("SELECT city, latitude, longitude FROM places WHERE id = 2").fetchone()
    busy = con.execute("SELECT month FROM timeline_counts ORDER BY n DESC LIMIT 1").fetchone()
    rare_person = con.execute("SELECT person_id FROM faces GROUP BY person_id "
                              "ORDER BY count(*) LIMIT 1 OFFSET 300").fetchone()[0]
    con.close()
    month = f"{busy[0] // 100}-{busy[0] % 100:02d}"
    return [
        ("filters", 'camera:"EOS R5"', {}),
        ("filters", "after:2020-01 before:2020-12 camera:iphone", {}),
        ("filters", "is:favorite", {}),
        ("filters", "rating:4 has:gps", {}),
        ("filters", "place:Lisbon", {}),
        ("text", "exit", {}),
        ("text", "beach", {}),
        ("text", "img_0042", {}),
        ("people", "person:1", {}),
        ("people", "person:5,9", {}),
        ("place radius", "near:38.72,-9.14,5km", {}),
        ("place radius", f"near:{city[1]:.3f},{city[2]:.3f},20km", {}),
        ("semantic", "", {"vector": 1}),
        ("semantic", "camera:iphone", {"vector": 2}),
        ("semantic", "date:2019", {"vector": 3}),
        ("semantic", f"person:{rare_person}", {"vector": 4}),
        ("combined", "beach camera:iphone after:2018 has:gps", {}),
        ("deep page", "camera:iphone", {"pages": 20}),
        ("timeline", "", {"buckets": True}),
        ("timeline", "", {"month": month}),
    ]


def make_vector(db: Path, seed: int) -> np.ndarray:
    """A query near one concept: a stored embedding, perturbed (as a text query would be)."""
    con = sqlite3.connect(db)
    n = con.execute("SELECT max(asset_id) FROM asset_embeddings").fetchone()[0]
    rng = np.random.default_rng(seed)
    row = con.execute("SELECT vector FROM asset_embeddings WHERE asset_id = ?",
                      (int(rng.integers(1, n)),)).fetchone()
    con.close()
    v = np.frombuffer(row[0], dtype="<f4") + rng.normal(size=len(row[0]) // 4) * 0.02
    return (v / np.linalg.norm(v)).astype(np.float32)


def runner(rt: Runtime, db: Path, source: str, extras: dict[str, Any]
           ) -> Callable[[], list[Any]]:
    vector = make_vector(db, extras["vector"]) if "vector" in extras else None
    deep_cursor = None  # the cursor of the last page before the one measured
    if extras.get("pages", 1) > 1:
        with rt.session() as session:
            q = language.parse(source, SearchQuery(viewer=VIEWER))
            for _ in range(extras["pages"] - 1):
                deep_cursor = engine.search(rt, session, q, limit=50, cursor=deep_cursor
                                            ).next_cursor

    def run() -> list[Any]:
        with rt.session() as session:
            if extras.get("buckets"):
                return timeline.buckets(session, VIEWER)
            if "month" in extras:
                page = timeline.bucket(rt, session, VIEWER, extras["month"], limit=200)
                return [item.id for item in GridPage.of(page).items]
            q = language.parse(source, SearchQuery(viewer=VIEWER, vector=vector))
            results = engine.search(rt, session, q, limit=50, cursor=deep_cursor)
            return [hit.asset.id for hit in SearchPage.of(results).items]

    return run


def timed(fn: Callable[[], list[Any]], reps: int) -> tuple[list[float], list[Any]]:
    times: list[float] = []
    found: list[Any] = []
    for _ in range(reps):
        t = time.perf_counter()
        found = fn()
        times.append((time.perf_counter() - t) * 1000)
    return times, found


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


def naive_runner(rt: Runtime, source: str, extras: dict[str, Any]) -> Callable[[], list[Any]]:
    """The same query as one plain SELECT ... ORDER BY ... LIMIT (no two-step plan), on the
    copy without indexes: what a database does with no index to use."""
    from albumen.db.models import Asset

    def run() -> list[Any]:
        with rt.session() as session:
            if "month" in extras:
                q = timeline.scope(VIEWER, None)
                q.date_from, q.date_to = timeline.parse_month(extras["month"])
                limit = 200
            else:
                q = language.parse(source, SearchQuery(viewer=VIEWER))
                limit = 50
            query = engine.matching(session, q, Asset.id).order_by(
                Asset.sort_at.desc(), Asset.id.desc())
            offset = (extras.get("pages", 1) - 1) * 50
            return list(session.scalars(query.offset(offset).limit(limit)))

    return run


def naive_copy(db: Path, workdir: Path) -> Path:
    """The same data without secondary indexes (primary keys stay)."""
    target = workdir / "naive.db"
    src = sqlite3.connect(db)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.close()
    shutil.copyfile(db, target)
    con = sqlite3.connect(target)
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
    for name in names:
        con.execute(f'DROP INDEX "{name}"')
    con.commit()
    con.close()
    return target


class NaiveVectors:
    """Exact scan of every stored vector that passes the filter (no vector index)."""

    def __init__(self, model: str) -> None:
        self.model = model

    def rank(self, session: Any, vector: np.ndarray, allowed: Any, want: int,
             exclude: int | None = None, prefilter: Any = None) -> list[Any]:
        from sqlalchemy import select

        from albumen.db.models import AssetEmbedding
        from albumen.vectors.base import Ranked

        sub = (allowed if prefilter is None else prefilter).subquery()
        rows = session.execute(select(AssetEmbedding.asset_id, AssetEmbedding.vector).where(
            AssetEmbedding.model == self.model,
            AssetEmbedding.asset_id.in_(select(sub.c[0])))).all()
        if not rows:
            return []
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
        scores = matrix @ vector
        order = np.argsort(-scores)[:want]
        return [Ranked(int(ids[i]), float(scores[i])) for i in order]


def naive_text(dialect: str, terms: list[list[list[str]]]) -> Any:
    from sqlalchemy import and_, or_, select

    from albumen.db.models import SearchDoc

    return select(SearchDoc.asset_id).where(and_(*(
        or_(*(SearchDoc.body.like(f"%{' '.join(alt)}%") for alt in term)) for term in terms)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "library.db")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--naive-reps", type=int, default=2)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="albumen-bench-"))
    mix = query_mix(args.db)

    def runtime(path: Path) -> Runtime:
        settings = Settings(_env_file=None, data_dir=workdir / "data",  # type: ignore[call-arg]
                            database_url=f"sqlite:///{path}", enrichments="",
                            queue_immediate=True, in_process_workers=False)
        return Runtime(settings)

    rt = runtime(args.db)
    t = time.perf_counter()
    with rt.session() as session:  # the vector index loads on first use (at start in serve)
        from albumen.search import clip
        from albumen.vectors import index as vectors

        vectors.index_for(rt.settings.effective_database_url, clip.MODEL_KEY).refresh(session)
    print(f"vector index load: {time.perf_counter() - t:.1f} s")
    gc.freeze()  # as the API process does once started (api/app.py)
    indexed: dict[str, list[float]] = defaultdict(list)
    first_page: list[tuple[float, str]] = []
    per_query: list[tuple[str, str, float, float, int]] = []
    answers: list[list[Any]] = []
    for kind, source, extras in mix:
        run = runner(rt, args.db, source, extras)
        cold, found = timed(run, 1)
        first_page.append((cold[0], source or kind))
        times, found = timed(run, args.reps)
        indexed[kind] += times
        answers.append(found)
        per_query.append((kind, source or str(extras), pct(times, 50), pct(times, 99),
                          len(found)))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'type':<13} {'query':<48} {'p50 ms':>8} {'p99 ms':>8} {'hits':>5}")
    for kind, source, p50, p99, found in per_query:
        print(f"{kind:<13} {source[:48]:<48} {p50:8.1f} {p99:8.1f} {found:5d}")
    print(f"\n{'type':<13} {'p50':>8} {'p95':>8} {'p99':>8}   (ms, {args.reps} runs each)")
    for kind, times in indexed.items():
        print(f"{kind:<13} {pct(times, 50):8.1f} {pct(times, 95):8.1f} {pct(times, 99):8.1f}")
    worst = max(first_page)
    print(f"\nfirst page, slowest query (first run): {worst[0]:.1f} ms ({worst[1]})")
    print(f"peak memory of this process (engine + vector index): {rss_mb:.0f} MB")
    for source in ("", "camera:iphone after:2020", "person:1"):
        def with_facets(source: str = source) -> list[Any]:
            with rt.session() as session:
                q = language.parse(source, SearchQuery(viewer=VIEWER))
                return list(engine.search(rt, session, q, limit=50,
                                          facets=("people", "places", "years", "cameras")
                                          ).facets)
        times, _ = timed(with_facets, 3)
        print(f"facets (people, places, years, cameras) for {source or 'everything'!r}: "
              f"p50 {pct(times, 50):.0f} ms (not in the mix: asked for with facets=)")
    if args.no_naive:
        return
    from albumen.vectors import index as vec_module

    naive_db = naive_copy(args.db, workdir)
    naive_rt = runtime(naive_db)
    from sqlalchemy import event

    from albumen.db.session import _sqlite_index_hint, engine_for

    # The naive copy has no indexes to name.
    event.remove(engine_for(naive_rt.settings.effective_database_url), "before_cursor_execute",
                 _sqlite_index_hint)
    text_index.matching_ids = naive_text  # type: ignore[assignment]
    vec_module.index_for = lambda url, model: NaiveVectors(model)  # type: ignore[assignment]
    naive: dict[str, list[float]] = defaultdict(list)
    recalls: list[float] = []
    for (kind, source, extras), ours in zip(mix, answers, strict=True):
        if extras.get("buckets"):
            def run() -> list[Any]:
                with naive_rt.session() as session:  # counted from the assets themselves
                    return timeline.buckets(session, VIEWER, query=SearchQuery(
                        viewer=VIEWER, owner_id=VIEWER, moderation="approved",
                        people_mode="any"))
        elif "vector" in extras:
            run = runner(naive_rt, args.db, source, extras)
        else:
            run = naive_runner(naive_rt, source, extras)
        times, exact = timed(run, args.naive_reps)
        naive[kind] += times
        if kind == "semantic":  # the exact scan is the truth for the sign-bit index
            recalls.append(len(set(ours) & set(exact)) / max(1, len(exact)))
        elif ours != exact:
            print(f"DIFFERENT RESULTS from the naive run: {kind} {source}")
    print(f"\n{'type':<13} {'naive p50':>10} {'indexed p50':>12} {'speed-up':>9}")
    for kind in indexed:
        a, b = statistics.median(naive[kind]), statistics.median(indexed[kind])
        print(f"{kind:<13} {a:10.1f} {b:12.1f} {a / b:8.0f}x")
    print(f"semantic recall@50 against the exact scan: "
          f"{', '.join(f'{r:.2f}' for r in recalls)}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
