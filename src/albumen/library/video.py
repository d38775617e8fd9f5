"""The stages of a video: what it is (core), its poster frame as preview and thumbnail and a
scrub strip of frames (core), the model stages on frames sampled over the clip; what a browser
plays (the original, or the web copy ``library/transcoding.py`` makes when browsers cannot play
the original). The original is only ever read.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy.orm import Session

from albumen.db.models import DONE, FAILED, RUNNING, Asset, AssetStage, Derivative, Video
from albumen.errors import Conflict, InvalidInput, MediaDecodeError
from albumen.library import live_photos, sidecars
from albumen.library.stages import (
    FileStage,
    Rendered,
    hash_thumbnail,
    record_derivatives,
    record_phash,
    store_faces,
    store_screening,
    store_text,
)
from albumen.library.tags import set_tags
from albumen.media import derivatives as render
from albumen.media import transcode as web
from albumen.media import video
from albumen.ml import models
from albumen.ml.faces import DetectedFace, distances
from albumen.ml.ocr import TextLine
from albumen.ml.screening import Nudity
from albumen.pipeline import TRANSCODE
from albumen.runtime import Runtime
from albumen.storage.base import derivative_key

log = logging.getLogger(__name__)

STRIP = "strip"  # the derivative kind of the scrub strip (frames side by side)
WEB = "web"  # the derivative kind of the web copy
STRIP_SHORT_SIDE = 90


def probe(rt: Runtime, path: Path) -> video.VideoInfo:
    return video.probe(path, video.VideoLimits.of(rt.settings), decode=True)


def read_video(rt: Runtime, asset: Asset, _: dict[str, Any]) -> video.VideoInfo:
    with rt.storage.local_path(asset.storage_key) as path:
        return probe(rt, path)


def record_video(rt: Runtime, session: Session, asset: Asset, info: video.VideoInfo) -> None:
    row = session.get(Video, asset.id) or Video(asset_id=asset.id)
    for name in ("container", "duration", "coded_width", "coded_height", "rotation", "fps",
                 "frames", "variable_frame_rate", "video_codec", "profile", "pixel_format",
                 "bit_rate", "audio_codec", "audio_channels", "audio_sample_rate"):
        setattr(row, name, getattr(info, name))
    row.browser_playable = info.browser_playable
    row.metadata_raw = info.tags or None
    session.add(row)
    asset.width, asset.height = info.width, info.height
    asset.duration = info.duration
    if info.taken is not None:
        asset.taken_at = asset.sort_at = info.taken.utc
        asset.taken_at_local = asset.local_at = info.taken.local.replace(tzinfo=UTC)
        asset.taken_at_offset_minutes = info.taken.offset_minutes
    asset.latitude, asset.longitude, asset.altitude = (info.latitude, info.longitude,
                                                       info.altitude)
    asset.camera_make, asset.camera_model = info.make, info.model
    asset.content_identifier = info.content_identifier
    live_photos.pair(session, asset)
    asset.metadata_raw = info.tags or None
    asset.metadata_errors = info.errors or None
    asset.keywords = asset.keyword_paths = None  # a clip's only come from its sidecar
    sidecars.overlay(session, asset)
    set_tags(session, asset.id, "metadata", asset.keywords or [])


@dataclass(frozen=True)
class RenderedVideo(Rendered):
    poster_time: float = 0.0
    strip_frames: int = 0


def render_video(rt: Runtime, asset: Asset, earlier: dict[str, Any]) -> RenderedVideo:
    """The poster frame (a sharp one near the start) as preview and thumbnail, and the scrub
    strip: frames spread over the clip side by side in one WebP."""
    settings = rt.settings
    with rt.storage.local_path(asset.storage_key) as path:
        info = earlier.get("metadata") or probe(rt, path)
        when, pixels = video.poster(path, info, settings.preview_size)
        # Keyframes: one picture decoded a tile, whatever the clip's group of pictures.
        tiles = [frame for _, frame in video.frames_at(
            path, video.strip_times(info, settings.video_strip_frames), info,
            STRIP_SHORT_SIDE, exact=False)]
    preview, scaled = render.preview(pixels, settings.preview_size, settings.preview_quality)
    thumb, thumb_im = render.thumbnail(scaled, settings.thumbnail_size,
                                       settings.thumbnail_quality)
    renditions = [preview, thumb]
    if tiles:
        renditions.append(_strip(tiles, settings.thumbnail_quality))
    for rendition in renditions:
        rt.storage.put_bytes(derivative_key(asset.id, rendition.kind, rendition.ext),
                             rendition.data)
    height, width = pixels.shape[:2]
    return RenderedVideo(tuple(renditions), render.thumbhash_of(thumb_im), width, height,
                         poster_time=when, strip_frames=len(tiles))


def _strip(tiles: list[np.ndarray], quality: int) -> render.Rendition:
    import io

    height, width = tiles[0].shape[:2]
    same = [t if t.shape[:2] == (height, width) else np.asarray(
        Image.fromarray(t).resize((width, height))) for t in tiles]
    sprite = np.hstack(same)
    buf = io.BytesIO()
    Image.fromarray(sprite).save(buf, "WEBP", quality=quality, method=2)
    return render.Rendition(STRIP, buf.getvalue(), "image/webp", "webp", sprite.shape[1],
                            height)


def record_video_derivatives(rt: Runtime, session: Session, asset: Asset,
                             rendered: RenderedVideo) -> None:
    record_derivatives(rt, session, asset, rendered)
    session.flush()  # the video row, when read in the same job, is still pending
    row = session.get(Video, asset.id)
    if row is not None:
        row.poster_time, row.strip_frames = rendered.poster_time, rendered.strip_frames


FILE_STAGES: dict[str, FileStage] = {
    "metadata": FileStage(read_video, record_video),
    "derivatives": FileStage(render_video, record_video_derivatives),
    "phash": FileStage(hash_thumbnail, record_phash),
}


# ---------------------------------------------------------------- model stages on frames


class _Frames:
    """The frames sampled from the last video analysed in this process: its model stages
    (screening, faces, OCR) decode them once, not once each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, str] | None = None
        self._frames: list[tuple[float, np.ndarray]] = []

    def get(self, rt: Runtime, session: Session, asset: Asset) -> list[tuple[float, np.ndarray]]:
        key = (asset.id, asset.sha256)
        with self._lock:
            if self._key == key:
                return self._frames
        settings = rt.settings
        row = session.get(Video, asset.id)
        with rt.storage.local_path(asset.storage_key) as path:
            info = probe(rt, path)
            times = video.sample_times(info if row is None else replace(
                info, duration=row.duration), settings.video_sample_seconds,
                settings.video_sample_frames)
            frames = video.frames_at(path, times, info, settings.preview_size, exact=False)
        frames = list({when: (when, pixels) for when, pixels in frames}.values())  # once each
        if not frames:
            raise MediaDecodeError("no frame of the video could be decoded")
        for _, pixels in frames:
            pixels.setflags(write=False)
        with self._lock:
            self._key, self._frames = key, frames
        return frames


