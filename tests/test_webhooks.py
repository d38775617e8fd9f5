"""Outgoing webhooks (issue 26): a real receiver (an HTTP server in the test) gets signed
deliveries and verifies them with the ``standardwebhooks`` package; retries follow the
schedule, 410 disables, a day of failure gives up and disables; targets are checked; only what
a webhook's owner may see reaches it; the delivery log, ping, redelivery and secret rotation.

Time: the dispatcher takes the time as an argument (``now``), so a test steps through the
retry schedule (5 s, 5 min, ...) without waiting for it; every delivery is a real HTTP request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook as Verifier

from albumen.api.webhook_jobs import render
from albumen.db.base import utcnow
from albumen.db.webhooks import OutboxEvent, WebhookDelivery
from albumen.runtime import Runtime, get_runtime
from albumen.webhooks import dispatch, targets
from tests import images
from tests.conftest import bearer

PASSWORD = "password-12345"
LOOPBACK = {"webhook_allow_networks": "127.0.0.0/8"}


class Receiver:
    """An HTTP server that records each request and answers with the statuses it is given
    (then 200), optionally slowly or with a long body."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.reply = b"ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body,
                                          "path": self.path})
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("content-length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?from=albumen"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if json.loads(r["body"])["type"] == kind]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()


@pytest.fixture
def hooks(app_client: Callable[..., TestClient]) -> TestClient:
    """An administrator's client on a runtime that lets webhooks reach this machine."""
    return app_client(**LOOPBACK)


def _user(c: TestClient, name: str) -> dict[str, str]:
    assert c.post("/api/v1/users", json={"username": name, "password": PASSWORD}
                  ).status_code == 201
    return {"Authorization": bearer(c, name, PASSWORD)}


