"""One JSON error shape for every error: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from albumen.errors import AlbumenError, RateLimited, Unauthorized

log = logging.getLogger(__name__)


def _error_models() -> dict[int | str, dict[str, Any]]:
    from albumen.api.schemas import ErrorResponse

    return {code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 413, 415, 422, 429)}


ERRORS = _error_models()

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 416: "range_not_satisfiable", 422: "invalid_input",
    429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


def _html(request: Request) -> bool:
    from albumen.web.render import wants_html

    return wants_html(request)


def _page(request: Request, status: int, message: str) -> Response:
    """Browsers on the web app's pages get a page (or the login) instead of JSON."""
    from albumen.web.render import error_page

    return error_page(request, status, message)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AlbumenError)
    async def _albumen(request: Request, exc: AlbumenError) -> Response:
        if _html(request):
            return _page(request, exc.status_code, exc.message)
        headers = None
        if isinstance(exc, RateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        elif isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        return error_response(exc.status_code, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if _html(request):
            # A page's address with a malformed id (/events/abc) names no page: 404;
            # other bad values of a page's query get the error page with the reason.
            in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
            return _page(request, 404 if in_path else 400,
                         "page not found" if in_path else "this address has a bad value")
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"loc": [], "message": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['message']}" if first["loc"] else first[
            "message"]
        return error_response(422, "invalid_input", message, {"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _html(request):
            return _page(request, exc.status_code, str(exc.detail))
        code = _HTTP_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail),
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        if _html(request):
            return _page(request, 500, "internal server error")
        return error_response(500, "internal_error", "internal server error")



# What a route that is not JSON answers, declared so OpenAPI (and the clients generated from
# it) know: a ZIP, an image, a stored file of any type, a table.
_BINARY = {"schema": {"type": "string", "format": "binary"}}
ZIP_BODY = {200: {"description": "a ZIP archive, streamed",
                  "content": {"application/zip": _BINARY}}}
IMAGE_BODY = {200: {"description": "the image", "content": {"image/webp": _BINARY,
                                                            "image/jpeg": _BINARY}}}
VIDEO_BODY = {200: {"description": "the video (Range requests: 206)",
                    "content": {"video/mp4": _BINARY, "video/webm": _BINARY}}}
FILE_BODY = {200: {"description": "the stored bytes (Range requests: 206)",
                   "content": {"application/octet-stream": _BINARY}}}
TABLE_BODY = {200: {"description": "the table", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BINARY,
    "text/csv": {"schema": {"type": "string"}}, "application/vnd.apache.parquet": _BINARY}}}
