"""Comments and reactions on photos, by members and (when the event allows) guests.

A comment gets a sentiment score from VADER, a lexicon model that ships inside its package
(no network, no model download): the compound score, -1 (negative) to +1 (positive).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.engagement import COMMENT, REACTION, REACTION_KINDS, Comment, Reaction
from albumen.db.models import Asset, Event, Guest, User
from albumen.errors import Forbidden, InvalidInput, NotFound
from albumen.events.access import readable_asset, writable_asset
from albumen.events.sharing import GuestAccess, guest_asset
from albumen.insights import activity
from albumen.notify import emit
from albumen.runtime import Runtime

MAX_COMMENT = 2000


@dataclass(frozen=True)
class Who:
    """Someone commenting or reacting: a signed-in user, or a guest through a link."""

    user_id: int | None = None
    guest: GuestAccess | None = None
    ip: str | None = None

    @property
    def actor(self) -> str:
        if self.user_id is not None:
            return f"u:{self.user_id}"
        if self.guest is None or self.guest.guest_id is None:
            raise InvalidInput("say who you are first (PUT …/guest with your name)")
        return f"g:{self.guest.guest_id}"

    @property
    def guest_id(self) -> int | None:
        return self.guest.guest_id if self.guest else None


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    return round(float(_analyzer().polarity_scores(text)["compound"]), 4)


def _asset(session: Session, who: Who, asset_id: int) -> Asset:
    """The photo, if this person may see it and talk about it."""
    if who.user_id is not None:
        return readable_asset(session, who.user_id, asset_id)
    if who.guest is None:
        raise Forbidden("log in or use a share link")
    link = who.guest.link
    event = session.get(Event, link.event_id) if link.event_id else None
    if event is None or not link.can_view or not event.guest_comments:
        raise Forbidden("comments and reactions are not open to guests here")
    return guest_asset(session, who.guest, asset_id)


def _author(session: Session, who: Who) -> str | None:
    if who.user_id is not None:
        user = session.get(User, who.user_id)
        return (user.display_name or user.username) if user else None
    guest = session.get(Guest, who.guest_id) if who.guest_id else None
    return guest.name if guest else None


def add_comment(rt: Runtime, who: Who, asset_id: int, text: str) -> Comment:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("a comment needs some text")
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"a comment is at most {MAX_COMMENT} characters")
    if who.user_id is None:
        who.actor  # noqa: B018 -- raises until the guest has said who they are
    score = sentiment(text)
    with rt.transaction() as session:
        asset = _asset(session, who, asset_id)
        comment = Comment(asset_id=asset_id, user_id=who.user_id, guest_id=who.guest_id,
                          author=_author(session, who), text=text, sentiment=score)
        session.add(comment)
        session.flush()
        emit(session, "comment.created", asset_id=asset_id, comment_id=comment.id,
             event_id=asset.event_id, by_guest=who.guest_id is not None)
        session.expunge(comment)
        event_id = asset.event_id
        activity.count_engagement(session, asset_id, event_id, comments=1)
    activity.record(rt, COMMENT, user_id=who.user_id, guest_id=who.guest_id,
                    event_id=event_id, link_id=who.guest.link.id if who.guest else None,
                    asset_id=asset_id, ip=who.ip)
    return comment


def list_comments(session: Session, who: Who, asset_id: int) -> list[Comment]:
    _asset(session, who, asset_id)
    return list(session.scalars(
        select(Comment).where(Comment.asset_id == asset_id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)))


def delete_comment(rt: Runtime, who: Who, comment_id: int) -> None:
    """Its author, or whoever may edit the photo (its owner, the event's hosts)."""
    with rt.transaction() as session:
        comment = session.get(Comment, comment_id)
        if comment is None or comment.deleted_at is not None:
            raise NotFound(f"comment {comment_id} not found")
        try:
            _asset(session, who, comment.asset_id)
        except NotFound:  # named as the comment: not which photo it is on
            raise NotFound(f"comment {comment_id} not found") from None
        mine = ((who.user_id is not None and comment.user_id == who.user_id)
                or (who.guest_id is not None and comment.guest_id == who.guest_id))
        if not mine:
            if who.user_id is None:
                raise Forbidden("guests can delete only their own comments")
            writable_asset(session, who.user_id, comment.asset_id)
        comment.deleted_at = utcnow()
        activity.count_engagement(session, comment.asset_id, None, comments=-1)


def react(rt: Runtime, who: Who, asset_id: int, kind: str, on: bool = True) -> None:
    """Add (or with ``on=False`` take back) a reaction; doing it twice changes nothing."""
    if kind not in REACTION_KINDS:
        raise InvalidInput(f"a reaction is one of {', '.join(REACTION_KINDS)}")
    with rt.transaction() as session:
        asset = _asset(session, who, asset_id)
        actor, event_id = who.actor, asset.event_id
        existing = session.scalar(select(Reaction).where(
            Reaction.asset_id == asset_id, Reaction.actor == actor, Reaction.kind == kind))
        if on == (existing is not None):
            return
        if not on:
            session.delete(existing)
            activity.count_engagement(session, asset_id, event_id, likes=-1)
            return
        session.add(Reaction(asset_id=asset_id, actor=actor, user_id=who.user_id,
                             guest_id=who.guest_id, kind=kind))
        try:
            session.flush()
        except IntegrityError:  # the same reaction from a second tab at the same moment
            session.rollback()
            return
        activity.count_engagement(session, asset_id, event_id, likes=1)
    activity.record(rt, REACTION, user_id=who.user_id, guest_id=who.guest_id,
                    event_id=event_id, link_id=who.guest.link.id if who.guest else None,
                    asset_id=asset_id, ip=who.ip, detail={"kind": kind})


def reactions(session: Session, who: Who, asset_id: int) -> dict[str, Any]:
    """Counts per kind, and which of them are this person's."""
    _asset(session, who, asset_id)
    counts = dict(session.execute(
        select(Reaction.kind, func.count()).where(Reaction.asset_id == asset_id)
        .group_by(Reaction.kind)).all())
    mine: list[str] = []
    if who.user_id is not None or who.guest_id is not None:
        mine = list(session.scalars(select(Reaction.kind).where(
            Reaction.asset_id == asset_id, Reaction.actor == who.actor)))
    return {"counts": {k: int(counts.get(k, 0)) for k in REACTION_KINDS},
            "mine": sorted(mine)}