FRAMES = _Frames()


def _poster(rt: Runtime, session: Session, asset: Asset) -> np.ndarray:
    preview = session.get(Derivative, (asset.id, "preview"))
    if preview is None:
        raise MediaDecodeError("no poster to analyse (the derivatives stage did not complete)")
    with rt.storage.open(preview.storage_key) as fh, Image.open(fh) as im:
        return np.asarray(im.convert("RGB"))


def faces_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Faces in frames sampled over the clip: the same person seen in several frames is kept
    once (the largest, sharpest sighting), with the time it was seen."""
    frames = FRAMES.get(rt, session, asset)
    found = models.faces(rt.settings).predict([pixels for _, pixels in frames])
    sightings = [replace(face, time=when) for (when, _), faces in zip(frames, found, strict=True)
                 for face in faces]
    store_faces(rt, session, asset, frames[0][1],
                _distinct(sightings, rt.settings.face_cluster_distance))


def _distinct(faces: list[DetectedFace], max_distance: float) -> list[DetectedFace]:
    best_first = sorted(faces, key=lambda f: (f.size_px * min(f.sharpness, 1e6), f.confidence),
                        reverse=True)
    kept: list[DetectedFace] = []
    for face in best_first:
        if not kept or distances(np.stack([k.embedding for k in kept]),
                                 face.embedding).min() > max_distance:
            kept.append(face)
    return sorted(kept, key=lambda f: (f.time or 0.0, f.box[0]))


def screening_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Nudity scored on frames sampled over the clip (the worst frame counts, with its time),
    quality measured on the poster; a guest's video goes to moderation like a photo."""
    frames = FRAMES.get(rt, session, asset)
    scores = models.screening(rt.settings).predict([pixels for _, pixels in frames])
    worst_at, worst = max(zip((t for t, _ in frames), scores, strict=True),
                          key=lambda pair: pair[1].score)
    labels = [{**label, "time": round(worst_at, 2)} for label in worst.labels]
    store_screening(rt, session, asset, _poster(rt, session, asset),
                    Nudity(worst.score, labels))


