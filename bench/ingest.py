"""Ingest benchmark: how close the pipeline gets to the decode floor, and upload memory.

Run: ``.venv/bin/python bench/ingest.py [--photos N] [--out DIR]``

Everything is measured in the same run, on N deterministic 12-megapixel JPEGs (4000x3000,
quality 92, about 3 MB each, EXIF written by piexif) generated once into a cache folder:

(a) floor       each file decoded once at the scale the preview needs, as ``open_for_display``
                does it (header by Pillow, DCT-scaled decode by simplejpeg), nothing else.
                Pillow's ``draft`` decode, the floor of earlier passes, is printed for reference.
Stages: the spine's core stages (metadata, derivatives, phash). The AI enrichments are switched
off (``enrichments=""``): they have their own benchmarks and would otherwise dominate the run.
Scheduled backups are off too: the first would run at worker start, inside the measurement.

(b) 1 worker    a fresh data dir: ``import_paths`` for all photos, then a ``WorkerHost`` with one
                process worker; timed from the start of the import until every asset has left
                ``processing``. Import-only and processing-only times are reported too.
(c) 2 workers   the same with two process workers, plus two thread workers as an extra line
                (what ``albumen serve`` runs in-process).
(b') (c')       as (b) and (c), but the workers are already running when the import starts
                (as under ``albumen serve``), so the import overlaps the processing (info).
upload          ``albumen serve --no-workers`` as a subprocess; a 1 GiB multipart upload is
                streamed to it while its VmRSS / VmHWM are sampled every 50 ms.

(a)-(c) run ``--repeat`` rounds (default 3, interleaved) and the median is reported. Each
pipeline run happens in a fresh interpreter (like a freshly started ``albumen worker``), so
no run inherits imports or connections from another. Before each measurement the benchmark waits
(``--quiet-wait``) for other processes to leave the CPUs idle, and it reports the cores used by
itself and by everything else during each measurement.

Targets (printed as PASS / MISS, never asserted):
    (b) / (a) >= 0.6      the pipeline runs at 60% or more of the decode floor
    (c) / (b) >= 1.7      two workers nearly double one worker
    upload peak RSS growth <= 50 MiB

Results are printed as a table and written to ``OUT/ingest.json`` (default ``bench/out``).
Memory is in MiB; throughput in MiB/s.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import piexif
from PIL import Image, ImageDraw, ImageFilter, features

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 4000, 3000
QUALITY = 92
GENERATOR_VERSION = 1  # bump when the generated photos change, so caches are not reused
MiB = 1024 * 1024

TARGET_PIPELINE_VS_FLOOR = 0.6
TARGET_TWO_VS_ONE = 1.7
TARGET_UPLOAD_RSS_MIB = 50.0

POLL_SECONDS = 0.05
PIPELINES = (  # key, label, workers, worker type
    ("process_1", "(b) pipeline, 1 process worker", 1, "process"),
    ("process_2", "(c) pipeline, 2 process workers", 2, "process"),
    ("thread_2", "    pipeline, 2 thread workers", 2, "thread"),
    # As under `albumen serve`: the workers are running when the import starts.
    ("alongside_1", "(b') 1 worker, import alongside", 1, "process"),
    ("alongside_2", "(c') 2 workers, import alongside", 2, "process"),
)
UPLOAD_CHUNK = MiB
UPLOADER, UPLOADER_PASSWORD = "bench", "bench-password-1"

CAMERAS = [
    ("Canon", "EOS R5"),
    ("NIKON CORPORATION", "NIKON Z 6_2"),
    ("SONY", "ILCE-7M4"),
    ("FUJIFILM", "X-T5"),
    ("Apple", "iPhone 15 Pro"),
]


# ------------------------------------------------------------------------------- photos


def render_photo(seed: int) -> Image.Image:
    """A photo-like 12 MP image: smooth gradients, shapes, blurred noise texture."""
    rng = np.random.default_rng(seed)
    small_w, small_h = WIDTH // 10, HEIGHT // 10
    yy, xx = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    fx, fy = rng.uniform(15, 80, 2)
    phase = rng.uniform(0, 2 * np.pi, 3)
    base = np.stack(
        [
            128 + 90 * np.sin(xx / fx + phase[0]) * np.cos(yy / fy),
            128 + 80 * np.cos(xx / (fy + 13) - yy / (fx + 7) + phase[1]),
            110 + 70 * np.sin((xx + yy) / (fx + fy) + phase[2]) + 40 * yy / small_h,
        ],
        axis=-1,
    )
    small = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    img = small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    _draw_shapes(img, rng)
    return _add_texture(img, rng)


def _draw_shapes(img: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = (int(v) for v in rng.integers(200, 1200, 2))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x0 + w, y0 + h), fill=colour)
        else:
            draw.rectangle((x0, y0, x0 + w, y0 + h), outline=colour, width=int(rng.integers(4, 40)))


def _add_texture(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    noise = rng.normal(128, 22, (HEIGHT // 2, WIDTH // 2, 3))
    texture = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8))
    texture = texture.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    texture = texture.filter(ImageFilter.GaussianBlur(1.0))
    mixed = np.asarray(img, dtype=np.int16) + np.asarray(texture, dtype=np.int16) - 128
    return Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8))


def photo_exif(index: int) -> bytes:
    """Camera, capture time, GPS on every third photo, orientation 6 on every fourth."""
    make, model = CAMERAS[index % len(CAMERAS)]
    zeroth: dict[int, Any] = {
        piexif.ImageIFD.Make: make.encode(),
        piexif.ImageIFD.Model: model.encode(),
        piexif.ImageIFD.Orientation: 6 if index % 4 == 3 else 1,
    }
    month, day, hour = 1 + index % 12, 1 + index % 28, 8 + index % 12
    taken = f"2023:{month:02d}:{day:02d} {hour:02d}:30:{index % 60:02d}"
    exif: dict[int, Any] = {
        piexif.ExifIFD.DateTimeOriginal: taken.encode(),
        piexif.ExifIFD.OffsetTimeOriginal: b"+02:00",
        piexif.ExifIFD.FNumber: (28, 10),
        piexif.ExifIFD.ExposureTime: (1, 250),
        piexif.ExifIFD.ISOSpeedRatings: 100 * (1 + index % 8),
        piexif.ExifIFD.FocalLength: (24 + index % 50, 1),
    }
    gps: dict[int, Any] = {}
    if index % 3 == 0:
        gps = {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: _dms(48.85 + index / 100),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: _dms(2.35 + index / 100),
        }
    return piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps})


def _dms(value: float) -> tuple[tuple[int, int], ...]:
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round(((value - deg) * 60 - minutes) * 60 * 100)
    return ((deg, 1), (minutes, 1), (seconds, 100))


def ensure_photos(cache: Path, count: int) -> list[Path]:
    """The first ``count`` photos in ``cache``, generating (atomically) those not there yet."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = cache / f"v{GENERATOR_VERSION}-photo-{index:04d}.jpg"
        if not path.exists():
            buf = io.BytesIO()
            render_photo(seed=1000 + index).save(
                buf, "JPEG", quality=QUALITY, exif=photo_exif(index)
            )
            tmp = path.with_suffix(".part")
            tmp.write_bytes(buf.getvalue())
            tmp.replace(path)
        paths.append(path)
    return paths


