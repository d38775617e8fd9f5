"""The `albumen` command line. Every command is a thin wrapper over a service function."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from albumen.cli.output import console, err_console, print_json
from albumen.config import get_settings
from albumen.errors import AlbumenError
from albumen.logging import setup_logging
from albumen.runtime import Runtime, get_runtime

app = typer.Typer(help="albumen: self-hosted photo platform", no_args_is_help=True,
                  pretty_exceptions_enable=False)
assets_app = typer.Typer(help="Browse assets", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance", no_args_is_help=True)
app.add_typer(assets_app, name="assets")
app.add_typer(db_app, name="db")

JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]


def _runtime() -> Runtime:
    settings = get_settings()
    setup_logging(settings.log_level if settings.log_level != "INFO" else "WARNING",
                  settings.log_json)
    rt = get_runtime()
    rt.migrate()
    return rt


def _fail(exc: AlbumenError, as_json: bool) -> None:
    if as_json:
        print_json(exc.to_dict())
    else:
        err_console.print(f"[red]error:[/red] {exc.message}")
    raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    no_workers: Annotated[bool, typer.Option("--no-workers",
                                             help="do not run workers in-process")] = False,
) -> None:
    """Run the API (and, by default, the workers) on HOST:PORT."""
    import uvicorn

    from albumen.api.app import create_app

    settings = get_settings()
    setup_logging(settings.log_level, settings.log_json)
    rt = get_runtime()
    application = create_app(rt, start_workers=False if no_workers else None)
    uvicorn.run(application, host=host or settings.host, port=port or settings.port,
                log_config=None, proxy_headers=True)


@app.command()
def worker(
    workers: Annotated[int | None, typer.Option("--workers", "-w",
                                                help="concurrent jobs")] = None,
    worker_type: Annotated[str, typer.Option(help="thread or process")] = "process",
) -> None:
    """Run a standalone worker until SIGINT/SIGTERM (finishes current jobs first)."""
    from albumen.jobs.worker import WorkerHost

    settings = get_settings()
    setup_logging(settings.log_level, settings.log_json)
    rt = get_runtime()
    rt.migrate()
    WorkerHost(rt, workers or settings.workers, worker_type).run_forever()


def _owner(rt: Runtime, user: str | None) -> int | None:
    """The user an import belongs to; before any user exists, nobody (the first admin adopts
    it)."""
    from sqlalchemy import select

    from albumen.db.models import User
    from albumen.services.users import find_user

    with rt.session() as session:
        if user:
            return find_user(session, user).id
        return session.scalar(select(User.id).where(User.is_admin, User.is_active)
                              .order_by(User.id).limit(1))


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (recursive)")],
    wait: Annotated[bool, typer.Option("--wait", help="return when processing is done")] = False,
    user: Annotated[str | None, typer.Option(
        "--user", "-u", help="whose library (default: the first administrator)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import photos from files and folders; a re-run skips what was already imported."""
    from albumen.services.importer import import_paths, iter_files

    rt = _runtime()
    try:
        owner_id = _owner(rt, user)
    except AlbumenError as exc:
        _fail(exc, as_json)
    total = sum(1 for _ in iter_files(paths))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, disable=as_json,
                  transient=False) as progress:
        task = progress.add_task("importing", total=total)

        def advance(result: Any) -> None:
            progress.advance(task)
            if result.outcome == "rejected" and not as_json:
                progress.console.print(f"[yellow]rejected[/yellow] {result.path}: {result.reason}")

        report = import_paths(rt, paths, owner_id, on_result=advance)
    doc: dict[str, Any] = report.to_dict()
    if wait:
        doc["processing"] = _wait_for(rt, report.asset_ids, quiet=as_json)
    if as_json:
        print_json(doc)
    else:
        counts = report.counts
        console.print(
            f"imported {counts['imported']}, duplicates {counts['duplicate']}, "
            f"skipped (already imported) {counts['skipped']}, rejected {counts['rejected']}"
        )
        if wait:
            p = doc["processing"]
            console.print(f"processed: {p['ready']} ready, {p['failed']} failed")
            for failure in p["failures"]:
                console.print(f"[red]failed[/red] asset {failure['asset_id']} "
                              f"{failure['filename']}: {failure['reason']}")
    if report.counts["rejected"] and not report.asset_ids:
        raise typer.Exit(1)


