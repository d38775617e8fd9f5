"""/api/v1/models: the models albumen uses, whether each can run here, loaded, its last error.

Any signed-in caller may read it (an app needs to know whether, say, CLIP search works here);
administrators also get what concerns the whole instance: the last failures with their asset
ids and reasons, failure counts, weight file paths and the caption endpoint.
"""

from __future__ import annotations

from fastapi import APIRouter

from albumen.api.deps import PrincipalDep, RuntimeDep
from albumen.api.errors import ERRORS
from albumen.operations.models_status import ModelsOut, list_models

router = APIRouter(prefix="/api/v1", tags=["models"], responses=ERRORS)


@router.get("/models", response_model=ModelsOut,
            summary="Each model: what it does, its stages, installed here or why not, loaded, "
                    "version, size and last error (errors for administrators)")
def models(principal: PrincipalDep, rt: RuntimeDep) -> ModelsOut:
    return list_models(rt, full=principal.admin)
