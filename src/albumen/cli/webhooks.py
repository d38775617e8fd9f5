"""`albumen webhooks ...`: outgoing webhooks, as the API has them (same service, same JSON)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, UserOpt, fail, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError, NotFound

webhooks_app = typer.Typer(help="Outgoing webhooks: add, test, the delivery log",
                           no_args_is_help=True)
TypesOpt = Annotated[list[str] | None, typer.Option(
    "--type", "-t", help="an event type to hear (repeat; see `albumen webhooks types`); "
                         "none: all")]
EventOpt = Annotated[int | None, typer.Option("--event", help="hear only of this event")]


def _caller(user: str | None) -> Any:
    """Who the command acts as: --user, or the first administrator."""
    from albumen.accounts.users import find_user
    from albumen.cli.common import owner
    from albumen.db.models import User
    from albumen.webhooks.service import Caller

    rt = runtime()
    with rt.session() as session:
        user_id = find_user(session, user).id if user else owner(rt, None)
        if user_id is None:
            raise NotFound("no user yet: create one with `albumen users create`")
        found = session.get(User, user_id)
        return rt, Caller(user_id=user_id, admin=bool(found and found.is_admin))


def _run(action: Any, as_json: bool) -> Any:
    try:
        return action()
    except AlbumenError as exc:
        fail(exc, as_json)


def _show(hook: Any, as_json: bool, secret: str | None = None) -> None:
    from albumen.api.webhooks import WebhookOut

    out = WebhookOut.of(hook).model_dump(mode="json")
    if secret:
        out["secret"] = secret
    if as_json:
        print_json(out)
        return
    state = "enabled" if hook.enabled else f"disabled: {hook.disabled_reason}"
    console.print(f"webhook {hook.id} → {hook.url} ({state})")
    console.print(f"  hears: {', '.join(hook.types) or 'every event type'}"
                  + (f" of event {hook.event_id}" if hook.event_id else ""))
    if secret:
        console.print(f"  secret: {secret}  (shown this once: keep it to verify signatures)")


@webhooks_app.command("types")
def types(as_json: JsonOpt = False) -> None:
    """The event types a webhook can hear."""
    from albumen.notify import TYPES

    if as_json:
        print_json([{"type": t, "description": d} for t, d in TYPES.items()])
        return
    for name, description in TYPES.items():
        console.print(f"{name:22} {description}")


@webhooks_app.command("add")
def add(url: str, type_: TypesOpt = None, event: EventOpt = None,
        description: Annotated[str | None, typer.Option(help="what it is for")] = None,
        user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Add a webhook; prints its secret (this once)."""
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        return service.create(rt, caller, url, type_ or [], event, description)

    hook, secret = _run(go, as_json)
    _show(hook, as_json, secret)


@webhooks_app.command("list")
def list_(event: EventOpt = None, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Your webhooks (administrators: all)."""
    from albumen.api.webhooks import WebhookOut
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        with rt.session() as session:
            return service.list_for(session, caller, event)

    found = _run(go, as_json)
    if as_json:
        print_json([WebhookOut.of(h).model_dump(mode="json") for h in found])
        return
    table = Table("id", "url", "types", "event", "state", "failures")
    for h in found:
        table.add_row(str(h.id), h.url, ", ".join(h.types) or "all", str(h.event_id or ""),
                      "enabled" if h.enabled else f"disabled: {h.disabled_reason}",
                      str(h.failures))
    console.print(table)


@webhooks_app.command("show")
def show(webhook_id: int, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """One webhook."""
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        with rt.session() as session:
            hook = service.get(session, caller, webhook_id)
            session.expunge(hook)
            return hook

    _show(_run(go, as_json), as_json)


@webhooks_app.command("update")
def update(webhook_id: int, url: Annotated[str | None, typer.Option()] = None,
           type_: TypesOpt = None,
           enabled: Annotated[bool | None, typer.Option(
               "--enable/--disable", help="enable again (failures cleared) or stop it")] = None,
           description: Annotated[str | None, typer.Option()] = None,
           user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Change a webhook's URL, types or description, or enable/disable it."""
    from albumen.webhooks import service

    changes: dict[str, Any] = {k: v for k, v in (("url", url), ("types", type_),
                                                  ("enabled", enabled),
                                                  ("description", description))
                               if v is not None}

    def go() -> Any:
        rt, caller = _caller(user)
        return service.update(rt, caller, webhook_id, changes)

    _show(_run(go, as_json), as_json)


@webhooks_app.command("remove")
def remove(webhook_id: int, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Delete a webhook and its delivery log."""
    from albumen.webhooks import service

    def go() -> None:
        rt, caller = _caller(user)
        service.remove(rt, caller, webhook_id)

    _run(go, as_json)
    if as_json:
        print_json({"removed": webhook_id})
    else:
        console.print(f"webhook {webhook_id} removed")


@webhooks_app.command("rotate-secret")
def rotate_secret(webhook_id: int, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """A new secret; the old one keeps signing beside it for a day."""
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        return service.rotate(rt, caller, webhook_id)

    hook, secret = _run(go, as_json)
    _show(hook, as_json, secret)


def _delivery_json(d: Any) -> dict[str, Any]:
    from albumen.api.webhooks import DeliveryOut

    return DeliveryOut.of(d).model_dump(mode="json")


@webhooks_app.command("ping")
def ping(webhook_id: int, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Send a webhook.ping now; exits 1 when the target did not take it."""
    from albumen.api.webhook_jobs import render
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        return service.ping(rt, caller, webhook_id, render)

    sent = _run(go, as_json)
    if as_json:
        print_json(_delivery_json(sent))
    else:
        console.print(f"ping {sent.state}: {sent.last_status or sent.last_error} "
                      f"in {sent.last_latency_ms:.0f} ms")
    if sent.state != "delivered":
        raise typer.Exit(1)


@webhooks_app.command("deliveries")
def deliveries(webhook_id: int,
               state: Annotated[str | None, typer.Option(
                   help="pending, delivered or failed")] = None,
               limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
               user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """The delivery log, newest first."""
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        with rt.session() as session:
            return service.deliveries(session, caller, webhook_id, state, limit)

    found = _run(go, as_json)
    if as_json:
        print_json([_delivery_json(d) for d in found])
        return
    table = Table("id", "type", "state", "attempts", "last", "ms", "at")
    for d in found:
        table.add_row(str(d.id), d.type, d.state, str(d.attempts),
                      str(d.last_status or d.last_error or ""),
                      f"{d.last_latency_ms:.0f}" if d.last_latency_ms is not None else "",
                      d.created_at.isoformat(timespec="seconds"))
    console.print(table)


@webhooks_app.command("redeliver")
def redeliver(webhook_id: int, delivery_id: int, user: UserOpt = None,
              as_json: JsonOpt = False) -> None:
    """Send a delivery again (the same message, id and body)."""
    from albumen.webhooks import service

    def go() -> Any:
        rt, caller = _caller(user)
        return service.redeliver(rt, caller, webhook_id, delivery_id)

    found = _run(go, as_json)
    if as_json:
        print_json(_delivery_json(found))
    else:
        console.print(f"delivery {delivery_id} queued again")