def warm_page_cache(paths: list[Path]) -> None:
    for path in paths:
        path.read_bytes()


# ------------------------------------------------------------------------------- CPU use

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BUSY_THRESHOLD_CORES = 0.3  # other processes using more than this disturb the timings


def system_busy_s() -> float:
    """CPU seconds all processes have used since boot (user, nice, system, irq, softirq)."""
    with open("/proc/stat") as fh:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, fh.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS


def tree_cpu_s(root: int | None = None) -> float:
    """CPU seconds used by ``root`` (default: this process) and its live or reaped children."""
    root = os.getpid() if root is None else root
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as fh:
            rest = fh.read().rpartition(")")[2].split()
        if len(rest) > 14:
            pid = int(entry)
            parents[pid] = int(rest[1])
            used[pid] = sum(int(v) for v in rest[11:15]) / CLOCK_TICKS  # utime..cstime
    total = 0.0
    for pid, seconds in used.items():
        ancestor = pid
        while ancestor > 1 and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        if ancestor == root:
            total += seconds
    return total


class CpuMeter:
    """Cores used by this benchmark's process tree and by everything else over a window."""

    def __init__(self) -> None:
        self.wall, self.system, self.own = time.perf_counter(), system_busy_s(), tree_cpu_s()

    def read(self) -> dict[str, float]:
        wall = time.perf_counter() - self.wall
        own = (tree_cpu_s() - self.own) / wall
        others = (system_busy_s() - self.system) / wall - own
        return {"own_cores": own, "others_cores": max(0.0, others)}


