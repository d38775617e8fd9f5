"""The web app: server-rendered pages (Jinja2 + htmx) over the same services as the API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    from albumen.web import (
        account,
        admin,
        api_docs,
        discovery,
        events,
        guest,
        library,
        people,
        reports,
    )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (account, library, discovery, events, guest, reports, people, admin,
                   api_docs):
        app.include_router(module.router)
