"""What both vector indexes share: a ranked asset, the ``rank`` they answer, and the id
filters they apply (a selective filter, at most ``PREFILTER`` matches, is ranked exactly)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from albumen.db.models import Asset

PREFILTER = 50_000  # a filter with at most this many matches is applied first


@dataclass
class Ranked:
    asset_id: int
    score: float


class Ranker(Protocol):
    """One model's embeddings, ranked against a query vector."""

    def rank(self, session: Session, vector: np.ndarray, allowed: Select[tuple[int]] | None,
             want: int, exclude: int | None = None,
             prefilter: Select[tuple[int]] | None = None) -> list[Ranked]:
        """The ``want`` best assets for ``vector`` among ``allowed`` (a select of asset ids;
        None: all), best first, scored by cosine similarity. ``prefilter`` is the same set in
        the form that suits fetching it whole (default: ``allowed``)."""
        ...


def among(dialect: str, ids: list[int]) -> ColumnElement[bool]:
    """``assets.id`` is one of ``ids``, as one bound parameter (not one per id: expanding
    thousands of them costs more than the lookups)."""
    if dialect == "sqlite":
        values = select(literal_column("value")).select_from(
            func.json_each(bindparam("ids", json.dumps(ids), unique=True)))
        return Asset.id.in_(values)
    return Asset.id == any_(bindparam("ids", ids, type_=ARRAY(BigInteger), unique=True))


def fetch_ids(session: Session, query: Select[tuple[int]]) -> list[int]:
    """The ids a select of ids returns, read straight from the driver's cursor: tens of
    thousands of rows for a prefilter, where building a Row for each would cost more than
    the query (5x, measured at 50k rows on SQLite)."""
    result = session.connection().execute(query)
    try:
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()