def wait_for_quiet(max_wait: float) -> float:
    """Wait (up to ``max_wait`` s) until other processes leave the CPUs alone; returns the wait."""
    start = time.perf_counter()
    announced = False
    while True:
        meter = CpuMeter()
        time.sleep(1.0)
        others = meter.read()["others_cores"]
        waited = time.perf_counter() - start
        if others < BUSY_THRESHOLD_CORES or waited >= max_wait:
            return waited
        if not announced:
            print(
                f"    waiting for other processes to finish ({others:.1f} cores busy) ...",
                flush=True,
            )
            announced = True


# ------------------------------------------------------------------------------- (a) floor


def decode_at_preview_scale(path: Path, short_side: int) -> tuple[int, int]:
    """What ``open_for_display`` does to decode a JPEG (header, then a DCT-scaled decode by
    simplejpeg), and nothing else."""
    from albumen.media.imaging import decode_jpeg_scaled

    with Image.open(path) as im:
        width, height = im.size
    pixels = decode_jpeg_scaled(path, width, height, short_side)
    assert pixels is not None
    return pixels.shape[1], pixels.shape[0]


def pillow_draft_decode(path: Path, short_side: int) -> tuple[int, int]:
    """The floor of the first two passes (Pillow's ``draft``: scales 1/2, 1/4, 1/8 only)."""
    with Image.open(path) as im:
        width, height = im.size
        if min(width, height) > short_side:
            scale = min(width, height) / short_side
            im.draft("RGB", (int(width / scale), int(height / scale)))
        im.load()
        return im.size


def measure_floor(
    paths: list[Path], short_side: int, decode: Callable[[Path, int], tuple[int, int]]
) -> dict[str, Any]:
    decoded = decode(paths[0], short_side)  # untimed: plugin init
    meter = CpuMeter()
    start = time.perf_counter()
    for path in paths:
        decode(path, short_side)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "photos_per_s": len(paths) / seconds,
        "decoded_size": list(decoded),
        **meter.read(),
    }


# ------------------------------------------------------------------------------- (b) (c)


@dataclass
class PipelineRun:
    label: str
    workers: int
    worker_type: str
    photos: int
    import_s: float = 0.0
    processing_s: float = 0.0
    total_s: float = 0.0
    first_ready_s: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    timed_out: bool = False
    cpu: dict[str, float] = field(default_factory=dict)
    samples_photos_per_s: list[float] = field(default_factory=list)

    @property
    def photos_per_s(self) -> float:
        return self.photos / self.total_s if self.total_s else 0.0

    @property
    def processing_photos_per_s(self) -> float:
        return self.photos / self.processing_s if self.processing_s else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "photos_per_s": self.photos_per_s,
            "processing_photos_per_s": self.processing_photos_per_s,
        }


