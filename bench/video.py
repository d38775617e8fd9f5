"""Video (issue 28): the processing spine of a clip, web copies, Range requests, big uploads.

Run: ``.venv/bin/python bench/video.py [--only spine|transcode|range|upload] [--out DIR]
[--repeat 3] [--transcode-seconds 30] [--preset superfast]``

(a) spine      a generated 1-minute 1080p30 H.264 clip with AAC sound (a camera panning over
               a real photo, with sensor noise): metadata + poster + thumbnail + scrub strip,
               i.e. albumen's metadata and derivatives stages (library/video.py), median of
               ``--repeat`` runs on one core. Baseline in the same run: decoding every frame
               of the clip with PyAV (what a naive poster pick costs). Target < 1.5 s.
(b) transcode  a generated 1080p30 HEVC clip of ``--transcode-seconds`` made into the web
               copy (1080p H.264 + AAC, media/transcode.py) with ``--preset`` on 2 cores:
               seconds of video per second. Baseline in the same run: decoding the HEVC alone
               (the copy can be no faster). Target >= 1x real time.
(c) range      ``albumen serve`` with a 1 GB clip uploaded (the 1-minute clip's packets
               repeated): Range requests of 1 MB at 50 random seconds of it through the
               playback address, time to the first byte; baseline in the same run: the same
               ranges read from the file. Target: p99 < 50 ms.
(d) upload     a 2 GB clip uploaded (streamed) to ``albumen serve``: the server's peak memory
               (RSS of its process tree, sampled every 50 ms) over its memory before the
               upload. Target: < 50 MB more.

Printed with PASS/MISS lines (never asserted); written to ``OUT/video.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload_load import Server, free_port, login, pct, tree

FACES = Path(__file__).resolve().parent.parent / ".venv" / "test-data" / "faces" / "t1.jpg"
SPINE_TARGET_S = 1.5
TRANSCODE_TARGET = 1.0
RANGE_TARGET_MS = 50.0
UPLOAD_TARGET_MB = 50.0


def _scene() -> np.ndarray:
    if FACES.exists():
        return np.asarray(Image.open(FACES).convert("RGB"))
    rng = np.random.default_rng(7)
    return (rng.random((900, 1300, 3)) * 255).astype(np.uint8)


def make_clip(path: Path, seconds: int, codec: str, width: int = 1920, height: int = 1080,
              fps: int = 30, hdr: bool = False) -> Path:
    """A camera panning over a photo with sensor noise, H.264 or HEVC, with a tone; ``hdr``:
    10-bit HEVC tagged HLG/BT.2020 (as iPhones record)."""
    scene = _scene()
    scale = max(width / scene.shape[1], height / scene.shape[0]) * 1.3
    big = np.asarray(Image.fromarray(scene).resize(
        (round(scene.shape[1] * scale), round(scene.shape[0] * scale)), Image.BICUBIC))
    rng = np.random.default_rng(1)
    noise = [rng.normal(0, 4, (height, width, 3)).astype(np.int16) for _ in range(6)]
    out = av.open(str(path), "w", format="mp4")
    stream = out.add_stream(codec, rate=fps)
    stream.width, stream.height = width, height
    stream.pix_fmt = "yuv420p10le" if hdr else "yuv420p"
    stream.options = {"preset": "ultrafast", "crf": "20"}
    if hdr:
        stream.options["x265-params"] = ("colorprim=bt2020:transfer=arib-std-b67:"
                                         "colormatrix=bt2020nc")
        context = stream.codec_context
        context.color_primaries, context.color_trc, context.colorspace = 9, 18, 9
    sound = out.add_stream("aac", rate=48_000)
    sound.layout = "stereo"
    frames = seconds * fps
    room_x, room_y = big.shape[1] - width, big.shape[0] - height
    for i in range(frames):
        t = i / max(1, frames - 1)
        x = round(room_x * (0.5 + 0.5 * np.sin(2 * np.pi * t * 3)))
        y = round(room_y * (0.5 + 0.5 * np.cos(2 * np.pi * t * 2)))
        window = big[y:y + height, x:x + width].astype(np.int16) + noise[i % len(noise)]
        frame = av.VideoFrame.from_ndarray(np.clip(window, 0, 255).astype(np.uint8), "rgb24")
        if hdr:
            frame = frame.reformat(format="yuv420p10le", dst_colorspace=9)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    wave = (np.sin(2 * np.pi * 440 * np.arange(48_000 * seconds) / 48_000) * 0.2)
    stereo = np.stack([wave, wave]).astype(np.float32)
    for start in range(0, stereo.shape[1] - 1024 + 1, 1024):
        chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(stereo[:, start:start + 1024]),
                                           format="fltp", layout="stereo")
        chunk.sample_rate, chunk.pts = 48_000, start
        for packet in sound.encode(chunk):
            out.mux(packet)
    for packet in sound.encode():
        out.mux(packet)
    out.close()
    return path


def repeat_to(source: Path, target: Path, size: int) -> Path:
    """A long clip: ``source``'s packets again and again (timestamps moved on) until the
    file is ``size`` bytes: a real, playable MP4 of that size, made without encoding."""
    with av.open(str(source)) as inp:
        length = float(inp.duration / av.time_base)
        packets = []
        for packet in inp.demux():
            if packet.dts is not None:
                packets.append((packet.stream.index, bytes(packet), packet.pts, packet.dts,
                                packet.duration, packet.is_keyframe, packet.time_base))
        out = av.open(str(target), "w", format="mp4")
        streams = [out.add_stream_from_template(s) for s in inp.streams]
    loop = 0
    while True:
        for index, data, pts, dts, duration, key, base in packets:
            shift = round(loop * length / base)
            packet = av.Packet(data)
            packet.stream = streams[index]
            packet.time_base = base
            packet.pts, packet.dts = (pts + shift if pts is not None else None), dts + shift
            packet.duration = duration
            packet.is_keyframe = key
            out.mux(packet)
        loop += 1
        if target.stat().st_size >= size:
            break
    out.close()
    return target


def spine(folder: Path, repeat: int) -> dict[str, Any]:
    from albumen.config import Settings
    from albumen.db.models import Asset
    from albumen.library import video as stages
    from albumen.runtime import Runtime

    clip = make_clip(folder / "minute.mp4", 60, "libx264")
    rt = Runtime(Settings(_env_file=None, data_dir=folder / "data",  # type: ignore[call-arg]
                          database_url=f"sqlite:///{folder}/spine.db", enrichments="",
                          in_process_workers=False, backup_interval_hours=0))
    rt.migrate()
    key = "bench/minute.mp4"
    with rt.storage.stage() as staged:
        staged.write(clip.read_bytes())
        rt.storage.commit(staged, key)
    asset = Asset(id=1, storage_key=key, media_type="video", sha256="0" * 64)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as one worker has
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        info = stages.read_video(rt, asset, {})
        rendered = stages.render_video(rt, asset, {"metadata": info})
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    with av.open(str(clip)) as box:
        frames = sum(1 for _ in box.decode(box.streams.video[0]))
    decode_all = time.perf_counter() - started
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    took = statistics.median(times)
    print(f"spine: metadata + poster + thumbnail + strip of a 1-minute 1080p H.264 clip: "
          f"{took:.2f} s (median of {repeat}; {rendered.strip_frames} strip frames, poster at "
          f"{rendered.poster_time:.2f} s); decoding all {frames} frames: {decode_all:.2f} s "
          f"(x{took / decode_all:.2f}) -> {'PASS' if took < SPINE_TARGET_S else 'MISS'} "
          f"(< {SPINE_TARGET_S} s)")
    return {"seconds": took, "runs": times, "decode_all_seconds": decode_all,
            "file_mb": clip.stat().st_size / 1e6}


def transcode(folder: Path, seconds: int, preset: str) -> dict[str, Any]:
    """The target on 8-bit HEVC in one segment; then, for the record, the cost of short
    segments (what a restarted worker keeps) and of tone-mapping an HLG clip."""
    out = {"preset": preset}
    for name, hdr, segment in (("hevc", False, 30), ("hevc_5s_segments", False, 5),
                               ("hevc_hlg_10bit", True, 30)):
        out[name] = _transcode_one(folder, seconds, preset, hdr, segment)
        if name == "hevc":
            speed = out[name]["speed"]
            print(f"  -> {'PASS' if speed >= TRANSCODE_TARGET else 'MISS'} "
                  f"(>= {TRANSCODE_TARGET}x)")
    return out


def _transcode_one(folder: Path, seconds: int, preset: str, hdr: bool, segment: float
                   ) -> dict[str, Any]:
    from albumen.media import transcode as web
    from albumen.media import video

    clip = make_clip(folder / f"hevc-{hdr}.mp4", seconds, "libx265", hdr=hdr)
    info = video.probe(clip, video.VideoLimits(14400, 8192, 250_000_000, 480), decode=True)
    started = time.perf_counter()
    with av.open(str(clip)) as box:
        stream = box.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in box.decode(stream):
            pass
    decode = time.perf_counter() - started
    started = time.perf_counter()
    copy = web.make_web_copy(clip, folder / "web.mp4", info, web.Plan("h264", 1080, preset, 23),
                             segment_seconds=segment)
    took = time.perf_counter() - started
    speed = seconds / took
    print(f"transcode: {seconds} s of 1080p30 HEVC{' HLG 10-bit' if hdr else ''} -> "
          f"{copy.width}x{copy.height} H.264 (preset {preset}, crf 23, {segment:g} s segments)"
          f" + AAC in {took:.1f} s = {speed:.2f}x real time "
          f"({(folder / 'web.mp4').stat().st_size / 1e6:.1f} MB); decoding alone "
          f"{seconds / decode:.2f}x")
    return {"seconds": took, "speed": speed, "decode_speed": seconds / decode}


def _rss_mb(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _upload(url: str, auth: dict[str, str], path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        r = httpx.post(f"{url}/api/v1/assets", headers=auth, timeout=3600,
                       files={"file": (path.name, fh, "video/mp4")})
    r.raise_for_status()
    return r.json()["asset"]


def _ready(url: str, auth: dict[str, str], asset_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        doc = httpx.get(f"{url}/api/v1/assets/{asset_id}", headers=auth, timeout=30).json()
        if doc["state"] != "processing":
            return doc
        time.sleep(0.5)
    raise SystemExit(f"asset {asset_id} still processing after 10 minutes")


def ranges(folder: Path) -> dict[str, Any]:
    minute = folder / "minute.mp4"
    if not minute.exists():
        make_clip(minute, 60, "libx264")
    big = repeat_to(minute, folder / "gigabyte.mp4", 1 << 30)
    size = big.stat().st_size
    server = Server(folder / "range-data", free_port(), {"ALBUMEN_TRANSCODE": "off"})
    try:
        auth = login(server.url)
        asset = _ready(server.url, auth, _upload(server.url, auth, big)["id"])
        assert asset["state"] == "ready", asset["failure_reason"]
        url = f"{server.url}/api/v1/assets/{asset['id']}/playback"
        rng = random.Random(3)
        starts = [rng.randrange(0, size - (1 << 20)) for _ in range(50)]
        served, direct = [], []
        with httpx.Client(headers=auth, timeout=30) as client:
            client.get(url, headers={"Range": "bytes=0-1023"})
            for start in starts:
                began = time.perf_counter()
                with client.stream("GET", url, headers={
                        "Range": f"bytes={start}-{start + (1 << 20) - 1}"}) as r:
                    assert r.status_code == 206, r.status_code
                    body = r.iter_raw(65536)
                    next(body)
                    served.append((time.perf_counter() - began) * 1000)
                    for _ in body:
                        pass
        with big.open("rb") as fh:
            for start in starts:
                began = time.perf_counter()
                fh.seek(start)
                fh.read(4096)
                direct.append((time.perf_counter() - began) * 1000)
    finally:
        server.stop()
    p99 = pct(served, 99)
    print(f"range: 50 random 1 MB ranges of a {size / 2**30:.2f} GB clip: first byte p50 "
          f"{pct(served, 50):.1f} ms, p99 {p99:.1f} ms; the file read directly p99 "
          f"{pct(direct, 99):.2f} ms -> {'PASS' if p99 < RANGE_TARGET_MS else 'MISS'} "
          f"(< {RANGE_TARGET_MS:.0f} ms)")
    return {"p50_ms": pct(served, 50), "p99_ms": p99, "direct_p99_ms": pct(direct, 99),
            "size": size}


def upload(folder: Path) -> dict[str, Any]:
    minute = folder / "minute.mp4"
    if not minute.exists():
        make_clip(minute, 60, "libx264")
    big = repeat_to(minute, folder / "two-gigabytes.mp4", 2 << 30)
    server = Server(folder / "upload-data", free_port(), {"ALBUMEN_TRANSCODE": "off"})
    try:
        auth = login(server.url)
        time.sleep(1)
        before = _rss_mb(server.proc.pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_mb(server.proc.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        began = time.perf_counter()
        asset = _upload(server.url, auth, big)
        took = time.perf_counter() - began
        done.set()
        sampler.join()
    finally:
        server.stop()
    grew = peak[0] - before
    print(f"upload: a {big.stat().st_size / 2**30:.2f} GB clip in {took:.1f} s "
          f"({big.stat().st_size / took / 1e6:.0f} MB/s, asset {asset['id']} "
          f"{asset['media_type']}): server memory {before:.0f} MB before, peak {peak[0]:.0f} "
          f"MB (+{grew:.1f} MB) -> {'PASS' if grew < UPLOAD_TARGET_MB else 'MISS'} "
          f"(< {UPLOAD_TARGET_MB:.0f} MB)")
    return {"before_mb": before, "peak_mb": peak[0], "grew_mb": grew, "seconds": took}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["spine", "transcode", "range", "upload"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--transcode-seconds", type=int, default=30)
    parser.add_argument("--preset", default="superfast")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="albumen-video-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "spine"):
            results["spine"] = spine(folder, args.repeat)
        if args.only in (None, "transcode"):
            results["transcode"] = transcode(folder, args.transcode_seconds, args.preset)
        if args.only in (None, "range"):
            results["range"] = ranges(folder)
        if args.only in (None, "upload"):
            results["upload"] = upload(folder)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "video.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
