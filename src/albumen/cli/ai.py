"""`albumen people|places|models ...`: what the on-device AI found, and its models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.config import get_settings
from albumen.errors import AlbumenError

# --- people and places --------------------------------------------------------------------

people_app = typer.Typer(help="People recognised in photos", no_args_is_help=True)
places_app = typer.Typer(help="Places photos were taken", no_args_is_help=True)


@people_app.command("list")
def people_list(user: UserOpt = None, hidden: Annotated[bool, typer.Option(
        "--hidden", help="include hidden people")] = False, as_json: JsonOpt = False) -> None:
    """People with their face and asset counts and asset ids."""
    from albumen.services.people import list_people

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
    from albumen.services.people import recluster

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


models_app = typer.Typer(help="On-device models", no_args_is_help=True)


@models_app.command("list")
def models_list(as_json: JsonOpt = False) -> None:
    """Each model: whether it can run here (and why not), and whether its stage is enabled."""
    from albumen.ml.models import all_models

    settings = get_settings()
    enabled = settings.enabled_enrichments
    docs = []
    for stage, model in all_models(settings):
        available = model.availability()
        docs.append({"name": model.name, "stage": stage, "enabled": stage in enabled,
                     "available": available.ok, "reason": available.reason or None})
    if as_json:
        print_json({"models": docs})
        return
    table = Table("model", "stage enabled", "available")
    for d in docs:
        table.add_row(d["name"], "yes" if d["enabled"] else "no",
                      "yes" if d["available"] else f"no: {d['reason']}")
    console.print(table)


@models_app.command("install")
def models_install(path: Annotated[Path, typer.Argument(help="folder of a CLIP ONNX export")],
                   as_json: JsonOpt = False) -> None:
    """Install an OpenCLIP ViT-B-32 ONNX export (visual/model.onnx, textual/model.onnx,
    textual/tokenizer.json, optional config.json) as albumen's CLIP model."""
    from albumen.ml import clip
    from albumen.ml.models import clip_path

    settings = get_settings()
    target = clip_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        clip.install(path, target)
    except AlbumenError as exc:
        fail(exc, as_json)
    doc = {"installed": "clip", "path": str(target),
           "next": "add clip to ALBUMEN_ENRICHMENTS, then: albumen reprocess --stage clip"}
    if as_json:
        print_json(doc)
    else:
        console.print(f"CLIP installed in {target}; {doc['next']}")
