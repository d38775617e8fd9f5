"""The image service against sharp and pyvips, and under many cold requests (issue 27).

Run: ``.venv/bin/python bench/images.py [--repeat 15] [--photos 200] [--clients 50]
[--megapixels 12] [--only engines|serve] [--out DIR]``

(a) engines  one generated 12 MP JPEG (4000 x 3000) made into an 800 px wide WebP at quality
             82, ``--repeat`` times each: albumen's engine (images/transform.py: DCT-scaled
             libjpeg-turbo decode, OpenCV area resize, Pillow/libwebp encode), sharp (Node,
             libvips; `npm install sharp` in a temporary folder) and pyvips (`pyvips-binary`,
             pip-installed into a temporary folder), all in this run; the medians, the ratios,
             and each output's size. Also JPEG and AVIF by albumen's engine. Targets: albumen
             <= 1.2 x sharp and <= 1.2 x pyvips.
(b) serve    ``albumen serve`` with ``--photos`` uploaded photos of ``--megapixels``: every
             photo's 800 px WebP asked for once by ``--clients`` concurrent clients (cold),
             then again (cache hits, one client); errors, cold latency p50/p99, hit p99, and
             the server's peak memory (RSS of its process tree, sampled). Targets: hit p99 <
             5 ms, no error, memory < 1 GB.

Printed with PASS/MISS lines (never asserted); written to ``OUT/images.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload_load import Server, distinct, free_port, login, pct, photo, tree

TARGET_RATIO = 1.2
TARGET_HIT_P99_MS = 5.0
TARGET_RSS_MB = 1024
WIDTH, QUALITY = 800, 82


def _albumen(path: Path, fmt: str, repeat: int) -> tuple[float, int]:
    from albumen.images import transform
    from albumen.images.options import Options

    source = transform.Source(path, 4000, 3000)
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(transform.render(source, Options(width=WIDTH), fmt, QUALITY, 300_000_000))
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, size


SHARP = """
const sharp = require('sharp'); const fs = require('fs');
sharp.concurrency(1); sharp.cache(false);
const input = fs.readFileSync(process.argv[2]); const repeat = +process.argv[3];
(async () => { const times = []; let size = 0;
  for (let i = 0; i < repeat; i++) { const t = process.hrtime.bigint();
    const out = await sharp(input).resize(WIDTH).webp({quality: QUALITY}).toBuffer();
    times.push(Number(process.hrtime.bigint() - t) / 1e6); size = out.length; }
  times.sort((a, b) => a - b); console.log(JSON.stringify({ms: times[times.length >> 1], size}));
})();
""".replace("WIDTH", str(WIDTH)).replace("QUALITY", str(QUALITY))

PYVIPS = """
import json, statistics, sys, time
import pyvips
path, repeat = sys.argv[1], int(sys.argv[2])
pyvips.cache_set_max(0)
times, size = [], 0
for _ in range(repeat):
    t = time.perf_counter()
    out = pyvips.Image.thumbnail(path, WIDTH).webpsave_buffer(Q=QUALITY)
    times.append(time.perf_counter() - t); size = len(out)
print(json.dumps({"ms": statistics.median(times) * 1000, "size": size}))
""".replace("WIDTH", str(WIDTH)).replace("QUALITY", str(QUALITY))


def _sharp(path: Path, repeat: int, work: Path) -> dict[str, Any] | None:
    folder = work / "sharp"
    folder.mkdir()
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "sharp"], cwd=folder,
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"sharp not installed: {done.stderr[-300:]}")
        return None
    (folder / "bench.js").write_text(SHARP)
    env = {**os.environ, "VIPS_CONCURRENCY": "1"}
    out = subprocess.run(["node", "bench.js", str(path), str(repeat)], cwd=folder, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _pyvips(path: Path, repeat: int, work: Path) -> dict[str, Any] | None:
    target = work / "pyvips"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target",
                           str(target), "pyvips-binary", "pyvips"], capture_output=True,
                          text=True)
    if done.returncode != 0:
        print(f"pyvips not installed: {done.stderr[-300:]}")
        return None
    env = {**os.environ, "PYTHONPATH": str(target), "VIPS_CONCURRENCY": "1"}
    out = subprocess.run([sys.executable, "-c", PYVIPS, str(path), str(repeat)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def engines(repeat: int, work: Path) -> dict[str, Any]:
    path = work / "photo.jpg"
    path.write_bytes(photo(7, (4000, 3000)))
    ours, our_size = _albumen(path, "webp", repeat)
    found: dict[str, Any] = {"albumen_webp_ms": round(ours, 1), "albumen_webp_bytes": our_size}
    for fmt in ("jpeg", "avif"):
        ms, size = _albumen(path, fmt, max(3, repeat // 3))
        found[f"albumen_{fmt}_ms"], found[f"albumen_{fmt}_bytes"] = round(ms, 1), size
    for name, run in (("sharp", _sharp), ("pyvips", _pyvips)):
        other = run(path, repeat, work)
        if other is not None:
            found[f"{name}_webp_ms"] = round(other["ms"], 1)
            found[f"{name}_webp_bytes"] = other["size"]
            found[f"ratio_to_{name}"] = round(ours / other["ms"], 3)
    return found


class Memory:
    """Peak RSS of a process tree, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for p in tree(self.pid):
                try:
                    for line in Path(f"/proc/{p}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                except OSError:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


async def _get_all(url: str, paths: list[str], clients: int) -> tuple[list[float], int]:
    times: list[float] = []
    errors = 0
    queue = iter(paths)

    async def one() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=300) as client:
            for path in queue:
                started = time.perf_counter()
                r = await client.get(path)
                times.append(time.perf_counter() - started)
                errors += r.status_code != 200

    await asyncio.gather(*(one() for _ in range(clients)))
    return times, errors


