"""Export with metadata (issue 29): 1,000 photos with their metadata embedded (EXIF, IPTC,
XMP) and an XMP sidecar each, by one process (a worker).

Run: ``.venv/bin/python bench/export.py [--photos 1000] [--size 3000x2000] [--out DIR]``

The library: ``--photos`` distinct JPEGs (a real photo, cropped and shifted per file, with
camera EXIF), imported into a fresh SQLite instance, then given what a curated library has:
title, caption, five keywords, two hierarchical ones, rating, label, GPS, capture time with
its offset and two named people each (face regions). Timed: ``albumen export "" --sidecars
--embed`` through its service function, i.e. reading each original, writing its metadata into
a copy with exiv2, the sidecar, and both files renamed into place. Baseline in the same run:
copying the same originals into a folder with nothing added (what any export costs). Target:
>= 50 photos/s. Printed with a PASS/MISS line (never asserted); written to ``OUT/export.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FACES = ROOT / ".venv" / "test-data" / "faces" / "t1.jpg"
TARGET = 50.0


def _scene(width: int, height: int) -> Image.Image:
    if FACES.exists():
        base = Image.open(FACES).convert("RGB")
    else:
        rng = np.random.default_rng(7)
        base = Image.fromarray((rng.random((900, 1300, 3)) * 255).astype(np.uint8))
    return base.resize((width + 200, height + 200), Image.Resampling.BICUBIC)


def make_library(folder: Path, count: int, width: int, height: int) -> None:
    scene = _scene(width, height)
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2024, 5, 1, 9, 0)
    for i in range(count):
        dx, dy = (i * 7) % 200, (i * 13) % 200
        im = scene.crop((dx, dy, dx + width, dy + height))
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 15 Pro"
        taken = (start + timedelta(minutes=i)).strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9003] = taken
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=88, exif=exif)
        (folder / f"IMG_{i:05d}.jpg").write_bytes(buf.getvalue())


def curate(rt: object, count: int) -> None:
    """What a gold library knows of each photo, written straight into the database."""
    from albumen.db.models import Asset, Face, Person

    with rt.transaction() as session:  # type: ignore[attr-defined]
        people = [Person(owner_id=None, name=n) for n in ("Anna Müller", "Kenji 佐藤", "Rita")]
        session.add_all(people)
        session.flush()
        for i, asset in enumerate(session.query(Asset).order_by(Asset.id)):
            asset.title = f"Day {i // 50} — photo {i}"
            asset.description = "Lake Geneva at dusk, from the terrace of the old harbour"
            asset.keywords = ["lake", "dusk", "harbour", "family", f"day{i // 50}"]
            asset.keyword_paths = ["Places|Switzerland|Geneva", "Events|Holiday 2024"]
            asset.rating, asset.label = 1 + i % 5, "Green"
            asset.latitude, asset.longitude, asset.altitude = 46.2044, 6.1432, 372.0
            asset.taken_at_local = datetime(2024, 5, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=i)
            asset.taken_at_offset_minutes = 120
            asset.width, asset.height, asset.orientation = 3000, 2000, 1
            for k, person in enumerate(people[i % 2: i % 2 + 2]):
                session.add(Face(asset_id=asset.id, owner_id=None, person_id=person.id,
                                 assigned_by="user", box_x=0.2 + 0.4 * k, box_y=0.3,
                                 box_w=0.15, box_h=0.2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--size", default="3000x2000")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    from tests.conftest import make_settings

    from albumen.interchange.export import Options, export
    from albumen.library.importer import import_paths
    from albumen.runtime import Runtime

    work = Path(tempfile.mkdtemp(prefix="albumen-bench-export-"))
    out_dir = args.out or work
    try:
        t0 = time.perf_counter()
        make_library(work / "in", args.photos, width, height)
        rt = Runtime(make_settings(work / "data", f"sqlite:///{work / 'albumen.db'}",
                                   queue_immediate=False))
        rt.migrate()
        report = import_paths(rt, [work / "in"])
        assert report.counts["imported"] == args.photos, report.counts
        curate(rt, args.photos)
        print(f"library: {args.photos} photos of {width}x{height} "
              f"({sum(p.stat().st_size for p in (work / 'in').iterdir()) / 1e6:.0f} MB) "
              f"made in {time.perf_counter() - t0:.0f} s")

        with rt.session() as session:
            from albumen.db.models import Asset

            keys = [k for (k,) in session.query(Asset.storage_key).order_by(Asset.id)]
        plain = work / "plain"
        plain.mkdir()
        t = time.perf_counter()
        for i, key in enumerate(keys):
            with rt.storage.local_path(key) as path:
                shutil.copyfile(path, plain / f"{i}.jpg")
        base_s = time.perf_counter() - t
        shutil.rmtree(plain)

        out = work / "export"
        t = time.perf_counter()
        done = export(rt, None, "", out, Options(sidecars=True, embed=True))
        export_s = time.perf_counter() - t
        assert done.counts["exported"] == args.photos, done.counts
        rate, base_rate = args.photos / export_s, args.photos / base_s
        verdict = "PASS" if rate >= TARGET else "MISS"
        print(f"plain copy (baseline): {base_rate:7.1f} photos/s")
        print(f"export --sidecars --embed: {rate:7.1f} photos/s "
              f"({export_s:.1f} s; {rate / base_rate:.2f} x the plain copy's rate)")
        print(f"{verdict}: {rate:.1f} photos/s >= {TARGET:.0f} a worker")
        result = {"photos": args.photos, "size": [width, height], "export_per_s": rate,
                  "plain_copy_per_s": base_rate, "ratio_to_plain": rate / base_rate,
                  "target_per_s": TARGET, "pass": rate >= TARGET}
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "export.json").write_text(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work / "in", ignore_errors=True)
        shutil.rmtree(work / "export", ignore_errors=True)
        shutil.rmtree(work / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
