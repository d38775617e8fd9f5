"""Analytics computed from what really happened: the activity log, the assets, comments and
reactions — per event (for its hosts) and for the whole instance (for administrators).

Time buckets are in the event's own time zone. Both databases group the rows by 15-minute
UTC quanta (every time zone offset in use is a multiple of 15 minutes), and the quanta are
placed into local hours and days here with zoneinfo, so daylight-saving changes and
half-hour zones come out right on SQLite, which has no time zones, as on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, cast, distinct, func, select
from sqlalchemy.orm import Session

from albumen.db.engagement import (
    COMMENT,
    DOWNLOAD,
    DOWNLOAD_ZIP,
    REACTION,
    SEARCH,
    UPLOAD,
    VIEW_ASSET,
    VIEW_GALLERY,
    VIEW_SLIDESHOW,
    ActivityActor,
    ActivityCount,
    ActivitySource,
    ActivitySourceHistogram,
    AssetEngagement,
    Comment,
    EventFlagCount,
    ModerationWait,
    UploadCount,
)
from albumen.db.models import (
    APPROVED,
    COHOST,
    PENDING_REVIEW,
    REJECTED,
    Asset,
    Event,
    Face,
    Guest,
    Person,
    ShareLink,
    User,
)
from albumen.db.search_tables import TimelineCount
from albumen.errors import InvalidInput
from albumen.events.access import require_event

QUANTUM = 900  # seconds: 15 minutes
TOP = 10
POSITIVE, NEGATIVE = 0.05, -0.05  # VADER's usual cut-offs for the compound score
METRICS = ("uploads", "views", "downloads", "reactions", "comments")
BUCKETS = ("hour", "day")


def _epoch_quantum(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        seconds = cast(func.strftime("%s", column), Integer)
    else:
        seconds = cast(func.floor(func.extract("epoch", column)), Integer)
    # A plain "/" of two integers: integer division on both databases (SQLAlchemy's own "/"
    # would make it a float division, and every row its own group).
    return seconds.op("/")(QUANTUM).label("q")


def _instant(quantum: int) -> datetime:
    return datetime.fromtimestamp(quantum * QUANTUM, UTC)


@dataclass
class Scope:
    event: Event
    zone: ZoneInfo

    @property
    def id(self) -> int:
        return self.event.id


def _scope(session: Session, user_id: int | None, event_id: int) -> Scope:
    """The event, if the caller hosts it (owner or co-host); None = the operator (CLI)."""
    if user_id is None:
        event = session.get(Event, event_id)
        if event is None:
            from albumen.errors import NotFound

            raise NotFound(f"event {event_id} not found")
    else:
        event, _ = require_event(session, user_id, event_id, COHOST)
    return Scope(event, ZoneInfo(event.timezone or "UTC"))


def _activity_quanta(session: Session, scope: Scope, kinds: tuple[str, ...]
                     ) -> list[tuple[int, int]]:
    """From the rollup the activity writer keeps (insights/activity.py)."""
    rows = session.execute(
        select(ActivityCount.quantum, func.sum(ActivityCount.n))
        .where(ActivityCount.event_id == scope.id, ActivityCount.kind.in_(kinds))
        .group_by(ActivityCount.quantum))
    return [(int(a), int(n)) for a, n in rows]


def _upload_quanta(session: Session, scope: Scope) -> list[tuple[int, int]]:
    """Uploads come from the assets themselves (the activity log may be off or pruned):
    counted by triggers on the assets table (db/search_ddl.py)."""
    rows = session.execute(select(UploadCount.quantum, UploadCount.n).where(
        UploadCount.event_id == scope.id, UploadCount.n > 0))
    return [(int(a), int(n)) for a, n in rows]


def _metric_quanta(session: Session, scope: Scope, metric: str) -> list[tuple[int, int]]:
    if metric == "uploads":
        return _upload_quanta(session, scope)
    kinds = {"views": (VIEW_ASSET,), "downloads": (DOWNLOAD, DOWNLOAD_ZIP),
             "reactions": (REACTION,), "comments": (COMMENT,)}[metric]
    return _activity_quanta(session, scope, kinds)


def _bucket_start(at: datetime, zone: ZoneInfo, bucket: str) -> datetime:
    local = at.astimezone(zone)
    if bucket == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def series(session: Session, user_id: int | None, event_id: int, metric: str,
           bucket: str = "hour") -> list[dict[str, Any]]:
    """Counts per local hour or day, oldest first, with the empty buckets in between."""
    if metric not in METRICS:
        raise InvalidInput(f"metric is one of {', '.join(METRICS)}")
    if bucket not in BUCKETS:
        raise InvalidInput("bucket is hour or day")
    scope = _scope(session, user_id, event_id)
    return _series(_metric_quanta(session, scope, metric), scope.zone, bucket)


def _series(quanta: list[tuple[int, int]], zone: ZoneInfo, bucket: str
            ) -> list[dict[str, Any]]:
    # Keyed by the bucket's UTC instant: the repeated hour when clocks go back is two buckets.
    counts: Counter[datetime] = Counter()
    for quantum, n in quanta:
        counts[_bucket_start(_instant(quantum), zone, bucket).astimezone(UTC)] += n
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if bucket == "hour":
        starts = [first + timedelta(hours=i)
                  for i in range(int((last - first).total_seconds() // 3600) + 1)]
    else:  # local midnights: days of 23 or 25 hours stay one day each
        day, end = first.astimezone(zone).date(), last.astimezone(zone).date()
        starts = [datetime.combine(day + timedelta(days=i), time(), zone).astimezone(UTC)
                  for i in range((end - day).days + 1)]
    return [{"start": s.astimezone(zone).isoformat(), "count": counts.get(s, 0)}
            for s in starts]


def _hours_of_day(quanta: list[tuple[int, int]], zone: ZoneInfo) -> list[int]:
    hours = [0] * 24
    for quantum, n in quanta:
        hours[_instant(quantum).astimezone(zone).hour] += n
    return hours


def _peak(hours: list[int]) -> int | None:
    return max(range(24), key=lambda h: (hours[h], -h)) if any(hours) else None


def _count(session: Session, event_id: int, *kinds: str) -> int:
    return int(session.scalar(select(func.sum(ActivityCount.n)).where(
        ActivityCount.event_id == event_id, ActivityCount.kind.in_(kinds))) or 0)


def event_dashboard(session: Session, user_id: int | None, event_id: int) -> dict[str, Any]:
    """Everything the event's dashboard shows."""
    scope = _scope(session, user_id, event_id)
    eid = scope.id
    # The photos not in the trash by moderation state: the timeline's counts (kept by triggers
    # on assets, db/search_ddl.py), summed over owners and months.
    kept = func.sum(TimelineCount.n)
    by_state = {str(m): int(n) for m, n in session.execute(
        select(TimelineCount.moderation, kept).where(TimelineCount.event_key == eid)
        .group_by(TimelineCount.moderation).having(kept > 0))}
    uploading = set(session.scalars(select(Asset.guest_id).where(
        Asset.event_id == eid, Asset.guest_id.is_not(None)).distinct()))
    active = {int(a[2:]) for a in session.scalars(select(ActivityActor.actor).where(
        ActivityActor.event_id == eid, ActivityActor.actor.like("g:%")).distinct())}
    upload_q = _upload_quanta(session, scope)
    view_q = _activity_quanta(session, scope, (VIEW_ASSET,))
    upload_hours, view_hours = _hours_of_day(upload_q, scope.zone), _hours_of_day(view_q,
                                                                                   scope.zone)
    liked, commented = session.execute(
        select(func.sum(AssetEngagement.likes), func.sum(AssetEngagement.comments))
        .where(AssetEngagement.event_id == eid)).one()
    totals = {
        "photos": sum(by_state.values()),
        "approved": int(by_state.get(APPROVED, 0)),
        "uploads": sum(n for _, n in upload_q),
        "views": sum(n for _, n in view_q),
        "gallery_views": _count(session, eid, VIEW_GALLERY),
        "slideshow_views": _count(session, eid, VIEW_SLIDESHOW),
        "downloads": _count(session, eid, DOWNLOAD, DOWNLOAD_ZIP),
        "reactions": int(liked or 0),
        "comments": int(commented or 0),
        "unique_guests": len(uploading | active),
        "guests_uploading": len(uploading),
        "unique_viewers": int(session.scalar(select(func.count()).select_from(ActivityActor)
                                             .where(ActivityActor.event_id == eid,
                                                    ActivityActor.what == "view")) or 0),
    }
    return {
        "event": {"id": eid, "title": scope.event.title, "timezone": scope.zone.key},
        "totals": totals,
        "uploads_by_hour": _series(upload_q, scope.zone, "hour"),
        "uploads_by_day": _series(upload_q, scope.zone, "day"),
        "views_by_hour": _series(view_q, scope.zone, "hour"),
        "views_by_day": _series(view_q, scope.zone, "day"),
        "peak_hours": {"uploads": upload_hours, "views": view_hours,
                       "upload_peak": _peak(upload_hours), "view_peak": _peak(view_hours)},
        "top_contributors": top_contributors(session, eid),
        "most_viewed": _top(session, eid, AssetEngagement.views),
        "most_liked": _top(session, eid, AssetEngagement.likes),
        "people": _people(session, scope),
        "moderation": _moderation(session, eid, by_state),
        "sentiment": _sentiment(session, eid),
        "searches": _count(session, eid, SEARCH),
    }


