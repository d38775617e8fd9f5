"""Running stages with their state in the database: claim, run, record, retry or fail.

A stage is claimed with a conditional UPDATE (so two workers never run it at once) and a lease;
a worker killed mid-stage leaves a lease that expires, and the reconciler queues it again.
"""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased, lazyload

from albumen.db.base import utcnow
from albumen.db.models import (
    ASSET_FAILED,
    ASSET_PROCESSING,
    ASSET_READY,
    DONE,
    FAILED,
    PENDING,
    RUNNING,
    Asset,
    AssetStage,
)
from albumen.documents import service as documents_svc
from albumen.errors import AlbumenError
from albumen.library import documents, failures, transcoding, video
from albumen.library.stages import FILE_STAGES, MODEL_STAGES, STAGE_FUNCTIONS, FileStage
from albumen.notify import emit
from albumen.pipeline import ALL, CORE, ORDER, TRANSCODE, queue_for
from albumen.runtime import Runtime
from albumen.search import semantic, text_index

log = logging.getLogger(__name__)
# Stages load the asset row alone: its tags and stack (eagerly loaded for pages) come on access.
BARE = (lazyload(Asset.tags), lazyload(Asset.stack))


# The stages run in a transaction.
RUN = {**STAGE_FUNCTIONS, **documents.STAGE_FUNCTIONS, "semantic": semantic.semantic_stage,
       "document": documents_svc.document_stage, TRANSCODE: transcoding.transcode_stage}
# A video's model stages look at frames sampled over the clip, not at one preview.
RUN_VIDEO = {**RUN, **video.STAGE_FUNCTIONS}


def file_stage(asset: Asset, stage: str) -> FileStage:
    """A core stage as the asset's kind does it (a photo's metadata is not a PDF's)."""
    if asset.media_type == "document":
        return documents.FILE_STAGES[stage]
    if asset.media_type == "video":
        return video.FILE_STAGES[stage]
    return FILE_STAGES[stage]


class RetryableStageError(Exception):
    """A stage failed for a reason that may pass (I/O, database busy); the queue retries it.
    Which failures may pass is decided in library/failures.py: the others fail the stage at
    once, with their reason."""


def process_asset(rt: Runtime, asset_id: int, queue: str = "media") -> str:
    """Run every stage of an asset that is not done yet, in order. Returns the asset state.

    A stage another worker is running (alone, or in a batch with other photos) is skipped
    here; that worker queues the asset again when it is done with it. A pending stage of the
    other queue, when no worker of this process takes that queue, ends the job here: the asset
    is handed over to that queue (its later stages may depend on that one, e.g. dates on faces).
    """
    todo, media_type = _to_run(rt, asset_id)
    claimed: set[str] = set()
    state: str | None = None  # the asset's state, when the last step already refreshed it
    try:
        i = 0
        while i < len(todo):
            stage = todo[i]
            owner = queue_for(stage)
            if owner != queue and not rt.queue.runs_here(owner):
                rt.queue.enqueue_asset(asset_id, owner)
                return refresh_asset_state(rt, asset_id)
            i += 1
            state = None
            if _batched(rt, stage, media_type):
                run_model_stage_batch(rt, asset_id, stage)
                continue
            if stage not in claimed:
                claimed |= _claim_stages(rt, asset_id, _group(rt, todo[i - 1:]))
                if stage not in claimed:
                    continue  # done meanwhile, or taken by a live worker
            if stage in FILE_STAGES:
                run = [stage, *itertools.takewhile(
                    lambda s, taken=claimed: s in FILE_STAGES and s in taken, todo[i:])]
                i += len(run) - 1
                state = _run_file_stages(rt, asset_id, run, claimed)
            else:
                claimed.discard(stage)
                _run_claimed(rt, asset_id, stage)
    finally:
        if claimed:  # the job ended early (a retryable error): let the retry take them at once
            _release(rt, asset_id, claimed)
    return state or refresh_asset_state(rt, asset_id)