def asset_states(rt: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from albumen.db.models import Asset

    with rt.session() as session:
        rows = session.execute(select(Asset.state, func.count()).group_by(Asset.state)).all()
    return {state: count for state, count in rows}


def wait_for_processing(rt: Any, timeout: float) -> tuple[dict[str, int], float | None, bool]:
    """Poll until no asset is 'processing'; returns (states, first-ready delay, timed out)."""
    start = time.perf_counter()
    first_ready = None
    while True:
        states = asset_states(rt)
        if first_ready is None and states.get("ready"):
            first_ready = time.perf_counter() - start
        if not states.get("processing"):
            return states, first_ready, False
        if time.perf_counter() - start > timeout:
            return states, first_ready, True
        time.sleep(POLL_SECONDS)


def failure_reasons(rt: Any) -> list[str]:
    from sqlalchemy import select

    from albumen.db.models import Asset

    with rt.session() as session:
        rows = session.execute(
            select(Asset.original_filename, Asset.failure_reason).where(Asset.state == "failed")
        ).all()
    return [f"{name}: {reason}" for name, reason in rows]


@contextlib.contextmanager
def fresh_runtime(prefix: str) -> Iterator[Any]:
    """A migrated Runtime on a temporary data dir, installed for the task code."""
    from albumen.config import Settings
    from albumen.db.session import engine_for
    from albumen.runtime import Runtime, set_runtime

    data_dir = Path(tempfile.mkdtemp(prefix=f"albumen-bench-{prefix}-"))
    settings = Settings(
        data_dir=data_dir,
        database_url=None,
        storage_url=None,
        queue_url=None,
        queue_immediate=False,
        enrichments="",  # the spine's stages (metadata, derivatives, phash): see the docstring
        # Scheduled backups off: the first one would run at worker start, inside a measurement of
        # a few seconds (in real use it comes once per ALBUMEN_BACKUP_INTERVAL_HOURS).
        backup_interval_hours=0,
    )
    rt = Runtime(settings)
    set_runtime(rt)
    try:
        rt.migrate()
        yield rt
    finally:
        set_runtime(None)
        with contextlib.suppress(Exception):
            rt.queue.huey.storage.close()
        engine_for(rt.database_url).dispose()
        shutil.rmtree(data_dir, ignore_errors=True)


def measure_pipeline(
    key: str, label: str, paths: list[Path], workers: int, worker_type: str
) -> PipelineRun:
    from albumen.library.importer import import_paths
    from albumen.worker.host import WorkerHost

    run = PipelineRun(label, workers, worker_type, len(paths))
    alongside = key.startswith("alongside")
    with fresh_runtime(key) as rt:
        host = WorkerHost(rt, workers=workers, worker_type=worker_type)
        if alongside:
            host.start()  # untimed, as a running server's workers
        meter = CpuMeter()
        start = time.perf_counter()
        report = import_paths(rt, paths)
        imported = time.perf_counter()
        if not alongside:
            host.start()
        try:
            states, first_ready, timed_out = wait_for_processing(rt, 60 + 10 * len(paths))
            done = time.perf_counter()
            run.cpu = meter.read()  # before stop(): process workers still count as ours
        finally:
            host.stop(graceful=True)
        run.import_s, run.processing_s = imported - start, done - imported
        run.total_s = done - start
        run.first_ready_s = first_ready
        run.counts, run.states, run.timed_out = report.counts, states, timed_out
        run.failures = failure_reasons(rt)
    return run


# ------------------------------------------------------------------------------- upload


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB."""
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


class RssSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.pid, self.interval = pid, interval
        self.max_rss = 0.0
        self.max_hwm = 0.0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            with contextlib.suppress(OSError):
                status = read_status(self.pid)
                self.max_rss = max(self.max_rss, status["VmRSS"])
                self.max_hwm = max(self.max_hwm, status["VmHWM"])
                self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def small_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def multipart_body(boundary: str, filler_bytes: int) -> tuple[int, Iterator[bytes]]:
    """(length, chunks) of a form with one 'file' part: a real JPEG, then filler."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode() + small_jpeg()
    tail = f"\r\n--{boundary}--\r\n".encode()
    block = np.random.default_rng(7).integers(0, 256, UPLOAD_CHUNK, dtype=np.uint8).tobytes()
    assert boundary.encode() not in block + block, "filler contains the boundary"

    def chunks() -> Iterator[bytes]:
        yield head
        left = filler_bytes
        while left > 0:
            piece = block if left >= len(block) else block[:left]
            left -= len(piece)
            yield piece
        yield tail

    return len(head) + filler_bytes + len(tail), chunks()


@contextlib.contextmanager
def albumen_server(max_upload: int) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    data_dir = Path(tempfile.mkdtemp(prefix="albumen-bench-serve-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ALBUMEN_")},
        "ALBUMEN_DATA_DIR": str(data_dir / "data"),
        "ALBUMEN_MAX_UPLOAD_BYTES": str(max_upload),
        "ALBUMEN_LOG_LEVEL": "WARNING",
    }
    log_path = data_dir / "server.log"
    exe = Path(sys.executable).parent / "albumen"
    # Uploads need an account: one admin, created the way an operator would.
    for args, stdin in ((["db", "upgrade"], None),
                        (["users", "create", UPLOADER, "--admin"], f"{UPLOADER_PASSWORD}\n")):
        subprocess.run([str(exe), *args], env=env, cwd=data_dir, input=stdin, text=True,
                       capture_output=True, check=True)
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), "--no-workers"],
            env=env,
            cwd=data_dir,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(proc, url, log_path)
        yield proc, url, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_ready(
    proc: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log_path.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout}s:\n{log_path.read_text()}")


