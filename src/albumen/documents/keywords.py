"""Keywords of a document's text: YAKE (``yake``, unsupervised, statistical features of one
text, no model; LGPL-3.0, which our AGPL-3.0 allows), with its stop words for the document's
language where it has a list (34 languages), a language-neutral list otherwise.

On top of YAKE: candidates that are not words are dropped (OCR noise: mostly digits or
punctuation, one letter, stray marks), terms are deduplicated without regard to case, and a
term whose words all appear in a better one is dropped ("contract" after "photography
contract"). Texts are read up to ``TEXT_LIMIT`` characters (YAKE costs ~5 ms a thousand).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

TEXT_LIMIT = 50_000
MAX_WORDS = 3  # the longest keyphrase
_WORD = re.compile(r"[^\W\d_]{2,}")  # a word: two or more letters
# ISO 639-1 codes whose stop-word file YAKE names otherwise.
_YAKE_CODES = {"cs": "cz"}


@dataclass(frozen=True)
class Keyword:
    """``score`` is YAKE's: lower is more relevant (lists are best first)."""

    term: str
    score: float


@functools.cache
def _stopwords(language: str | None) -> frozenset[str]:
    import yake

    folder = os.path.join(os.path.dirname(yake.__file__), "core", "StopwordsList")
    code = _YAKE_CODES.get(language or "", language or "")
    path = os.path.join(folder, f"stopwords_{code}.txt")
    if not code or not code.isalpha() or not os.path.isfile(path):
        # (Passing YAKE lan="noLang" would read Norwegian: it looks at the first two letters.)
        path = os.path.join(folder, "stopwords_noLang.txt")
    with open(path, encoding="utf-8", errors="replace") as f:
        return frozenset(w.strip().lower() for w in f.read().split("\n") if w.strip())


def _clean(term: str) -> str | None:
    """The term with its spacing collapsed, or None if it is not made of words."""
    term = " ".join(term.split())
    words = term.split(" ")
    letters = sum(ch.isalpha() for ch in term)
    if letters < 0.7 * len(term.replace(" ", "")) or not all(_WORD.search(w) for w in words):
        return None
    return term


def keywords(text: str, language: str | None = None, top: int = 10) -> list[Keyword]:
    """Up to ``top`` keywords or keyphrases (1-3 words) of ``text``, best first.
    ``language``: an ISO 639-1 code (``language.detect``), for the stop words."""
    text = text[:TEXT_LIMIT]
    if top <= 0 or not _WORD.search(text):
        return []
    import yake

    extractor = yake.KeywordExtractor(n=MAX_WORDS, top=top * 4, dedup_lim=0.8,
                                      stopwords=set(_stopwords(language)))
    kept: list[Keyword] = []
    seen: list[set[str]] = []
    for term, score in extractor.extract_keywords(text):
        cleaned = _clean(term)
        if cleaned is None:
            continue
        words = set(cleaned.lower().split(" "))
        if any(words <= earlier for earlier in seen):
            continue
        kept.append(Keyword(cleaned, float(score)))
        seen.append(words)
        if len(kept) == top:
            break
    return kept
