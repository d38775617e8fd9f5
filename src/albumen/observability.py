"""Prometheus metrics: HTTP requests, jobs, and gauges read from the database at scrape time.

- HTTP metrics (api/metrics.py records them) and job metrics (``install_job_metrics``) are
  process-wide objects in prometheus_client's default registry.
- What lives in the database (assets by state, stages by stage and state, bytes stored, live
  workers: operations/metrics.py) and the queue depths are read when Prometheus scrapes, by
  ``RuntimeCollector``, through a cache whose lifetime grows with the cost of the queries.
- The API serves everything at ``/metrics``; a standalone worker serves its job metrics with
  ``start_metrics_server()`` (multi-process aware: Huey's process workers are forked children).

Access: without ``ALBUMEN_METRICS_TOKEN`` only loopback callers that did not come through a
proxy get the metrics; with it, every caller must send ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import ThreadingWSGIServer, make_wsgi_app
from prometheus_client.registry import Collector

from albumen.security.secrets import same

if TYPE_CHECKING:
    from huey import Huey

    from albumen.runtime import Runtime

log = logging.getLogger(__name__)

# No `_created` series: they double what is stored and Prometheus does not need them.
disable_created_metrics()

# Anything else a client sends is counted as "OTHER": labels must stay a small, known set.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0)

HTTP_REQUESTS = Counter(
    "albumen_http_requests", "HTTP requests answered, by route template and status class",
    ["method", "route", "status"])
HTTP_DURATION = Histogram(
    "albumen_http_request_duration_seconds",
    "Time from the request's arrival to the response's last byte",
    ["method", "route", "status"], buckets=LATENCY_BUCKETS)
HTTP_IN_PROGRESS = Gauge("albumen_http_requests_in_progress", "HTTP requests being answered")


def http_labels(method: str, route: str | None, status: int) -> tuple[str, str, str]:
    """(method, route template or "unmatched", status class such as "2xx")."""
    return (method if method in HTTP_METHODS else "OTHER", route or UNMATCHED,
            f"{status // 100}xx")


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    labels = http_labels(method, route, status)
    HTTP_REQUESTS.labels(*labels).inc()
    HTTP_DURATION.labels(*labels).observe(seconds)


# --- jobs ------------------------------------------------------------------------------------

@dataclass
class _JobMetrics:
    duration: Histogram
    failures: Counter
    retries: Counter


_job_metrics: _JobMetrics | None = None
_job_lock = threading.Lock()


def job_metrics() -> _JobMetrics:
    """The job metrics, made on first use (after ``use_multiprocess_dir`` when a worker
    serves its own metrics, so they are written where its forked workers can be read)."""
    global _job_metrics
    with _job_lock:
        if _job_metrics is None:
            _job_metrics = _JobMetrics(
                Histogram("albumen_job_duration_seconds",
                          "Job run time, by task, queue and outcome (success, error, timeout, "
                          "canceled, interrupted...)",
                          ["task", "queue", "outcome"], buckets=JOB_BUCKETS),
                Counter("albumen_job_failures", "Job runs that failed; final=\"true\" when no "
                        "retry is left", ["task", "queue", "final"]),
                Counter("albumen_job_retries", "Job runs queued again after a failure",
                        ["task", "queue"]),
            )
        return _job_metrics


# Huey signal -> the outcome label of a run that started (SIGNAL_EXECUTING) and ended so.
_OUTCOMES = {"complete": "success", "error": "error", "timeout": "timeout",
             "canceled": "canceled", "interrupted": "interrupted", "locked": "locked",
             "rate-limited": "rate_limited"}


def install_job_metrics(huey: Huey, queue: str | None = None) -> None:
    """Record every run of ``huey``'s tasks: duration by outcome, failures, retries.

    Huey sends its signals in the process and thread that runs the task; the start time is
    kept per task id until the run's final signal. ``queue`` labels the series (default: the
    Huey instance's name).
    """
    from huey import signals as S

    queue_label = queue or huey.name
    started: dict[str, float] = {}
    lock = threading.Lock()

    def executing(signal: str, task: Any, *args: Any) -> None:
        with lock:
            started[task.id] = time.perf_counter()

    def finished(signal: str, task: Any, *args: Any) -> None:
        with lock:
            start = started.pop(task.id, None)
        if start is None:  # the run began before these handlers were installed
            return
        metrics = job_metrics()
        name = task.name
        metrics.duration.labels(name, queue_label, _OUTCOMES[signal]).observe(
            time.perf_counter() - start)
        if signal in ("error", "timeout"):
            final = "false" if task.retries else "true"
            metrics.failures.labels(name, queue_label, final).inc()

    def retrying(signal: str, task: Any, *args: Any) -> None:
        job_metrics().retries.labels(task.name, queue_label).inc()

    huey.signal(S.SIGNAL_EXECUTING)(executing)
    huey.signal(*_OUTCOMES)(finished)
    huey.signal(S.SIGNAL_RETRYING)(retrying)


# --- gauges read at scrape time ---------------------------------------------------------------

def queue_depths(rt: Runtime) -> dict[str, int]:
    """Messages waiting, per named queue."""
    return rt.queue.depths()


class RuntimeCollector(Collector):
    """Queue depths (read on every scrape) and what the database knows (cached).

    The database part is cached for ``min_ttl`` seconds, or 20 times as long as its queries
    took, whichever is longer: reading it then never costs the database more than about 5 %
    of its time, however large the library (a full ``GROUP BY`` of the stages table is a
    scan: ~1.2 s per 2 M stage rows on SQLite here). An expired answer is still served while a
    background thread reads the new one, so only the very first scrape waits for the queries.
    """

    def __init__(self, runtime: Callable[[], Runtime],
                 database: Callable[[Runtime], Iterable[Metric]], min_ttl: float = 10.0) -> None:
        self._runtime = runtime
        self._families = database  # operations/metrics.py
        self.min_ttl = min_ttl
        self._lock = threading.Lock()  # guards the fields below
        self._read_lock = threading.Lock()  # one reading of the database at a time
        self._cached: list[Metric] | None = None
        self._expires = 0.0
        self._refreshing = False

    def invalidate(self) -> None:
        """Forget the cached answer: the next scrape reads the database (and waits)."""
        with self._lock:
            self._cached = None

    def collect(self) -> Iterator[Metric]:
        rt = self._runtime()
        try:
            depths = queue_depths(rt)
        except Exception as exc:
            log.warning("metrics: queue depth unavailable: %s", exc)
        else:
            gauge = GaugeMetricFamily("albumen_queue_depth", "Jobs waiting in each queue",
                                      labels=["queue"])
            for name, depth in sorted(depths.items()):
                gauge.add_metric([name], depth)
            yield gauge
        yield from self._database(rt)

    def _database(self, rt: Runtime) -> list[Metric]:
        with self._lock:
            cached = self._cached
            if cached is not None:
                if time.monotonic() >= self._expires and not self._refreshing:
                    self._refreshing = True
                    threading.Thread(target=self._read, args=(rt,), daemon=True,
                                     name="albumen-metrics").start()
                return cached
        return self._read(rt)

    def _read(self, rt: Runtime) -> list[Metric]:
        with self._read_lock:
            with self._lock:  # a concurrent first scrape may have read it meanwhile
                if self._cached is not None and not self._refreshing:
                    return self._cached
            start = time.perf_counter()
            try:
                families = list(self._families(rt))
            except Exception as exc:
                log.warning("metrics: database figures unavailable: %s", exc)
                families = []
            took = time.perf_counter() - start
            timing = GaugeMetricFamily(
                "albumen_metrics_database_seconds",
                "How long the last reading of the database figures took")
            timing.add_metric([], took)
            answer = [*families, timing]
            with self._lock:
                self._cached = answer
                self._expires = time.monotonic() + max(self.min_ttl, 20 * took)
                self._refreshing = False
            return answer


class _Registry:
    """The process-wide metrics plus further collectors, for one exposition."""

    def __init__(self, *collectors: Any) -> None:
        self._collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self._collectors:
            yield from collector.collect()


def app_registry(collector: RuntimeCollector) -> _Registry:
    """What the API's /metrics shows: the process's metrics and the runtime's gauges."""
    return _Registry(REGISTRY, collector)