def _group(rt: Runtime, stages: list[str]) -> list[str]:
    """The first stage and the plain stages of its queue right after it: claimed at once."""
    first = stages[0]
    return [first, *itertools.takewhile(
        lambda s: queue_for(s) == queue_for(first) and not _batched(rt, s), stages[1:])]


def _batched(rt: Runtime, stage: str, media_type: str = "image") -> bool:
    """Whether the stage runs for a batch of assets at once (one model call). A video's
    frames are a batch of their own."""
    return stage in MODEL_STAGES and rt.settings.ml_batch_size > 1 and media_type != "video"


def _to_run(rt: Runtime, asset_id: int) -> tuple[list[str], str]:
    """The asset's stages still to run (pending, or their worker's lease ran out), in order,
    and its kind: read once, so stages that are done, failed, held by a live worker or absent
    cost nothing."""
    now = utcnow()
    with rt.session() as session:
        rows = session.execute(
            select(AssetStage.stage, AssetStage.state, AssetStage.lease_until)
            .where(AssetStage.asset_id == asset_id)).all()
        media_type = session.scalar(select(Asset.media_type).where(Asset.id == asset_id))
    waiting = {stage for stage, state, lease in rows if state == PENDING or (
        state == RUNNING and lease is not None and lease < now)}
    return [stage for stage in ALL if stage in waiting], media_type or "image"


def _claim(rt: Runtime, asset_id: int, stage: str) -> bool:
    return stage in _claim_stages(rt, asset_id, [stage])


def _claim_stages(rt: Runtime, asset_id: int, stages: list[str]) -> set[str]:
    """Take the stages that are pending (or whose worker's lease ran out) with a lease of this
    worker's, in one conditional UPDATE; returns those taken."""
    now = utcnow()
    lease = now + timedelta(seconds=rt.settings.job_lease_seconds)
    with rt.transaction() as session:
        taken = session.scalars(
            update(AssetStage)
            .where(
                AssetStage.asset_id == asset_id,
                AssetStage.stage.in_(stages),
                or_(
                    AssetStage.state == PENDING,
                    and_(AssetStage.state == RUNNING, AssetStage.lease_until < now),
                ),
            )
            .values(state=RUNNING, started_at=now, lease_until=lease,
                    attempts=AssetStage.attempts + 1)
            .returning(AssetStage.stage)
        ).all()
        for stage in taken:
            emit(session, "asset.stage", asset_id=asset_id, stage=stage, state=RUNNING)
        return set(taken)


def _release(rt: Runtime, asset_id: int, stages: set[str]) -> None:
    """Give claimed stages back unrun (pending again, the attempt not counted)."""
    with rt.transaction() as session:
        session.execute(
            update(AssetStage)
            .where(AssetStage.asset_id == asset_id, AssetStage.stage.in_(stages),
                   AssetStage.state == RUNNING)
            .values(state=PENDING, lease_until=None, attempts=AssetStage.attempts - 1))


def run_stage(rt: Runtime, asset_id: int, stage: str) -> None:
    """Run one stage if it is pending (or its previous worker's lease ran out); a stage that
    is done, failed for good or being run by a live worker is left alone."""
    if not _claim(rt, asset_id, stage):
        return
    if stage in FILE_STAGES:
        _run_file_stages(rt, asset_id, [stage], {stage})
    else:
        _run_claimed(rt, asset_id, stage)


def _run_claimed(rt: Runtime, asset_id: int, stage: str) -> None:
    try:
        with rt.transaction() as session:
            asset = session.get(Asset, asset_id, options=BARE)
            if asset is None:
                return
            (RUN_VIDEO if asset.media_type == "video" else RUN)[stage](rt, session, asset)
            session.execute(
                update(AssetStage)
                .where(AssetStage.asset_id == asset_id, AssetStage.stage == stage)
                .values(state=DONE, error=None, finished_at=utcnow(), lease_until=None))
            emit(session, "asset.stage", asset_id=asset_id, stage=stage, state=DONE)
    except Exception as exc:
        _stage_failed(rt, asset_id, stage, exc)


