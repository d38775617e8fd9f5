"""People: faces clustered into persons per library owner, and what users do with them.

Incremental assignment runs as each asset's faces arrive (density-based, in the spirit of
DBSCAN: a face joins the person most of its close neighbours belong to; unassigned faces
become a new person only once ``min_faces`` of them lie close together, so one blurry face
does not make a person). A full re-cluster (scikit-learn's DBSCAN) repairs drift without undoing
what a user decided: faces a user assigned, moved or removed keep that decision, and people
keep their identity (name, cover) by majority of their former faces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import AUTO, USER, Asset, Face, Person
from albumen.errors import Conflict, InvalidInput, NotFound
from albumen.ml.faces import distances, from_bytes
from albumen.notify import emit
from albumen.people import names as person_names
from albumen.runtime import Runtime
from albumen.search import text_index


@dataclass
class Library:
    """The embeddings of one owner's faces, as arrays (ids, people, decisions)."""

    ids: np.ndarray
    people: np.ndarray  # person id, 0 for none
    by_user: np.ndarray  # bool: a user decided this face
    vectors: np.ndarray

    @classmethod
    def load(cls, session: Session, owner_id: int | None) -> Library:
        rows = session.execute(
            select(Face.id, Face.person_id, Face.assigned_by, Face.embedding)
            .where(Face.owner_id == owner_id if owner_id is not None else Face.owner_id.is_(None),
                   Face.embedding.is_not(None))
            .order_by(Face.id)
        ).all()
        n = len(rows)
        return cls(
            ids=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
            people=np.fromiter((r[1] or 0 for r in rows), dtype=np.int64, count=n),
            by_user=np.fromiter((r[2] == USER for r in rows), dtype=bool, count=n),
            vectors=(np.stack([from_bytes(r[3]) for r in rows]) if n
                     else np.zeros((0, 128), dtype=np.float32)),
        )

    @property
    def removed(self) -> np.ndarray:
        """Faces a user took away from every person (not a person, or a wrong detection)."""
        return self.by_user & (self.people == 0)


