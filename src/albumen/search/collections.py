"""Smart collections: saved queries in the query language that behave like albums: listed,
opened (their photos are searched again each time, so new matches appear by themselves),
renamed, deleted. Only their owner sees them, and each search runs with the owner's rights."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.models import SavedSearch
from albumen.errors import InvalidInput, NotFound
from albumen.runtime import Runtime
from albumen.search import engine, language
from albumen.search.query import SearchQuery

MAX_QUERY = 2000


def _validate(title: str, query: str) -> tuple[str, str]:
    title, query = title.strip(), query.strip()
    if not title:
        raise InvalidInput("a smart collection needs a title")
    if not query or len(query) > MAX_QUERY:
        raise InvalidInput(f"a smart collection needs a query of 1 to {MAX_QUERY} characters")
    language.parse(query)  # syntax errors now, not when it is opened
    return title, query


def create(rt: Runtime, owner_id: int, title: str, query: str) -> SavedSearch:
    title, query = _validate(title, query)
    with rt.transaction() as session:
        row = SavedSearch(owner_id=owner_id, title=title, query=query)
        session.add(row)
        session.flush()
        return row


def get(session: Session, owner_id: int, collection_id: int) -> SavedSearch:
    row = session.get(SavedSearch, collection_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound(f"smart collection {collection_id} not found")
    return row


def list_for(session: Session, owner_id: int) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(SavedSearch.owner_id == owner_id)
                                .order_by(SavedSearch.title, SavedSearch.id)))


def update(rt: Runtime, owner_id: int, collection_id: int, title: str | None,
           query: str | None) -> SavedSearch:
    with rt.transaction() as session:
        row = get(session, owner_id, collection_id)
        row.title, row.query = _validate(title if title is not None else row.title,
                                         query if query is not None else row.query)
        row.updated_at = utcnow()
        return row


def delete(rt: Runtime, owner_id: int, collection_id: int) -> None:
    with rt.transaction() as session:
        session.delete(get(session, owner_id, collection_id))


def open_(rt: Runtime, session: Session, owner_id: int, collection_id: int, limit: int = 100,
          cursor: str | None = None) -> engine.Results:
    row = get(session, owner_id, collection_id)
    query = language.parse(row.query, SearchQuery(viewer=owner_id))
    return engine.search(rt, session, query, limit=limit, cursor=cursor)