def measure_upload(filler_mib: int) -> dict[str, Any]:
    filler = filler_mib * MiB
    with albumen_server(max_upload=2 * 1024 * MiB) as (proc, url, log_path):
        token = httpx.post(f"{url}/api/v1/auth/token", data={
            "username": UPLOADER, "password": UPLOADER_PASSWORD}).json()["access_token"]
        time.sleep(0.5)  # let start-up allocations settle
        before = read_status(proc.pid)
        boundary = f"albumen-bench-{secrets.token_hex(16)}"
        length, chunks = multipart_body(boundary, filler)
        sampler = RssSampler(proc.pid)
        sampler.start()
        meter = CpuMeter()
        start = time.perf_counter()
        try:
            response = httpx.post(
                f"{url}/api/v1/assets",
                content=chunks,
                timeout=None,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Content-Length": str(length),
                },
            )
            seconds = time.perf_counter() - start
            cpu = meter.read()
        finally:
            sampler.stop()
        after = read_status(proc.pid)
        server_log = log_path.read_text()[-2000:]
    result = upload_result(before, after, sampler, response, length, seconds, server_log)
    return {**result, **cpu}


def upload_result(
    before: dict[str, float],
    after: dict[str, float],
    sampler: RssSampler,
    response: httpx.Response,
    length: int,
    seconds: float,
    server_log: str,
) -> dict[str, Any]:
    peak = max(sampler.max_rss, after["VmRSS"])
    if after["VmHWM"] > before["VmHWM"]:  # a new high-water mark was set during the upload
        peak = max(peak, after["VmHWM"])
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = response.text[:500]
    return {
        "status_code": response.status_code,
        "response": body if response.status_code >= 300 else {"status": body.get("status")},
        "body_bytes": length,
        "seconds": seconds,
        "mib_per_s": length / MiB / seconds,
        "rss_before_mib": before["VmRSS"],
        "rss_after_mib": after["VmRSS"],
        "rss_peak_sampled_mib": sampler.max_rss,
        "hwm_before_mib": before["VmHWM"],
        "hwm_after_mib": after["VmHWM"],
        "peak_growth_mib": peak - before["VmRSS"],
        "samples": sampler.samples,
        "server_log_tail": server_log if response.status_code >= 300 else "",
    }


# ------------------------------------------------------------------------------- report


