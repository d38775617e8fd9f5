"""Face pipeline benchmark: albumen's pipeline vs the plain face_recognition-style loop.

Run: ``.venv/bin/python bench/faces.py`` (needs ``make test-data`` for the face photos).

The labelled set: insightface's sample group photo t1.jpg (six people, known) turned into
12-megapixel "camera" photos (upscaled to 4000 px, and mirrored / re-exposed / rescaled
variants), so each photo has six known faces. In the same run:

baseline   what most projects do: the full-size image, HOG detector with one upsampling pass,
           68-point landmarks, one image at a time (face_recognition's defaults, same dlib
           weights).
albumen    the pipeline as the faces stage runs it: the 1440 px preview (made from the
           original by DCT-scaled decode, as the derivatives stage does), detection at
           ``face_detect_size``, 5-point alignment, batched descriptors per image.

It prints seconds per photo for each and the speed-up (target >= 2x at equal or better
recall), detection recall against the six known faces, clustering purity of albumen's people
(each person should hold one identity), and the resident memory of one process with every
model (faces, OCR, screening, places) loaded (target < 1.5 GB).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from albumen.config import Settings  # noqa: E402
from albumen.media.derivatives import fit_short_side  # noqa: E402
from albumen.media.imaging import open_for_display  # noqa: E402
from albumen.ml import models  # noqa: E402
from albumen.ml.faces import SAME_PERSON, distances  # noqa: E402

FACES = ROOT / ".venv" / "test-data" / "faces" / "t1.jpg"
PEOPLE = 6


def camera_photos(out: Path) -> list[Path]:
    base = Image.open(FACES).convert("RGB")
    big = base.resize((4000, round(4000 * base.height / base.width)), Image.Resampling.LANCZOS)
    variants = [big, ImageOps.mirror(big), ImageEnhance.Brightness(big).enhance(1.2),
                ImageEnhance.Contrast(ImageOps.mirror(big)).enhance(0.8)]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, im in enumerate(variants):
        path = out / f"camera-{i}.jpg"
        im.save(path, "JPEG", quality=92)
        paths.append(path)
    return paths


def baseline(paths: list[Path]) -> tuple[float, list[np.ndarray]]:
    import dlib
    import face_recognition_models as w

    detector = dlib.get_frontal_face_detector()
    shape68 = dlib.shape_predictor(w.pose_predictor_model_location())
    encoder = dlib.face_recognition_model_v1(w.face_recognition_model_location())
    started = time.perf_counter()
    results = []
    for path in paths:
        image = np.asarray(Image.open(path).convert("RGB"))
        found = detector(image, 1)
        vectors = [np.asarray(encoder.compute_face_descriptor(image, shape68(image, r)))
                   for r in found]
        results.append(np.array(vectors))
    return (time.perf_counter() - started) / len(paths), results


def pipeline(paths: list[Path], settings: Settings) -> tuple[float, list[np.ndarray]]:
    model = models.faces(settings)
    model.predict_one(np.zeros((64, 64, 3), dtype=np.uint8))  # load outside the timing
    started = time.perf_counter()
    results = []
    for path in paths:
        preview = fit_short_side(open_for_display(path, settings.preview_size, 10**9),
                                 settings.preview_size)
        found = model.predict_one(np.ascontiguousarray(preview[:, :, :3]))
        results.append(np.array([f.embedding for f in found]))
    return (time.perf_counter() - started) / len(paths), results


def purity(results: list[np.ndarray]) -> float:
    """Share of faces whose nearest match in every other photo is the same identity as in the
    reference photo (identity = index of the nearest face in photo 0)."""
    ref = results[0]
    good = total = 0
    for other in results[1:]:
        for vector in other:
            d = distances(ref, vector.astype(np.float32))
            total += 1
            good += bool(d.min() < SAME_PERSON and (np.sort(d)[1] > SAME_PERSON))
    return good / total if total else 0.0


def all_models_rss(settings: Settings) -> float:
    image = np.asarray(Image.open(FACES).convert("RGB"))
    models.faces(settings).predict_one(image)
    models.ocr(settings).predict_one(image)
    models.screening(settings).predict_one(image)
    models.places(settings).predict_one((38.72, -9.14))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    if not FACES.exists():
        sys.exit(f"{FACES} missing: run `make test-data` first")
    out = ROOT / "bench" / "out" / "faces"
    paths = camera_photos(out)
    settings = Settings(data_dir=out)
    base_s, base_res = baseline(paths)
    ours_s, ours_res = pipeline(paths, settings)
    recall_base = np.mean([min(len(r), PEOPLE) / PEOPLE for r in base_res])
    recall_ours = np.mean([min(len(r), PEOPLE) / PEOPLE for r in ours_res])
    print(f"photos: {len(paths)} x {Image.open(paths[0]).size[0]}x"
          f"{Image.open(paths[0]).size[1]} JPEG, {PEOPLE} known faces each")
    print(f"baseline (full size, upsample 1, 68 points): {base_s:6.2f} s/photo, "
          f"recall {recall_base:.0%}, purity {purity(base_res):.0%}")
    print(f"albumen  (preview, detect at {settings.face_detect_size} px):    {ours_s:6.2f} "
          f"s/photo, recall {recall_ours:.0%}, purity {purity(ours_res):.0%}")
    ratio = base_s / ours_s
    verdict = "PASS" if ratio >= 2 and recall_ours >= recall_base else "MISS"
    print(f"speed-up {ratio:.1f}x (target >= 2x at equal or better recall): {verdict}")
    rss = all_models_rss(settings)
    print(f"peak RSS with faces, OCR, screening and places loaded: {rss:.0f} MiB "
          f"(target < 1536): {'PASS' if rss < 1536 else 'MISS'}")


if __name__ == "__main__":
    main()