def _wait_for(rt: Runtime, asset_ids: list[int], quiet: bool) -> dict[str, Any]:
    """Wait until the assets are ready or failed; run workers here if none are alive."""
    from sqlalchemy import select

    from albumen.db.models import Asset
    from albumen.jobs.reconciler import reconcile
    from albumen.jobs.worker import WorkerHost, live_workers

    host = None
    if asset_ids and not rt.settings.queue_immediate and live_workers(rt) == 0:
        host = WorkerHost(rt, rt.settings.workers, "thread")
        host.start()
    try:
        last_reconcile = time.monotonic()
        with Progress(TextColumn("processing"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, disable=quiet) as progress:
            task = progress.add_task("processing", total=len(asset_ids))
            while True:
                with rt.session() as session:
                    rows = session.execute(
                        select(Asset.id, Asset.state, Asset.original_filename,
                               Asset.failure_reason).where(Asset.id.in_(asset_ids))
                    ).all()
                finished = [r for r in rows if r.state != "processing"]
                progress.update(task, completed=len(finished))
                if len(finished) == len(rows):
                    break
                if host is None and time.monotonic() - last_reconcile > 30:
                    reconcile(rt)
                    last_reconcile = time.monotonic()
                time.sleep(0.2)
    finally:
        if host is not None:
            host.stop(graceful=True)
    failures = [{"asset_id": r.id, "filename": r.original_filename, "reason": r.failure_reason}
                for r in rows if r.state == "failed"]
    return {"ready": sum(r.state == "ready" for r in rows), "failed": len(failures),
            "failures": failures}


@assets_app.command("list")
def assets_list(
    limit: Annotated[int, typer.Option(help="page size")] = 100,
    cursor: Annotated[str | None, typer.Option(help="cursor from a previous page")] = None,
    state: Annotated[str | None, typer.Option(help="processing, ready or failed")] = None,
    camera: Annotated[str | None, typer.Option(help="camera make or model contains")] = None,
    trashed: Annotated[bool, typer.Option("--trashed", help="list the trash")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List assets, newest first."""
    from albumen.api.schemas import AssetOut
    from albumen.services.assets import AssetFilter, list_assets

    rt = _runtime()
    with rt.session() as session:
        try:
            page = list_assets(session, AssetFilter(camera=camera, state=state, trashed=trashed),
                               limit=limit, cursor=cursor)
        except AlbumenError as exc:
            _fail(exc, as_json)
        items = [AssetOut.of(a).model_dump(mode="json") for a in page.items]
    if as_json:
        print_json({"items": items, "next_cursor": page.next_cursor})
        return
    table = Table("id", "filename", "taken", "camera", "size", "state")
    for a in items:
        taken = (a["taken_at_local"] or "")[:19].replace("T", " ")
        table.add_row(str(a["id"]), a["original_filename"], taken,
                      a["camera_model"] or "", f"{a['width'] or '?'}x{a['height'] or '?'}",
                      a["state"])
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@assets_app.command("show")
def assets_show(asset_id: int, as_json: JsonOpt = False) -> None:
    """Show one asset with its metadata, sources and processing stages."""
    from albumen.api.schemas import AssetDetail
    from albumen.services.assets import get_asset

    rt = _runtime()
    with rt.session() as session:
        try:
            doc = AssetDetail.of(get_asset(session, asset_id)).model_dump(mode="json")
        except AlbumenError as exc:
            _fail(exc, as_json)
    if as_json:
        print_json(doc)
        return
    skip = {"metadata_raw", "links", "stages", "sources"}
    for key, value in doc.items():
        if key not in skip and value not in (None, [], {}):
            console.print(f"[bold]{key}[/bold]: {value}")
    for source in doc["sources"]:
        console.print(f"[bold]source[/bold]: {source['via']} {source['original_filename']} "
                      f"{source['source_path'] or ''}")
    for stage in doc["stages"]:
        console.print(f"[bold]stage {stage['stage']}[/bold]: {stage['state']} "
                      f"{stage['error'] or ''}")


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Counts of assets by processing state, queue depth, workers and failures."""
    from albumen.services.status import processing_status

    rt = _runtime()
    doc = processing_status(rt)
    if as_json:
        print_json(doc)
        return
    a = doc["assets"]
    console.print(f"assets: {a['total']} ({a['ready']} ready, {a['processing']} processing, "
                  f"{a['failed']} failed); {a['trashed']} in trash")
    console.print(f"queue depth: {doc['queue']['depth']}; live workers: {doc['workers']['live']}")
    for failure in doc["failures"]:
        console.print(f"[red]failed[/red] asset {failure['asset_id']} {failure['filename']}: "
                      f"{failure['reason']}")


@app.command()
def reprocess(
    stage: Annotated[list[str] | None, typer.Option("--stage", help="stage(s) to re-run")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="only assets that failed")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Re-run processing stages (all assets, or only failed ones) through the queue."""
    from sqlalchemy import select

    from albumen.db.models import Asset
    from albumen.jobs.reconciler import reconcile
    from albumen.services.pipeline import ALL
    from albumen.services.processing import reset_stages

    unknown = set(stage or []) - set(ALL)
    if unknown:
        raise typer.BadParameter(f"unknown stage(s): {', '.join(sorted(unknown))}; "
                                 f"stages are {', '.join(ALL)}")
    rt = _runtime()
    ids = None
    if failed:
        with rt.session() as session:
            ids = list(session.scalars(select(Asset.id).where(Asset.state == "failed")))
    count = reset_stages(rt, ids, stage)
    queued = reconcile(rt)
    if as_json:
        print_json({"stages_reset": count, "assets_queued": queued})
    else:
        console.print(f"reset {count} stage(s); queued {queued} asset(s)")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations."""
    from albumen.db.migrate import current_revision

    rt = get_runtime()
    rt.migrate()
    console.print(f"database at revision {current_revision(rt.database_url)}")


if __name__ == "__main__":
    app()


# --- users -------------------------------------------------------------------------------

users_app = typer.Typer(help="Manage user accounts", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _read_password(confirm: bool = True) -> str:
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=confirm)


def _user_doc(user: Any) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "is_admin": user.is_admin,
            "is_active": user.is_active, "quota_bytes": user.quota_bytes,
            "created_at": user.created_at.isoformat()}


@users_app.command("create")
def users_create(
    username: str,
    admin: Annotated[bool, typer.Option("--admin", help="an administrator")] = False,
    quota: Annotated[int | None, typer.Option(help="storage quota in bytes")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user; the password is read from stdin when it is not a terminal."""
    from albumen.services.users import create_user

    rt = _runtime()
    try:
        user = create_user(rt, username, _read_password(), admin=admin, quota_bytes=quota)
    except AlbumenError as exc:
        _fail(exc, as_json)
    if as_json:
        print_json(_user_doc(user))
    else:
        console.print(f"created {'administrator' if admin else 'user'} {user.username} "
                      f"(id {user.id})")


@users_app.command("list")
def users_list(as_json: JsonOpt = False) -> None:
    """List users with their role, state and storage use."""
    from albumen.services.users import list_users, storage_used

    rt = _runtime()
    with rt.session() as session:
        docs = [_user_doc(u) | {"storage_used_bytes": storage_used(session, u.id)}
                for u in list_users(session)]
    if as_json:
        print_json({"users": docs})
        return
    table = Table("id", "username", "role", "active", "used", "quota")
    for d in docs:
        table.add_row(str(d["id"]), d["username"], "admin" if d["is_admin"] else "user",
                      "yes" if d["is_active"] else "no", f"{d['storage_used_bytes']:,}",
                      f"{d['quota_bytes']:,}" if d["quota_bytes"] is not None else "-")
    console.print(table)


def _set_active(username: str, active: bool) -> None:
    from albumen.services.users import find_user, set_active

    rt = _runtime()
    try:
        with rt.session() as session:
            user_id = find_user(session, username).id
        set_active(rt, user_id, active)
    except AlbumenError as exc:
        _fail(exc, False)
    console.print(f"{'enabled' if active else 'disabled'} {username}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable a user: their sessions and keys stop working at once."""
    _set_active(username, False)


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_active(username, True)


@users_app.command("reset-password")
def users_reset_password(username: str) -> None:
    """Set a new password (read from stdin when it is not a terminal); ends their sessions."""
    from albumen.services.users import find_user, set_password

    rt = _runtime()
    try:
        with rt.session() as session:
            user_id = find_user(session, username).id
        set_password(rt, user_id, _read_password())
    except AlbumenError as exc:
        _fail(exc, False)
    console.print(f"password of {username} changed; their sessions were ended")


# --- events and share links ---------------------------------------------------------------

events_app = typer.Typer(help="Events and their share links", no_args_is_help=True)
app.add_typer(events_app, name="events")


@events_app.command("list")
def events_list(
    user: Annotated[str | None, typer.Option("--user", "-u",
                                             help="whose events (default: all)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List events with their owner, moderation counts and share links."""
    from sqlalchemy import select

    from albumen.db.models import Event, EventMember, ShareLink, User
    from albumen.services.events import moderation_counts
    from albumen.services.users import find_user

    rt = _runtime()
    with rt.session() as session:
        query = select(Event, User.username).outerjoin(User, User.id == Event.owner_id)
        if user:
            try:
                uid = find_user(session, user).id
            except AlbumenError as exc:
                _fail(exc, as_json)
            query = query.join(EventMember, EventMember.event_id == Event.id).where(
                EventMember.user_id == uid)
        docs = []
        for event, owner in session.execute(query.order_by(Event.id)):
            links = session.scalars(select(ShareLink).where(ShareLink.event_id == event.id))
            docs.append({
                "id": event.id, "title": event.title, "owner": owner,
                "starts_at": event.starts_at.isoformat() if event.starts_at else None,
                "archived": event.archived_at is not None,
                "review_required": event.review_required,
                "assets": moderation_counts(session, event.id),
                "links": [{"id": x.id, "label": x.label, "can_upload": x.can_upload,
                           "can_download": x.can_download, "uploads": x.upload_count,
                           "revoked": x.revoked_at is not None,
                           "expires_at": x.expires_at.isoformat() if x.expires_at else None}
                          for x in links],
            })
    if as_json:
        print_json({"events": docs})
        return
    table = Table("id", "title", "owner", "approved", "pending", "rejected", "links")
    for d in docs:
        c = d["assets"]
        live = sum(1 for x in d["links"] if not x["revoked"])
        table.add_row(str(d["id"]), d["title"], d["owner"] or "-", str(c["approved"]),
                      str(c["pending"]), str(c["rejected"]), str(live))
    console.print(table)


@events_app.command("revoke-link")
def events_revoke_link(link_id: int) -> None:
    """Revoke a share link at once (an operator's emergency brake)."""
    from albumen.db.base import utcnow
    from albumen.db.models import ShareLink
    from albumen.services import audit

    rt = _runtime()
    with rt.transaction() as session:
        link = session.get(ShareLink, link_id)
        if link is None:
            _fail(AlbumenError(f"link {link_id} not found"), False)
        if link.revoked_at is None:
            link.revoked_at = utcnow()
            audit.record(session, audit.SYSTEM, "link.revoke", "share_link", link_id)
    console.print(f"link {link_id} revoked")


# --- people and places --------------------------------------------------------------------

people_app = typer.Typer(help="People recognised in photos", no_args_is_help=True)
places_app = typer.Typer(help="Places photos were taken", no_args_is_help=True)
app.add_typer(people_app, name="people")
app.add_typer(places_app, name="places")
UserOpt = Annotated[str | None, typer.Option(
    "--user", "-u", help="whose library (default: the first administrator)")]


@people_app.command("list")
def people_list(user: UserOpt = None, hidden: Annotated[bool, typer.Option(
        "--hidden", help="include hidden people")] = False, as_json: JsonOpt = False) -> None:
    """People with their face and asset counts and asset ids."""
    from albumen.services.people import list_people

    rt = _runtime()
    try:
        owner_id = _owner(rt, user)
    except AlbumenError as exc:
        _fail(exc, as_json)
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

    rt = _runtime()
    try:
        owner_id = _owner(rt, user)
    except AlbumenError as exc:
        _fail(exc, as_json)
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

    rt = _runtime()
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
app.add_typer(models_app, name="models")


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
        _fail(exc, as_json)
    doc = {"installed": "clip", "path": str(target),
           "next": "add clip to ALBUMEN_ENRICHMENTS, then: albumen reprocess --stage clip"}
    if as_json:
        print_json(doc)
    else:
        console.print(f"CLIP installed in {target}; {doc['next']}")
