"""OCR precision: how often "has text" and the kept lines are right, before and after the
filter of ml/ocr_filter.py, on photos whose text is known.

Run: ``.venv/bin/python bench/ocr_precision.py [--variant N] [--show]`` (the portraits of
``make test-data`` join the photos without text where they are fetched). The filter's rules
were written looking at variant 0; ``--variant 1`` (other crops, seeds, sizes and angles) is
the check on photos it was not written against.

The photos (tests/text_scenes.py): with text, signs, banners and documents rendered with
DejaVu and STIX fonts on photo-like backgrounds, at sizes from 22 to 150 px (some faded, out
of focus and grainy) and angles up to 20 degrees, and posters in real photos; without text,
the real photos here (portraits, a temple, a flower, Grace Hopper before a flag) whole and in
crops scaled to a camera photo's preview, and textures (foliage, bricks, grass, fences,
fabric, gravel, wood). Each goes through what the pipeline does: a JPEG, its 1440 px preview,
the real PP-OCR models.

In the same run, three readings of every photo:

baseline   what albumen stored before: every line the reader returned at 0.5 or more, the
           preview handed over as RGB (RapidOCR reads an array as BGR)
raw        the same, the preview handed over as BGR (the reader as it is meant to run)
ours       raw, then the filter: only the lines it keeps

"has text": a photo with any line; precision over photos said to have text, recall over the
photos with text. Lines: a line is right when at least 80% of its characters (letters and
digits, in order) are in the photo's true text; a true line is found when 80% of its
characters are in the photo's lines. ``--show`` prints each photo's lines and verdicts.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import simplejpeg
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests import text_scenes  # noqa: E402

from albumen.media.derivatives import fit_short_side  # noqa: E402
from albumen.ml.ocr import OcrModel, TextLine  # noqa: E402

PREVIEW = 1440
MATCH = 0.8


def preview(image: Image.Image) -> np.ndarray:
    """What the OCR stage reads: the photo as a JPEG, then its preview (as derivatives.py)."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    pixels = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    scaled = np.ascontiguousarray(fit_short_side(pixels, PREVIEW))
    return simplejpeg.decode_jpeg(simplejpeg.encode_jpeg(scaled, quality=85))


def norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _covered(part: str, whole: str) -> float:
    """The share of ``part``'s characters found, in order, in ``whole``."""
    if not part:
        return 0.0
    blocks = SequenceMatcher(None, part, whole, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(part)


@dataclass
class Tally:
    said_text: int = 0  # photos with any line
    said_text_right: int = 0  # ... that have text
    photos_with_text: int = 0
    lines: int = 0
    lines_right: int = 0
    truths: int = 0
    truths_found: int = 0

    def add(self, truth: list[str], lines: list[str]) -> None:
        whole = " ".join(norm(t) for t in truth)
        self.photos_with_text += bool(truth)
        self.said_text += bool(lines)
        self.said_text_right += bool(lines) and bool(truth)
        self.lines += len(lines)
        self.lines_right += sum(_covered(norm(line), whole) >= MATCH for line in lines)
        read = " ".join(norm(line) for line in lines)
        self.truths += len(truth)
        self.truths_found += sum(_covered(norm(t), read) >= MATCH for t in truth)

    def row(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:6.1%} ({a}/{b})" if b else "     - (0/0)"

        return (f"{name:9s} has text: precision {ratio(self.said_text_right, self.said_text)}"
                f"  recall {ratio(self.said_text_right, self.photos_with_text)}\n"
                f"{'':9s} lines:    precision {ratio(self.lines_right, self.lines)}"
                f"  recall {ratio(self.truths_found, self.truths)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", type=int, default=0, help="another draw of the photos")
    parser.add_argument("--show", action="store_true", help="print every photo's lines")
    args = parser.parse_args()
    model = OcrModel()
    scenes = text_scenes.with_text(args.variant) + text_scenes.without_text(args.variant)
    tallies = {"baseline": Tally(), "raw": Tally(), "ours": Tally()}
    reasons: Counter[str] = Counter()
    wrongly_dropped: list[str] = []
    left: list[str] = []
    started = time.perf_counter()
    for scene in scenes:
        pixels = preview(scene.image)
        # The model flips what it is given to BGR: given BGR, it hands RapidOCR RGB, as the
        # OCR stage did before.
        before = model.predict_one(np.ascontiguousarray(pixels[..., ::-1]))
        raw: list[TextLine] = model.predict_one(pixels)
        kept = [line.text for line in raw if line.dropped is None]
        tallies["baseline"].add(scene.lines, [line.text for line in before])
        tallies["raw"].add(scene.lines, [line.text for line in raw])
        tallies["ours"].add(scene.lines, kept)
        whole = " ".join(norm(t) for t in scene.lines)
        for line in raw:
            if line.dropped:
                reasons[line.dropped.split(" (")[0]] += 1
                if scene.lines and _covered(norm(line.text), whole) >= MATCH:
                    wrongly_dropped.append(f"{scene.name}: {line.text!r} {line.confidence:.3f}"
                                           f" ({line.dropped})")
            elif _covered(norm(line.text), whole) < MATCH:
                left.append(f"{scene.name}: {line.text!r} {line.confidence:.3f}")
        if args.show:
            print(f"{scene.name} {pixels.shape[1]}x{pixels.shape[0]} truth={scene.lines}")
            for line in raw:
                print(f"    {line.confidence:.3f} {line.text!r:32s} {line.dropped or 'kept'}")
    seconds = time.perf_counter() - started
    with_text = sum(bool(s.lines) for s in scenes)
    print(f"{len(scenes)} photos: {with_text} with text ({sum(len(s.lines) for s in scenes)} "
          f"lines), {len(scenes) - with_text} without; {seconds:.0f} s for both readings")
    for name, tally in tallies.items():
        print(tally.row(name))
    print("dropped lines by reason:", ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    print(f"true lines the filter dropped ({len(wrongly_dropped)}):",
          *wrongly_dropped or ["none"], sep="\n    ")
    print(f"wrong lines the filter kept ({len(left)}):", *left or ["none"], sep="\n    ")


if __name__ == "__main__":
    main()