def lock_library(session: Session, owner_id: int | None) -> None:
    """Serialise face assignment per library, so faces arriving in parallel (two workers) see
    each other: call first thing in a fresh transaction, before reading the library."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7301, :owner)"),
                        {"owner": owner_id or 0})
    else:  # SQLite: any write statement takes the database's single write lock
        session.execute(update(Person).where(Person.id == -1).values(name=None))


def assign_faces(session: Session, owner_id: int | None, face_ids: list[int], eps: float,
                 min_faces: int) -> None:
    """Put newly found faces with the people they belong to (see the module docstring).
    The caller holds the library lock (``lock_library``) in this transaction."""
    if not face_ids:
        return
    lib = Library.load(session, owner_id)
    index = {int(f): i for i, f in enumerate(lib.ids)}
    for face_id in face_ids:
        i = index.get(face_id)
        if i is None or lib.people[i] or lib.by_user[i]:
            continue
        d = distances(lib.vectors, lib.vectors[i])
        near = (d < eps) & ~lib.removed
        near[i] = False
        votes = Counter(int(p) for p in lib.people[near] if p)
        if votes:
            person = votes.most_common(1)[0][0]
            members = [i]
        else:
            free = np.nonzero(near & (lib.people == 0))[0].tolist()
            if len(free) + 1 < min_faces:
                continue
            created = Person(owner_id=owner_id)
            session.add(created)
            session.flush()
            emit(session, "person.created", person_id=created.id, owner_id=owner_id)
            person, members = created.id, [i, *free]
        chosen = [int(lib.ids[j]) for j in members]
        session.execute(update(Face).where(Face.id.in_(chosen))
                        .values(person_id=person, assigned_by=AUTO))
        lib.people[members] = person


def recluster(rt: Runtime, owner_id: int | None, eps: float, min_faces: int) -> dict[str, int]:
    """Cluster all of an owner's faces again; user decisions and people's identities stay."""
    from sklearn.cluster import DBSCAN

    with rt.transaction() as session:
        lock_library(session, owner_id)
        lib = Library.load(session, owner_id)
        free = ~lib.by_user
        labels = np.full(len(lib.ids), -1)
        if len(lib.ids):
            pool = ~lib.removed
            found = DBSCAN(eps=eps, min_samples=min_faces).fit(lib.vectors[pool]).labels_
            labels[pool] = found
        new_people = np.zeros(len(lib.ids), dtype=np.int64)
        taken: set[int] = set()
        for label in sorted(set(labels.tolist()) - {-1}):
            members = labels == label
            anchors = Counter(int(p) for p in lib.people[members & lib.by_user] if p)
            former = Counter(int(p) for p in lib.people[members] if p)
            person = next((p for p, _ in (anchors + former).most_common() if p not in taken), 0)
            if not person:
                created = Person(owner_id=owner_id)
                session.add(created)
                session.flush()
                emit(session, "person.created", person_id=created.id, owner_id=owner_id)
                person = created.id
            taken.add(person)
            new_people[members] = person
        new_people[lib.by_user] = lib.people[lib.by_user]  # users' decisions stand
        # A named person is a user's confirmation: their faces that fall to noise stay theirs.
        named = set(session.scalars(select(Person.id).where(
            Person.owner_id == owner_id, Person.name.is_not(None))))
        keep = (labels == -1) & np.isin(lib.people, list(named))
        new_people[keep] = lib.people[keep]
        taken.update(int(p) for p in lib.people[keep])
        changed = 0
        for face_id, before, after in zip(lib.ids[free], lib.people[free], new_people[free],
                                          strict=True):
            if before != after:
                session.execute(update(Face).where(Face.id == int(face_id)).values(
                    person_id=int(after) or None, assigned_by=AUTO if after else None))
                changed += 1
        emptied = _drop_empty_unnamed(session, owner_id)
        if changed:
            session.flush()
            text_index.refresh(session, session.scalars(select(Face.asset_id).where(
                Face.id.in_([int(i) for i in lib.ids[free][lib.people[free]
                                                            != new_people[free]]]))))
        return {"faces": len(lib.ids), "people": len(taken), "changed": changed,
                "removed_people": emptied}


def _drop_empty_unnamed(session: Session, owner_id: int | None) -> int:
    used = select(Face.person_id).where(Face.person_id.is_not(None))
    return session.execute(delete(Person).where(
        Person.owner_id == owner_id, Person.name.is_(None), Person.id.not_in(used)
    )).rowcount or 0


# --- what users do -------------------------------------------------------------------------


@dataclass
class PersonView:
    person: Person
    face_count: int
    asset_ids: list[int]
    cover_face_id: int | None


def _own_person(session: Session, owner_id: int, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.owner_id != owner_id:
        raise NotFound(f"person {person_id} not found")
    return person


def _own_face(session: Session, owner_id: int, face_id: int) -> Face:
    face = session.get(Face, face_id)
    if face is None or face.owner_id != owner_id:
        raise NotFound(f"face {face_id} not found")
    return face


def best_face(session: Session, person_id: int) -> int | None:
    """The face a human recognises best: large, sharp, confidently detected."""
    rows = session.execute(select(Face.id, Face.size_px, Face.sharpness, Face.confidence)
                           .where(Face.person_id == person_id)).all()
    if not rows:
        return None
    return max(rows, key=lambda r: (r[1] or 0) ** 0.5 * (1 + min(r[2] or 0, 500) / 100)
               * (1 + max(r[3] or 0, 0)))[0]


def view(session: Session, person: Person) -> PersonView:
    asset_ids = sorted(session.scalars(
        select(Face.asset_id).join(Asset, Asset.id == Face.asset_id)
        .where(Face.person_id == person.id, Asset.deleted_at.is_(None)).distinct()))
    count = session.scalar(select(func.count()).select_from(Face)
                           .where(Face.person_id == person.id)) or 0
    cover = person.cover_face_id or best_face(session, person.id)
    return PersonView(person, count, asset_ids, cover)


def list_people(session: Session, owner_id: int | None, include_hidden: bool = False,
                prefix: str | None = None, limit: int | None = None) -> list[PersonView]:
    """The owner's people, named ones first, most faces first; with ``prefix``, only the
    named ones whose name (or a word of it) starts with it, for suggestions as a name is
    typed."""
    if prefix is not None:
        ids = person_names.starting_with(session, owner_id, prefix, include_hidden)[:limit]
        return [view(session, p) for p in (session.get(Person, i) for i in ids) if p]
    query = select(Person).where(Person.owner_id == owner_id if owner_id is not None
                                 else Person.owner_id.is_(None))
    if not include_hidden:
        query = query.where(Person.hidden.is_(False))
    views = [view(session, p) for p in session.scalars(query)]
    return sorted(views, key=lambda v: (v.person.name is None, -v.face_count,
                                        v.person.id))[:limit]


def get_person(session: Session, owner_id: int, person_id: int) -> PersonView:
    return view(session, _own_person(session, owner_id, person_id))


class SameName(Conflict):
    """Someone of the owner's already has the name a person or face is being given: the same
    person (merge) or another one of that name (keep separate)? The caller says which."""

    code = "same_name"

    def __init__(self, name: str, match: Person, matches: int) -> None:
        super().__init__(
            f'you already have a person named "{match.name}": send "merge": true to make '
            f'them one person, or "merge": false to keep another person named "{name}"',
            details={"matches": matches})
        self.person_id = match.id


def _same_person(session: Session, owner_id: int, name: str | None, merge: bool | None,
                 exclude: int | None = None) -> Person | None:
    """The person a name given with ``merge`` means: None for a new name (or ``merge`` false);
    the one of that name with the most faces when ``merge`` is true; a question otherwise."""
    if name is None or merge is False:
        return None
    ids = person_names.same_named(session, owner_id, name, exclude)
    if not ids:
        return None
    target = _own_person(session, owner_id, ids[0])
    if merge is None:
        raise SameName(name, target, len(ids))
    return target


def _retag_birthdays(rt: Runtime, asset_ids: list[int]) -> None:
    """Birthday tags follow whose birth date the people in these photos now have."""
    if asset_ids and "dates" in rt.settings.enabled_enrichments:
        from albumen.library.requeue import reset_stages

        reset_stages(rt, asset_ids, ["dates"])
        for asset_id in asset_ids:
            rt.queue.enqueue_asset(asset_id)


def update_person(rt: Runtime, owner_id: int, person_id: int, *, name: str | None = None,
                  birth_date: date | None = None, hidden: bool | None = None,
                  cover_face_id: int | None = None, merge: bool | None = None,
                  fields: set[str], actor: Actor = audit.SYSTEM) -> int:
    """Change a person. A name another of the owner's people has asks first (``SameName``)
    unless ``merge`` says: true merges this person into that one, false keeps both.
    Returns the id of the person this one is now (the other one after a merge)."""
    with rt.transaction() as session:
        person = _own_person(session, owner_id, person_id)
        new_name = person_names.clean(name) if "name" in fields else None
        target = (_same_person(session, owner_id, new_name, merge, exclude=person_id)
                  if "name" in fields else None)
        if "name" in fields and target is None:
            person.name = new_name
        retag = "birth_date" in fields and person.birth_date != birth_date
        if "birth_date" in fields:
            person.birth_date = birth_date
        if "hidden" in fields and hidden is not None:
            person.hidden = hidden
        if "cover_face_id" in fields:
            if cover_face_id is not None:
                face = _own_face(session, owner_id, cover_face_id)
                if face.person_id != person_id:
                    raise InvalidInput(f"face {cover_face_id} is not this person's")
            person.cover_face_id = cover_face_id
        person.updated_at = utcnow()
        if target is not None:
            asset_ids = _merge_into(session, actor, target, [person])[1]
            result = target.id
        else:
            if "name" in fields:
                session.flush()
                text_index.refresh_people(session, [person_id])
            asset_ids = sorted(set(session.scalars(
                select(Face.asset_id).where(Face.person_id == person_id)))) if retag else []
            result = person_id
    _retag_birthdays(rt, asset_ids)
    return result


def _merge_into(session: Session, actor: Actor, target: Person, others: list[Person]
                ) -> tuple[int, list[int]]:
    """The one merge: the others' faces become the target's (a user's statement), the target
    keeps its name, birth date, cover and visibility (taking a name or birth date only where
    it has none), the others are deleted, search learns who is in the photos now, and the
    audit log records it. Returns the faces moved and the photos to tag for birthdays again."""
    other_ids = [o.id for o in others]
    moved = list(session.scalars(select(Face.asset_id).where(Face.person_id.in_(other_ids))))
    dated = target.birth_date is not None or any(o.birth_date for o in others)
    for other in others:
        if target.name is None and other.name:
            target.name = other.name
        if target.birth_date is None and other.birth_date:
            target.birth_date = other.birth_date
    session.execute(update(Face).where(Face.person_id.in_(other_ids))
                    .values(person_id=target.id, assigned_by=USER))
    for other in others:
        session.delete(other)
    target.updated_at = utcnow()
    session.flush()
    text_index.refresh_people(session, [target.id])
    audit.record(session, actor, "person.merge", "person", target.id, people=other_ids,
                 faces=len(moved))
    return len(moved), sorted(set(moved)) if dated else []


def merge(rt: Runtime, owner_id: int, into_id: int, other_ids: list[int],
          actor: Actor = audit.SYSTEM) -> int:
    """Merge people into one (a user's statement: their faces are this person's)."""
    with rt.transaction() as session:
        target = _own_person(session, owner_id, into_id)
        others = [_own_person(session, owner_id, p) for p in dict.fromkeys(other_ids)
                  if p != into_id]
        moved, retag = _merge_into(session, actor, target, others)
    _retag_birthdays(rt, retag)
    return moved


def set_face_person(rt: Runtime, owner_id: int, face_id: int, person_id: int | None) -> None:
    """Move a face to another person, or (None) remove a wrong face from its person."""
    with rt.transaction() as session:
        face = _own_face(session, owner_id, face_id)
        if person_id is not None:
            _own_person(session, owner_id, person_id)
        _move_face(session, face, person_id)
        session.flush()
        text_index.refresh(session, [face.asset_id])


def _move_face(session: Session, face: Face, person_id: int | None) -> None:
    old = face.person_id
    face.person_id, face.assigned_by = person_id, USER
    if old is not None and old != person_id:
        session.execute(update(Person).where(Person.id == old, Person.cover_face_id == face.id)
                        .values(cover_face_id=None))


def create_person(rt: Runtime, owner_id: int, name: str, face_ids: list[int],
                  merge: bool | None = None, actor: Actor = audit.SYSTEM) -> tuple[int, bool]:
    """Name faces: a new person of that name, or (a name another of the owner's people has)
    a question first (``SameName``) unless ``merge`` says: true adds the faces to that
    person, false makes a second person of the name. Returns the person's id and whether it
    is new."""
    clean = person_names.clean(name)
    if clean is None:
        raise InvalidInput("a person needs a name")
    with rt.transaction() as session:
        faces = [_own_face(session, owner_id, f) for f in dict.fromkeys(face_ids)]
        target = _same_person(session, owner_id, clean, merge)
        if target is not None:
            retag = sorted({f.asset_id for f in faces}) if target.birth_date else []
            for face in faces:
                _move_face(session, face, target.id)
            target.updated_at = utcnow()
            session.flush()
            text_index.refresh(session, [f.asset_id for f in faces])
            audit.record(session, actor, "person.merge", "person", target.id, people=[],
                         faces=len(faces))
            result = target.id, False
        else:
            retag = []
            person = Person(owner_id=owner_id, name=clean)
            session.add(person)
            session.flush()
            emit(session, "person.created", person_id=person.id, owner_id=owner_id)
            for face in faces:
                _move_face(session, face, person.id)
            session.flush()
            text_index.refresh_people(session, [person.id])
            result = person.id, True
    _retag_birthdays(rt, retag)
    return result


def person_faces(session: Session, owner_id: int, person_id: int, limit: int | None = None
                 ) -> list[Face]:
    """The faces of one of the owner's people, oldest first."""
    _own_person(session, owner_id, person_id)
    query = select(Face).where(Face.person_id == person_id).order_by(Face.id)
    return list(session.scalars(query.limit(limit) if limit else query))


def unassigned_faces(session: Session, owner_id: int, limit: int = 200) -> list[Face]:
    return list(session.scalars(
        select(Face).where(Face.owner_id == owner_id, Face.person_id.is_(None),
                           Face.assigned_by.is_(None))
        .order_by(Face.id.desc()).limit(limit)))


def asset_faces(session: Session, viewer: int, asset_id: int
                ) -> list[tuple[Face, Person | None]]:
    """The faces in a photo the viewer may see; who they are only for the library's owner."""
    from albumen.events.access import readable_asset

    readable_asset(session, viewer, asset_id)
    faces = session.scalars(select(Face).where(Face.asset_id == asset_id).order_by(Face.id))
    out: list[tuple[Face, Person | None]] = []
    for face in faces:
        mine = face.owner_id == viewer and face.person_id is not None
        out.append((face, session.get(Person, face.person_id) if mine else None))
    return out
