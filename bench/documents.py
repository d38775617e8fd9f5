"""Documents benchmark (issue 25), one function a section:

    .venv/bin/python bench/documents.py                              # every section
    .venv/bin/python bench/documents.py --sections classification    # some

classification  the candidate classifiers, each trained on 10 labelled documents a category of
                tests/document_corpus.py (generated, nine categories) and measured on 40 unseen
                ones a category (360): accuracy, training ms, predict ms a document, the share
                of predictions at or over SUGGESTION_BELOW and their accuracy. PASS/MISS for
                >= 95 % for the chosen one (albumen.documents.classifier), and its ratio to the
                plain TF-IDF + LogisticRegression baseline of the same run. ``--seeds`` repeats
                it on other corpora. The embedding candidates need the all-MiniLM-L6-v2 weights
                (ml/sentences.py); without them they are skipped and said so.
language        accuracy and ms a text of the language detector on LANGUAGE_SAMPLES: windows of
                3, 6 and 12 words, and whole paragraphs.

extraction      the text layer of PDFs of several kinds by pypdf and by pypdfium2 (ms a page,
                share of the known words given back), then albumen's core stages of a 40-page
                PDF in pages/s a worker: PASS/MISS for >= 20 (bench/document_reading.py).
ocr             scanned pages through the pages stage: s a page a worker, PASS/MISS <= 1.5.
semantic        about: searches at 100,000 passages: p50/p99 through the search engine,
                PASS/MISS p99 < 100 ms; the process's peak memory with the sentence model,
                PASS/MISS < 1.5 GB.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench import document_reading  # noqa: E402
from tests.document_corpus import LANGUAGE_SAMPLES, split  # noqa: E402

from albumen.documents import classifier as chosen  # noqa: E402
from albumen.documents import language  # noqa: E402

TARGET = 0.95


def _word() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)


def _word_char() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(_word(), TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                               sublinear_tf=True, max_features=300_000))


class _Sk:
    """A scikit-learn text pipeline as a candidate: fit(texts, labels, emb), proba(texts, emb)."""

    def __init__(self, make: Callable[[], Any], on: str = "text") -> None:
        self.make, self.on = make, on

    def fit(self, texts: list[str], labels: list[str], emb: np.ndarray | None) -> Any:
        return self.make().fit(texts if self.on == "text" else emb, labels)

    def proba(self, model: Any, texts: list[str], emb: np.ndarray | None) -> tuple[Any, Any]:
        return model.predict_proba(texts if self.on == "text" else emb), model.classes_


class _Chosen:
    """albumen.documents.classifier itself, with or without embeddings."""

    def __init__(self, embeddings: bool) -> None:
        self.embeddings = embeddings

    def fit(self, texts: list[str], labels: list[str], emb: np.ndarray | None) -> Any:
        return chosen.train(texts, labels, emb if self.embeddings else None)

    def proba(self, model: Any, texts: list[str], emb: np.ndarray | None) -> tuple[Any, Any]:
        preds = model.predict(texts, emb if self.embeddings else None)
        p = np.zeros((len(texts), len(model.categories)))
        for i, pred in enumerate(preds):
            p[i, model.categories.index(pred.category)] = pred.confidence
        return p, np.array(model.categories)


class _Stacked:
    """(d) one LogisticRegression over word + char TF-IDF and the embeddings side by side."""

    def fit(self, texts: list[str], labels: list[str], emb: np.ndarray | None) -> Any:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        features = _word_char()
        x = sparse.hstack([features.fit_transform(texts), sparse.csr_matrix(emb)]).tocsr()
        return features, LogisticRegression(C=10, max_iter=3000).fit(x, labels)

    def proba(self, model: Any, texts: list[str], emb: np.ndarray | None) -> tuple[Any, Any]:
        from scipy import sparse

        features, lr = model
        x = sparse.hstack([features.transform(texts), sparse.csr_matrix(emb)]).tocsr()
        return lr.predict_proba(x), lr.classes_


def _candidates() -> list[tuple[str, Any, bool]]:
    """(name, candidate, needs embeddings); the first is the baseline."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return [
        ("(a) baseline: word TF-IDF + LogisticRegression",
         _Sk(lambda: make_pipeline(_word(), LogisticRegression(max_iter=3000))), False),
        ("(a') word TF-IDF + LogisticRegression C=10",
         _Sk(lambda: make_pipeline(_word(), LogisticRegression(C=10, max_iter=3000))), False),
        ("(b) word+char TF-IDF + calibrated LinearSVC",
         _Sk(lambda: make_pipeline(_word_char(), CalibratedClassifierCV(LinearSVC(), cv=3))),
         False),
        ("(b') word+char TF-IDF + SGD (log loss)",
         _Sk(lambda: make_pipeline(_word_char(), SGDClassifier(loss="log_loss", alpha=1e-4,
                                                               random_state=0))), False),
        ("(b'') word+char TF-IDF + LR C=10 [chosen, no emb.]", _Chosen(False), False),
        ("(c) embeddings + LogisticRegression C=10",
         _Sk(lambda: LogisticRegression(C=10, max_iter=3000), on="emb"), True),
        ("(d) word+char+embeddings stacked + LR C=10", _Stacked(), True),
        ("(d') mean of (b'') and (c) [chosen]", _Chosen(True), True),
    ]


