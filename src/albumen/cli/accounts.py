"""`albumen users ...` and `albumen events ...`: accounts, events and share links."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, fail, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

# --- users -------------------------------------------------------------------------------

users_app = typer.Typer(help="Manage user accounts", no_args_is_help=True)


def _read_password(confirm: bool = True) -> str:
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=confirm)


def _user_doc(user: Any) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "is_admin": user.is_admin,
            "is_active": user.is_active, "quota_bytes": user.quota_bytes,
            "created_at": user.created_at.isoformat()}


@users_app.command("create")
def users_create(
    username: str,
    admin: Annotated[bool, typer.Option("--admin", help="an administrator")] = False,
    quota: Annotated[int | None, typer.Option(help="storage quota in bytes")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user; the password is read from stdin when it is not a terminal."""
    from albumen.accounts.users import create_user

    rt = runtime()
    try:
        user = create_user(rt, username, _read_password(), admin=admin, quota_bytes=quota)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json(_user_doc(user))
    else:
        console.print(f"created {'administrator' if admin else 'user'} {user.username} "
                      f"(id {user.id})")


@users_app.command("list")
def users_list(as_json: JsonOpt = False) -> None:
    """List users with their role, state and storage use."""
    from albumen.accounts.users import list_users, storage_used

    rt = runtime()
    with rt.session() as session:
        docs = [_user_doc(u) | {"storage_used_bytes": storage_used(session, u.id)}
                for u in list_users(session)]
    if as_json:
        print_json({"users": docs})
        return
    table = Table("id", "username", "role", "active", "used", "quota")
    for d in docs:
        table.add_row(str(d["id"]), d["username"], "admin" if d["is_admin"] else "user",
                      "yes" if d["is_active"] else "no", f"{d['storage_used_bytes']:,}",
                      f"{d['quota_bytes']:,}" if d["quota_bytes"] is not None else "-")
    console.print(table)


def _set_active(username: str, active: bool) -> None:
    from albumen.accounts.users import find_user, set_active

    rt = runtime()
    try:
        with rt.session() as session:
            user_id = find_user(session, username).id
        set_active(rt, user_id, active)
    except AlbumenError as exc:
        fail(exc, False)
    console.print(f"{'enabled' if active else 'disabled'} {username}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable a user: their sessions and keys stop working at once."""
    _set_active(username, False)


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_active(username, True)


@users_app.command("reset-password")
def users_reset_password(username: str) -> None:
    """Set a new password (read from stdin when it is not a terminal); ends their sessions."""
    from albumen.accounts.users import find_user, set_password

    rt = runtime()
    try:
        with rt.session() as session:
            user_id = find_user(session, username).id
        set_password(rt, user_id, _read_password())
    except AlbumenError as exc:
        fail(exc, False)
    console.print(f"password of {username} changed; their sessions were ended")


# --- events and share links ---------------------------------------------------------------

events_app = typer.Typer(help="Events and their share links", no_args_is_help=True)


@events_app.command("list")
def events_list(
    user: Annotated[str | None, typer.Option("--user", "-u",
                                             help="whose events (default: all)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List events with their owner, moderation counts and share links."""
    from sqlalchemy import select

    from albumen.accounts.users import find_user
    from albumen.db.models import Event, EventMember, ShareLink, User
    from albumen.events.service import moderation_counts

    rt = runtime()
    with rt.session() as session:
        query = select(Event, User.username).outerjoin(User, User.id == Event.owner_id)
        if user:
            try:
                uid = find_user(session, user).id
            except AlbumenError as exc:
                fail(exc, as_json)
            query = query.join(EventMember, EventMember.event_id == Event.id).where(
                EventMember.user_id == uid)
        docs = []
        for event, owner in session.execute(query.order_by(Event.id)):
            links = session.scalars(select(ShareLink).where(ShareLink.event_id == event.id))
            docs.append({
                "id": event.id, "title": event.title, "owner": owner,
                "starts_at": event.starts_at.isoformat() if event.starts_at else None,
                "archived": event.archived_at is not None,
                "review_required": event.review_required,
                "assets": moderation_counts(session, event.id),
                "links": [{"id": x.id, "label": x.label, "can_upload": x.can_upload,
                           "can_download": x.can_download, "uploads": x.upload_count,
                           "revoked": x.revoked_at is not None,
                           "expires_at": x.expires_at.isoformat() if x.expires_at else None}
                          for x in links],
            })
    if as_json:
        print_json({"events": docs})
        return
    table = Table("id", "title", "owner", "approved", "pending", "rejected", "links")
    for d in docs:
        c = d["assets"]
        live = sum(1 for x in d["links"] if not x["revoked"])
        table.add_row(str(d["id"]), d["title"], d["owner"] or "-", str(c["approved"]),
                      str(c["pending"]), str(c["rejected"]), str(live))
    console.print(table)


@events_app.command("revoke-link")
def events_revoke_link(link_id: int) -> None:
    """Revoke a share link at once (an operator's emergency brake)."""
    from albumen.accounts import audit
    from albumen.db.base import utcnow
    from albumen.db.models import ShareLink

    rt = runtime()
    with rt.transaction() as session:
        link = session.get(ShareLink, link_id)
        if link is None:
            fail(AlbumenError(f"link {link_id} not found"), False)
        if link.revoked_at is None:
            link.revoked_at = utcnow()
            audit.record(session, audit.SYSTEM, "link.revoke", "share_link", link_id)
    console.print(f"link {link_id} revoked")
