"""Document text analysis (albumen.documents): language, keywords, summaries, learned and
rule-based categories, on the real libraries."""

from __future__ import annotations

import logging
import random
import time

import numpy as np
import pytest

from albumen.documents import classifier, keywords, language, rules, summary
from tests.document_corpus import CATEGORIES, LANGUAGE_SAMPLES, split

GARBAGE = random.Random(25).randbytes(4096).decode("latin-1")  # binary, as text
MEGABYTE = ("The venue invoice for the summer festival is attached. Payment is due in thirty "
            "days. ") * 12_000


# -- language ----------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(LANGUAGE_SAMPLES))
def test_detects_the_language_of_a_paragraph(code: str) -> None:
    found = language.detect(LANGUAGE_SAMPLES[code])
    assert found is not None and found.code == code and found.confidence > 0.9


def test_detects_short_texts_mostly() -> None:
    six_words = [(code, " ".join(text.split()[i:i + 6]))
                 for code, text in LANGUAGE_SAMPLES.items() for i in range(0, 36, 6)]
    right = sum((language.detect(t) or language.Language("", 0)).code == c for c, t in six_words)
    assert right / len(six_words) >= 0.95


def test_no_language_without_letters() -> None:
    assert language.detect("") is None
    assert language.detect("   \n 12.50 € 07/12/2026 ---- ") is None


def test_language_of_a_megabyte_is_fast_and_confident() -> None:
    started = time.perf_counter()
    found = language.detect(MEGABYTE)
    assert found is not None and found.code == "en" and found.confidence > 0.9
    assert time.perf_counter() - started < 1.0  # windows, not the whole text
    assert language.detect(GARBAGE) is None or 0 <= language.detect(GARBAGE).confidence <= 1


# -- keywords ----------------------------------------------------------------------------------
def test_keywords_of_an_invoice() -> None:
    text = ("Invoice from Northwind Catering for the summer festival. The catering invoice "
            "covers the buffet for two hundred guests, the festival stage and the cleaning. "
            "Please pay the invoice within thirty days. Northwind Catering thanks you.")
    found = keywords.keywords(text, "en", top=5)
    terms = [k.term.lower() for k in found]
    assert 0 < len(found) <= 5
    assert any("northwind catering" in t for t in terms)
    assert all(k.score >= 0 for k in found)
    assert [k.score for k in found] == sorted(k.score for k in found)
    assert len(set(terms)) == len(terms)
    for i, t in enumerate(terms):  # no term whose words are all in a better one
        assert not any(set(t.split()) <= set(earlier.split()) for earlier in terms[:i])
    assert not {"the", "and", "for", "please"} & set(terms)  # stop words


def test_keywords_drop_ocr_noise_and_use_the_language() -> None:
    text = "Rechnung 4711 ||| ~~ 12,50 € 0O0O Rechnung für die Verpflegung der Gäste " * 3
    terms = [k.term for k in keywords.keywords(text, "de")]
    assert "Rechnung" in " ".join(terms)
    assert all(sum(ch.isalpha() for ch in t) >= 0.7 * len(t.replace(" ", "")) for t in terms)
    assert not {"der", "die", "für"} & {t.lower() for t in terms}
    he = keywords.keywords(LANGUAGE_SAMPLES["he"], "he")  # no Hebrew list: the neutral one
    assert he and all(any("\u0590" <= ch <= "\u05ff" for ch in k.term) for k in he)


def test_keywords_of_nothing_garbage_and_a_megabyte() -> None:
    assert keywords.keywords("", "en") == []
    assert keywords.keywords("12 34 ... ||| 56", "en") == []
    assert keywords.keywords("words here", "en", top=0) == []
    assert isinstance(keywords.keywords(GARBAGE, None), list)
    started = time.perf_counter()
    big = keywords.keywords(MEGABYTE, "en")
    assert big and time.perf_counter() - started < 5.0


