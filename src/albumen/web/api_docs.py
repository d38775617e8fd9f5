"""The interactive API docs: Swagger UI at /docs (its "Authorize" button logs in with the
OAuth2 password flow) and ReDoc at /redoc, both from the copies in static/vendor, so they work
on an installation with no internet. Swagger UI is started by static/api_docs.js rather than
an inline script: the pages' Content-Security-Policy runs scripts from albumen only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

from albumen import __version__
from albumen.web.render import templates

router = APIRouter(include_in_schema=False)
DOCS = "/docs"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
REDOC = "/redoc"
VENDOR = "/static/vendor"


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _openapi_url(request: Request) -> str:
    return _root(request) + (request.app.openapi_url or "/openapi.json")


@router.get(DOCS, response_class=HTMLResponse)
def swagger_ui(request: Request) -> Response:
    return templates.TemplateResponse(request, "api_docs.html", {
        "openapi_url": _openapi_url(request), "title": f"{request.app.title} API",
        "oauth2_redirect_url": _root(request) + OAUTH2_REDIRECT})


@router.get(OAUTH2_REDIRECT, response_class=HTMLResponse)
def swagger_ui_redirect() -> Response:
    """Where an OAuth2 authorisation-code or implicit flow returns to Swagger UI (the password
    flow needs no redirect; Swagger UI asks for the page all the same)."""
    return HTMLResponse('<!doctype html>\n<html lang="en"><head><title>albumen API</title>'
                        f'</head><body><script src="{VENDOR}/oauth2-redirect.js?v='
                        f'{__version__}"></script></body></html>\n')


@router.get(REDOC, response_class=HTMLResponse)
def redoc(request: Request) -> Response:
    return get_redoc_html(openapi_url=_openapi_url(request), title=f"{request.app.title} API",
                          redoc_js_url=f"{VENDOR}/redoc.standalone.js?v={__version__}",
                          redoc_favicon_url="/static/icon.svg", with_google_fonts=False)
