"""People (faces grouped into persons), places on a map, and near-duplicate review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from albumen.api.deps import RuntimeDep
from albumen.api.types import IdPath
from albumen.library import duplicates, places
from albumen.people import service as svc
from albumen.search import engine
from albumen.search.query import SearchQuery
from albumen.web.library import PAGE, _more
from albumen.web.render import UserDep, page

router = APIRouter(include_in_schema=False)
Cursor = Annotated[str | None, Query(max_length=400)]
FACES_SHOWN = 200  # a person's faces on their page (the rest are in their photos)


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, rt: RuntimeDep, who: UserDep, hidden: bool = False) -> Response:
    with rt.session() as session:
        found = svc.list_people(session, who.user_id, include_hidden=hidden)
        faces = [f for f in svc.unassigned_faces(session, who.user_id) if f.crop_key]
    return page(request, "people.html", who, title="People", nav="people", people=found,
                faces=faces, hidden=hidden)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person(person_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep,
           cursor: Cursor = None) -> Response:
    with rt.session() as session:
        view = svc.get_person(session, who.user_id, person_id)
        result = engine.search(rt, session, SearchQuery(viewer=who.user_id, people=[person_id]),
                               PAGE, cursor, view="grid")
        cells = [h.asset for h in result.items]
        more = (_more(f"/people/{person_id}", cursor=result.next_cursor)
                if result.next_cursor else None)
        if cursor:  # the next page of the infinite scroll
            return page(request, "cells.part.html", who, cells=cells, more=more)
        faces = svc.person_faces(session, who.user_id, person_id, limit=FACES_SHOWN)
        others = [v for v in svc.list_people(session, who.user_id, include_hidden=True)
                  if v.person.id != person_id]
    name = view.person.name or "Unnamed person"
    return page(request, "person.html", who, title=name, nav="people", view=view,
                person=view.person, name=name, faces=faces, others=others, cells=cells,
                more=more)


def _point(at: str | None) -> tuple[float, float] | None:
    """``LAT,LON`` from the photo viewer's "on the map" link; anything else is ignored."""
    if not at:
        return None
    try:
        lat, lon = (float(x) for x in at.split(","))
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


@router.get("/places", response_class=HTMLResponse)
def place_list(request: Request, rt: RuntimeDep, who: UserDep,
               at: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    with rt.session() as session:
        found = [(p, n, places.label(p), places.search_term(p))
                 for p, n in places.list_places(session, who.user_id)]
    s = rt.settings
    return page(request, "places.html", who, title="Places", nav="places", places=found,
                at=_point(at), tiles=s.map_tile_url or "",
                attribution=s.map_tile_attribution if s.map_tile_url else "")


@router.get("/duplicates", response_class=HTMLResponse)
def duplicate_review(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        groups = duplicates.review_groups(session, who.user_id,
                                          rt.settings.near_duplicate_distance)
    return page(request, "duplicates.html", who, title="Duplicates", nav="duplicates",
                groups=groups)
