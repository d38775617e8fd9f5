"""Web copies of videos browsers cannot play (HEVC, AVI, MTS…): H.264 (or AV1) with AAC audio
in an MP4 that starts playing before it is all loaded (``faststart``).

One pass with PyAV: packets are demuxed, decoded, scaled by FFmpeg, encoded and muxed as they
come, so memory stays flat whatever the length. Timestamps are carried over as they are, so a
variable frame rate stays variable (no dropped or doubled frames); the display matrix is
carried over too (browsers turn the picture as the original says). The caller is told how far
it is every second of video and may stop it (a cancelled job); the partial file is its to
remove.
"""

from __future__ import annotations

import fractions
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import av.error

from albumen.errors import Cancelled, MediaDecodeError
from albumen.media.video import VideoInfo, opened

# Codecs albumen encodes web copies with: the encoder and its pixel format.
ENCODERS = {"h264": ("libx264", "yuv420p"), "av1": ("libsvtav1", "yuv420p")}
AUDIO_RATE = 48_000
AUDIO_BITRATE = 128_000


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
class WebCopy:
    width: int  # as displayed
    height: int
    codec: str
    duration: float | None


def make_web_copy(source: Path, target: Path, info: VideoInfo, plan: Plan,
                  progress: Callable[[float], bool] | None = None) -> WebCopy:
    """Write the web copy of ``source`` to ``target``. ``progress(seconds_done)`` is called
    about once a second of video; when it returns False the copy stops (Cancelled)."""
    encoder, pixel_format = ENCODERS[plan.codec]
    width, height = plan.size(info)
    with opened(source) as inp:
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        ain = inp.streams.audio[0] if inp.streams.audio else None
        out = av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"})
        try:
            vout = out.add_stream(encoder, rate=_rate(info))
            vout.width, vout.height, vout.pix_fmt = width, height, pixel_format
            vout.time_base = vin.time_base
            vout.codec_context.time_base = vin.time_base
            vout.options = _options(plan)
            if info.rotation:
                vout.set_display_rotation(info.rotation)
            aout = resampler = None
            if ain is not None:
                aout = out.add_stream("aac", rate=AUDIO_RATE)
                aout.bit_rate = AUDIO_BITRATE
                aout.layout = "stereo" if (info.audio_channels or 2) > 1 else "mono"
                resampler = av.AudioResampler(format="fltp", layout=aout.layout.name,
                                              rate=AUDIO_RATE, frame_size=1024)
            next_report = 1.0
            streams = [vin] if ain is None else [vin, ain]
            for packet in inp.demux(streams):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    continue  # a damaged packet: skipped, as players do
                for frame in frames:
                    if packet.stream is vin:
                        _put(out, vout, frame.reformat(width, height, pixel_format))
                        done = float(frame.time or 0.0)
                        if progress is not None and done >= next_report:
                            next_report = done + 1.0
                            if not progress(done):
                                raise Cancelled("cancelled while making the web copy")
                    elif resampler is not None and aout is not None:
                        for chunk in resampler.resample(frame):
                            _put(out, aout, chunk)
            _flush(out, vout)
            if aout is not None and resampler is not None:
                for chunk in resampler.resample(None):
                    _put(out, aout, chunk)
                _flush(out, aout)
        except av.error.FFmpegError as exc:
            raise MediaDecodeError(f"the web copy could not be made: {exc}") from None
        finally:
            out.close()
    shown = (height, width) if info.rotation in (90, 270) else (width, height)
    return WebCopy(shown[0], shown[1], plan.codec, info.duration)


def _rate(info: VideoInfo) -> fractions.Fraction:
    return fractions.Fraction(info.fps or 30).limit_denominator(1001)


def _options(plan: Plan) -> dict[str, str]:
    if plan.codec == "av1":
        return {"preset": plan.preset if plan.preset.isdigit() else "10", "crf": str(plan.crf)}
    return {"preset": plan.preset, "crf": str(plan.crf), "profile": "high",
            "movflags": "+faststart"}


def _put(out: av.container.OutputContainer, stream: av.stream.Stream,
         frame: av.VideoFrame | av.AudioFrame) -> None:
    for packet in stream.encode(frame):
        out.mux(packet)


def _flush(out: av.container.OutputContainer, stream: av.stream.Stream) -> None:
    for packet in stream.encode(None):
        out.mux(packet)