def _upload(c: TestClient, seed: int, headers: dict[str, str] | None = None,
            event_id: int | None = None) -> int:
    r = c.post("/api/v1/assets", files={"file": (f"p{seed}.jpg", images.jpeg(64, 48, seed))},
               params={"event_id": event_id} if event_id else {}, headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()["asset"]["id"]


def _add(c: TestClient, url: str, headers: dict[str, str] | None = None, **body: Any
         ) -> dict[str, Any]:
    r = c.post("/api/v1/webhooks", json={"url": url, **body}, headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()


def _deliver(later: float) -> dispatch.Sent:
    return dispatch.deliver(get_runtime(), render, utcnow() + timedelta(seconds=later))


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_deliveries_are_signed_and_carry_the_asset_as_the_api_returns_it(
        hooks: TestClient, receiver: Receiver) -> None:
    hook = _add(hooks, receiver.url, types=["asset.created", "asset.processed"])
    assert hook["secret"].startswith("whsec_") and "secret" not in hooks.get(
        f"/api/v1/webhooks/{hook['id']}").json()
    asset_id = _upload(hooks, 1)
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == [
        "asset.created", "asset.processed"]
    verifier = Verifier(hook["secret"])
    shown = hooks.get(f"/api/v1/assets/{asset_id}").json()
    for request in receiver.requests:
        message = verifier.verify(request["body"], request["headers"])
        assert message["id"] == request["headers"]["webhook-id"]
        assert message["timestamp"].endswith("Z")
        assert message["data"]["asset_id"] == asset_id
        assert request["path"] == "/hook?from=albumen"
    processed = json.loads(receiver.of_type("asset.processed")[0]["body"])["data"]["asset"]
    for key in ("id", "sha256", "width", "height", "state", "taken_at"):
        assert processed[key] == shown[key]
    assert processed["state"] == "ready"
    tampered = receiver.requests[0]["body"].replace(b"asset", b"assex")
    with pytest.raises(Exception, match="signature"):
        verifier.verify(tampered, receiver.requests[0]["headers"])

    log = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [(d["type"], d["state"], d["attempts"], d["last_status"]) for d in log] == [
        ("asset.processed", "delivered", 1, 200), ("asset.created", "delivered", 1, 200)]
    assert all(d["last_latency_ms"] >= 0 for d in log)
    with get_runtime().session() as session:  # every event fanned out, none left waiting
        assert session.query(OutboxEvent).count() == 0


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_receiver_failing_twice_then_answering_sees_three_attempts_and_one_success(
        hooks: TestClient, receiver: Receiver) -> None:
    hook = _add(hooks, receiver.url, types=["asset.created"])
    receiver.statuses = [500, 503]
    _upload(hooks, 2)
    assert len(receiver.requests) == 1
    assert _deliver(1).delivered == 0 and len(receiver.requests) == 1  # not due before 5 s
    assert _deliver(6).failed == 1  # the second attempt, after 5 s
    assert _deliver(60).delivered == 0 and len(receiver.requests) == 2  # next after 5 min
    assert _deliver(6 + 301).delivered == 1
    assert len(receiver.requests) == 3
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    bodies = {r["body"] for r in receiver.requests}
    assert len(ids) == 1 and len(bodies) == 1  # the same message each time
    log = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [(d["state"], d["attempts"]) for d in log] == [("delivered", 3)]
    detail = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries/{log[0]['id']}").json()
    assert [a["status"] for a in detail["history"]] == [500, 503, 200]
    assert detail["body"].encode() in bodies
    assert hooks.get(f"/api/v1/webhooks/{hook['id']}").json()["failures"] == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_410_gone_disables_the_webhook_and_says_why(hooks: TestClient,
                                                     receiver: Receiver) -> None:
    hook = _add(hooks, receiver.url, types=["asset.created"])
    receiver.statuses = [410]
    _upload(hooks, 3)
    shown = hooks.get(f"/api/v1/webhooks/{hook['id']}").json()
    assert not shown["enabled"] and "410" in shown["disabled_reason"]
    audit = hooks.get("/api/v1/audit", params={"action": "webhook.disabled"}).json()
    assert audit and audit[0]["target_id"] == hook["id"]
    _upload(hooks, 4)
    _deliver(3600)
    assert len(receiver.requests) == 1  # nothing more to a disabled webhook
    again = hooks.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": True}).json()
    assert again["enabled"] and again["disabled_reason"] is None
    _upload(hooks, 5)
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_day_of_failures_gives_up_and_disables_the_webhook(hooks: TestClient,
                                                             receiver: Receiver) -> None:
    hook = _add(hooks, receiver.url, types=["asset.created"])
    receiver.statuses = [500] * 20
    _upload(hooks, 6)
    elapsed = 0.0
    for wait in dispatch.SCHEDULE:
        elapsed += wait + 1
        _deliver(elapsed)
    assert len(receiver.requests) == 1 + len(dispatch.SCHEDULE)
    assert sum(dispatch.SCHEDULE) >= 24 * 3600
    log = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [(d["state"], d["attempts"]) for d in log] == [("failed", 8)]
    shown = hooks.get(f"/api/v1/webhooks/{hook['id']}").json()
    assert not shown["enabled"] and "failed 8 times" in shown["disabled_reason"]
    # redelivery once the receiver is fixed (enable first): the same message again
    refused = hooks.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{log[0]['id']}/redeliver")
    assert refused.status_code == 422 and "enable it first" in refused.text
    hooks.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": True})
    receiver.statuses = []
    r = hooks.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{log[0]['id']}/redeliver")
    assert r.status_code == 202, r.text
    assert receiver.requests[-1]["body"] == receiver.requests[0]["body"]
    assert hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"][0][
        "state"] == "delivered"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_4xx_is_final_and_time_outs_are_retried_and_answers_are_cut_short(
        app_client: Callable[..., TestClient], receiver: Receiver) -> None:
    c = app_client(webhook_timeout_seconds=0.5, **LOOPBACK)
    hook = _add(c, receiver.url, types=["asset.created"])
    receiver.statuses, receiver.reply = [400], b"x" * 5000
    _upload(c, 7)
    log = c.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [(d["state"], d["last_status"]) for d in log] == [("failed", 400)]
    detail = c.get(f"/api/v1/webhooks/{hook['id']}/deliveries/{log[0]['id']}").json()
    assert len(detail["history"][0]["response"]) == dispatch.EXCERPT
    assert c.get(f"/api/v1/webhooks/{hook['id']}").json()["enabled"]  # one refusal: still on

    receiver.delay = 1.0
    _upload(c, 8)
    slow = c.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"][0]
    assert slow["state"] == "pending" and "no answer within 0.5 s" in slow["last_error"]
    receiver.delay = 0
    _deliver(6)
    assert c.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"][0][
        "state"] == "delivered"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_worker_killed_mid_attempt_leaves_the_delivery_to_be_sent_again(
        hooks: TestClient, receiver: Receiver) -> None:
    rt = get_runtime()
    hook = _add(hooks, receiver.url, types=["asset.created"])
    hooks.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": False})
    _upload(hooks, 9)
    hooks.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": True})
    assert receiver.requests == []
    with rt.session() as session:
        assert session.query(WebhookDelivery).count() == 0  # a disabled webhook hears nothing
    _upload(hooks, 10)
    receiver.requests.clear()
    with rt.session() as session:
        delivery_id = session.query(WebhookDelivery.id).scalar()
        session.query(WebhookDelivery).update({"state": "pending", "attempts": 0,
                                               "next_attempt_at": utcnow()})
        session.commit()
    # What a worker killed between claiming and recording leaves: a lease, no attempt.
    assert [o.delivery_id for o in dispatch.claim(rt, [delivery_id], render, utcnow())] == [
        delivery_id]
    assert _deliver(1).delivered == 0 and receiver.requests == []  # the lease holds
    assert _deliver(60).delivered == 1 and len(receiver.requests) == 1


