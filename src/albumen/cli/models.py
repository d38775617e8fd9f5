"""`albumen models list|install`: the models albumen uses, and installing the CLIP weights."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, fail, runtime
from albumen.cli.output import console, print_json
from albumen.config import get_settings
from albumen.errors import AlbumenError

models_app = typer.Typer(help="On-device models (and the caption endpoint)", no_args_is_help=True)


@models_app.command("list")
def models_list(as_json: JsonOpt = False) -> None:
    """Each model: what it does, its stages, installed here or why not, loaded (in this
    process), version, size and the last error (the same listing as GET /api/v1/models)."""
    from albumen.operations.models_status import list_models

    listing = list_models(runtime(), full=True)
    if as_json:
        print_json(listing.model_dump(mode="json"))
        return
    table = Table("model", "stages", "installed", "loaded", "version", "size")
    notes = []
    for m in listing.models:
        table.add_row(m.name, ", ".join(f"{s.name} ({'on' if s.enabled else 'off'})"
                                        for s in m.stages) or "-",
                      "yes" if m.installed else "no",
                      "-" if m.loaded is None else "yes" if m.loaded else "no",
                      m.version or "-", _size(m.size_bytes))
        if not m.installed:
            affects = f" (affects {', '.join(m.affected_stages)})" if m.affected_stages else ""
            notes.append(f"{m.name}: not installed: {m.reason}{affects}")
        if m.last_load_error:
            notes.append(f"{m.name}: last load failure at {m.last_load_error.at:%Y-%m-%d %H:%M}: "
                         f"{m.last_load_error.message}")
        if error := m.last_stage_error:
            at = f" at {error.at:%Y-%m-%d %H:%M}" if error.at else ""
            notes.append(f"{m.name}: last failure: asset {error.asset_id}, {error.stage}{at}: "
                         f"{error.message}")
    console.print(table)
    for note in notes:
        console.print(note, soft_wrap=True)
    p = listing.process
    console.print(f"loaded: in this command's process ({p.hostname} pid {p.pid}), which runs "
                  f"no jobs; the {p.live_workers} live worker host(s) load their own",
                  soft_wrap=True)


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} KB"


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
