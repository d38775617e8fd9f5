"""/api/v1/analytics: an event's dashboard for its hosts, the instance's for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from albumen.api.deps import ActorDep, AdminDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS, TABLE_BODY
from albumen.api.types import Id, IdPath, IdQuery
from albumen.insights import analytics as svc
from albumen.insights import charts, exports, forecast, highlights, reports, segments

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], responses=ERRORS)


@router.get("/events/{event_id}",
            summary="An event's dashboard: totals, uploads and views over time (in the "
                    "event's time zone), peak hours, top contributors, most viewed and liked "
                    "photos, people, moderation, sentiment (hosts only)")
def event(event_id: IdPath, principal: PrincipalDep, session: SessionDep) -> dict[str, Any]:
    return svc.event_dashboard(session, principal.user_id, event_id)


@router.get("/events/{event_id}/series", summary="One metric per local hour or day")
def event_series(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                 metric: Annotated[Literal["uploads", "views", "downloads", "reactions",
                                           "comments"], Query()] = "uploads",
                 bucket: Annotated[Literal["hour", "day"], Query()] = "hour",
                 ) -> list[dict[str, Any]]:
    return svc.series(session, principal.user_id, event_id, metric, bucket)


@router.get("/events/{event_id}/anomalies",
            summary="Hours when one link or address uploaded or viewed far more than usual")
def event_anomalies(event_id: IdPath, principal: PrincipalDep, session: SessionDep
                    ) -> list[dict[str, Any]]:
    return svc.anomalies(session, principal.user_id, event_id)


@router.get("/events/{event_id}/charts/{name}.{fmt}", response_class=Response,
            summary="A chart of the event: uploads, views, peak-hours, contributors, or the "
                    "last week and the next day's forecast (forecast-uploads, forecast-views)",
            responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
async def event_chart(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                      name: Literal["uploads", "views", "peak-hours", "contributors",
                                    "forecast-uploads", "forecast-views"],
                      fmt: Literal["png", "svg"]) -> Response:
    if name.startswith("forecast-"):
        metric = name.removeprefix("forecast-")
        doc = await run_in_threadpool(forecast.event_forecast, session, principal.user_id,
                                      event_id, metric)
        figure = lambda: charts.forecast(doc, f"{metric.capitalize()} per hour: the last "  # noqa: E731
                                              f"week and the next 24 h")
    else:
        dashboard = await run_in_threadpool(svc.event_dashboard, session, principal.user_id,
                                            event_id)
        figure = lambda: charts.event_chart(dashboard, name)  # noqa: E731
    data = await run_in_threadpool(lambda: charts.render(figure(), fmt))
    return Response(data, media_type=charts.FORMATS[fmt],
                    headers={"Cache-Control": "private, max-age=60"})


class Highlight(BaseModel):
    asset_id: int
    score: float
    reasons: list[str]


HighlightLimit = Annotated[int, Query(ge=1, le=200)]


@router.get("/events/{event_id}/highlights", response_model=list[Highlight],
            summary="The event's best photos: engagement, quality and variety")
def event_highlights(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                     limit: HighlightLimit = 12) -> list[Highlight]:
    return [Highlight(asset_id=p.asset_id, score=p.score, reasons=p.reasons)
            for p in highlights.highlights(session, principal.user_id, event_id, limit)]


class HighlightAlbum(BaseModel):
    album_id: int
    photos: int


@router.post("/events/{event_id}/highlights/album", response_model=HighlightAlbum,
             status_code=201, summary="Make an album of the event's highlights (yours)")
def highlights_album(event_id: IdPath, principal: PrincipalDep, actor: ActorDep,
                     rt: RuntimeDep, limit: HighlightLimit = 24) -> HighlightAlbum:
    album_id, n = highlights.make_album(rt, principal.user_id, event_id, limit, actor)
    return HighlightAlbum(album_id=album_id, photos=n)


Format = Literal["csv", "xlsx", "parquet"]


def _download(file: Any, fmt: str, name: str) -> StreamingResponse:
    def chunks() -> Any:
        with file:
            while block := file.read(1 << 16):
                yield block

    return StreamingResponse(chunks(), media_type=exports.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "Cache-Control": "no-store"})


@router.get("/events/{event_id}/export.{fmt}", response_class=StreamingResponse,
            responses=TABLE_BODY,
            summary="The dashboard's tables and the raw activity: Excel (a sheet per table), "
                    "or one table as CSV or Parquet")
def event_export(event_id: IdPath, fmt: Format, principal: PrincipalDep, session: SessionDep,
                 table: Annotated[str | None, Query(max_length=40)] = None
                 ) -> StreamingResponse:
    tables = exports.event_tables(session, principal.user_id, event_id)
    if table is not None:
        tables = [t for t in tables if t.name == table]
        if not tables:
            from albumen.errors import InvalidInput

            known = ", ".join(t.name for t in exports.event_tables(
                session, principal.user_id, event_id))
            raise InvalidInput(f"no table {table!r}; tables: {known}")
    elif fmt != "xlsx":
        tables = [t for t in tables if t.name == "activity"]
    return _download(exports.to_file(tables, fmt), fmt, f"event-{event_id}-"
                     f"{table or ('analytics' if fmt == 'xlsx' else 'activity')}")


@router.get("/assets.{fmt}", response_class=StreamingResponse, responses=TABLE_BODY,
            summary="Metadata of an event's, an album's or a search's photos (that you may see)")
def assets_export(fmt: Format, principal: PrincipalDep, session: SessionDep,
                  event_id: IdQuery = None, album_id: IdQuery = None,
                  q: Annotated[str | None, Query(max_length=2000)] = None
                  ) -> StreamingResponse:
    ids = exports.asset_ids_for(session, principal.user_id, event_id=event_id,
                                album_id=album_id, q=q)
    table = exports.asset_table(session, ids)
    return _download(exports.to_file([table], fmt), fmt, "photos")


ForecastMetric = Annotated[Literal["uploads", "views"], Query()]


@router.get("/events/{event_id}/segments",
            summary="The event's guests and members clustered by what they do (uploads, "
                    "views, reactions, comments, downloads, searches, days, time of day, "
                    "device), named, with sizes and traits (hosts only)")
def event_segments(event_id: IdPath, principal: PrincipalDep, session: SessionDep
                   ) -> dict[str, Any]:
    return segments.event_segments(session, principal.user_id, event_id)


@router.get("/events/{event_id}/forecast",
            summary="Uploads or views for the next hours (local), with the 80 % prediction "
                    "interval and warnings: the owner's storage quota, the moderation queue "
                    "(hosts only)")
def event_forecast(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                   metric: ForecastMetric = "uploads",
                   horizon: Annotated[int, Query(ge=1, le=168, description="hours")] = 24
                   ) -> dict[str, Any]:
    return forecast.event_forecast(session, principal.user_id, event_id, metric, horizon)


@router.get("/instance/segments", summary="Everyone active in the last days, clustered by "
                                          "behaviour (administrators)")
def instance_segments(_: AdminDep, session: SessionDep,
                      days: Annotated[int, Query(ge=1, le=3650)] = 90) -> dict[str, Any]:
    return segments.instance_segments(session, days=days)


@router.get("/instance/forecast", summary="The instance's uploads or views for the next days "
                                          "(UTC), with warnings for users' quotas "
                                          "(administrators)")
def instance_forecast(_: AdminDep, session: SessionDep, metric: ForecastMetric = "uploads",
                      horizon: Annotated[int, Query(ge=1, le=90, description="days")] = 14
                      ) -> dict[str, Any]:
    return forecast.instance_forecast(session, metric, horizon)


@router.get("/instance", summary="Growth, storage by user, processing throughput, failures "
                                 "and job latency (administrators)")
def instance(_: AdminDep, session: SessionDep,
             hours: Annotated[int, Query(ge=1, le=24 * 90)] = 24) -> dict[str, Any]:
    return svc.instance_dashboard(session, hours=hours)


# --- reports --------------------------------------------------------------------------------

class ReportIn(BaseModel):
    kind: Literal["event", "contact_sheet"]
    event_id: Id | None = None
    album_id: Id | None = None
    q: str | None = Field(default=None, max_length=2000)


class ReportOut(BaseModel):
    id: int
    kind: str
    title: str
    state: str = Field(description="queued, running, done or failed")
    progress: float = Field(description="0 .. 1")
    pages: int | None
    size: int | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    file: str | None = Field(description="where the PDF is, once done")

    @classmethod
    def of(cls, r: Any) -> ReportOut:
        return cls(id=r.id, kind=r.kind, title=r.title, state=r.state, progress=r.progress,
                   pages=r.pages, size=r.size, error=r.error, created_at=r.created_at,
                   finished_at=r.finished_at,
                   file=f"/api/v1/reports/{r.id}/file" if r.state == "done" else None)


reports_router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=ERRORS)


@reports_router.post("", response_model=ReportOut, status_code=202,
                     summary="Make a PDF in the background: an event report (hosts) or a "
                             "contact sheet of an event, an album or a search")
def create_report(body: ReportIn, principal: PrincipalDep, rt: RuntimeDep) -> ReportOut:
    params = body.model_dump(exclude={"kind"}, exclude_none=True)
    report_id = reports.request_report(rt, principal.user_id, body.kind, params)
    with rt.session() as session:
        return ReportOut.of(reports.get_report(session, principal.user_id, report_id))


@reports_router.get("", response_model=list[ReportOut])
def list_reports(principal: PrincipalDep, session: SessionDep) -> list[ReportOut]:
    return [ReportOut.of(r) for r in reports.list_reports(session, principal.user_id)]


@reports_router.get("/{report_id}", response_model=ReportOut, summary="State and progress")
def get_report(report_id: IdPath, principal: PrincipalDep, session: SessionDep) -> ReportOut:
    return ReportOut.of(reports.get_report(session, principal.user_id, report_id))


@reports_router.get("/{report_id}/file", response_class=Response,
                    responses={200: {"content": {"application/pdf": {}}}})
def report_file(report_id: IdPath, principal: PrincipalDep, session: SessionDep,
                rt: RuntimeDep) -> Response:
    report = reports.get_report(session, principal.user_id, report_id)
    if report.state != "done" or report.storage_key is None:
        from albumen.errors import Conflict

        raise Conflict(f"report {report_id} is {report.state} "
                       f"({report.progress:.0%}); try again when it is done")
    with rt.storage.open(report.storage_key) as fh:
        data = fh.read()
    name = "".join(c if c.isalnum() or c in "-_ " else "-" for c in report.title)[:80]
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name.strip()}.pdf"'})
