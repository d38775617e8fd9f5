"""The webhook dispatcher's job and what its messages carry: the object each event is about,
as the webhook's owner would get it from this API (so an integrator parses one schema)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from albumen.api.analytics import ReportOut
from albumen.api.comments import CommentOut
from albumen.api.people import PersonOut
from albumen.api.schemas import AssetOut
from albumen.db.models import Asset, Comment, Person, Report
from albumen.events.access import visible_clause
from albumen.people import service as people_svc
from albumen.runtime import Runtime
from albumen.webhooks import dispatch


def render(session: Session, viewer: int, type: str, fields: dict[str, Any]
           ) -> dict[str, Any] | None:
    """``{"asset": …}``, ``{"comment": …}``, ``{"person": …}`` or ``{"report": …}`` for an
    event; None when the object is gone or no longer the viewer's to see."""
    found: dict[str, Any] = {}
    if isinstance(asset_id := fields.get("asset_id"), int):
        from sqlalchemy import select

        asset = session.scalar(select(Asset).where(Asset.id == asset_id,
                                                   visible_clause(viewer)))
        if asset is None:
            return None
        found["asset"] = AssetOut.one(session, asset, viewer).model_dump(mode="json")
    if isinstance(comment_id := fields.get("comment_id"), int):
        comment = session.get(Comment, comment_id)
        if comment is not None:
            found["comment"] = CommentOut.of(comment).model_dump(mode="json")
    if isinstance(person_id := fields.get("person_id"), int):
        person = session.get(Person, person_id)
        if person is not None and person.owner_id == viewer:
            found["person"] = PersonOut.of(people_svc.view(session, person)
                                           ).model_dump(mode="json")
    if isinstance(report_id := fields.get("report_id"), int):
        report = session.get(Report, report_id)
        if report is not None and report.owner_id == viewer:
            found["report"] = ReportOut.of(report).model_dump(mode="json")
    return found or None


def deliver(rt: Runtime) -> None:
    """The queue's ``deliver_webhooks`` job."""
    dispatch.deliver(rt, render)
