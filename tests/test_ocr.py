"""OCR with the real PP-OCR models (RapidOCR) on photos with known text rendered in them."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHRASES = ["HAPPY BIRTHDAY ANNA", "Welcome to Lisbon", "EXIT 12", "Cafe Central",
           "Congratulations 2026", "Platform 4"]


def _scene(text: str, seed: int) -> bytes:
    """A 'photo' of a sign: textured background, coloured board, slightly soft text."""
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 200, size=(900, 1400, 3), dtype=np.uint8)
    im = Image.fromarray(base).filter(ImageFilter.GaussianBlur(6))
    draw = ImageDraw.Draw(im)
    draw.rectangle((120, 250, 1280, 560), fill=tuple(int(v) for v in rng.integers(200, 255, 3)))
    draw.text((170, 340), text, fill=(20, 20, 60), font=ImageFont.load_default(size=96))
    im = im.filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def test_text_found_with_boxes_and_confidence(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="ocr")
    exact = 0
    for seed, phrase in enumerate(PHRASES):
        asset = c.post("/api/v1/assets", files={"file": (f"s{seed}.jpg", _scene(phrase, seed))}
                       ).json()["asset"]
        detail = c.get(f"/api/v1/assets/{asset['id']}").json()
        assert detail["state"] == "ready"
        lines = detail["text_lines"]
        got = " ".join(line["text"] for line in lines)
        assert detail["text"] == "\n".join(line["text"] for line in lines)
        assert detail["text_truncated"] is False
        exact += got.replace(" ", "").lower() == phrase.replace(" ", "").lower()
        for line in lines:
            assert 0.5 <= line["confidence"] <= 1
            xs = [p[0] for p in line["box"]]
            ys = [p[1] for p in line["box"]]
            assert 0.05 < min(xs) < max(xs) < 0.95 and 0.2 < min(ys) < max(ys) < 0.7
    rate = exact / len(PHRASES)
    print(f"OCR exact-match rate: {exact}/{len(PHRASES)} = {rate:.0%}")
    assert rate >= 5 / 6


def test_photo_without_text_has_none(app_client: Callable[..., TestClient]) -> None:
    from tests import images

    c = app_client(enrichments="ocr")
    asset = c.post("/api/v1/assets", files={"file": ("p.jpg", images.jpeg(seed=4))}
                   ).json()["asset"]
    detail = c.get(f"/api/v1/assets/{asset['id']}").json()
    assert detail["text"] == "" and detail["text_lines"] == [] and not detail["text_truncated"]
