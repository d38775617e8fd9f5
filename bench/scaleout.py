"""Scale-out benchmark: the embedded default against PostgreSQL + Redis + S3, in the same run.

    .venv/bin/python bench/scaleout.py [--photos 200] [--clients 50] [--seconds 20]

1. Ingest throughput with 1, 2 and 4 worker processes (``albumen worker --concurrency 1``
   each) for both deployments, and PostgreSQL + Redis with files on local disk (which tells
   the object store's share apart): the photos are imported with no worker running, then the
   workers start and the clock runs until every asset is ready. Printed: photos/s and the
   ratio scaled/embedded for each worker count.
2. API latency under load: ``albumen serve --no-workers --processes P`` (P in
   ``--api-processes``, default 1 and 2) on the processed library and 50
   concurrent clients on loopback (asyncio + httpx) alternating a list page
   (``GET /api/v1/assets?limit=50``) and a search (``GET /api/v1/search?q=…``) for
   ``--seconds``; p50/p95/p99 and requests/s for both deployments.

The scaled deployment uses this machine's PostgreSQL (127.0.0.1:5432, a fresh database),
Redis (127.0.0.1:6379, a prefix of its own) and moto's S3 server in a thread of this process —
a test double of S3, slower than a real object store, so the S3 figures are pessimistic. On a
2-core machine the load generator, the API and the services share the same cores: compare the
ratios, not the absolute figures, with other machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests import images  # noqa: E402
from tests.processes import env_for, free_port, run_cli, wait_until  # noqa: E402

from albumen.db.models import Asset  # noqa: E402

ALBUMEN = str(Path(sys.executable).parent / "albumen")
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"
QUERIES = ["", "camera:canon", "after:2020-01", "beach", "-tag:screenshot"]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Deployment:
    """A fresh installation of one kind: its environment and how to count ready assets."""

    def __init__(self, kind: str, work: Path, s3_endpoint: str | None) -> None:
        self.kind, self.work = kind, work / f"{kind}-{uuid.uuid4().hex[:6]}"
        self.dbname: str | None = None
        extra: dict[str, str] = {"ALBUMEN_IN_PROCESS_WORKERS": "false",
                                 "ALBUMEN_RECONCILE_INTERVAL_SECONDS": "2"}
        if kind == "embedded":
            self.url = f"sqlite:///{self.work / 'albumen.db'}"
        else:
            self.dbname = f"albumen_bench_{uuid.uuid4().hex[:8]}"
            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.dbname}"'))
            self.url = PG_ADMIN.rsplit("/", 1)[0] + f"/{self.dbname}"
            extra.update({"ALBUMEN_QUEUE_URL": REDIS,
                          "ALBUMEN_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex}"})
        if kind == "scaled":
            import boto3

            bucket = f"bench-{uuid.uuid4().hex[:10]}"
            boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="bench",
                         aws_secret_access_key="bench", region_name="us-east-1"
                         ).create_bucket(Bucket=bucket)
            extra.update({
                "ALBUMEN_STORAGE_URL": f"s3://{bucket}/albumen",
                "ALBUMEN_S3_ENDPOINT_URL": s3_endpoint or "", "ALBUMEN_S3_REGION": "us-east-1",
                "ALBUMEN_S3_ACCESS_KEY_ID": "bench", "ALBUMEN_S3_SECRET_ACCESS_KEY": "bench"})
        self.env = env_for(self.work / "data", self.url, **extra)
        run_cli(self.env, "db", "upgrade")
        run_cli(self.env, "users", "create", "bench", "--admin", stdin="bench-password-1\n")
        self.engine = create_engine(self.url.replace("postgresql://", "postgresql+psycopg://"))

    def ready(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Asset)
                                    .where(Asset.state == "ready")).scalar() or 0)

    def close(self) -> None:
        self.engine.dispose()
        if self.dbname:
            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)'))


def ingest(kind: str, workers: int, folder: Path, n: int, work: Path, s3: str | None
           ) -> tuple[float, Deployment]:
    deployment = Deployment(kind, work, s3)
    run_cli(deployment.env, "import", str(folder), "--json")
    procs = [subprocess.Popen([ALBUMEN, "worker", "--concurrency", "1", "--worker-type",
                               "process"], env=deployment.env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    started = time.perf_counter()
    try:
        if not wait_until(lambda: deployment.ready() == n, 1800, interval=0.1):
            raise SystemExit(f"{kind} with {workers} worker(s) did not finish")
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(60)
    return n / elapsed, deployment


async def _load(base: str, token: str, clients: int, seconds: float
                ) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"list": [], "search": []}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"},
                                 limits=limits, timeout=60) as client:
        async def one(i: int) -> None:
            turn = i
            while time.perf_counter() < deadline:
                turn += 1
                kind = "list" if turn % 2 else "search"
                url = ("/api/v1/assets?limit=50" if kind == "list"
                       else f"/api/v1/search?q={QUERIES[turn % len(QUERIES)]}&limit=50")
                t = time.perf_counter()
                response = await client.get(url)
                out[kind].append((time.perf_counter() - t) * 1000)
                response.raise_for_status()

        await asyncio.gather(*(one(i) for i in range(clients)))
    return out


def api_latency(deployment: Deployment, clients: int, seconds: float, processes: int
                ) -> dict[str, list[float]]:
    port = free_port()
    server = subprocess.Popen([ALBUMEN, "serve", "--port", str(port), "--no-workers",
                               "--processes", str(processes)],
                              env={**deployment.env, "ALBUMEN_LOG_LEVEL": "WARNING"},
                              start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _up(base), 60), "the API did not start"
        token = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": "bench", "password": "bench-password-1"}).json()["access_token"]
        asyncio.run(_load(base, token, 5, 2))  # warm-up
        return asyncio.run(_load(base, token, clients, seconds))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--api-processes", default="1,2",
                        help="`albumen serve --processes` values to measure")
    args = parser.parse_args()
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    s3 = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="albumen-scaleout-"))
    folder = work / "photos"
    folder.mkdir()
    for i in range(args.photos):  # 3 MP JPEGs: decoding and resizing dominate, as in life
        images.write(folder / f"{i:04d}.jpg", images.jpeg(2000, 1500, seed=5000 + i))
    print(f"{args.photos} photos of 2000x1500; {os.cpu_count()} CPU(s); S3 = moto (in-process)")
    print(f"\n{'workers':>8} {'embedded':>9} {'PG+Redis':>9} {'PG+Redis+S3':>12} "
          f"{'ratio S3/embedded':>18}   (photos/s; PG+Redis keeps files on local disk)")
    last: dict[str, Deployment] = {}
    for count in (int(w) for w in args.workers.split(",")):
        rates = {}
        for kind in ("embedded", "pg-redis", "scaled"):
            rate, deployment = ingest(kind, count, folder, args.photos, work, s3)
            rates[kind] = rate
            if kind in last:
                last[kind].close()
            last[kind] = deployment
        print(f"{count:>8} {rates['embedded']:>9.2f} {rates['pg-redis']:>9.2f} "
              f"{rates['scaled']:>12.2f} {rates['scaled'] / rates['embedded']:>18.2f}")
    print(f"\nAPI under {args.clients} concurrent clients for {args.seconds:.0f} s "
          "(list and search alternate):")
    print(f"{'deployment':>12} {'procs':>5} {'request':>8} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'req/s':>7}")
    for kind, deployment in last.items():
        for processes in (int(p) for p in args.api_processes.split(",")):
            if kind == "pg-redis":
                break
            times = api_latency(deployment, args.clients, args.seconds, processes)
            for request, values in times.items():
                print(f"{kind:>12} {processes:>5} {request:>8} {len(values):>6} "
                      f"{statistics.median(values):>8.1f} {_pct(values, 95):>8.1f} "
                      f"{_pct(values, 99):>8.1f} {len(values) / args.seconds:>7.1f}")
        deployment.close()
    moto.stop()


if __name__ == "__main__":
    main()
