"""The ``transcode`` stage: a video's web copy, made in segments that survive the worker.

Each segment of the clip (``ALBUMEN_TRANSCODE_SEGMENT_SECONDS``) is encoded to a temporary
file, stored and recorded as a derivative of its own (``webpart-<plan>-<n>``) in a transaction
of its own; a worker killed half-way through a long clip leaves them, and the worker that takes
the stage up again (once the lease runs out) makes only the segments still missing. Segments
made under other settings (codec, size, quality, segment length) are not reused. When all are
there they are joined into the web copy, stored under a new key and recorded; the copy it
replaces and the segments are removed after.

Progress (seconds done of the clip's length) and the lease are kept in the stage's row as it
goes; a cancelled stage stops the worker within seconds, and its segments are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import av
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.models import RUNNING, Asset, AssetStage, Derivative, Video
from albumen.errors import Cancelled, MediaDecodeError
from albumen.library.failures import may_pass
from albumen.library.video import WEB, needs_web_copy, plan, probe
from albumen.media import transcode as web
from albumen.media.video import VideoInfo
from albumen.notify import emit
from albumen.pipeline import TRANSCODE
from albumen.runtime import Runtime
from albumen.storage.base import derivative_key

SEGMENT = "webpart"  # the derivative kinds of a web copy's segments: webpart-<plan>-<n>
_PROGRESS_SECONDS = 2.0  # how often a transcode records its progress (and checks for cancel)


def transcode_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Make the web copy, going on from the segments an earlier try left."""
    row = session.get(Video, asset.id)
    if row is None:
        raise MediaDecodeError("the video was not read (the metadata stage did not complete)")
    if needs_web_copy(rt, row) is not None:
        return
    total = max(1, round(row.duration or 0))
    the_plan = plan(rt)
    seconds = rt.settings.transcode_segment_seconds
    target = rt.storage.tmp / f"web-{asset.id}-{secrets.token_hex(6)}.mp4"
    try:
        with rt.storage.local_path(asset.storage_key) as path:
            info = probe(rt, path)
            pieces = web.segments(info, seconds)
            prefix = f"{SEGMENT}-{_fingerprint(the_plan, info, seconds)}-"
            kept = _kept(rt, session, asset.id, prefix)
            done = sum(_length(piece, info) for piece in pieces if piece.index in kept)
            _progress(rt, asset.id, min(total, round(done)), total, session)
            session.commit()  # the transaction is not held for the minutes this takes
            report = _reporter(rt, asset.id, total)
            try:
                for piece in pieces:
                    if piece.index not in kept:
                        kept[piece.index] = _make_segment(rt, asset.id, path, info, the_plan,
                                                          piece, prefix, report)
                    report(float(piece.end or total), now=True)
                with contextlib.ExitStack() as stack:
                    parts = [stack.enter_context(rt.storage.local_path(kept[piece.index]))
                             for piece in pieces]
                    copy = web.join(path, parts, target, info, the_plan)
            except Cancelled:
                _drop(rt, asset.id)
                raise Cancelled(_cancel_reason(rt, asset.id)) from None
            except Exception as exc:
                if not may_pass(exc):  # tried again from the start, under a new plan
                    _drop(rt, asset.id)
                raise
        key = derivative_key(asset.id, f"{WEB}-{secrets.token_hex(4)}", "mp4")
        size = _store(rt, target, key)
    finally:
        target.unlink(missing_ok=True)
    old = session.get(Derivative, (asset.id, WEB))
    if old is not None:
        rt.storage.delete(old.storage_key)
        session.delete(old)
        session.flush()
    session.add(Derivative(asset_id=asset.id, kind=WEB, storage_key=key, mime_type="video/mp4",
                           width=copy.width, height=copy.height, size=size,
                           etag=secrets.token_hex(16)))
    for part in kept.values():
        rt.storage.delete(part)
    session.execute(delete(Derivative).where(Derivative.asset_id == asset.id,
                                             Derivative.kind.like(f"{SEGMENT}-%")))
    _progress(rt, asset.id, total, total, session)


def _fingerprint(the_plan: web.Plan, info: VideoInfo, seconds: float) -> str:
    """What a segment's bytes depend on: segments of another fingerprint are not joined."""
    width, height = the_plan.size(info)
    text = f"{the_plan}|{width}x{height}|{seconds:g}|{info.duration}|{av.library_versions}"
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _length(piece: web.Segment, info: VideoInfo) -> float:
    end = float(piece.end) if piece.end is not None else (info.duration or 0.0)
    return max(0.0, end - float(piece.start))


