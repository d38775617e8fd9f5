"""Extractive summaries: the document's most central sentences, in document order.

Sentences come from segtok's splitter (``split_multi``: it knows abbreviations, initials,
decimals and dates such as "Dr. Smith", "No. 5", "12.50", "07.12.2026"; it is already here as
YAKE's dependency), within paragraphs (blank lines and bullets separate them; a single line
break, as OCR leaves in mid-sentence, does not).
Sentences are ranked LexRank-style: TF-IDF vectors (word unigrams and bigrams), cosine
similarity between all pairs, PageRank over that graph by power iteration; ties keep the earlier
sentence. The work is capped: at most ``MAX_SENTENCES`` sentences (the first ones) from at most
``TEXT_LIMIT`` characters.
"""

from __future__ import annotations

import re

import numpy as np

TEXT_LIMIT = 200_000
MAX_SENTENCES = 400
MIN_WORDS = 3  # shorter pieces (a heading, "Page 1 of 2") are not summary sentences
MAX_CHARS = 600  # a longer "sentence" (a table flattened by OCR) is cut to this
_DAMPING = 0.85
_LETTERS = re.compile(r"[^\W\d_]")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (whitespace collapsed), empty pieces dropped."""
    from segtok.segmenter import split_multi

    out = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\s*[-•*·]\s)", text[:TEXT_LIMIT]):
        for piece in split_multi(paragraph):
            piece = " ".join(piece.split())
            if piece:
                out.append(piece[:MAX_CHARS])
    return out


def _words(sentence: str) -> int:
    return sum(1 for w in sentence.split(" ") if _LETTERS.search(w))


def rank(candidates: list[str]) -> np.ndarray:
    """LexRank centrality of each sentence (sums to 1)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(candidates)
    try:
        vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(candidates)
    except ValueError:  # nothing but stop words or single letters
        return np.full(n, 1.0 / n)
    sim = (vectors @ vectors.T).toarray()
    np.fill_diagonal(sim, 0.0)
    out_degree = sim.sum(axis=1, keepdims=True)
    # A sentence like no other links to every sentence alike (a random jump).
    transition = np.where(out_degree > 0, sim / np.where(out_degree > 0, out_degree, 1), 1.0 / n)
    score = np.full(n, 1.0 / n)
    for _ in range(100):
        new = (1 - _DAMPING) / n + _DAMPING * (transition.T @ score)
        if np.abs(new - score).sum() < 1e-8:
            score = new
            break
        score = new
    return score


def summarize(text: str, sentences_wanted: int = 3) -> str:
    """The ``sentences_wanted`` most central sentences of ``text``, in the order they appear,
    joined by spaces. A text with that many sentences or fewer is returned whole (its
    sentences joined); a text without any sentence gives ""."""
    found = sentences(text)[:MAX_SENTENCES]
    candidates = [s for s in found if _words(s) >= MIN_WORDS] or found
    if sentences_wanted <= 0 or not candidates:
        return ""
    if len(candidates) <= sentences_wanted:
        return " ".join(candidates)
    score = rank(candidates)
    best = sorted(np.argsort(-score, kind="stable")[:sentences_wanted])
    return " ".join(candidates[i] for i in best)
