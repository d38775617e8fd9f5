"""Administration: users, processing status and failures, models, storage, webhooks and
their deliveries (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from albumen.accounts import audit, users
from albumen.api.deps import RuntimeDep
from albumen.db.models import DONE, FAILED, PENDING, RUNNING
from albumen.library.status import format_duration, processing_status, storage_use
from albumen.operations.models_status import list_models
from albumen.web.render import AdminPageDep, page
from albumen.webhooks import service as webhooks
from albumen.webhooks.service import Caller

router = APIRouter(include_in_schema=False)
STAGE_STATES = (PENDING, RUNNING, DONE, FAILED)
AUDIT_SHOWN = 50
DELIVERIES_SHOWN = 30


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, rt: RuntimeDep, who: AdminPageDep) -> Response:
    with rt.session() as session:
        accounts = [(u, users.storage_used(session, u.id)) for u in users.list_users(session)]
        storage = storage_use(session)
        recent = audit.query(session, limit=AUDIT_SHOWN)
        me = Caller(user_id=who.user_id, admin=True)
        hooks = webhooks.list_for(session, me)
        sent = webhooks.recent_deliveries(session, me, limit=DELIVERIES_SHOWN)
    status = processing_status(rt)
    return page(request, "admin.html", who, title="Administration", nav="admin",
                accounts=accounts, storage=storage, status=status, stage_states=STAGE_STATES,
                audit=recent, names={u.id: u.username for u, _ in accounts},
                models=list_models(rt, full=True), duration=format_duration,
                webhooks=hooks, deliveries=sent)
