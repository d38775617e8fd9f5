"""Analytics at event scale: one event with 100k photos and 5M activity rows (SQLite).

    .venv/bin/python bench/analytics.py            # builds bench-data/analytics.db once
    .venv/bin/python bench/analytics.py --regen    # builds it again

Prints, each against a baseline measured in the same run:
- dashboard queries p50/p95 (targets: p95 < 200 ms), and the same figures computed from the
  raw activity log as the naive baseline (the ratio is the rollups' speed-up);
- the event report (PDF) end to end (target < 60 s);
- the cost of tracking on a request: a preview (tracked as a view) and a thumbnail (the grid's
  request; not tracked), tracking on vs off, interleaved (target: < 5 % overhead).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from albumen.db import search_ddl  # noqa: E402
from albumen.db.migrate import upgrade  # noqa: E402

ASSETS, ACTIVITY, GUESTS, LINKS = 100_000, 5_000_000, 3000, 6
CHUNK = 250_000
KINDS = [("view_asset", 0.78), ("view_gallery", 0.08), ("upload", 0.02), ("download", 0.035),
         ("download_zip", 0.005), ("reaction", 0.04), ("comment", 0.004),
         ("view_slideshow", 0.001), ("search", 0.035)]


def stamp(t: np.ndarray) -> list[str]:
    return [str(x).replace("T", " ") for x in t.astype("datetime64[us]")]


def generate(db_path: Path, data: Path, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    url = f"sqlite:///{db_path}"
    upgrade(url)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    for trigger in search_ddl.SQLITE_TRIGGERS:
        db.execute(f"DROP TRIGGER {trigger}")
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    begin = now - timedelta(days=3)
    db.execute("BEGIN")
    db.execute("INSERT INTO users (id, username, is_admin, is_active, created_at) VALUES "
               "(1, 'host', 1, 1, ?)", (str(now),))
    db.execute("INSERT INTO events (id, owner_id, title, timezone, review_required, "
               "selfie_search, guest_comments, created_at, updated_at, starts_at) "
               "VALUES (1, 1, 'Festival', 'Europe/Lisbon', 1, 1, 1, ?, ?, ?)",
               (str(now), str(now), str(begin)))
    db.execute("INSERT INTO event_members (event_id, user_id, role, added_at) "
               "VALUES (1, 1, 'owner', ?)", (str(now),))
    db.executemany("INSERT INTO share_links (id, token_hash, event_id, created_by, label, "
                   "can_view, can_upload, can_download, strip_location, upload_count, "
                   "created_at) VALUES (?, ?, 1, 1, ?, 1, 1, 0, 0, 0, ?)",
                   [(i, f"{i:064x}", f"link {i}", str(now)) for i in range(1, LINKS + 1)])
    names = ("Maria", "João", "Inês", "Pedro", "Rita", "Tomás", "Ana", "Rui", "Sofia", "Hugo")
    db.executemany("INSERT INTO guests (id, link_id, token_hash, name, upload_count, created_at)"
                   " VALUES (?, ?, ?, ?, 0, ?)",
                   [(g, 1 + g % LINKS, f"g{g:063x}", f"{names[g % 10]} {g}", str(now))
                    for g in range(1, GUESTS + 1)])
    db.execute("COMMIT")

    # Photo times: three evenings, busiest around 22:00 local time.
    def times(n: int) -> np.ndarray:
        day = rng.integers(0, 3, n)
        hour = np.clip(rng.normal(21.0, 2.5, n), 0, 23.99)
        seconds = (day * 86400 + hour * 3600).astype("int64")
        return np.datetime64(begin, "s") + seconds.astype("timedelta64[s]")

    created = times(ASSETS)
    guest = np.where(rng.random(ASSETS) < 0.7,
                     (rng.zipf(1.4, ASSETS) % GUESTS) + 1, 0)
    moderation = rng.choice(["approved", "pending", "rejected"], ASSETS, p=[0.9, 0.07, 0.03])
    phash = rng.integers(-(2**63), 2**63 - 1, ASSETS, dtype=np.int64)
    sharp = rng.gamma(3.0, 60.0, ASSETS)
    cs = stamp(created)
    # Guest uploads a moderator approved or rejected: minutes to hours after the upload (a
    # stream of its own, so the rest of the data stays what it was).
    waits = np.random.default_rng(seed + 1).lognormal(np.log(1200), 1.2, ASSETS)
    decided = stamp(created + waits.astype("int64").astype("timedelta64[s]"))
    rows = []
    for i in range(ASSETS):
        g = int(guest[i]) or None
        moderated = decided[i] if g and moderation[i] != "pending" else None
        screening = json.dumps({"sharpness": float(sharp[i]), "flags": [
            {"flag": "blurry", "reason": "blurry"}] if sharp[i] < 60 else []})
        rows.append((i + 1, f"{i:064x}", "u1", 2_500_000, "image", "image/jpeg", "jpeg",
                     "bench/original.jpg", f"IMG_{i:06d}.jpg", 1, 1, g,
                     None if g else 1, 1 + (g or 0) % LINKS if g else None,
                     str(moderation[i]), moderated, cs[i], cs[i], "ready", cs[i], cs[i], cs[i],
                     cs[i], 4000, 3000, int(phash[i]), screening, 0))
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO assets (id, sha256, scope, size, media_type, mime_type, format, "
        "storage_key, original_filename, owner_id, event_id, guest_id, uploaded_by_id, link_id,"
        " moderation, moderated_at, created_at, updated_at, state, taken_at, sort_at, "
        "taken_at_local, local_at, width, height, phash, screening, favorite) VALUES ("
        + ", ".join("?" * 28) + ")", rows)
    db.executemany("INSERT INTO derivatives (asset_id, kind, storage_key, mime_type, width, "
                   "height, size, etag, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(i, kind, f"bench/{kind}", mime, w, h, 1, kind, str(now))
                    for i in range(1, ASSETS + 1)
                    for kind, mime, w, h in (("thumbnail", "image/webp", 250, 188),
                                             ("preview", "image/jpeg", 1440, 1080))])
    db.execute("COMMIT")
    _derivative_files(data)

    # 5M actions: mostly views of popular photos, by guests, in the evenings.
    kinds = [k for k, _ in KINDS]
    weights = np.array([w for _, w in KINDS])
    t = time.perf_counter()
    for start in range(0, ACTIVITY, CHUNK):
        n = min(CHUNK, ACTIVITY - start)
        at = stamp(times(n) + rng.integers(0, 3600, n).astype("timedelta64[s]"))
        kind = rng.choice(len(kinds), n, p=weights / weights.sum())
        asset = (rng.zipf(1.25, n) % ASSETS) + 1
        who = (rng.zipf(1.3, n) % GUESTS) + 1
        member = rng.random(n) < 0.05
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO activity (at, kind, user_id, guest_id, event_id, link_id, asset_id, ip)"
            " VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
            [(at[i], kinds[kind[i]], 1 if member[i] else None,
              None if member[i] else int(who[i]), 1 + int(who[i]) % LINKS,
              int(asset[i]) if kinds[kind[i]] in ("view_asset", "download", "reaction",
                                                  "comment") else None,
              f"10.{who[i] % 250}.{who[i] // 250 % 250}.{who[i] % 7}") for i in range(n)])
        db.execute("COMMIT")
        print(f"\ractivity {start + n:,}/{ACTIVITY:,}", end="", flush=True)
    # One link's address going wild for an hour: 900 uploads.
    spike = begin + timedelta(days=1, hours=15)
    db.execute("BEGIN")
    db.executemany("INSERT INTO activity (at, kind, guest_id, event_id, link_id, ip) "
                   "VALUES (?, 'upload', 7, 1, 2, '203.0.113.99')",
                   [(str(spike + timedelta(seconds=4 * i)),) for i in range(900)])
    db.execute("COMMIT")
    print(f"\nactivity rows written in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    db.execute("BEGIN")
    q = "CAST(strftime('%s', at) AS INTEGER)"
    db.execute(f"INSERT INTO activity_counts SELECT event_id, kind, {q} / 900, count(*) "
               "FROM activity GROUP BY 1, 2, 3")
    for src, col in (("'l:' || link_id", "link_id"), ("'i:' || ip", "ip")):
        db.execute(f"INSERT INTO activity_sources SELECT event_id, kind, {q} / 3600, {src}, "
                   f"count(*) FROM activity WHERE kind IN ('upload', 'view_asset') AND "
                   f"{col} IS NOT NULL GROUP BY 1, 2, 3, 4")
    db.execute("INSERT OR IGNORE INTO activity_actors SELECT DISTINCT event_id, CASE WHEN kind "
               "IN ('view_asset', 'view_gallery', 'view_slideshow') THEN 'view' WHEN kind = "
               "'upload' THEN 'upload' ELSE 'other' END, CASE WHEN user_id IS NOT NULL THEN "
               "'u:' || user_id WHEN guest_id IS NOT NULL THEN 'g:' || guest_id ELSE '-' END "
               "FROM activity")
    db.execute("INSERT INTO asset_engagement (asset_id, event_id, views, downloads) "
               "SELECT asset_id, 1, sum(kind = 'view_asset'), sum(kind = 'download') FROM "
               "activity WHERE asset_id IS NOT NULL AND kind IN "
               "('view_asset', 'download') GROUP BY asset_id")
    db.execute("COMMIT")
    print(f"rollups built in {time.perf_counter() - t:.0f} s")
    db.execute("BEGIN")
    pairs = {(int(a), int(g), k) for a, g, k in zip(
        (rng.zipf(1.25, 260_000) % ASSETS) + 1, rng.integers(1, GUESTS + 1, 260_000),
        rng.integers(0, 4, 260_000), strict=True)}
    reactions = ("like", "love", "laugh", "wow")
    db.executemany("INSERT INTO reactions (asset_id, actor, guest_id, kind, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [(a, f"g:{g}", g, reactions[k], str(now)) for a, g, k in sorted(pairs)])
    texts = ("Amazing night!", "love this", "so blurry haha", "best moment", "terrible light",
             "what a show", "great photo", "meh")
    db.executemany("INSERT INTO comments (asset_id, guest_id, author, text, sentiment, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [(int(rng.integers(1, ASSETS + 1)), int(rng.integers(1, GUESTS + 1)),
                     "guest", texts[i % 8], float(rng.uniform(-1, 1)), str(now))
                    for i in range(20_000)])
    # what events/comments.py counts as reactions and comments are made
    db.execute("INSERT OR IGNORE INTO asset_engagement (asset_id, event_id, views, downloads) "
               "SELECT asset_id, 1, 0, 0 FROM reactions UNION SELECT asset_id, 1, 0, 0 "
               "FROM comments")
    db.execute("UPDATE asset_engagement SET likes = (SELECT count(*) FROM reactions r WHERE "
               "r.asset_id = asset_engagement.asset_id), comments = (SELECT count(*) FROM "
               "comments c WHERE c.asset_id = asset_engagement.asset_id)")
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        search_ddl.install_asset_triggers(conn)  # the triggers again; their counts redone
        search_ddl.recount_source_histogram(conn)  # what the activity writer would keep
    engine.dispose()  # the last connection closed: its WAL is in the file before the rename
    size = sum(os.path.getsize(f"{db_path}{s}") for s in ("", "-wal")
               if os.path.exists(f"{db_path}{s}"))
    print(f"built in {time.perf_counter() - started:.0f} s; database {size / 2**20:.0f} MiB")


def _derivative_files(data: Path) -> None:
    """One real preview and thumbnail that every photo's derivative rows point at."""
    from PIL import Image

    storage = data / "storage" / "bench"
    storage.mkdir(parents=True, exist_ok=True)
    yy, xx = np.mgrid[0:1080, 0:1440]
    image = Image.fromarray(np.stack([(xx * 255 // 1440), (yy * 255 // 1080),
                                      ((xx + yy) % 256)], -1).astype("uint8"))
    image.save(storage / "preview", "JPEG", quality=85)
    image.resize((250, 188)).save(storage / "thumbnail", "WEBP", quality=80)
    image.save(storage / "original.jpg", "JPEG", quality=90)


def timed(fn, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "analytics.db")
    parser.add_argument("--regen", action="store_true")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    data = args.db.parent / "analytics-data"
    if args.regen or not args.db.exists():
        partial = args.db.with_suffix(".partial")
        generate(partial, data)  # renamed when complete: a broken run leaves no half DB
        partial.rename(args.db)
    os.environ.update({"ALBUMEN_DATA_DIR": str(data), "ALBUMEN_ENRICHMENTS": "",
                       "ALBUMEN_DATABASE_URL": f"sqlite:///{args.db}",
                       "ALBUMEN_QUEUE_IMMEDIATE": "true", "ALBUMEN_IN_PROCESS_WORKERS": "false"})
    from albumen.config import get_settings
    from albumen.insights import analytics, charts, highlights
    from albumen.runtime import Runtime

    rt = Runtime(get_settings())
    print(f"\n{'query':<28}{'p50 ms':>9}{'p95 ms':>9}   naive p50 ms   ratio")
    with rt.session() as s:
        s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM activity")).scalar()
        cases = {
            "dashboard (everything)": lambda: analytics.event_dashboard(s, 1, 1),
            "uploads per hour": lambda: analytics.series(s, 1, 1, "uploads", "hour"),
            "views per day": lambda: analytics.series(s, 1, 1, "views", "day"),
            "anomalies": lambda: analytics.anomalies(s, 1, 1),
            "top contributors": lambda: analytics.top_contributors(s, 1),
            "moderation panel": lambda: analytics._moderation(s, 1, {}),
            "highlights (12)": lambda: highlights.highlights(s, 1, 1, 12),
            "chart (uploads, PNG)": lambda: charts.render(charts.over_time(
                analytics.series(s, 1, 1, "uploads", "hour"), "Uploads"), "png"),
        }
        naive = {
            "dashboard (everything)": "SELECT kind, CAST(strftime('%s', at) AS INTEGER) / 900, "
            "count(*) FROM activity WHERE event_id = 1 GROUP BY 1, 2",
            "views per day": "SELECT CAST(strftime('%s', at) AS INTEGER) / 900, count(*) FROM "
            "activity WHERE event_id = 1 AND kind = 'view_asset' GROUP BY 1",
            "anomalies": "SELECT ip, CAST(strftime('%s', at) AS INTEGER) / 3600, count(*) FROM "
            "activity WHERE event_id = 1 AND kind IN ('upload', 'view_asset') GROUP BY 1, 2",
        }
        raw = sqlite3.connect(args.db)
        worst = 0.0
        for name, fn in cases.items():
            fn()  # warm
            ms = timed(fn, args.reps)
            if name != "dashboard (everything)":  # one call that runs every panel's query
                worst = max(worst, pct(ms, 0.95))
            base = ""
            if name in naive:
                b = timed(lambda q=naive[name]: raw.execute(q).fetchall(), 3)
                b50 = statistics.median(b)
                base = f"{b50:>12.0f}   {b50 / pct(ms, 0.5):>5.0f}x"
            print(f"{name:<28}{pct(ms, 0.5):>9.1f}{pct(ms, 0.95):>9.1f}   {base}")
        print(f"worst panel p95: {worst:.0f} ms (target < 200 ms) — "
              f"{'MET' if worst < 200 else 'MISSED'}")
    _report(rt)
    _tracking(rt, args.requests)


def _report(rt) -> None:
    from sqlalchemy import text

    from albumen.insights import reports

    with rt.transaction() as s:
        s.execute(text("DELETE FROM reports"))
    t = time.perf_counter()
    report_id = reports.request_report(rt, 1, "event", {"event_id": 1})
    seconds = time.perf_counter() - t
    with rt.session() as s:
        r = reports.get_report(s, 1, report_id)
        print(f"\nevent report: {r.state}, {r.pages} pages, {r.size / 1024:.0f} KiB in "
              f"{seconds:.1f} s (target < 60 s) — {'MET' if seconds < 60 else 'MISSED'}")


def _tracking(rt, n: int) -> None:
    from fastapi.testclient import TestClient

    from albumen.accounts import auth
    from albumen.accounts.audit import Actor
    from albumen.api.app import create_app
    from albumen.db.models import User
    from albumen.insights import activity

    with rt.session() as s:
        user = s.get(User, 1)
        s.expunge(user)
    token = auth.start_session(rt, user, "api", Actor(1)).access_token
    with TestClient(create_app(rt, start_workers=False)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        results = {}
        for kind in ("preview", "thumbnail"):
            on, off = [], []
            for i in range(n):  # on and off alternate request by request: same noise for both
                rt.settings.tracking = i % 2 == 0
                url = f"/api/v1/assets/{1 + i % 50}/{kind}"
                (on if rt.settings.tracking else off).extend(timed(lambda u=url: client.get(u),
                                                                   1))
            rt.settings.tracking = True
            results[kind] = (statistics.median(on), statistics.median(off))
        activity.tracker(rt).flush()
    print("\ntracking cost per request (median; on and off alternate request by request):")
    for kind, (on, off) in results.items():
        over = (on / off - 1) * 100
        print(f"  {kind:<10} on {on:.2f} ms, off {off:.2f} ms: {over:+.1f} % "
              f"(target < 5 %) — {'MET' if over < 5 else 'MISSED'}")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
