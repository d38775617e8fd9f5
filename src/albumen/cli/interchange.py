"""`albumen export`: copies with their metadata, embedded and/or in XMP sidecars."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, err_console, print_json
from albumen.cli.progress import exit_status, stop_cleanly_on_sigterm
from albumen.errors import AlbumenError


def export(
    query: Annotated[str, typer.Argument(
        help='what to export, in the search language ("" for everything; tier:gold, '
             'person:"Anna" after:2023)')],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder to write into (made if "
                                                          "missing)")],
    sidecars: Annotated[bool, typer.Option("--sidecars", help="write photo.jpg.xmp beside "
                                                              "each copy")] = False,
    embed: Annotated[bool, typer.Option("--embed", help="embed the metadata (EXIF, IPTC, "
                                                        "XMP) in each copy")] = False,
    fmt: Annotated[str, typer.Option("--format", help="original (the stored bytes) or jpeg "
                                                      "(HEIC, PNG, ... re-encoded)")] = "original",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the photos a query finds, with titles, captions, keywords, rating, label, place,
    capture time and people (as face regions) embedded and/or in sidecars. The originals in
    albumen are never changed; a re-run rewrites only what changed."""
    from albumen.interchange.export import Exported, Options, export

    rt = runtime()
    try:
        options = Options(sidecars=sidecars, embed=embed, format=fmt.lower())  # type: ignore
        viewer = owner(rt, user)

        def show(result: Exported) -> None:
            if not as_json and result.outcome == "failed":
                err_console.print(f"  {result.name}: {result.reason}")

        with stop_cleanly_on_sigterm():
            report = export(rt, viewer, query, out, options, on_result=show)
    except AlbumenError as exc:
        fail(exc, as_json)
    except KeyboardInterrupt as exc:
        err_console.print("export: interrupted; run it again to go on (finished files are "
                          "kept and not written twice)")
        raise typer.Exit(exit_status(exc)) from None
    counts = report.counts
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(f"exported {counts['exported']}, unchanged {counts['unchanged']}, "
                      f"failed {counts['failed']} into {out}")
    if counts["failed"]:
        raise typer.Exit(1)
