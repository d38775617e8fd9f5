"""The language a document's text is written in: py3langid (langid.py's naive Bayes model over
byte n-grams, 97 languages, a 4.6 MB model inside the wheel, numpy only; BSD-3-Clause).

Chosen by measurement against langdetect, lingua and fastText's lid.176.ftz (docs/decisions.md,
"Document text analysis"): as accurate as any of them from six words on, deterministic, a
millisecond a page, and its model ships in the wheel and loads in under a second.

Long texts are read as at most ``WINDOWS`` windows of ``WINDOW`` characters spread over the text
and their probabilities averaged: the model's normalised probability degrades on very long
inputs (0.03 for a 1 MB English text), and a window is enough to tell a language.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

WINDOW = 2000
WINDOWS = 5
MIN_LETTERS = 3  # fewer letters than this, and there is nothing to detect
# The model's regional or historical varieties folded into their ISO 639-1 language.
_FOLD = {"ary": "ar", "arz": "ar", "hbo": "he", "yue": "zh", "wuu": "zh", "uzs": "uz",
         "sdh": "ku", "gug": "gn"}
_NO_LANGUAGE = "zxx"  # the model's "no linguistic content"

_lock = threading.Lock()
_identifier: Any = None


@dataclass(frozen=True)
class Language:
    """``code``: ISO 639-1 where the language has one (all but a few the model knows have),
    else its ISO 639-3 code; ``confidence``: the model's probability, 0..1."""

    code: str
    confidence: float


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def windows(text: str) -> list[str]:
    """The pieces of ``text`` the detector reads: all of it if short, else windows spread
    evenly over it (cut at spaces where there are any)."""
    if len(text) <= WINDOW * WINDOWS:
        return [text]
    step = (len(text) - WINDOW) // (WINDOWS - 1)
    out = []
    for i in range(WINDOWS):
        start = i * step
        space = text.find(" ", start, start + 100)
        start = space + 1 if space >= 0 else start
        out.append(text[start:start + WINDOW])
    return out


def detect(text: str) -> Language | None:
    """The language of ``text``, or None when it holds (almost) no letters or the model reads
    it as no language at all. Short texts (a few words) get low confidences; callers that
    store the language should keep the confidence with it."""
    if sum(ch.isalpha() for ch in text[:WINDOW * WINDOWS]) < MIN_LETTERS:
        return None
    model = _model()
    totals: dict[str, float] = {}
    pieces = [w for w in windows(text) if any(ch.isalpha() for ch in w)]
    for piece in pieces:
        for code, p in model.rank(piece):
            code = _FOLD.get(code, code)
            totals[code] = totals.get(code, 0.0) + float(p)
    code, total = max(totals.items(), key=lambda kv: kv[1])
    if code == _NO_LANGUAGE:
        return None
    return Language(code, round(min(1.0, total / len(pieces)), 4))
