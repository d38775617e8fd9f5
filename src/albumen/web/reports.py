"""Your PDF reports: state, progress while they are made, download when done."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from albumen.api.deps import RuntimeDep
from albumen.insights import reports
from albumen.web.render import UserDep, page

router = APIRouter(include_in_schema=False)


@router.get("/reports", response_class=HTMLResponse)
def report_list(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        found = reports.list_reports(session, who.user_id)
    busy = any(r.state in ("queued", "running") for r in found)
    return page(request, "reports.html", who, title="Reports", reports=found, busy=busy)
