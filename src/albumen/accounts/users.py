"""Users: first-run setup, create, list, disable, reset password, quota."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import (
    OWNER,
    Album,
    ApiKey,
    Asset,
    AuthSession,
    Event,
    EventMember,
    User,
)
from albumen.errors import Conflict, InvalidInput, NotFound
from albumen.runtime import Runtime
from albumen.security.passwords import hash_password

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,149}$")


def check_username(username: str) -> str:
    if not USERNAME.match(username):
        raise InvalidInput(
            "username must be 1-150 characters: letters, digits and . _ @ - "
            "(starting with a letter or digit)"
        )
    return username


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(rt: Runtime, username: str, password: str, *, admin: bool = False,
                display_name: str | None = None, quota_bytes: int | None = None,
                actor: Actor = audit.SYSTEM, only_if_first: bool = False) -> User:
    """Create a user. The first admin also takes over data imported before any user existed."""
    check_username(username)
    hashed = hash_password(password)
    with rt.transaction() as session:
        if only_if_first and user_count(session):
            raise Conflict("setup is already done: an administrator exists")
        if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
            raise Conflict(f"username {username!r} is taken")
        user = User(username=username, password_hash=hashed, is_admin=admin,
                    display_name=display_name, quota_bytes=quota_bytes,
                    password_changed_at=utcnow())
        session.add(user)
        session.flush()
        if admin:
            _adopt_orphans(session, user.id)
        audit.record(session, actor, "user.create", "user", user.id, username=username,
                     admin=admin)
        session.flush()
        session.expunge(user)
        return user


def _adopt_orphans(session: Session, user_id: int) -> None:
    """Single-user data (imported before accounts existed) belongs to the first admin."""
    session.execute(update(Asset).where(Asset.owner_id.is_(None), Asset.event_id.is_(None))
                    .values(owner_id=user_id, scope=f"u{user_id}"))
    session.execute(update(Asset).where(Asset.owner_id.is_(None)).values(owner_id=user_id))
    session.execute(update(Album).where(Album.owner_id.is_(None)).values(owner_id=user_id))
    orphan_events = session.scalars(select(Event.id).where(Event.owner_id.is_(None))).all()
    session.execute(update(Event).where(Event.owner_id.is_(None)).values(owner_id=user_id))
    for event_id in orphan_events:
        session.merge(EventMember(event_id=event_id, user_id=user_id, role=OWNER))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def find_user(session: Session, name_or_id: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == name_or_id.lower()))
    if user is None and name_or_id.isdigit():
        user = session.get(User, int(name_or_id))
    if user is None:
        raise NotFound(f"no user {name_or_id!r}")
    return user


def set_active(rt: Runtime, user_id: int, active: bool, actor: Actor = audit.SYSTEM) -> User:
    """Disable (or enable) a user; disabling ends every session and API key at once, for good
    (enabling again gives back the account, not the old keys)."""
    with rt.transaction() as session:
        user = get_user(session, user_id)
        if not active and user.is_admin and _active_admins(session) <= 1:
            raise Conflict("cannot disable the last active administrator")
        user.is_active = active
        if not active:
            _revoke_sessions(session, user_id)
            _revoke_api_keys(session, user_id)
        audit.record(session, actor, "user.enable" if active else "user.disable", "user",
                     user_id)
        session.flush()
        session.expunge(user)
        return user


def set_password(rt: Runtime, user_id: int, password: str, actor: Actor = audit.SYSTEM) -> None:
    """Set a new password and end every existing session of the user."""
    hashed = hash_password(password)
    with rt.transaction() as session:
        user = get_user(session, user_id)
        user.password_hash = hashed
        user.password_changed_at = utcnow()
        _revoke_sessions(session, user_id)
        audit.record(session, actor, "user.password", "user", user_id)


def update_user(rt: Runtime, user_id: int, *, admin: bool | None = None,
                quota_bytes: int | type[...] | None = ..., display_name: str | None = None,
                actor: Actor = audit.SYSTEM) -> User:
    with rt.transaction() as session:
        user = get_user(session, user_id)
        if admin is not None and admin != user.is_admin:
            if not admin and _active_admins(session) <= 1:
                raise Conflict("cannot remove the last administrator")
            user.is_admin = admin
            audit.record(session, actor, "user.role", "user", user_id, admin=admin)
        if quota_bytes is not ...:
            if quota_bytes is not None and quota_bytes < 0:  # type: ignore[operator]
                raise InvalidInput("quota_bytes must be 0 or more")
            user.quota_bytes = quota_bytes  # type: ignore[assignment]
        if display_name is not None:
            user.display_name = display_name or None
        session.flush()
        session.expunge(user)
        return user


def storage_used(session: Session, user_id: int) -> int:
    """Bytes of originals counted against a user: what they own and has not been purged."""
    total = session.scalar(
        select(func.coalesce(func.sum(Asset.size), 0))
        .where(Asset.owner_id == user_id, Asset.purged_at.is_(None))
    )
    return int(total or 0)  # PostgreSQL sums BIGINT as NUMERIC


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(User).where(User.is_admin, User.is_active)
    ) or 0


def _revoke_sessions(session: Session, user_id: int) -> None:
    session.execute(update(AuthSession)
                    .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def _revoke_api_keys(session: Session, user_id: int) -> None:
    session.execute(update(ApiKey)
                    .where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
