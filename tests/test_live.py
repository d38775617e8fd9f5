"""Live status over the WebSocket (/api/v1/ws): a client hears an upload's processing as it
happens, in order (created, each stage running and done, a scanned document's pages read one
by one, processed); it hears only what it may see; bad requests are answered, not fatal.
Real server app, real pipeline, real OCR (issue 25's live status; issue 26's WebSocket)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.conftest import bearer
from tests.pdfs import scan_pdf


def _until(ws: Any, kind: str, limit: int = 200) -> list[dict]:
    """Events received up to and including the first of type ``kind``."""
    seen = []
    for _ in range(limit):
        item = ws.receive_json()
        if item["type"] == "ping":
            continue
        seen.append(item)
        if item["type"] == kind:
            return seen
    raise AssertionError(f"no {kind} in {seen}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_upload_is_followed_live_stage_by_stage_and_page_by_page(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    from tests.test_documents import SCANS, scanned_page

    c = app_client(enrichments="pages", ocr_gate_size=0)
    token = c.headers["Authorization"]
    path = scan_pdf(tmp_path / "lease.pdf", [scanned_page(lines, i)
                                             for i, lines in enumerate(SCANS[:2])])
    with c.websocket_connect("/api/v1/ws", headers={"Authorization": token}) as ws:
        ws.send_json({"subscribe": {"mine": True}})
        assert ws.receive_json() == {"type": "subscribed", "assets": [], "events": [],
                                     "mine": True}
        r = c.post("/api/v1/assets", files={"file": ("lease.pdf", path.read_bytes())})
        asset_id = r.json()["asset"]["id"]
        events = _until(ws, "asset.processed")
    assert all(e["asset_id"] == asset_id and e["id"].startswith("evt_") and e["time"]
               for e in events)
    kinds = [(e["type"], e.get("stage"), e.get("state"), e.get("done")) for e in events]
    assert kinds[0][0] == "asset.created" and kinds[-1][0] == "asset.processed"
    for stage in ("metadata", "derivatives", "phash", "pages"):
        running = kinds.index(("asset.stage", stage, "running", None))
        assert running < kinds.index(("asset.stage", stage, "done", None))
    progress = [(e["done"], e["total"]) for e in events if e["type"] == "asset.progress"]
    assert progress == [(0, 2), (1, 2), (2, 2)]  # page by page
    assert kinds.index(("asset.stage", "metadata", "done", None)) < kinds.index(
        ("asset.progress", "pages", None, 0))


def test_a_client_hears_only_what_it_may_see(app_client: Callable[..., TestClient]) -> None:
    from tests import images

    c = app_client()
    admin = c.headers["Authorization"]
    c.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"})
    bob = bearer(c, "bob", "bob-password-1")
    mine = c.post("/api/v1/assets", files={"file": ("a.jpg", images.jpeg(seed=1))}
                  ).json()["asset"]["id"]
    anonymous = TestClient(c.app)  # no token, no cookie
    for url in ("/api/v1/ws", "/api/v1/ws?access_token=nonsense"):
        with pytest.raises(WebSocketDisconnect) as closed, anonymous.websocket_connect(url) as ws:
            ws.receive_json()
        assert closed.value.code == 4401

    with c.websocket_connect("/api/v1/ws", headers={"Authorization": bob}) as theirs, \
            anonymous.websocket_connect(f"/api/v1/ws?access_token={admin.split()[1]}") as ours:
        for request, reply in [
                ("not json", "not JSON"),
                ({"listen": {}}, "send {"),
                ({"subscribe": {"everything": True}}, "unknown subscription"),
                ({"subscribe": {"assets": [mine]}}, "not found"),  # admin's photo
                ({"subscribe": {"event": 999}}, "not found")]:
            if isinstance(request, str):
                theirs.send_text(request)
            else:
                theirs.send_json(request)
            answer = theirs.receive_json()
            assert answer["type"] == "error" and reply in answer["message"], answer
        theirs.send_json({"subscribe": {"mine": True}})
        assert theirs.receive_json()["mine"] is True
        ours.send_json({"subscribe": {"assets": [mine]}})
        assert ours.receive_json()["assets"] == [mine]
        # The admin's upload and trash: the admin hears them, bob hears only his own upload
        c.delete(f"/api/v1/assets/{mine}")
        assert _until(ours, "asset.deleted")[-1]["asset_id"] == mine
        own = c.post("/api/v1/assets", files={"file": ("b.jpg", images.jpeg(seed=2))},
                     headers={"Authorization": bob}).json()["asset"]["id"]
        heard = _until(theirs, "asset.processed")
        assert {e["asset_id"] for e in heard} == {own}


def test_the_same_events_as_server_sent_events(app_client: Callable[..., TestClient]) -> None:
    import json
    import threading
    import time

    from tests import images

    c = app_client()
    assert c.get("/api/v1/live").status_code == 422  # what to hear must be said
    assert TestClient(c.app).get("/api/v1/live?mine=true").status_code == 401

    def upload_soon() -> None:
        time.sleep(0.5)
        c.post("/api/v1/assets", files={"file": ("a.jpg", images.jpeg(seed=5))})

    threading.Thread(target=upload_soon, daemon=True).start()
    # Read to the end: the stream ends by itself after `duration` (the test client cannot
    # hang up early: the server would wait to send its next line).
    with c.stream("GET", "/api/v1/live", params={"mine": "true", "duration": 5}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        kinds = [json.loads(line[6:])["type"] for line in r.iter_lines()
                 if line.startswith("data: ")]
    assert kinds[0] == "asset.created" and kinds.count("asset.processed") == 1
    assert "asset.stage" in kinds


def test_events_reach_the_subscribers_of_another_process(tmp_path: Path) -> None:
    """Without Redis, the processes of one machine pass events on through sockets: a
    subscriber here hears what a separate process publishes (as `serve --processes 2` or a
    standalone worker does); a socket whose process is gone is cleaned away."""
    import asyncio
    import os
    import socket
    import subprocess
    import sys

    from albumen.notify import Hub
    from albumen.runtime import event_peers

    peers = event_peers(tmp_path / "data")
    hub = Hub(peers=peers)

    async def hear() -> dict | None:
        sub = hub.subscribe(asyncio.get_running_loop())
        for _ in range(250):  # the listener binds its socket in its own thread
            if list(peers.glob(f"{os.getpid()}-*.sock")):
                break
            await asyncio.sleep(0.02)
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        dead.bind(str(peers / "dead.sock"))
        dead.close()  # a socket file left by a process that died
        code = ("from pathlib import Path; from albumen.notify import Hub; "
                f"Hub(peers=Path({str(peers)!r})).publish("
                "{'id': 'evt_1', 'type': 'asset.processed', 'asset_id': 7})")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        item = await sub.get(10)
        hub.unsubscribe(sub)
        return item

    try:
        item = asyncio.run(hear())
    finally:
        hub.close()
    assert item == {"id": "evt_1", "type": "asset.processed", "asset_id": 7}
    assert not (peers / "dead.sock").exists()
    assert list(peers.glob("*.sock")) == []  # closed: its own socket removed too


def test_events_without_an_asset_reach_their_owner_or_the_events_hosts() -> None:
    """A person found and a report ready are their owner's (with "mine"); an event's own
    events its hosts' — no database needed to decide."""
    from albumen.api.live import Interest

    mine = Interest(user_id=1, mine=True)
    host = Interest(user_id=2, events={5: "owner"})
    viewer = Interest(user_id=3, events={5: "viewer"})
    person = {"type": "person.created", "person_id": 9, "owner_id": 1}
    report = {"type": "report.ready", "report_id": 4, "owner_id": 2, "event_id": 5}
    assert mine.wants(None, person) and not host.wants(None, person)  # type: ignore[arg-type]
    assert not mine.wants(None, report) and not viewer.wants(None, report)  # type: ignore[arg-type]
    assert not host.wants(None, report)  # type: ignore[arg-type]  # host's, but not "mine"
    assert Interest(user_id=2, mine=True).wants(None, report)  # type: ignore[arg-type]
    assert host.wants(None, {"type": "x", "event_id": 5})  # type: ignore[arg-type]
    assert not viewer.wants(None, {"type": "x", "event_id": 5})  # type: ignore[arg-type]
