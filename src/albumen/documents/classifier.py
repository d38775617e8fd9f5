"""Document categories learned from the user's labels (scikit-learn).

Two heads, their probabilities averaged (chosen by measurement, docs/decisions.md "Document text
analysis"; bench/documents.py compares the candidates):
- text: TF-IDF of word unigrams + bigrams and of character 2-5-grams within words (the
  character n-grams carry OCR-damaged words: "invo1ce" still shares most of "invoice"), into a
  multinomial logistic regression;
- meaning, when sentence embeddings are given (384-d unit vectors, ``ml.sentences``): a
  logistic regression over them. A classifier trained with embeddings and asked without them
  uses the text head alone.
Confidences are the averaged class probabilities; under ``SUGGESTION_BELOW`` a prediction is
only a suggestion.

One category only: there is nothing to tell it from, so the prediction is that category with the
document's similarity to the closest labelled one as confidence (cosine of the text features,
averaged with the embeddings' where there are both). Fewer than ``MIN_LABELLED`` labelled texts
with words raise ``NotEnoughLabels``. Empty texts are skipped in training and predicted as
``Prediction(None, 0.0)``.

Stored as bytes (``to_bytes``): a header line with the format version and scikit-learn's
version, then a pickle of the fitted objects. Pickle, not skops: the bytes only ever come from
our own database, written by this module, so skops' safer loading guards nothing a database
writer could not do anyway, and it would add a dependency. A classifier pickled by another
scikit-learn minor version is refused (``StaleModel``): retrain it from the labels.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from albumen.db.documents import SUGGESTION_BELOW

FORMAT = 1
MIN_LABELLED = 2
TEXT_LIMIT = 20_000  # characters of each text that are read
_MAGIC = b"albumen-classifier"
_C = 10.0  # inverse regularisation of both regressions (measured: 1 under-fits 10 a category)


class NotEnoughLabels(ValueError):
    """Too few labelled documents to learn from."""


class StaleModel(ValueError):
    """Stored bytes this version cannot load (another format or scikit-learn): retrain."""


@dataclass(frozen=True)
class Prediction:
    """``category`` None: the text was empty. ``confidence``: 0..1."""

    category: str | None
    confidence: float

    @property
    def suggestion(self) -> bool:
        """Whether this prediction is only a suggestion (unsure)."""
        return self.category is not None and self.confidence < SUGGESTION_BELOW


def _sklearn_version() -> str:
    import sklearn

    return ".".join(sklearn.__version__.split(".")[:2])


def _features() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  max_features=300_000)),
    ])


def _clip(texts: Sequence[str]) -> list[str]:
    return [(t or "")[:TEXT_LIMIT] for t in texts]


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _rows(embeddings: Any, n: int) -> np.ndarray | None:
    if embeddings is None:
        return None
    array = np.asarray(embeddings, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != n:
        raise ValueError(f"embeddings must be one row per text: got shape {array.shape} "
                         f"for {n} texts")
    return array


class Classifier:
    """A trained classifier; build one with ``train`` or ``from_bytes``."""

    def __init__(self, categories: tuple[str, ...], features: Any, text_model: Any,
                 embedding_model: Any, examples: Any, example_embeddings: np.ndarray | None,
                 trained_on: int) -> None:
        self.categories = categories
        self._features = features
        self._text_model = text_model  # None with one category
        self._embedding_model = embedding_model  # None without embeddings or one category
        self._examples = examples  # one category: the labelled texts' features
        self._example_embeddings = example_embeddings
        self.trained_on = trained_on

    @property
    def uses_embeddings(self) -> bool:
        return self._embedding_model is not None or self._example_embeddings is not None

    def _probabilities(self, texts: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        x = self._features.transform(texts)
        if self._text_model is None:  # one category: similarity to the closest example
            sim = np.asarray((x @ self._examples.T).max(axis=1).todense()).ravel()
            if embeddings is not None and self._example_embeddings is not None:
                sim = (sim + (embeddings @ self._example_embeddings.T).max(axis=1)) / 2
            return np.clip(sim, 0.0, 1.0)[:, None]
        p = self._text_model.predict_proba(x)
        if embeddings is not None and self._embedding_model is not None:
            p = (p + self._embedding_model.predict_proba(embeddings)) / 2
        return p

    def predict(self, texts: Sequence[str], embeddings: Any = None) -> list[Prediction]:
        """One prediction per text, in order. ``embeddings``: the texts' sentence embeddings
        (n x 384), when the classifier was trained with them."""
        clipped = _clip(texts)
        rows = _rows(embeddings, len(clipped)) if self.uses_embeddings else None
        keep = [i for i, t in enumerate(clipped) if _has_words(t)]
        out = [Prediction(None, 0.0)] * len(clipped)
        if not keep:
            return out
        p = self._probabilities([clipped[i] for i in keep],
                                rows[keep] if rows is not None else None)
        best = p.argmax(axis=1)
        for i, b, conf in zip(keep, best, p.max(axis=1), strict=True):
            out[i] = Prediction(self.categories[int(b)], round(float(conf), 4))
        return out

    def to_bytes(self) -> bytes:
        """The classifier, to store (``from_bytes`` reads it)."""
        meta = {"format": FORMAT, "sklearn": _sklearn_version(),
                "categories": list(self.categories), "trained_on": self.trained_on}
        state = (self.categories, self._features, self._text_model, self._embedding_model,
                 self._examples, self._example_embeddings, self.trained_on)
        return (_MAGIC + b"\n" + json.dumps(meta).encode() + b"\n"
                + pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def from_bytes(cls, data: bytes) -> Classifier:
        """A classifier stored by ``to_bytes``; ``StaleModel`` if this version cannot load it
        (retrain from the labels), ``ValueError`` if the bytes are not a classifier."""
        magic, _, rest = data.partition(b"\n")
        header, _, body = rest.partition(b"\n")
        if magic != _MAGIC:
            raise ValueError("not a stored document classifier")
        try:
            meta = json.loads(header)
        except ValueError as e:
            raise ValueError("a stored document classifier with a broken header") from e
        if meta.get("format") != FORMAT or meta.get("sklearn") != _sklearn_version():
            raise StaleModel(f"the classifier was stored as format {meta.get('format')} with "
                             f"scikit-learn {meta.get('sklearn')}; this is format {FORMAT} "
                             f"with scikit-learn {_sklearn_version()}: retrain it")
        return cls(*pickle.loads(body))


def train(texts: Sequence[str], labels: Sequence[str], embeddings: Any = None) -> Classifier:
    """Learn the categories ``labels`` gives ``texts`` (one label per text). ``embeddings``:
    optionally the texts' sentence embeddings (n x 384, ``SentenceModel.embed``)."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    clipped = _clip(texts)
    rows = _rows(embeddings, len(clipped))
    keep = [i for i, t in enumerate(clipped) if _has_words(t) and labels[i]]
    if len(keep) < MIN_LABELLED:
        raise NotEnoughLabels(f"at least {MIN_LABELLED} labelled documents with text are "
                              f"needed to learn categories; got {len(keep)}")
    x_texts = [clipped[i] for i in keep]
    y = [str(labels[i]) for i in keep]
    e = rows[keep] if rows is not None else None
    categories = tuple(sorted(set(y)))
    features = _features()
    x = features.fit_transform(x_texts)
    if len(categories) == 1:
        return Classifier(categories, features, None, None, x, e, len(keep))
    from sklearn.linear_model import LogisticRegression

    text_model = LogisticRegression(C=_C, max_iter=3000).fit(x, y)
    embedding_model = (LogisticRegression(C=_C, max_iter=3000).fit(e, y)
                       if e is not None else None)
    assert tuple(text_model.classes_) == categories
    return Classifier(categories, features, text_model, embedding_model, None, None, len(keep))
