"""Web copies of videos browsers cannot play (HEVC, AVI, MTS…): H.264 (or AV1) with AAC audio
in an MP4 that starts playing before it is all loaded (``faststart``).

The picture is encoded in segments of the clip's time (``segments``): each one a video-only MP4
of its own (``encode_segment``), started on a key frame, its timestamps those of the original.
A job killed half-way keeps the segments it finished and makes only the rest. ``join`` then
copies the segments' packets one after another into the web copy (no second encode: the
timestamps already follow on) and encodes the sound from the original in the same pass, so
there is no gap or click at the joins. Memory stays flat whatever the length: packets are
decoded, scaled by FFmpeg, encoded and written as they come, and the join interleaves picture
and sound by time instead of buffering either.

HDR (HLG, PQ) is tone-mapped to SDR BT.709 (``media/hdr.py``). Timestamps are carried over
as they are, so a variable frame rate stays variable (no dropped or doubled frames); the
display matrix is carried over too (browsers turn the picture as the original says). The
caller is told how far it is about every second of video and may stop it
(a cancelled job); the partial files are its to remove.
"""

from __future__ import annotations

import contextlib
import fractions
import heapq
import itertools
import math
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

from albumen.errors import Cancelled, MediaDecodeError
from albumen.media import hdr
from albumen.media.video import VideoInfo, opened

# Codecs albumen encodes web copies with: the encoder and its pixel format.
ENCODERS = {"h264": ("libx264", "yuv420p"), "av1": ("libsvtav1", "yuv420p")}
AUDIO_RATE = 48_000
AUDIO_BITRATE = 128_000
# A seek lands on the key frame at or before the point asked for; some containers (MPEG-TS,
# AVI) land only roughly, so a segment seeks this much earlier and decodes up to its start.
_SEEK_MARGIN = 3.0

Progress = Callable[[float], bool]


@dataclass(frozen=True)
class Plan:
    codec: str  # h264 or av1
    max_height: int  # short side of the picture as displayed, at most
    preset: str  # x264's speed/size trade-off (ultrafast … veryslow); SVT-AV1 takes 0-13
    crf: int  # constant quality (lower is better, bigger)

    def size(self, info: VideoInfo) -> tuple[int, int]:
        """The coded size of the copy (even numbers, never larger than the original)."""
        short = min(info.width, info.height)
        scale = min(1.0, self.max_height / short)
        return (max(2, round(info.coded_width * scale / 2) * 2),
                max(2, round(info.coded_height * scale / 2) * 2))


@dataclass(frozen=True)
class Segment:
    index: int
    start: Fraction  # seconds of the original, inclusive
    end: Fraction | None  # exclusive; None: to the end


@dataclass(frozen=True)
class WebCopy:
    width: int  # as displayed
    height: int
    codec: str
    duration: float | None


def segments(info: VideoInfo, seconds: float) -> list[Segment]:
    """The clip cut into pieces of ``seconds`` (one piece when its length is unknown)."""
    length = Fraction(seconds).limit_denominator(1000)
    if not info.duration or length <= 0:
        return [Segment(0, Fraction(0), None)]
    count = max(1, math.ceil(Fraction(info.duration).limit_denominator(1000) / length))
    return [Segment(i, i * length, None if i == count - 1 else (i + 1) * length)
            for i in range(count)]


def encode_segment(source: Path, target: Path, info: VideoInfo, plan: Plan, segment: Segment,
                   progress: Progress | None = None) -> int:
    """Encode the frames of ``segment`` to ``target`` (video only); returns how many.
    ``progress(seconds_done)`` is called about once a second of video; when it returns False
    the encoding stops (Cancelled)."""
    encoder, pixel_format = ENCODERS[plan.codec]
    width, height = plan.size(info)
    count = 0
    with opened(source) as inp:
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        out = av.open(str(target), "w", format="mp4")
        try:
            vout = out.add_stream(encoder, rate=_rate(info))
            vout.width, vout.height, vout.pix_fmt = width, height, pixel_format
            vout.time_base = vin.time_base
            vout.codec_context.time_base = vin.time_base
            vout.options = _options(plan)
            if info.rotation:  # carried into the web copy with the segments' parameters
                vout.set_display_rotation(info.rotation)
            next_report = float(segment.start) + 1.0
            convert = None
            for frame in _frames(inp, vin, segment):
                if convert is None:
                    convert = _converter(frame, vout, width, height, pixel_format)
                _put(out, vout, convert(frame))
                count += 1
                done = float(frame.time or 0.0)
                if progress is not None and done >= next_report:
                    next_report = done + 1.0
                    if not progress(done):
                        raise Cancelled("cancelled while making the web copy")
            _flush(out, vout)
        except av.error.FFmpegError as exc:
            raise MediaDecodeError(f"the web copy could not be made: {exc}") from None
        finally:
            out.close()
    return count


def _converter(first: av.VideoFrame, vout: av.stream.Stream, width: int, height: int,
               pixel_format: str) -> Callable[[av.VideoFrame], av.VideoFrame]:
    """How the frames become the encoder's: scaled, and tone-mapped to BT.709 when HDR."""
    if not hdr.is_hdr(first):
        return lambda frame: frame.reformat(width, height, pixel_format)
    context = vout.codec_context  # tagged SDR BT.709: players show it as it now is
    context.color_primaries = context.color_trc = context.colorspace = hdr.BT709
    context.color_range = hdr.LIMITED
    return hdr.ToSdr(width, height, pixel_format)


