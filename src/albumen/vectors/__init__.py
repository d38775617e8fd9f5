"""Vector indexes: embeddings ranked against a query vector, together with filters. Two
kinds answer the same ``rank`` (``base.Ranker``): the embedded index of compact codes held in
each process (``index``: SQLite, and PostgreSQL without the extension), and PostgreSQL's
pgvector (``pgvector``). ``ranker`` picks the one the database supports."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy.orm import Session

from albumen.vectors import index, pgvector
from albumen.vectors.base import Ranked, Ranker

__all__ = ["Ranked", "Ranker", "ranker", "warm_up"]
log = logging.getLogger(__name__)


def ranker(session: Session, database_url: str, model: str) -> Ranker:
    """pgvector where the database has it, else this process's embedded index."""
    if pgvector.enabled(session):
        return pgvector.PgVectorIndex(model)
    return index.index_for(database_url, model)


def warm_up(rt: Any, model: str = "clip") -> threading.Thread:
    """Load the index in the background at start (seconds per million embeddings), so the
    first semantic search does not wait for it."""
    def load() -> None:
        try:
            with rt.session() as session:
                if pgvector.enabled(session):
                    return  # PostgreSQL ranks; nothing to hold in memory
                index.index_for(rt.settings.effective_database_url, model).refresh(session)
        except Exception:  # a search will try again and report
            log.exception("loading the vector index failed")

    thread = threading.Thread(target=load, name="vector-index-warm-up", daemon=True)
    thread.start()
    return thread