# --- access -----------------------------------------------------------------------------------

_FORWARDED = ("x-forwarded-for", "forwarded", "x-real-ip")


def metrics_token(settings: Any) -> str | None:
    """ALBUMEN_METRICS_TOKEN (plain or SecretStr); None when unset or empty."""
    token = getattr(settings, "metrics_token", None)
    if token is not None and hasattr(token, "get_secret_value"):
        token = token.get_secret_value()
    return token or None


def access_denied(client_host: str | None, headers: Mapping[str, str],
                  token: str | None) -> int | None:
    """None when the caller may read the metrics, else 401 or 403.

    ``headers`` are lower-case names. With a token configured, every caller must send it;
    without, only loopback callers may read, and not through a proxy (which would make every
    visitor look local).
    """
    if token:
        sent = headers.get("authorization", "")
        scheme, _, value = sent.partition(" ")
        return None if scheme.lower() == "bearer" and same(value.strip(), token) else 401
    if any(name in headers for name in _FORWARDED):
        return 403
    try:
        address = ipaddress.ip_address(client_host or "")
    except ValueError:
        return 403
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return None if address.is_loopback else 403


# --- a worker's own metrics endpoint -----------------------------------------------------------

def use_multiprocess_dir(path: str | None = None) -> str:
    """Write metrics to files in ``path`` (a new temporary folder by default), so the job
    metrics of forked worker processes can be read by this process. Call it before the
    workers start."""
    directory = path or tempfile.mkdtemp(prefix="albumen-metrics-")
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):  # what a previous run left is not ours to count
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    values.ValueClass = values.MultiProcessValue()
    global _job_metrics
    with _job_lock:
        if _job_metrics is not None:
            for metric in (_job_metrics.duration, _job_metrics.failures, _job_metrics.retries):
                REGISTRY.unregister(metric)
            _job_metrics = None
    job_metrics()
    return directory


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class MetricsServer:
    server: ThreadingWSGIServer
    thread: threading.Thread
    directory: str

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.directory, ignore_errors=True)