def _kept(rt: Runtime, session: Session, asset_id: int, prefix: str) -> dict[int, str]:
    """The segments an earlier try stored under this plan, by index; others are removed."""
    kept: dict[int, str] = {}
    for kind, key in session.execute(
            select(Derivative.kind, Derivative.storage_key).where(
                Derivative.asset_id == asset_id, Derivative.kind.like(f"{SEGMENT}-%"))).all():
        if kind.startswith(prefix) and rt.storage.exists(key):
            kept[int(kind.removeprefix(prefix))] = key
        else:
            rt.storage.delete(key)
            session.execute(delete(Derivative).where(Derivative.asset_id == asset_id,
                                                     Derivative.kind == kind))
    return kept


def _make_segment(rt: Runtime, asset_id: int, source: Path, info: VideoInfo,
                  the_plan: web.Plan, piece: web.Segment, prefix: str,
                  report: Callable[..., bool]) -> str:
    """Encode one segment, store it and record it (committed at once: it outlives a kill)."""
    part = rt.storage.tmp / f"webpart-{asset_id}-{secrets.token_hex(6)}.mp4"
    try:
        web.encode_segment(source, part, info, the_plan, piece, report)
        kind = f"{prefix}{piece.index:04d}"
        key = derivative_key(asset_id, f"{kind}-{secrets.token_hex(4)}", "mp4")
        size = _store(rt, part, key)
    finally:
        part.unlink(missing_ok=True)
    width, height = the_plan.size(info)
    with rt.transaction() as own:
        own.add(Derivative(asset_id=asset_id, kind=kind, storage_key=key,
                           mime_type="video/mp4", width=width, height=height, size=size,
                           etag=secrets.token_hex(16)))
    return key


def _drop(rt: Runtime, asset_id: int) -> None:
    """Remove the segments of this asset's web copy (a cancel, a failure that will not
    pass)."""
    with rt.transaction() as session:
        keys = session.scalars(delete(Derivative).where(
            Derivative.asset_id == asset_id, Derivative.kind.like(f"{SEGMENT}-%"))
            .returning(Derivative.storage_key)).all()
    for key in keys:
        rt.storage.delete(key)


def _cancel_reason(rt: Runtime, asset_id: int) -> str:
    with rt.session() as fresh:  # the reason the canceller gave
        row = fresh.get(AssetStage, (asset_id, TRANSCODE))
        return row.error if row is not None and row.error else "cancelled"


def _store(rt: Runtime, source: Path, key: str) -> int:
    with rt.storage.stage() as staged, source.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            staged.write(chunk)
        rt.storage.commit(staged, key)
        return staged.size


def _progress(rt: Runtime, asset_id: int, done: int, total: int, session: Session) -> None:
    session.execute(update(AssetStage).where(AssetStage.asset_id == asset_id,
                                             AssetStage.stage == TRANSCODE)
                    .values(progress_done=done, progress_total=total))
    emit(session, "asset.progress", asset_id=asset_id, stage=TRANSCODE, done=done, total=total)


def _reporter(rt: Runtime, asset_id: int, total: int) -> Callable[..., bool]:
    """``report(seconds, now=False)``: records progress and extends the lease (at most every
    couple of seconds unless ``now``); False once the stage was cancelled."""
    last = [time.monotonic()]

    def report(seconds: float, now: bool = False) -> bool:
        moment = time.monotonic()
        if not now and moment - last[0] < _PROGRESS_SECONDS:
            return True
        last[0] = moment
        lease = utcnow() + timedelta(seconds=rt.settings.job_lease_seconds)
        done = min(total, round(seconds))
        with rt.transaction() as session:
            still = session.execute(
                update(AssetStage).where(AssetStage.asset_id == asset_id,
                                         AssetStage.stage == TRANSCODE,
                                         AssetStage.state == RUNNING)
                .values(progress_done=done, progress_total=total, lease_until=lease)).rowcount
            if still:
                emit(session, "asset.progress", asset_id=asset_id, stage=TRANSCODE,
                     done=done, total=total)
        if not still and now:
            raise Cancelled("cancelled while making the web copy")
        return bool(still)

    return report