def _embedder() -> Callable[[list[str]], np.ndarray] | None:
    from albumen.ml.sentences import SentenceModel

    model = SentenceModel()
    available = model.availability()
    if not available.ok:
        print(f"  embeddings unavailable ({available.reason}): their candidates are skipped")
        return None
    return model.embed


def classification(seeds: tuple[int, ...] = (25,)) -> None:
    print("== classification: 10 labelled documents a category, unseen documents to predict")
    embed = _embedder()
    results: dict[str, list[float]] = {}
    for seed in seeds:
        train, test = split(train_per_category=10, test_per_category=40, seed=seed)
        tr_texts, tr_labels = [t for t, _ in train], [c for _, c in train]
        te_texts, te_labels = [t for t, _ in test], np.array([c for _, c in test])
        tr_emb = te_emb = None
        if embed is not None:
            started = time.perf_counter()
            tr_emb, te_emb = embed(tr_texts), embed(te_texts)
            ms = (time.perf_counter() - started) * 1000 / (len(train) + len(test))
            print(f"  seed {seed}: {len(train)} training, {len(test)} unseen documents; "
                  f"embeddings {ms:.0f} ms a document (not counted below)")
        else:
            print(f"  seed {seed}: {len(train)} training, {len(test)} unseen documents")
        print(f"  {'candidate':52s} {'accuracy':>8s} {'train ms':>9s} {'ms/doc':>7s} "
              f"{'sure':>6s} {'sure acc':>8s}")
        for name, cand, needs_emb in _candidates():
            if needs_emb and tr_emb is None:
                continue
            started = time.perf_counter()
            model = cand.fit(tr_texts, tr_labels, tr_emb)
            fitted = time.perf_counter()
            p, classes = cand.proba(model, te_texts, te_emb)
            done = time.perf_counter()
            guess = np.asarray(classes)[p.argmax(axis=1)]
            right = guess == te_labels
            sure = p.max(axis=1) >= chosen.SUGGESTION_BELOW
            acc = float(right.mean())
            results.setdefault(name, []).append(acc)
            sure_acc = f"{right[sure].mean() * 100:7.1f}%" if sure.any() else "      -"
            print(f"  {name:52s} {acc * 100:7.1f}% {(fitted - started) * 1000:9.0f} "
                  f"{(done - fitted) * 1000 / len(test):7.2f} {sure.mean() * 100:5.0f}% "
                  f"{sure_acc}")
    names = list(results)
    best = names[-1] if any("[chosen]" in n for n in names) else next(
        n for n in names if "chosen" in n)
    baseline = float(np.mean(results[names[0]]))
    ours = float(np.mean(results[best]))
    verdict = "PASS" if ours >= TARGET else "MISS"
    print(f"  {verdict}: chosen {best.split(' [')[0]} {ours * 100:.1f}% (target "
          f">= {TARGET * 100:.0f}%); baseline {baseline * 100:.1f}% in the same run; "
          f"ratio {ours / baseline:.3f}; error ratio "
          f"{(1 - ours) / max(1e-9, 1 - baseline):.2f}")


def language_detection() -> None:
    print("== language: py3langid on LANGUAGE_SAMPLES (12 languages)")
    language.detect("warm up the model")
    for label, k in (("3 words", 3), ("6 words", 6), ("12 words", 12), ("paragraph", 0)):
        items = [(c, t) for c, text in LANGUAGE_SAMPLES.items() for t in (
            [text] if not k else [" ".join(text.split()[i:i + k])
                                  for i in range(0, len(text.split()) - k + 1, k)])]
        started = time.perf_counter()
        right = sum((language.detect(t) or language.Language("", 0)).code == c for c, t in items)
        ms = (time.perf_counter() - started) * 1000 / len(items)
        print(f"  {label:10s} {right}/{len(items)} ({right / len(items) * 100:.1f}%), "
              f"{ms:.2f} ms a text")


SECTIONS: dict[str, Callable[[], Any]] = {
    "classification": classification,
    "language": language_detection,
    "extraction": document_reading.extraction,
    "ocr": document_reading.ocr,
    "semantic": document_reading.semantic,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated, of: {', '.join(SECTIONS)}")
    parser.add_argument("--seeds", default="25", help="corpus seeds for classification")
    args = parser.parse_args(argv)
    for name in args.sections.split(","):
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}: one of {', '.join(SECTIONS)}")
        if name == "classification":
            classification(tuple(int(s) for s in args.seeds.split(",")))
        else:
            SECTIONS[name]()


if __name__ == "__main__":
    main()
