"""Idempotency-Key on uploads (issue 26): a retried upload gets the first answer again and
nothing is done twice; keys are per caller; failures leave no trace; a key in use is 409."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from albumen.api import idempotency
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "password-12345"


def _post(c: TestClient, data: bytes, key: str | None, **headers: str) -> object:
    if key is not None:
        headers["Idempotency-Key"] = key
    return c.post("/api/v1/assets", files={"file": ("p.jpg", data)}, headers=headers)


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_retried_upload_gets_the_first_answer_and_nothing_twice(client: TestClient) -> None:
    data = images.jpeg(64, 48, seed=1)
    first = _post(client, data, "k-1")
    again = _post(client, data, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    uploads = client.get("/api/v1/audit", params={"action": "asset.upload"}).json()
    assert len(uploads) == 1  # done once
    plain = _post(client, data, None)  # no key: the duplicate answer, as always
    assert plain.status_code == 200 and plain.json()["status"] == "duplicate"
    other_key = _post(client, data, "k-2")
    assert other_key.status_code == 200

    client.post("/api/v1/users", json={"username": "bob", "password": PASSWORD})
    bob = {"Authorization": bearer(client, "bob", PASSWORD)}
    theirs = _post(client, data, "k-1", **bob)  # the same key is another caller's own
    assert theirs.status_code == 201 and theirs.json()["asset"]["id"] != first.json()[
        "asset"]["id"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failed_upload_leaves_its_key_free_and_bad_or_busy_keys_are_refused(
        client: TestClient) -> None:
    refused = _post(client, b"not a photo at all", "k-3")
    assert refused.status_code == 415
    ok = _post(client, images.jpeg(64, 48, seed=2), "k-3")
    assert ok.status_code == 201 and "idempotent-replayed" not in ok.headers
    for bad in ("x" * 201, "with space", "é".encode()):
        r = client.post("/api/v1/assets", files={"file": ("p.jpg", b"x")},
                        headers={"Idempotency-Key": bad})
        assert r.status_code == 422 and "Idempotency-Key" in r.text
    me = client.get("/api/v1/auth/me").json()["user"]["id"]
    assert idempotency._claim(get_runtime(), f"user:{me}:assets", "k-4") is None  # in flight
    busy = _post(client, images.jpeg(64, 48, seed=3), "k-4")
    assert busy.status_code == 409 and "still running" in busy.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_guests_retried_upload_spends_their_allowance_once(client: TestClient) -> None:
    event = client.post("/api/v1/events", json={"title": "Party"}).json()
    link = client.post(f"/api/v1/events/{event['id']}/links", json={
        "can_view": False, "can_upload": True, "max_uploads_per_guest": 1}).json()
    guest = TestClient(client.app)

    def send(seed: int, key: str, token: str | None = None) -> object:
        headers = {"Idempotency-Key": key, **({"X-Guest-Token": token} if token else {})}
        guest.cookies.clear()
        return guest.post(f"/api/v1/share/{link['token']}/assets", params={"guest_name": "ana"},
                          files={"file": ("a.jpg", images.jpeg(64, 48, seed), "image/jpeg")},
                          headers=headers)

    first = send(4, "g-1")
    assert first.status_code == 201, first.text
    retry = send(4, "g-1")  # the answer was lost: no guest token yet
    assert retry.status_code == 201 and retry.json() == first.json()
    token = first.json()["guest_token"]
    over = send(5, "g-2", token)  # the one upload allowed was spent once, not twice
    assert over.status_code == 429