def serve(photos: int, clients: int, megapixels: float, work: Path) -> dict[str, Any]:
    server = Server(work / "serve", free_port(), {})
    try:
        auth = login(server.url)
        width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
        base = photo(11, (width, width * 3 // 4))
        ids = []
        with httpx.Client(base_url=server.url, headers=auth, timeout=300) as client:
            for i in range(photos):
                r = client.post("/api/v1/assets", files={
                    "file": (f"s{i}.jpg", distinct(base, i), "image/jpeg")})
                ids.append(r.json()["asset"]["id"])
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                if not client.get("/api/v1/status").json()["assets"].get("processing", 0):
                    break
                time.sleep(1)
            paths = [client.post("/api/v1/images/sign", json={
                "asset_id": i, "width": WIDTH, "format": "webp"}).json()["url"] for i in ids]
        memory = Memory(server.proc.pid)
        cold, errors = asyncio.run(_get_all(server.url, paths, clients))
        peak = memory.stop()
        hits, hit_errors = asyncio.run(_get_all(server.url, paths, 1))
    finally:
        server.stop()
    return {"photos": photos, "clients": clients, "megapixels": megapixels,
            "errors": errors + hit_errors, "cold_p50_ms": round(pct(cold, 50) * 1000, 1),
            "cold_p99_ms": round(pct(cold, 99) * 1000, 1),
            "hit_p50_ms": round(pct(hits, 50) * 1000, 2),
            "hit_p99_ms": round(pct(hits, 99) * 1000, 2),
            "peak_rss_mb": round(peak / 2**20)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--only", choices=["engines", "serve"])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="albumen-bench-images-") as tmp:
        work = Path(tmp)
        if args.only in (None, "engines"):
            e = results["engines"] = engines(args.repeat, work)
            print("12 MP JPEG -> 800 px WebP q82 (median ms, bytes): "
                  + ", ".join(f"{n} {e.get(f'{n}_webp_ms')} ({e.get(f'{n}_webp_bytes')})"
                              for n in ("albumen", "sharp", "pyvips")))
            print(f"albumen JPEG {e['albumen_jpeg_ms']} ms ({e['albumen_jpeg_bytes']} B), "
                  f"AVIF {e['albumen_avif_ms']} ms ({e['albumen_avif_bytes']} B)")
            for name in ("sharp", "pyvips"):
                ratio = e.get(f"ratio_to_{name}")
                if ratio is None:
                    print(f"MISS {name} could not be measured")
                else:
                    print(f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'} albumen x{ratio} "
                          f"of {name} (target <= {TARGET_RATIO})")
        if args.only in (None, "serve"):
            s = results["serve"] = serve(args.photos, args.clients, args.megapixels, work)
            print(f"{s['photos']} photos of {s['megapixels']} MP, {s['clients']} clients cold: "
                  f"p50/p99 {s['cold_p50_ms']}/{s['cold_p99_ms']} ms, {s['errors']} errors; "
                  f"hits p50/p99 {s['hit_p50_ms']}/{s['hit_p99_ms']} ms; peak RSS "
                  f"{s['peak_rss_mb']} MB")
            print(f"{'PASS' if s['hit_p99_ms'] < TARGET_HIT_P99_MS else 'MISS'} cache hit p99 "
                  f"< {TARGET_HIT_P99_MS:g} ms")
            print(f"{'PASS' if s['errors'] == 0 else 'MISS'} no error under "
                  f"{s['clients']} cold clients")
            print(f"{'PASS' if s['peak_rss_mb'] < TARGET_RSS_MB else 'MISS'} server memory < "
                  f"{TARGET_RSS_MB} MB")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "images.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
