"""/api/v1/webhooks: outgoing webhooks (Standard Webhooks 1.0), their delivery log,
redelivery, a test ping and secret rotation (albumen.webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, StrictBool

from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.types import Id, IdPath, IdQuery
from albumen.api.webhook_jobs import render
from albumen.db.webhooks import Webhook, WebhookAttempt, WebhookDelivery
from albumen.notify import TYPES
from albumen.webhooks import service as svc
from albumen.webhooks.service import Caller

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=ERRORS)
Url = Annotated[str, Field(min_length=8, max_length=2000,
                           description="https://… (http:// allowed); loopback, private and "
                                       "link-local targets only where the operator allows "
                                       "them (ALBUMEN_WEBHOOK_ALLOW_NETWORKS)")]
Types = Annotated[list[str], Field(max_length=len(TYPES),
                                   description="event types to hear (GET "
                                               "/api/v1/webhooks/event-types); empty: all")]


def _caller(principal: PrincipalDep) -> Caller:
    return Caller(user_id=principal.user_id, admin=principal.admin)


class WebhookIn(BaseModel):
    url: Url
    types: Types = []
    event_id: Id | None = Field(default=None, description="hear only of this event "
                                                          "(required unless administrator)")
    description: str | None = Field(default=None, max_length=300)


class WebhookPatch(BaseModel):
    url: Url | None = None
    types: Types | None = None
    description: str | None = Field(default=None, max_length=300)
    enabled: StrictBool | None = Field(default=None, description="true: enable again (its "
                                       "failures cleared, what waited is sent)")


class WebhookOut(BaseModel):
    id: int
    owner_id: int
    event_id: int | None
    url: str
    description: str | None
    types: list[str] = Field(description="empty: every type")
    enabled: bool
    disabled_reason: str | None = Field(description="why it stopped (410 Gone, failing "
                                                    "for a day, by hand)")
    disabled_at: datetime | None
    failures: int = Field(description="attempts failed in a row")
    previous_secret_expires_at: datetime | None = Field(
        description="after a rotation, until when the old secret still signs")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, h: Webhook) -> Any:
        return cls(id=h.id, owner_id=h.owner_id, event_id=h.event_id, url=h.url,
                   description=h.description, types=h.types, enabled=h.enabled,
                   disabled_reason=h.disabled_reason, disabled_at=h.disabled_at,
                   failures=h.failures, previous_secret_expires_at=h.previous_expires_at,
                   created_at=h.created_at, updated_at=h.updated_at)


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="whsec_…: verify signatures with it (shown this once)")


class EventType(BaseModel):
    type: str
    description: str


class DeliveryOut(BaseModel):
    id: int
    message_id: str = Field(description="the webhook-id header: the same on every retry")
    type: str
    state: str = Field(description="pending, delivered or failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_latency_ms: float | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, d: WebhookDelivery) -> Any:
        return cls(id=d.id, message_id=d.message_id, type=d.type, state=d.state,
                   attempts=d.attempts, next_attempt_at=d.next_attempt_at,
                   last_status=d.last_status, last_latency_ms=d.last_latency_ms,
                   last_error=d.last_error, created_at=d.created_at,
                   delivered_at=d.delivered_at)


class AttemptOut(BaseModel):
    number: int
    at: datetime
    status: int | None
    latency_ms: float
    error: str | None
    response: str | None = Field(description="the first 300 characters of the answer")

    @classmethod
    def of(cls, a: WebhookAttempt) -> AttemptOut:
        return cls(number=a.number, at=a.at, status=a.status, latency_ms=a.latency_ms,
                   error=a.error, response=a.response)


class DeliveryDetail(DeliveryOut):
    body: str | None = Field(description="the message as sent (signed as these bytes)")
    history: list[AttemptOut]


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_before_id: int | None = Field(description="pass as before_id for older ones")


@router.get("/event-types", response_model=list[EventType],
            summary="The event types a webhook can hear")
def event_types(principal: PrincipalDep) -> list[EventType]:
    return [EventType(type=t, description=d) for t, d in TYPES.items()]


@router.post("", status_code=201, response_model=WebhookWithSecret,
             summary="Add a webhook; its secret is in this answer only")
def create(body: WebhookIn, rt: RuntimeDep, principal: PrincipalDep) -> WebhookWithSecret:
    hook, secret = svc.create(rt, _caller(principal), body.url, body.types, body.event_id,
                              body.description)
    return WebhookWithSecret(**WebhookOut.of(hook).model_dump(), secret=secret)


@router.get("", response_model=list[WebhookOut],
            summary="Your webhooks (administrators: all of them)")
def list_webhooks(session: SessionDep, principal: PrincipalDep, event_id: IdQuery = None
                  ) -> list[WebhookOut]:
    return [WebhookOut.of(h) for h in svc.list_for(session, _caller(principal), event_id)]


@router.get("/{webhook_id}", response_model=WebhookOut)
def show(webhook_id: IdPath, session: SessionDep, principal: PrincipalDep) -> WebhookOut:
    return WebhookOut.of(svc.get(session, _caller(principal), webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookOut)
def update(webhook_id: IdPath, body: WebhookPatch, rt: RuntimeDep, principal: PrincipalDep
           ) -> WebhookOut:
    return WebhookOut.of(svc.update(rt, _caller(principal), webhook_id,
                                    body.model_dump(exclude_unset=True)))


@router.delete("/{webhook_id}", status_code=204)
def delete(webhook_id: IdPath, rt: RuntimeDep, principal: PrincipalDep) -> Response:
    svc.remove(rt, _caller(principal), webhook_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/rotate-secret", response_model=WebhookWithSecret,
             summary="A new secret; the old one keeps signing beside it for a day")
def rotate_secret(webhook_id: IdPath, rt: RuntimeDep, principal: PrincipalDep
                  ) -> WebhookWithSecret:
    hook, secret = svc.rotate(rt, _caller(principal), webhook_id)
    return WebhookWithSecret(**WebhookOut.of(hook).model_dump(), secret=secret)


def _detail(d: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryDetail:
    return DeliveryDetail(**DeliveryOut.of(d).model_dump(), body=d.body,
                          history=[AttemptOut.of(a) for a in attempts])


@router.post("/{webhook_id}/ping", response_model=DeliveryDetail,
             summary="Send a webhook.ping now and say how the target answered")
def ping(webhook_id: IdPath, rt: RuntimeDep, session: SessionDep, principal: PrincipalDep
         ) -> DeliveryDetail:
    caller = _caller(principal)
    sent = svc.ping(rt, caller, webhook_id, render)
    return _detail(*svc.delivery(session, caller, webhook_id, sent.id))


@router.get("/{webhook_id}/deliveries", response_model=DeliveryPage,
            summary="The delivery log, newest first")
def deliveries(webhook_id: IdPath, session: SessionDep, principal: PrincipalDep,
               state: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")
                                ] = None,
               limit: Annotated[int, Query(ge=1, le=svc.MAX_PAGE)] = 50,
               before_id: IdQuery = None) -> DeliveryPage:
    found = svc.deliveries(session, _caller(principal), webhook_id, state, limit, before_id)
    return DeliveryPage(items=[DeliveryOut.of(d) for d in found],
                        next_before_id=found[-1].id if len(found) == limit else None)


@router.get("/{webhook_id}/deliveries/{delivery_id}", response_model=DeliveryDetail,
            summary="One delivery: the body sent and every attempt")
def delivery(webhook_id: IdPath, delivery_id: IdPath, session: SessionDep,
             principal: PrincipalDep) -> DeliveryDetail:
    return _detail(*svc.delivery(session, _caller(principal), webhook_id, delivery_id))


@router.post("/{webhook_id}/deliveries/{delivery_id}/redeliver", status_code=202,
             response_model=DeliveryOut, summary="Send a delivery again (same id and body)")
def redeliver(webhook_id: IdPath, delivery_id: IdPath, rt: RuntimeDep,
              principal: PrincipalDep) -> DeliveryOut:
    return DeliveryOut.of(svc.redeliver(rt, _caller(principal), webhook_id, delivery_id))