def start_metrics_server(port: int, addr: str = "127.0.0.1",
                         token: str | None = None) -> MetricsServer:
    """Serve this process's job metrics (and those of its forked workers) at
    http://ADDR:PORT/metrics from a daemon thread, with the API's access rule (``token``:
    ``metrics_token(settings)``). Call it before starting the workers. Port 0 picks a free
    port (``.port`` says which)."""
    from prometheus_client import multiprocess

    directory = use_multiprocess_dir()
    atexit.register(shutil.rmtree, directory, True)  # forked workers leave by os._exit
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    metrics_app = make_wsgi_app(registry)

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        headers = {key[5:].replace("_", "-").lower(): value
                   for key, value in environ.items() if key.startswith("HTTP_")}
        denied = access_denied(environ.get("REMOTE_ADDR"), headers, token)
        if denied is not None:
            start_response(f"{denied} {'Unauthorized' if denied == 401 else 'Forbidden'}",
                           [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
            return [b"metrics: not allowed\n"]
        return metrics_app(environ, start_response)

    class Server(ThreadingWSGIServer):
        address_family = socket.AF_INET6 if ":" in addr else socket.AF_INET

    httpd = make_server(addr, port, app, Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="albumen-metrics", daemon=True)
    thread.start()
    log.info("metrics served at http://%s:%d/metrics", addr, httpd.server_address[1])
    return MetricsServer(httpd, thread, directory)
