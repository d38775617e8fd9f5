"""Webhooks and live status: delivery throughput, the cost of webhooks to uploads, WebSocket
fan-out (issue 26's targets).

Run: ``.venv/bin/python bench/webhooks.py [--events 1000] [--uploads 600] [--clients 200]
[--out DIR]``

(a) throughput  ``--events`` events committed at once (``asset.processed`` of 20 photos, in
                turn) are fanned out, rendered, signed and POSTed by one dispatcher (what one
                worker's job runs) to a receiver in another process; baseline in the same run:
                the same number of plain POSTs of the same bodies from one thread with one
                connection (the floor set by HTTP and the receiver). Target: < 10 s.
(b) uploads     ``albumen serve`` (its in-process workers deliver) takes ``--uploads`` photos
                from 4 clients with no webhook, then with 5 subscribed to every event type
                (each upload makes ``asset.created`` and ``asset.processed``), in alternating
                rounds; upload p50/p99 of each and their ratio. Target: p99 within +10 %.
(c) fan-out     ``--clients`` WebSocket clients subscribe to one event; photos are uploaded to
                it; each message's delay from the event's time to its arrival at each client.
                Target: p99 < 200 ms.

Printed with PASS/MISS lines (never asserted); written to ``OUT/webhooks.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload_load import Server, distinct, free_port, login, pct, photo

TARGET_SECONDS = 10.0
TARGET_UPLOAD_RISE = 1.10
TARGET_FANOUT_P99_MS = 200.0


def _receive(port: int, count: Any) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            with count.get_lock():
                count.value += 1
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


class Receiver:
    """An HTTP receiver in a process of its own, counting what it is sent."""

    def __init__(self) -> None:
        self.port = free_port()
        self.count = mp.Value("q", 0)
        self.proc = mp.Process(target=_receive, args=(self.port, self.count), daemon=True)
        self.proc.start()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.post(self.url, content=b"{}")
                return
            except httpx.HTTPError:
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()


def throughput(events: int, work: Path) -> dict[str, Any]:
    from albumen.accounts import users
    from albumen.api.webhook_jobs import render
    from albumen.config import Settings
    from albumen.library.ingest import Origin, ingest
    from albumen.notify import emit
    from albumen.runtime import Runtime
    from albumen.webhooks import dispatch, service

    rt = Runtime(Settings(_env_file=None, data_dir=work / "a", queue_immediate=True,
                          enrichments="", in_process_workers=False, backup_interval_hours=0,
                          webhook_allow_networks="127.0.0.0/8"))
    rt.migrate()
    admin = users.create_user(rt, "admin", "bench-password-1", admin=True)
    base = photo(1, (640, 480))
    ids = [ingest(rt, [distinct(base, i)], Origin(via="upload", filename=f"{i}.jpg",
                                                  owner_id=admin.id,
                                                  uploaded_by_id=admin.id)).asset_id
           for i in range(20)]
    receiver = Receiver()
    try:
        hook, _ = service.create(rt, service.Caller(admin.id, True), receiver.url,
                                 ["asset.processed"])
        rt.queue.hueys["media"].immediate = False  # commit all, then time the dispatcher
        start_count = receiver.count.value
        with rt.transaction() as session:
            for n in range(events):
                emit(session, "asset.processed", asset_id=ids[n % len(ids)])
        started = time.perf_counter()
        sent = dispatch.deliver(rt, render)
        seconds = time.perf_counter() - started
        received = receiver.count.value - start_count
        with rt.session() as session:
            from albumen.db.webhooks import WebhookDelivery

            bodies = [d.body.encode() for d in session.query(WebhookDelivery).filter_by(
                webhook_id=hook.id).limit(events)]
        with httpx.Client() as client:
            started = time.perf_counter()
            for body in bodies:
                client.post(receiver.url, content=body,
                            headers={"content-type": "application/json"})
            floor = time.perf_counter() - started
    finally:
        receiver.stop()
    return {"events": events, "delivered": sent.delivered, "received": received,
            "seconds": round(seconds, 3), "per_second": round(events / seconds, 1),
            "plain_posts_seconds": round(floor, 3), "ratio_to_plain": round(seconds / floor, 2)}


async def _uploads(url: str, auth: dict[str, str], base: bytes, n: int, offset: int,
                   clients: int = 4) -> list[float]:
    times: list[float] = []
    counter = iter(range(offset, offset + n))

    async def one_client() -> None:
        async with httpx.AsyncClient(base_url=url, headers=auth, timeout=120) as client:
            for i in counter:
                started = time.perf_counter()
                r = await client.post("/api/v1/assets", files={
                    "file": (f"u{i}.jpg", distinct(base, i), "image/jpeg")})
                times.append(time.perf_counter() - started)
                if r.status_code != 201:
                    raise SystemExit(f"upload: {r.status_code} {r.text}")

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return times


def _settle(url: str, auth: dict[str, str]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/api/v1/status", headers=auth, timeout=30).json()
        if not (status.get("assets") or {}).get("processing", 0):
            return
        time.sleep(0.5)


def upload_cost(uploads: int, work: Path) -> dict[str, Any]:
    receiver = Receiver()
    server = Server(work / "b", free_port(), {"ALBUMEN_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8"})
    try:
        auth = login(server.url)
        base = photo(2, (1600, 1200))
        asyncio.run(_uploads(server.url, auth, base, 16, 10**6))  # warm up
        _settle(server.url, auth)
        rounds = 3
        per_round = max(8, uploads // (2 * rounds))
        plain: list[float] = []
        hooked: list[float] = []
        hook_ids: list[int] = []
        offset = 0
        for _ in range(rounds):
            for hooks in (False, True):
                if hooks and not hook_ids:
                    hook_ids = [httpx.post(f"{server.url}/api/v1/webhooks", headers=auth, json={
                        "url": f"{receiver.url}?n={k}"}).json()["id"] for k in range(5)]
                if not hooks:
                    for h in hook_ids:
                        httpx.patch(f"{server.url}/api/v1/webhooks/{h}", headers=auth,
                                    json={"enabled": False})
                else:
                    for h in hook_ids:
                        httpx.patch(f"{server.url}/api/v1/webhooks/{h}", headers=auth,
                                    json={"enabled": True})
                time.sleep(WEBHOOKS_SEEN)  # every process now knows whether there are any
                times = asyncio.run(_uploads(server.url, auth, base, per_round, offset))
                offset += per_round
                _settle(server.url, auth)
                (hooked if hooks else plain).extend(times)
        time.sleep(2)
        received = receiver.count.value
    finally:
        server.stop()
        receiver.stop()
    return {"uploads_each": len(plain), "p50_ms_none": round(pct(plain, 50) * 1000, 1),
            "p99_ms_none": round(pct(plain, 99) * 1000, 1),
            "p50_ms_five": round(pct(hooked, 50) * 1000, 1),
            "p99_ms_five": round(pct(hooked, 99) * 1000, 1),
            "p99_ratio": round(pct(hooked, 99) / pct(plain, 99), 3),
            "deliveries_received": received}


WEBHOOKS_SEEN = 6.0  # runtime.WEBHOOKS_SEEN_SECONDS, and a margin


async def _fanout(url: str, auth: dict[str, str], clients: int, photos: int
                  ) -> tuple[list[float], int]:
    import websockets

    event = httpx.post(f"{url}/api/v1/events", headers=auth, json={"title": "Fan-out"}).json()
    token = auth["Authorization"].split(" ", 1)[1]
    ws_url = url.replace("http://", "ws://") + f"/api/v1/ws?access_token={token}"
    delays: list[float] = []
    sockets = []
    for _ in range(clients):
        ws = await websockets.connect(ws_url, max_queue=None)
        await ws.send(json.dumps({"subscribe": {"event": event["id"]}}))
        assert json.loads(await ws.recv())["type"] == "subscribed"
        sockets.append(ws)
    processed = [0]

    async def listen(ws: Any) -> None:
        async for raw in ws:
            arrived = datetime.now(UTC)
            item = json.loads(raw)
            if item.get("type") in ("ping", "lost"):
                continue
            sent = datetime.fromisoformat(item["time"].replace("Z", "+00:00"))
            delays.append((arrived - sent).total_seconds())
            if item["type"] == "asset.processed":
                processed[0] += 1

    tasks = [asyncio.create_task(listen(ws)) for ws in sockets]
    base = photo(3, (1200, 900))
    async with httpx.AsyncClient(base_url=url, headers=auth, timeout=120) as client:
        for i in range(photos):
            r = await client.post("/api/v1/assets", params={"event_id": event["id"]},
                                  files={"file": (f"f{i}.jpg", distinct(base, i),
                                                  "image/jpeg")})
            assert r.status_code == 201, r.text
            await asyncio.sleep(0.5)
    deadline = time.monotonic() + 120
    while processed[0] < photos * clients and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    for ws in sockets:
        await ws.close()
    for task in tasks:
        task.cancel()
    return delays, processed[0]


def fanout(clients: int, photos: int, work: Path) -> dict[str, Any]:
    server = Server(work / "c", free_port(), {})
    try:
        auth = login(server.url)
        delays, processed = asyncio.run(_fanout(server.url, auth, clients, photos))
    finally:
        server.stop()
    return {"clients": clients, "photos": photos, "messages": len(delays),
            "processed_heard": processed, "p50_ms": round(pct(delays, 50) * 1000, 1),
            "p99_ms": round(pct(delays, 99) * 1000, 1),
            "max_ms": round(max(delays) * 1000, 1) if delays else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--uploads", type=int, default=600)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--only", choices=["throughput", "uploads", "fanout"])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="albumen-bench-webhooks-") as tmp:
        work = Path(tmp)
        if args.only in (None, "throughput"):
            t = results["throughput"] = throughput(args.events, work)
            print(f"throughput: {t['events']} events in {t['seconds']:.2f} s "
                  f"({t['per_second']:.0f}/s; {t['received']} received); plain POSTs of the "
                  f"same bodies {t['plain_posts_seconds']:.2f} s (x{t['ratio_to_plain']})")
            ok = t["seconds"] < TARGET_SECONDS and t["received"] >= t["events"]
            print(f"{'PASS' if ok else 'MISS'} {t['events']} events delivered in "
                  f"< {TARGET_SECONDS:.0f} s")
        if args.only in (None, "uploads"):
            u = results["uploads"] = upload_cost(args.uploads, work)
            print(f"uploads: p50/p99 {u['p50_ms_none']}/{u['p99_ms_none']} ms without "
                  f"webhooks, {u['p50_ms_five']}/{u['p99_ms_five']} ms with 5 "
                  f"(x{u['p99_ratio']} at p99; {u['deliveries_received']} deliveries)")
            print(f"{'PASS' if u['p99_ratio'] <= TARGET_UPLOAD_RISE else 'MISS'} upload p99 "
                  f"rises by at most {TARGET_UPLOAD_RISE - 1:.0%} with 5 webhooks")
        if args.only in (None, "fanout"):
            f = results["fanout"] = fanout(args.clients, args.photos, work)
            print(f"fan-out: {f['messages']} messages to {f['clients']} clients, delay "
                  f"p50/p99/max {f['p50_ms']}/{f['p99_ms']}/{f['max_ms']} ms")
            print(f"{'PASS' if f['p99_ms'] < TARGET_FANOUT_P99_MS else 'MISS'} WebSocket "
                  f"fan-out p99 < {TARGET_FANOUT_P99_MS:.0f} ms")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "webhooks.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