def _run_file_stages(rt: Runtime, asset_id: int, stages: list[str],
                     claimed: set[str]) -> str | None:
    """Compute claimed file stages in order, then record them all (done, or failed with the
    reason when trying again cannot help) and the asset's new state in one transaction. Stages
    settled here leave ``claimed``; an error that may pass stops the run, to be retried
    (RetryableStageError). Returns the asset's new state (None when nothing was recorded)."""
    with rt.session() as session:
        asset = session.get(Asset, asset_id, options=BARE)
    if asset is None:
        claimed.difference_update(stages)
        return "missing"
    results: dict[str, object] = {}
    verdicts: dict[str, str] = {}
    error: tuple[str, Exception] | None = None
    state = None
    for stage in stages:
        try:
            results[stage] = file_stage(asset, stage).compute(rt, asset, results)
        except Exception as exc:
            if failures.may_pass(exc):
                error = (stage, exc)
                break
            verdicts[stage] = _verdict(rt, asset_id, stage, exc)
    recorded: set[str] = set()
    try:
        try:
            state = _record_file_stages(rt, asset_id, results, verdicts)
        except Exception as exc:
            if failures.may_pass(exc) or not results:
                raise
            # One result the database will never take (or a bug in recording it) must not
            # lose the others: each is recorded on its own, the one that fails fails alone.
            state = _record_one_by_one(rt, asset_id, results, verdicts, recorded)
    except Exception as exc:  # what was not recorded is tried again
        claimed.difference_update(recorded)
        error = (next((s for s in stages if s not in recorded), stages[0]), exc)
    else:
        claimed.difference_update(results, verdicts)
    if state == "missing":
        claimed.difference_update(stages)
        return state
    if error is not None:
        stage, exc = error
        claimed.discard(stage)
        _stage_failed(rt, asset_id, stage, exc)  # raises RetryableStageError, or fails it
    return state


def _record_file_stages(rt: Runtime, asset_id: int, results: dict[str, object],
                        verdicts: dict[str, str], refresh: bool = True) -> str | None:
    """Apply computed results, mark their stages done and the others failed with their
    verdicts, and (``refresh``) derive the asset's state: one transaction. "missing" when the
    asset is gone."""
    with rt.transaction() as session:
        current = session.get(Asset, asset_id, options=BARE)
        if current is None:
            return "missing"
        with session.no_autoflush:  # the asset's changes go out as one UPDATE
            for stage, result in results.items():
                file_stage(current, stage).apply(rt, session, current, result)
        now = utcnow()
        if results:
            session.execute(
                update(AssetStage)
                .where(AssetStage.asset_id == asset_id, AssetStage.stage.in_(results))
                .values(state=DONE, error=None, finished_at=now, lease_until=None))
        for stage in results:
            emit(session, "asset.stage", asset_id=asset_id, stage=stage, state=DONE)
        for stage, reason in verdicts.items():
            emit(session, "asset.stage", asset_id=asset_id, stage=stage, state=FAILED,
                 error=reason)
        for stage, reason in verdicts.items():
            session.execute(
                update(AssetStage)
                .where(AssetStage.asset_id == asset_id, AssetStage.stage == stage)
                .values(state=FAILED, error=reason, finished_at=now, lease_until=None,
                        transient=False))
        return _refresh_state(session, asset_id) if refresh else None


def _record_one_by_one(rt: Runtime, asset_id: int, results: dict[str, object],
                       verdicts: dict[str, str], recorded: set[str]) -> str | None:
    """Record each result in its own transaction (adding its stage to ``recorded``); one that
    cannot be recorded for a reason that will not pass becomes its stage's verdict. Then the
    verdicts and the asset's state."""
    for stage, result in results.items():
        try:
            if _record_file_stages(rt, asset_id, {stage: result}, {},
                                   refresh=False) == "missing":
                return "missing"
            recorded.add(stage)
        except Exception as exc:
            if failures.may_pass(exc):
                raise
            verdicts[stage] = _verdict(rt, asset_id, stage, exc)
    return _record_file_stages(rt, asset_id, {}, verdicts)


