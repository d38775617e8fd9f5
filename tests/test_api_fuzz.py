"""Schemathesis against the OpenAPI document, authenticated: no input gives a 5xx.

Runs on SQLite and PostgreSQL (PostgreSQL is stricter: integer ranges, string types). Calls go
straight into the ASGI app, with an admin API key (so a fuzzed logout or password change does
not end the run's credentials).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow
# A resumable upload's parts are raw bytes, sent as octet streams are.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


def _admin_key(client: TestClient) -> str:
    """A fresh admin API key (made through the service: a fuzzed request may have ended the
    admin's sessions or revoked the previous key)."""
    from albumen.accounts.audit import SYSTEM
    from albumen.accounts.auth import SCOPES, Principal, create_api_key

    rt = client.app.state.runtime  # type: ignore[attr-defined]
    admin = Principal(1, "admin", True, "token", frozenset(SCOPES))
    _, secret = create_api_key(rt, admin, "fuzz", list(SCOPES), None, SYSTEM)
    return f"Bearer {secret}"


def _fuzz(operation: Any, key: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        headers = dict(case.headers or {})
        headers["Authorization"] = key
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_no_server_errors(client: TestClient) -> None:
    client.post("/api/v1/events", json={"title": "something to find"})
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, _admin_key(client))
        except Exception as exc:  # collect every failing operation, not just the first
            failures.append(f"{operation.method.upper()} {operation.path}: "
                            f"{str(exc).strip().splitlines()[0][:300]}")
    assert failures == []


def _patch_targets(client: TestClient) -> dict[str, int]:
    """One object for every path parameter of a PATCH route with a JSON body."""
    from albumen.db.models import Face, Person
    from tests import images

    rt = client.app.state.runtime  # type: ignore[attr-defined]
    rt.settings.webhook_allow_networks = "127.0.0.0/8"
    event = client.post("/api/v1/events", json={"title": "e"}).json()["id"]
    asset = client.post("/api/v1/assets", params={"event_id": event},
                        files={"file": ("n.jpg", images.jpeg(seed=5))}).json()["asset"]["id"]
    with rt.transaction() as session:
        person = Person(owner_id=1, name="P")
        session.add(person)
        session.flush()
        face = Face(asset_id=asset, owner_id=1, person_id=person.id, assigned_by="auto",
                    box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2, embedding=bytes(512))
        session.add(face)
        session.flush()
        person_id, face_id = person.id, face.id
    return {
        "event_id": event, "asset_id": asset, "person_id": person_id, "face_id": face_id,
        "link_id": client.post(f"/api/v1/events/{event}/links", json={}).json()["id"],
        "album_id": client.post("/api/v1/albums", json={"title": "a"}).json()["id"],
        "collection_id": client.post("/api/v1/collections",
                                     json={"title": "c", "query": "x"}).json()["id"],
        "user_id": client.post("/api/v1/users", json={
            "username": "someone", "password": "a-long-password-1"}).json()["id"],
        "webhook_id": client.post("/api/v1/webhooks", json={
            "url": "http://127.0.0.1:9/hook"}).json()["id"],
    }


def test_null_in_any_field_of_a_change_is_a_clear_error(client: TestClient) -> None:
    """Every field of every PATCH body sent as null, alone: a 2xx or a 4xx naming the problem,
    never a database error (random fuzzing found one such field; this tries them all)."""
    schema = client.get("/openapi.json").json()
    targets = _patch_targets(client)
    tried, failures = 0, []
    quiet = TestClient(client.app, raise_server_exceptions=False, headers=client.headers)
    for path, item in schema["paths"].items():
        body = item.get("patch", {}).get("requestBody", {}).get("content", {})
        if "application/json" not in body:
            continue
        ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        url = path.format(**targets)
        for field in schema["components"]["schemas"][ref]["properties"]:
            response = quiet.patch(url, json={field: None})
            tried += 1
            if response.status_code >= 500:
                failures.append(f"PATCH {path} {field}: {response.status_code}")
    assert tried > 30
    assert failures == []