def top_contributors(session: Session, event_id: int, limit: int = TOP) -> list[dict[str, Any]]:
    """Who uploaded most: guests by their name, members by theirs; approved counts too."""
    approved = func.sum(cast(Asset.moderation == APPROVED, Integer))
    rows = session.execute(
        select(Asset.guest_id, Asset.uploaded_by_id, func.count().label("n"), approved)
        .where(Asset.event_id == event_id, Asset.deleted_at.is_(None))
        .group_by(Asset.guest_id, Asset.uploaded_by_id)
        .order_by(func.count().desc(), Asset.guest_id, Asset.uploaded_by_id).limit(limit))
    out = []
    for guest_id, user_id, n, ok in rows:
        if guest_id is not None:
            guest = session.get(Guest, guest_id)
            name, kind = (guest.name if guest else None) or f"Guest {guest_id}", "guest"
        elif user_id is not None:
            user = session.get(User, user_id)
            name, kind = (user.display_name or user.username) if user else "?", "member"
        else:
            name, kind = "Imported", "import"
        out.append({"name": name, "kind": kind, "guest_id": guest_id, "user_id": user_id,
                    "uploads": int(n), "approved": int(ok or 0)})
    return out


def _top(session: Session, event_id: int, counted: Any, limit: int = TOP
         ) -> list[dict[str, Any]]:
    """The event's photos with the highest count (views, likes) from asset_engagement."""
    rows = session.execute(select(AssetEngagement.asset_id, counted)
                           .where(AssetEngagement.event_id == event_id, counted > 0)
                           .order_by(counted.desc(), AssetEngagement.asset_id).limit(limit))
    return [{"asset_id": int(a), "count": int(n)} for a, n in rows]