def machine_facts() -> dict[str, Any]:
    import PIL

    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pillow": PIL.__version__,
        "libjpeg_turbo": features.version("libjpeg_turbo"),
        "numpy": np.__version__,
    }


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


def ratios(floor: dict[str, Any], runs: dict[str, PipelineRun]) -> dict[str, Any]:
    one, two = runs["process_1"], runs["process_2"]
    threads = runs["thread_2"]
    return {
        "pipeline_vs_floor": one.photos_per_s / floor["photos_per_s"],
        "two_vs_one": two.photos_per_s / one.photos_per_s,
        "two_vs_one_processing_only": two.processing_photos_per_s / one.processing_photos_per_s,
        "threads2_vs_one": threads.photos_per_s / one.photos_per_s,
        "alongside_vs_floor": runs["alongside_1"].photos_per_s / floor["photos_per_s"],
        "alongside_two_vs_one": runs["alongside_2"].photos_per_s / runs["alongside_1"].photos_per_s,
    }


def _cores(row: dict[str, Any]) -> str:
    cpu = row.get("cpu", row)
    if "own_cores" not in cpu:
        return ""
    return f"{cpu['own_cores']:>7.2f}{cpu['others_cores']:>8.2f}"


def _spread(row: dict[str, Any]) -> str:
    samples = row["samples_photos_per_s"]
    return f"{f'{min(samples):.2f}-{max(samples):.2f}':>15}"


def print_report(results: dict[str, Any]) -> None:
    facts, photos = results["machine"], results["photos"]
    print(
        f"\nmachine: {facts['cpu_count']} CPUs ({facts['cpus_usable']} usable), "
        f"Python {facts['python']}, Pillow {facts['pillow']}, "
        f"libjpeg-turbo {facts['libjpeg_turbo']}, numpy {facts['numpy']}"
    )
    print(
        f"photos: {photos['count']} x {WIDTH}x{HEIGHT} JPEG q{QUALITY}, "
        f"mean {photos['mean_mib']:.2f} MiB, cache {photos['cache']}\n"
    )
    header = (
        f"{'measurement':<34}{'total s':>8}{'photo/s':>9}{'import s':>9}{'proc s':>8}"
        f"{'proc photo/s':>13}{'1st ready':>10}{'cores':>7}{'others':>8}{'range photo/s':>15}"
    )
    print(header)
    print("-" * len(header))
    floor = results["floor"]
    print(
        f"{'(a) floor: scaled decode':<34}{floor['seconds']:>8.2f}{floor['photos_per_s']:>9.2f}"
        f"{'':>40}{_cores(floor)}{_spread(floor)}"
    )
    draft = floor["pillow_draft"]
    print(
        f"{'    Pillow draft decode (info)':<34}{draft['seconds']:>8.2f}"
        f"{draft['photos_per_s']:>9.2f}{'':>40}{_cores(draft)}{_spread(draft)}"
    )
    for run in results["pipelines"].values():
        print_run(run)
    print(
        f"median of {results['repeat']} rounds; cores: CPU cores used by this benchmark "
        "(workers included), others: by other processes\n"
        f"(over {BUSY_THRESHOLD_CORES} disturbs the timings); range: photo/s over the rounds"
    )
    print_ratios(results["ratios"])
    print_upload(results.get("upload"))


def print_run(run: dict[str, Any]) -> None:
    first = f"{run['first_ready_s']:.2f}" if run["first_ready_s"] is not None else "-"
    print(
        f"{run['label']:<34}{run['total_s']:>8.2f}{run['photos_per_s']:>9.2f}"
        f"{run['import_s']:>9.2f}{run['processing_s']:>8.2f}"
        f"{run['processing_photos_per_s']:>13.2f}{first:>10}{_cores(run)}{_spread(run)}"
    )
    problems = [f"timed out, states {run['states']}"] if run["timed_out"] else []
    problems += run["failures"]
    if run["counts"].get("imported") != run["photos"]:
        problems.append(f"import counts {run['counts']}")
    for problem in problems:
        print(f"    ! {problem}")


