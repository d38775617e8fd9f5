"""Each stage's pace and time left, as `albumen status`, GET /api/v1/status and the
administration page show them: a user importing a big library knows how long it will take."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update

from albumen.db.base import utcnow
from albumen.db.models import DONE, PENDING, AssetStage
from albumen.library.status import format_duration
from albumen.runtime import Runtime
from tests import images
from tests.processes import env_for, run_cli
from tests.test_web_pages import browser, upload


def _stage(rt: Runtime, asset_id: int, stage: str, state: str,
           seconds_ago: float | None = None) -> None:
    """Put the asset's stage row in a state (added when the asset never had the stage)."""
    from albumen.library.requeue import reset_stages

    reset_stages(rt, [asset_id], [stage])
    with rt.transaction() as session:
        session.execute(update(AssetStage).where(
            AssetStage.asset_id == asset_id, AssetStage.stage == stage).values(
            state=state, finished_at=None if seconds_ago is None
            else utcnow() - timedelta(seconds=seconds_ago)))


def _library(rt: Runtime, client: TestClient) -> list[int]:
    """Six photos whose faces stage is half-way: two done 40 and 20 s ago, four waiting;
    their core stages settled long ago (outside the pace window)."""
    ids = [upload(client, images.jpeg(320, 240, seed=i), f"p{i}.jpg") for i in range(6)]
    with rt.transaction() as session:
        session.execute(update(AssetStage).values(finished_at=utcnow() - timedelta(hours=1)))
    _stage(rt, ids[0], "faces", DONE, 40)
    _stage(rt, ids[1], "faces", DONE, 20)
    for asset_id in ids[2:]:
        _stage(rt, asset_id, "faces", PENDING)
    return ids


def test_the_pace_of_the_last_minutes_gives_the_time_left(rt: Runtime, client: TestClient,
                                                          tmp_path: Path) -> None:
    _library(rt, client)
    progress = client.get("/api/v1/status").json()["progress"]
    assert progress["window_seconds"] == 300
    # two photos in the 40 s since the first of them: 0.05 a second; four left: 80 s (a few
    # more on a busy machine: the seconds between making the rows and asking count too)
    faces = progress["stages"]["faces"]
    assert faces["waiting"] == 4 and 0.045 <= faces["per_second"] <= 0.05
    assert 80 <= faces["eta_seconds"] <= 90
    # the core stages settled an hour ago: nothing waiting, no pace in the window
    assert progress["stages"]["derivatives"] == {"waiting": 0, "per_second": None,
                                                 "eta_seconds": 0}
    assert progress["eta_seconds"] == faces["eta_seconds"] and progress["finishes_at"]

    out = run_cli(env_for(tmp_path / "data", rt.database_url), "status").stdout
    # 0.05 a second and 1 min, or 0.04 and up to 2 min where the command took a few seconds to
    # start on a busy machine (the pace counts from the first photo to now)
    assert re.search(r"faces: 4 waiting, 0\.0[45] photos/s, [12] min left", out), out
    assert re.search(r"time left: [12] min \(at the pace of the last 5 minutes\)", out), out
    assert "derivatives:" not in out  # idle stages are left out

    page = browser(client).get("/admin").text
    row = page[page.index('<tr data-stage="faces">'):]
    row = row[:row.index("</tr>")]
    # 0.05 a second, or 0.04 where a busy machine took a few seconds more between the steps
    assert re.search(r'<td data-field="per_second">0\.0[45]</td>', row), row
    assert re.search(r'<td data-field="eta">[12] min</td>', row), row
    assert re.search(r'id="time-left">Time left: <b>[12] min</b>', page)


def test_a_stage_without_a_pace_yet_leaves_the_time_unknown(rt: Runtime,
                                                            client: TestClient) -> None:
    ids = [upload(client, images.jpeg(320, 240, seed=i), f"q{i}.jpg") for i in range(2)]
    for asset_id in ids:
        _stage(rt, asset_id, "ocr", PENDING)  # nothing read yet: no pace to go by
    progress = client.get("/api/v1/status").json()["progress"]
    assert progress["stages"]["ocr"] == {"waiting": 2, "per_second": None, "eta_seconds": None}
    assert progress["eta_seconds"] is None and progress["finishes_at"] is None
    page = browser(client).get("/admin").text
    assert 'id="time-left">Time left: <b>unknown</b>' in page


def test_members_see_the_pace_of_their_own_photos_only(rt: Runtime, client: TestClient) -> None:
    _library(rt, client)
    created = client.post("/api/v1/users", json={"username": "mia", "password": "mia-password-1"})
    assert created.status_code == 201, created.text
    from tests.conftest import bearer

    mia = TestClient(client.app)
    mia.headers["Authorization"] = bearer(mia, "mia", "mia-password-1")
    progress = mia.get("/api/v1/status").json()["progress"]
    assert progress["stages"] == {} and progress["eta_seconds"] == 0


def test_durations_read_as_people_say_them() -> None:
    assert [format_duration(s) for s in (None, 0, 40, 80, 3599, 7500)] == [
        "unknown", "0 s", "40 s", "1 min", "1 h 00 min", "2 h 05 min"]
