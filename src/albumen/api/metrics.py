"""GET /metrics (Prometheus) and the middleware that measures and logs every request.

Requests are labelled by their route's template (``/api/v1/assets/{asset_id}``), never by the
raw path, so the number of series stays bounded whatever clients send.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from prometheus_client.exposition import choose_encoder
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from albumen.errors import Forbidden, Unauthorized
from albumen.observability import (
    HTTP_IN_PROGRESS,
    RuntimeCollector,
    access_denied,
    app_registry,
    metrics_token,
    observe_request,
)
from albumen.operations.metrics import database_families

router = APIRouter(include_in_schema=False)
access_log = logging.getLogger("albumen.access")

# Probes and scrapes come every few seconds: their access lines are DEBUG.
QUIET_ROUTES = frozenset({"/health/live", "/health/ready", "/metrics"})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    token = metrics_token(request.app.state.runtime.settings)
    client = request.client.host if request.client else None
    denied = access_denied(client, request.headers, token)
    if denied == 401:
        raise Unauthorized("metrics need the bearer token set in ALBUMEN_METRICS_TOKEN")
    if denied is not None:
        raise Forbidden("metrics are served to loopback callers only, unless "
                        "ALBUMEN_METRICS_TOKEN is set")
    collector: RuntimeCollector = request.app.state.metrics_collector
    encoder, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encoder(app_registry(collector)), media_type=content_type)


def install(app: Any) -> None:
    """The /metrics route, its collector of the app's runtime, and the request middleware."""
    app.state.metrics_collector = RuntimeCollector(lambda: app.state.runtime, database_families)
    app.include_router(router)
    app.add_middleware(RequestMetricsMiddleware)


class RequestMetricsMiddleware:
    """Counts, times and logs each HTTP request (pure ASGI: the time includes streaming the
    body, and nothing is buffered)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        HTTP_IN_PROGRESS.inc()
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            HTTP_IN_PROGRESS.dec()
            seconds = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", None)
            observe_request(scope["method"], route, status, seconds)
            _log_access(scope, route, status, seconds)


def _log_access(scope: Scope, route: str | None, status: int, seconds: float) -> None:
    level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
    if not access_log.isEnabledFor(level):
        return
    method = scope["method"]
    duration_ms = round(seconds * 1000, 1)
    extra: dict[str, Any] = {"method": method, "route": route, "status": status,
                             "duration_ms": duration_ms}
    if route is None:
        extra["path"] = scope.get("path", "")[:200]
    else:  # ids help; share tokens are secrets and stay out of the logs
        params = {k: v for k, v in scope.get("path_params", {}).items() if "token" not in k}
        if params:
            extra["params"] = params
    client = scope.get("client")
    if client:
        extra["client"] = client[0]
    access_log.log(level, "%s %s %d %.1f ms", method, route or extra["path"], status,
                   duration_ms, extra=extra)
