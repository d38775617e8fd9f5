"""Webhooks: add, list, change, remove, rotate the secret, test ping, the delivery log and
redelivery. Shared by the API, the CLI and the admin page.

Who: an administrator may add a webhook for everything they may see or for one event; an
event's hosts (owner, co-hosts) for their event. A webhook is seen and managed by whoever added
it, and by administrators. Its secret is shown once, when it is made or rotated; it is kept
sealed (security/sealing.py), as it must sign every delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import COHOST, OWNER
from albumen.db.webhooks import PENDING, Webhook, WebhookAttempt, WebhookDelivery
from albumen.errors import Forbidden, InvalidInput, NotFound
from albumen.events.access import require_event
from albumen.notify import TYPES
from albumen.webhooks import dispatch, signing, targets

if TYPE_CHECKING:
    from albumen.runtime import Runtime

PING = "webhook.ping"
MAX_PER_OWNER = 50
MAX_PAGE = 200


@dataclass(frozen=True)
class Caller:
    user_id: int
    admin: bool

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id)


def _types(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise InvalidInput(f"unknown event types {unknown}; known: {', '.join(TYPES)}")
    return sorted(set(types))


def _may_scope(session: Session, caller: Caller, event_id: int | None) -> None:
    if event_id is None:
        if not caller.admin:
            raise Forbidden("only administrators add webhooks for everything they see; "
                            "an event's hosts add one for their event (event_id)")
        return
    if caller.admin:
        from albumen.db.models import Event

        if session.get(Event, event_id) is None:
            raise NotFound(f"event {event_id} not found")
        return
    _, role = require_event(session, caller.user_id, event_id)
    if role not in (OWNER, COHOST):
        raise Forbidden("only the event's hosts add webhooks for it")


def create(rt: Runtime, caller: Caller, url: str, types: list[str],
           event_id: int | None = None, description: str | None = None
           ) -> tuple[Webhook, str]:
    """The new webhook and its secret (shown this once)."""
    targets.resolve(url, dispatch.policy(rt))
    secret = signing.new_secret()
    with rt.transaction() as session:
        _may_scope(session, caller, event_id)
        count = session.scalar(select(func.count()).select_from(Webhook).where(
            Webhook.owner_id == caller.user_id))
        if count >= MAX_PER_OWNER:
            raise InvalidInput(f"at most {MAX_PER_OWNER} webhooks a user")
        now = utcnow()
        hook = Webhook(owner_id=caller.user_id, event_id=event_id, url=url,
                       description=description, types=_types(types),
                       secret_sealed=rt.sealer.seal(secret), enabled=True, failures=0,
                       created_at=now, updated_at=now)
        session.add(hook)
        session.flush()
        audit.record(session, caller.actor, "webhook.create", "webhook", hook.id, url=url,
                     event_id=event_id)
        session.expunge(hook)
    rt.webhooks_due(force=True)  # this process stops believing there are none
    return hook, secret


def get(session: Session, caller: Caller, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None or not (caller.admin or hook.owner_id == caller.user_id):
        raise NotFound(f"webhook {webhook_id} not found")
    return hook


def list_for(session: Session, caller: Caller, event_id: int | None = None) -> list[Webhook]:
    q = select(Webhook).order_by(Webhook.id)
    if not caller.admin:
        q = q.where(Webhook.owner_id == caller.user_id)
    if event_id is not None:
        q = q.where(Webhook.event_id == event_id)
    return list(session.scalars(q))


def update(rt: Runtime, caller: Caller, webhook_id: int, changes: dict[str, Any]) -> Webhook:
    """Change url, types, description or enabled; enabling again clears the failures and
    sends what waited meanwhile."""
    nulls = sorted(k for k in ("url", "types", "enabled") if k in changes
                   and changes[k] is None)
    if nulls:
        raise InvalidInput(f"{', '.join(nulls)} may not be null (leave it out to keep it)")
    if "url" in changes:
        targets.resolve(changes["url"], dispatch.policy(rt))
    with rt.transaction() as session:
        hook = get(session, caller, webhook_id)
        for key in ("url", "description"):
            if key in changes:
                setattr(hook, key, changes[key])
        if "types" in changes:
            hook.types = _types(changes["types"])
        if changes.get("enabled") is True and not hook.enabled:
            hook.enabled, hook.disabled_reason, hook.disabled_at = True, None, None
            hook.failures = 0
        elif changes.get("enabled") is False and hook.enabled:
            hook.enabled, hook.disabled_reason, hook.disabled_at = False, "disabled by hand", \
                utcnow()
        hook.updated_at = utcnow()
        audit.record(session, caller.actor, "webhook.update", "webhook", webhook_id,
                     changed=sorted(changes))
        session.flush()
        session.expunge(hook)
    if hook.enabled:
        rt.webhooks_due(force=True)
    return hook


def remove(rt: Runtime, caller: Caller, webhook_id: int) -> None:
    with rt.transaction() as session:
        hook = get(session, caller, webhook_id)
        audit.record(session, caller.actor, "webhook.delete", "webhook", webhook_id,
                     url=hook.url)
        session.delete(hook)


def rotate(rt: Runtime, caller: Caller, webhook_id: int) -> tuple[Webhook, str]:
    """A new secret; the old one still signs (beside it) for a day."""
    secret = signing.new_secret()
    with rt.transaction() as session:
        hook = get(session, caller, webhook_id)
        now = utcnow()
        hook.previous_secret_sealed = hook.secret_sealed
        hook.previous_expires_at = now + timedelta(days=dispatch.PREVIOUS_SECRET_DAYS)
        hook.secret_sealed = rt.sealer.seal(secret)
        hook.updated_at = now
        audit.record(session, caller.actor, "webhook.rotate", "webhook", webhook_id)
        session.flush()
        session.expunge(hook)
    return hook, secret


def deliveries(session: Session, caller: Caller, webhook_id: int, state: str | None = None,
               limit: int = 50, before_id: int | None = None) -> list[WebhookDelivery]:
    """The delivery log, newest first."""
    get(session, caller, webhook_id)
    q = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    if state is not None:
        q = q.where(WebhookDelivery.state == state)
    if before_id is not None:
        q = q.where(WebhookDelivery.id < before_id)
    return list(session.scalars(q.order_by(WebhookDelivery.id.desc()).limit(limit)))


def recent_deliveries(session: Session, caller: Caller, limit: int = 30
                      ) -> list[WebhookDelivery]:
    """The latest deliveries of every webhook the caller sees, newest first."""
    q = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if not caller.admin:
        q = q.join(Webhook).where(Webhook.owner_id == caller.user_id)
    return list(session.scalars(q))


def delivery(session: Session, caller: Caller, webhook_id: int, delivery_id: int
             ) -> tuple[WebhookDelivery, list[WebhookAttempt]]:
    get(session, caller, webhook_id)
    found = session.get(WebhookDelivery, delivery_id)
    if found is None or found.webhook_id != webhook_id:
        raise NotFound(f"delivery {delivery_id} of webhook {webhook_id} not found")
    attempts = list(session.scalars(select(WebhookAttempt).where(
        WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.number)))
    return found, attempts


def redeliver(rt: Runtime, caller: Caller, webhook_id: int, delivery_id: int
              ) -> WebhookDelivery:
    """Send a delivery again (the same message: same id, same body), queued now."""
    with rt.transaction() as session:
        found, _ = delivery(session, caller, webhook_id, delivery_id)
        if found.type == PING:
            raise InvalidInput("a ping is not redelivered: send a new one")
        if not session.get(Webhook, webhook_id).enabled:
            raise InvalidInput(f"webhook {webhook_id} is disabled: enable it first")
        found.state, found.next_attempt_at, found.locked_until = PENDING, utcnow(), None
        audit.record(session, caller.actor, "webhook.redeliver", "webhook", webhook_id,
                     delivery_id=delivery_id)
        session.flush()
        session.expunge(found)
    rt.queue.enqueue_webhooks()
    return found


def ping(rt: Runtime, caller: Caller, webhook_id: int, render: dispatch.Render,
         now: datetime | None = None) -> WebhookDelivery:
    """Send a ``webhook.ping`` now (once, not retried), even to a disabled webhook, and
    return how it went."""
    import uuid

    now = now or utcnow()
    with rt.transaction() as session:
        hook = get(session, caller, webhook_id)
        row = WebhookDelivery(webhook_id=hook.id, message_id=f"evt_{uuid.uuid4().hex}",
                              type=PING, event_at=now, fields={"webhook_id": hook.id},
                              state=PENDING, attempts=0, next_attempt_at=None)
        session.add(row)
        session.flush()
        delivery_id = row.id
    dispatch.attempt(rt, delivery_id, render, now, retry=False)
    with rt.session() as session:
        found = session.get(WebhookDelivery, delivery_id)
        session.expunge(found)
        return found
