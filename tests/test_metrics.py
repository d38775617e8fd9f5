"""Prometheus metrics at /metrics, job metrics from Huey's signals, a worker's own metrics
server, and the JSON logs with the request id on every line."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from huey import MemoryHuey
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from albumen.db.models import Asset, AssetStage
from albumen.library.status import storage_use
from albumen.logging import setup_logging
from albumen.observability import access_denied, install_job_metrics, metrics_token
from albumen.runtime import Runtime
from tests import images

ASSET_ROUTE = "/api/v1/assets/{asset_id}"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _local(client: TestClient, host: str = "127.0.0.1") -> TestClient:
    """The same app, called from HOST (the fixtures' clients call from "testclient")."""
    return TestClient(client.app, client=(host, 40000))


def scrape(client: TestClient, **headers: str) -> Samples:
    response = _local(client).get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def names(samples: Samples) -> set[str]:
    return {name for name, _ in samples}


def test_requests_are_counted_by_route_template(client: TestClient) -> None:
    created = client.post("/api/v1/assets",
                          files={"file": ("a.jpg", images.jpeg(64, 48, seed=1), "image/jpeg")})
    asset_id = created.json()["asset"]["id"]
    labels = {"method": "GET", "route": ASSET_ROUTE, "status": "2xx"}
    missing = {"method": "GET", "route": ASSET_ROUTE, "status": "4xx"}
    before = scrape(client)
    assert client.get(f"/api/v1/assets/{asset_id}").status_code == 200
    assert client.get(f"/api/v1/assets/{asset_id}").status_code == 200
    assert client.get("/api/v1/assets/987654").status_code == 404
    assert client.get("/no/such/page/4711").status_code == 404
    assert client.request("BREW", "/api/v1/assets").status_code == 405
    after = scrape(client)

    counted = "albumen_http_requests_total"
    assert value(after, counted, **labels) - value(before, counted, **labels) == 2
    assert value(after, counted, **missing) - value(before, counted, **missing) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "4xx"}
    assert value(after, counted, **unmatched) - value(before, counted, **unmatched) == 1
    other = {"method": "OTHER", "route": "/api/v1/assets", "status": "4xx"}
    assert value(after, counted, **other) - value(before, counted, **other) == 1
    # Never a raw path or id in a label: the number of series stays bounded.
    routes = {dict(lbl)["route"] for name, lbl in after if name == counted}
    # (the counters are the process's: pages other tests in this process opened count too,
    # so the check is that each label is a route's template, never a path with ids in it)
    templates = set(client.get("/openapi.json").json()["paths"])
    assert f"/api/v1/assets/{asset_id}" not in routes and "/no/such/page/4711" not in routes
    raw = [r for r in routes - templates - {"/metrics", "unmatched"}
           if any(part.isdigit() for part in r.split("/"))]
    assert raw == []

    latency = "albumen_http_request_duration_seconds"
    assert value(after, f"{latency}_count", **labels) - value(
        before, f"{latency}_count", **labels) == 2
    assert value(after, f"{latency}_bucket", **labels, le="+Inf") == value(
        after, f"{latency}_count", **labels)
    assert value(after, f"{latency}_sum", **labels) > value(before, f"{latency}_sum", **labels)
    # The scrape itself is in flight while it is answered.
    assert value(after, "albumen_http_requests_in_progress") >= 1


def test_server_errors_are_measured_as_5xx(client: TestClient) -> None:
    def boom() -> None:
        raise RuntimeError("broken on purpose")

    client.app.add_api_route("/_test/boom", boom)  # type: ignore[attr-defined]
    labels = {"method": "GET", "route": "/_test/boom", "status": "5xx"}
    before = scrape(client)
    answer = TestClient(client.app, raise_server_exceptions=False).get("/_test/boom")
    assert answer.status_code == 500
    after = scrape(client)
    assert value(after, "albumen_http_requests_total", **labels) - value(
        before, "albumen_http_requests_total", **labels) == 1