def _people(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The people in most of the event's photos (the host's own people, by name)."""
    owner = scope.event.owner_id
    photos = func.count(distinct(Face.asset_id)).label("n")
    rows = session.execute(
        select(Person.id, Person.name, photos).join(Face, Face.person_id == Person.id)
        .join(Asset, Asset.id == Face.asset_id)
        .where(Asset.event_id == scope.id, Asset.deleted_at.is_(None), Person.owner_id == owner,
               Person.hidden.is_(False))
        .group_by(Person.id, Person.name).order_by(photos.desc(), Person.id).limit(TOP))
    return [{"person_id": i, "name": name, "photos": int(n)} for i, name, n in rows]


def _moderation(session: Session, event_id: int, by_state: dict[str, int]) -> dict[str, Any]:
    """Counts by decision, the median wait for a decision on a guest upload, and what the
    screening flagged."""
    # The waits of the decided guest uploads, kept by triggers on assets (db/search_ddl.py):
    # the median is read from the (event, seconds) index.
    waits = ModerationWait
    n = int(session.scalar(select(func.count()).select_from(waits)
                           .where(waits.event_id == event_id)) or 0)
    median = None
    if n:
        median = session.scalar(select(waits.seconds).where(waits.event_id == event_id)
                                .order_by(waits.seconds).offset(n // 2).limit(1))
    # What the screening flagged, counted by triggers on assets (db/search_ddl.py).
    flags = {str(f): int(c) for f, c in session.execute(
        select(EventFlagCount.flag, EventFlagCount.n)
        .where(EventFlagCount.event_id == event_id, EventFlagCount.n > 0)
        .order_by(EventFlagCount.n.desc(), EventFlagCount.flag))}
    return {"approved": int(by_state.get(APPROVED, 0)),
            "pending": int(by_state.get(PENDING_REVIEW, 0)),
            "rejected": int(by_state.get(REJECTED, 0)),
            "median_decision_seconds": round(float(median), 1) if median is not None else None,
            "flags": flags}


def _sentiment(session: Session, event_id: int) -> dict[str, Any]:
    score = Comment.sentiment
    n, average, positive, negative = session.execute(
        select(func.count(score), func.avg(score),
               func.sum(cast(score >= POSITIVE, Integer)),
               func.sum(cast(score <= NEGATIVE, Integer)))
        .join(Asset, Asset.id == Comment.asset_id)
        .where(Asset.event_id == event_id, Comment.deleted_at.is_(None),
               score.is_not(None))).one()
    n, positive, negative = int(n or 0), int(positive or 0), int(negative or 0)
    return {"comments": n, "average": round(float(average), 4) if n else None,
            "positive": positive, "neutral": n - positive - negative, "negative": negative}


# --- anomalies ------------------------------------------------------------------------------

SPIKE_FACTOR = 5.0   # an hour this many times the usual one...
SPIKE_MINIMUM = 30   # ...and at least this many actions, is a spike


def anomalies(session: Session, user_id: int | None, event_id: int) -> list[dict[str, Any]]:
    """Hours in which one share link or one address uploaded or viewed far more than usual
    for the event (robust: compared with the median busy hour, not the mean)."""
    scope = _scope(session, user_id, event_id)
    found: list[dict[str, Any]] = []
    hist = ActivitySourceHistogram
    for kind, noun in ((UPLOAD, "uploads"), (VIEW_ASSET, "views")):
        where = (ActivitySource.event_id == scope.id, ActivitySource.kind == kind)
        # The median busy hour per kind of source (links, addresses), from the histogram of
        # the hourly counts the activity writer keeps (insights/activity.py).
        histograms: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for p, n, c in session.execute(select(hist.prefix, hist.n, hist.hours).where(
                hist.event_id == scope.id, hist.kind == kind, hist.hours > 0)):
            histograms[p].append((int(n), int(c)))
        for source, p in (("link", "l:"), ("ip", "i:")):
            if histograms[p]:
                found += _spikes(session, scope, where, noun, source, p,
                                 _median(sorted(histograms[p])))
    return sorted(found, key=lambda a: (-a["count"], a["hour"]))


def _median(histogram: list[tuple[int, int]]) -> float:
    """The median of values given as sorted (value, how many) pairs."""
    total, seen = sum(c for _, c in histogram), 0
    for n, c in histogram:
        seen += c
        if seen * 2 >= total:
            return float(n)
    return 0.0


def _spikes(session: Session, scope: Scope, where: tuple[Any, ...], noun: str, source: str,
            prefix: str, usual: float) -> list[dict[str, Any]]:
    floor = max(SPIKE_MINIMUM, SPIKE_FACTOR * usual)
    labels = _link_labels(session, scope.id) if source == "link" else {}
    # A busy event has thousands of spikes in a few dozen hours: each hour is placed in the
    # event's time zone and worded once.
    hours: dict[int, tuple[str, str]] = {}
    out = []
    for who, hour, n in session.execute(
            select(ActivitySource.source, ActivitySource.hour, ActivitySource.n)
            .where(*where, ActivitySource.n >= floor, ActivitySource.source.like(f"{prefix}%"))):
        when = hours.get(hour)
        if when is None:
            local = datetime.fromtimestamp(int(hour) * 3600, UTC).astimezone(scope.zone)
            when = hours[hour] = (local.isoformat(), f"between {local:%H:%M} and "
                                  f"{(local + timedelta(hours=1)):%H:%M} on {local:%d %b}")
        who, n = who[2:], int(n)
        name = labels.get(int(who), f"link {who}") if source == "link" else f"address {who}"
        out.append({
            "kind": noun, "source": source, "who": who if source == "ip" else int(who),
            "hour": when[0], "count": n, "usual": usual,
            "reason": f"{name}: {n} {noun} {when[1]}, {n / usual:.0f} times the usual busy "
                      f"hour ({usual:g})"})
    return out


def _link_labels(session: Session, event_id: int) -> dict[int, str]:
    return {i: f"link “{label}”" if label else f"link {i}" for i, label in session.execute(
        select(ShareLink.id, ShareLink.label).where(ShareLink.event_id == event_id))}


# --- the instance ---------------------------------------------------------------------------

def instance_dashboard(session: Session, now: datetime | None = None,
                       hours: int = 24) -> dict[str, Any]:
    """For administrators: growth, storage by user, processing throughput, failures and job
    latency over the last ``hours``."""
    from albumen.accounts.users import list_users, storage_used
    from albumen.db.models import FAILED, AssetStage
    from albumen.library.status import storage_use

    now = now or datetime.now(UTC)
    since = now - timedelta(hours=hours)
    q = _epoch_quantum(session, Asset.created_at)
    growth: Counter[str] = Counter()
    for quantum, n in session.execute(select(q, func.count()).group_by(q)):
        growth[_instant(int(quantum)).strftime("%Y-%m")] += int(n)
    total = 0
    months = []
    for month in sorted(growth):
        total += growth[month]
        months.append({"month": month, "added": growth[month], "total": total})
    finished = session.execute(
        select(AssetStage.stage, AssetStage.queued_at, AssetStage.started_at,
               AssetStage.finished_at)
        .where(AssetStage.finished_at >= since, AssetStage.state != FAILED)).all()
    per_hour: Counter[datetime] = Counter()
    latency: dict[str, list[float]] = defaultdict(list)
    waiting: list[float] = []
    for stage, queued, started, done in finished:
        per_hour[done.replace(minute=0, second=0, microsecond=0)] += 1
        if queued is not None:
            latency[stage].append((done - queued).total_seconds())
            if started is not None:
                waiting.append((started - queued).total_seconds())
    failures = dict(session.execute(
        select(AssetStage.stage, func.count()).where(AssetStage.state == FAILED)
        .group_by(AssetStage.stage)).all())
    return {
        "growth": months,
        "storage": storage_use(session),
        "storage_by_user": sorted(
            ({"user_id": u.id, "username": u.username, "bytes": storage_used(session, u.id)}
             for u in list_users(session)), key=lambda r: -r["bytes"]),
        "throughput": {"hours": hours, "stages_done": len(finished),
                       "per_hour": [{"hour": h.isoformat(), "stages": n}
                                    for h, n in sorted(per_hour.items())]},
        "failures": {"stages": {k: int(v) for k, v in failures.items()},
                     "total": int(sum(failures.values()))},
        "latency_seconds": {stage: _percentiles(values) for stage, values in latency.items()},
        "queue_wait_seconds": _percentiles(waiting),
    }


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "n": 0}
    ordered = sorted(values)
    pick = lambda p: round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "n": len(ordered)}
