"""Share links and the guests who use them.

A link points at an event or an album and says what its holder may do: view, upload,
download originals; until when; with which limits. The token is 256 random bits, stored only
as its SHA-256. Guests are recognised again by a second random token (a cookie).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import (
    APPROVED,
    AWAITING_SCREENING,
    COHOST,
    PENDING_REVIEW,
    Album,
    Asset,
    Event,
    Guest,
    ShareLink,
    User,
)
from albumen.errors import Forbidden, InvalidInput, NotFound, RateLimited, Unauthorized
from albumen.events.access import album_contents, require_event
from albumen.runtime import Runtime
from albumen.security.passwords import hash_password, verify_password
from albumen.security.secrets import new_token, same, token_hash

LINK_FIELDS = ("label", "can_view", "can_upload", "can_download", "expires_at", "max_uploads",
               "max_uploads_per_guest", "upload_opens_at", "upload_closes_at", "reveal_at",
               "strip_location")


@dataclass(frozen=True)
class GuestAccess:
    """A valid link, and the guest using it (None until they upload or name themselves)."""

    link: ShareLink
    guest_id: int | None

    def require(self, permission: str) -> None:
        if not getattr(self.link, f"can_{permission}"):
            raise Forbidden(f"this link does not allow {permission}")


def _owned_target(session: Session, user_id: int, event_id: int | None,
                  album_id: int | None) -> None:
    if (event_id is None) == (album_id is None):
        raise InvalidInput("a link is for exactly one event or one album")
    if event_id is not None:
        require_event(session, user_id, event_id, COHOST)
    else:
        album = session.get(Album, album_id)
        if album is None or album.owner_id != user_id:
            raise NotFound(f"album {album_id} not found")


def _check_values(values: dict[str, Any]) -> None:
    for key in ("can_view", "can_upload", "can_download", "strip_location"):
        if key in values and values[key] is None:
            raise InvalidInput(f"{key} cannot be null (leave it out to keep it)")
    opens, closes = values.get("upload_opens_at"), values.get("upload_closes_at")
    if opens and closes and closes <= opens:
        raise InvalidInput("upload_closes_at must be after upload_opens_at")


def create_link(rt: Runtime, user_id: int, values: dict[str, Any], actor: Actor,
                event_id: int | None = None, album_id: int | None = None,
                password: str | None = None) -> tuple[ShareLink, str]:
    """A new link and its token. The token is found again by its hash; it is also kept
    sealed with the installation's secret, so the link's managers can be shown it again."""
    _check_values(values)
    if album_id is not None and values.get("can_upload"):
        raise InvalidInput("uploads go to events; album links can view and download only")
    token = new_token()
    with rt.transaction() as session:
        _owned_target(session, user_id, event_id, album_id)
        link = ShareLink(token_hash=token_hash(token), token_sealed=rt.sealer.seal(token),
                         event_id=event_id, album_id=album_id,
                         created_by=user_id,
                         password_hash=hash_password(password) if password else None,
                         **{k: v for k, v in values.items() if k in LINK_FIELDS})
        session.add(link)
        session.flush()
        audit.record(session, actor, "link.create", "share_link", link.id, event_id=event_id,
                     album_id=album_id)
        session.expunge(link)
        return link, token


def link_token(rt: Runtime, link: ShareLink) -> str | None:
    """A link's token for its managers (who got the link from manageable_link/list_links);
    None for a link made before tokens were kept, or sealed under another secret."""
    token = rt.sealer.open(link.token_sealed)
    return token if token is not None and same(token_hash(token), link.token_hash) else None


def manageable_link(session: Session, user_id: int, link_id: int) -> ShareLink:
    link = session.get(ShareLink, link_id)
    if link is None:
        raise NotFound(f"link {link_id} not found")
    try:
        _owned_target(session, user_id, link.event_id, link.album_id)
    except (NotFound, Forbidden) as exc:
        raise NotFound(f"link {link_id} not found") from exc
    return link


def list_links(session: Session, user_id: int, event_id: int | None = None,
               album_id: int | None = None) -> list[ShareLink]:
    _owned_target(session, user_id, event_id, album_id)
    q = select(ShareLink).order_by(ShareLink.id)
    q = q.where(ShareLink.event_id == event_id) if event_id else q.where(
        ShareLink.album_id == album_id)
    return list(session.scalars(q))


def update_link(rt: Runtime, user_id: int, link_id: int, values: dict[str, Any], actor: Actor,
                password: str | type[...] | None = ...) -> None:
    with rt.transaction() as session:
        link = manageable_link(session, user_id, link_id)
        merged = {k: getattr(link, k) for k in ("upload_opens_at", "upload_closes_at")} | values
        _check_values(merged)
        for key, value in values.items():
            if key in LINK_FIELDS:
                setattr(link, key, value)
        if password is not ...:
            link.password_hash = hash_password(password) if password else None  # type: ignore[arg-type]
        audit.record(session, actor, "link.update", "share_link", link_id, fields=sorted(values))


def revoke_link(rt: Runtime, user_id: int, link_id: int, actor: Actor) -> None:
    with rt.transaction() as session:
        link = manageable_link(session, user_id, link_id)
        if link.revoked_at is None:
            link.revoked_at = utcnow()
            audit.record(session, actor, "link.revoke", "share_link", link_id)


def open_link(session: Session, token: str) -> ShareLink:
    """A usable link by its token; NotFound for anything unusable, so a guess learns nothing.
    Expired and revoked links, archived events and disabled owners' links stop at once."""
    digest = token_hash(token)
    link = session.scalar(select(ShareLink).where(ShareLink.token_hash == digest))
    now = utcnow()
    if (link is None or not same(link.token_hash, digest) or link.revoked_at is not None
            or (link.expires_at is not None and link.expires_at <= now)):
        raise NotFound("this link does not exist, has expired or was revoked")
    owner_id = None
    if link.event_id is not None:
        event = session.get(Event, link.event_id)
        if event is None or event.archived_at is not None:
            raise NotFound("this link does not exist, has expired or was revoked")
        owner_id = event.owner_id
    elif link.album_id is not None:
        album = session.get(Album, link.album_id)
        owner_id = album.owner_id if album is not None else None
    # A disabled (or deleted) user's events and albums are shared no more.
    if owner_id is None or not session.scalar(select(User.is_active).where(User.id == owner_id)):
        raise NotFound("this link does not exist, has expired or was revoked")
    return link


