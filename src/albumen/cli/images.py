"""`albumen images ...`: signed addresses of transformed photos (the image service)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError, NotFound

images_app = typer.Typer(help="Transformed photos: signed addresses", no_args_is_help=True)


@images_app.command("url")
def url(asset_id: int,
        width: Annotated[int | None, typer.Option(min=1)] = None,
        height: Annotated[int | None, typer.Option(min=1)] = None,
        fit: Annotated[str, typer.Option(help="inside, cover or contain")] = "inside",
        gravity: Annotated[str, typer.Option(help="centre, face, faces or smart")] = "centre",
        fmt: Annotated[str, typer.Option("--format", help="jpeg, webp, avif, png or auto")
                       ] = "auto",
        quality: Annotated[int | None, typer.Option(min=1, max=100)] = None,
        dpr: Annotated[float, typer.Option(min=1, max=4)] = 1.0,
        expires_in: Annotated[int | None, typer.Option(
            min=1, help="seconds the address works (default: for ever)")] = None,
        as_json: JsonOpt = False) -> None:
    """Print a signed address of a transform of a photo (anyone holding it gets that image)."""
    from albumen.db.models import Asset
    from albumen.images import service
    from albumen.images.options import Options, parse

    rt = runtime()
    try:
        with rt.session() as session:
            found = session.get(Asset, asset_id)
            if found is None or found.deleted_at is not None:
                raise NotFound(f"asset {asset_id} not found")
        expires = int(time.time()) + expires_in if expires_in else None
        opts = parse(Options(width=width, height=height, fit=fit, gravity=gravity, dpr=dpr,
                             quality=quality, expires=expires).canonical())
        path = service.sign(rt, asset_id, opts, fmt)
    except AlbumenError as exc:
        fail(exc, as_json)
    base = (rt.settings.public_url or "").rstrip("/")
    if as_json:
        print_json({"url": f"{base}{path}", "path": path, "expires_at": expires})
    else:
        console.print(f"{base}{path}")


@images_app.command("export")
def export(query: Annotated[str, typer.Argument(help='what to export, e.g. "event:12" or '
                                                 '"beach after:2024"; "" for everything')],
           width: Annotated[int | None, typer.Option(min=1)] = None,
           height: Annotated[int | None, typer.Option(min=1)] = None,
           fit: Annotated[str, typer.Option(help="inside, cover or contain")] = "inside",
           fmt: Annotated[str, typer.Option("--format", help="jpeg, webp, avif or png")
                          ] = "jpeg",
           quality: Annotated[int | None, typer.Option(min=1, max=100)] = None,
           out: Annotated[Path | None, typer.Option(help="a folder to write into")] = None,
           zip_: Annotated[Path | None, typer.Option("--zip", help="a ZIP file to write")
                           ] = None,
           user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Every photo a search finds, made into the same transform, into a folder or a ZIP."""
    from albumen.cli.progress import Steps
    from albumen.images import export as exporter
    from albumen.images.options import Options, parse

    rt = runtime()
    try:
        viewer = owner(rt, user)
        if viewer is None:
            raise NotFound("no user yet: create one with `albumen users create`")
        opts = parse(Options(width=width, height=height, fit=fit, quality=quality).canonical())
        with Steps("exporting", 0) as steps:
            def advance(done: int, total: int) -> None:
                steps.resize(total)
                steps.advance(to=done)

            result = exporter.export(rt, viewer, query, opts, fmt, out, zip_, advance)
    except AlbumenError as exc:
        fail(exc, as_json)
    doc = {"written": result.written, "bytes": result.bytes, "failed": result.failed,
           "to": str(out or zip_)}
    if as_json:
        print_json(doc)
    else:
        console.print(f"{result.written} photos ({result.bytes:,} bytes) written to "
                      f"{doc['to']}" + (f"; {len(result.failed)} failed" if result.failed
                                        else ""))
        for item in result.failed:
            console.print(f"  asset {item['asset_id']}: {item['error']}")