def test_stage_and_asset_gauges_match_the_database(client: TestClient, rt: Runtime) -> None:
    for seed in (1, 2):
        response = client.post(
            "/api/v1/assets",
            files={"file": (f"{seed}.jpg", images.jpeg(320, 240, seed=seed), "image/jpeg")})
        assert response.status_code == 201, response.text
    assert client.delete(f"/api/v1/assets/{response.json()['asset']['id']}").status_code in (
        200, 204)
    samples = scrape(client)

    with rt.session() as session:
        stages = session.execute(select(AssetStage.stage, AssetStage.state, func.count())
                                 .group_by(AssetStage.stage, AssetStage.state)).all()
        stored = storage_use(session)
        sizes = session.scalars(select(Asset.size)).all()
    assert stages, "the uploads made processing stages"
    exposed = {(dict(lbl)["stage"], dict(lbl)["state"]): v
               for (name, lbl), v in samples.items() if name == "albumen_asset_stages"}
    assert exposed == {(stage, state): n for stage, state, n in stages}
    assert value(samples, "albumen_assets", state="ready") == 1
    assert value(samples, "albumen_assets", state="processing") == 0
    assert value(samples, "albumen_assets", state="failed") == 0
    assert value(samples, "albumen_assets_trashed") == 1
    assert value(samples, "albumen_storage_bytes", kind="originals") == sum(sizes)
    assert value(samples, "albumen_storage_bytes", kind="derivatives") == stored["derivatives"]
    assert stored["derivatives"] > 0
    for queue in rt.queue.depths():
        assert value(samples, "albumen_queue_depth", queue=queue) == 0
    assert "albumen_queue_depth" in names(samples)
    assert "albumen_workers_live" in names(samples)


def test_database_figures_are_cached_between_scrapes(client: TestClient) -> None:
    collector = client.app.state.metrics_collector  # type: ignore[attr-defined]

    def ready() -> float:
        return value(scrape(client), "albumen_assets", state="ready")

    def add(seed: int) -> None:
        client.post("/api/v1/assets",
                    files={"file": (f"{seed}.jpg", images.jpeg(64, 48, seed=seed), "image/jpeg")})

    first = ready()
    add(3)
    assert ready() == first  # cached
    collector.invalidate()
    assert ready() == first + 1  # read again (this scrape waited for it)

    # Once expired, a scrape gets the previous answer at once and the database is read in
    # the background; a later scrape gets the new figures.
    collector.min_ttl = 0.0
    collector.invalidate()
    base = ready()
    add(4)
    assert ready() == base
    deadline = time.monotonic() + 10
    while ready() != base + 1:
        assert time.monotonic() < deadline, "the cache was never refreshed"
        time.sleep(0.05)


def test_metrics_are_for_loopback_callers_without_a_token(client: TestClient) -> None:
    # The fixture's client calls from "testclient": not loopback.
    denied = client.get("/metrics")
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    assert _local(client).get("/metrics").status_code == 200
    assert _local(client, "::1").get("/metrics").status_code == 200
    # Through a proxy on the same machine every visitor would look local.
    proxied = _local(client).get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403
    assert access_denied("::ffff:127.0.0.1", {}, None) is None
    assert access_denied("10.0.0.8", {}, None) == 403
    assert access_denied(None, {}, None) == 403