def enter(rt: Runtime, token: str, password: str | None, ip: str | None) -> GuestAccess:
    """Open a link as a visitor, checking its password. Wrong passwords count per link and
    address and per link (shared by all processes): over either, 429 until the window ends,
    right password or not. The right one costs no attempt (galleries send it with every
    request); in-flight guesses can pass the check together, at most one per request."""
    with rt.session() as session:
        link = open_link(session, token)
        session.expunge(link)
    if link.password_hash is not None:
        settings = rt.settings
        here, everywhere = f"share-password:{link.id}:{ip or '?'}", f"share-password:{link.id}"
        rt.limiter.check(settings.share_password_rate, here, what="wrong passwords from here")
        rt.limiter.check(settings.share_password_link_rate, everywhere,
                         what="wrong passwords for this link")
        if not (password and verify_password(link.password_hash, password)):
            if password:  # a first visit without one is not a guess
                rt.limiter.count(settings.share_password_rate, here)
                rt.limiter.count(settings.share_password_link_rate, everywhere)
            raise Unauthorized("this link needs a password (X-Share-Password header)")
    return GuestAccess(link, None)


def as_guest(rt: Runtime, access: GuestAccess, guest_token: str) -> GuestAccess:
    """The access of the guest whose token this is (unchanged when it is not this link's)."""
    with rt.session() as session:
        guest_id = session.scalar(select(Guest.id).where(
            Guest.token_hash == token_hash(guest_token), Guest.link_id == access.link.id))
    return GuestAccess(access.link, guest_id) if guest_id is not None else access


def new_guest(rt: Runtime, link_id: int, name: str | None, ip: str | None) -> tuple[int, str]:
    """A guest row and its token (shown once). New guests are capped per address, so leaving
    out the guest cookie does not make a fresh guest with fresh limits on every upload."""
    rt.limiter.hit(rt.settings.guest_create_rate, f"guest-new:{ip or '?'}",
                   what="new guests from your address (send your X-Guest-Token to go on)")
    token = new_token()
    with rt.transaction() as session:
        guest = Guest(link_id=link_id, token_hash=token_hash(token),
                      name=(name or "").strip()[:100] or None, ip=ip)
        session.add(guest)
        session.flush()
        return guest.id, token


def admit_upload(rt: Runtime, access: GuestAccess, name: str | None, ip: str | None
                 ) -> tuple[GuestAccess, str | None]:
    """Let one guest upload begin: the link's window and permission, the rates per link, per
    address on the link and per guest, a guest made for a first upload, and the link's and
    guest's upload caps reserved (give it back with release_upload if the file is refused).
    Returns the guest's access and, for a new guest, their token."""
    access.require("upload")
    check_upload_window(access.link)
    link_id, settings = access.link.id, rt.settings
    rt.limiter.hit(settings.link_upload_rate, f"upload-link:{link_id}",
                   what="uploads to this link; the host's limit per minute")
    rt.limiter.hit(settings.guest_address_upload_rate, f"upload-address:{link_id}:{ip or '?'}",
                   what="uploads from your address")
    guest_token = None
    if access.guest_id is None:
        guest_id, guest_token = new_guest(rt, link_id, name, ip)
        access = GuestAccess(access.link, guest_id)
    assert access.guest_id is not None
    rt.limiter.hit(settings.guest_upload_rate, f"guest:{access.guest_id}",
                   what="uploads from you")
    reserve_upload(rt, link_id, access.guest_id)
    return access, guest_token