def _ready_for(stage: str) -> ColumnElement[bool]:
    """Assets whose stage is pending and whose core stages are all done (the preview exists)."""
    core = aliased(AssetStage)
    return and_(
        AssetStage.stage == stage, AssetStage.state == PENDING,
        ~exists().where(core.asset_id == AssetStage.asset_id, core.stage.in_(CORE),
                        core.state != DONE),
        ~exists().where(Asset.id == AssetStage.asset_id, Asset.media_type == "video"),
    )


def run_model_stage_batch(rt: Runtime, asset_id: int, stage: str) -> None:
    """Run a model stage for this asset together with up to ``ml_batch_size - 1`` other assets
    waiting for the same stage: one model call for the batch."""
    if not _claim(rt, asset_id, stage):
        return
    with rt.session() as session:
        others = session.scalars(
            select(AssetStage.asset_id).where(_ready_for(stage), AssetStage.asset_id != asset_id)
            .order_by(AssetStage.queued_at, AssetStage.asset_id)
            .limit(rt.settings.ml_batch_size - 1)).all()
    batch = [asset_id, *[other for other in others if _claim(rt, other, stage)]]
    spec = MODEL_STAGES[stage]
    inputs: dict[int, object] = {}
    for member in batch:
        try:
            with rt.session() as session:
                asset = session.get(Asset, member, options=BARE)
                if asset is not None:
                    inputs[member] = spec.prepare(rt, session, asset)
        except Exception as exc:
            _settle(rt, member, stage, exc)
    outputs = _predict(rt, stage, inputs)
    for member, output in outputs.items():
        try:
            with rt.transaction() as session:
                asset = session.get(Asset, member, options=BARE)
                if asset is None:
                    continue
                spec.store(rt, session, asset, inputs[member], output)
                row = session.get(AssetStage, (member, stage))
                assert row is not None
                row.state, row.error, row.finished_at, row.lease_until = DONE, None, utcnow(), None
                emit(session, "asset.stage", asset_id=member, stage=stage, state=DONE)
        except Exception as exc:
            _settle(rt, member, stage, exc)
    for member in batch[1:]:  # their own jobs may have passed this stage already: go on
        refresh_asset_state(rt, member)
        rt.queue.enqueue_asset(member, queue_for(stage))


def _predict(rt: Runtime, stage: str, inputs: dict[int, object]) -> dict[int, object]:
    """The model's outputs for the batch's inputs, by asset. When the batch fails for a reason
    that will not pass, each input is tried alone: one photo the model cannot take fails
    its own stage, not its batch's."""
    if not inputs:
        return {}
    model = MODEL_STAGES[stage].model
    try:
        return dict(zip(inputs, model(rt).predict(list(inputs.values())), strict=True))
    except Exception as exc:
        if len(inputs) == 1 or failures.may_pass(exc):
            for member in inputs:
                _settle(rt, member, stage, exc)
            return {}
    outputs: dict[int, object] = {}
    for member, value in inputs.items():
        try:
            outputs[member] = model(rt).predict([value])[0]
        except Exception as exc:
            _settle(rt, member, stage, exc)
    return outputs


def _settle(rt: Runtime, asset_id: int, stage: str, exc: Exception) -> None:
    """Record a failure of one member of a batch (one that may pass is queued again)."""
    try:
        _stage_failed(rt, asset_id, stage, exc)
    except RetryableStageError:
        rt.queue.enqueue_asset(asset_id, queue_for(stage))


def _stage_failed(rt: Runtime, asset_id: int, stage: str, exc: Exception) -> None:
    """A stage raised: retried when the error may pass (raises RetryableStageError until its
    attempts are used up), else failed at once with the reason: trying again would only
    fail the same way."""
    if failures.may_pass(exc):
        _retry_or_fail(rt, asset_id, stage, exc)
    else:
        _fail(rt, asset_id, stage, _verdict(rt, asset_id, stage, exc))


