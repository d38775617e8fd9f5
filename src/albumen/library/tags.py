"""An asset's tags, each from a source (metadata, holiday, birthday, clip, llm, ...)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from albumen.db.models import AssetTag, Tag


def set_tags(session: Session, asset_id: int, source: str,
             names: list[str] | list[tuple[str, float]]) -> None:
    """Replace the asset's tags from one source (metadata, holiday, birthday, clip, ...);
    names alone, or (name, confidence) pairs."""
    session.execute(
        delete(AssetTag).where(AssetTag.asset_id == asset_id, AssetTag.source == source)
    )
    scored = [(n, None) if isinstance(n, str) else n for n in names]
    seen: set[str] = set()
    for raw, confidence in scored:
        word = raw.strip().lower()[:200]
        if not word or word in seen:
            continue
        seen.add(word)
        tag = _tag(session, word)
        session.add(AssetTag(asset_id=asset_id, tag_id=tag.id, source=source,
                             confidence=confidence))


def _tag(session: Session, word: str) -> Tag:
    """The tag of that name, made if new; photos processed side by side may make the same one
    at once: the second waits for the first (unique name) and takes it."""
    tag = session.scalar(select(Tag).where(Tag.name == word))
    if tag is not None:
        return tag
    try:
        with session.begin_nested():
            tag = Tag(name=word)
            session.add(tag)
    except IntegrityError:
        tag = session.scalar(select(Tag).where(Tag.name == word))
        assert tag is not None
    return tag