def test_targets_are_checked_against_the_allow_and_deny_lists(
        app_client: Callable[..., TestClient]) -> None:
    c = app_client()
    for url, why in (("http://127.0.0.1:9/x", "loopback"), ("http://10.1.2.3/x", "private"),
                     ("http://169.254.169.254/latest", "link-local"),
                     ("http://[::1]/x", "loopback"), ("http://0.0.0.0/x", "unspecified"),
                     ("ftp://example.com/x", "https://"), ("http://u:p@example.com/", "user"),
                     ("http://localhost:9/x", "loopback")):
        r = c.post("/api/v1/webhooks", json={"url": url})
        assert r.status_code == 422, (url, r.text)
        assert why in r.json()["error"]["message"], (url, r.json())
    assert "ALBUMEN_WEBHOOK_ALLOW_NETWORKS" in c.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/x"}).json()["error"]["message"]
    policy = targets.Policy(allow=tuple(targets.networks("10.0.0.0/8", "allow")),
                            deny=tuple(targets.networks("10.9.0.0/16", "deny")))
    assert policy.refusal(targets.ipaddress.ip_address("10.1.1.1")) is None
    assert "deny" in policy.refusal(targets.ipaddress.ip_address("10.9.1.1"))
    assert "loopback" in policy.refusal(targets.ipaddress.ip_address("::ffff:127.0.0.1"))
    assert policy.refusal(targets.ipaddress.ip_address("93.184.215.14")) is None
    with pytest.raises(ValueError, match="not an address"):
        targets.networks("10.0.0.0/8, nonsense", "ALBUMEN_WEBHOOK_ALLOW_NETWORKS")