# -- summaries ---------------------------------------------------------------------------------
def test_summary_picks_central_sentences_in_order() -> None:
    text = ("The summer festival took place in the old town. "
            "The weather was hot. "
            "Visitors of the summer festival enjoyed music in the old town square. "
            "My cat is grey. "
            "The festival music in the old town ended at midnight. "
            "Parking cost five euros.")
    out = summary.summarize(text, sentences_wanted=2)
    parts = summary.sentences(out)
    assert len(parts) == 2
    assert all("festival" in p for p in parts)
    assert text.index(parts[0]) < text.index(parts[1])  # document order


def test_sentence_split_keeps_abbreviations_and_numbers() -> None:
    got = summary.sentences("Dr. Smith paid €12.50 on 07.12.2026. Was it fine? Mr. J. R. Jones "
                            "agreed, e.g. on price.")
    assert got == ["Dr. Smith paid €12.50 on 07.12.2026.", "Was it fine?",
                   "Mr. J. R. Jones agreed, e.g. on price."]


def test_summary_of_few_sentences_nothing_and_a_megabyte() -> None:
    assert summary.summarize("") == ""
    assert summary.summarize("   \n\n  ") == ""
    assert summary.summarize("One sentence here.\n\nAnd a second one.") == (
        "One sentence here. And a second one.")
    assert isinstance(summary.summarize(GARBAGE), str)
    started = time.perf_counter()
    out = summary.summarize(MEGABYTE, 3)
    assert len(summary.sentences(out)) == 3
    assert time.perf_counter() - started < 5.0  # capped: the first sentences only


# -- learned categories ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return split(train_per_category=10, test_per_category=12, seed=7)


def test_classifier_learns_from_ten_documents_a_category(corpus) -> None:
    train, test = corpus
    model = classifier.train([t for t, _ in train], [c for _, c in train])
    assert model.categories == tuple(sorted(CATEGORIES))
    predictions = model.predict([t for t, _ in test])
    right = [p.category == c for p, (_, c) in zip(predictions, test, strict=True)]
    assert sum(right) / len(test) >= 0.95
    conf = np.array([p.confidence for p in predictions])
    assert ((conf > 0) & (conf <= 1)).all()
    # Calibrated-ish: right predictions are surer than wrong ones, and sure ones mostly right.
    sure = conf >= classifier.SUGGESTION_BELOW
    assert np.mean(np.array(right)[sure]) >= 0.97


def test_classifier_with_embeddings_round_trips_through_bytes(corpus) -> None:
    train, test = corpus
    rng = np.random.default_rng(0)
    centres = {c: rng.normal(size=384) for c in CATEGORIES}  # stand-in vectors per category

    def vectors(docs: list[tuple[str, str]]) -> np.ndarray:
        v = np.stack([centres[c] + rng.normal(scale=2.0, size=384) for _, c in docs])
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)

    model = classifier.train([t for t, _ in train], [c for _, c in train], vectors(train))
    assert model.uses_embeddings
    data = model.to_bytes()
    again = classifier.Classifier.from_bytes(data)
    e = vectors(test)
    texts = [t for t, _ in test]
    assert again.predict(texts, e) == model.predict(texts, e)
    assert [p.category for p in again.predict(texts)]  # without embeddings: the text head
    with pytest.raises(ValueError, match="one row per text"):
        model.predict(texts, e[:3])


def test_stored_classifier_of_another_version_is_refused(corpus) -> None:
    train, _ = corpus
    data = classifier.train([t for t, _ in train], [c for _, c in train]).to_bytes()
    stale = data.replace(b'"format": 1', b'"format": 0', 1)
    with pytest.raises(classifier.StaleModel, match="retrain"):
        classifier.Classifier.from_bytes(stale)
    with pytest.raises(ValueError, match="not a stored document classifier"):
        classifier.Classifier.from_bytes(b"\x80\x04garbage")


def test_one_category_predicts_it_with_similarity_as_confidence() -> None:
    texts = ["Invoice no. 12 for catering, total due 450 EUR.",
             "Invoice 13: room hire and catering, amount due 900 EUR."]
    model = classifier.train(texts, ["invoice", "invoice"])
    close, far = model.predict(["Invoice 14 for catering, total due 120 EUR.",
                                "Dear Anna, the wedding photos are lovely. Love, Tom"])
    assert close.category == far.category == "invoice"
    assert close.confidence > far.confidence
    assert far.suggestion and 0 <= far.confidence < classifier.SUGGESTION_BELOW


