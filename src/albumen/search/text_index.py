"""The full-text documents of assets and how a query's words match them.

Words are folded the same way on both sides (lower case, accents removed, every character that
is not a letter or digit a separator), so SQLite's FTS5 and PostgreSQL's ``simple`` text search
see the same tokens: ``IMG_2041.JPG`` is ``img 2041 jpg``, ``São Paulo`` is ``sao paulo``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    exists,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from albumen.db.documents import DocumentPage
from albumen.db.models import Asset, AssetTag, Face, Person, Place, SearchDoc, Tag

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
BATCH = 500
# A document's pages are indexed up to this many characters (about 250 pages of prose).
DOCUMENT_TEXT = 1_000_000


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip()


def words(value: str) -> list[str]:
    return fold(value).split()


def document_words(value: str) -> list[str]:
    """The words of a text, plus each punctuated word joined up from each of its parts on
    (``beach_lisbon.jpg`` also gives ``beachlisbonjpg`` and ``lisbonjpg``), so a search for
    ``img_2041`` or ``lisbon.jpg`` is one prefix lookup, not a phrase of words that half the
    library shares."""
    out = []
    for token in value.split():
        parts = words(token)
        out += parts
        out += ["".join(parts[i:]) for i in range(len(parts) - 1)]
    return out


Term = list[list[str]]  # alternatives; each a word (prefix match) or a phrase (in order)


def query_term(value: str) -> Term:
    """One search term: a quoted phrase (several words, in order), a punctuated word (its
    joined-up form, a prefix: see ``document_words``) or a plain word (a prefix)."""
    parts = words(value)
    if not parts:
        return []
    return [parts] if len(value.split()) > 1 else [["".join(parts)]]


def _bodies(session: Session, ids: list[int]) -> dict[int, list[str]]:
    parts: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Asset.id, Asset.original_filename, Asset.title, Asset.description, Asset.keywords,
               Asset.ocr_text, Asset.caption, Place.city, Place.region, Place.country)
        .outerjoin(Place, Place.id == Asset.place_id).where(Asset.id.in_(ids)))
    for asset_id, *fields in rows:
        keywords = fields.pop(3) or []
        parts[asset_id].extend([f for f in fields if f] + list(keywords))
    for asset_id, name in session.execute(
            select(AssetTag.asset_id, Tag.name).join(Tag, Tag.id == AssetTag.tag_id)
            .where(AssetTag.asset_id.in_(ids))):
        parts[asset_id].append(name)
    indexed: dict[int, int] = defaultdict(int)
    for asset_id, page in session.execute(
            select(DocumentPage.asset_id, DocumentPage.text)
            .where(DocumentPage.asset_id.in_(ids), DocumentPage.text != "")
            .order_by(DocumentPage.asset_id, DocumentPage.page)):
        if indexed[asset_id] < DOCUMENT_TEXT:
            parts[asset_id].append(page[:DOCUMENT_TEXT - indexed[asset_id]])
            indexed[asset_id] += len(page)
    for asset_id, name in session.execute(
            select(Face.asset_id, Person.name).join(Person, Person.id == Face.person_id)
            .where(Face.asset_id.in_(ids), Person.name.is_not(None))):
        parts[asset_id].append(name)
    return parts


def refresh(session: Session, asset_ids: Iterable[int]) -> None:
    """Rebuild the documents of these assets from what is in the database now."""
    ids = sorted(set(asset_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        session.execute(delete(SearchDoc).where(SearchDoc.asset_id.in_(chunk)))
        write(session, _bodies(session, chunk))


def write(session: Session, bodies: dict[int, list[str]]) -> None:
    """Add the documents of assets that have none, from their texts (a new asset: its name)."""
    docs = [{"asset_id": i, "body": " ".join(dict.fromkeys(document_words(" ".join(parts))))}
            for i, parts in bodies.items()]
    if docs:
        session.execute(SearchDoc.__table__.insert(), docs)


def refresh_people(session: Session, person_ids: Iterable[int]) -> None:
    """A person was named, renamed or merged: their photos' documents change."""
    refresh(session, session.scalars(
        select(Face.asset_id).where(Face.person_id.in_(list(person_ids))).distinct()))


def missing(session: Session, limit: int) -> list[int]:
    """Assets without a document (made before search existed, or a lost update)."""
    return list(session.scalars(
        select(Asset.id).where(~select(SearchDoc.asset_id)
                               .where(SearchDoc.asset_id == Asset.id).exists())
        .order_by(Asset.id).limit(limit)))


# --- matching ---------------------------------------------------------------------------


def _fts5(terms: list[Term]) -> str:
    """FTS5 syntax: every term; a term is any of its alternatives."""
    def one(alt: list[str]) -> str:
        return f'"{alt[0]}"*' if len(alt) == 1 else '"' + " ".join(alt) + '"'

    return " AND ".join("(" + " OR ".join(one(alt) for alt in term) + ")" for term in terms)


def _tsquery(terms: list[Term]) -> str:
    def one(alt: list[str]) -> str:
        return f"{alt[0]}:*" if len(alt) == 1 else "(" + " <-> ".join(alt) + ")"

    return " & ".join("(" + " | ".join(one(alt) for alt in term) + ")" for term in terms)


def matching_ids(dialect: str, terms: list[Term]) -> Select[tuple[int]]:
    """Ids of the assets whose document has every term (each a folded word list)."""
    if dialect == "sqlite":
        return (select(literal_column("rowid", type_=Asset.id.type))
                .select_from(text("asset_fts")).where(_fts_match(terms)))
    tsv = literal_column("tsv")
    return select(SearchDoc.asset_id).where(
        tsv.op("@@")(func.to_tsquery("simple", bindparam(None, _tsquery(terms)))))


def _fts_match(terms: list[Term]) -> ColumnElement[bool]:
    # Anonymous bind parameters: a query may hold several matches (words and exclusions).
    return literal_column("asset_fts").op("MATCH")(bindparam(None, _fts5(terms)))


def relevance(dialect: str, terms: list[Term]) -> Select[tuple[int, float]]:
    """(asset id, score) of matching assets; higher scores rank first."""
    if dialect == "sqlite":
        return (select(literal_column("rowid", type_=Asset.id.type).label("asset_id"),
                       (-literal_column("bm25(asset_fts)")).label("score"))
                .select_from(text("asset_fts")).where(_fts_match(terms)))
    query = func.to_tsquery("simple", bindparam(None, _tsquery(terms)))
    tsv = literal_column("tsv")
    return select(SearchDoc.asset_id.label("asset_id"),
                  func.ts_rank(tsv, query).label("score")).where(tsv.op("@@")(query))


def has_text_clause() -> ColumnElement[bool]:
    """A photo with text read in it, a document with text on a page."""
    return (Asset.ocr_text.is_not(None) & (Asset.ocr_text != "")) | exists(
        select(DocumentPage.asset_id).where(DocumentPage.asset_id == Asset.id,
                                            DocumentPage.text != ""))

