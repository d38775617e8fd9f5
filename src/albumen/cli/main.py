"""The `albumen` command line. Every command is a thin wrapper over a service function."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from albumen.cli import (
    accounts,
    ai,
    analytics,
    discovery,
    documents,
    images,
    interchange,
    maintenance,
    models,
    ops,
    search,
    tiers,
    webhooks,
)
from albumen.cli.common import JsonOpt, fail, owner, runtime
from albumen.cli.output import console, err_console, print_json
from albumen.cli.progress import Steps, exit_status, finding, stop_cleanly_on_sigterm
from albumen.config import get_settings
from albumen.errors import AlbumenError, InvalidInput
from albumen.logging import setup_logging
from albumen.runtime import Runtime, get_runtime

app = typer.Typer(help="albumen: self-hosted photo platform", no_args_is_help=True,
                  pretty_exceptions_enable=False)
assets_app = typer.Typer(help="Browse assets", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance", no_args_is_help=True)
app.add_typer(assets_app, name="assets")
app.add_typer(db_app, name="db")
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.events_app, name="events")
app.add_typer(ai.people_app, name="people")
app.add_typer(ai.places_app, name="places")
app.add_typer(models.models_app, name="models")
app.add_typer(analytics.analytics_app, name="analytics")
app.add_typer(analytics.insights_app, name="insights")
app.add_typer(maintenance.maintenance_app, name="maintenance")
app.add_typer(documents.documents_app, name="documents")
app.add_typer(webhooks.webhooks_app, name="webhooks")
app.add_typer(images.images_app, name="images")
app.add_typer(tiers.tiers_app, name="tiers")
app.add_typer(discovery.recommend_app, name="recommend")
app.command("memories")(discovery.memories)
app.command("search")(search.search)
app.command("export")(interchange.export)
app.command("timeline")(search.timeline)
ops.register(app)

@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    no_workers: Annotated[bool, typer.Option("--no-workers",
                                             help="do not run workers in-process")] = False,
    processes: Annotated[int | None, typer.Option(
        min=1, help="API processes sharing the port (default: ALBUMEN_API_PROCESSES)")] = None,
) -> None:
    """Run the API (and, by default, the workers) on HOST:PORT."""
    import os

    import uvicorn

    from albumen.api.app import create_app

    settings = get_settings()
    setup_logging(settings.log_level, settings.log_json)
    rt = get_runtime()
    address = {"host": host or settings.host, "port": port or settings.port}
    count = processes or settings.api_processes
    if count > 1:  # uvicorn's supervisor: each process builds its app from the settings
        rt.migrate()  # once, before the processes start
        if no_workers:
            os.environ["ALBUMEN_IN_PROCESS_WORKERS"] = "false"
        uvicorn.run("albumen.api.app:app_from_settings", factory=True, workers=count,
                    log_config=None, proxy_headers=True, **address)
        return
    application = create_app(rt, start_workers=False if no_workers else None)
    uvicorn.run(application, log_config=None, proxy_headers=True, **address)


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", "--workers", "-w", help="jobs at once on each queue")] = None,
    queues: Annotated[str | None, typer.Option(
        help="queues to take jobs from: media, ml or both (default: ALBUMEN_WORKER_QUEUES)")
    ] = None,
    worker_type: Annotated[str, typer.Option(help="thread or process")] = "process",
    metrics_port: Annotated[int | None, typer.Option(
        help="serve Prometheus metrics of the jobs at http://ADDR:PORT/metrics")] = None,
    metrics_addr: Annotated[str, typer.Option(
        help="address of the metrics server (0.0.0.0: every interface)")] = "127.0.0.1",
) -> None:
    """Run a standalone worker until SIGINT/SIGTERM (finishes current jobs first)."""
    from albumen.worker.host import WorkerHost, parse_queues

    settings = get_settings()
    setup_logging(settings.log_level, settings.log_json)
    try:
        chosen = parse_queues(queues) if queues is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--queues") from exc
    if metrics_port is not None:  # before the worker processes fork: they report through it
        from albumen.observability import metrics_token, start_metrics_server

        start_metrics_server(metrics_port, metrics_addr, token=metrics_token(settings))
    rt = get_runtime()
    rt.migrate()
    WorkerHost(rt, concurrency or settings.workers, worker_type, chosen).run_forever()


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (recursive)")],
    wait: Annotated[bool, typer.Option("--wait", help="return when processing is done")] = False,
    user: Annotated[str | None, typer.Option(
        "--user", "-u", help="whose library (default: the first administrator)")] = None,
    source: Annotated[str, typer.Option(
        "--from", help="files (with their XMP sidecars), or another system's export: "
                       "takeout (Google Takeout), photoprism (its originals/ and storage/), "
                       "immich (its UPLOAD_LOCATION)")] = "files",
    as_json: JsonOpt = False,
) -> None:
    """Import photos from files and folders; a re-run skips what was already imported.

    XMP sidecars beside the files (photo.jpg.xmp, photo.xmp) are read with them: their
    title, caption, keywords, rating, label, place, time and named face regions. Progress
    goes to stderr (a bar on a terminal, a line per step elsewhere). Stopped (Ctrl-C,
    SIGTERM), it keeps what it stored and removes what it was copying."""
    from albumen.interchange.sources import SOURCES, import_from
    from albumen.library.importer import ImportReport, iter_files

    rt = runtime()
    try:
        owner_id = owner(rt, user)
        if source not in SOURCES:
            raise InvalidInput(f"--from is one of {', '.join(SOURCES)}, not {source!r}")
    except AlbumenError as exc:
        fail(exc, as_json)
    report, total = ImportReport(), 0
    with stop_cleanly_on_sigterm():
        try:
            with finding("finding files") as found:
                for total, _ in enumerate(iter_files(paths), 1):
                    if total % 500 == 0:
                        found(total)
            if not err_console.is_terminal:
                err_console.print(f"import: {total:,} files in {', '.join(map(str, paths))}",
                                  markup=False, highlight=False)
            with Steps("importing" if err_console.is_terminal else "import", total) as steps:

                def advance(result: Any) -> None:
                    report.results.append(result)
                    if result.outcome == "rejected":
                        steps.note(f"rejected {result.path}: {result.reason}")
                    c = report.counts
                    steps.advance(f"{c['imported']} imported, {c['duplicate']} duplicates, "
                                  f"{c['skipped']} skipped, {c['rejected']} rejected")

                done = import_from(rt, source, paths, owner_id, on_result=advance)
            doc: dict[str, Any] = {**done.to_dict(), **report.to_dict()}
            if wait:
                doc["processing"] = _wait_for(rt, report.asset_ids)
        except KeyboardInterrupt as exc:
            c = report.counts
            err_console.print(
                f"interrupted: {len(report.results):,} of {total:,} files done "
                f"({c['imported']} imported, {c['duplicate']} duplicates, {c['skipped']} "
                f"skipped, {c['rejected']} rejected); the files being copied were left out. "
                "Run the same command again to go on: what was imported is skipped.",
                markup=False, highlight=False)
            raise typer.Exit(exit_status(exc)) from None
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


def _wait_for(rt: Runtime, asset_ids: list[int]) -> dict[str, Any]:
    """Wait until the assets are ready or failed; run workers here if none are alive."""
    from sqlalchemy import select

    from albumen.db.models import Asset
    from albumen.operations.reconciler import reconcile
    from albumen.worker.host import WorkerHost

    host = None
    if asset_ids and not rt.settings.queue_immediate and rt.live_workers() == 0:
        host = WorkerHost(rt, rt.settings.workers, "thread")
        host.start()
    try:
        last_reconcile = time.monotonic()
        with Steps("processing", len(asset_ids)) as steps:
            while True:
                with rt.session() as session:
                    rows = session.execute(
                        select(Asset.id, Asset.state, Asset.original_filename,
                               Asset.failure_reason).where(Asset.id.in_(asset_ids))
                    ).all()
                finished = [r for r in rows if r.state != "processing"]
                failed = sum(r.state == "failed" for r in finished)
                steps.advance(f"{len(finished) - failed} ready, {failed} failed",
                              to=len(finished))
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
    from albumen.library.assets import AssetFilter
    from albumen.search.engine import browse

    rt = runtime()
    with rt.session() as session:
        try:
            page = browse(session, AssetFilter(camera=camera, state=state, trashed=trashed),
                               limit=limit, cursor=cursor)
        except AlbumenError as exc:
            fail(exc, as_json)
        items = [a.model_dump(mode="json") for a in AssetOut.many(session, page.items, None)]
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
    from albumen.library.assets import get_asset

    rt = runtime()
    with rt.session() as session:
        try:
            doc = AssetDetail.show(session, get_asset(session, asset_id), None,
                                   rt.settings.near_duplicate_distance).model_dump(mode="json")
        except AlbumenError as exc:
            fail(exc, as_json)
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


@assets_app.command("transcode")
def assets_transcode(
    asset_id: int,
    cancel: Annotated[bool, typer.Option("--cancel", help="stop the web copy queued or "
                                         "being made instead")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make a video's web copy again (queued for the video workers), or cancel it."""
    from albumen.accounts.audit import SYSTEM
    from albumen.library import web_copies

    rt = runtime()
    try:
        if cancel:
            done = web_copies.cancel(rt, asset_id, SYSTEM)
            message = "cancelled" if done else "no web copy was queued or being made"
        else:
            web_copies.request(rt, asset_id, SYSTEM)
            done, message = True, "queued"
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json({"asset_id": asset_id, "done": done, "message": message})
    else:
        console.print(f"asset {asset_id}: {message}")
    if not done:
        raise typer.Exit(1)


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Counts of assets by processing state, queue depth, workers, each stage's pace and time
    left, and failures."""
    from albumen.library.status import format_duration, processing_status

    rt = runtime()
    doc = processing_status(rt)
    if as_json:
        print_json(doc)
        return
    a = doc["assets"]
    console.print(f"assets: {a['total']} ({a['ready']} ready, {a['processing']} processing, "
                  f"{a['failed']} failed); {a['trashed']} in trash")
    per_queue = ", ".join(f"{name} {n}" for name, n in doc["queue"]["queues"].items())
    console.print(f"queue depth: {doc['queue']['depth']} ({per_queue}); "
                  f"live workers: {doc['workers']['live']}")
    progress = doc["progress"]
    for stage, row in progress["stages"].items():
        if not row["waiting"] and not row["per_second"]:
            continue
        pace = f"{row['per_second']:.2f} photos/s" if row["per_second"] else "no pace yet"
        left = f", {format_duration(row['eta_seconds'])} left" if row["waiting"] else ""
        console.print(f"  {stage}: {row['waiting']:,} waiting, {pace}{left}")
    if any(row["waiting"] for row in progress["stages"].values()):
        console.print(f"time left: {format_duration(progress['eta_seconds'])} (at the pace of "
                      f"the last {progress['window_seconds'] // 60} minutes)")
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
    from albumen.library.requeue import reset_stages
    from albumen.library.status import failed_asset_ids
    from albumen.operations.reconciler import reconcile
    from albumen.pipeline import ALL

    unknown = set(stage or []) - set(ALL)
    if unknown:
        raise typer.BadParameter(f"unknown stage(s): {', '.join(sorted(unknown))}; "
                                 f"stages are {', '.join(ALL)}")
    rt = runtime()
    ids = None
    if failed:
        with rt.session() as session:
            ids = failed_asset_ids(session)
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
