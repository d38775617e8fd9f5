"""How a candidate photo is scored for a viewer: pure functions on arrays, shared by
``recommend.py`` and ``bench/recommend.py`` (which tuned the weights).

The score is the log of the photo's popularity, plus the log-lift of the person in it the
viewer looks for most (how much more often than chance they engaged with photos of that
person: themselves, family, friends), plus a little of the model's preference, standardised.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

W_PEOPLE, W_MODEL = 1.5, 0.25
LIFT_PRIOR = 1.0  # engagements' worth of "as often as chance" each person starts with


def standard(values: np.ndarray) -> np.ndarray:
    spread = float(values.std()) if len(values) else 0.0
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def people_lift(observed: Counter[Any], engagements: int, share: dict[Any, float]
                ) -> dict[Any, float]:
    """Log-lift of each person: how much more often than chance (their share of the photos
    the viewer may see) the viewer engaged with photos of them."""
    return {p: float(np.log((observed.get(p, 0) + LIFT_PRIOR)
                            / (engagements * s + LIFT_PRIOR)))
            for p, s in share.items()}


def people_scores(lift: dict[Any, float], people: list[set[Any]]) -> np.ndarray:
    """Each candidate's best lift (0 for a photo of no one the viewer looks for)."""
    return np.array([max([lift.get(p, 0.0) for p in who] + [0.0]) for who in people],
                    dtype=np.float64)


def blend_scores(log_popularity: np.ndarray, preference: np.ndarray | None,
                 people: np.ndarray | None, dtype: Any = np.float64) -> np.ndarray:
    """The final score of each candidate (-inf preferences count as none). ``dtype``
    float32 for a first pass over every photo of a large library (half the memory traffic)."""
    score = log_popularity.astype(dtype)
    if people is not None:
        score = score + W_PEOPLE * people
    if preference is not None and len(preference):
        finite = np.where(np.isfinite(preference), preference, 0.0).astype(dtype, copy=False)
        score += (W_MODEL * standard(finite)).astype(dtype, copy=False)
    return score
