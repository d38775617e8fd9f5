"""Forecasts: an event's next hours follow the daily profile of its history, in its time zone,
inside their interval; warnings before the owner's quota or the moderation queue overflow;
the instance's next days; bad input; hosts and administrators only; the chart and the CLI."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from albumen.db.engagement import VIEW_ASSET, Activity
from albumen.db.models import Asset
from albumen.errors import InvalidInput
from albumen.insights import forecast, forecasting
from albumen.insights.activity import tracker
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"
ZONE = ZoneInfo("America/New_York")
# Views per local hour of a day of the event: a small afternoon peak, a big evening one.
PROFILE = {h: 2 for h in range(9, 24)} | {14: 10, 20: 30}


def _user(client: TestClient, name: str) -> dict[str, str]:
    assert client.post("/api/v1/users", json={"username": name, "password": PASSWORD}
                       ).status_code == 201
    return {"Authorization": bearer(client, name, PASSWORD)}


@pytest.fixture
def event(client: TestClient, rt: Runtime) -> dict[str, Any]:
    host = _user(client, "host")
    carl, olga = _user(client, "carl"), _user(client, "olga")
    e = client.post("/api/v1/events", headers=host, json={
        "title": "Jazz week", "timezone": "America/New_York", "review_required": True}).json()
    client.put(f"/api/v1/events/{e['id']}/members", headers=host,
               json={"username": "carl", "role": "contributor"})
    return {"event": e, "host": host, "carl": carl, "olga": olga}


def _views(rt: Runtime, event_id: int, days: int, now: datetime) -> None:
    """``days`` days of PROFILE (+-30 %) up to the hour before ``now``, New York time."""
    rnd = random.Random(3)
    first = datetime.combine(now.astimezone(ZONE).date() - timedelta(days=days), time(), ZONE)
    hour = first.astimezone(UTC)
    while hour + timedelta(hours=1) <= now:
        n = round(PROFILE.get(hour.astimezone(ZONE).hour, 0) * rnd.uniform(0.7, 1.3))
        for i in range(n):
            tracker(rt).record(VIEW_ASSET, event_id=event_id, asset_id=1, guest_id=1 + i,
                               at=hour + timedelta(minutes=i % 60))
        hour += timedelta(hours=1)
    tracker(rt).flush()


def test_the_next_hours_follow_the_event_s_evening_peak(client: TestClient, rt: Runtime,
                                                       event: dict[str, Any]) -> None:
    event_id = event["event"]["id"]
    now = datetime.now(UTC)
    _views(rt, event_id, 6, now)
    r = client.get(f"/api/v1/analytics/events/{event_id}/forecast?metric=views&horizon=24",
                   headers=event["host"])
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["bucket"] == "hour" and doc["time_zone"] == "America/New_York"
    assert doc["interval"] == 0.8 and doc["warnings"] == [] and doc["note"] is None
    history, ahead = doc["history"], doc["forecast"]
    # History: from a local midnight to the hour before this one; the forecast starts here.
    assert history[0]["start"].endswith(("T00:00:00-04:00", "T00:00:00-05:00"))
    current = now.astimezone(ZONE).replace(minute=0, second=0, microsecond=0)
    assert datetime.fromisoformat(ahead[0]["start"]) == current
    assert len(ahead) == 24 and sum(h["count"] for h in history) > 6 * 50
    local_hour = {datetime.fromisoformat(p["start"]).hour: p for p in ahead}
    assert max(local_hour, key=lambda h: local_hour[h]["count"]) == 20
    assert local_hour[20]["count"] > 2 * local_hour[14]["count"] > 2 * local_hour[10]["count"]
    assert local_hour[3]["count"] < 1
    assert all(p["low"] <= p["count"] <= p["high"] for p in ahead)
    assert local_hour[20]["low"] < 30 < local_hour[20]["high"]
    assert 0.7 * sum(PROFILE.values()) < doc["total"] < 1.3 * sum(PROFILE.values())


def test_warnings_before_the_quota_and_the_moderation_queue_overflow(
        client: TestClient, rt: Runtime, event: dict[str, Any]) -> None:
    event_id = event["event"]["id"]
    link = client.post(f"/api/v1/events/{event_id}/links", headers=event["host"], json={
        "label": "door", "can_upload": True, "can_view": True}).json()
    client.cookies.clear()
    r = client.post(f"/api/v1/share/{link['token']}/assets", params={"guest_name": "Ana"},
                    files={"file": ("a.jpg", images.jpeg(320, 240, seed=1), "image/jpeg")},
                    headers={"Authorization": ""})
    assert r.status_code == 201, r.text
    now = datetime.now(UTC)
    # Three days of guest uploads at 6 an hour, all waiting for review (the event asks for
    # it), none decided yet: rows like the real one, at earlier times.
    with rt.transaction() as session:
        real = session.get(Asset, r.json()["asset"]["id"])
        row = {c.name: getattr(real, c.key) for c in Asset.__table__.columns
               if c.name not in ("id",)}
        rows = []
        for i in range(72 * 6):
            at = now - timedelta(hours=72) + timedelta(minutes=10 * i)
            rows.append({**row, "sha256": f"{i:064x}", "created_at": at, "updated_at": at,
                         "original_filename": f"g{i}.jpg"})
        session.execute(insert(Asset), rows)
        owner_used = session.scalar(select(Asset.size).where(Asset.id == real.id)) * (
            len(rows) + 1)
    host_id = client.get("/api/v1/auth/me", headers=event["host"]).json()["user"]["id"]
    size = row["size"]
    assert client.patch(f"/api/v1/users/{host_id}", json={
        "quota_bytes": owner_used + 20 * size}).status_code == 200
    doc = client.get(f"/api/v1/analytics/events/{event_id}/forecast",
                     headers=event["host"]).json()
    assert doc["metric"] == "uploads" and 24 * 3 <= doc["total"] <= 24 * 9
    kinds = {w["kind"]: w for w in doc["warnings"]}
    quota = kinds["storage_quota"]
    assert quota["level"] == "expected" and quota["used_bytes"] == owner_used
    # 20 photos' room at 6 an hour: full in the fourth hour or so.
    reached = datetime.fromisoformat(quota["at"])
    assert timedelta(hours=1) < reached - now < timedelta(hours=6)
    assert "host's storage quota" in quota["message"]
    queue = kinds["moderation_queue"]
    assert queue["pending"] == 72 * 6 + 1 and queue["decisions_per_hour"] == 0
    assert queue["forecast_pending"] > queue["pending"]
    assert "moderators decided 0.0 an hour" in queue["message"]
    # The instance: the same uploads by the day; the host's quota is reached within days.
    inst = client.get("/api/v1/analytics/instance/forecast?horizon=7").json()
    assert inst["bucket"] == "day" and len(inst["forecast"]) == 7
    assert datetime.fromisoformat(inst["history"][0]["start"]).weekday() == 0  # a Monday
    assert any(w["kind"] == "storage_quota" and w["user_id"] == host_id
               for w in inst["warnings"])
    png = client.get(f"/api/v1/analytics/events/{event_id}/charts/forecast-uploads.png",
                     headers=event["host"])
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    # The same from the command line (the operator), on the same database.
    env = env_for(rt.settings.data_dir, rt.settings.database_url)
    cli = run_json(env, "insights", "forecast", "--event", str(event_id), "--json")
    assert {w["kind"] for w in cli["warnings"]} == {"storage_quota", "moderation_queue"}
    text = run_cli(env, "insights", "forecast", "--event", str(event_id)).stdout
    assert "warning:" in text and "moderation queue" in text
    text = run_cli(env, "insights", "segments", "--event", str(event_id)).stdout
    assert "people" in text


def test_no_history_is_a_note_not_a_guess(client: TestClient, event: dict[str, Any]) -> None:
    doc = client.get(f"/api/v1/analytics/events/{event['event']['id']}/forecast",
                     headers=event["host"]).json()
    assert doc["forecast"] == [] and doc["total"] is None
    assert doc["note"].startswith("not enough history yet")
    chart = client.get(f"/api/v1/analytics/events/{event['event']['id']}/charts/"
                       f"forecast-views.svg", headers=event["host"])
    assert chart.status_code == 200 and b"<svg" in chart.content


def test_bad_input_and_permissions(client: TestClient, rt: Runtime,
                                   event: dict[str, Any]) -> None:
    url = f"/api/v1/analytics/events/{event['event']['id']}/forecast"
    for query in ("metric=likes", "horizon=0", "horizon=169", "horizon=x"):
        r = client.get(f"{url}?{query}", headers=event["host"])
        assert r.status_code == 422, query
    assert client.get(url, headers=event["carl"]).status_code == 403
    assert client.get(url, headers=event["olga"]).status_code == 404
    assert client.get("/api/v1/analytics/instance/forecast",
                      headers=event["host"]).status_code == 403
    assert client.get("/api/v1/analytics/instance/forecast?horizon=91").status_code == 422
    with rt.session() as session, pytest.raises(InvalidInput, match="horizon is 1-168 hours"):
        forecast.event_forecast(session, None, event["event"]["id"], horizon=500)


def test_the_model_on_its_own() -> None:
    rnd = np.random.default_rng(5)
    day = np.array([1, 1, 1, 1, 1, 2, 4, 8, 12, 10, 8, 9, 12, 10, 8, 8, 10, 14, 20, 24, 18,
                    10, 4, 2], float)
    y = np.concatenate([rnd.poisson(day) for _ in range(7)]).astype(float)
    p = forecasting.predict(y, 24, 48)
    assert len(p.mean) == 48 and (p.low <= p.mean).all() and (p.mean <= p.high).all()
    assert int(np.argmax(p.mean[:24])) == 19  # the evening peak, as in every day before
    # It beats the same hour yesterday on what comes next (the same process, 7 more days).
    future = np.concatenate([rnd.poisson(day) for _ in range(2)]).astype(float)
    assert forecasting.mape(future, p.mean) < forecasting.mape(
        future, forecasting.seasonal_naive(y, 24, 48))
    flat = forecasting.predict(np.zeros(30), 24, 5)
    assert flat.method == "constant" and not flat.mean.any()
    short = forecasting.predict(np.array([3, 4, 5, 4, 3, 4, 5, 6, 5, 4], float), 24, 3)
    assert short.method.startswith("ETS(A,Ad,N)") or short.method.startswith("ETS(A,N,N)")
    with pytest.raises(ValueError, match="at least 8 buckets"):
        forecasting.predict(np.ones(3), 24, 5)
    assert np.isnan(forecasting.mape(np.zeros(3), np.ones(3)))


def test_views_of_the_instance_by_day(client: TestClient, rt: Runtime) -> None:
    now = datetime.now(UTC)
    for d in range(35):
        for _ in range(10 + 5 * ((now - timedelta(days=d)).weekday() >= 5)):
            tracker(rt).record(VIEW_ASSET, user_id=1, asset_id=1,
                               at=now - timedelta(days=d, hours=1))
    tracker(rt).flush()
    with rt.session() as session:
        doc = forecast.instance_forecast(session, "views", 14)
    assert doc["metric"] == "views" and len(doc["forecast"]) == 14
    weekend = [p["count"] for p in doc["forecast"]
               if datetime.fromisoformat(p["start"]).weekday() >= 5]
    weekday = [p["count"] for p in doc["forecast"]
               if datetime.fromisoformat(p["start"]).weekday() < 5]
    assert min(weekend) > max(weekday)  # the weekly profile: weekends busier
    with rt.session() as session:
        assert session.scalar(select(Activity.device).limit(1)) is None  # not a request
