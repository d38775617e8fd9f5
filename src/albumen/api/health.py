"""/health/live and /health/ready (database, queue and storage)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from albumen.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready")
def ready(rt: RuntimeDep) -> Any:
    checks: dict[str, str] = {}

    def probe(name: str, fn: Any) -> None:
        try:
            fn()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"error: {type(exc).__name__}: {exc}"

    def database() -> None:
        with rt.session() as session:
            session.execute(text("SELECT 1"))

    probe("database", database)
    probe("queue", lambda: rt.queue.check())
    probe("storage", lambda: rt.storage.check())
    ok = all(v == "ok" for v in checks.values())
    if ok:
        return {"status": "ok", "checks": checks}
    return JSONResponse(
        {"error": {"code": "unavailable", "message": "not ready", "details": {"checks": checks}}},
        status_code=503,
    )