def print_ratios(r: dict[str, Any]) -> None:
    print("\nratios")
    print(
        f"  (b)/(a) pipeline vs floor           {r['pipeline_vs_floor']:6.2f}   "
        f"target >= {TARGET_PIPELINE_VS_FLOOR}  "
        f"{verdict(r['pipeline_vs_floor'], TARGET_PIPELINE_VS_FLOOR)}"
    )
    print(
        f"  (c)/(b) 2 vs 1 process workers      {r['two_vs_one']:6.2f}   "
        f"target >= {TARGET_TWO_VS_ONE}  {verdict(r['two_vs_one'], TARGET_TWO_VS_ONE)}"
    )
    print(
        f"  (c)/(b) processing only             {r['two_vs_one_processing_only']:6.2f}   "
        "(info: the import is serial in both)"
    )
    print(f"  2 thread workers / (b)              {r['threads2_vs_one']:6.2f}   (info)")
    print(f"  (b')/(a) import alongside           {r['alongside_vs_floor']:6.2f}   (info)")
    print(f"  (c')/(b') import alongside          {r['alongside_two_vs_one']:6.2f}   (info)")


def print_upload(upload: dict[str, Any] | None) -> None:
    if upload is None:
        print("\nupload: skipped")
        return
    if "error" in upload:
        print(f"\nupload: FAILED to run: {upload['error']}")
        return
    growth = upload["peak_growth_mib"]
    judged = (verdict(growth, TARGET_UPLOAD_RSS_MIB, higher_is_better=False)
              if 200 <= upload["status_code"] < 300 else "NOT MEASURED (the upload was refused)")
    print(
        f"\nupload: {upload['body_bytes'] / MiB:.0f} MiB multipart to albumen serve "
        f"-> HTTP {upload['status_code']} {upload['response']}"
    )
    print(
        f"  throughput                          {upload['mib_per_s']:6.1f} MiB/s "
        f"({upload['seconds']:.1f} s; cores {upload['own_cores']:.2f}, "
        f"others {upload['others_cores']:.2f})"
    )
    print(
        f"  server RSS before / after           {upload['rss_before_mib']:6.1f} / "
        f"{upload['rss_after_mib']:.1f} MiB (sampled peak {upload['rss_peak_sampled_mib']:.1f},"
        f" VmHWM {upload['hwm_before_mib']:.1f} -> {upload['hwm_after_mib']:.1f}, "
        f"{upload['samples']} samples)"
    )
    print(
        f"  peak RSS growth                     {growth:6.1f} MiB  "
        f"target <= {TARGET_UPLOAD_RSS_MIB:.0f}  "
        f"{judged}"
    )
    if upload["server_log_tail"]:
        print("  server log tail:\n" + upload["server_log_tail"])


