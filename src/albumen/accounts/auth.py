"""Logging in and proving who you are: sessions (web cookie or API token pair) and API keys.

Access tokens are opaque random strings looked up by their SHA-256, so revoking a session
(logout, disable, password change) takes effect on the very next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import ApiKey, AuthSession, User
from albumen.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from albumen.runtime import Runtime
from albumen.security.passwords import verify_password
from albumen.security.secrets import new_token, same, token_hash

API_KEY_PREFIX = "albk_"
SCOPES = ("read", "write", "admin")
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most this often


@dataclass(frozen=True)
class Principal:
    """An authenticated user and what the credential they used allows."""

    user_id: int
    username: str
    is_admin: bool
    via: str  # "token" | "cookie" | "api_key"
    scopes: frozenset[str]
    session_id: int | None = None
    api_key_id: int | None = None
    csrf_token: str | None = None

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"this credential lacks the {scope!r} scope")

    @property
    def admin(self) -> bool:
        return self.is_admin and "admin" in self.scopes


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_in: int
    session_id: int
    csrf_token: str | None


def authenticate_password(rt: Runtime, username: str, password: str, actor: Actor) -> User:
    with rt.session() as session:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        ok = verify_password(user.password_hash if user else None, password)
        if ok and user is not None and user.is_active:
            session.expunge(user)
            return user
        user_id = user.id if user else None
        reason = "disabled" if ok and user else "bad credentials"
    with rt.transaction() as session:  # recorded even though the login fails
        audit.record(session, actor, "auth.login_failed", "user", user_id,
                     username=username[:150], reason=reason)
    raise Unauthorized("this account is disabled" if reason == "disabled"
                       else "wrong username or password")


def start_session(rt: Runtime, user: User, kind: str, actor: Actor,
                  user_agent: str | None = None) -> Tokens:
    """A new login: an API token pair (kind "api") or a web cookie session (kind "web")."""
    settings = rt.settings
    now = utcnow()
    access = new_token("alba_")
    refresh = new_token("albr_") if kind == "api" else None
    csrf = new_token() if kind == "web" else None
    access_ttl = timedelta(minutes=settings.access_token_minutes)
    lifetime = timedelta(days=settings.session_days)
    with rt.transaction() as session:
        row = AuthSession(
            user_id=user.id, kind=kind, access_hash=token_hash(access),
            refresh_hash=token_hash(refresh) if refresh else None, csrf_token=csrf,
            # A web session slides: its cookie is its only token, valid for the whole lifetime.
            access_expires_at=now + (access_ttl if kind == "api" else lifetime),
            expires_at=now + lifetime, ip=actor.ip, user_agent=(user_agent or "")[:300] or None,
        )
        session.add(row)
        session.flush()
        audit.record(session, actor, "auth.login", "user", user.id, kind=kind)
        return Tokens(access, refresh, int(access_ttl.total_seconds()) if kind == "api"
                      else int(lifetime.total_seconds()), row.id, csrf)


def refresh_session(rt: Runtime, refresh_token: str, actor: Actor) -> Tokens:
    """Rotate an API session's tokens; a refresh token works once."""
    settings = rt.settings
    now = utcnow()
    with rt.transaction() as session:
        row = session.scalar(select(AuthSession).where(
            AuthSession.refresh_hash == token_hash(refresh_token)))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise Unauthorized("refresh token is invalid, expired or revoked")
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("this account is disabled")
        access, refresh = new_token("alba_"), new_token("albr_")
        ttl = timedelta(minutes=settings.access_token_minutes)
        row.access_hash, row.refresh_hash = token_hash(access), token_hash(refresh)
        row.access_expires_at = now + ttl
        row.last_used_at = now
        audit.record(session, actor, "auth.refresh", "user", user.id)
        return Tokens(access, refresh, int(ttl.total_seconds()), row.id, None)


def end_session(rt: Runtime, session_id: int, actor: Actor) -> None:
    with rt.transaction() as session:
        row = session.get(AuthSession, session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(session, actor, "auth.logout", "user", row.user_id)


def authenticate_token(rt: Runtime, token: str, via: str) -> Principal:
    """Resolve a bearer token, API key or session cookie to a principal (or Unauthorized)."""
    if token.startswith(API_KEY_PREFIX):
        return _authenticate_api_key(rt, token)
    now = utcnow()
    digest = token_hash(token)
    with rt.session() as session:
        row = session.scalar(select(AuthSession).where(AuthSession.access_hash == digest))
        if (row is None or not same(row.access_hash, digest) or row.revoked_at is not None
                or row.access_expires_at <= now or row.expires_at <= now):
            raise Unauthorized("session expired or revoked; log in again")
        if (via == "cookie") != (row.kind == "web"):
            raise Unauthorized("this token cannot be used this way")
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("this account is disabled")
        if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
            row.last_used_at = now
            session.commit()
        return Principal(user.id, user.username, user.is_admin, via, frozenset(SCOPES),
                         session_id=row.id, csrf_token=row.csrf_token)


def _authenticate_api_key(rt: Runtime, token: str) -> Principal:
    now = utcnow()
    digest = token_hash(token)
    with rt.session() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == digest))
        if (key is None or not same(key.secret_hash, digest) or key.revoked_at is not None
                or (key.expires_at is not None and key.expires_at <= now)):
            raise Unauthorized("API key is invalid, expired or revoked")
        user = session.get(User, key.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("this account is disabled")
        if key.last_used_at is None or now - key.last_used_at > _TOUCH_EVERY:
            key.last_used_at = now
            session.commit()
        return Principal(user.id, user.username, user.is_admin, "api_key",
                         frozenset(key.scopes), api_key_id=key.id)


def create_api_key(rt: Runtime, principal: Principal, name: str, scopes: list[str],
                   expires_days: int | None, actor: Actor) -> tuple[ApiKey, str]:
    """A new key; the secret is returned once and only its hash is kept."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InvalidInput(f"scopes must be among {', '.join(SCOPES)} (got {unknown or 'none'})")
    if "admin" in scopes and not principal.admin:
        raise Forbidden("only administrators can create keys with the admin scope")
    if not set(scopes) <= principal.scopes:
        raise Forbidden("a key cannot have scopes its creator's credential lacks")
    secret = new_token(API_KEY_PREFIX)
    with rt.transaction() as session:
        key = ApiKey(user_id=principal.user_id, name=name.strip()[:200] or "key",
                     prefix=secret[:12], secret_hash=token_hash(secret),
                     scopes=sorted(set(scopes)),
                     expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None)
        session.add(key)
        session.flush()
        audit.record(session, actor, "apikey.create", "api_key", key.id, scopes=key.scopes)
        session.expunge(key)
        return key, secret


def list_api_keys(session: Session, user_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.user_id == user_id)
                                .order_by(ApiKey.id)))


def revoke_api_key(rt: Runtime, user_id: int, key_id: int, actor: Actor) -> None:
    with rt.transaction() as session:
        key = session.get(ApiKey, key_id)
        if key is None or key.user_id != user_id:
            raise NotFound(f"API key {key_id} not found")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            audit.record(session, actor, "apikey.revoke", "api_key", key_id)