def test_a_target_that_turns_private_after_it_was_saved_is_not_sent_to(
        rt: Runtime, receiver: Receiver) -> None:
    """Checked again at delivery: an address allowed then (here, by the setting) and not now
    gets no request, and the attempt says why."""
    from albumen.accounts import users
    from albumen.webhooks import service

    rt.settings.webhook_allow_networks = "127.0.0.0/8"
    admin = users.create_user(rt, "root", PASSWORD, admin=True)
    hook, _ = service.create(rt, service.Caller(admin.id, True), receiver.url, [])
    rt.settings.webhook_allow_networks = ""
    sent = service.ping(rt, service.Caller(admin.id, True), hook.id, render)
    assert receiver.requests == [] and sent.state == "failed"
    assert "loopback" in sent.last_error


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_webhook_hears_only_what_its_owner_may_see(hooks: TestClient,
                                                     receiver: Receiver) -> None:
    host, other = _user(hooks, "host"), _user(hooks, "other")
    mine = hooks.post("/api/v1/events", headers=host, json={"title": "Mine"}).json()
    theirs = hooks.post("/api/v1/events", headers=other, json={"title": "Theirs"}).json()
    # only administrators add webhooks for everything; hosts for their event only
    assert hooks.post("/api/v1/webhooks", headers=host, json={"url": receiver.url}
                      ).status_code == 403
    assert hooks.post("/api/v1/webhooks", headers=host,
                      json={"url": receiver.url, "event_id": theirs["id"]}).status_code == 404
    member = _user(hooks, "member")
    assert hooks.put(f"/api/v1/events/{mine['id']}/members", headers=host,
                     json={"username": "member", "role": "contributor"}).status_code == 200
    assert hooks.post("/api/v1/webhooks", headers=member,
                      json={"url": receiver.url, "event_id": mine["id"]}).status_code == 403
    hook = _add(hooks, receiver.url, headers=host, event_id=mine["id"], types=["asset.created"])
    admin_hook = _add(hooks, receiver.url + "&admin", types=["asset.created"])

    in_mine = _upload(hooks, 11, host, mine["id"])
    _upload(hooks, 12, other, theirs["id"])
    _upload(hooks, 13, host)  # the host's own library: not the event
    admins = _upload(hooks, 14)
    heard = [(r["path"].endswith("&admin"), json.loads(r["body"])["data"]["asset_id"])
             for r in receiver.requests]
    assert sorted(heard) == [(False, in_mine), (True, admins)]  # the admin sees no one else's

    assert hooks.get(f"/api/v1/webhooks/{hook['id']}", headers=other).status_code == 404
    assert hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=other
                     ).status_code == 404
    assert hooks.delete(f"/api/v1/webhooks/{hook['id']}", headers=other).status_code == 404
    assert [h["id"] for h in hooks.get("/api/v1/webhooks", headers=host).json()] == [hook["id"]]
    assert sorted(h["id"] for h in hooks.get("/api/v1/webhooks").json()) == sorted(
        [hook["id"], admin_hook["id"]])  # administrators see every webhook
    assert hooks.delete(f"/api/v1/webhooks/{hook['id']}", headers=host).status_code == 204
    assert hooks.get(f"/api/v1/webhooks/{hook['id']}", headers=host).status_code == 404


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_guest_uploads_moderation_and_comments_reach_the_events_webhook(
        hooks: TestClient, receiver: Receiver) -> None:
    event = hooks.post("/api/v1/events", json={"title": "Party", "review_required": True}
                       ).json()
    _add(hooks, receiver.url, event_id=event["id"],
         types=["event.upload", "moderation.pending", "moderation.decided", "comment.created"])
    link = hooks.post(f"/api/v1/events/{event['id']}/links",
                      json={"can_view": True, "can_upload": True}).json()
    hooks.cookies.clear()
    r = hooks.post(f"/api/v1/share/{link['token']}/assets", params={"guest_name": "maria"},
                   files={"file": ("m.jpg", images.jpeg(64, 48, 15), "image/jpeg")},
                   headers={"Authorization": ""})
    assert r.status_code == 201, r.text
    asset_id = r.json()["asset"]["id"]
    hooks.post(f"/api/v1/events/{event['id']}/moderation",
               json={"asset_ids": [asset_id], "decision": "approve"})
    hooks.post(f"/api/v1/assets/{asset_id}/comments", json={"text": "Lovely!"})
    messages = [json.loads(r["body"]) for r in receiver.requests]
    assert [m["type"] for m in messages] == [
        "event.upload", "moderation.pending", "moderation.decided", "comment.created"]
    assert messages[0]["data"]["guest_id"] and messages[0]["data"]["asset"]["id"] == asset_id
    assert messages[1]["data"]["asset"]["moderation"] == "pending"
    assert messages[2]["data"]["decision"] == "approved"
    assert messages[3]["data"]["comment"]["text"] == "Lovely!"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ping_rotation_and_bad_requests(hooks: TestClient, receiver: Receiver) -> None:
    hook = _add(hooks, receiver.url)
    ping = hooks.post(f"/api/v1/webhooks/{hook['id']}/ping").json()
    assert ping["type"] == "webhook.ping" and ping["state"] == "delivered"
    assert ping["history"][0]["status"] == 200
    rotated = hooks.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret").json()
    assert rotated["secret"] != hook["secret"] and rotated["previous_secret_expires_at"]
    hooks.post(f"/api/v1/webhooks/{hook['id']}/ping")
    last = receiver.requests[-1]
    assert len(last["headers"]["webhook-signature"].split(" ")) == 2
    for secret in (hook["secret"], rotated["secret"]):  # old and new both verify for a day
        Verifier(secret).verify(last["body"], last["headers"])

    dead = _add(hooks, "http://127.0.0.1:9/nothing-listens")
    failed = hooks.post(f"/api/v1/webhooks/{dead['id']}/ping").json()
    assert failed["state"] == "failed" and "could not connect" in failed["last_error"]
    assert hooks.get(f"/api/v1/webhooks/{dead['id']}").json()["enabled"]  # a ping disables not

    assert hooks.post("/api/v1/webhooks", json={"url": receiver.url, "types": ["asset.nope"]}
                      ).status_code == 422
    assert hooks.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": "yes"}
                       ).status_code == 422
    assert "url may not be null" in hooks.patch(f"/api/v1/webhooks/{hook['id']}",
                                                json={"url": None}).text
    assert hooks.post("/api/v1/webhooks", content=b"{not json",
                      headers={"content-type": "application/json"}).status_code == 422
    assert hooks.get("/api/v1/webhooks/999999").status_code == 404
    types = hooks.get("/api/v1/webhooks/event-types").json()
    assert {"asset.processed", "moderation.pending", "person.created"} <= {
        t["type"] for t in types}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_event_rolled_back_is_never_delivered(rt: Runtime) -> None:
    from albumen.notify import emit

    with rt.session() as session:
        emit(session, "asset.created", asset_id=1)
        session.rollback()
        emit(session, "asset.deleted", asset_id=1)
        session.commit()
        assert [r.type for r in session.query(OutboxEvent)] == ["asset.deleted"]


