"""/api/v1/status: processing counts, queue depth, workers, failures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from albumen.api.deps import RuntimeDep
from albumen.services.status import processing_status

router = APIRouter(prefix="/api/v1", tags=["status"])


@router.get("/status")
def status(rt: RuntimeDep) -> dict[str, Any]:
    return processing_status(rt)
