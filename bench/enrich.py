"""AI throughput benchmark (issue 24): photos/s with the enrichments, each stage's cost, and
the accuracy of the same run against today's pipeline.

Run: ``.venv/bin/python bench/enrich.py [--photos N] [--repeat N] [--text-photos N]
[--stage-photos N]`` (needs ``make test-data`` for the face photos); ``--sets camera,faces``
runs some sets only. On 2 cores the defaults take about 12 minutes: reading a photo's text at
full size costs about two seconds, and the pipelines and stage timings read most photos.

Three sets of photos, each imported into a fresh data dir as guest uploads to one event (so
screening decides their moderation, and looks for near-duplicates within the event):

camera   the N generated 12-megapixel JPEGs of bench/ingest.py (shapes and texture, no text,
         no faces; the same cache as that benchmark).
faces    the labelled faces: insightface's t1.jpg (six known people) as the four 4000 px
         "camera" photos of bench/faces.py, plus t1 scaled to 0.60 and 0.45 of 4000 px and
         pasted onto a plain and a textured 4000x3000 canvas, so the faces come close to the
         detector's limit (about 136, 82 and 61 px where it looks, at face_detect_size 1600).
text     photos of tests/text_scenes.py: half with rendered text (signs at sizes and angles,
         faded signs, documents such as a menu, an invitation and a programme, banners, posters
         in real photos), half without any (real photos and crops, textures); ``--text-photos``
         of them, picked evenly from each kind.

On each set, four pipelines, each in a fresh interpreter (``albumen import`` then a
``WorkerHost`` of process workers, timed from the start of the import until no asset is
``processing``; the guest marking between the two is not timed):

spine          ``enrichments=""``: the core stages only, 2 workers
default 1 / 2  the default enrichments (screening, bursts, places, faces, ocr, dates) with the
               new levers at their defaults, 1 and 2 workers
today 2        the same with today's pipeline: ``ocr_gate_size=0`` (every photo read in full),
               ``face_detect_gray=False`` (HOG on colour), ``ml_threads`` = every core (ONNX
               Runtime's old default), 2 workers

``--repeat`` rounds (default 1), interleaved, the median run kept; before each run the benchmark
waits (``--quiet-wait``) for other processes to leave the CPUs idle. Workers' settings are
passed explicitly; ALBUMEN_* variables of the caller and any .env file are ignored.

Stage costs: after the first round's "default 1" and "today 2" pipelines (both with ONNX on every
core, so only the gate and the grey detection differ), the same interpreter runs each stage
alone, photo after photo (``reset_stages`` then ``run_stage``, the models loaded and the stage
run once before the timing), on ``--stage-photos`` photos of the set (default 12, picked
evenly; in the text set half with text), with the preview cache off: every model stage's figure
includes decoding the preview, shown on its own as "preview decode". Milliseconds per photo,
mean; on the text set OCR also separately on the photos with and without text.

Accuracy, from the outputs of the same run's "default 2" (new) and "today 2" pipelines:
    faces      detection recall against the six known faces (a face counts when its box centre
               falls on a known person's place), per size; purity as in bench/faces.py (each
               face's nearest match in the full-size photo is one person, unambiguously) and
               of the people the pipeline formed (share of clustered faces in their person's
               majority identity)
    OCR        exact-word match: the share of the true words (letters and digits, any case)
               found among the words of the photo's ``ocr_text``; photos without text that got
               some
    screening  per photo: flag names, moderation outcome, nudity score within 0.01

Targets (printed as PASS / MISS, never asserted):
    1  default 2 workers >= 0.5 x spine 2 workers, photos/s on the camera set
    2  OCR on photos without text (text set) <= 10% of today's ms/photo; exact-word match on
       the photos with text not lower than today's
    3  face recall (overall and at each size) and both purities not lower than today's
    4  screening decisions identical to today's on every photo of every set
    5  one process with every default model loaded (faces, OCR, screening, places), after
       processing the camera set: peak resident memory (VmHWM) < 1536 MiB

Printed as tables and a summary; written to ``OUT/enrich.json`` (default ``bench/out``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
for _extra in (ROOT / "bench", ROOT, ROOT / "src"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

import faces as faces_bench  # noqa: E402
import ingest as ingest_bench  # noqa: E402

TARGET_DEFAULT_VS_SPINE = 0.5
TARGET_OCR_NO_TEXT = 0.10
TARGET_MEMORY_MIB = 1536.0
NUDITY_TOLERANCE = 0.01

# key, label, workers, levers ("spine": no enrichments; "new": the defaults; "today")
CONFIGS = (
    ("spine_2", "spine alone, 2 workers", 2, "spine"),
    ("default_1", "default enrichments, 1 worker", 1, "new"),
    ("default_2", "default enrichments, 2 workers", 2, "new"),
    ("today_2", "today's levers, 2 workers", 2, "today"),
)
# The runs whose interpreter then times each stage alone (first round), and the name of the
# levers in the stage table.
STAGE_RUNS = {"today_2": "today", "default_1": "new"}
NEW_RUN, TODAY_RUN = "default_2", "today_2"  # accuracy: new levers against today's
SETS = ("camera", "faces", "text")

# The six people of t1.jpg: left, top and side of the box dlib's HOG detector (one upsampling
# pass) finds on the original, in its pixels, left to right.
T1_SIZE = (1280, 886)
PEOPLE_BOXES = ((67, 283, 109), (275, 176, 90), (450, 295, 108), (724, 367, 109),
                (870, 67, 130), (1118, 283, 109))
FACES_VERSION = 1  # bump when the face photos change
# t1 scaled to this share of 4000 px, the canvas it is pasted on, where (canvas pixels)
SMALL_FACES = ((0.60, "plain", (800, 700)), (0.60, "textured", (1500, 1200)),
               (0.45, "plain", (1100, 900)), (0.45, "textured", (200, 1600)))
CANVAS = (4000, 3000)
TEXT_VERSION = 1  # bump when the text photos change
WORD = re.compile(r"[^\W_]+")


# ------------------------------------------------------------------------------- photo sets


@dataclass
class PhotoSet:
    key: str
    label: str
    paths: list[Path]
    info: dict[str, dict[str, Any]] = field(default_factory=dict)  # by file name

    def names(self, where: Callable[[dict[str, Any]], bool] | None = None) -> list[str]:
        return [p.name for p in self.paths if where is None or where(self.info.get(p.name, {}))]


def camera_set(cache: Path, count: int) -> PhotoSet:
    paths = ingest_bench.ensure_photos(cache, count)
    return PhotoSet("camera", f"{count} generated 12 MP photos (bench/ingest.py)", paths)


def faces_set(folder: Path, detect_size: int) -> PhotoSet:
    """bench/faces.py's four camera photos of t1, then t1 smaller on 4000x3000 canvases."""
    folder.mkdir(parents=True, exist_ok=True)
    camera = faces_bench.camera_photos(folder)  # written anew: a few seconds
    info: dict[str, dict[str, Any]] = {}
    for i, path in enumerate(camera):
        info[path.name] = {"group": "4000 px", "mirror": i in (1, 3), "origin": (0.0, 0.0),
                           "extent": (1.0, 1.0), "t1_px": 4000, "long_side": 4000}
    small = []
    for share, backdrop, (x0, y0) in SMALL_FACES:
        width = round(CANVAS[0] * share)
        height = round(width * T1_SIZE[1] / T1_SIZE[0])
        path = folder / f"v{FACES_VERSION}-small-{round(share * 100)}-{backdrop}.jpg"
        if not path.exists():
            pasted_faces(path, width, height, backdrop, (x0, y0))
        info[path.name] = {"group": f"{share:.2f} ({width} px)", "mirror": False,
                           "origin": (x0 / CANVAS[0], y0 / CANVAS[1]),
                           "extent": (width / CANVAS[0], height / CANVAS[1]), "t1_px": width,
                           "long_side": CANVAS[0]}
        small.append(path)
    side = float(np.median([b[2] for b in PEOPLE_BOXES])) / T1_SIZE[0]
    for entry in info.values():  # the face size where the detector looks
        entry["face_px"] = round(side * entry["t1_px"] * min(1.0, detect_size / entry["long_side"]))
    return PhotoSet("faces", f"{len(camera) + len(small)} photos of t1.jpg's six people",
                    [*camera, *small], info)