# ------------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--photos", type=int, default=96,
        help="number of photos (96: enough that starting the workers does not dominate)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "out", help="folder for ingest.json"
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="generated photos are kept here (OUT/photos)"
    )
    parser.add_argument(
        "--upload-mib", type=int, default=1024, help="upload filler in MiB, 0 skips (1024)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of (a)-(c); the median is reported (3)"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=180,
        help="before each measurement, wait up to this many seconds for other processes "
        "to leave the CPUs idle (180)",
    )
    parser.add_argument("--one-pipeline", choices=[p[0] for p in PIPELINES], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def median_of(samples: list[Any], seconds: Callable[[Any], float]) -> Any:
    """The sample with the median time (the lower middle one for an even count)."""
    return sorted(samples, key=seconds)[(len(samples) - 1) // 2]


def run_floor(paths: list[Path], args: argparse.Namespace, waited: dict[str, float]) -> Any:
    from albumen.config import Settings

    short_side = Settings().preview_size
    samples, draft = [], []
    for round_ in range(args.repeat):
        print(f"(a) floor (round {round_ + 1}/{args.repeat}) ...", flush=True)
        waited[f"floor#{round_ + 1}"] = wait_for_quiet(args.quiet_wait)
        samples.append(measure_floor(paths, short_side, decode_at_preview_scale))
        draft.append(measure_floor(paths, short_side, pillow_draft_decode))
    floor = median_of(samples, lambda f: f["seconds"])
    pillow = median_of(draft, lambda f: f["seconds"])
    return {**floor, "samples_photos_per_s": [f["photos_per_s"] for f in samples],
            "pillow_draft": {**pillow, "samples_photos_per_s": [f["photos_per_s"] for f in draft]}}


def run_pipelines(
    paths: list[Path], args: argparse.Namespace, waited: dict[str, float]
) -> dict[str, PipelineRun]:
    """Each configuration ``repeat`` times, interleaved; the median run of each is kept."""
    samples: dict[str, list[PipelineRun]] = {key: [] for key, *_ in PIPELINES}
    for round_ in range(args.repeat):
        for key, label, *_ in PIPELINES:
            print(f"{label.strip()} (round {round_ + 1}/{args.repeat}) ...", flush=True)
            waited[f"{key}#{round_ + 1}"] = wait_for_quiet(args.quiet_wait)
            samples[key].append(pipeline_in_child(key, paths))
    runs = {}
    for key, found in samples.items():
        runs[key] = median_of(found, lambda r: r.total_s)
        runs[key].samples_photos_per_s = [r.photos_per_s for r in found]
    return runs


def pipeline_in_child(key: str, paths: list[Path]) -> PipelineRun:
    """Measure one pipeline in a fresh interpreter, as a freshly started worker would run.

    Every run then starts from the same state: nothing left over from an earlier run (engines,
    queue connections, modules the thread workers imported and forked children would inherit).
    """
    command = [sys.executable, __file__, "--one-pipeline", key, *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pipeline {key} failed ({done.returncode}):\n{done.stderr}")
    sys.stderr.write(done.stderr)
    return PipelineRun(**json.loads(done.stdout.splitlines()[-1]))


def one_pipeline(key: str, paths: list[Path]) -> None:
    """The child side of ``pipeline_in_child``: print the run as JSON on the last line."""
    _, label, workers, kind = next(p for p in PIPELINES if p[0] == key)
    print(json.dumps(asdict(measure_pipeline(key, label, paths, workers, kind))))


def main() -> None:
    args = parse_args()
    if args.one_pipeline:
        logging.basicConfig(level=logging.WARNING)
        one_pipeline(args.one_pipeline, args.paths)
        return
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    cache = args.cache or args.out / "photos"
    print(f"preparing {args.photos} photos in {cache} ...", flush=True)
    paths = ensure_photos(cache, args.photos)
    warm_page_cache(paths)
    sizes = [p.stat().st_size for p in paths]
    waited: dict[str, float] = {}
    results: dict[str, Any] = {
        "machine": machine_facts(),
        "photos": {
            "count": len(paths),
            "cache": str(cache),
            "mean_mib": sum(sizes) / len(sizes) / MiB,
            "total_mib": sum(sizes) / MiB,
        },
        "repeat": args.repeat,
        "waited_for_quiet_s": waited,
    }
    results["floor"] = run_floor(paths, args, waited)
    runs = run_pipelines(paths, args, waited)
    results["pipelines"] = {key: run.to_dict() for key, run in runs.items()}
    results["ratios"] = ratios(results["floor"], runs)
    results["upload"] = run_upload(args.upload_mib, args.quiet_wait, waited)
    print_report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / "ingest.json"
    out_file.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwritten to {out_file}")


def run_upload(
    filler_mib: int, quiet_wait: float, waited: dict[str, float]
) -> dict[str, Any] | None:
    if filler_mib <= 0:
        return None
    print(f"upload of {filler_mib} MiB ...", flush=True)
    waited["upload"] = wait_for_quiet(quiet_wait)
    try:
        return measure_upload(filler_mib)
    except (RuntimeError, OSError, httpx.HTTPError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    main()
