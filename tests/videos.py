"""Real video files for the tests, encoded with PyAV (FFmpeg's encoders in its wheel): moving
pictures (a photo panned, or a pattern), a tone for audio, QuickTime/MP4 metadata as phones
write it, a display matrix for rotation, variable frame rates."""

from __future__ import annotations

import fractions
from pathlib import Path

import av
import numpy as np
from PIL import Image

APPLE_PARIS = {
    "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
    "com.apple.quicktime.creationdate": "2024-06-01T14:34:56+0200",
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 15 Pro",
}


def _pattern(i: int, width: int, height: int, dark_frames: int) -> np.ndarray:
    if i < dark_frames:
        return np.zeros((height, width, 3), np.uint8)
    y, x = np.mgrid[0:height, 0:width]
    img = np.empty((height, width, 3), np.uint8)
    img[..., 0] = (x * 255 // max(1, width - 1)).astype(np.uint8)
    img[..., 1] = ((y + i * 3) % 256).astype(np.uint8)
    img[..., 2] = (((x // 16 + y // 16) % 2) * 200 + 30).astype(np.uint8)
    left = (i * 7) % max(1, width - width // 5)
    img[height // 3: height // 3 + height // 4, left: left + width // 5] = 255
    return img


def _panned(photo: np.ndarray, i: int, n: int, width: int, height: int) -> np.ndarray:
    """A window of the photo moving across it (a camera panning over a scene)."""
    ph, pw = photo.shape[:2]
    scale = max(width / pw, height / ph) * 1.25
    big = np.asarray(Image.fromarray(photo).resize((round(pw * scale), round(ph * scale))))
    bh, bw = big.shape[:2]
    x = round((bw - width) * i / max(1, n - 1))
    y = round((bh - height) * i / max(1, n - 1) / 2)
    return np.ascontiguousarray(big[y:y + height, x:x + width])


def make_clip(path: Path, *, seconds: float = 2.0, fps: int = 30, width: int = 640,
              height: int = 360, codec: str = "libx264", container: str | None = None,
              audio: bool = True, metadata: dict[str, str] | None = None,
              rotation: int = 0, dark_frames: int = 0, photo: np.ndarray | None = None,
              variable: bool = False, preset: str = "ultrafast", hdr: bool = False) -> Path:
    """Encode a clip. ``dark_frames``: the first frames black (a poster must skip them);
    ``photo``: pan across it instead of a pattern; ``variable``: uneven frame times; ``hdr``:
    10-bit HEVC tagged HLG in BT.2020, as phones record (the pattern's values read as HLG)."""
    fmt = container or {".mov": "mov", ".webm": "webm", ".mkv": "matroska", ".avi": "avi",
                        ".mts": "mpegts", ".ts": "mpegts"}.get(path.suffix, "mp4")
    options = {"movflags": "use_metadata_tags"} if fmt in ("mov", "mp4") and metadata else {}
    out = av.open(str(path), "w", format=fmt, options=options)
    if metadata:
        out.metadata.update(metadata)
    stream = out.add_stream(codec, rate=fps)
    stream.width, stream.height = width, height
    stream.pix_fmt = "yuv420p10le" if hdr else "yuv420p"
    if codec in ("libx264", "libx265"):
        stream.options = {"preset": preset}
    if hdr:
        stream.options = {"preset": preset, "x265-params": "colorprim=bt2020:"
                          "transfer=arib-std-b67:colormatrix=bt2020nc:log-level=error"}
        context = stream.codec_context
        context.color_primaries, context.color_trc, context.colorspace = 9, 18, 9
        context.color_range = 1
    if variable:
        stream.codec_context.time_base = fractions.Fraction(1, 1000)
    if rotation:
        stream.set_display_rotation(rotation)
    sound = _audio_stream(out) if audio else None
    frames = max(1, round(seconds * fps))
    clock = 0
    for i in range(frames):
        pixels = (_panned(photo, i, frames, width, height) if photo is not None
                  else _pattern(i, width, height, dark_frames))
        frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
        if hdr:
            frame = frame.reformat(format="yuv420p10le", dst_colorspace=9)
        if variable:
            frame.pts = clock
            frame.time_base = fractions.Fraction(1, 1000)
            clock += 1000 // fps * (3 if i % 4 == 3 else 1)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    if sound is not None:
        _tone(out, sound, seconds)
    out.close()
    return path


def _audio_stream(out: av.container.OutputContainer) -> av.AudioStream:
    codec = "libopus" if out.format.name == "webm" else (
        "mp2" if out.format.name in ("mpegts", "avi") else "aac")
    stream = out.add_stream(codec, rate=48_000)
    stream.layout = "mono"
    return stream


def _tone(out: av.container.OutputContainer, stream: av.AudioStream, seconds: float) -> None:
    codec = stream.codec_context.name
    rate = 48_000
    samples = int(rate * seconds)
    wave = (np.sin(2 * np.pi * 440 * np.arange(samples) / rate) * 0.2).astype(np.float32)
    size = stream.codec_context.frame_size or 1024
    fmt = "fltp" if codec != "mp2" else "s16"
    for start in range(0, samples - size + 1, size):
        chunk = wave[None, start:start + size]
        if fmt == "s16":
            chunk = (chunk * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format=fmt,
                                           layout="mono")
        frame.sample_rate = rate
        frame.pts = start
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


def apple_maker_note(content_identifier: str) -> bytes:
    """An Apple maker note as iPhones write it ("Apple iOS", version 1, big-endian, one IFD
    whose offsets count from the note's start) with the Live Photo ContentIdentifier (0x11)."""
    import struct

    header = b"Apple iOS\x00\x00\x01MM"
    value = content_identifier.encode("ascii") + b"\x00"
    entries = [(0x0001, 9, 1, 14), (0x0011, 2, len(value), 0)]  # (a version field first)
    data_at = len(header) + 2 + 12 * len(entries) + 4
    body = struct.pack(">H", len(entries))
    for tag, kind, count, inline in entries:
        body += struct.pack(">HHII", tag, kind, count, data_at if tag == 0x0011 else inline)
    return header + body + b"\x00\x00\x00\x00" + value


def live_photo_jpeg(content_identifier: str, seed: int = 1) -> bytes:
    """An iPhone-like JPEG still whose maker note names its Live Photo clip."""
    import io

    import piexif

    rng = np.random.default_rng(seed)
    pixels = (rng.random((48, 64, 3)) * 255).astype(np.uint8)
    exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Apple",
                                piexif.ImageIFD.Model: b"iPhone 15 Pro"},
                        "Exif": {piexif.ExifIFD.MakerNote: apple_maker_note(
                            content_identifier)}})
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", exif=exif)
    return buf.getvalue()
