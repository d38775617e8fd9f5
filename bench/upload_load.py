"""Reads under upload load: do list and search requests wait behind uploads?

Run: ``.venv/bin/python bench/upload_load.py [--uploaders 50] [--seconds 30] [--out DIR]``

``albumen serve`` (one API process with its in-process workers, the AI enrichments off, as in
the hardening review of issue 21) runs as a subprocess on a fresh data dir seeded with
``--seed`` photos (processed before anything is measured). Then, in the same run:

(a) idle        two readers, each sending one request after the other for ``--idle-seconds``:
                ``GET /api/v1/assets?limit=100`` and ``GET /api/v1/search?q=…`` in turn.
(b) under load  the same readers while ``--uploaders`` clients upload 2000x1500 JPEGs (about
                1 MB, each one distinct) back to back for ``--seconds``. The readers run in a
                process of their own; the upload clients, which stand for phones on other
                machines, run at ``--client-nice`` (10) so they do not take the CPU from the
                server they load on this same machine.

Printed: p50 / p99 / max of reads idle and under load and their ratio, upload p50 / p99 and
uploads per second, and where the server's CPU went (user and system seconds of the server
process during (b), sampled from /proc). Target (PASS / MISS, never asserted): read p99 under
load < 300 ms. Written to ``OUT/upload_load.json`` (default ``bench/out``).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ALBUMEN = Path(sys.executable).with_name("albumen")
PASSWORD = "bench-password-1"
TARGET_READ_P99_MS = 300.0


def photo(seed: int, size: tuple[int, int] = (2000, 1500)) -> bytes:
    """A smooth-gradient photo with noise (compresses like a real one, not like a flat fill)."""
    rng = np.random.default_rng(seed)
    w, h = size
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    base = (np.array(rng.uniform(40, 200, 3), dtype=np.float32) * (0.6 + 0.4 * x * y))
    pixels = np.clip(base + rng.normal(0, 12, (h, w, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


def distinct(data: bytes, n: int) -> bytes:
    """The same picture with other bytes (after the JPEG's end): a new file, not a duplicate."""
    return data + b"albumen-bench-%012d" % n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def tree(pid: int) -> list[int]:
    """The process and its descendants (``serve --processes N`` forks its API processes)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += tree(int(child))
    return found


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of the server's process tree so far."""
    tick = os.sysconf("SC_CLK_TCK")
    user = system = 0.0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user, system = user + int(fields[11]) / tick, system + int(fields[12]) / tick
    return user, system


class Server:
    def __init__(self, data: Path, port: int, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        full = {**os.environ, "ALBUMEN_DATA_DIR": str(data), "ALBUMEN_ENRICHMENTS": "",
                "ALBUMEN_BACKUP_INTERVAL_HOURS": "0", "ALBUMEN_LOG_LEVEL": "WARNING", **env}
        subprocess.run([str(ALBUMEN), "db", "upgrade"], env=full, check=True,
                       stdout=subprocess.DEVNULL)
        self.log = (data / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [str(ALBUMEN), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=full, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"server did not start; see {data / 'serve.log'}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def login(url: str) -> dict[str, str]:
    httpx.post(f"{url}/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    r = httpx.post(f"{url}/api/v1/auth/token",
                   data={"username": "admin", "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def upload(client: httpx.AsyncClient, data: bytes, name: str) -> tuple[float, int]:
    start = time.perf_counter()
    r = await client.post("/api/v1/assets", files={"file": (name, data, "image/jpeg")})
    return time.perf_counter() - start, r.status_code


async def seed(url: str, auth: dict[str, str], base: bytes, n: int) -> None:
    async with httpx.AsyncClient(base_url=url, headers=auth, timeout=120) as client:
        for start in range(0, n, 8):
            await asyncio.gather(*(upload(client, distinct(base, i), f"seed-{i}.jpg")
                                   for i in range(start, min(n, start + 8))))
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            status = (await client.get("/api/v1/status")).json()
            if not _processing(status):
                return
            await asyncio.sleep(1)
        raise SystemExit("seed photos were not processed in 10 minutes")


def _processing(status: dict[str, Any]) -> int:
    assets = status.get("assets") or {}
    return int(assets.get("processing", 0)) if isinstance(assets, dict) else 0


async def readers(url: str, auth: dict[str, str], stop: asyncio.Event, n: int = 2
                  ) -> list[float]:
    latencies: list[float] = []
    paths = ["/api/v1/assets?limit=100", "/api/v1/search?q=seed"]

    async def read(k: int) -> None:
        async with httpx.AsyncClient(base_url=url, headers=auth, timeout=120) as client:
            i = k
            while not stop.is_set():
                start = time.perf_counter()
                r = await client.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - start)
                if r.status_code != 200:
                    raise SystemExit(f"read {paths[i % len(paths)]}: {r.status_code} {r.text}")
                i += 1
                await asyncio.sleep(0.05)

    await asyncio.gather(*(read(k) for k in range(n)))
    return latencies


async def measure(url: str, auth: dict[str, str], base: bytes, uploaders: int, seconds: float
                  ) -> dict[str, Any]:
    stop = asyncio.Event()
    ups: list[float] = []
    codes: dict[int, int] = {}
    counter = iter(range(10**9))

    async def uploader() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=url, headers=auth, timeout=300,
                                     limits=limits) as client:
            while not stop.is_set():
                n = next(counter)
                took, code = await upload(client, distinct(base, 10**6 + n), f"up-{n}.jpg")
                ups.append(took)
                codes[code] = codes.get(code, 0) + 1

    async def timer() -> None:
        await asyncio.sleep(seconds)
        stop.set()

    started = time.perf_counter()
    await asyncio.gather(timer(), *(uploader() for _ in range(uploaders)))
    elapsed = time.perf_counter() - started
    return {"uploads": ups, "codes": codes, "elapsed": elapsed}


async def idle(url: str, auth: dict[str, str], seconds: float) -> list[float]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(readers(url, auth, stop))
    await asyncio.sleep(seconds)
    stop.set()
    return await task


def read_in_process(url: str, auth: dict[str, str], seconds: float
                    ) -> tuple[mp.process.BaseProcess, Connection]:
    """Readers in a process of their own, at normal priority: their latencies are the
    server's, not the upload clients' event loop's (which is busy sending 50 bodies)."""
    receiver, sender = mp.get_context("fork").Pipe(duplex=False)

    def run() -> None:
        sender.send(asyncio.run(idle(url, auth, seconds)))

    proc = mp.get_context("fork").Process(target=run, daemon=True)
    proc.start()
    return proc, receiver


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": pct(values, 50) * 1000, "p99_ms": pct(values, 99) * 1000,
            "max_ms": max(values, default=float("nan")) * 1000}


def profiler(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    out.mkdir(parents=True, exist_ok=True)
    spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen([str(spy), "record", "--pid", str(pid), "--duration",
                             str(int(seconds)), "--rate", "200", "--threads", "--idle",
                             "--gil", "--format", "raw", "-o", str(out / "upload_load.stacks")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploaders", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--idle-seconds", type=float, default=10)
    parser.add_argument("--seed", type=int, default=150)
    parser.add_argument("--client-nice", type=int, default=10,
                        help="niceness of the upload clients (0: as the server)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--profile", action="store_true",
                        help="sample the server with py-spy during (b) (pip install py-spy): "
                             "OUT/upload_load.stacks, collapsed stacks per thread")
    parser.add_argument("--env", action="append", default=[],
                        help="NAME=VALUE for the server (e.g. ALBUMEN_UPLOAD_THREADS=4)")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    base = photo(1)
    print(f"photo: {len(base) / 1e6:.2f} MB, {args.uploaders} uploaders for {args.seconds:.0f} s",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="albumen-load-") as tmp:
        server = Server(Path(tmp) / "data", free_port(), env)
        try:
            auth = login(server.url)
            asyncio.run(seed(server.url, auth, photo(2, (800, 600)), args.seed))
            proc, pipe = read_in_process(server.url, auth, args.idle_seconds)
            quiet = pipe.recv()
            proc.join()
            user0, sys0 = cpu_seconds(server.proc.pid)
            spy = profiler(server.proc.pid, args.seconds, args.out) if args.profile else None
            proc, pipe = read_in_process(server.url, auth, args.seconds)
            # The upload clients stand for phones on other machines: on this one they must
            # not take the CPU from the server they load (the server keeps its priority).
            os.nice(args.client_nice)
            loaded = asyncio.run(measure(server.url, auth, base, args.uploaders, args.seconds))
            loaded["reads"] = pipe.recv()
            proc.join()
            user1, sys1 = cpu_seconds(server.proc.pid)
            if spy is not None:
                spy.wait(timeout=60)
        finally:
            server.stop()
    result = {
        "uploaders": args.uploaders, "seconds": args.seconds, "env": env,
        "client_nice": args.client_nice,
        "reads_idle": summary(quiet), "reads_under_load": summary(loaded["reads"]),
        "uploads": {**summary(loaded["uploads"]),
                    "per_second": len(loaded["uploads"]) / loaded["elapsed"],
                    "status_codes": loaded["codes"]},
        "server_cpu_s": {"user": user1 - user0, "system": sys1 - sys0,
                         "wall": loaded["elapsed"]},
    }
    ratio = result["reads_under_load"]["p99_ms"] / result["reads_idle"]["p99_ms"]
    result["read_p99_ratio"] = ratio
    for name in ("reads_idle", "reads_under_load", "uploads"):
        s = result[name]
        print(f"{name:18} n={s['n']:5d}  p50 {s['p50_ms']:8.1f} ms  p99 {s['p99_ms']:8.1f} ms  "
              f"max {s['max_ms']:8.1f} ms")
    print(f"uploads/s {result['uploads']['per_second']:.1f}  codes {loaded['codes']}")
    cpu = result["server_cpu_s"]
    print(f"server CPU during load: user {cpu['user']:.1f} s + system {cpu['system']:.1f} s "
          f"in {cpu['wall']:.1f} s wall ({(cpu['user'] + cpu['system']) / cpu['wall']:.2f} cores)")
    p99 = result["reads_under_load"]["p99_ms"]
    verdict = "PASS" if p99 < TARGET_READ_P99_MS else "MISS"
    print(f"read p99 under load / idle = {ratio:.1f}x; target p99 < {TARGET_READ_P99_MS:.0f} ms: "
          f"{verdict} ({p99:.0f} ms)")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "upload_load.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
