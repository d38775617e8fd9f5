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
