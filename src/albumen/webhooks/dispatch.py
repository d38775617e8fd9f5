"""Delivering webhooks: the outbox fanned out to the webhooks that may hear each event, then
every due delivery sent, signed, several at once.

Who hears what: a webhook hears of what its owner may see (an asset by the library's access
rules, an event's report by its hosts, a person by their library's owner), limited to one
event when it names one. Its body carries the object as the owner would get it from the API,
rendered at the first attempt and kept, so retries and redeliveries send the same bytes under
the same ``webhook-id`` (receivers drop duplicates by it).

Outcomes: 2xx delivered. 410 Gone disables the webhook (the receiver said it is gone). 5xx,
408, 429, a time-out or no connection are retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
10 h (Standard Webhooks' schedule, 27 h in all); a delivery still failing then gives up and
disables its webhook, with the reason, in the audit log. Other answers (3xx, 4xx) are final:
the receiver refused that message.

State lives in the rows. An attempt holds a lease on its delivery; a worker killed mid-attempt
leaves the lease to run out and the delivery due again (at least once, never lost).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.db.base import utcnow
from albumen.db.models import Asset
from albumen.db.webhooks import (
    DELIVERED,
    FAILED,
    PENDING,
    OutboxEvent,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from albumen.errors import InvalidInput
from albumen.events.access import MODERATORS, event_role, visible_clause
from albumen.webhooks import signing, targets

if TYPE_CHECKING:
    from albumen.runtime import Runtime

log = logging.getLogger(__name__)
SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)  # seconds before each retry
RETRIED = frozenset({408, 429})  # and every 5xx
EXCERPT = 300  # characters of a response kept
BATCH = 500
SOON = 30.0  # a retry due within this is queued; later ones wait for the workers' sweep
PREVIOUS_SECRET_DAYS = 1
# (session, viewer, type, fields) -> the object as the API returns it, or None (it is gone)
Render = Callable[[Session, int, str, dict[str, Any]], dict[str, Any] | None]


@dataclass
class Sent:
    delivered: int = 0
    failed: int = 0  # attempts that did not succeed


def policy(rt: Runtime) -> targets.Policy:
    s = rt.settings
    return targets.Policy(
        allow=tuple(targets.networks(s.webhook_allow_networks, "ALBUMEN_WEBHOOK_ALLOW_NETWORKS")),
        deny=tuple(targets.networks(s.webhook_deny_networks, "ALBUMEN_WEBHOOK_DENY_NETWORKS")))


def deliver(rt: Runtime, render: Render, now: datetime | None = None) -> Sent:
    """The dispatcher's job: fan out the outbox, send what is due, queue the next retry if it
    comes soon."""
    now = now or utcnow()
    fan_out(rt, now)
    sent = send_due(rt, render, now)
    with rt.session() as session:
        upcoming = session.scalar(select(WebhookDelivery.next_attempt_at).join(Webhook).where(
            WebhookDelivery.state == PENDING, Webhook.enabled.is_(True),
            WebhookDelivery.next_attempt_at > now).order_by(WebhookDelivery.next_attempt_at))
    if upcoming is not None and (wait := (upcoming - now).total_seconds()) <= SOON:
        rt.queue.enqueue_webhooks(delay=wait)
    return sent


# Fan-out ---------------------------------------------------------------------------------

def fan_out(rt: Runtime, now: datetime) -> int:
    """Every outbox event as one delivery per webhook that may hear it; the events removed."""
    made = 0
    for _ in range(1000):
        with rt.session() as session:
            rows = list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)
                                        .limit(BATCH)))
            if not rows:
                return made
            hooks = list(session.scalars(select(Webhook).where(Webhook.enabled.is_(True))))
            pairs = _matches(session, hooks, rows)
            try:
                gone = session.execute(delete(OutboxEvent).where(
                    OutboxEvent.id.in_([r.id for r in rows]))).rowcount
                if gone != len(rows):  # another dispatcher took some: start again
                    session.rollback()
                    continue
                for hook, row in pairs:
                    session.add(WebhookDelivery(
                        webhook_id=hook.id, message_id=row.message_id, type=row.type,
                        event_at=row.at, fields=row.fields, state=PENDING, attempts=0,
                        next_attempt_at=now))
                session.commit()
                made += len(pairs)
            except OperationalError:  # SQLite: another dispatcher wrote first
                session.rollback()
                time.sleep(0.05)
    return made


def _matches(session: Session, hooks: list[Webhook], rows: list[OutboxEvent]
             ) -> list[tuple[Webhook, OutboxEvent]]:
    """Which webhook hears which event: an event about an asset, whoever may see the asset;
    one with an ``owner_id`` (a person, a report), that user; one of an event only (no asset,
    no owner), its hosts."""
    if not hooks:
        return []
    asset_ids = {r.fields["asset_id"] for r in rows if isinstance(r.fields.get("asset_id"), int)}
    asset_event = dict(session.execute(select(Asset.id, Asset.event_id)
                                       .where(Asset.id.in_(asset_ids))).all()
                       ) if asset_ids else {}
    pairs = []
    for hook in hooks:
        seen = set(session.scalars(select(Asset.id).where(
            Asset.id.in_(asset_ids), visible_clause(hook.owner_id)))) if asset_ids else set()
        roles: dict[int, str | None] = {}
        for row in rows:
            if hook.types and row.type not in hook.types:
                continue
            asset_id, event_id = row.fields.get("asset_id"), row.fields.get("event_id")
            if asset_id is not None:
                if asset_id not in seen:
                    continue
                event_id = asset_event.get(asset_id)
            elif row.fields.get("owner_id") is not None:
                if row.fields["owner_id"] != hook.owner_id:
                    continue
            elif event_id is not None:
                if event_id not in roles:
                    roles[event_id] = event_role(session, hook.owner_id, event_id)
                if roles[event_id] not in MODERATORS:
                    continue
            else:
                continue
            if hook.event_id is not None and event_id != hook.event_id:
                continue
            pairs.append((hook, row))
    return pairs


# Sending ---------------------------------------------------------------------------------

@dataclass
class Outgoing:
    """A claimed delivery, ready to send."""

    delivery_id: int
    webhook_id: int
    url: str
    message_id: str
    body: bytes
    secrets: list[str]


@dataclass
class Answer:
    delivery_id: int
    status: int | None
    error: str | None
    response: str | None
    latency_ms: float


def send_due(rt: Runtime, render: Render, now: datetime) -> Sent:
    """Every due delivery of an enabled webhook, claimed and sent: each webhook's in order
    (a receiver hears of an asset's creation before its processing), several webhooks at
    once. The bookkeeping is a few transactions a batch (claim, then what each webhook
    answered), not several a delivery: on SQLite every write waits for the one writer, and
    uploads should not wait behind deliveries."""
    sent = Sent()
    while True:
        with rt.session() as session:
            rows = session.execute(select(WebhookDelivery.id, WebhookDelivery.webhook_id)
                                   .join(Webhook).where(
                WebhookDelivery.state == PENDING, Webhook.enabled.is_(True),
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.locked_until.is_(None),
                    WebhookDelivery.locked_until < now),
            ).order_by(WebhookDelivery.id).limit(BATCH)).all()
        if not rows:
            return sent
        queues: dict[int, list[Outgoing]] = {}
        for item in claim(rt, [r[0] for r in rows], render, now):
            queues.setdefault(item.webhook_id, []).append(item)

        def send(batch: list[Outgoing]) -> list[bool]:
            return record(rt, [post(rt, item) for item in batch], now)

        if queues:
            with ThreadPoolExecutor(min(rt.settings.webhook_concurrency, len(queues)),
                                    thread_name_prefix="webhook") as pool:
                for results in pool.map(send, queues.values()):
                    sent.delivered += results.count(True)
                    sent.failed += results.count(False)
        if len(rows) < BATCH:
            return sent


def claim(rt: Runtime, ids: list[int], render: Render, now: datetime) -> list[Outgoing]:
    """The deliveries of ``ids`` no other worker holds, leased to this one (long enough for
    its webhook's whole queue to time out), their bodies rendered on first use. Rendering
    reads outside any write: on SQLite a write holds the one writer's lock until commit."""
    import uuid

    token = uuid.uuid4().hex
    timeout = rt.settings.webhook_timeout_seconds
    at = max(now, utcnow())
    with rt.transaction() as session:
        per_hook: dict[int, list[int]] = {}
        for delivery_id, webhook_id in session.execute(
                select(WebhookDelivery.id, WebhookDelivery.webhook_id)
                .where(WebhookDelivery.id.in_(ids))):
            per_hook.setdefault(webhook_id, []).append(delivery_id)
        for held in per_hook.values():
            session.execute(update(WebhookDelivery).where(
                WebhookDelivery.id.in_(held), WebhookDelivery.state == PENDING,
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
            ).values(claim=token, locked_until=at + timedelta(
                seconds=30 + timeout * len(held))))
    with rt.session() as session:
        mine = list(session.scalars(select(WebhookDelivery).where(
            WebhookDelivery.claim == token).order_by(WebhookDelivery.id)))
        hooks = {h.id: h for h in session.scalars(select(Webhook).where(
            Webhook.id.in_({d.webhook_id for d in mine})))}
        bodies = {d.id: d.body or body_of(session, render, hooks[d.webhook_id], d)
                  for d in mine}
        fresh = [{"id": d.id, "body": bodies[d.id]} for d in mine if d.body is None]
        out = [Outgoing(d.id, d.webhook_id, hooks[d.webhook_id].url, d.message_id,
                        bodies[d.id].encode("utf-8"), secrets_of(rt, hooks[d.webhook_id], now))
               for d in mine]
        session.rollback()  # end the read before writing
        if fresh:
            session.execute(update(WebhookDelivery), fresh)  # by primary key
            session.commit()
    return out


def secrets_of(rt: Runtime, hook: Webhook, now: datetime) -> list[str]:
    """The secrets a message is signed with: the current one, and the previous one for a day
    after a rotation."""
    found = [rt.sealer.open(hook.secret_sealed)]
    if hook.previous_expires_at is not None and hook.previous_expires_at > now:
        found.append(rt.sealer.open(hook.previous_secret_sealed))
    return [s for s in found if s]


def body_of(session: Session, render: Render, hook: Webhook, delivery: WebhookDelivery) -> str:
    """The message as sent: id, type, timestamp and data, where data is the event's fields
    plus the object it is about, as the webhook's owner would get it from the API."""
    import json

    data = dict(delivery.fields)
    rendered = render(session, hook.owner_id, delivery.type, delivery.fields)
    if rendered:
        data.update(rendered)
    return json.dumps({"id": delivery.message_id, "type": delivery.type,
                       "timestamp": delivery.event_at.isoformat().replace("+00:00", "Z"),
                       "data": data}, separators=(",", ":"), default=str)


def attempt(rt: Runtime, delivery_id: int, render: Render, now: datetime | None = None,
            retry: bool = True) -> bool | None:
    """One try of one delivery (a ping): True delivered, False failed (retried later or
    given up), None when another worker holds it."""
    now = now or utcnow()
    claimed = claim(rt, [delivery_id], render, now)
    if not claimed:
        return None
    return record(rt, [post(rt, claimed[0])], now, retry)[0]


def post(rt: Runtime, item: Outgoing) -> Answer:
    """POST one signed message (signed now: the timestamp is the attempt's)."""
    headers = signing.headers(item.message_id, utcnow(), item.body, item.secrets)
    status, error, response, latency = _post(rt, item.url, item.body, headers,
                                             rt.settings.webhook_timeout_seconds)
    return Answer(item.delivery_id, status, error, response, latency)


def _post(rt: Runtime, url: str, body: bytes, headers: dict[str, str], timeout: float
          ) -> tuple[int | None, str | None, str | None, float]:
    started = time.perf_counter()
    try:
        target = targets.resolve(url, policy(rt))
    except InvalidInput as exc:
        return None, exc.message, None, (time.perf_counter() - started) * 1000
    host = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    default = 443 if target.scheme == "https" else 80
    netloc = host if target.port == default else f"{host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    sent_host = target.host if target.port == default else f"{target.host}:{target.port}"
    try:
        r = _client().post(f"{target.scheme}://{netloc}{target.path}", content=body,
                           timeout=timeout, extensions=extensions,
                           headers={**headers, "host": sent_host,
                                    "content-type": "application/json",
                                    "user-agent": "albumen-webhooks/1"})
        text = r.text[:EXCERPT] if r.content else None
        return r.status_code, None, text, (time.perf_counter() - started) * 1000
    except httpx.TimeoutException:
        return None, f"no answer within {timeout:g} s", None, \
            (time.perf_counter() - started) * 1000
    except httpx.HTTPError as exc:
        return None, f"could not connect: {exc}"[:EXCERPT], None, \
            (time.perf_counter() - started) * 1000


_clients: dict[int, httpx.Client] = {}


def _client() -> httpx.Client:
    """One connection pool a process (keep-alive to the same receivers); never redirected."""
    import os

    pid = os.getpid()
    if pid not in _clients:
        _clients[pid] = httpx.Client(follow_redirects=False, trust_env=False,
                                     limits=httpx.Limits(max_connections=64))
    return _clients[pid]


def record(rt: Runtime, answers: list[Answer], now: datetime, retry: bool = True
           ) -> list[bool]:
    """What the targets answered, in one transaction: delivered, due again, or given up;
    the webhook disabled on 410 or when a delivery exhausted the schedule."""
    outcomes = []
    with rt.transaction() as session:
        hooks: dict[int, Webhook] = {}
        for answer in answers:
            delivery = session.get(WebhookDelivery, answer.delivery_id)
            if delivery is None:  # its webhook was deleted meanwhile
                outcomes.append(False)
                continue
            hook = hooks.get(delivery.webhook_id) or session.get(Webhook, delivery.webhook_id)
            hooks[hook.id] = hook
            outcomes.append(_outcome(session, hook, delivery, answer, now, retry))
    return outcomes


def _outcome(session: Session, hook: Webhook, delivery: WebhookDelivery, answer: Answer,
             now: datetime, retry: bool) -> bool:
    status, error = answer.status, answer.error
    ok = status is not None and 200 <= status < 300
    delivery.attempts += 1
    session.add(WebhookAttempt(delivery_id=delivery.id, number=delivery.attempts, at=utcnow(),
                               status=status, latency_ms=round(answer.latency_ms, 1),
                               error=error, response=answer.response))
    delivery.last_status, delivery.last_error = status, error
    delivery.last_latency_ms = round(answer.latency_ms, 1)
    delivery.locked_until, delivery.claim = None, None
    if ok:
        delivery.state, delivery.delivered_at = DELIVERED, utcnow()
        delivery.next_attempt_at = None
        hook.failures = 0
        return True
    hook.failures += 1
    transient = status is None or status >= 500 or status in RETRIED
    if status == 410:
        delivery.state, delivery.next_attempt_at = FAILED, None
        disable(session, hook, "the target answered 410 Gone")
    elif retry and transient and delivery.attempts <= len(SCHEDULE):
        delivery.next_attempt_at = now + timedelta(seconds=SCHEDULE[delivery.attempts - 1])
    else:
        delivery.state, delivery.next_attempt_at = FAILED, None
        if retry and transient:
            disable(session, hook, f"a delivery failed {delivery.attempts} times over "
                                   f"{_span(delivery, now)} (last: {error or status})")
    return False


def _span(delivery: WebhookDelivery, now: datetime) -> str:
    hours = (now - delivery.created_at).total_seconds() / 3600
    return f"{hours:.0f} h" if hours >= 1 else f"{hours * 60:.0f} min"


def disable(session: Session, hook: Webhook, reason: str) -> None:
    """Stop a webhook, with the notice its owner sees (its reason, the audit log)."""
    if not hook.enabled:
        return
    hook.enabled, hook.disabled_reason, hook.disabled_at = False, reason, utcnow()
    audit.record(session, audit.SYSTEM, "webhook.disabled", "webhook", hook.id,
                 reason=reason, url=hook.url)
    log.warning("webhook %s (%s) disabled: %s", hook.id, hook.url, reason)
