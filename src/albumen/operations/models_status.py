"""The models albumen uses, listed: what each does, which stages need it, whether it can run
here (and why not), whether it is loaded, its version and size, and its last error.

One function (`list_models`) answers `GET /api/v1/models`, `albumen models list` and the
administration page.

Loaded state and counters are those of the process that answers: models live in the process
that loads them. `albumen serve` with its default in-process thread workers runs its jobs in
the same process, so the API's answer covers them; jobs of `albumen worker` (or of forked
process workers) run in other processes, whose models nobody here can see (the workers table
has a heartbeat, but its host is not the process that loads them). ``process.runs_jobs``
says which case applies. Failures recorded on stage rows, by contrast, come from the database
and cover every worker.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.models import FAILED, AssetStage
from albumen.ml import captions, models
from albumen.ml.runtime import Availability, Model, installed_version
from albumen.pipeline import ENRICHMENTS, QUEUES, queue_for
from albumen.runtime import Runtime

CAPTIONS = "captions"  # the remote endpoint's entry (and its stage)


class StageUse(BaseModel):
    name: str = Field(description="An enrichment stage that runs this model (a name of "
                                  "ALBUMEN_ENRICHMENTS)")
    enabled: bool = Field(description="Whether this configuration runs the stage")
    queue: str = Field(description="The job queue whose workers run the stage (media or ml)")
    failed: int | None = Field(description="Assets whose stage failed for good (from the "
                                           "database: every worker's); null in a summary")


class WeightFile(BaseModel):
    path: str = Field(description="Where the file is on the machine that answered")
    bytes: int = Field(description="Its size in bytes")


class LoadError(BaseModel):
    message: str = Field(description="The exception raised while loading the model")
    at: datetime = Field(description="When the load failed (UTC)")


class StageError(BaseModel):
    stage: str = Field(description="The stage that failed")
    asset_id: int = Field(description="The asset whose stage failed")
    at: datetime | None = Field(description="When it failed (UTC)")
    message: str | None = Field(description="The reason recorded on the stage")


class ModelInfo(BaseModel):
    name: str = Field(description="The model's name (faces, ocr, screening, places, clip, "
                                  "captions, ...)")
    description: str = Field(description="What it does")
    kind: Literal["on-device", "remote"] = Field(
        description="on-device: runs in albumen's processes; remote: an endpoint it calls")
    stages: list[StageUse] = Field(description="The enrichment stages that use it")
    enabled: bool = Field(description="Whether any of its stages is enabled here")
    installed: bool = Field(description="Whether it can run here: its packages and weights "
                                        "are installed (remote: its endpoint is configured; "
                                        "the endpoint is not called)")
    reason: str | None = Field(description="Why it cannot run here (null when installed)")
    affected_stages: list[str] = Field(
        description="Enabled stages that fail for want of this model: not installed, so "
                    "every asset's stage fails with the reason above")
    loaded: bool | None = Field(
        description="Whether the model is loaded in the process that answered (see "
                    "process.runs_jobs for whose jobs that covers); null for a remote model")
    loads: int | None = Field(description="Times it was loaded in that process (it unloads "
                                          "when idle); null for a remote model")
    calls: int | None = Field(description="Batched predict calls in that process; null for a "
                                          "remote model")
    items: int | None = Field(description="Items (photos, texts, positions) predicted in that "
                                          "process; items / calls is the batch size achieved")
    version: str | None = Field(
        description="The weights' version: that of the package that ships them, a digest "
                    "(blake2b:...) of operator-supplied files, or the remote model's name")
    packages: dict[str, str] = Field(description="Installed version of each Python package "
                                                 "it runs on (missing ones left out)")
    size_bytes: int | None = Field(description="Bytes of the weight files it loads (null when "
                                               "none: remote, or not installed)")
    files: list[WeightFile] | None = Field(description="The weight files it loads; null in a "
                                                       "summary")
    endpoint: str | None = Field(description="The remote endpoint's URL without credentials; "
                                             "null for on-device models and in a summary")
    last_load_error: LoadError | None = Field(
        description="The most recent failure to load it in the process that answered; null "
                    "when none, and in a summary")
    last_stage_error: StageError | None = Field(
        description="The most recent stage that failed for good among its stages (from the "
                    "database: any worker); null when none, and in a summary")


class ProcessInfo(BaseModel):
    hostname: str = Field(description="The machine that answered")
    pid: int = Field(description="The process that answered; loaded and the counters are its")
    runs_jobs: list[str] = Field(
        description="Queues whose jobs run in this process's own threads (in-process thread "
                    "workers, or immediate mode): loaded and the counters include that work. "
                    "Empty when jobs run in other processes (albumen worker, process "
                    "workers), whose loaded models this listing cannot see")
    live_workers: int = Field(description="Worker hosts with a recent heartbeat, on any "
                                          "machine")


class ModelsOut(BaseModel):
    detail: Literal["full", "summary"] = Field(
        description="full (administrators, the CLI): with errors, asset ids, failure counts, "
                    "files and endpoint; summary (other signed-in users): those are null")
    process: ProcessInfo = Field(description="The process whose loaded state is reported")
    models: list[ModelInfo] = Field(description="Every model, in the order its stages run")


def list_models(rt: Runtime, full: bool = True) -> ModelsOut:
    """Every model of this configuration (and any other one this process registered)."""
    settings = rt.settings
    enabled = set(settings.enabled_enrichments)
    used: dict[str, tuple[Model[Any, Any], list[str]]] = {}
    for stage, model in models.all_models(settings):
        used.setdefault(model.name, (model, []))[1].append(stage)
    for name, model in list(Model.registry.items()):  # models no stage uses (none today)
        used.setdefault(name, (model, []))
    failed, last = _stage_failures(rt, [*(s for _, st in used.values() for s in st), CAPTIONS],
                                   full)
    infos = [_on_device(model, stages, enabled, failed, last, full)
             for model, stages in used.values()]
    infos.append(_captions(rt, enabled, failed, last, full))
    order = {name: i for i, name in enumerate(ENRICHMENTS)}
    infos.sort(key=lambda m: min((order.get(s.name, 99) for s in m.stages), default=99))
    return ModelsOut(detail="full" if full else "summary", process=_process(rt), models=infos)


def _stages(names: list[str], enabled: set[str], failed: dict[str, int],
            full: bool) -> list[StageUse]:
    return [StageUse(name=s, enabled=s in enabled, queue=queue_for(s),
                     failed=failed.get(s, 0) if full else None) for s in names]


def _on_device(model: Model[Any, Any], stages: list[str], enabled: set[str],
               failed: dict[str, int], last: dict[str, StageError], full: bool) -> ModelInfo:
    available = model.availability()
    files = [WeightFile(path=str(p), bytes=p.stat().st_size) for p in model.weight_files()]
    error = model.last_error
    return ModelInfo(
        name=model.name, description=model.summary or (model.__doc__ or "").strip(),
        kind="on-device", stages=_stages(stages, enabled, failed, full),
        enabled=any(s in enabled for s in stages), installed=available.ok,
        reason=None if available.ok else available.reason or None,
        affected_stages=_affected(available, stages, enabled),
        loaded=model.loaded, loads=model.loads, calls=model.calls, items=model.items,
        version=model.version() if available.ok else None,
        packages=_versions(model.distributions),
        size_bytes=sum(f.bytes for f in files) if files else None,
        files=files if full else None, endpoint=None,
        last_load_error=LoadError(message=error.message, at=error.at) if error and full
        else None,
        last_stage_error=_latest(last, stages) if full else None)


def _captions(rt: Runtime, enabled: set[str], failed: dict[str, int],
              last: dict[str, StageError], full: bool) -> ModelInfo:
    s = rt.settings
    available = captions.endpoint_availability(s.caption_url, s.caption_model)
    return ModelInfo(
        name=CAPTIONS, description=captions.SUMMARY, kind="remote",
        stages=_stages([CAPTIONS], enabled, failed, full), enabled=CAPTIONS in enabled,
        installed=available.ok, reason=available.reason or None,
        affected_stages=_affected(available, [CAPTIONS], enabled),
        loaded=None, loads=None, calls=None, items=None, version=s.caption_model or None,
        packages=_versions(("httpx",)), size_bytes=None, files=None,
        endpoint=_without_credentials(s.caption_url) if full and s.caption_url else None,
        last_load_error=None, last_stage_error=_latest(last, [CAPTIONS]) if full else None)


def _affected(available: Availability, stages: list[str], enabled: set[str]) -> list[str]:
    return [] if available.ok else [s for s in stages if s in enabled]


def _versions(distributions: tuple[str, ...]) -> dict[str, str]:
    found = {name: installed_version(name) for name in distributions}
    return {name: version for name, version in found.items() if version}


def _latest(last: dict[str, StageError], stages: list[str]) -> StageError | None:
    errors = [last[s] for s in stages if s in last]
    return max(errors, key=lambda e: (e.at is not None, e.at), default=None)


def _stage_failures(rt: Runtime, stages: list[str], full: bool
                    ) -> tuple[dict[str, int], dict[str, StageError]]:
    """Failed-for-good counts per stage, and each stage's most recent failure."""
    if not full:
        return {}, {}
    with rt.session() as session:
        counts = dict(session.execute(
            select(AssetStage.stage, func.count()).where(
                AssetStage.state == FAILED, AssetStage.stage.in_(stages))
            .group_by(AssetStage.stage)).all())
        last = {stage: error for stage in counts
                if (error := _last_failure(session, stage)) is not None}
    return {k: int(v) for k, v in counts.items()}, last


def _last_failure(session: Session, stage: str) -> StageError | None:
    row = session.execute(
        select(AssetStage.asset_id, AssetStage.finished_at, AssetStage.error)
        .where(AssetStage.state == FAILED, AssetStage.stage == stage)
        .order_by(AssetStage.finished_at.desc().nulls_last(), AssetStage.asset_id.desc())
        .limit(1)).first()
    if row is None:
        return None
    return StageError(stage=stage, asset_id=row.asset_id, at=row.finished_at, message=row.error)


def _process(rt: Runtime) -> ProcessInfo:
    queue = rt.queue
    if queue.immediate:
        here = list(QUEUES)
    elif rt.settings.worker_type == "thread":
        here = [q for q in QUEUES if q in queue.consuming]
    else:  # forked process workers load their own models
        here = []
    return ProcessInfo(hostname=socket.gethostname(), pid=os.getpid(), runs_jobs=here,
                       live_workers=rt.live_workers())


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