def pasted_faces(path: Path, width: int, height: int, backdrop: str,
                 where: tuple[int, int]) -> None:
    group = Image.open(faces_bench.FACES).convert("RGB").resize(
        (width, height), Image.Resampling.LANCZOS)
    if backdrop == "plain":
        canvas = Image.new("RGB", CANVAS, (142, 134, 120))
    else:
        canvas = ingest_bench.render_photo(seed=7000 + width)
    canvas.paste(group, where)
    tmp = path.with_suffix(".part")
    canvas.save(tmp, "JPEG", quality=92)
    tmp.replace(path)


def text_set(folder: Path, count: int) -> PhotoSet:
    """``count`` photos of tests/text_scenes.py (variant 0), half with text, as JPEGs."""
    manifest = folder / f"v{TEXT_VERSION}-manifest.json"
    entries = json.loads(manifest.read_text()) if manifest.exists() else []
    if not entries or not all((folder / e["file"]).exists() for e in entries):
        entries = write_text_scenes(folder, manifest)
    with_text = [e for e in entries if e["lines"]]
    without = [e for e in entries if not e["lines"]]
    chosen = evenly(with_text, count - count // 2) + evenly(without, count // 2)
    paths = [folder / e["file"] for e in chosen]
    info = {e["file"]: {"lines": e["lines"], "scene": e["scene"]} for e in chosen}
    kept = sum(bool(e["lines"]) for e in chosen)
    return PhotoSet("text", f"{kept} photos with text, {len(chosen) - kept} without "
                            f"(tests/text_scenes.py)", paths, info)


def write_text_scenes(folder: Path, manifest: Path) -> list[dict[str, Any]]:
    from tests import text_scenes

    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    scenes = [("text", s) for s in text_scenes.with_text(0)]
    scenes += [("none", s) for s in text_scenes.without_text(0)]
    for i, (kind, scene) in enumerate(scenes):
        name = f"v{TEXT_VERSION}-{kind}-{i:03d}-{scene.name}.jpg"
        tmp = folder / f"{name}.part"
        scene.image.convert("RGB").save(tmp, "JPEG", quality=92)
        tmp.replace(folder / name)
        entries.append({"file": name, "scene": scene.name, "lines": list(scene.lines)})
    manifest.write_text(json.dumps(entries, indent=1) + "\n")
    return entries


def evenly(items: list[Any], count: int) -> list[Any]:
    if count >= len(items):
        return list(items)
    return [items[math.floor(i * len(items) / count)] for i in range(count)]


# ------------------------------------------------------------------------------- one run


def clean_environment() -> list[str]:
    """Drop the caller's ALBUMEN_* variables (they would reach the workers' Settings)."""
    dropped = sorted(k for k in os.environ if k.startswith("ALBUMEN_"))
    for key in dropped:
        del os.environ[key]
    return dropped


def levers(kind: str, cores: int) -> dict[str, Any]:
    if kind == "spine":
        return {"enrichments": ""}
    if kind == "today":
        return {"ocr_gate_size": 0, "face_detect_gray": False, "ml_threads": cores}
    return {}  # the new levers: the defaults of config.py


@contextlib.contextmanager
def bench_runtime(key: str, workers: int, overrides: dict[str, Any]) -> Iterator[Any]:
    """As bench/ingest.py's fresh_runtime, with the workers and the given settings."""
    from albumen.config import Settings
    from albumen.db.session import engine_for
    from albumen.runtime import Runtime, set_runtime

    data_dir = Path(tempfile.mkdtemp(prefix=f"albumen-bench-{key}-"))
    settings = Settings(
        _env_file=None,
        data_dir=data_dir, database_url=None, storage_url=None, queue_url=None,
        queue_immediate=False, backup_interval_hours=0, workers=workers,
        worker_type="process", **overrides,
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


def as_guest_uploads(rt: Any, asset_ids: list[int]) -> None:
    """Make the imported photos one guest's uploads to an event without review: screening
    then decides each one's moderation (held for nudity, else approved)."""
    from sqlalchemy import update

    from albumen.db.models import (
        AWAITING_SCREENING,
        PENDING_REVIEW,
        Asset,
        Event,
        Guest,
        ShareLink,
    )

    with rt.transaction() as session:
        event = Event(title="bench", review_required=False)
        session.add(event)
        session.flush()
        link = ShareLink(token_hash=secrets.token_hex(32), event_id=event.id, can_upload=True)
        session.add(link)
        session.flush()
        guest = Guest(link_id=link.id, token_hash=secrets.token_hex(32), name="bench")
        session.add(guest)
        session.flush()
        session.execute(update(Asset).where(Asset.id.in_(asset_ids)).values(
            event_id=event.id, link_id=link.id, guest_id=guest.id, moderation=PENDING_REVIEW,
            moderation_note=AWAITING_SCREENING))


def measure_run(key: str, paths: list[Path], stage_files: list[str] | None) -> dict[str, Any]:
    from albumen.library.importer import import_paths
    from albumen.ml import models
    from albumen.worker.host import WorkerHost

    _, label, workers, kind = next(c for c in CONFIGS if c[0] == key)
    cores = len(os.sched_getaffinity(0))
    run = ingest_bench.PipelineRun(label, workers, "process", len(paths))
    with bench_runtime(key, workers, levers(kind, cores)) as rt:
        s = rt.settings
        host = WorkerHost(rt, workers=workers, worker_type="process")
        meter = ingest_bench.CpuMeter()
        start = time.perf_counter()
        report = import_paths(rt, paths)
        imported = time.perf_counter()
        as_guest_uploads(rt, report.asset_ids)  # not timed
        marked = time.perf_counter()
        host.start()
        try:
            states, first_ready, timed_out = ingest_bench.wait_for_processing(
                rt, 120 + 20 * len(paths))
            done = time.perf_counter()
            run.cpu = meter.read()
        finally:
            host.stop(graceful=True)
        run.import_s, run.processing_s = imported - start, done - marked
        run.total_s = run.import_s + run.processing_s
        run.first_ready_s = first_ready
        run.counts, run.states, run.timed_out = report.counts, states, timed_out
        run.failures = ingest_bench.failure_reasons(rt)
        result: dict[str, Any] = {
            "run": asdict(run),
            "levers": {"enrichments": list(s.enabled_enrichments), "workers": s.workers,
                       "onnx_threads": models.threads(s), "ocr_gate_size": s.ocr_gate_size,
                       "face_detect_gray": s.face_detect_gray},
            "outputs": collect_outputs(rt),
            "stage_failures": stage_failures(rt),
            "memory": {"largest_worker_hwm_mib":
                       resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024},
        }
        if stage_files is not None:
            by_name = dict(zip((p.name for p in paths), report.asset_ids, strict=True))
            result["stages"] = time_stages(rt, [by_name[n] for n in stage_files])
            status = ingest_bench.read_status(os.getpid())
            result["memory"].update({
                "all_models_hwm_mib": status["VmHWM"], "all_models_rss_mib": status["VmRSS"],
                "all_models_maxrss_mib":
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            })
    return result


def collect_outputs(rt: Any) -> dict[str, dict[str, Any]]:
    """What the enrichments stored, by file name: faces, text, screening, moderation."""
    from sqlalchemy import select

    from albumen.db.models import Asset, Face
    from albumen.ml.faces import from_bytes

    out: dict[str, dict[str, Any]] = {}
    with rt.session() as session:
        names = {}
        for asset in session.scalars(select(Asset)):
            names[asset.id] = asset.original_filename
            screened = asset.screening
            out[asset.original_filename] = {
                "ocr_text": asset.ocr_text,
                "moderation": asset.moderation,
                "moderation_note": asset.moderation_note,
                "screening": None if screened is None else {
                    "nudity": screened.get("nudity"),
                    "flags": [f.get("flag") for f in screened.get("flags", [])],
                    "labels": screened.get("labels"),
                    "sharpness": screened.get("sharpness"),
                    "brightness": screened.get("brightness"),
                },
                "faces": [],
            }
        for face in session.scalars(select(Face).order_by(Face.asset_id, Face.id)):
            out[names[face.asset_id]]["faces"].append({
                "box": [face.box_x, face.box_y, face.box_w, face.box_h],
                "size_px": face.size_px, "person": face.person_id,
                "embedding": [round(float(v), 6) for v in from_bytes(face.embedding or b"")],
            })
    return out


def stage_failures(rt: Any) -> list[str]:
    from sqlalchemy import select

    from albumen.db.models import FAILED, Asset, AssetStage

    with rt.session() as session:
        rows = session.execute(
            select(Asset.original_filename, AssetStage.stage, AssetStage.error)
            .join(AssetStage, AssetStage.asset_id == Asset.id)
            .where(AssetStage.state == FAILED)).all()
    return [f"{name}: {stage}: {error}" for name, stage, error in rows]


def warm_models(settings: Any) -> None:
    """Load every enabled model (and run it once) before anything is timed."""
    from albumen.ml import models

    enabled = settings.enabled_enrichments
    blank = np.zeros((64, 64, 3), dtype=np.uint8)
    if "screening" in enabled:
        models.screening(settings).predict_one(blank)
    if "faces" in enabled:
        models.faces(settings).predict_one(blank)
    if "places" in enabled:
        models.places(settings).predict_one((38.72, -9.14))
    if "ocr" in enabled:  # a card with text: detection, orientation and recognition all load
        card = Image.new("RGB", (420, 120), (250, 250, 250))
        ImageDraw.Draw(card).text((20, 30), "WARM UP 42", fill=(10, 10, 10),
                                  font=ImageFont.load_default(size=48))
        models.ocr(settings).predict_one(np.asarray(card))


def time_stages(rt: Any, asset_ids: list[int]) -> dict[str, Any]:
    """Each stage alone, photo after photo, in this process: ms by stage and file name."""
    from sqlalchemy import select

    from albumen.db.models import DONE, Asset, AssetStage, Derivative
    from albumen.library import stages as stage_code
    from albumen.library.processing import refresh_asset_state, reset_stages, run_stage
    from albumen.ml import models
    from albumen.pipeline import CORE

    with rt.session() as session:
        names = dict(session.execute(select(Asset.id, Asset.original_filename)
                                     .where(Asset.id.in_(asset_ids))).all())
    settings = rt.settings
    warm_models(settings)
    cache = stage_code.DECODED
    cache_size, cache.size = cache.size, 0  # every stage decodes the preview itself
    ms: dict[str, dict[str, float]] = {}
    gated: dict[str, bool] = {}
    try:
        ms["preview decode"] = {}
        for asset_id in asset_ids:
            with rt.session() as session:
                preview = session.get(Derivative, (asset_id, "preview"))
                if preview is None:
                    continue
                started = time.perf_counter()
                cache.get(rt, preview)
                ms["preview decode"][names[asset_id]] = 1000 * (time.perf_counter() - started)
        for stage in (*settings.enabled_enrichments, *CORE):
            reset_stages(rt, asset_ids, [stage])
            run_stage(rt, asset_ids[0], stage)  # untimed: first-call costs
            reset_stages(rt, asset_ids[:1], [stage])
            ocr = models.ocr(settings) if stage == "ocr" else None
            ms[stage] = {}
            for asset_id in asset_ids:
                before = ocr.gated if ocr is not None else 0
                started = time.perf_counter()
                run_stage(rt, asset_id, stage)
                ms[stage][names[asset_id]] = 1000 * (time.perf_counter() - started)
                if ocr is not None:
                    gated[names[asset_id]] = ocr.gated > before
    finally:
        cache.size = cache_size
    with rt.session() as session:
        rows = session.execute(select(AssetStage.asset_id, AssetStage.stage, AssetStage.state,
                                      AssetStage.error)
                               .where(AssetStage.state != DONE)).all()
    for asset_id in asset_ids:
        refresh_asset_state(rt, asset_id)
    return {"ms": ms, "gated": gated, "onnx_threads": models.threads(settings),
            "not_done": [f"{names.get(a, a)}: {stage} {state} {error}"
                         for a, stage, state, error in rows]}


def one_run(job_file: Path) -> None:
    """The child side: one pipeline (and maybe the stage timings), JSON next to the job."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    clean_environment()
    job = json.loads(job_file.read_text())
    result = measure_run(job["key"], [Path(p) for p in job["paths"]], job["stage_files"])
    job_file.with_name("result.json").write_text(json.dumps(result))


def run_in_child(key: str, photo_set: PhotoSet, stage_files: list[str] | None
                 ) -> dict[str, Any]:
    """One pipeline in a fresh interpreter (nothing carried over from another run); then,
    given ``stage_files``, each stage timed alone on those photos."""
    with tempfile.TemporaryDirectory(prefix="albumen-bench-enrich-") as tmp:
        job, result = Path(tmp) / "job.json", Path(tmp) / "result.json"
        job.write_text(json.dumps({"key": key, "paths": [str(p) for p in photo_set.paths],
                                   "stage_files": stage_files}))
        command = [sys.executable, str(Path(__file__).resolve()), "--one-run", str(job)]
        # In an empty folder: no .env of the caller's reaches code that reads the settings.
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp)
        if done.stderr.strip():
            sys.stderr.write(done.stderr)
        if done.returncode != 0 or not result.exists():
            raise RuntimeError(f"{photo_set.key} {key} failed ({done.returncode}):\n"
                               f"{done.stderr[-4000:]}")
        return json.loads(result.read_text())


# ------------------------------------------------------------------------------- accuracy


def label_of(box: list[float], info: dict[str, Any]) -> int | None:
    """Which of t1's six people a face box (0..1 of the photo) is, by where it is."""
    x, y, w, h = box
    (ox, oy), (ew, eh) = info["origin"], info["extent"]
    u, v = (x + w / 2 - ox) / ew, (y + h / 2 - oy) / eh
    if info["mirror"]:
        u = 1 - u
    px, py = u * T1_SIZE[0], v * T1_SIZE[1]
    best, best_d = None, math.inf
    for i, (left, top, side) in enumerate(PEOPLE_BOXES):
        d = math.hypot(px - left - side / 2, py - top - side / 2)
        if d < side / 2 and d < best_d:
            best, best_d = i, d
    return best


def face_accuracy(outputs: dict[str, Any], photo_set: PhotoSet) -> dict[str, Any]:
    people = len(PEOPLE_BOXES)
    recall: dict[str, list[float]] = {}
    extra = 0
    clusters: dict[int, list[int]] = {}
    matched = 0
    embeddings = []
    for name in photo_set.names():
        info = photo_set.info[name]
        found = outputs.get(name, {}).get("faces", [])
        labels = [label_of(f["box"], info) for f in found]
        extra += sum(label is None for label in labels)
        recall.setdefault(info["group"], []).append(len({x for x in labels if x is not None})
                                                    / people)
        for face, label in zip(found, labels, strict=True):
            if label is not None:
                matched += 1
                if face["person"] is not None:
                    clusters.setdefault(face["person"], []).append(label)
        embeddings.append(np.array([f["embedding"] for f in found], dtype=np.float32)
                          .reshape(-1, 128))
    clustered = sum(len(v) for v in clusters.values())
    majority = sum(Counter(v).most_common(1)[0][1] for v in clusters.values())
    every = [r for rs in recall.values() for r in rs]
    return {
        "recall": float(np.mean(every)) if every else 0.0,
        "recall_by_size": {g: float(np.mean(rs)) for g, rs in recall.items()},
        "extra_faces": extra,
        "match_purity": match_purity(embeddings),
        "people_purity": majority / clustered if clustered else 0.0,
        "people": len(clusters),
        "clustered_share": clustered / matched if matched else 0.0,
    }


def match_purity(embeddings: list[np.ndarray]) -> float:
    """bench/faces.py's purity (the first photo is the reference), 0 without a reference."""
    if not embeddings or len(embeddings[0]) < 2:
        return 0.0
    return float(faces_bench.purity(embeddings))


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").casefold())


def ocr_accuracy(outputs: dict[str, Any], photo_set: PhotoSet) -> dict[str, Any]:
    true_words = found_words = photos_read = with_text = false_text = without = 0
    missed = []
    for name in photo_set.names():
        lines = photo_set.info.get(name, {}).get("lines", [])
        text = outputs.get(name, {}).get("ocr_text")
        if not lines:
            without += 1
            false_text += bool(text)
            continue
        with_text += 1
        photos_read += bool(text)
        truth, read = words(" ".join(lines)), set(words(text))
        true_words += len(truth)
        hits = sum(w in read for w in truth)
        found_words += hits
        if hits < len(truth):
            missed.append(f"{name}: {hits}/{len(truth)} words, read {text!r}")
    return {
        "word_match": found_words / true_words if true_words else 0.0,
        "words": true_words, "words_found": found_words,
        "photos_with_text": with_text, "photos_with_text_read": photos_read,
        "photos_without_text": without, "photos_without_text_with_text_read": false_text,
        "missed": missed,
    }


def screening_changes(today: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    compared, changes = 0, []
    for name, old in today.items():
        now = new.get(name)
        if now is None:
            changes.append(f"{name}: missing from the new run")
            continue
        a, b = old["screening"], now["screening"]
        if a is None or b is None:
            if a != b:
                changes.append(f"{name}: screened in one run only")
            continue
        compared += 1
        diffs = []
        if a["flags"] != b["flags"]:
            diffs.append(f"flags {a['flags']} -> {b['flags']}")
        if old["moderation"] != now["moderation"]:
            diffs.append(f"moderation {old['moderation']} -> {now['moderation']}")
        if abs((a["nudity"] or 0.0) - (b["nudity"] or 0.0)) > NUDITY_TOLERANCE:
            diffs.append(f"nudity {a['nudity']:.3f} -> {b['nudity']:.3f}")
        if diffs:
            changes.append(f"{name}: {'; '.join(diffs)}")
    moderation = Counter(o["moderation"] for o in new.values() if o["screening"] is not None)
    return {"compared": compared, "changes": changes, "moderation_new": dict(moderation)}


# ------------------------------------------------------------------------------- report


def mean_ms(stage_ms: dict[str, float], names: list[str]) -> float | None:
    values = [stage_ms[n] for n in names if n in stage_ms]
    return float(np.mean(values)) if values else None


def stage_rows(photo_set: PhotoSet, timed: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the stage table: stage (or stage on a subset), ms/photo for each lever set."""
    groups: list[tuple[str, list[str]]] = [("", photo_set.names())]
    if photo_set.key == "text":
        groups += [(" (with text)", photo_set.names(lambda i: bool(i.get("lines")))),
                   (" (no text)", photo_set.names(lambda i: not i.get("lines")))]
    stages_seen = list(next(iter(timed.values()))["ms"]) if timed else []
    rows = []
    for stage in stages_seen:
        for suffix, names in groups if stage == "ocr" else groups[:1]:
            measured = {n for data in timed.values() for n in data["ms"].get(stage, {})}
            row: dict[str, Any] = {"stage": stage + suffix,
                                   "photos": len(measured.intersection(names))}
            for kind, data in timed.items():
                row[kind] = mean_ms(data["ms"].get(stage, {}), names)
            rows.append(row)
    enrichments = [r for r in rows if r["stage"] in ("screening", "bursts", "places", "faces",
                                                      "ocr", "dates")]
    if enrichments:
        total: dict[str, Any] = {"stage": "all enrichments", "photos": rows[0]["photos"]}
        for kind in timed:
            total[kind] = sum(r[kind] or 0.0 for r in enrichments)
        rows.append(total)
    return rows


def fmt(value: float | None, spec: str = ".0f") -> str:
    return "-" if value is None else format(value, spec)


def print_throughput(set_results: dict[str, Any]) -> None:
    header = (f"  {'pipeline':<34}{'total s':>8}{'photo/s':>9}{'import s':>9}{'proc s':>8}"
              f"{'proc photo/s':>13}{'cores':>7}{'others':>8}{'range photo/s':>15}")
    print(header)
    print("  " + "-" * (len(header) - 2))
    for key, _, _, _ in CONFIGS:
        run = set_results["runs"].get(key)
        if run is None:
            print(f"  {key:<34} NOT MEASURED: {set_results['errors'].get(key, '?')}")
            continue
        cpu = run["cpu"]
        samples = run["samples_photos_per_s"]
        spread = f"{min(samples):.2f}-{max(samples):.2f}"
        print(f"  {run['label']:<34}{run['total_s']:>8.2f}{run['photos_per_s']:>9.2f}"
              f"{run['import_s']:>9.2f}{run['processing_s']:>8.2f}"
              f"{run['processing_photos_per_s']:>13.2f}{cpu.get('own_cores', 0):>7.2f}"
              f"{cpu.get('others_cores', 0):>8.2f}{spread:>15}")
        problems = [f"timed out, states {run['states']}"] if run["timed_out"] else []
        problems += run["failures"] + run.get("stage_failures", [])
        if run["counts"].get("imported") != run["photos"]:
            problems.append(f"import counts {run['counts']}")
        for problem in problems[:8]:
            print(f"    ! {problem}")
        if len(problems) > 8:
            print(f"    ! ... {len(problems) - 8} more")


def print_stages(set_results: dict[str, Any]) -> None:
    rows = set_results.get("stage_rows") or []
    if not rows:
        print("  stage timings: NOT MEASURED")
        return
    threads = set_results.get("stage_threads", {})
    print(f"  {'stage (ms/photo, alone)':<30}{'photos':>7}"
          f"{'today':>10}{'new':>10}{'new/today':>11}"
          f"   (ONNX threads: today {threads.get('today', '-')}, new {threads.get('new', '-')})")
    for row in rows:
        today, new = row.get("today"), row.get("new")
        ratio = new / today if today and new is not None else None
        print(f"  {row['stage']:<30}{row['photos']:>7}{fmt(today):>10}{fmt(new):>10}"
              f"{fmt(ratio, '.2f'):>11}")
    for kind, gate in set_results.get("gate", {}).items():
        print(f"  OCR gate ({kind}): {gate['read_in_full']} of {gate['photos']} photos read in "
              f"full ({gate['with_text_read']} of {gate['with_text']} with text)")
        if kind == "new" and gate["with_text"] and gate["no_text_read"]:
            print(f"    read in full without text: {', '.join(gate['no_text_read'])}")
    for problem in set_results.get("stage_problems", [])[:8]:
        print(f"    ! {problem}")


def print_accuracy(set_results: dict[str, Any]) -> None:
    acc = set_results.get("accuracy")
    if not acc:
        print("  accuracy: NOT MEASURED")
        return
    if "faces" in acc:
        today, new = acc["faces"]["today"], acc["faces"]["new"]
        print(f"  faces           {'today':>10}{'new':>10}")
        print(f"  recall          {today['recall']:>10.1%}{new['recall']:>10.1%}")
        for group in today["recall_by_size"]:
            px = set_results["face_px"].get(group, "?")
            print(f"    t1 at {group:<18}{today['recall_by_size'][group]:>6.1%}"
                  f"{new['recall_by_size'].get(group, 0.0):>10.1%}   (faces ~{px} px "
                  "where the detector looks)")
        print(f"  extra faces     {today['extra_faces']:>10}{new['extra_faces']:>10}")
        print(f"  match purity    {today['match_purity']:>10.1%}{new['match_purity']:>10.1%}")
        print(f"  people purity   {today['people_purity']:>10.1%}{new['people_purity']:>10.1%}"
              f"   (people {today['people']} / {new['people']}, clustered faces "
              f"{today['clustered_share']:.0%} / {new['clustered_share']:.0%})")
    if "ocr" in acc:
        today, new = acc["ocr"]["today"], acc["ocr"]["new"]
        print(f"  OCR{'today':>42}{'new':>18}")
        for label, part, whole in (
            ("exact-word match", "words_found", "words"),
            ("photos with text given text", "photos_with_text_read", "photos_with_text"),
            ("photos without text given text", "photos_without_text_with_text_read",
             "photos_without_text"),
        ):
            shown = [f"{a[part]}/{a[whole]} ({a[part] / a[whole]:.1%})" if a[whole] else "-"
                     for a in (today, new)]
            print(f"  {label:<31}{shown[0]:>14}{shown[1]:>18}")
        for line in sorted(set(new["missed"]) - set(today["missed"]))[:6]:
            print(f"    missed by new only: {line}")
        for line in sorted(set(today["missed"]) - set(new["missed"]))[:6]:
            print(f"    missed by today only: {line}")
    screening = acc.get("screening")
    if screening:
        print(f"  screening: {screening['compared']} photos compared, "
              f"{len(screening['changes'])} changed; moderation (new) "
              f"{screening['moderation_new']}")
        for change in screening["changes"][:6]:
            print(f"    ! {change}")


def verdict(ok: bool | None) -> str:
    return "NOT MEASURED" if ok is None else ("PASS" if ok else "MISS")


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target: a line to print and whether it passed (None: not measured)."""
    sets = results["sets"]
    lines: list[dict[str, Any]] = []

    def runs_of(key: str) -> dict[str, Any]:
        return sets.get(key, {}).get("runs", {})

    def add(text: str, ok: bool | None, value: Any = None) -> None:
        lines.append({"line": text, "verdict": verdict(ok), "value": value})

    def info(text: str, value: Any) -> None:
        lines.append({"line": text, "verdict": "", "value": value})

    camera = runs_of("camera")
    spine = camera.get("spine_2", {}).get("photos_per_s")
    if spine and "default_2" in camera:
        ratio = {k: camera[k]["photos_per_s"] / spine for k in camera}
        add(f"1 default 2 workers / spine 2 workers (camera)  {ratio['default_2']:6.2f}   "
            f"target >= {TARGET_DEFAULT_VS_SPINE}   ({camera['default_2']['photos_per_s']:.2f} "
            f"vs {spine:.2f} photos/s)", ratio["default_2"] >= TARGET_DEFAULT_VS_SPINE, ratio)
        for key, label in (("default_1", "default 1 worker / spine"),
                           ("today_2", "today's levers 2 workers / spine")):
            if key in camera:
                info(f"  {label:<46}{ratio[key]:6.2f}   (info: "
                     f"{camera[key]['photos_per_s']:.2f} photos/s)", ratio[key])
        if "today_2" in camera:
            speed = camera["default_2"]["photos_per_s"] / camera["today_2"]["photos_per_s"]
            info(f"  {'default / today, 2 workers':<46}{speed:6.2f}   (info: speed-up)", speed)
    else:
        add("1 default 2 workers / spine 2 workers (camera)", None)

    text = sets.get("text", {})
    rows = {r["stage"]: r for r in text.get("stage_rows", [])}
    row = rows.get("ocr (no text)")
    if row and row.get("today") and row.get("new") is not None:
        ratio = row["new"] / row["today"]
        add(f"2 OCR ms/photo without text, new / today      {ratio:6.3f}   target <= "
            f"{TARGET_OCR_NO_TEXT:.2f}   ({row['new']:.0f} vs {row['today']:.0f} ms)",
            ratio <= TARGET_OCR_NO_TEXT, ratio)
    else:
        add("2 OCR ms/photo without text, new / today", None)
    ocr = text.get("accuracy", {}).get("ocr")
    if ocr:
        a, b = ocr["today"]["word_match"], ocr["new"]["word_match"]
        add(f"  OCR exact-word match, new vs today     {b:6.1%} vs {a:.1%}   target >= today",
            b >= a, {"today": a, "new": b})
    else:
        add("  OCR exact-word match, new vs today", None)

    face = sets.get("faces", {}).get("accuracy", {}).get("faces")
    if face:
        t, n = face["today"], face["new"]
        sizes_ok = all(n["recall_by_size"].get(g, 0.0) >= r
                       for g, r in t["recall_by_size"].items())
        by_size = ", ".join(f"{g.split()[0]}: {n['recall_by_size'].get(g, 0):.0%} vs {r:.0%}"
                            for g, r in t["recall_by_size"].items())
        add(f"3 face recall, new vs today            {n['recall']:6.1%} vs {t['recall']:.1%}"
            f"   target >= today at every size ({by_size})",
            n["recall"] >= t["recall"] and sizes_ok, {"today": t["recall"], "new": n["recall"]})
        add(f"  face purity, new vs today              match {n['match_purity']:.1%} vs "
            f"{t['match_purity']:.1%}, people {n['people_purity']:.1%} vs "
            f"{t['people_purity']:.1%}   target >= today",
            n["match_purity"] >= t["match_purity"] and n["people_purity"] >= t["people_purity"])
    else:
        add("3 face recall and purity, new vs today", None)

    compared = changed = 0
    measured = False
    for set_results in sets.values():
        screening = set_results.get("accuracy", {}).get("screening")
        if screening:
            measured = True
            compared += screening["compared"]
            changed += len(screening["changes"])
    add(f"4 screening decisions changed vs today   {changed} of {compared} photos   target 0",
        changed == 0 and compared > 0 if measured else None, {"compared": compared,
                                                              "changed": changed})

    peaks = {k: s["memory"]["all_models_hwm_mib"] for k, s in sets.items()
             if s.get("memory", {}).get("all_models_hwm_mib")}
    if "camera" in peaks:
        peak = peaks["camera"]
        others = ", ".join(f"{k} {v:.0f}" for k, v in peaks.items() if k != "camera")
        add(f"5 one process, every model, peak RSS    {peak:6.0f} MiB   target < "
            f"{TARGET_MEMORY_MIB:.0f}" + (f"   (other sets: {others} MiB)"
                                         if others else ""),
            peak < TARGET_MEMORY_MIB, peaks)
    else:
        add("5 one process, every model, peak RSS", None)
    return lines


def summarise_set(photo_set: PhotoSet, samples: dict[str, list[dict[str, Any]]],
                  errors: dict[str, str]) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    for key, found in samples.items():
        if not found:
            continue
        kept = ingest_bench.median_of(found, lambda r: r["run"]["total_s"])
        run = ingest_bench.PipelineRun(**kept["run"]).to_dict()
        run["samples_photos_per_s"] = [
            ingest_bench.PipelineRun(**r["run"]).photos_per_s for r in found]
        run["stage_failures"] = kept["stage_failures"]
        run["levers"] = kept["levers"]
        runs[key] = run
    out: dict[str, Any] = {"label": photo_set.label, "photos": len(photo_set.paths),
                           "files": photo_set.names(), "runs": runs, "errors": errors}
    first = {key: found[0] for key, found in samples.items() if found}
    timed = {STAGE_RUNS[k]: r["stages"] for k, r in first.items() if "stages" in r}
    timed = {kind: timed[kind] for kind in ("today", "new") if kind in timed}
    out["stage_rows"] = stage_rows(photo_set, timed)
    out["stage_ms"] = {kind: {"ms": t["ms"], "ocr_gated": t["gated"]} for kind, t in timed.items()}
    out["stage_threads"] = {kind: t["onnx_threads"] for kind, t in timed.items()}
    out["stage_problems"] = [p for t in timed.values() for p in t["not_done"]]
    with_text = set(photo_set.names(lambda i: bool(i.get("lines"))))
    out["gate"] = {kind: {"photos": len(t["gated"]),
                          "read_in_full": sum(not g for g in t["gated"].values()),
                          "with_text": len(with_text & set(t["gated"])),
                          "with_text_read": sum(not g for n, g in t["gated"].items()
                                                if n in with_text),
                          "no_text_read": sorted(n for n, g in t["gated"].items()
                                                 if not g and n not in with_text)}
                   for kind, t in timed.items() if t["gated"]}
    out["memory"] = first.get("default_1", {}).get("memory", {})  # the new levers, timed
    out["memory_all_runs"] = {k: r["memory"] for k, r in first.items()}
    if photo_set.key == "faces":
        out["face_px"] = {i["group"]: i["face_px"] for i in photo_set.info.values()}
    if NEW_RUN in first and TODAY_RUN in first:
        new, today = first[NEW_RUN]["outputs"], first[TODAY_RUN]["outputs"]
        accuracy: dict[str, Any] = {"screening": screening_changes(today, new)}
        if photo_set.key == "faces":
            accuracy["faces"] = {"today": face_accuracy(today, photo_set),
                                 "new": face_accuracy(new, photo_set)}
        if photo_set.key == "text":
            accuracy["ocr"] = {"today": ocr_accuracy(today, photo_set),
                               "new": ocr_accuracy(new, photo_set)}
        out["accuracy"] = accuracy
        out["accuracy_rounds"] = len(samples.get(NEW_RUN, []))
        out["outputs"] = {kind: {name: {**o, "faces": [
            {k: v for k, v in f.items() if k != "embedding"} for f in o["faces"]]}
            for name, o in outputs.items()} for kind, outputs in (("new", new),
                                                                   ("today", today))}
    return out


# ------------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=24,
                        help="generated 12 MP photos in the camera set (24)")
    parser.add_argument("--text-photos", type=int, default=24,
                        help="photos of the text set, half with text (24; 105 are made)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the pipelines; the median run is reported (1)")
    parser.add_argument("--sets", default=",".join(SETS),
                        help=f"comma-separated, of {', '.join(SETS)} (all)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="folder for enrich.json and the generated photos (bench/out)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="the generated 12 MP photos (OUT/photos, shared with ingest.py)")
    parser.add_argument("--quiet-wait", type=float, default=60,
                        help="before each run, wait up to this many seconds for other "
                             "processes to leave the CPUs idle (60)")
    parser.add_argument("--stage-photos", type=int, default=12,
                        help="photos of each set each stage is timed on, picked evenly (the "
                             "text set's half with text) (12)")
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)  # a child's job file
    return parser.parse_args()


def stage_photos(photo_set: PhotoSet, count: int) -> list[str]:
    """The photos each stage is timed on: ``count`` of the set, evenly (half with text)."""
    if photo_set.key != "text":
        return evenly(photo_set.names(), count)
    return (evenly(photo_set.names(lambda i: bool(i.get("lines"))), count - count // 2)
            + evenly(photo_set.names(lambda i: not i.get("lines")), count // 2))


def prepare_sets(args: argparse.Namespace) -> dict[str, PhotoSet]:
    from albumen.config import Settings

    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = sorted(set(wanted) - set(SETS))
    if unknown:
        sys.exit(f"unknown set(s) {unknown}; known: {', '.join(SETS)}")
    detect_size = Settings(_env_file=None).face_detect_size
    sets: dict[str, PhotoSet] = {}
    for key in wanted:
        started = time.perf_counter()
        print(f"preparing the {key} set ...", flush=True)
        if key == "camera":
            sets[key] = camera_set(args.cache or args.out / "photos", args.photos)
        elif key == "faces":
            if not faces_bench.FACES.exists():
                sys.exit(f"{faces_bench.FACES} missing: run `make test-data` first")
            sets[key] = faces_set(args.out / "enrich" / "faces", detect_size)
        else:
            sets[key] = text_set(args.out / "enrich" / "text", args.text_photos)
        ingest_bench.warm_page_cache(sets[key].paths)
        print(f"  {sets[key].label} ({time.perf_counter() - started:.1f} s)", flush=True)
    return sets


def main() -> None:
    args = parse_args()
    if args.one_run:
        one_run(args.one_run)
        return
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    dropped = clean_environment()
    if dropped:
        print(f"ignoring the caller's {', '.join(dropped)} (settings are passed explicitly)")
    started = time.perf_counter()
    sets = prepare_sets(args)
    samples = {k: {c[0]: [] for c in CONFIGS} for k in sets}
    errors: dict[str, dict[str, str]] = {k: {} for k in sets}
    waited: dict[str, float] = {}
    for round_ in range(args.repeat):
        for set_key, photo_set in sets.items():
            for key, label, _, _ in CONFIGS:
                if key in errors[set_key]:
                    continue
                tag = f"{set_key}/{key}#{round_ + 1}"
                waited[tag] = ingest_bench.wait_for_quiet(args.quiet_wait)
                print(f"{set_key}: {label} (round {round_ + 1}/{args.repeat}) ...", end=" ",
                      flush=True)
                timed = stage_photos(photo_set, args.stage_photos)
                try:
                    found = run_in_child(key, photo_set, timed if round_ == 0
                                         and key in STAGE_RUNS else None)
                except RuntimeError as exc:
                    errors[set_key][key] = str(exc).splitlines()[0]
                    print(f"FAILED\n{exc}", flush=True)
                    continue
                samples[set_key][key].append(found)
                run = ingest_bench.PipelineRun(**found["run"])
                print(f"{run.photos_per_s:.2f} photos/s ({run.total_s:.1f} s)", flush=True)
    results: dict[str, Any] = {
        "machine": ingest_bench.machine_facts(),
        "repeat": args.repeat,
        "waited_for_quiet_s": waited,
        "ignored_environment": dropped,
        "sets": {k: summarise_set(s, samples[k], errors[k]) for k, s in sets.items()},
    }
    results["targets"] = targets(results)
    results["seconds"] = time.perf_counter() - started
    print_report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / "enrich.json"
    out_file.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwritten to {out_file} (whole run {results['seconds']:.0f} s)")


def print_report(results: dict[str, Any]) -> None:
    facts = results["machine"]
    print(f"\nmachine: {facts['cpu_count']} CPUs ({facts['cpus_usable']} usable), "
          f"Python {facts['python']}, numpy {facts['numpy']}; median of {results['repeat']} "
          "round(s); cores: used by this benchmark, others: by other processes")
    for key, set_results in results["sets"].items():
        print(f"\n== {key}: {set_results['label']}")
        levers_of = {k: r["levers"] for k, r in set_results["runs"].items()}
        for run_key in ("default_2", "today_2"):
            if run_key in levers_of:
                lv = levers_of[run_key]
                print(f"  {run_key}: ONNX threads {lv['onnx_threads']}, OCR gate "
                      f"{lv['ocr_gate_size']}, grey face detection {lv['face_detect_gray']}")
        print_throughput(set_results)
        print()
        print_stages(set_results)
        print()
        print_accuracy(set_results)
        memory = set_results.get("memory", {})
        if memory.get("all_models_hwm_mib"):
            print(f"  memory: one process with every model, after the stage timings: VmHWM "
                  f"{memory['all_models_hwm_mib']:.0f} MiB (VmRSS "
                  f"{memory['all_models_rss_mib']:.0f}); largest pipeline worker "
                  f"{memory['largest_worker_hwm_mib']:.0f} MiB")
    busy = [f"{k}/{r['label']} ({r['cpu']['others_cores']:.2f})"
            for k, s in results["sets"].items() for r in s["runs"].values()
            if r["cpu"].get("others_cores", 0) > ingest_bench.BUSY_THRESHOLD_CORES]
    print("\ntargets")
    for target in results["targets"]:
        print(f"  {target['line']}  {target['verdict']}".rstrip())
    if busy:
        print(f"\n! {len(busy)} of the runs kept shared the CPUs with other processes (cores "
              f"they used in brackets; over {ingest_bench.BUSY_THRESHOLD_CORES} disturbs the "
              "timings):\n  " + "\n  ".join(busy))


if __name__ == "__main__":
    main()
