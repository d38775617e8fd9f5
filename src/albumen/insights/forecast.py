"""Forecasts of an event's uploads and views for the next hours, and of the instance's for the
next days, with their 80 % prediction intervals and the warnings they lead to: the event
owner's storage quota, a user's quota, and a moderation queue that grows faster than the
moderators clear it (insights/forecasting.py holds the model).

An event's history is read by the local hour from the rollups the activity writer and the
triggers keep (the last ``EVENT_DAYS`` days, from a local midnight, so the daily profile sits
on the clock); the instance's by the UTC day from the assets and the activity log (the last
``INSTANCE_DAYS`` days, from a Monday). The bucket under way is not history yet: the forecast
starts with it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from albumen.db.engagement import VIEW_ASSET, Activity
from albumen.db.models import PENDING_REVIEW, Asset, User
from albumen.errors import InvalidInput
from albumen.insights.analytics import (
    _bucket_start,
    _epoch_quantum,
    _instant,
    _metric_quanta,
    _scope,
)
from albumen.insights.forecasting import LEVEL, MIN_POINTS, Prediction, predict

EVENT_DAYS = 28
INSTANCE_DAYS = 365
METRICS = ("uploads", "views")
EVENT_HORIZON, INSTANCE_HORIZON = (1, 168), (1, 90)  # hours, days
QUEUE_LIMIT = 50  # photos waiting for review: a queue forecast to pass this gets a warning
DECISIONS_WINDOW = timedelta(hours=24)  # the moderators' pace: decisions over this window
REVIEW_WINDOW = timedelta(days=7)  # the share of uploads that wait for review, over this
DEFAULT_PHOTO_BYTES = 4_000_000  # an upload's size before the event has any


def _check(metric: str, horizon: int, limits: tuple[int, int], unit: str) -> None:
    if metric not in METRICS:
        raise InvalidInput(f"metric is one of {', '.join(METRICS)}")
    if not limits[0] <= horizon <= limits[1]:
        raise InvalidInput(f"horizon is {limits[0]}-{limits[1]} {unit}")


def event_forecast(session: Session, user_id: int | None, event_id: int,
                   metric: str = "uploads", horizon: int = 24,
                   now: datetime | None = None) -> dict[str, Any]:
    """The next ``horizon`` local hours of an event (hosts only; None = the operator)."""
    _check(metric, horizon, EVENT_HORIZON, "hours")
    scope = _scope(session, user_id, event_id)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone = scope.zone
    current = _bucket_start(now, zone, "hour").astimezone(UTC)
    quanta = _metric_quanta(session, scope, metric)
    first = min((_instant(q) for q, _ in quanta), default=None)
    since = current - timedelta(days=EVENT_DAYS)
    start = max(first, since) if first is not None else current
    start = datetime.combine(start.astimezone(zone).date(), time(), zone).astimezone(UTC)
    starts = [start + timedelta(hours=i)
              for i in range(int((current - start).total_seconds() // 3600))]
    counts: Counter[datetime] = Counter()
    for q, n in quanta:
        at = _instant(q)
        if start <= at < current:
            counts[_bucket_start(at, zone, "hour").astimezone(UTC)] += n
    history = np.array([counts.get(s, 0) for s in starts], dtype=float)
    ahead = [current + timedelta(hours=i) for i in range(horizon)]
    lead = _lead(starts, first)
    out = _result(metric, "hour", str(zone), starts, history, ahead, 24, zone, lead)
    if metric == "uploads" and out["prediction"] is not None:
        out["warnings"] = (_quota_warning(session, scope.event.owner_id, event_id,
                                          out["prediction"], ahead, zone)
                           + _queue_warning(session, event_id, out["prediction"], ahead,
                                            now, zone))
    out.pop("prediction")
    return out


def instance_forecast(session: Session, metric: str = "uploads", horizon: int = 14,
                      now: datetime | None = None) -> dict[str, Any]:
    """The next ``horizon`` UTC days of the whole instance (administrators)."""
    _check(metric, horizon, INSTANCE_HORIZON, "days")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = datetime.combine(now.date(), time(), UTC)
    since = today - timedelta(days=INSTANCE_DAYS)
    since -= timedelta(days=since.weekday())  # from a Monday: the weekly profile's first day
    if metric == "uploads":
        column, where = Asset.created_at, (Asset.created_at >= since,)
    else:
        column, where = Activity.at, (Activity.at >= since, Activity.kind == VIEW_ASSET)
    day = _epoch_quantum(session, column).op("/")(96).label("day")  # 96 quanta a day
    rows = session.execute(select(day, func.count()).where(*where).group_by(day)).all()
    counts = {datetime.fromtimestamp(int(d) * 86400, UTC): int(n) for d, n in rows}
    first = min((d for d in counts if d < today), default=today)
    first -= timedelta(days=first.weekday())
    starts = [first + timedelta(days=i) for i in range((today - first).days)]
    history = np.array([counts.get(s, 0) for s in starts], dtype=float)
    ahead = [today + timedelta(days=i) for i in range(horizon)]
    real_first = min((d for d in counts if d < today), default=None)
    out = _result(metric, "day", "UTC", starts, history, ahead, 7, UTC,
                  _lead(starts, real_first))
    if metric == "uploads" and out["prediction"] is not None:
        out["warnings"] = _user_quota_warnings(session, out["prediction"], ahead, now)
    out.pop("prediction")
    return out


def _lead(starts: list[datetime], first: datetime | None) -> int:
    """Buckets of the history before the first activity (within the window read): not
    zeros, the series had not begun."""
    if first is None:
        return 0
    return sum(1 for s in starts if s + (starts[1] - starts[0] if len(starts) > 1 else
                                         timedelta(0)) <= first)


def _result(metric: str, bucket: str, zone: str, starts: list[datetime], history: np.ndarray,
            ahead: list[datetime], season: int, tz: Any, lead: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "metric": metric, "bucket": bucket, "time_zone": zone, "interval": LEVEL,
        "history": [{"start": s.astimezone(tz).isoformat(), "count": int(n)}
                    for s, n in zip(starts, history, strict=True)],
        "forecast": [], "total": None, "method": None, "note": None, "warnings": [],
        "prediction": None}
    if len(history) < MIN_POINTS or not history.any():
        out["note"] = (f"not enough history yet: a forecast needs {MIN_POINTS} {bucket}s "
                       f"with activity behind it")
        return out
    p = predict(history, season, len(ahead), lead=lead)
    out["prediction"] = p
    out["method"] = p.method
    out["forecast"] = [{"start": s.astimezone(tz).isoformat(), "count": round(float(m), 1),
                        "low": round(float(lo), 1), "high": round(float(hi), 1)}
                       for s, m, lo, hi in zip(ahead, p.mean, p.low, p.high, strict=True)]
    out["total"] = round(float(p.mean.sum()), 1)
    return out


def _crossing(start: float, steps: np.ndarray, limit: float) -> int | None:
    """The first step at which start + the running sum of ``steps`` passes ``limit``."""
    over = np.nonzero(start + np.cumsum(steps) > limit)[0]
    return int(over[0]) if len(over) else None


def _when(at: datetime, zone: Any, bucket: str = "hour") -> str:
    local = at.astimezone(zone)
    return local.strftime("%a %d %b %H:%M") if bucket == "hour" else local.strftime("%a %d %b")


def _mean_size(session: Session, *where: Any) -> float:
    size = session.scalar(select(func.avg(Asset.size)).where(*where))
    return float(size) if size else float(DEFAULT_PHOTO_BYTES)


def _quota_warning(session: Session, owner_id: int | None, event_id: int, p: Prediction,
                   ahead: list[datetime], zone: ZoneInfo) -> list[dict[str, Any]]:
    """Guests' uploads count against the event owner's quota (library/ingest.py)."""
    from albumen.accounts.users import storage_used

    owner = session.get(User, owner_id) if owner_id is not None else None
    if owner is None or owner.quota_bytes is None:
        return []
    used = storage_used(session, owner.id)
    size = _mean_size(session, Asset.event_id == event_id)
    return _quota_lines(owner, used, p.mean * size, p.high * size, ahead, zone, "hour",
                        "this event's uploads")


def _quota_lines(user: User, used: int, expected: np.ndarray, high: np.ndarray,
                 ahead: list[datetime], zone: Any, bucket: str, what: str
                 ) -> list[dict[str, Any]]:
    quota = int(user.quota_bytes or 0)
    base = {"kind": "storage_quota", "user_id": user.id, "quota_bytes": quota,
            "used_bytes": used}
    if used >= quota:
        return [{**base, "level": "now", "at": None,
                 "message": f"{user.username}'s storage quota is full ({used:,} of {quota:,} "
                            f"bytes): new uploads are refused"}]
    for level, steps in (("expected", expected), ("possible", high)):
        step = _crossing(used, steps, quota)
        if step is not None:
            verb = "is expected to fill" if level == "expected" else "could fill"
            return [{**base, "level": level, "at": ahead[step].isoformat(),
                     "message": f"at the forecast pace of {what}, {user.username}'s storage "
                                f"quota ({quota:,} bytes, {used:,} used) {verb} by "
                                f"{_when(ahead[step], zone, bucket)}"}]
    return []


def _queue_warning(session: Session, event_id: int, p: Prediction, ahead: list[datetime],
                   now: datetime, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The queue in ``ahead[i]``: waiting now + the forecast uploads that will wait (the share
    that did over the last week) - what the moderators decide at their pace of the last day."""
    in_event = Asset.event_id == event_id
    pending = int(session.scalar(select(func.count()).where(
        in_event, Asset.moderation == PENDING_REVIEW, Asset.deleted_at.is_(None))) or 0)
    recent = (in_event, Asset.created_at >= now - REVIEW_WINDOW)
    uploaded = int(session.scalar(select(func.count()).where(*recent)) or 0)
    reviewed = int(session.scalar(select(func.count()).where(
        *recent, or_(Asset.moderation == PENDING_REVIEW,
                     Asset.moderated_at.is_not(None)))) or 0)
    if not uploaded or not reviewed:
        return []
    share = reviewed / uploaded
    decided = int(session.scalar(select(func.count()).where(
        in_event, Asset.moderated_at >= now - DECISIONS_WINDOW)) or 0)
    pace = decided / (DECISIONS_WINDOW.total_seconds() / 3600)
    queue = pending + np.cumsum(p.mean * share - pace)
    limit = max(QUEUE_LIMIT, pending)
    over = np.nonzero(queue > limit)[0]
    if not len(over):
        return []
    step = int(over[0])
    return [{"kind": "moderation_queue", "level": "expected", "at": ahead[step].isoformat(),
             "pending": pending, "forecast_pending": round(float(queue[-1])),
             "decisions_per_hour": round(pace, 1),
             "message": f"the moderation queue is expected to pass {limit} photos by "
                        f"{_when(ahead[step], zone)} and reach about {round(float(queue[-1]))}"
                        f" in {len(ahead)} hours: about {float(p.mean.mean()) * share:.1f} "
                        f"uploads an hour will wait for review, and the moderators decided "
                        f"{pace:.1f} an hour over the last day"}]


def _user_quota_warnings(session: Session, p: Prediction, ahead: list[datetime],
                         now: datetime) -> list[dict[str, Any]]:
    """Each user with a quota, at their share of the instance's uploads of the last 30 days."""
    from albumen.accounts.users import storage_used

    since = now - timedelta(days=30)
    shares = dict(session.execute(
        select(Asset.owner_id, func.count()).where(Asset.created_at >= since)
        .group_by(Asset.owner_id)).all())
    total = sum(shares.values())
    lines: list[dict[str, Any]] = []
    for user in session.scalars(select(User).where(User.quota_bytes.is_not(None))
                                .order_by(User.id)):
        share = shares.get(user.id, 0) / total if total else 0.0
        used = storage_used(session, user.id)
        size = _mean_size(session, Asset.owner_id == user.id)
        lines += _quota_lines(user, used, p.mean * share * size, p.high * share * size,
                              ahead, UTC, "day", "their uploads")
    return lines