def test_metrics_token(app_client: Callable[..., TestClient]) -> None:
    client = app_client(metrics_token="scrape-secret-1")
    assert metrics_token(client.app.state.runtime.settings) == "scrape-secret-1"  # type: ignore[attr-defined]
    local = _local(client)
    # With a token, even loopback callers and administrators must send it.
    for caller, headers in ((local, {}), (client, {}),
                            (local, {"Authorization": "Bearer wrong"}),
                            (local, {"Authorization": "Basic scrape-secret-1"})):
        response = caller.get("/metrics", headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    remote = TestClient(client.app, client=("203.0.113.9", 5000))
    response = remote.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
    assert response.status_code == 200
    assert "albumen_http_requests_total" in response.text


@pytest.fixture
def job_huey() -> MemoryHuey:
    huey = MemoryHuey("metrics-test", immediate=True, results=False)
    install_job_metrics(huey, queue="testq")
    return huey


def _job(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_job_durations_failures_and_retries(job_huey: MemoryHuey) -> None:
    def slow_ok() -> str:
        time.sleep(0.02)
        return "done"

    def broken() -> None:
        raise ValueError("broken on purpose")

    ok = job_huey.task(name="metrics_ok")(slow_ok)
    bad = job_huey.task(name="metrics_bad", retries=1)(broken)
    ok()
    ok()
    bad()  # fails, is retried at once (immediate mode), fails for good

    duration = "albumen_job_duration_seconds"
    success = {"task": "metrics_ok", "queue": "testq", "outcome": "success"}
    assert _job(f"{duration}_count", **success) == 2
    assert _job(f"{duration}_sum", **success) >= 0.04
    error = {"task": "metrics_bad", "queue": "testq", "outcome": "error"}
    assert _job(f"{duration}_count", **error) == 2
    failures = "albumen_job_failures_total"
    assert _job(failures, task="metrics_bad", queue="testq", final="false") == 1
    assert _job(failures, task="metrics_bad", queue="testq", final="true") == 1
    assert _job(failures, task="metrics_ok", queue="testq", final="true") == 0
    assert _job("albumen_job_retries_total", task="metrics_bad", queue="testq") == 1


_WORKER_SCRIPT = """
import json, multiprocessing, sys, urllib.error, urllib.request
from huey import MemoryHuey
from albumen.observability import install_job_metrics, start_metrics_server

server = start_metrics_server(0, token=sys.argv[1] or None)
huey = MemoryHuey("w")
install_job_metrics(huey, queue="media")
ok = huey.task(name="forked_ok")(lambda: 1)
def fail():
    raise ValueError("no")
bad = huey.task(name="forked_bad")(fail)
huey.execute(ok.s())  # in this process
# ... and in forked children, like Huey's process workers
for task in (ok.s(), bad.s()):
    child = multiprocessing.get_context("fork").Process(target=huey.execute, args=(task,))
    child.start()
    child.join()
url = f"http://127.0.0.1:{server.port}/metrics"
result = {}
for name, headers in (("anonymous", {}), ("token", {"Authorization": "Bearer " + sys.argv[1]})):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            result[name] = [r.status, r.read().decode()]
    except urllib.error.HTTPError as exc:
        result[name] = [exc.code, ""]
server.stop()
print(json.dumps(result))
"""


@pytest.mark.parametrize("token", ["", "worker-secret"])
def test_worker_metrics_server_sees_forked_workers(token: str) -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(_WORKER_SCRIPT), token],
                          capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    status, text = result["token"] if token else result["anonymous"]
    assert status == 200
    if token:
        assert result["anonymous"][0] == 401
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert value(samples, "albumen_job_duration_seconds_count",
                 task="forked_ok", queue="media", outcome="success") == 2
    assert value(samples, "albumen_job_duration_seconds_count",
                 task="forked_bad", queue="media", outcome="error") == 1
    assert value(samples, "albumen_job_failures_total",
                 task="forked_bad", queue="media", final="true") == 1


@pytest.fixture
def json_logging() -> Iterator[None]:
    root = logging.getLogger()
    access = logging.getLogger("uvicorn.access")
    saved = (root.handlers[:], root.level, access.handlers[:], access.propagate)
    setup_logging("INFO", as_json=True)
    try:
        yield
    finally:
        root.handlers[:], level, access.handlers[:], access.propagate = saved
        root.setLevel(level)


def test_json_logs_carry_the_request_id(client: TestClient, json_logging: None,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    def noisy() -> dict[str, str]:  # a sync endpoint: runs in the thread pool
        logging.getLogger("albumen.test").warning("inside", extra={"answer": 42})
        return {}

    client.app.add_api_route("/_test/noisy", noisy)  # type: ignore[attr-defined]
    # setup_logging() made a handler on the stderr that capsys captures.
    setup_logging("INFO", as_json=True)
    capsys.readouterr()
    ids = {"/_test/noisy": "rid-noisy-1", "/api/v1/assets/424242": "rid-missing-2"}
    for path, rid in ids.items():
        response = client.get(path, headers={"X-Request-ID": rid})
        assert response.headers["X-Request-ID"] == rid
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    # The lines of the two requests (a background thread of the app, e.g. the vector index
    # loading, may log meanwhile: rightly without a request id, "-").
    ours = [doc for doc in lines if doc["logger"] in ("albumen.test", "albumen.access")]
    assert {doc["id"] for doc in ours} == {f"req:{rid}" for rid in ids.values()}

    inside = next(doc for doc in ours if doc["logger"] == "albumen.test")
    assert inside["id"] == "req:rid-noisy-1"
    assert inside["answer"] == 42
    access = [doc for doc in ours if doc["logger"] == "albumen.access"]
    assert [(d["id"], d["method"], d["route"], d["status"]) for d in access] == [
        ("req:rid-noisy-1", "GET", "/_test/noisy", 200),
        ("req:rid-missing-2", "GET", ASSET_ROUTE, 404),
    ]
    assert all(isinstance(d["duration_ms"], float) for d in access)
    assert access[1]["params"] == {"asset_id": "424242"}


def test_access_lines_leave_share_tokens_out(client: TestClient, json_logging: None,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", as_json=True)
    capsys.readouterr()
    client.get("/api/v1/share/not-a-real-token-123", headers={"Authorization": ""})
    err = capsys.readouterr().err
    access = [json.loads(line) for line in err.splitlines()
              if '"albumen.access"' in line]
    assert access and access[0]["route"] == "/api/v1/share/{token}"
    assert "not-a-real-token-123" not in json.dumps(access)
