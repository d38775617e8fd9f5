"""Recommendations (issue 30): ranking quality on a generated engagement log, and the latency of
a request at 1M assets and 100k users.

Run: ``.venv/bin/python bench/recommend.py [--users 5000] [--assets 20000] [--seed 1]
[--latency-library bench-data/library.db] [--out DIR]``

(a) quality   A generated log, documented in ``generate``: events with a cast of people
              (people's popularity Zipf-skewed), photos of 0-3 of the cast each with a
              lognormal appeal (popularity skew), users who belong to 1-5 events, are one of
              their casts and have 2-4 friends in them, each doing a lognormal number of
              views / likes / downloads / comments over 8 weeks at their own time of day,
              drawn by appeal x 8 when they are in the photo, x 3 when a friend is.
              Trained on weeks 1-7 with albumen's own ``fit`` (ALS) and ranked with its own
              ``blend_scores`` (popularity, the model, the people the user engaged with),
              evaluated on week 8: precision@10 and recall@10 over users active in both, for
              albumen's ranking and for the popularity baseline (most engaged-with photos of
              the user's events) in the same run; both only rank photos the user may see and
              has not engaged with. Target: >= 1.5x the baseline.
(b) latency   ``recommend()`` itself (scoring, the visibility check in SQL, explanations)
              against a library of 1M assets (``bench/gen_library.py``'s SQLite database,
              given with ``--latency-library``; skipped without one) and a model of 100k
              users x 1M assets (random factors of the real shape). p50/p99 of 200 requests
              from random users; baseline in the same run: the visibility query alone for
              the same number of candidates. Target: p99 < 50 ms.

Printed with PASS/MISS lines (never asserted); written to ``OUT/recommend.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from albumen.discovery.model import Model, fit  # noqa: E402
from albumen.discovery.scoring import blend_scores, people_lift, people_scores  # noqa: E402
from albumen.discovery.signals import WEIGHTS, Interactions  # noqa: E402

QUALITY_TARGET = 1.5
LATENCY_TARGET_MS = 50.0
WEEKS = 8
# How much more likely a user engages with a photo they are in, or one of their friends is in
# (people look for themselves and their own first), than with another of their events' photos.
SELF_BOOST, FRIEND_BOOST = 8.0, 3.0
KINDS = (("view", 0.70), ("reaction", 0.20), ("download", 0.07), ("comment", 0.03))


@dataclass
class Log:
    users: int
    assets: int
    asset_event: np.ndarray  # event of each asset
    asset_people: list[set[int]]  # who is in each asset
    appeal: np.ndarray  # each asset's appeal (the truth the popularity estimates)
    circles: list[tuple[int, set[int]]]  # each user's person and friends
    user_events: list[np.ndarray]  # the events each user belongs to
    rows: np.ndarray  # user of each interaction
    cols: np.ndarray  # asset of each interaction
    weights: np.ndarray
    week: np.ndarray  # 0..WEEKS-1
    hour: np.ndarray


def generate(users: int, assets: int, seed: int) -> Log:
    rng = np.random.default_rng(seed)
    events = max(10, assets // 100)
    people = max(50, events * 3)
    person_pop = 1.0 / np.arange(1, people + 1) ** 1.1
    person_pop /= person_pop.sum()
    casts = [rng.choice(people, size=15, replace=False, p=person_pop) for _ in range(events)]
    event_size = 1.0 / np.arange(1, events + 1) ** 0.8
    asset_event = rng.choice(events, size=assets, p=event_size / event_size.sum())
    asset_people = [set(rng.choice(casts[e], size=rng.integers(0, 4), replace=False).tolist())
                    for e in asset_event]
    appeal = rng.lognormal(0.0, 0.8, size=assets)
    by_event: list[np.ndarray] = [np.flatnonzero(asset_event == e) for e in range(events)]
    rows, cols, weights, weeks, hours = [], [], [], [], []
    user_events = []
    circles: list[tuple[int, set[int]]] = []
    kinds, kind_p = zip(*KINDS, strict=True)
    for u in range(users):
        member = rng.choice(events, size=int(rng.integers(1, 6)), replace=False,
                            p=event_size / event_size.sum())
        user_events.append(member)
        cast = np.concatenate([casts[e] for e in member])
        me = int(rng.choice(cast))  # the user is someone in the photos of their events
        friends = set(rng.choice(cast, size=min(len(cast), int(rng.integers(2, 5))),
                                 replace=False).tolist()) - {me}
        circles.append((me, friends))
        pool = np.concatenate([by_event[e] for e in member])
        if not len(pool):
            continue
        boost = np.array([SELF_BOOST if me in asset_people[a] else
                          FRIEND_BOOST if asset_people[a] & friends else 1.0 for a in pool])
        p = appeal[pool] * boost
        p /= p.sum()
        n = int(min(len(pool), max(3, rng.lognormal(3.0, 0.8))))
        picks = rng.choice(pool, size=n, p=p)
        peak = rng.normal(20, 3)
        for a in picks:
            kind = kinds[rng.choice(len(kinds), p=kind_p)]
            rows.append(u)
            cols.append(int(a))
            weights.append(WEIGHTS[kind])
            weeks.append(int(rng.integers(0, WEEKS)))
            hours.append(int(rng.normal(peak, 2)) % 24)
    return Log(users, assets, asset_event, asset_people, appeal, circles, user_events,
               np.array(rows),
               np.array(cols),
               np.array(weights, dtype=np.float32), np.array(weeks), np.array(hours))


def _matrix(log: Log, mask: np.ndarray) -> sparse.csr_matrix:
    m = sparse.csr_matrix((log.weights[mask], (log.rows[mask], log.cols[mask])),
                          shape=(log.users, log.assets))
    m.sum_duplicates()
    return m


def ranking_scores(model: Model, u: int, candidates: np.ndarray, train: sparse.csr_matrix,
                   log: Log, visible: np.ndarray, popularity: np.ndarray) -> np.ndarray:
    """albumen's score of each candidate for user ``u`` (discovery/recommend.py's blend)."""
    observed = Counter(p for a in train[u].indices for p in log.asset_people[a])
    in_pool = Counter(p for a in visible for p in log.asset_people[a])
    lift = people_lift(observed, train[u].nnz, {p: n / len(visible) for p, n in in_pool.items()})
    people = people_scores(lift, [log.asset_people[a] for a in candidates])
    preference = model.scores(model.actor_row(f"u{u:07d}"))[candidates]
    return blend_scores(np.log1p(popularity[candidates]), preference, people)


def quality(users: int, assets: int, seed: int) -> dict[str, float]:
    log = generate(users, assets, seed)
    train_mask = log.week < WEEKS - 1
    train, test = _matrix(log, train_mask), _matrix(log, ~train_mask)
    t = time.perf_counter()
    data = Interactions([f"u{i:07d}" for i in range(users)], np.arange(assets), train)
    model = fit(data)
    fit_s = time.perf_counter() - t
    popularity = np.asarray((train > 0).sum(axis=0)).ravel().astype(np.float64)
    visible_of_event = [np.flatnonzero(log.asset_event == e) for e in
                        range(int(log.asset_event.max()) + 1)]
    ours = {"p": [], "r": []}
    base = {"p": [], "r": []}
    for u in range(users):
        truth = set(test[u].indices.tolist()) - set(train[u].indices.tolist())
        if not truth or train[u].nnz == 0:
            continue
        visible = np.concatenate([visible_of_event[e] for e in log.user_events[u]])
        seen = set(train[u].indices.tolist())
        candidates = np.array([a for a in visible if a not in seen])
        if not len(candidates):
            continue
        scores = ranking_scores(model, u, candidates, train, log, visible, popularity)
        for ranking, out in ((candidates[np.argsort(-scores, kind="stable")][:10], ours),
                             (candidates[np.argsort(-popularity[candidates],
                                                    kind="stable")][:10], base)):
            hits = len(set(ranking.tolist()) & truth)
            out["p"].append(hits / 10)
            out["r"].append(hits / len(truth))
    result = {
        "users_evaluated": len(ours["p"]), "interactions": len(log.rows),
        "fit_seconds": fit_s,
        "precision_at_10": float(np.mean(ours["p"])), "recall_at_10": float(np.mean(ours["r"])),
        "baseline_precision_at_10": float(np.mean(base["p"])),
        "baseline_recall_at_10": float(np.mean(base["r"])),
    }
    result["precision_ratio"] = result["precision_at_10"] / max(
        result["baseline_precision_at_10"], 1e-9)
    result["recall_ratio"] = result["recall_at_10"] / max(result["baseline_recall_at_10"], 1e-9)
    return result


def latency(library: Path, users: int = 100_000, requests: int = 200) -> dict[str, float]:
    from sqlalchemy import select
    from tests.conftest import make_settings

    from albumen.db.models import Asset
    from albumen.discovery import model as learned
    from albumen.discovery.recommend import Viewer, _visible, recommend
    from albumen.runtime import Runtime

    rt = Runtime(make_settings(library.parent / "bench-recommend-data", f"sqlite:///{library}",
                               queue_immediate=False))
    with rt.session() as session:
        ids = np.array(sorted(session.scalars(select(Asset.id))), dtype=np.int64)
        owner = session.scalar(select(Asset.owner_id).limit(1))
    rng = np.random.default_rng(3)
    factors = learned.FACTORS
    # 30 interactions a user on random photos (sparse.random would draw among 10^11 cells).
    per_user = 30
    seen = sparse.csr_matrix(
        (np.ones(users * per_user, dtype=np.float32),
         (np.repeat(np.arange(users), per_user), rng.integers(0, len(ids), users * per_user))),
        shape=(users, len(ids)))
    seen.sum_duplicates()
    model = Model(np.array([f"u{i:07d}" for i in range(users)]), ids,
                  rng.normal(size=(users, factors)).astype(np.float32) / 7,
                  rng.normal(size=(len(ids), factors)).astype(np.float32) / 7,
                  np.log1p(np.asarray((seen > 0).sum(axis=0)).ravel()).astype(np.float32),
                  seen, learned.utcnow())
    times, base = [], []
    viewer = Viewer.user(owner)
    with rt.session() as session:
        for i in range(requests):
            key = f"u{int(rng.integers(0, users)):07d}"
            t = time.perf_counter()
            out = recommend(rt, session, viewer, 20, model=model, actor=key)
            times.append((time.perf_counter() - t) * 1000)
            assert len(out) == 20, len(out)
            sample = [int(x) for x in rng.choice(ids, 400)]
            t = time.perf_counter()
            _visible(session, viewer, sample)
            base.append((time.perf_counter() - t) * 1000)
            if i == 0:
                print(f"  e.g. {out[0].asset_id}: {out[0].reason} ({out[0].source})")
    times.sort()
    return {"assets": len(ids), "users": users, "requests": requests,
            "p50_ms": statistics.median(times), "p99_ms": times[int(0.99 * len(times)) - 1],
            "visibility_query_p50_ms": statistics.median(base)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--assets", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-library", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("."))
    args = parser.parse_args()
    result: dict[str, object] = {}
    q = quality(args.users, args.assets, args.seed)
    result["quality"] = q
    print(f"log: {q['interactions']:,} interactions of {args.users:,} users on "
          f"{args.assets:,} photos; ALS fit {q['fit_seconds']:.1f} s; "
          f"{q['users_evaluated']:,} users evaluated on the held-out week")
    print(f"popularity (baseline): precision@10 {q['baseline_precision_at_10']:.4f}, "
          f"recall@10 {q['baseline_recall_at_10']:.4f}")
    print(f"albumen:               precision@10 {q['precision_at_10']:.4f}, "
          f"recall@10 {q['recall_at_10']:.4f}")
    verdict = "PASS" if q["precision_ratio"] >= QUALITY_TARGET else "MISS"
    print(f"{verdict}: precision@10 {q['precision_ratio']:.2f}x the baseline, recall@10 "
          f"{q['recall_ratio']:.2f}x (target >= {QUALITY_TARGET}x)")
    if args.latency_library is not None and args.latency_library.exists():
        lat = latency(args.latency_library)
        result["latency"] = lat
        verdict = "PASS" if lat["p99_ms"] < LATENCY_TARGET_MS else "MISS"
        print(f"request at {lat['assets']:,} assets, {lat['users']:,} users: p50 "
              f"{lat['p50_ms']:.1f} ms, p99 {lat['p99_ms']:.1f} ms (visibility query alone "
              f"p50 {lat['visibility_query_p50_ms']:.1f} ms)")
        print(f"{verdict}: p99 {lat['p99_ms']:.1f} ms < {LATENCY_TARGET_MS:.0f} ms")
    else:
        print("latency: skipped (no --latency-library; make one with bench/gen_library.py)")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "recommend.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