def _frames(inp: av.container.InputContainer, vin: av.stream.Stream,
            segment: Segment) -> Iterator[av.VideoFrame]:
    """The decoded frames whose time falls in ``segment``."""
    tb = vin.time_base
    frames = _decoded(inp, vin)
    if segment.start > 0 and _seek(inp, vin, segment.start):
        frames = _decoded(inp, vin)
        first = next(frames, None)
        if first is not None and first.pts * tb > segment.start:
            inp.seek(0, stream=vin, backward=True)  # landed past the start (a rough seek)
            frames = _decoded(inp, vin)
        elif first is not None:
            frames = itertools.chain([first], frames)
    for frame in frames:
        when = frame.pts * tb
        if when < segment.start:
            continue
        if segment.end is not None and when >= segment.end:
            return
        yield frame


def _decoded(inp: av.container.InputContainer, vin: av.stream.Stream
             ) -> Iterator[av.VideoFrame]:
    for packet in inp.demux(vin):
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue  # a damaged packet: skipped, as players do
        yield from (frame for frame in frames if frame.pts is not None)


def _seek(inp: av.container.InputContainer, vin: av.stream.Stream, start: Fraction) -> bool:
    at = max(Fraction(0), start - Fraction(_SEEK_MARGIN))
    try:
        inp.seek(int(at / vin.time_base), stream=vin, backward=True, any_frame=False)
    except av.error.FFmpegError:
        return False
    return True


def join(source: Path, parts: list[Path], target: Path, info: VideoInfo, plan: Plan
         ) -> WebCopy:
    """The web copy: the encoded segments' packets in order, with the original's sound
    encoded to AAC beside them."""
    width, height = plan.size(info)
    with contextlib.ExitStack() as stack:
        readers = [stack.enter_context(opened(part)) for part in parts]
        inp = stack.enter_context(opened(source))
        ain = inp.streams.audio[0] if inp.streams.audio else None
        out = av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"})
        try:
            template = readers[0].streams.video[0]
            for reader in readers[1:]:
                if reader.streams.video[0].codec_context.extradata != \
                        template.codec_context.extradata:
                    raise MediaDecodeError("the segments of the web copy were encoded "
                                           "differently (FFmpeg changed?); ask for it again")
            vout = out.add_stream_from_template(template)
            packets = [_copied(readers, vout)]
            if ain is not None:
                aout = out.add_stream("aac", rate=AUDIO_RATE)
                aout.bit_rate = AUDIO_BITRATE
                aout.layout = "stereo" if (info.audio_channels or 2) > 1 else "mono"
                packets.append(_sound(inp, ain, aout))
            for _, packet in heapq.merge(*packets, key=lambda item: item[0]):
                out.mux(packet)
        except av.error.FFmpegError as exc:
            raise MediaDecodeError(f"the web copy could not be made: {exc}") from None
        finally:
            out.close()
    shown = (height, width) if info.rotation in (90, 270) else (width, height)
    return WebCopy(shown[0], shown[1], plan.codec, info.duration)


def _copied(readers: list[av.container.InputContainer], vout: av.stream.Stream
            ) -> Iterator[tuple[Fraction, av.Packet]]:
    for reader in readers:
        stream = reader.streams.video[0]
        for packet in reader.demux(stream):
            if packet.dts is None:
                continue  # the demuxer's end-of-stream marker
            when = packet.dts * stream.time_base
            packet.stream = vout
            yield when, packet


def _sound(inp: av.container.InputContainer, ain: av.stream.Stream, aout: av.stream.Stream
           ) -> Iterator[tuple[Fraction, av.Packet]]:
    resampler = av.AudioResampler(format="fltp", layout=aout.layout.name, rate=AUDIO_RATE,
                                  frame_size=1024)

    def encoded(frame: av.AudioFrame | None) -> Iterator[tuple[Fraction, av.Packet]]:
        for packet in aout.encode(frame):
            yield (packet.dts or 0) * packet.time_base, packet

    for packet in inp.demux(ain):
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue
        for frame in frames:
            for chunk in resampler.resample(frame):
                yield from encoded(chunk)
    for chunk in resampler.resample(None):
        yield from encoded(chunk)
    yield from encoded(None)


def make_web_copy(source: Path, target: Path, info: VideoInfo, plan: Plan,
                  segment_seconds: float, progress: Progress | None = None) -> WebCopy:
    """The whole web copy in one go (segments in a temporary folder, then joined): for tools
    and benchmarks; the job records each segment so a restart goes on from the last one."""
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        parts = []
        for segment in segments(info, segment_seconds):
            part = Path(folder) / f"{segment.index}.mp4"
            encode_segment(source, part, info, plan, segment, progress)
            parts.append(part)
        return join(source, parts, target, info, plan)


def _rate(info: VideoInfo) -> fractions.Fraction:
    return fractions.Fraction(info.fps or 30).limit_denominator(1001)


def _options(plan: Plan) -> dict[str, str]:
    if plan.codec == "av1":
        return {"preset": plan.preset if plan.preset.isdigit() else "10", "crf": str(plan.crf)}
    return {"preset": plan.preset, "crf": str(plan.crf), "profile": "high"}


def _put(out: av.container.OutputContainer, stream: av.stream.Stream,
         frame: av.VideoFrame) -> None:
    for packet in stream.encode(frame):
        out.mux(packet)


def _flush(out: av.container.OutputContainer, stream: av.stream.Stream) -> None:
    for packet in stream.encode(None):
        out.mux(packet)