def ocr_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Text in frames sampled over the clip (ALBUMEN_VIDEO_OCR), each line once."""
    frames = FRAMES.get(rt, session, asset)
    read = models.ocr(rt.settings).predict([pixels for _, pixels in frames])
    seen: set[str] = set()
    lines: list[TextLine] = []
    for found in read:
        for line in found:
            key = line.text.strip().lower()
            if key and key not in seen:
                seen.add(key)
                lines.append(line)
    store_text(rt, session, asset, frames[0][1], lines)


STAGE_FUNCTIONS = {"faces": faces_stage, "screening": screening_stage, "ocr": ocr_stage}


# ---------------------------------------------------------------- web copy


def plan(rt: Runtime) -> web.Plan:
    s = rt.settings
    return web.Plan(s.transcode_codec, s.transcode_max_height, s.transcode_preset,
                    s.transcode_crf)


def needs_web_copy(rt: Runtime, row: Video) -> str | None:
    """Why this clip gets no web copy (None: it gets one)."""
    settings = rt.settings
    if settings.transcode == "off":
        return "web copies are off (ALBUMEN_TRANSCODE=off)"
    if settings.transcode == "needed" and row.browser_playable:
        return "browsers play the original"
    if row.duration is not None and row.duration > settings.transcode_max_seconds:
        return (f"longer than {settings.transcode_max_seconds:g} s "
                "(ALBUMEN_TRANSCODE_MAX_SECONDS)")
    return None


def web_copy(session: Session, asset_id: int) -> Derivative | None:
    return session.get(Derivative, (asset_id, WEB))


# ---------------------------------------------------------------- playback

# The type a browser is told a playable original is: a QuickTime file of H.264 plays as MP4,
# Matroska of VP9/AV1 as WebM.
_PLAYED_AS = {"mp4": "video/mp4", "matroska": "video/webm"}


@dataclass(frozen=True)
class Playback:
    key: str
    mime_type: str
    etag: str
    web_copy: bool  # the web copy, not the original


def playback(session: Session, asset: Asset) -> Playback:
    """What a browser plays for this video: its web copy when there is one, else the original
    when browsers play it; Conflict (with the web copy's state) when neither can be had."""
    if asset.media_type != "video":
        raise InvalidInput(f"asset {asset.id} is not a video", details={"asset_id": asset.id})
    web_row = web_copy(session, asset.id)
    if web_row is not None:
        return Playback(web_row.storage_key, web_row.mime_type, f'"{web_row.etag}"', True)
    row = session.get(Video, asset.id)
    if row is not None and row.browser_playable:
        return Playback(asset.storage_key, _PLAYED_AS.get(row.container, asset.mime_type),
                        f'"{asset.sha256}"', False)
    stage = session.get(AssetStage, (asset.id, TRANSCODE))
    state = stage.state if stage is not None else "not planned"
    why = needs_web_copy_reason(session, asset.id, row)
    raise Conflict(
        f"browsers cannot play this video's original ({row.video_codec if row else 'unread'}"
        f" in {row.container if row else asset.format}) and its web copy is "
        f"{why or state}", details={
            "asset_id": asset.id, "transcode": state,
            "progress_done": stage.progress_done if stage else None,
            "progress_total": stage.progress_total if stage else None,
            "error": stage.error if stage else None})


def needs_web_copy_reason(session: Session, asset_id: int, row: Video | None) -> str | None:
    stage = session.get(AssetStage, (asset_id, TRANSCODE))
    if stage is None:
        return "not made here (ALBUMEN_TRANSCODE=off)"
    if stage.state == FAILED:
        return f"failed: {stage.error}"
    if stage.state == DONE:
        return "not wanted for it (ALBUMEN_TRANSCODE, ALBUMEN_TRANSCODE_MAX_SECONDS)"
    if stage.state == RUNNING and stage.progress_total:
        return f"being made ({stage.progress_done or 0} of {stage.progress_total} s)"
    return None
