"""PDF reports made in the background: the request is checked and recorded at once, a worker
builds the file (progress in the database), the owner downloads it when done. A worker that
dies mid-report leaves it "running" with an expired lease; the reconciler queues it again."""

from __future__ import annotations

import io
import logging
import tempfile
from datetime import timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.engagement import (
    REPORT_DONE,
    REPORT_FAILED,
    REPORT_QUEUED,
    REPORT_RUNNING,
    Report,
)
from albumen.db.models import COHOST, Asset, Guest, User
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import require_event
from albumen.insights import analytics, highlights
from albumen.notify import emit
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
KINDS = ("event", "contact_sheet")
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
MAX_SHEET = 2000  # photos on one contact sheet


def request_report(rt: Runtime, user_id: int, kind: str, params: dict[str, Any]) -> int:
    """Check what is asked for (who may see it) and queue it; returns the report id."""
    if kind not in KINDS:
        raise InvalidInput(f"report kinds: {', '.join(KINDS)}")
    with rt.transaction() as session:
        title = _title(session, user_id, kind, params)
        report = Report(owner_id=user_id, kind=kind, params=params, title=title)
        session.add(report)
        session.flush()
        report_id = report.id
    rt.queue.enqueue_report(report_id)
    return report_id


def _title(session: Session, user_id: int, kind: str, params: dict[str, Any]) -> str:
    if kind == "event":
        event, _ = require_event(session, user_id, int(params.get("event_id") or 0), COHOST)
        return f"{event.title} — event report"
    from albumen.insights.exports import asset_ids_for

    if not any(params.get(k) for k in ("event_id", "album_id", "q")):
        raise InvalidInput("a contact sheet is of an event, an album or a search (q)")
    asset_ids_for(session, user_id, event_id=params.get("event_id"),
                  album_id=params.get("album_id"), q=params.get("q"))  # checks access
    if params.get("album_id"):
        from albumen.library.albums import get_album

        return f"{get_album(session, user_id, params['album_id']).album.title} — contact sheet"
    if params.get("event_id"):
        event, _ = require_event(session, user_id, params["event_id"])
        return f"{event.title} — contact sheet"
    return f"Search “{params['q']}” — contact sheet"


def get_report(session: Session, user_id: int, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None or report.owner_id != user_id:
        raise NotFound(f"report {report_id} not found")
    return report


def list_reports(session: Session, user_id: int) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.owner_id == user_id)
                                .order_by(Report.id.desc()).limit(100)))


def _claim(rt: Runtime, report_id: int) -> bool:
    now = utcnow()
    with rt.transaction() as session:
        claimed = session.execute(
            update(Report).where(Report.id == report_id, or_(
                Report.state == REPORT_QUEUED,
                (Report.state == REPORT_RUNNING) & (Report.lease_until < now)))
            .values(state=REPORT_RUNNING, started_at=now, lease_until=now + LEASE,
                    progress=0.0, attempts=Report.attempts + 1)).rowcount
    return bool(claimed)


def build(rt: Runtime, report_id: int) -> str:
    """The job: make the PDF, store it, mark the report done (or failed, with the reason)."""
    if not _claim(rt, report_id):
        return "skipped"
    with rt.session() as session:
        report = session.get(Report, report_id)
        assert report is not None
        kind, params, owner, attempts = report.kind, dict(report.params), report.owner_id, \
            report.attempts
    last = [0.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.05 or fraction >= 1.0:
            last[0] = fraction
            with rt.transaction() as session:
                session.execute(update(Report).where(Report.id == report_id).values(
                    progress=round(min(fraction, 0.99), 3), lease_until=utcnow() + LEASE))

    try:
        with tempfile.TemporaryFile() as out:
            if kind == "event":
                _event_pdf(rt, owner, int(params["event_id"]), out, progress)
            else:
                _sheet_pdf(rt, owner, params, out, progress)
            size = out.tell()
            out.seek(0)
            data = out.read()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        key = f"reports/{report_id}.pdf"
        rt.storage.put_bytes(key, data)
    except Exception as exc:
        log.exception("report %s failed", report_id)
        final = attempts >= MAX_ATTEMPTS or not _transient(exc)
        with rt.transaction() as session:
            session.execute(update(Report).where(Report.id == report_id).values(
                state=REPORT_FAILED if final else REPORT_QUEUED, error=str(exc)[:2000],
                lease_until=None))
        if not final:
            rt.queue.enqueue_report(report_id)
        return "failed"
    with rt.transaction() as session:
        session.execute(update(Report).where(Report.id == report_id).values(
            state=REPORT_DONE, progress=1.0, pages=pages, size=size, storage_key=key,
            finished_at=utcnow(), lease_until=None, error=None))
        emit(session, "report.ready", report_id=report_id, owner_id=owner, kind=kind,
             event_id=params.get("event_id"))
    return "done"


def _transient(exc: Exception) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError | OSError)


def _caption(session: Session, asset: Asset) -> str:
    by = None
    if asset.guest_id and (guest := session.get(Guest, asset.guest_id)):
        by = guest.name
    elif asset.uploaded_by_id and (user := session.get(User, asset.uploaded_by_id)):
        by = user.display_name or user.username
    when = asset.local_at.strftime("%-d %b %H:%M") if asset.local_at else ""
    return " · ".join(p for p in (by, when) if p)


def _event_pdf(rt: Runtime, owner: int, event_id: int, out: Any, progress: Any) -> None:
    from albumen.insights import pdf  # matplotlib and reportlab: loaded by report jobs only

    with rt.session() as session:
        dashboard = analytics.event_dashboard(session, owner, event_id)
        event, _ = require_event(session, owner, event_id, COHOST)
        session.expunge(event)
        picks = highlights.highlights(session, owner, event_id, 12)
        captions = {a.id: _caption(session, a) for a in session.scalars(
            select(Asset).where(Asset.id.in_([p.asset_id for p in picks])))}
    progress(0.1)
    pdf.event_report(rt, dashboard, event, picks, captions, out, progress)


def _sheet_pdf(rt: Runtime, owner: int, params: dict[str, Any], out: Any,
               progress: Any) -> None:
    from albumen.insights import pdf
    from albumen.insights.exports import asset_ids_for

    with rt.session() as session:
        title = _title(session, owner, "contact_sheet", params).removesuffix(" — contact sheet")
        ids = asset_ids_for(session, owner, event_id=params.get("event_id"),
                            album_id=params.get("album_id"), q=params.get("q"))[:MAX_SHEET]
        found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(ids)))}
        cells = [(i, f"{found[i].original_filename}\n{_caption(session, found[i])}")
                 for i in ids if i in found]
    pdf.contact_sheet(rt, title, f"{len(cells)} photo{'s' if len(cells) != 1 else ''}",
                      cells, out, progress)


def stalled(session: Session) -> list[int]:
    """Reports to queue again: running with an expired lease (their worker died), or queued
    for longer than a lease (their queue message was lost)."""
    now = utcnow()
    return list(session.scalars(select(Report.id).where(or_(
        (Report.state == REPORT_RUNNING) & (Report.lease_until < now),
        (Report.state == REPORT_QUEUED) & (Report.created_at < now - LEASE)))))
