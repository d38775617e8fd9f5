"""The authorization matrix: every endpoint, every kind of caller.

Nobody reads, changes or deletes what they should not — ids in URLs (assets, thumbnails,
originals, events, albums, links, keys, users) included. Every route of the API must appear
here: a new endpoint without a rule fails `test_every_route_has_a_rule`.

Denials are checked for every caller first; then the allowed callers of read-only endpoints
must succeed; finally the world is checked to be unchanged (the denied writes did nothing).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from albumen.db.base import utcnow
from albumen.runtime import Runtime
from tests import images
from tests.conftest import bearer

PASSWORD = "matrix-password"
USERS = ("owner", "cohost", "contrib", "viewer", "owner_b", "other")
MEMBERS = {"owner", "cohost", "contrib", "viewer"}
MODERATORS = {"owner", "cohost"}
EVERY_USER = set(USERS) | {"admin"}
CALLERS = ("anonymous", "guest", *USERS, "admin")
DENIED = {401, 403, 404}

# Endpoints anyone may call (they authenticate the caller themselves, or reveal nothing).
PUBLIC = {
    ("GET", "/health/live"), ("GET", "/health/ready"), ("GET", "/api/v1/setup"),
    ("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/login"),
}


@dataclass
class World:
    headers: dict[str, dict[str, str]]
    ids: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rule:
    method: str
    route: str
    url: Callable[[World], str]
    allowed: set[str]
    writes: bool = False  # allowed calls are not replayed here (other tests cover them)
    body: Callable[[World], dict[str, Any]] = lambda w: {}
    # For endpoints that answer 200 to everyone but must show a stranger nothing.
    empty_for_others: bool = False
    ok_status: int = 200  # what an allowed caller gets in this world (409: no CLIP model)
    # For searches that answer 200 to every user: the asset (a world id key) that only the
    # allowed callers may find in the results.
    finds: str | None = None


def _found_ids(response: Any) -> set[int]:
    return {hit["asset"]["id"] if "asset" in hit else hit["id"]
            for hit in response.json()["items"]}


def _user_rules() -> list[Rule]:
    a, e = "/api/v1/assets", "/api/v1/events"

    def asset(key: str, suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{a}/{w.ids[key]}{suffix}"

    rules = [
        Rule("POST", "/api/v1/setup", lambda w: "/api/v1/setup", set(), writes=True,
             body=lambda w: {"json": {"username": "x", "password": PASSWORD}}),
        Rule("POST", "/api/v1/auth/logout", lambda w: "/api/v1/auth/logout", EVERY_USER,
             writes=True),
        Rule("GET", "/api/v1/auth/me", lambda w: "/api/v1/auth/me", EVERY_USER),
        Rule("POST", "/api/v1/auth/password", lambda w: "/api/v1/auth/password", EVERY_USER,
             writes=True, body=lambda w: {"json": {"current_password": "x",
                                                   "new_password": "y" * 12}}),
        Rule("GET", "/api/v1/api-keys", lambda w: "/api/v1/api-keys", EVERY_USER),
        Rule("POST", "/api/v1/api-keys", lambda w: "/api/v1/api-keys", EVERY_USER,
             writes=True, body=lambda w: {"json": {"name": "k"}}),
        Rule("DELETE", "/api/v1/api-keys/{key_id}",
             lambda w: f"/api/v1/api-keys/{w.ids['owner_key']}", {"owner"}, writes=True),
        Rule("GET", "/api/v1/users", lambda w: "/api/v1/users", {"admin"}),
        Rule("POST", "/api/v1/users", lambda w: "/api/v1/users", {"admin"}, writes=True,
             body=lambda w: {"json": {"username": "newbie", "password": PASSWORD}}),
        Rule("PATCH", "/api/v1/users/{user_id}",
             lambda w: f"/api/v1/users/{w.ids['user:other']}", {"admin"}, writes=True,
             body=lambda w: {"json": {"is_admin": True}}),
        Rule("POST", "/api/v1/users/{user_id}/password",
             lambda w: f"/api/v1/users/{w.ids['user:other']}/password", {"admin"},
             writes=True, body=lambda w: {"json": {"password": "z" * 12}}),
        Rule("GET", "/api/v1/audit", lambda w: "/api/v1/audit", {"admin"}),
        Rule("POST", a, lambda w: f"{a}?event_id={w.ids['event_a']}",
             {"owner", "cohost", "contrib"}, writes=True,
             body=lambda w: {"files": {"file": ("n.jpg", images.jpeg(64, 48, seed=999))}}),
        Rule("GET", a, lambda w: a, EVERY_USER),
        Rule("GET", f"{a}/download", lambda w: f"{a}/download?ids={w.ids['lib']}",
             {"owner"}, empty_for_others=True),
        Rule("GET", "/api/v1/status", lambda w: "/api/v1/status", EVERY_USER),
        Rule("GET", "/api/v1/models", lambda w: "/api/v1/models", EVERY_USER),
        Rule("POST", "/api/v1/status/retry", lambda w: "/api/v1/status/retry", {"admin"},
             writes=True, body=lambda w: {"json": {"asset_ids": [w.ids["lib"]]}}),
        # Prometheus metrics are for loopback callers or the metrics token, which no caller
        # here is or has (tests/test_metrics.py checks who may read them); admins included.
        Rule("GET", "/metrics", lambda w: "/metrics", set()),
        Rule("GET", f"{a}/duplicates", lambda w: f"{a}/duplicates", EVERY_USER),
        Rule("POST", "/api/v1/uploads", lambda w: "/api/v1/uploads", EVERY_USER, writes=True,
             body=lambda w: {"json": {"filename": "clip.mp4", "length": 1000}}),
        Rule("HEAD", "/api/v1/uploads/{upload_id}",
             lambda w: f"/api/v1/uploads/{w.ids['upload']}", {"owner"}, ok_status=204),
        Rule("GET", "/api/v1/uploads/{upload_id}",
             lambda w: f"/api/v1/uploads/{w.ids['upload']}", {"owner"}),
        Rule("PATCH", "/api/v1/uploads/{upload_id}",
             lambda w: f"/api/v1/uploads/{w.ids['upload']}", {"owner"}, writes=True,
             body=lambda w: {"content": b"x", "headers": {
                 "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}}),
        Rule("DELETE", "/api/v1/uploads/{upload_id}",
             lambda w: f"/api/v1/uploads/{w.ids['upload']}", {"owner"}, writes=True),
        Rule("GET", "/api/v1/tiers", lambda w: "/api/v1/tiers", EVERY_USER),
        Rule("GET", "/api/v1/recommendations", lambda w: "/api/v1/recommendations",
             EVERY_USER),
        Rule("POST", "/api/v1/recommendations/train",
             lambda w: "/api/v1/recommendations/train", {"admin"}, writes=True),
        Rule("GET", "/api/v1/memories", lambda w: "/api/v1/memories", EVERY_USER),
        Rule("GET", "/api/v1/memories/{memory_id}",
             lambda w: f"/api/v1/memories/{w.ids['memory']}", {"owner"}),
        Rule("POST", "/api/v1/memories/build", lambda w: "/api/v1/memories/build", EVERY_USER,
             writes=True),
        Rule("POST", f"{a}/tier", lambda w: f"{a}/tier", {"owner"}, writes=True,
             body=lambda w: {"json": {"asset_ids": [w.ids["lib"]], "tier": "silver"}}),
        Rule("POST", f"{a}/duplicates/resolve", lambda w: f"{a}/duplicates/resolve",
             {"owner"}, writes=True,
             body=lambda w: {"json": {"keep_id": w.ids["lib"], "trash_ids": [w.ids["ok"]]}}),
    ]
    for key, allowed in (("ok", MEMBERS), ("pending", MODERATORS), ("lib", {"owner"}),
                         ("b_asset", {"owner_b"})):
        for suffix in ("", "/original", "/thumbnail", "/preview", "/near-duplicates", "/text",
                       "/comments", "/reactions", "/export", "/sidecar", "/related"):
            rules.append(Rule("GET", f"{a}/{{asset_id}}{suffix}", asset(key, suffix), allowed))
        rules.append(Rule("POST", f"{a}/{{asset_id}}/comments", asset(key, "/comments"),
                          allowed, writes=True, body=lambda w: {"json": {"text": "hello"}}))
        for method in ("PUT", "DELETE"):
            rules.append(Rule(method, f"{a}/{{asset_id}}/reactions/{{kind}}",
                              asset(key, "/reactions/like"), allowed, writes=True))
    for suffix in ("/playback", "/strip"):  # an approved clip of the event
        rules.append(Rule("GET", f"{a}/{{asset_id}}{suffix}", asset("clip", suffix), MEMBERS))
    rules += [
        Rule("POST", f"{a}/{{asset_id}}/transcode", asset("clip", "/transcode"), MODERATORS,
             writes=True),
        Rule("DELETE", f"{a}/{{asset_id}}/transcode", asset("clip", "/transcode"),
             MODERATORS, writes=True),
    ]
    for key, allowed in (("ok", MODERATORS), ("lib", {"owner"})):
        rules.append(Rule("DELETE", f"{a}/{{asset_id}}", asset(key), allowed, writes=True))
        rules.append(Rule("POST", f"{a}/{{asset_id}}/restore", asset(key, "/restore"),
                          allowed, writes=True))
        rules.append(Rule("PATCH", f"{a}/{{asset_id}}", asset(key), allowed, writes=True,
                          body=lambda w: {"json": {"favorite": True}}))

    d = "/api/v1/documents"
    rules += [
        Rule("GET", f"{a}/{{asset_id}}/pages/{{page}}/thumbnail",
             asset("doc", "/pages/2/thumbnail"), {"owner"}),
        Rule("POST", f"{a}/{{asset_id}}/password", asset("doc", "/password"), {"owner"},
             writes=True, body=lambda w: {"json": {"password": "guess"}}),
        Rule("POST", f"{d}/classify", lambda w: f"{d}/classify", EVERY_USER, writes=True,
             body=lambda w: {"json": {"text": "Invoice for the catering"}}),
        Rule("GET", f"{d}/rules", lambda w: f"{d}/rules", EVERY_USER),
        Rule("POST", f"{d}/rules", lambda w: f"{d}/rules", EVERY_USER, writes=True,
             body=lambda w: {"json": {"category": "x", "algorithm": "any", "pattern": "y"}}),
        Rule("DELETE", f"{d}/rules/{{rule_id}}", lambda w: f"{d}/rules/{w.ids['rule']}",
             {"owner"}, writes=True),
        Rule("GET", f"{d}/classifier", lambda w: f"{d}/classifier", EVERY_USER),
        # (a stream of a second: what each user hears is tests/test_live.py's)
        Rule("GET", "/api/v1/live", lambda w: "/api/v1/live?mine=true&duration=1", EVERY_USER),
    ]

    album = "/api/v1/albums"

    def alb(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{album}/{w.ids['album']}{suffix}"

    def ids_body(w: World) -> dict[str, Any]:
        return {"json": {"asset_ids": [w.ids["ok"]]}}
    rules += [
        Rule("GET", album, lambda w: album, EVERY_USER),
        Rule("POST", album, lambda w: album, EVERY_USER, writes=True,
             body=lambda w: {"json": {"title": "t"}}),
        Rule("GET", f"{album}/{{album_id}}", alb(), {"owner"}),
        Rule("PATCH", f"{album}/{{album_id}}", alb(), {"owner"}, writes=True,
             body=lambda w: {"json": {"title": "hijacked"}}),
        Rule("DELETE", f"{album}/{{album_id}}", alb(), {"owner"}, writes=True),
        Rule("GET", f"{album}/{{album_id}}/assets", alb("/assets"), {"owner"}),
        Rule("POST", f"{album}/{{album_id}}/assets", alb("/assets"), {"owner"}, writes=True,
             body=ids_body),
        Rule("POST", f"{album}/{{album_id}}/assets/remove", alb("/assets/remove"), {"owner"},
             writes=True, body=ids_body),
        Rule("POST", f"{album}/{{album_id}}/links", alb("/links"), {"owner"}, writes=True,
             body=lambda w: {"json": {"can_view": True}}),
        Rule("GET", f"{album}/{{album_id}}/links", alb("/links"), {"owner"}),
        Rule("GET", f"{album}/{{album_id}}/download", alb("/download"), {"owner"}),
    ]

    def ev(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{e}/{w.ids['event_a']}{suffix}"

    rules += [
        Rule("POST", e, lambda w: e, EVERY_USER, writes=True,
             body=lambda w: {"json": {"title": "mine"}}),
        Rule("GET", e, lambda w: e, EVERY_USER),
        Rule("GET", f"{e}/{{event_id}}", ev(), MEMBERS),
        Rule("PATCH", f"{e}/{{event_id}}", ev(), MODERATORS, writes=True,
             body=lambda w: {"json": {"title": "hijacked"}}),
        Rule("DELETE", f"{e}/{{event_id}}", ev(), {"owner"}, writes=True),
        Rule("GET", f"{e}/{{event_id}}/members", ev("/members"), MEMBERS),
        Rule("DELETE", "/api/v1/comments/{comment_id}",
             lambda w: f"/api/v1/comments/{w.ids['comment']}", MODERATORS, writes=True),
        Rule("GET", "/api/v1/analytics/events/{event_id}",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}", MODERATORS),
        Rule("GET", "/api/v1/analytics/events/{event_id}/series",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/series", MODERATORS),
        Rule("GET", "/api/v1/analytics/events/{event_id}/anomalies",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/anomalies", MODERATORS),
        Rule("GET", "/api/v1/analytics/instance", lambda w: "/api/v1/analytics/instance",
             {"admin"}),
        Rule("GET", "/api/v1/analytics/events/{event_id}/segments",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/segments", MODERATORS),
        Rule("GET", "/api/v1/analytics/events/{event_id}/forecast",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/forecast", MODERATORS),
        Rule("GET", "/api/v1/recommendations/events",
             lambda w: "/api/v1/recommendations/events", EVERY_USER),
        Rule("GET", "/api/v1/events/{event_id}/related",
             lambda w: f"/api/v1/events/{w.ids['event_a']}/related", MEMBERS),
        Rule("GET", "/api/v1/analytics/instance/segments",
             lambda w: "/api/v1/analytics/instance/segments", {"admin"}),
        Rule("GET", "/api/v1/analytics/instance/forecast",
             lambda w: "/api/v1/analytics/instance/forecast", {"admin"}),
        Rule("GET", "/api/v1/analytics/events/{event_id}/charts/{name}.{fmt}",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/charts/uploads.png",
             MODERATORS),
        Rule("GET", "/api/v1/analytics/events/{event_id}/export.{fmt}",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/export.csv?table=totals",
             MODERATORS),
        Rule("GET", "/api/v1/analytics/assets.{fmt}",
             lambda w: f"/api/v1/analytics/assets.csv?event_id={w.ids['event_a']}", MEMBERS),
        Rule("GET", "/api/v1/analytics/events/{event_id}/highlights",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/highlights", MODERATORS),
        Rule("POST", "/api/v1/reports", lambda w: "/api/v1/reports", EVERY_USER,
             writes=True, body=lambda w: {"json": {"kind": "contact_sheet", "q": "jpg"}}),
        Rule("GET", "/api/v1/reports", lambda w: "/api/v1/reports", EVERY_USER),
        Rule("GET", "/api/v1/reports/{report_id}",
             lambda w: f"/api/v1/reports/{w.ids['report']}", {"owner"}),
        Rule("GET", "/api/v1/reports/{report_id}/file",
             lambda w: f"/api/v1/reports/{w.ids['report']}/file", {"owner"}),
        Rule("POST", "/api/v1/analytics/events/{event_id}/highlights/album",
             lambda w: f"/api/v1/analytics/events/{w.ids['event_a']}/highlights/album",
             MODERATORS, writes=True),
        Rule("GET", f"{e}/{{event_id}}/live", ev("/live?duration=1&poll=0.5"), MEMBERS),
        Rule("PUT", f"{e}/{{event_id}}/members", ev("/members"), MODERATORS, writes=True,
             body=lambda w: {"json": {"username": "other", "role": "cohost"}}),
        Rule("DELETE", f"{e}/{{event_id}}/members/{{username}}", ev("/members/viewer"),
             MODERATORS, writes=True),
        Rule("POST", f"{e}/{{event_id}}/moderation", ev("/moderation"), MODERATORS,
             writes=True, body=lambda w: {"json": {"asset_ids": [w.ids["pending"]],
                                                    "decision": "approve"}}),
        Rule("POST", f"{e}/{{event_id}}/links", ev("/links"), MODERATORS, writes=True,
             body=lambda w: {"json": {"can_view": True}}),
        Rule("GET", f"{e}/{{event_id}}/links", ev("/links"), MODERATORS),
        Rule("PATCH", "/api/v1/links/{link_id}",
             lambda w: f"/api/v1/links/{w.ids['link_ok']}", MODERATORS, writes=True,
             body=lambda w: {"json": {"can_upload": False}}),
        Rule("DELETE", "/api/v1/links/{link_id}",
             lambda w: f"/api/v1/links/{w.ids['link_ok']}", MODERATORS, writes=True),
        Rule("GET", f"{e}/{{event_id}}/download", ev("/download"), MEMBERS),
    ]

    pp, fc = "/api/v1/people", "/api/v1/faces"

    def person(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{pp}/{w.ids['person']}{suffix}"

    rules += [
        Rule("GET", pp, lambda w: pp, EVERY_USER),
        Rule("POST", pp, lambda w: pp, {"owner"}, writes=True,
             body=lambda w: {"json": {"name": "x", "face_ids": [w.ids["face"]]}}),
        Rule("POST", f"{pp}/recluster", lambda w: f"{pp}/recluster", EVERY_USER, writes=True),
        Rule("GET", f"{pp}/{{person_id}}", person(), {"owner"}),
        Rule("PATCH", f"{pp}/{{person_id}}", person(), {"owner"}, writes=True,
             body=lambda w: {"json": {"name": "hijacked"}}),
        Rule("POST", f"{pp}/{{person_id}}/merge", person("/merge"), {"owner"}, writes=True,
             body=lambda w: {"json": {"person_ids": [w.ids["person"]]}}),
        Rule("GET", f"{pp}/{{person_id}}/faces", person("/faces"), {"owner"}),
        Rule("GET", f"{fc}/unassigned", lambda w: f"{fc}/unassigned", EVERY_USER),
        Rule("PATCH", f"{fc}/{{face_id}}", lambda w: f"{fc}/{w.ids['face']}", {"owner"},
             writes=True, body=lambda w: {"json": {"person_id": None}}),
        Rule("GET", f"{fc}/{{face_id}}/crop", lambda w: f"{fc}/{w.ids['face']}/crop", MEMBERS),
        Rule("GET", f"{a}/{{asset_id}}/faces", asset("ok", "/faces"), MEMBERS),
        Rule("GET", "/api/v1/places", lambda w: "/api/v1/places", EVERY_USER),
        Rule("GET", "/api/v1/moments", lambda w: "/api/v1/moments", EVERY_USER),
        Rule("GET", "/api/v1/clip/search", lambda w: "/api/v1/clip/search?q=x", EVERY_USER,
             ok_status=409),
        Rule("GET", f"{a}/{{asset_id}}/similar", asset("ok", "/similar"), MEMBERS,
             ok_status=409),
        Rule("GET", "/api/v1/places/geojson", lambda w: "/api/v1/places/geojson", EVERY_USER),
    ]
    rules += [
        Rule("GET", "/img/{signature}/{options}/{name}",
             lambda w: f"/img/_/w:64/{w.ids['ok']}.jpeg", MEMBERS),
        Rule("POST", "/api/v1/images/sign", lambda w: "/api/v1/images/sign", MEMBERS,
             body=lambda w: {"json": {"asset_id": w.ids["ok"], "width": 64}}),
        Rule("POST", "/api/v1/images/batch", lambda w: "/api/v1/images/batch", EVERY_USER,
             writes=True, body=lambda w: {"json": {"width": 64}}),
        Rule("GET", "/api/v1/images/batch/{export_id}",
             lambda w: f"/api/v1/images/batch/{w.ids['export']}", {"owner"}),
        Rule("GET", "/api/v1/images/batch/{export_id}/file",
             lambda w: f"/api/v1/images/batch/{w.ids['export']}/file", {"owner"}),
    ]
    return rules + _search_rules() + _webhook_rules()


def _webhook_rules() -> list[Rule]:
    """The event owner's webhook (for event_a): managed by them and by administrators; an
    event's hosts may add one for their event, administrators any."""
    w_ = "/api/v1/webhooks"

    def hook(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{w_}/{w.ids['webhook']}{suffix}"

    def delivery(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{w_}/{w.ids['webhook']}/deliveries/{w.ids['delivery']}{suffix}"

    target = {"url": "https://93.184.215.14/hook"}
    return [
        Rule("GET", f"{w_}/event-types", lambda w: f"{w_}/event-types", EVERY_USER),
        Rule("POST", w_, lambda w: w_, {"admin"}, writes=True, body=lambda w: {"json": target}),
        Rule("POST", w_, lambda w: w_, MODERATORS | {"admin"}, writes=True,
             body=lambda w: {"json": {**target, "event_id": w.ids["event_a"]}}),
        Rule("GET", w_, lambda w: w_, EVERY_USER),
        Rule("GET", f"{w_}/{{webhook_id}}", hook(), {"owner", "admin"}),
        Rule("PATCH", f"{w_}/{{webhook_id}}", hook(), {"owner", "admin"}, writes=True,
             body=lambda w: {"json": {"enabled": False}}),
        Rule("DELETE", f"{w_}/{{webhook_id}}", hook(), {"owner", "admin"}, writes=True),
        Rule("POST", f"{w_}/{{webhook_id}}/rotate-secret", hook("/rotate-secret"),
             {"owner", "admin"}, writes=True),
        Rule("POST", f"{w_}/{{webhook_id}}/ping", hook("/ping"), {"owner", "admin"},
             writes=True),
        Rule("GET", f"{w_}/{{webhook_id}}/deliveries", hook("/deliveries"), {"owner", "admin"}),
        Rule("GET", f"{w_}/{{webhook_id}}/deliveries/{{delivery_id}}", delivery(),
             {"owner", "admin"}),
        Rule("POST", f"{w_}/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver",
             delivery("/redeliver"), {"owner", "admin"}, writes=True),
    ]


def _add_memory(rt: Runtime, world: World) -> int:
    """A memory of the owner's (of the event photo they may see), as the daily job makes."""
    from datetime import date

    from albumen.db.memories import Memory

    with rt.transaction() as session:
        memory = Memory(owner_id=world.ids["user:owner"], kind="on_this_day", key="2020",
                        day=date(2026, 1, 1), title="6 years ago", asset_ids=[world.ids["ok"]],
                        cover_asset_id=world.ids["ok"])
        session.add(memory)
        session.flush()
        return memory.id


def _add_webhook(rt: Runtime, world: World) -> None:
    """The event owner's webhook and one delivery in its log (written directly: nothing is
    sent from the matrix)."""
    from albumen.db.webhooks import DELIVERED, WebhookDelivery
    from albumen.webhooks import service

    hook, _ = service.create(rt, service.Caller(world.ids["user:owner"], False),
                             "https://93.184.215.14/hook", [], world.ids["event_a"])
    with rt.transaction() as session:
        row = WebhookDelivery(webhook_id=hook.id, message_id="evt_matrix", type="asset.created",
                              event_at=utcnow(), fields={"asset_id": world.ids["ok"]},
                              body="{}", state=DELIVERED, attempts=1)
        session.add(row)
        session.flush()
        world.ids["webhook"], world.ids["delivery"] = hook.id, row.id


def _search_rules() -> list[Rule]:
    month = utcnow().strftime("%Y-%m")  # the photos have no capture date: they arrived now
    s, t, c = "/api/v1/search", "/api/v1/timeline", "/api/v1/collections"

    def col(suffix: str = "") -> Callable[[World], str]:
        return lambda w: f"{c}/{w.ids['collection']}{suffix}"

    rules = []
    for key in ("ok", "pending", "lib", "b_asset"):
        rules += [
            Rule("GET", s, lambda w: f"{s}?q=jpg&limit=500", EVERY_USER, finds=key),
            Rule("POST", s, lambda w: s, EVERY_USER, finds=key,
                 body=lambda w: {"json": {"text": ["jpg"], "limit": 500}}),
        ]
    rules += [
        Rule("GET", f"{t}/{{month}}", lambda w: f"{t}/{month}", EVERY_USER, finds="lib"),
        Rule("GET", t, lambda w: t, EVERY_USER),
        Rule("GET", t, lambda w: f"{t}?event_id={w.ids['event_a']}", MEMBERS),
        Rule("GET", f"{t}/{{month}}", lambda w: f"{t}/{month}?event_id={w.ids['event_a']}",
             MEMBERS),
        Rule("POST", c, lambda w: c, EVERY_USER, writes=True,
             body=lambda w: {"json": {"title": "t", "query": "jpg"}}),
        Rule("GET", c, lambda w: c, EVERY_USER),
        Rule("GET", f"{c}/{{collection_id}}", col(), {"owner"}),
        Rule("PATCH", f"{c}/{{collection_id}}", col(), {"owner"}, writes=True,
             body=lambda w: {"json": {"title": "hijacked"}}),
        Rule("DELETE", f"{c}/{{collection_id}}", col(), {"owner"}, writes=True),
        Rule("GET", f"{c}/{{collection_id}}/assets", col("/assets"), {"owner"}),
    ]
    return rules


def _add_person(rt: Runtime, world: World) -> None:
    """A person with one face on the event's approved photo (the matrix runs without the AI
    stages, so the rows are written directly)."""
    from albumen.db.models import Face, Person
    from albumen.storage.base import face_crop_key

    owner = world.ids["user:owner"]
    with rt.transaction() as session:
        person = Person(owner_id=owner, name="P")
        session.add(person)
        session.flush()
        face = Face(asset_id=world.ids["ok"], owner_id=owner, person_id=person.id,
                    assigned_by="auto", box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2,
                    embedding=bytes(512))
        session.add(face)
        session.flush()
        face.crop_key = face_crop_key(world.ids["ok"], face.id)
        world.ids["person"], world.ids["face"] = person.id, face.id
    rt.storage.put_bytes(face_crop_key(world.ids["ok"], world.ids["face"]),
                         images.encode("webp", 16, 16))


# Share-link routes: the "caller" is whoever holds a token; which token decides.
TOKENS = ("ok", "expired", "revoked", "bogus", "other_event")
SHARE_ROUTES = {
    ("GET", "/api/v1/share/{token}"): ("", {"ok", "other_event"}),
    ("PUT", "/api/v1/share/{token}/guest"): ("/guest", {"ok", "other_event"}),
    ("GET", "/api/v1/share/{token}/assets"): ("/assets", {"ok", "other_event"}),
    ("GET", "/api/v1/share/{token}/download"): ("/download", {"ok"}),
    ("GET", "/api/v1/share/{token}/recommendations"): ("/recommendations",
                                                         {"ok", "other_event"}),
    ("POST", "/api/v1/share/{token}/uploads"): ("/uploads", {"ok"}),
    ("GET", "/api/v1/share/{token}/qr.{fmt}"): ("/qr.png", {"ok", "other_event"}),
    ("POST", "/api/v1/share/{token}/selfie-search"): ("/selfie-search", {"ok", "other_event"}),
    ("POST", "/api/v1/share/{token}/images/sign"): ("/images/sign", {"ok", "other_event"}),
}
SHARE_ASSET_ROUTES = [("GET", "/thumbnail"), ("GET", "/preview"), ("GET", "/original"),
                      ("GET", "/comments"), ("GET", "/reactions"), ("DELETE", "")]
# A video's own files, asked for of the clip (the photos have none).
SHARE_VIDEO_ROUTES = [("GET", "/playback"), ("GET", "/strip")]
# Guests' writes on comments and reactions: their own allowed and denied cases are in
# tests/test_analytics.py::test_comments_and_reactions.
GUEST_WRITES = {("POST", "/api/v1/share/{token}/assets/{asset_id}/comments"),
                ("PUT", "/api/v1/share/{token}/assets/{asset_id}/reactions/{kind}"),
                ("DELETE", "/api/v1/share/{token}/assets/{asset_id}/reactions/{kind}"),
                ("DELETE", "/api/v1/share/{token}/comments/{comment_id}")}
# A guest's own resumable upload: only that guest reaches it (tests/test_resumable.py).
GUEST_UPLOADS = {(m, "/api/v1/share/{token}/uploads/{upload_id}")
                 for m in ("HEAD", "GET", "PATCH", "DELETE")}


def _build(client: TestClient, rt: Runtime) -> World:
    admin = dict(client.headers)
    headers = {"admin": {"Authorization": admin["authorization"]},
               "anonymous": {"Authorization": ""}}
    world = World(headers)
    for name in USERS:
        user = client.post("/api/v1/users", json={"username": name, "password": PASSWORD})
        world.ids[f"user:{name}"] = user.json()["id"]
        headers[name] = {"Authorization": bearer(client, name, PASSWORD)}
    h = headers
    event = client.post("/api/v1/events", headers=h["owner"],
                        json={"title": "A", "review_required": True}).json()
    world.ids["event_a"] = event["id"]
    for name, role in (("cohost", "cohost"), ("contrib", "contributor"),
                       ("viewer", "viewer")):
        client.put(f"/api/v1/events/{event['id']}/members", headers=h["owner"],
                   json={"username": name, "role": role})
    world.ids["ok"] = client.post("/api/v1/assets", headers=h["owner"],
                                  params={"event_id": event["id"]},
                                  files={"file": ("ok.jpg", images.jpeg(seed=1))}
                                  ).json()["asset"]["id"]
    from tests.videos import make_clip

    clip = make_clip(rt.settings.data_dir.parent / "clip.mp4", seconds=0.5, width=160,
                     height=90, audio=False)
    world.ids["clip"] = client.post("/api/v1/assets", headers=h["owner"],
                                    params={"event_id": event["id"]},
                                    files={"file": ("clip.mp4", clip.read_bytes())}
                                    ).json()["asset"]["id"]
    world.ids["upload"] = client.post("/api/v1/uploads", headers=h["owner"], json={
        "filename": "later.mp4", "length": 5000}).json()["id"]
    world.ids["comment"] = client.post(f"/api/v1/assets/{world.ids['ok']}/comments",
                                       headers=h["owner"], json={"text": "nice"}).json()["id"]
    world.ids["lib"] = client.post("/api/v1/assets", headers=h["owner"],
                                   files={"file": ("lib.jpg", images.jpeg(seed=2))}
                                   ).json()["asset"]["id"]
    from tests.pdfs import text_pdf

    pdf = text_pdf(rt.settings.data_dir.parent / "doc.pdf", [["Page one"], ["Page two"]])
    world.ids["doc"] = client.post("/api/v1/assets", headers=h["owner"],
                                   files={"file": ("doc.pdf", pdf.read_bytes())}
                                   ).json()["asset"]["id"]
    world.ids["rule"] = client.post("/api/v1/documents/rules", headers=h["owner"], json={
        "category": "letters", "algorithm": "any", "pattern": "dear"}).json()["id"]
    links = {}
    for key, body in (("ok", {"can_view": True, "can_upload": True, "can_download": True}),
                      ("expired", {"expires_at": (utcnow() - timedelta(1)).isoformat()}),
                      ("revoked", {"can_view": True})):
        links[key] = client.post(f"/api/v1/events/{event['id']}/links", headers=h["owner"],
                                 json=body).json()
    client.delete(f"/api/v1/links/{links['revoked']['id']}", headers=h["owner"])
    world.ids["link_ok"] = links["ok"]["id"]
    client.cookies.clear()
    upload = client.post(f"/api/v1/share/{links['ok']['token']}/assets",
                         headers={"Authorization": ""},
                         files={"file": ("g.jpg", images.jpeg(seed=3))}).json()
    world.ids["pending"] = upload["asset"]["id"]
    headers["guest"] = {"Authorization": "", "X-Guest-Token": upload["guest_token"]}

    event_b = client.post("/api/v1/events", headers=h["owner_b"], json={"title": "B"}).json()
    world.ids["b_asset"] = client.post("/api/v1/assets", headers=h["owner_b"],
                                       params={"event_id": event_b["id"]},
                                       files={"file": ("b.jpg", images.jpeg(seed=4))}
                                       ).json()["asset"]["id"]
    link_b = client.post(f"/api/v1/events/{event_b['id']}/links", headers=h["owner_b"],
                         json={"can_view": True}).json()
    album = client.post("/api/v1/albums", headers=h["owner"], json={"title": "Al"}).json()
    client.post(f"/api/v1/albums/{album['id']}/assets", headers=h["owner"],
                json={"asset_ids": [world.ids["ok"]]})
    world.ids["album"] = album["id"]
    world.ids["report"] = client.post("/api/v1/reports", headers=h["owner"], json={
        "kind": "contact_sheet", "album_id": album["id"]}).json()["id"]
    world.ids["owner_key"] = client.post("/api/v1/api-keys", headers=h["owner"],
                                         json={"name": "k"}).json()["id"]
    _add_person(rt, world)
    _add_webhook(rt, world)
    world.ids["export"] = client.post("/api/v1/images/batch", headers=h["owner"], json={
        "query": "", "width": 32}).json()["id"]
    world.ids["collection"] = client.post("/api/v1/collections", headers=h["owner"], json={
        "title": "all jpg", "query": "jpg"}).json()["id"]
    world.ids["memory"] = _add_memory(rt, world)
    world.ids["tokens"] = {"ok": links["ok"]["token"], "expired": links["expired"]["token"],
                           "revoked": links["revoked"]["token"], "bogus": "x" * 43,
                           "other_event": link_b["token"]}
    return world


def _call(client: TestClient, rule: Rule, world: World, caller: str) -> Any:
    client.cookies.clear()
    kwargs = dict(rule.body(world))
    headers = {**world.headers[caller], **kwargs.pop("headers", {})}
    return client.request(rule.method, rule.url(world), headers=headers, **kwargs)


def _snapshot(client: TestClient, world: World) -> Any:
    owner = world.headers["owner"]
    event = client.get(f"/api/v1/events/{world.ids['event_a']}", headers=owner).json()
    members = client.get(f"/api/v1/events/{world.ids['event_a']}/members", headers=owner)
    album = client.get(f"/api/v1/albums/{world.ids['album']}", headers=owner).json()
    links = client.get(f"/api/v1/events/{world.ids['event_a']}/links", headers=owner).json()
    users = client.get("/api/v1/users", headers=world.headers["admin"]).json()
    keys = client.get("/api/v1/api-keys", headers=owner).json()
    assets = [client.get(f"/api/v1/assets/{world.ids[k]}", headers=owner).json()
              for k in ("ok", "pending", "lib")]
    person = client.get(f"/api/v1/people/{world.ids['person']}", headers=owner).json()
    faces = client.get(f"/api/v1/assets/{world.ids['ok']}/faces", headers=owner).json()
    collection = client.get(f"/api/v1/collections/{world.ids['collection']}",
                            headers=owner).json()
    hook = client.get(f"/api/v1/webhooks/{world.ids['webhook']}", headers=owner).json()
    deliveries = client.get(f"/api/v1/webhooks/{world.ids['webhook']}/deliveries",
                            headers=owner).json()["items"]
    return ((hook["enabled"], hook["url"], hook["previous_secret_expires_at"]),
            [(d["id"], d["state"], d["attempts"]) for d in deliveries],
            event["title"], event["counts"], members.json(), album["title"],
            album["asset_count"], [(x["id"], x["revoked_at"], x["can_upload"]) for x in links],
            [(u["username"], u["is_admin"], u["is_active"]) for u in users],
            [(k["id"], k["revoked_at"]) for k in keys],
            [(x["moderation"], x["deleted_at"]) for x in assets],
            (person["name"], person["face_count"]),
            [(f["id"], f["person_id"], f["assigned_by"]) for f in faces],
            (collection["title"], collection["query"]))


def test_every_route_has_a_rule(client: TestClient) -> None:
    covered = {(r.method, r.route) for r in _user_rules()} | PUBLIC | set(SHARE_ROUTES)
    covered |= {(m, "/api/v1/share/{token}/assets/{asset_id}" + s)
                for m, s in SHARE_ASSET_ROUTES + SHARE_VIDEO_ROUTES}
    covered.add(("POST", "/api/v1/share/{token}/assets"))
    covered |= GUEST_WRITES | GUEST_UPLOADS
    spec = client.get("/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    # ... and the API's routes left out of the schema (the web pages have their own tests)
    routes |= {(m, ctx.path) for ctx in iter_route_contexts(client.app.routes)
               if not getattr(ctx, "include_in_schema", True) and ctx.endpoint is not None
               and ctx.endpoint.__module__.startswith("albumen.api.")
               for m in ctx.methods or () if m != "HEAD"}
    assert ("GET", "/metrics") in routes
    assert routes - covered == set(), "routes without an authorization rule"


def test_authorization_matrix(client: TestClient, rt: Runtime) -> None:
    world = _build(client, rt)
    before = _snapshot(client, world)
    problems: list[str] = []
    rules = _user_rules()
    for rule in rules:
        for caller in CALLERS:
            if caller in rule.allowed and not rule.finds:
                continue
            response = _call(client, rule, world, caller)
            if rule.finds and caller in EVERY_USER:
                found = (response.status_code == 200
                         and world.ids[rule.finds] in _found_ids(response))
                if found != (caller in _finders(rule)):
                    problems.append(f"{caller} {rule.method} {rule.url(world)}: "
                                    f"{rule.finds} {'found' if found else 'not found'}")
                continue
            if caller in rule.allowed:
                continue
            if rule.route == "/api/v1/setup":
                ok = response.status_code == 409
            elif rule.empty_for_others and response.status_code == 200:
                with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
                    ok = zf.namelist() == []
            else:
                ok = response.status_code in DENIED
            if not ok:
                problems.append(f"{caller} {rule.method} {rule.url(world)} -> "
                                f"{response.status_code}")
    for rule in rules:
        if rule.writes:
            continue
        for caller in sorted(rule.allowed):
            response = _call(client, rule, world, caller)
            if response.status_code != rule.ok_status:
                problems.append(f"{caller} (allowed) {rule.method} {rule.url(world)} -> "
                                f"{response.status_code}")
    problems += _share_problems(client, world)
    assert problems == []
    assert _snapshot(client, world) == before, "a denied request changed something"


def _finders(rule: Rule) -> set[str]:
    """Who may find the asset a search rule looks for (the rule's callers all get 200)."""
    return {"ok": MEMBERS, "pending": MODERATORS, "lib": {"owner"},
            "b_asset": {"owner_b"}}[rule.finds or ""]


def _share_problems(client: TestClient, world: World) -> list[str]:
    problems = []
    tokens = world.ids["tokens"]
    guest = world.headers["guest"]
    for (method, _), (suffix, allowed) in SHARE_ROUTES.items():
        for key in TOKENS:
            if method != "GET" and key in allowed:
                continue  # writes by allowed tokens are covered by the sharing tests
            client.cookies.clear()
            body = {"asset_id": world.ids["ok"], "width": 64} \
                if suffix == "/images/sign" else ({} if method == "PUT" else None)
            if suffix == "/uploads":
                body = {"filename": "clip.mp4", "length": 1000}
            r = client.request(method, f"/api/v1/share/{tokens[key]}{suffix}", headers=guest,
                               json=body)
            expected_ok = key in allowed
            if (r.status_code == 200) != expected_ok or (
                    not expected_ok and r.status_code not in DENIED):
                problems.append(f"share[{key}] {method} {suffix} -> {r.status_code}")
    client.cookies.clear()
    upload = client.post(f"/api/v1/share/{tokens['other_event']}/assets", headers=guest,
                         files={"file": ("x.jpg", images.jpeg(seed=9))})
    if upload.status_code != 403:
        problems.append(f"view-only link upload -> {upload.status_code}")
    for key in TOKENS:
        for asset_key in ("ok", "pending", "lib", "b_asset"):
            for method, suffix in SHARE_ASSET_ROUTES:
                # Through the good link, the approved event photo is visible (and the guest's
                # own pending upload): everything else is somebody else's.
                visible = key == "ok" and asset_key in ("ok", "pending") and method == "GET"
                if key == "ok" and asset_key == "pending" and method == "DELETE":
                    continue  # the guest's own upload: theirs to delete (tested elsewhere)
                if key == "other_event" and asset_key == "b_asset" and method == "GET":
                    visible = suffix != "/original"  # view-only link: no originals
                client.cookies.clear()
                r = client.request(method, f"/api/v1/share/{tokens[key]}/assets/"
                                   f"{world.ids[asset_key]}{suffix}", headers=guest)
                if visible != (r.status_code == 200) or (
                        not visible and r.status_code not in DENIED):
                    problems.append(f"share[{key}] {method} {asset_key}{suffix} -> "
                                    f"{r.status_code}")
        for method, suffix in SHARE_VIDEO_ROUTES:  # the event's clip: through its links only
            for asset_key in ("clip", "lib"):
                visible = key == "ok" and asset_key == "clip"
                client.cookies.clear()
                r = client.request(method, f"/api/v1/share/{tokens[key]}/assets/"
                                   f"{world.ids[asset_key]}{suffix}", headers=guest)
                if visible != (r.status_code == 200) or (
                        not visible and r.status_code not in DENIED):
                    problems.append(f"share[{key}] {method} {asset_key}{suffix} -> "
                                    f"{r.status_code}")
    return problems
