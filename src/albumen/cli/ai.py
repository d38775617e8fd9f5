"""`albumen people|places ...`: what the on-device AI found."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

# --- people and places --------------------------------------------------------------------

people_app = typer.Typer(help="People recognised in photos", no_args_is_help=True)
places_app = typer.Typer(help="Places photos were taken", no_args_is_help=True)


@people_app.command("list")
def people_list(user: UserOpt = None, hidden: Annotated[bool, typer.Option(
        "--hidden", help="include hidden people")] = False, as_json: JsonOpt = False) -> None:
    """People with their face and asset counts and asset ids."""
    from albumen.people.service import list_people

    rt = runtime()
    try:
        owner_id = owner(rt, user)
    except AlbumenError as exc:
        fail(exc, as_json)
    with rt.session() as session:
        docs = [{"id": v.person.id, "name": v.person.name, "hidden": v.person.hidden,
                 "birth_date": v.person.birth_date.isoformat() if v.person.birth_date else None,
                 "face_count": v.face_count, "asset_count": len(v.asset_ids),
                 "asset_ids": v.asset_ids, "cover_face_id": v.cover_face_id}
                for v in list_people(session, owner_id, hidden)]
    if as_json:
        print_json({"people": docs})
        return
    table = Table("id", "name", "faces", "photos")
    for d in docs:
        table.add_row(str(d["id"]), d["name"] or "(unnamed)", str(d["face_count"]),
                      str(d["asset_count"]))
    console.print(table)


@people_app.command("recluster")
def people_recluster(user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Cluster a library's faces again (what users decided stays)."""
    from albumen.people.service import recluster

    rt = runtime()
    try:
        owner_id = owner(rt, user)
    except AlbumenError as exc:
        fail(exc, as_json)
    s = rt.settings
    result = recluster(rt, owner_id, s.face_cluster_distance, s.face_min_faces)
    if as_json:
        print_json(result)
    else:
        console.print(f"{result['faces']} faces in {result['people']} people; "
                      f"{result['changed']} faces changed, {result['removed_people']} "
                      "empty people removed")


@places_app.command("list")
def places_list(as_json: JsonOpt = False) -> None:
    """Places (city, region, country) with how many photos were taken there."""
    from sqlalchemy import func, select

    from albumen.db.models import Asset, Place

    rt = runtime()
    with rt.session() as session:
        rows = session.execute(
            select(Place, func.count(Asset.id)).join(Asset, Asset.place_id == Place.id)
            .where(Asset.deleted_at.is_(None)).group_by(Place.id)
            .order_by(func.count(Asset.id).desc(), Place.id))
        docs = [{"id": p.id, "city": p.city, "region": p.region,
                 "country_code": p.country_code, "country": p.country,
                 "latitude": p.latitude, "longitude": p.longitude, "asset_count": n}
                for p, n in rows]
    if as_json:
        print_json({"places": docs})
        return
    table = Table("id", "city", "region", "country", "photos")
    for d in docs:
        table.add_row(str(d["id"]), d["city"] or "-", d["region"] or "-", d["country"] or "-",
                      str(d["asset_count"]))
    console.print(table)
