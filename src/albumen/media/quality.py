"""Cheap image quality measures on a small grey copy: sharpness and exposure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

SIDE = 512


@dataclass
class Quality:
    sharpness: float  # variance of the Laplacian: under ~60 looks blurry at this size
    brightness: float  # mean luminance 0..255
    dark_fraction: float  # share of nearly black pixels
    bright_fraction: float  # share of blown-out pixels


def measure(im: Image.Image) -> Quality:
    grey = im.convert("L")
    grey.thumbnail((SIDE, SIDE), Image.Resampling.BILINEAR)
    g = np.asarray(grey, dtype=np.float32)
    lap = g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:] - 4 * g[1:-1, 1:-1]
    # under 3 pixels across (a strip, a dot) there is no inside to measure: no detail, not NaN
    # (which no JSON column takes)
    sharpness = float(lap.var()) if lap.size else 0.0
    return Quality(sharpness=round(sharpness, 2), brightness=round(float(g.mean()), 2),
                   dark_fraction=round(float((g < 16).mean()), 4),
                   bright_fraction=round(float((g > 250).mean()), 4))
