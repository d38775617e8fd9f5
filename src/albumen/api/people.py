"""/api/v1/people, /api/v1/faces, /api/v1/places: who and where, for the caller's library."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, StrictBool, field_validator

from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.files import file_response
from albumen.api.types import Id, IdPath, IdQuery
from albumen.db.models import Face
from albumen.errors import NotFound
from albumen.events.access import readable_asset
from albumen.library import moments, places
from albumen.people import service as svc
from albumen.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["people"], responses=ERRORS)


class FaceOut(BaseModel):
    id: int
    asset_id: int
    person_id: int | None
    assigned_by: str | None
    box: dict[str, float]
    confidence: float | None
    size_px: int | None
    crop: str

    @classmethod
    def of(cls, face: Face) -> FaceOut:
        return cls(id=face.id, asset_id=face.asset_id, person_id=face.person_id,
                   assigned_by=face.assigned_by,
                   box={"x": face.box_x, "y": face.box_y, "w": face.box_w, "h": face.box_h},
                   confidence=face.confidence, size_px=face.size_px,
                   crop=f"/api/v1/faces/{face.id}/crop")


class PersonOut(BaseModel):
    id: int
    name: str | None
    birth_date: date | None
    hidden: bool
    face_count: int
    asset_count: int
    asset_ids: list[int]
    cover_face_id: int | None
    cover: str | None

    @classmethod
    def of(cls, v: svc.PersonView) -> PersonOut:
        p = v.person
        return cls(id=p.id, name=p.name, birth_date=p.birth_date, hidden=p.hidden,
                   face_count=v.face_count, asset_count=len(v.asset_ids), asset_ids=v.asset_ids,
                   cover_face_id=v.cover_face_id,
                   cover=f"/api/v1/faces/{v.cover_face_id}/crop" if v.cover_face_id else None)


MERGE = ("when another of your people already has this name (case, spacing and Unicode "
         "forms aside): true: they are the same person, merge; false: another person of that "
         "name; left out: 409 `same_name` naming that person")


class PersonPatch(BaseModel):
    name: str | None = Field(default=None, max_length=200,
                             description="empty or null: unnamed")
    birth_date: date | None = None
    hidden: bool | None = None
    cover_face_id: Id | None = None
    merge: StrictBool | None = Field(default=None, description=MERGE + " (this person's "
                                     "faces join them; the answer is that person)")


class NewPerson(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    face_ids: list[Id] = Field(min_length=1, max_length=10000)
    merge: StrictBool | None = Field(default=None, description=MERGE + " (the faces join "
                                     "them: 200 with that person instead of 201)")

    @field_validator("name")
    @classmethod
    def _not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("a person needs a name")
        return name


class MergeIn(BaseModel):
    person_ids: list[Id] = Field(min_length=1, max_length=1000)


class FacePatch(BaseModel):
    person_id: Id | None = Field(description="the person this face shows; null: nobody "
                                             "(a wrong face, never re-assigned automatically)")


class Moved(BaseModel):
    changed: int


class PlaceOut(BaseModel):
    id: int
    city: str | None
    region: str | None
    country_code: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    asset_count: int


@contextmanager
def _same_name_named(rt: Runtime, user_id: int) -> Iterator[None]:
    """A 409 ``same_name`` says who has the name: the person as listed, less the photo ids."""
    try:
        yield
    except svc.SameName as exc:
        with rt.session() as session:
            match = PersonOut.of(svc.get_person(session, user_id, exc.person_id))
        exc.details["person"] = match.model_dump(mode="json", exclude={"asset_ids"})
        raise


@router.get("/people", response_model=list[PersonOut],
            summary="Your people; with q, the named ones whose name starts with it")
def list_people(principal: PrincipalDep, session: SessionDep, hidden: bool = False,
                q: Annotated[str | None, Query(min_length=1, max_length=200, description=(
                    "names (or a word of them) starting with this, case and accents aside; "
                    "most faces first"))] = None,
                limit: Annotated[int | None, Query(ge=1, le=1000)] = None) -> list[PersonOut]:
    return [PersonOut.of(v) for v in svc.list_people(session, principal.user_id, hidden,
                                                     prefix=q, limit=limit)]


@router.post("/people", response_model=PersonOut, status_code=201,
             responses={200: {"model": PersonOut,
                              "description": "merged: the faces joined the person of the name"}},
             summary="Name faces: a new person, or (merge) the one of that name")
def create_person(body: NewPerson, principal: PrincipalDep, actor: ActorDep, rt: RuntimeDep,
                  response: Response) -> PersonOut:
    with _same_name_named(rt, principal.user_id):
        person_id, new = svc.create_person(rt, principal.user_id, body.name, body.face_ids,
                                           body.merge, actor)
    if not new:
        response.status_code = 200
    with rt.session() as session:
        return PersonOut.of(svc.get_person(session, principal.user_id, person_id))


@router.post("/people/recluster", summary="Cluster all your faces again (your decisions stay)")
def recluster(principal: PrincipalDep, rt: RuntimeDep) -> dict[str, int]:
    s = rt.settings
    return svc.recluster(rt, principal.user_id, s.face_cluster_distance, s.face_min_faces)


@router.get("/people/{person_id}", response_model=PersonOut)
def get_person(person_id: IdPath, principal: PrincipalDep, session: SessionDep) -> PersonOut:
    return PersonOut.of(svc.get_person(session, principal.user_id, person_id))


@router.patch("/people/{person_id}", response_model=PersonOut,
              summary="Rename (or merge by name), birth date, hide, cover face; answers with "
                      "the person, the one merged into after a merge")
def update_person(person_id: IdPath, body: PersonPatch, principal: PrincipalDep,
                  actor: ActorDep, rt: RuntimeDep) -> PersonOut:
    with _same_name_named(rt, principal.user_id):
        now = svc.update_person(rt, principal.user_id, person_id, name=body.name,
                                birth_date=body.birth_date, hidden=body.hidden,
                                cover_face_id=body.cover_face_id, merge=body.merge,
                                fields=body.model_fields_set, actor=actor)
    with rt.session() as session:
        return PersonOut.of(svc.get_person(session, principal.user_id, now))


@router.post("/people/{person_id}/merge", response_model=Moved,
             summary="Merge other people into this one")
def merge(person_id: IdPath, body: MergeIn, principal: PrincipalDep, actor: ActorDep,
          rt: RuntimeDep) -> Moved:
    return Moved(changed=svc.merge(rt, principal.user_id, person_id, body.person_ids, actor))


@router.get("/people/{person_id}/faces", response_model=list[FaceOut])
def person_faces(person_id: IdPath, principal: PrincipalDep,
                 session: SessionDep) -> list[FaceOut]:
    return [FaceOut.of(f) for f in svc.person_faces(session, principal.user_id, person_id)]


@router.get("/faces/unassigned", response_model=list[FaceOut])
def unassigned(principal: PrincipalDep, session: SessionDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[FaceOut]:
    return [FaceOut.of(f) for f in svc.unassigned_faces(session, principal.user_id, limit)]


@router.patch("/faces/{face_id}", response_model=FaceOut,
              summary="Move a face to another person, or remove it from its person")
def update_face(face_id: IdPath, body: FacePatch, principal: PrincipalDep,
                rt: RuntimeDep) -> FaceOut:
    svc.set_face_person(rt, principal.user_id, face_id, body.person_id)
    with rt.session() as session:
        face = session.get(Face, face_id)
        assert face is not None
        return FaceOut.of(face)


def _visible_face(session: Any, user_id: int, face_id: int) -> Face:
    face = session.get(Face, face_id)
    if face is None:
        raise NotFound(f"face {face_id} not found")
    try:
        readable_asset(session, user_id, face.asset_id)  # not unless the photo is visible
    except NotFound:  # named as the face: the reply must not say which photo it is in
        raise NotFound(f"face {face_id} not found") from None
    return face


@router.get("/faces/{face_id}/crop", response_class=Response,
            responses={200: {"content": {"image/webp": {}}}})
def face_crop(face_id: IdPath, request: Request, principal: PrincipalDep, rt: RuntimeDep,
              session: SessionDep) -> Response:
    face = _visible_face(session, principal.user_id, face_id)
    if not face.crop_key:
        raise NotFound(f"face {face_id} has no crop")
    return file_response(rt, request, face.crop_key, "image/webp", f'"face-{face.id}"')


@router.get("/assets/{asset_id}/faces", response_model=list[FaceOut], tags=["assets"],
            summary="Faces in a photo (people are shown only to their owner)")
def asset_faces(asset_id: IdPath, principal: PrincipalDep, session: SessionDep
                ) -> list[FaceOut]:
    out = []
    for face, _person in svc.asset_faces(session, principal.user_id, asset_id):
        item = FaceOut.of(face)
        if face.owner_id != principal.user_id:
            item.person_id, item.assigned_by = None, None
        out.append(item)
    return out


class MomentOut(BaseModel):
    start: datetime
    end: datetime
    place: str | None
    asset_count: int
    asset_ids: list[int]
    cover_asset_id: int


@router.get("/moments", response_model=list[MomentOut], tags=["places"],
            summary="Your photos grouped by gaps in time and place, newest first")
def list_moments(principal: PrincipalDep, session: SessionDep,
                 gap_hours: Annotated[float, Query(gt=0, le=720)] = 3.0,
                 distance_km: Annotated[float, Query(gt=0, le=20000)] = 50.0,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[MomentOut]:
    found = moments.moments(session, principal.user_id, timedelta(hours=gap_hours),
                            distance_km, limit)
    return [MomentOut(start=m.start, end=m.end, place=m.place, asset_count=len(m.asset_ids),
                      asset_ids=m.asset_ids, cover_asset_id=m.asset_ids[len(m.asset_ids) // 2])
            for m in found]


@router.get("/places", response_model=list[PlaceOut], tags=["places"])
def list_places(principal: PrincipalDep, session: SessionDep) -> list[PlaceOut]:
    return [PlaceOut(id=p.id, city=p.city, region=p.region, country_code=p.country_code,
                     country=p.country, latitude=p.latitude, longitude=p.longitude,
                     asset_count=n) for p, n in places.list_places(session, principal.user_id)]


@router.get("/places/geojson", tags=["places"],
            summary="GeoJSON points of your photos (optionally of one event or album)")
def geojson(principal: PrincipalDep, session: SessionDep, event_id: IdQuery = None,
            album_id: IdQuery = None,
            limit: Annotated[int, Query(ge=1, le=100000)] = 20000) -> dict[str, Any]:
    rows = places.points(session, principal.user_id, event_id, album_id, limit)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"asset_id": asset_id, "place_id": place_id,
                        "taken_at": taken.isoformat() if taken else None,
                        "thumbnail": f"/api/v1/assets/{asset_id}/thumbnail"}}
        for asset_id, lat, lon, taken, place_id in rows]}
