"""`similar:ID` without CLIP (search.similar: perceptual hash and shared people) on a library
made by bench/gen_library.py, on SQLite and, with --pg, on PostgreSQL.

    .venv/bin/python bench/gen_library.py --n 10000 --db bench-data/library-10k.db
    .venv/bin/python bench/similar.py --db bench-data/library-10k.db [--pg URL] [--reps 20]

Runs `similar:ID` as the search page does (query language -> engine -> a page of grid cells)
for photos with nobody in them, with a rare person, with the library's most frequent person
and with several people, in a runtime without a CLIP model (so the fallback answers); every
tenth photo gets a near-duplicate hash first, so look-alikes exist to be found. In the same
run the baseline is the near-duplicates lookup of the duplicates API (hash only: every
visible photo's hash read as a row and compared at once); the ratio similar / baseline is
printed. --pg copies the library into a new database on that server first (dropped after).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from albumen.config import Settings  # noqa: E402
from albumen.db.models import Asset, Face  # noqa: E402
from albumen.library.assets import near_duplicates  # noqa: E402
from albumen.runtime import Runtime  # noqa: E402
from albumen.search import engine, language  # noqa: E402
from albumen.search.query import SearchQuery  # noqa: E402
from albumen.search.similar import ALIKE  # noqa: E402

VIEWER = 1


def runtime(url: str, workdir: Path) -> Runtime:
    settings = Settings(_env_file=None, data_dir=workdir / "data",  # type: ignore[call-arg]
                        database_url=url, enrichments="", queue_immediate=True,
                        in_process_workers=False)
    return Runtime(settings)


def plant_look_alikes(rt: Runtime) -> None:
    """Every tenth photo gets a hash 2-10 bits from the one before it (bursts, copies)."""
    rng = np.random.default_rng(3)
    with rt.transaction() as session:
        rows = session.execute(select(Asset.id, Asset.phash).where(Asset.id % 10 == 1)).all()
        for asset_id, phash in rows:
            flipped = int(phash)
            for bit in rng.choice(64, size=int(rng.integers(2, 11)), replace=False):
                flipped ^= 1 << int(bit)
            flipped = (flipped + (1 << 63)) % (1 << 64) - (1 << 63)
            session.execute(update(Asset).where(Asset.id == asset_id + 1)
                            .values(phash=flipped))


def subjects(rt: Runtime) -> list[tuple[str, int]]:
    with rt.session() as session:
        face_count = (select(Face.asset_id, Face.person_id).where(Face.person_id.is_not(None))
                      .subquery())
        by_person = session.execute(text(
            "SELECT person_id, count(*) AS n FROM faces GROUP BY person_id ORDER BY n DESC")
        ).all()
        top, rare = by_person[0][0], by_person[-1][0]

        def photo_of(person: int, alone: bool) -> int:
            photos = select(face_count.c.asset_id).where(face_count.c.person_id == person)
            lonely = (select(Face.asset_id).group_by(Face.asset_id)
                      .having(text("count(*) = 1")))
            query = select(Asset.id).where(Asset.id.in_(photos))
            if alone:
                query = query.where(Asset.id.in_(lonely))
            return int(session.scalar(query.order_by(Asset.id).limit(1)))

        crowd = session.scalar(text("SELECT asset_id FROM faces GROUP BY asset_id "
                                    "HAVING count(DISTINCT person_id) >= 3 LIMIT 1"))
        nobody = session.scalar(select(Asset.id).where(
            ~Asset.id.in_(select(Face.asset_id)), Asset.id % 10 == 1).limit(1))
        return [("nobody in it (a look-alike planted)", int(nobody)),
                ("a rare person", photo_of(rare, alone=False)),
                ("the most frequent person, alone", photo_of(top, alone=True)),
                ("three or more people", int(crowd))]


def fallback(rt: Runtime, asset_id: int) -> Callable[[], list[int]]:
    def run() -> list[int]:
        with rt.session() as session:
            q = language.parse(f"similar:{asset_id}", SearchQuery(viewer=VIEWER))
            results = engine.search(rt, session, q, limit=120, view="grid")
            assert results.ranked_by == "appearance", results.ranked_by
            return [hit.asset.id for hit in results.items]
    return run


def baseline(rt: Runtime, asset_id: int) -> Callable[[], list[int]]:
    """The near-duplicates lookup the duplicates API uses (services.assets.near_duplicates):
    every visible photo's hash read as a row and compared at once, hash only, no people."""
    def run() -> list[int]:
        with rt.session() as session:
            found = near_duplicates(session, asset_id, ALIKE, VIEWER)
            return [a.id for a, _ in found]
    return run


def timed(fn: Callable[[], list[int]], reps: int) -> tuple[float, int]:
    fn()  # warm: plans, caches
    times = []
    found: list[int] = []
    for _ in range(reps):
        t = time.perf_counter()
        found = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(found)


def report(name: str, rt: Runtime, reps: int) -> None:
    with rt.session() as session:
        total = session.scalar(select(Asset.id).order_by(Asset.id.desc()).limit(1))
    print(f"\n{name}: {total:,} assets")
    print(f"{'photo':<40} {'similar p50 ms':>15} {'hits':>5} {'baseline ms':>12} "
          f"{'ratio':>6}")
    for label, asset_id in subjects(rt):
        ms, hits = timed(fallback(rt, asset_id), reps)
        base, _ = timed(baseline(rt, asset_id), reps)
        print(f"{label:<40} {ms:15.1f} {hits:5d} {base:12.1f} {ms / base:6.2f}")


def copy_to_postgres(source: str, admin_url: str) -> str:
    from albumen.db.migrate import upgrade
    from albumen.db.session import engine_for
    from albumen.operations import dbcopy

    name = f"albumen_bench_similar_{int(time.time())}"
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    src_plan, dst_plan = dbcopy.plan("sqlite"), dbcopy.plan("postgresql")
    with engine_for(source).connect() as src, engine_for(url).begin() as dst:
        for table in src_plan.tables:
            dbcopy.copy_table(src, dst, src_plan, dst_plan, table.name)
        dbcopy.fix_deferred(src, dst, dst_plan)
        dbcopy.finish(dst, dst_plan)
    with engine_for(url).begin() as conn:
        conn.execute(text("ANALYZE"))
    return url


def drop(admin_url: str, url: str) -> None:
    from albumen.db.session import _ENGINES

    engine: Any = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
    name = make_url(url).database
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "library-10k.db")
    parser.add_argument("--pg", help="a PostgreSQL server URL to copy the library into")
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="albumen-bench-"))
    sqlite_url = f"sqlite:///{args.db}"
    rt = runtime(sqlite_url, workdir)
    plant_look_alikes(rt)
    report("SQLite", rt, args.reps)
    if args.pg:
        url = copy_to_postgres(sqlite_url, args.pg)
        try:
            report("PostgreSQL", runtime(url, workdir), args.reps)
        finally:
            drop(args.pg, url)


if __name__ == "__main__":
    main()