def rename_guest(rt: Runtime, guest_id: int, name: str | None) -> None:
    with rt.transaction() as session:
        guest = session.get(Guest, guest_id)
        if guest is not None:
            guest.name = (name or "").strip()[:100] or None


def check_upload_window(link: ShareLink, now: datetime | None = None) -> None:
    now = now or utcnow()
    if link.upload_opens_at and now < link.upload_opens_at:
        raise Forbidden(f"uploads open at {link.upload_opens_at.isoformat()}")
    if link.upload_closes_at and now >= link.upload_closes_at:
        raise Forbidden(f"uploads closed at {link.upload_closes_at.isoformat()}")


def reserve_upload(rt: Runtime, link_id: int, guest_id: int) -> None:
    """Count one upload against the link's and the guest's limits, atomically (a conditional
    UPDATE), so a flood of parallel uploads cannot overshoot. Refused with 429."""
    with rt.transaction() as session:
        link_ok = session.execute(
            update(ShareLink).where(
                ShareLink.id == link_id,
                or_(ShareLink.max_uploads.is_(None),
                    ShareLink.upload_count < ShareLink.max_uploads))
            .values(upload_count=ShareLink.upload_count + 1)).rowcount
        if not link_ok:
            raise RateLimited("this link has reached its upload limit", retry_after=3600)
        limit = session.scalar(select(ShareLink.max_uploads_per_guest)
                               .where(ShareLink.id == link_id))
        guest_ok = session.execute(
            update(Guest).where(Guest.id == guest_id,
                                or_(limit is None, Guest.upload_count < (limit or 0)))
            .values(upload_count=Guest.upload_count + 1)).rowcount
        if not guest_ok:
            raise RateLimited(f"you have reached this link's limit of {limit} uploads",
                              retry_after=3600)


def release_upload(rt: Runtime, link_id: int, guest_id: int) -> None:
    """Give back a reservation (the file was refused or was a duplicate)."""
    with rt.transaction() as session:
        session.execute(update(ShareLink).where(ShareLink.id == link_id,
                                                ShareLink.upload_count > 0)
                        .values(upload_count=ShareLink.upload_count - 1))
        session.execute(update(Guest).where(Guest.id == guest_id, Guest.upload_count > 0)
                        .values(upload_count=Guest.upload_count - 1))


def upload_destination(session: Session, access: GuestAccess, screened: bool
                       ) -> dict[str, Any]:
    """Where a guest upload goes: the event (owned by its owner); pending when the event
    requires review, or until screening has looked at it when screening is on."""
    link = access.link
    if link.event_id is None:
        raise Forbidden("this link does not allow upload")
    event = session.get(Event, link.event_id)
    assert event is not None
    dest = {"owner_id": event.owner_id, "event_id": event.id, "guest_id": access.guest_id,
            "link_id": link.id, "moderation": APPROVED}
    if event.review_required:
        dest["moderation"] = PENDING_REVIEW
    elif screened:
        dest["moderation"], dest["moderation_note"] = PENDING_REVIEW, AWAITING_SCREENING
    return dest


def guest_visible_clause(access: GuestAccess, now: datetime | None = None
                         ) -> ColumnElement[bool]:
    """What a link holder sees: approved assets of the event or album (not before reveal_at
    — until then only their own uploads), plus their own uploads in any state."""
    link = access.link
    now = now or utcnow()
    if link.event_id is not None:
        target = Asset.event_id == link.event_id
    else:
        target = album_contents(link.album_id)
    mine = Asset.guest_id == access.guest_id if access.guest_id is not None else None
    revealed = link.reveal_at is None or link.reveal_at <= now
    shown = and_(target, Asset.moderation == APPROVED) if link.can_view and revealed else None
    parts = [p for p in (shown, and_(target, mine) if mine is not None else None) if p is not None]
    if not parts:
        return Asset.id.is_(None)  # nothing
    return and_(or_(*parts), Asset.deleted_at.is_(None), Asset.purged_at.is_(None))


def guest_asset(session: Session, access: GuestAccess, asset_id: int) -> Asset:
    asset = session.scalar(select(Asset).where(Asset.id == asset_id,
                                               guest_visible_clause(access)))
    if asset is None:
        raise NotFound(f"asset {asset_id} not found")
    return asset


def guest_delete(rt: Runtime, access: GuestAccess, asset_id: int, actor: Actor) -> None:
    """Guests may delete their own uploads for a while after uploading."""
    window = timedelta(minutes=rt.settings.guest_delete_minutes)
    with rt.transaction() as session:
        asset = session.get(Asset, asset_id)
        if (asset is None or access.guest_id is None or asset.guest_id != access.guest_id
                or asset.deleted_at is not None):
            raise NotFound(f"asset {asset_id} not found")
        if utcnow() - asset.created_at > window:
            raise Forbidden("uploads can be deleted by their guest only within "
                            f"{rt.settings.guest_delete_minutes} minutes; ask the host")
        asset.deleted_at = utcnow()
        audit.record(session, actor, "asset.guest_delete", "asset", asset_id)
