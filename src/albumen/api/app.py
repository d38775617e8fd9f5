"""The FastAPI application factory."""

from __future__ import annotations

import gc
import logging
import re
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from albumen import __version__
from albumen.api import (
    albums,
    analytics,
    assets,
    auth,
    clip,
    comments,
    discovery,
    documents,
    events,
    exports,
    health,
    images,
    links,
    live,
    memories,
    metrics,
    models,
    people,
    search,
    share,
    status,
    tiers,
    uploads,
    users,
    webhooks,
)
from albumen.api.errors import install_error_handlers
from albumen.insights.activity import Tracker
from albumen.insights.devices import device_class, request_device
from albumen.logging import context_id
from albumen.runtime import Runtime, get_runtime

log = logging.getLogger(__name__)


# Share tokens travel in URLs: never leak them in a Referer header.
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
}
# The API answers JSON, images and files: nothing in them may run or load anything.
_API_CSP = "default-src 'none'; frame-ancestors 'none'"


def web_csp(request: Request) -> str:
    """The web app's pages run only albumen's own scripts; images may also come from the
    configured map tile server, and originals from the object store when downloads are
    redirected to pre-signed URLs."""
    rt = getattr(request.app.state, "runtime", None)
    extra = [origin for origin in (rt.settings.map_tile_origin if rt else "",
                                   rt.storage.download_origin() if rt else None) if origin]
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:{''.join(' ' + o for o in extra)}; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


# The API docs (web/api_docs.py): scripts and styles from albumen only; Swagger UI sets no
# inline styles but ReDoc's styled-components inject <style> elements, and ReDoc builds its
# search index in a worker made from a blob of its own bundled code.
_DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
_REDOC_CSP = ("default-src 'self'; script-src 'self'; worker-src blob:; "
              "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _secure_headers(request: Request, headers: MutableHeaders) -> None:
    for name, value in _SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    path = request.url.path
    if path.startswith(("/api/", "/health", "/metrics")):
        headers.setdefault("Content-Security-Policy", _API_CSP)
    elif path == "/docs" or path.startswith("/docs/"):
        headers.setdefault("Content-Security-Policy", _DOCS_CSP)
    elif path == "/redoc":
        headers.setdefault("Content-Security-Policy", _REDOC_CSP)
    else:
        headers.setdefault("Content-Security-Policy", web_csp(request))
    if request.url.scheme == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


class RequestContextMiddleware:
    """The request id (X-Request-ID, and on every log line) and the security headers. Pure
    ASGI: Starlette's BaseHTTPMiddleware ran each request in a task group of its own and each
    chunk of an upload through an extra task, a third of the event loop's time under 50
    concurrent uploads (bench/upload_load.py --profile)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        rid = sent.decode("latin-1")[:64] or uuid.uuid4().hex[:16]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = rid
                _secure_headers(Request(scope), headers)
            await send(message)

        agent = next((v for k, v in scope["headers"] if k == b"user-agent"), b"")
        token = context_id.set(f"req:{rid}")
        device = request_device.set(device_class(agent.decode("latin-1")))
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            request_device.reset(device)
            context_id.reset(token)


def create_app(rt: Runtime | None = None, *, start_workers: bool | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = rt or get_runtime()
        runtime.migrate()
        app.state.runtime = runtime
        # Uploads hold a thread while their bytes arrive (slow phones: seconds); they take
        # turns for threads of their own, so other requests never queue behind them for the
        # shared pool (api/assets.py receive_upload; bench/upload_load.py).
        app.state.upload_threads = anyio.CapacityLimiter(runtime.settings.upload_threads)
        host = None
        settings = runtime.settings
        workers_wanted = settings.in_process_workers if start_workers is None else start_workers
        claim = None
        if workers_wanted and not settings.queue_immediate:
            from albumen.worker.host import WorkerHost, claim_in_process_workers

            claim = claim_in_process_workers(settings.data_dir)
            if claim is None:
                log.info("in-process workers run in another process of this installation's "
                         "serve: this one serves requests only")
            else:
                host = WorkerHost(runtime, settings.workers, settings.worker_type)
                host.start()
        if start_workers is not False:  # tests that build many apps skip the warm-up
            from albumen import vectors

            vectors.warm_up(runtime)
            # Everything loaded at start lives as long as the process: keep it out of the
            # cyclic collector's full passes, which otherwise stall a request by ~50 ms now
            # and then (bench/search.py: p99 74 -> 18 ms for a 15 ms query).
            gc.freeze()
            # Requests hop between the event loop and the thread pool several times; with an
            # upload or a worker thread busy, each hop waited up to the GIL's 5 ms switch
            # interval. 1 ms: read p99 under 50 uploaders (bench/upload_load.py).
            sys.setswitchinterval(0.001)
        try:
            yield
        finally:
            if host is not None:
                host.stop(graceful=True)
            if claim is not None:
                claim.close()
            writer = runtime.owned(Tracker)
            if writer is not None:
                writer.stop()  # the last few seconds of activity
            if "hub" in vars(runtime):  # made: stop hearing the other processes
                runtime.hub.close()

    app = FastAPI(
        title="albumen",
        version=__version__,
        description="Self-hosted photo platform: ingest, on-device AI, sharing, search.",
        lifespan=lifespan,
        # /docs and /redoc are albumen's own pages (web/api_docs.py), from vendored assets:
        # FastAPI's load Swagger UI and ReDoc from a CDN, and run an inline script.
        docs_url=None, redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    install_error_handlers(app)
    # /metrics, and the middleware that measures and logs each request: added first, so it
    # runs inside the request id's context below (its access line carries the id).
    metrics.install(app)
    app.add_middleware(RequestContextMiddleware)

    for module in (health, auth, users, assets, albums, events, links, share, people, clip, search,
                   status, comments, analytics, documents, live, webhooks, images, uploads,
                   tiers, exports, discovery, memories):
        app.include_router(module.router)
    app.include_router(uploads.guest_router)
    app.include_router(comments.guest_router)
    app.include_router(analytics.reports_router)
    app.include_router(discovery.related_router)
    app.include_router(models.router)
    from albumen import web

    web.install(app)
    return app


def operation_id(route: APIRoute) -> str:
    """A route's OpenAPI operation id: its tag and its function's name (``assets_upload``),
    stable as paths change; the generated clients name their methods after it. Unique and
    matching the committed document: tests/test_openapi.py."""
    tag = re.sub(r"[^a-z0-9]+", "_", str(route.tags[0] if route.tags else "albumen").lower())
    return f"{tag}_{route.name}"


def app_from_settings() -> FastAPI:
    """The app of one process of `albumen serve --processes N` (uvicorn's factory): each
    process reads the settings from the environment and sets up its own logging."""
    from albumen.config import get_settings
    from albumen.logging import setup_logging

    settings = get_settings()
    setup_logging(settings.log_level, settings.log_json)
    return create_app()
