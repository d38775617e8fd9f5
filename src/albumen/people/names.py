"""People's names: when two names are the same name, and which names start with what is typed.

Only named people are read here, and a library's named people are the ones its owner named by
hand (hundreds, not the thousands of unnamed clusters), so names are compared in Python, with
Python's Unicode rules, rather than through a stored key that every database would have to
compute alike.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.models import Face, Person
from albumen.search.text_index import fold


def clean(name: str | None) -> str | None:
    """A name as it is kept: Unicode NFC, spaces collapsed, None for an empty one."""
    if name is None:
        return None
    return " ".join(unicodedata.normalize("NFC", name).split()) or None


def key(name: str) -> str:
    """What makes two names one name: case, spacing and Unicode forms aside (``tom `` is
    ``Tom``, a decomposed é is é, fullwidth letters are letters); accents still count
    (José and Jose may well be two people)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def _owned(owner_id: int | None) -> object:
    return Person.owner_id == owner_id if owner_id is not None else Person.owner_id.is_(None)


def face_counts(session: Session, person_ids: list[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    rows = session.execute(select(Face.person_id, func.count()).where(
        Face.person_id.in_(person_ids)).group_by(Face.person_id))
    return {int(p): int(n) for p, n in rows}


def _most_faces_first(session: Session, ids: list[int]) -> list[int]:
    counts = face_counts(session, ids)
    return sorted(ids, key=lambda i: (-counts.get(i, 0), i))


def same_named(session: Session, owner_id: int | None, name: str,
               exclude: int | None = None) -> list[int]:
    """The owner's people (hidden ones too) whose name is ``name``, most faces first."""
    wanted = key(name)
    rows = session.execute(select(Person.id, Person.name).where(
        _owned(owner_id), Person.name.is_not(None)))
    return _most_faces_first(session, [int(i) for i, n in rows
                                       if i != exclude and key(n) == wanted])


def starting_with(session: Session, owner_id: int | None, prefix: str,
                  include_hidden: bool = False) -> list[int]:
    """The owner's named people whose name, or a word of it, starts with ``prefix`` (case and
    accents aside, as in search), most faces first."""
    wanted = fold(prefix)
    if not wanted:
        return []
    query = select(Person.id, Person.name).where(_owned(owner_id), Person.name.is_not(None))
    if not include_hidden:
        query = query.where(Person.hidden.is_(False))
    found = []
    for person_id, name in session.execute(query):
        folded = fold(name)
        if folded.startswith(wanted) or any(w.startswith(wanted) for w in folded.split()):
            found.append(int(person_id))
    return _most_faces_first(session, found)
