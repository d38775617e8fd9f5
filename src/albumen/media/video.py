"""Video files: what a clip is (container, streams, capture time and place), and its frames.

PyAV reads them: FFmpeg's libraries ship inside its wheel, so nothing is installed beside
albumen. The original is only ever read. Frames come out upright (the display matrix applied)
and scaled by FFmpeg while converted, so a 4K clip never costs a 4K array unless asked for.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import av.error
import cv2
import numpy as np

from albumen.errors import MediaDecodeError, RejectedFile
from albumen.media import hdr
from albumen.media.metadata import CaptureTime, iso_datetime

if TYPE_CHECKING:
    from albumen.config import Settings

log = logging.getLogger(__name__)

# Containers FFmpeg names by several formats ("mov,mp4,m4a,3gp,3g2,mj2"): the name we keep.
_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "matroska", "avi": "avi",
               "mpegts": "mpegts"}
# What browsers play without a web copy: these codecs in MP4/MOV or WebM/Matroska, 8-bit 4:2:0.
BROWSER_VIDEO = frozenset({"h264", "vp8", "vp9", "av1"})
BROWSER_AUDIO = frozenset({"aac", "mp3", "opus", "vorbis", "flac"})
BROWSER_CONTAINERS = frozenset({"mp4", "matroska"})
_BROWSER_PIXELS = frozenset({"yuv420p", "yuvj420p", "nv12"})
_MAX_TAG = 512  # longer metadata values are not kept raw
_RAW_TAGS = 60
_VFR_PACKETS = 120  # packets read to tell a variable frame rate
# A QuickTime file whose clock was never set says 1904 (its epoch) or 1970.
_EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class VideoLimits:
    max_seconds: float
    max_dimension: int
    max_pixels: int
    max_fps: float

    @classmethod
    def of(cls, settings: Settings) -> VideoLimits:
        return cls(settings.video_max_seconds, settings.video_max_dimension,
                   settings.max_image_pixels, settings.video_max_fps)


@dataclass
class VideoInfo:
    container: str  # mp4 (MP4/MOV/3GP), matroska (MKV/WebM), avi, mpegts (TS/MTS/M2TS)
    duration: float | None  # seconds
    width: int  # as displayed (rotation applied)
    height: int
    coded_width: int
    coded_height: int
    rotation: int  # degrees the picture is turned counter-clockwise to display: 0/90/180/270
    fps: float | None
    frames: int | None  # as the container says, else estimated from duration and rate
    variable_frame_rate: bool
    video_codec: str
    profile: str | None
    pixel_format: str | None
    bit_rate: int | None
    audio_codec: str | None = None
    audio_channels: int | None = None
    audio_sample_rate: int | None = None
    taken: CaptureTime | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    make: str | None = None
    model: str | None = None
    content_identifier: str | None = None  # Apple's Live Photo pairing key
    tags: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def browser_playable(self) -> bool:
        """Whether browsers play the original as it is (else a web copy is made)."""
        return (self.container in BROWSER_CONTAINERS and self.video_codec in BROWSER_VIDEO
                and (self.pixel_format or "yuv420p") in _BROWSER_PIXELS
                and (self.audio_codec is None or self.audio_codec in BROWSER_AUDIO))


@contextmanager
def opened(path: Path) -> Iterator[av.container.InputContainer]:
    """The file as a container, any FFmpeg failure a MediaDecodeError naming it."""
    try:
        container = av.open(str(path), "r", options={"probesize": str(32 << 20)})
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MediaDecodeError(f"not a readable video container: {_reason(exc)}") from None
    try:
        yield container
    except av.error.FFmpegError as exc:
        raise MediaDecodeError(f"the video cannot be decoded: {_reason(exc)}") from None
    finally:
        container.close()


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return re.sub(r"\s*:\s*'[^']*'$", "", text).strip() or type(exc).__name__


def probe(path: Path, limits: VideoLimits, *, decode: bool = False) -> VideoInfo:
    """Read what a clip is. A file without a video stream, or over a limit (duration, size,
    frame rate: a bomb's claims), is RejectedFile; one FFmpeg cannot read is MediaDecodeError.
    ``decode``: decode the first frame too (its display matrix gives the rotation; a stream
    whose frames cannot be decoded is MediaDecodeError)."""
    with opened(path) as container:
        if not container.streams.video:
            kinds = sorted({s.type for s in container.streams}) or ["no streams"]
            raise RejectedFile(f"the file has no video stream (only {', '.join(kinds)})")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        if not ctx.width or not ctx.height:
            raise MediaDecodeError("the video stream has no picture size")
        tags = _tags(container, stream)
        fps = _rate(stream)
        duration = _duration(container, stream)
        info = VideoInfo(
            container=_CONTAINERS.get(container.format.name, container.format.name),
            duration=duration, width=ctx.width, height=ctx.height,
            coded_width=ctx.width, coded_height=ctx.height, rotation=0, fps=fps,
            frames=(stream.frames or (round(duration * fps) if duration and fps else None)),
            variable_frame_rate=False, video_codec=ctx.name, profile=ctx.profile,
            pixel_format=ctx.pix_fmt, bit_rate=container.bit_rate or ctx.bit_rate or None,
            tags=tags)
        _check_limits(info, limits)
        audio = container.streams.audio[0] if container.streams.audio else None
        if audio is not None:
            info.audio_codec = audio.codec_context.name
            info.audio_channels = audio.codec_context.channels or None
            info.audio_sample_rate = audio.codec_context.sample_rate or None
        info.variable_frame_rate = _variable_rate(container, stream)
        if decode:
            _first_frame(container, info)
    _read_tags(info, tags)
    return info


def _first_frame(container: av.container.InputContainer, info: VideoInfo) -> None:
    container.seek(0)
    stream = _decoding(container)
    try:
        frame = next(container.decode(stream), None)
    except av.error.FFmpegError as exc:
        raise MediaDecodeError(f"no frame of the video can be decoded: {_reason(exc)}") from None
    if frame is None:
        raise MediaDecodeError("no frame of the video can be decoded (no picture data)")
    info.rotation = round((frame.rotation or 0) / 90) % 4 * 90
    if info.rotation in (90, 270):
        info.width, info.height = info.coded_height, info.coded_width


def _rate(stream: av.video.stream.VideoStream) -> float | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and rate.denominator and float(rate) > 0:
            return round(float(rate), 3)
    return None


def _duration(container: av.container.InputContainer,
              stream: av.video.stream.VideoStream) -> float | None:
    if stream.duration and stream.time_base:
        return round(float(stream.duration * stream.time_base), 3)
    if container.duration:
        return round(container.duration / av.time_base, 3)
    return None


def _check_limits(info: VideoInfo, limits: VideoLimits) -> None:
    w, h = info.coded_width, info.coded_height
    if max(w, h) > limits.max_dimension or w * h > limits.max_pixels:
        raise RejectedFile(
            f"the video is {w}x{h} pixels, over the limit of {limits.max_dimension} pixels a "
            f"side and {limits.max_pixels:,} in all (ALBUMEN_VIDEO_MAX_DIMENSION)",
            details={"width": w, "height": h})
    if info.duration is not None and info.duration > limits.max_seconds:
        raise RejectedFile(
            f"the video is {_clock(info.duration)} long, over the limit of "
            f"{_clock(limits.max_seconds)} (ALBUMEN_VIDEO_MAX_SECONDS)",
            details={"duration": info.duration, "max_seconds": limits.max_seconds})
    if info.fps is not None and info.fps > limits.max_fps:
        raise RejectedFile(
            f"the video claims {info.fps:g} frames a second, over the limit of "
            f"{limits.max_fps:g} (ALBUMEN_VIDEO_MAX_FPS)", details={"fps": info.fps})
    most = limits.max_seconds * limits.max_fps
    if info.frames is not None and info.frames > most:
        raise RejectedFile(f"the video claims {info.frames:,} frames, more than "
                           f"{most:,.0f} (its length and frame rate limits allow)",
                           details={"frames": info.frames})


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _variable_rate(container: av.container.InputContainer,
                   stream: av.video.stream.VideoStream) -> bool:
    """Whether frames come at uneven intervals (phones record so in low light): the first
    packets' timestamps tell, read without decoding."""
    stamps = []
    try:
        for packet in container.demux(stream):
            if packet.pts is not None:
                stamps.append(packet.pts)
            if len(stamps) >= _VFR_PACKETS:
                break
    except av.error.FFmpegError:
        pass
    if len(stamps) < 8:
        return False
    steps = np.diff(np.sort(np.asarray(stamps, dtype=np.float64)))
    steps = steps[steps > 0]
    if steps.size < 4:
        return False
    return bool(steps.max() > 1.5 * np.median(steps) or steps.min() < np.median(steps) / 1.5)


def _tags(container: av.container.InputContainer,
          stream: av.video.stream.VideoStream) -> dict[str, str]:
    tags: dict[str, str] = {}
    for source in (stream.metadata, container.metadata):  # the container's win
        for key, value in source.items():
            if isinstance(value, str) and len(value) <= _MAX_TAG:
                tags[str(key)[:100]] = value.replace("\x00", "")
    return dict(list(tags.items())[:_RAW_TAGS])


def _read_tags(info: VideoInfo, tags: dict[str, str]) -> None:
    """Capture time, place, camera and the Live Photo key from QuickTime/MP4 atoms and
    Matroska tags (Apple's com.apple.quicktime.*, Android's com.android.*, the standard
    creation_time and location)."""
    info.taken = _capture_time(tags, info.errors)
    where = _first(tags, "com.apple.quicktime.location.ISO6709", "location",
                   "location-eng", "com.android.location")
    if where:
        try:
            info.latitude, info.longitude, info.altitude = iso6709(where)
        except ValueError as exc:
            info.errors.append(str(exc))
    info.make = _first(tags, "com.apple.quicktime.make", "make", "com.android.manufacturer")
    info.model = _first(tags, "com.apple.quicktime.model", "model", "com.android.model")
    info.content_identifier = _first(tags, "com.apple.quicktime.content.identifier")


def _first(tags: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        value = (tags.get(key) or "").strip()
        if value:
            return value[:200]
    return None


def _capture_time(tags: dict[str, str], errors: list[str]) -> CaptureTime | None:
    """Apple's creation date keeps the local time and its offset; creation_time is UTC."""
    local = _first(tags, "com.apple.quicktime.creationdate")
    if local:
        try:
            return iso_datetime(local)
        except ValueError as exc:
            errors.append(str(exc))
    stamp = _first(tags, "creation_time", "DATE_RECORDED", "date")
    if not stamp:
        return None
    try:
        taken = iso_datetime(stamp)
    except ValueError as exc:
        errors.append(str(exc))
        return None
    if taken.offset_minutes is None:
        taken = CaptureTime(taken.local, 0)  # MP4's creation_time is UTC
    if taken.utc < _EARLIEST:
        return None
    return taken


_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


def iso6709(text: str) -> tuple[float, float, float | None]:
    """Latitude, longitude (and altitude) of an ISO 6709 position: ``+48.8584+002.2945+035/``
    (degrees), or degrees and minutes (``+4851.50+00217.67/``) and seconds."""
    match = _ISO6709.match(text.strip())
    if match is None:
        raise ValueError(f"unreadable ISO 6709 position {text[:60]!r}")
    lat = _sexagesimal(match[1], 2)
    lon = _sexagesimal(match[2], 3)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"position out of range {text[:60]!r}")
    return round(lat, 7), round(lon, 7), (float(match[3]) if match[3] else None)


def _sexagesimal(part: str, degree_digits: int) -> float:
    sign = -1 if part[0] == "-" else 1
    whole, _, fraction = part[1:].partition(".")
    extra = len(whole) - degree_digits
    if extra <= 0:
        return sign * float(part[1:])
    degrees = int(whole[:degree_digits])
    minutes = float(whole[degree_digits:degree_digits + 2] + (
        "." + fraction if extra == 2 and fraction else ""))
    seconds = float(whole[degree_digits + 2:] + ("." + fraction if fraction else "")) \
        if extra >= 4 else 0.0
    return sign * (degrees + minutes / 60 + seconds / 3600)


# ---------------------------------------------------------------- frames


def upright(frame: av.VideoFrame, size: tuple[int, int] | None = None) -> np.ndarray:
    """The frame as RGB pixels (HDR tone-mapped to SDR), scaled to ``size`` (width, height as
    displayed) and turned by its display matrix."""
    turns = round((frame.rotation or 0) / 90) % 4
    if size is not None and turns % 2:
        size = (size[1], size[0])
    width, height = size if size is not None else (frame.width, frame.height)
    pixels = hdr.sdr_rgb(frame, width, height)
    if turns:
        pixels = np.ascontiguousarray(np.rot90(pixels, turns))
    return pixels


def fit(info: VideoInfo, short_side: int) -> tuple[int, int]:
    """Displayed size scaled so the short side is at most ``short_side`` (never up), even."""
    scale = min(1.0, short_side / min(info.width, info.height))
    return (max(2, round(info.width * scale / 2) * 2), max(2, round(info.height * scale / 2) * 2))


def _decoding(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    return stream


def frames_at(path: Path, times: list[float], info: VideoInfo, short_side: int,
              *, exact: bool = True) -> list[tuple[float, np.ndarray]]:
    """A frame near each of ``times`` (seconds), scaled to ``short_side``: the first frame at
    or after the time (``exact``; the decoder runs on from the keyframe before it: up to a
    whole group of pictures each) or the keyframe at or before it (fast: one picture each;
    times in one group of pictures give the same frame again)."""
    size = fit(info, short_side)
    out: list[tuple[float, np.ndarray]] = []
    with opened(path) as container:
        stream = _decoding(container)
        if not exact:
            stream.codec_context.skip_frame = "NONKEY"
        base = stream.time_base
        for t in sorted(times):
            if exact and out and out[-1][0] >= t:
                continue  # the last frame taken is already past this time
            container.seek(max(0, int(t / base)) if base else 0, stream=stream,
                           backward=True, any_frame=False)
            chosen = None
            try:
                for frame in container.decode(stream):
                    chosen = frame
                    if not exact or frame.time is None or frame.time >= t - 1e-3:
                        break
            except av.error.InvalidDataError as exc:
                log.info("%s: damaged frames near %.1f s: %s", path.name, t, _reason(exc))
            if chosen is not None:
                out.append((float(chosen.time or 0.0), upright(chosen, size)))
    return out


def _score(frame: av.VideoFrame) -> tuple[float, bool]:
    """Sharpness (variance of the Laplacian of a small grey copy) and whether the frame shows
    something: not black, not blown out, not a flat fade."""
    grey = frame.to_ndarray(format="gray", width=320, height=max(2, round(
        320 * frame.height / max(1, frame.width))))
    mean, std = float(grey.mean()), float(grey.std())
    sharp = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    return sharp, 24 <= mean <= 235 and std >= 10


def poster(path: Path, info: VideoInfo, short_side: int,
           window: float = 2.0, candidates: int = 5) -> tuple[float, np.ndarray]:
    """A sharp frame near the start: of frames spread over the first ``window`` seconds (or
    the first half of a shorter clip), the sharpest that is not black, blown out or a fade;
    the first such if none is; the first frame if all are. Returns its time and pixels."""
    length = info.duration or window
    span = min(window, length / 2) if length > 0 else 0.0
    marks = [span * i / max(1, candidates - 1) for i in range(candidates)]
    best: tuple[float, av.VideoFrame] | None = None
    first: av.VideoFrame | None = None
    with opened(path) as container:
        stream = _decoding(container)
        want = 0
        try:
            for frame in container.decode(stream):
                first = first or frame
                t = float(frame.time or 0.0)
                if t + 1e-3 < marks[want]:
                    continue
                while want < len(marks) and marks[want] <= t + 1e-3:
                    want += 1
                sharp, shows = _score(frame)
                if shows and (best is None or sharp > best[0]):
                    best = (sharp, frame)
                if want >= len(marks):
                    break
        except av.error.InvalidDataError as exc:
            log.info("%s: damaged frames at the start: %s", path.name, _reason(exc))
        chosen = best[1] if best is not None else first
        if chosen is None:
            raise MediaDecodeError("no frame of the video could be decoded")
        return float(chosen.time or 0.0), upright(chosen, fit(info, short_side))


def strip_times(info: VideoInfo, count: int) -> list[float]:
    """Evenly spread times for a scrub strip (the middle of each of ``count`` parts)."""
    length = info.duration or 0.0
    if length <= 0:
        return [0.0]
    return [length * (i + 0.5) / count for i in range(count)]


def sample_times(info: VideoInfo, every: float, most: int) -> list[float]:
    """Times to look at a clip's content (faces, screening): one every ``every`` seconds, at
    most ``most`` spread over the whole clip, the first half a step in."""
    length = info.duration or 0.0
    count = max(1, min(most, math.ceil(length / every))) if length > 0 else 1
    return [length * (i + 0.5) / count for i in range(count)]


def as_dict(info: VideoInfo) -> dict[str, Any]:
    """What the API shows of a clip."""
    return {"duration": info.duration, "container": info.container,
            "video_codec": info.video_codec, "profile": info.profile, "fps": info.fps,
            "frames": info.frames, "variable_frame_rate": info.variable_frame_rate,
            "rotation": info.rotation, "bit_rate": info.bit_rate,
            "audio_codec": info.audio_codec, "audio_channels": info.audio_channels,
            "audio_sample_rate": info.audio_sample_rate}
