"""Search by meaning (``about:"..."``): an asset's text cut into passages, each with its
sentence embedding (all-MiniLM-L6-v2, ml/sentences.py), ranked against the query's embedding
(vectors/chunks.py; pgvector's HNSW index on PostgreSQL). A document's passages come from each
page; a photo's from its caption and the text read in it. Photos without text cost nothing:
the model is not even loaded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from albumen.db.documents import DocumentPage
from albumen.db.models import Asset, TextChunk
from albumen.ml import models
from albumen.ml.sentences import chunks
from albumen.runtime import Runtime
from albumen.vectors import chunks as chunk_index
from albumen.vectors import pgvector

MODEL_KEY = "minilm"
MAX_CHUNKS = 4000  # an asset's passages (about 800,000 words); beyond, its start is searched
QUERY_CHARS = 1000


@dataclass(frozen=True)
class Passage:
    page: int | None
    start: int
    end: int
    text: str


def passages(session: Session, asset: Asset) -> list[Passage]:
    """The asset's text cut into passages of at most 200 word pieces."""
    if asset.media_type == "document":
        texts = [(p.page, p.text) for p in session.scalars(
            select(DocumentPage).where(DocumentPage.asset_id == asset.id, DocumentPage.text != "")
            .order_by(DocumentPage.page))]
    else:
        whole = "\n".join(t for t in (asset.caption, asset.ocr_text) if t)
        texts = [(None, whole)] if whole.strip() else []
    out: list[Passage] = []
    for page, text in texts:
        for piece in chunks(text):
            out.append(Passage(page, piece.start, piece.end, piece.text))
            if len(out) >= MAX_CHUNKS:
                return out
    return out


def semantic_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Embed the asset's passages (replacing those it had)."""
    found = passages(session, asset)
    vectors = models.sentences(rt.settings).embed([p.text for p in found]) if found else None
    session.execute(delete(TextChunk).where(TextChunk.asset_id == asset.id))
    if found and vectors is not None:
        session.execute(insert(TextChunk), [
            {"asset_id": asset.id, "page": p.page, "start": p.start, "end": p.end,
             "text": p.text, "vector": np.asarray(v, dtype="<f4").tobytes()}
            for p, v in zip(found, vectors, strict=True)])
        pgvector.store_chunks(session, asset.id)


def query_vector(rt: Runtime, text: str) -> np.ndarray:
    """The embedding of what a search is about (ModelUnavailable when the model is not
    installed, with how to install it)."""
    return models.sentences(rt.settings).predict_one(text[:QUERY_CHARS])


def ranker(rt: Runtime, session: Session) -> chunk_index.ChunkIndex | pgvector.PgChunkIndex:
    """pgvector's HNSW index where PostgreSQL has it, else this process's exact index."""
    if pgvector.enabled(session):
        return pgvector.PgChunkIndex()
    return chunk_index.index_for(rt.settings.effective_database_url)


def best_passages(session: Session, chunk_ids: list[int]) -> dict[int, TextChunk]:
    """The passages that matched, by id (for the snippet a result shows)."""
    if not chunk_ids:
        return {}
    return {c.id: c for c in session.scalars(select(TextChunk).where(TextChunk.id.in_(chunk_ids)))}