def test_the_webhooks_commands(rt: Runtime, receiver: Receiver) -> None:
    """`albumen webhooks ...`, in process (the real command, on the test's runtime)."""
    from typer.testing import CliRunner

    from albumen.accounts import users
    from albumen.cli.main import app

    rt.settings.webhook_allow_networks = "127.0.0.0/8"
    users.create_user(rt, "root", PASSWORD, admin=True)
    cli = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        result = cli.invoke(app, ["webhooks", *args, "--json"])
        assert result.exit_code == code, result.output
        return json.loads(result.stdout)

    added = run("add", receiver.url, "--type", "asset.created", "--description", "the app")
    assert added["secret"].startswith("whsec_") and added["types"] == ["asset.created"]
    assert [h["id"] for h in run("list")] == [added["id"]]
    pinged = run("ping", str(added["id"]))
    assert pinged["state"] == "delivered" and receiver.requests
    Verifier(added["secret"]).verify(receiver.requests[0]["body"],
                                     receiver.requests[0]["headers"])
    assert [d["type"] for d in run("deliveries", str(added["id"]))] == ["webhook.ping"]
    assert run("update", str(added["id"]), "--disable")["enabled"] is False
    assert run("update", str(added["id"]), "--url", "http://10.0.0.1/x", code=1)["error"][
        "code"] == "invalid_input"
    assert run("add", "https://127.0.0.1/x", "--type", "nope", code=1)["error"][
        "message"].startswith("unknown event types")
    assert run("show", "999", code=1)["error"]["code"] == "not_found"
    assert run("remove", str(added["id"])) == {"removed": added["id"]}
    assert run("list") == []
    assert "asset.processed" in {t["type"] for t in run("types")}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_admin_page_shows_webhooks_and_their_deliveries(hooks: TestClient,
                                                            receiver: Receiver) -> None:
    from tests.test_web_pages import browser

    hook = _add(hooks, receiver.url, types=["asset.created"], description="the event app")
    receiver.statuses = [410]
    _upload(hooks, 16)
    page = browser(hooks).get("/admin").text
    assert f'data-webhook="{hook["id"]}"' in page and "the event app" in page
    assert "410 Gone" in page  # the reason it stopped
    assert f'data-api="PATCH /api/v1/webhooks/{hook["id"]}"' in page  # enable it again
    assert "<code>asset.created</code>" in page and ">410<" in page