def _verdict(rt: Runtime, asset_id: int, stage: str, exc: Exception) -> str:
    """The reason a stage failed for good, logged; an error that is not a verdict on the file
    (most likely a bug, which the file only made show) with its traceback."""
    reason = failures.describe(exc, _hidden(rt))
    if isinstance(exc, AlbumenError):
        log.warning("asset %s: %s failed: %s", asset_id, stage, reason)
    else:
        log.error("asset %s: %s failed with an error that will happen again (not retried): %s",
                  asset_id, stage, reason, exc_info=exc)
    return reason


def _hidden(rt: Runtime) -> tuple[str, ...]:
    """Folders of this installation, left out of the reasons shown to users."""
    root = getattr(rt.storage, "root", None)
    return (str(root) if root is not None else "", str(rt.settings.data_dir))


def _fail(rt: Runtime, asset_id: int, stage: str, reason: str, transient: bool = False) -> None:
    """Give up on a stage: a verdict on the file, or (``transient``) a failure that may pass,
    which scheduled maintenance retries later (operations/maintenance.py)."""
    with rt.transaction() as session:
        row = session.get(AssetStage, (asset_id, stage))
        if row is not None:
            row.state, row.error, row.finished_at, row.lease_until = (
                FAILED, reason, utcnow(), None)
            row.transient = transient
            emit(session, "asset.stage", asset_id=asset_id, stage=stage, state=FAILED,
                 error=reason)


def _retry_or_fail(rt: Runtime, asset_id: int, stage: str, exc: Exception) -> None:
    reason = failures.describe(exc)
    with rt.transaction() as session:
        row = session.get(AssetStage, (asset_id, stage))
        attempts = row.attempts if row is not None else 0
    if attempts >= rt.settings.job_max_attempts:
        log.exception("asset %s: %s failed after %s attempts", asset_id, stage, attempts)
        _fail(rt, asset_id, stage, f"failed after {attempts} attempts: {reason}",
              transient=True)
        return
    with rt.transaction() as session:
        session.execute(
            update(AssetStage)
            .where(AssetStage.asset_id == asset_id, AssetStage.stage == stage)
            .values(state=PENDING, lease_until=None, error=reason, queued_at=utcnow())
        )
    raise RetryableStageError(f"asset {asset_id} {stage}: {reason}") from exc


def refresh_asset_state(rt: Runtime, asset_id: int) -> str:
    """Derive the asset's state from its stages: processing until every stage has settled;
    then failed (with the first reason) if a core stage failed, else ready. An enrichment that
    failed keeps its reason on its stage row (listed by status) without hiding the photo."""
    with rt.transaction() as session:
        return _refresh_state(session, asset_id)


def _refresh_state(session: Session, asset_id: int) -> str:
    # Write-lock the asset first (a row lock on PostgreSQL, the write lock on SQLite), then
    # read its stages: refreshes of one asset are serialised, and the last one sees every
    # stage's final state (two workers finishing stages at once cannot leave a stale
    # "processing" behind).
    locked = session.execute(update(Asset).where(Asset.id == asset_id)
                             .values(state=Asset.state)).rowcount
    if not locked:
        return "missing"
    rows = session.execute(select(AssetStage.stage, AssetStage.state, AssetStage.error)
                           .where(AssetStage.asset_id == asset_id)).all()
    failed = [r for r in rows if r.state == FAILED and r.stage in CORE]
    settled = all(r.state in (DONE, FAILED) for r in rows)
    before = session.scalar(select(Asset.state).where(Asset.id == asset_id))
    if failed:
        first = min(failed, key=lambda r: ORDER.get(r.stage, 99))
        values = {"state": ASSET_FAILED, "failure_reason": f"{first.stage}: {first.error}"}
    elif settled:
        values = {"state": ASSET_READY, "failure_reason": None}
    else:
        values = {"state": ASSET_PROCESSING}
    session.execute(update(Asset).where(Asset.id == asset_id).values(**values))
    if values["state"] != before and values["state"] != ASSET_PROCESSING:
        emit(session, "asset.processed" if values["state"] == ASSET_READY else "asset.failed",
             asset_id=asset_id, reason=values["failure_reason"])
    text_index.refresh(session, [asset_id])  # what the stages found becomes searchable
    return str(values["state"])