def test_too_few_labels_and_empty_texts() -> None:
    with pytest.raises(classifier.NotEnoughLabels):
        classifier.train(["Only one invoice."], ["invoice"])
    with pytest.raises(classifier.NotEnoughLabels):
        classifier.train(["", "   ", "An invoice."], ["a", "b", "invoice"])
    with pytest.raises(ValueError, match="labels"):
        classifier.train(["a text", "another"], ["one"])
    model = classifier.train(["Invoice total due 450 EUR", "", "Dear Anna, love Tom"],
                             ["invoice", "letter", "letter"])
    empty, garbage, letter = model.predict(["", GARBAGE, "Dear Tom, love Anna"])
    assert empty == classifier.Prediction(None, 0.0) and not empty.suggestion
    assert garbage.category in {"invoice", "letter"}
    assert letter.category == "letter"
    assert model.trained_on == 2  # the empty text was skipped
    big = model.predict([MEGABYTE])[0]
    assert big.category == "invoice"


# -- rules -------------------------------------------------------------------------------------
INVOICE = "INVOICE No. 2024-17\nNorthwind Catering Ltd\nTotal due: 450.00 EUR\nPlease pay soon."


@pytest.mark.parametrize(("algorithm", "pattern", "case", "expected"), [
    ("any", "receipt invoice", False, True),
    ("any", "receipt ticket", False, False),
    ("any", "voice", False, False),  # whole words only
    ("any", '"total due" missing', False, True),
    ("all", "invoice northwind", False, True),
    ("all", "invoice receipt", False, False),
    ("all", '"northwind catering" total', False, True),
    ("literal", "northwind catering ltd", False, True),
    ("literal", "catering northwind", False, False),
    ("literal", "Northwind catering", True, False),
    ("regex", r"No\. \d{4}-\d+", False, True),
    ("regex", r"^invoice", True, False),
    ("fuzzy", "Northwnd Catering", False, True),
    ("fuzzy", "Southpark Plumbing", False, False),
])
def test_rule_algorithms(algorithm, pattern, case, expected) -> None:
    rule = rules.Rule("invoice", algorithm, pattern, case)
    assert rule.matches(INVOICE) is expected


def test_match_gives_categories_in_rule_order_once() -> None:
    found = rules.match([rules.Rule("finance", "any", "total"),
                         rules.Rule("catering", "literal", "northwind catering"),
                         rules.Rule("travel", "any", "flight"),
                         rules.Rule("finance", "regex", "EUR")], INVOICE)
    assert found == ["finance", "catering"]
    assert rules.match([], INVOICE) == []
    assert rules.match([rules.Rule("x", "fuzzy", "invoice")], "") == []


def test_bad_rules_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match=r"invalid regular expression '\(\[a-'"):
        rules.Rule("x", "regex", "([a-")
    with pytest.raises(ValueError, match="unknown matching algorithm"):
        rules.Rule("x", "auto", "invoice")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty pattern"):
        rules.Rule("x", "any", "  ")


def test_catastrophic_regex_is_cut_off(caplog) -> None:
    rule = rules.Rule("x", "regex", r"^(a|aa)+$")
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="albumen.documents.rules"):
        assert rule.matches("a" * 60 + "b") is False
    assert time.perf_counter() - started < rules.REGEX_SECONDS * 4 + 1
    assert "ran out of time" in caplog.text


def test_rules_on_a_megabyte_and_garbage() -> None:
    every = [rules.Rule("a", "any", "festival"), rules.Rule("b", "all", "venue payment"),
             rules.Rule("c", "literal", "thirty days"), rules.Rule("d", "regex", r"summer \w+"),
             rules.Rule("e", "fuzzy", "summer festivl")]
    started = time.perf_counter()
    assert rules.match(every, MEGABYTE) == ["a", "b", "c", "d", "e"]
    assert time.perf_counter() - started < 3.0
    assert rules.match(every, GARBAGE) == []
