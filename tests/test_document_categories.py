"""Documents' categories learned from the user (issue 25): labels through PATCH, a classifier
retrained in a queued job that predicts every unlabelled document with a confidence (unsure
ones are suggestions), rules tried first, classification of a file or a text without storing
anything, the category filter and facet, and what is refused (bad regex, photos, other
people's documents). Real PDFs, real models, the generated corpus of tests/document_corpus.py.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from albumen.db.models import Asset
from albumen.runtime import get_runtime
from tests import document_corpus
from tests.pdfs import text_pdf

CATEGORIES = ("invoice", "menu", "contract")


def as_pdf(path: Path, text: str) -> Path:
    lines = [part for line in text.splitlines() for part in textwrap.wrap(line, 90) or [""]]
    return text_pdf(path, [lines[i:i + 40] for i in range(0, len(lines), 40)] or [[]])


def upload(c: TestClient, path: Path) -> int:
    r = c.post("/api/v1/assets", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 201, r.text
    return int(r.json()["asset"]["id"])


def show(c: TestClient, asset_id: int) -> dict:
    return c.get(f"/api/v1/assets/{asset_id}").json()


@pytest.fixture
def library(app_client: Callable[..., TestClient], tmp_path: Path
            ) -> tuple[TestClient, dict[int, str], dict[int, str]]:
    """Three labelled and two unlabelled documents of each of three categories."""
    c = app_client(enrichments="document")
    rng = random.Random(7)
    labelled, unseen = {}, {}
    for i in range(5):
        for category in CATEGORIES:
            text = document_corpus.document(category, rng)
            asset_id = upload(c, as_pdf(tmp_path / f"{category}-{i}.pdf", text))
            (labelled if i < 3 else unseen)[asset_id] = category
    for asset_id, category in labelled.items():
        r = c.patch(f"/api/v1/assets/{asset_id}", json={"category": category.upper() + " "})
        assert r.status_code == 200, r.text
    return c, labelled, unseen


def test_labels_teach_the_classifier_which_predicts_the_rest(
        library: tuple[TestClient, dict[int, str], dict[int, str]]) -> None:
    c, labelled, unseen = library
    for asset_id, category in labelled.items():
        doc = show(c, asset_id)
        assert (doc["category"], doc["category_source"], doc["category_confidence"]) == (
            category, "user", 1.0)  # cleaned: lower case, spaces trimmed
    right = 0
    for asset_id, category in unseen.items():
        doc = show(c, asset_id)
        assert doc["category_source"] == "model" and 0 < doc["category_confidence"] <= 1
        assert doc["category_suggested"] == (doc["category_confidence"] < 0.6)
        right += doc["category"] == category
        assert doc["language"] == "en" and doc["keywords"] and doc["summary"]
    assert right >= len(unseen) - 1, right
    status = c.get("/api/v1/documents/classifier").json()
    assert status["labels"] == len(labelled) and status["categories"] == sorted(CATEGORIES)
    assert status["error"] is None and status["trained_at"]

    # The category filter and facet count facts, not suggestions
    sure = {i for i in unseen if not show(c, i)["category_suggested"]}
    invoices = {i for i in sure if show(c, i)["category"] == "invoice"}
    hits = c.get("/api/v1/search", params={"q": "category:invoice", "limit": 100}).json()["items"]
    labelled_invoices = {i for i, cat in labelled.items() if cat == "invoice"}
    assert {h["asset"]["id"] for h in hits} == labelled_invoices | invoices
    facets = c.get("/api/v1/search", params={"q": "type:document", "facets": "categories,types"}
                   ).json()["facets"]
    assert {f["value"]: f["count"] for f in facets["types"]} == {"document": 15}
    assert sum(f["count"] for f in facets["categories"]) == len(labelled) + len(sure)

    # A label taken back: the document is predicted again
    first = next(iter(labelled))
    assert c.patch(f"/api/v1/assets/{first}", json={"category": None}).status_code == 200
    assert show(c, first)["category_source"] == "model"


SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE
def test_rules_come_before_the_classifier(
        library: tuple[TestClient, dict[int, str], dict[int, str]]) -> None:
    c, _, unseen = library
    bad = c.post("/api/v1/documents/rules", json={"category": "x", "algorithm": "regex",
                                                  "pattern": "(unclosed"})
    assert bad.status_code == 422 and "(unclosed" in bad.json()["error"]["message"]
    menus = [i for i, cat in unseen.items() if cat == "menu"]
    r = c.post("/api/v1/documents/rules", json={"category": "Food", "algorithm": "any",
                                                "pattern": "menu tiramisu sorbet"})
    assert r.status_code == 201, r.text
    rule = r.json()
    assert (rule["category"], rule["algorithm"], rule["position"]) == ("food", "any", 0)
    assert c.get("/api/v1/documents/rules").json() == [rule]
    ruled = [i for i in unseen if show(c, i)["category_source"] == "rule"]
    assert set(menus) <= set(ruled) and all(show(c, i)["category"] == "food" for i in ruled)
    # Another user sees none of it, and cannot remove it
    c.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"})
    from tests.conftest import bearer

    bob = {"Authorization": bearer(c, "bob", "bob-password-1")}
    assert c.get("/api/v1/documents/rules", headers=bob).json() == []
    assert c.delete(f"/api/v1/documents/rules/{rule['id']}", headers=bob).status_code == 404
    assert c.patch(f"/api/v1/assets/{ruled[0]}", json={"category": "mine"},
                   headers=bob).status_code == 404
    # Removed: those documents are predicted again
    assert c.delete(f"/api/v1/documents/rules/{rule['id']}").status_code == 204
    assert all(show(c, i)["category_source"] == "model" for i in ruled)


@SQLITE
def test_classify_a_text_or_a_file_without_storing_it(
        library: tuple[TestClient, dict[int, str], dict[int, str]], tmp_path: Path) -> None:
    c, _, _ = library
    rng = random.Random(99)
    with get_runtime().session() as session:
        before = session.scalar(select(func.count()).select_from(Asset))
    text = document_corpus.document("contract", rng)
    r = c.post("/api/v1/documents/classify", json={"text": text})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["category"] == "contract" and found["category_source"] == "model"
    assert found["language"] == "en" and found["keywords"] and found["text_chars"] == len(text)
    path = as_pdf(tmp_path / "menu.pdf", document_corpus.document("menu", rng))
    r = c.post("/api/v1/documents/classify", content=path.read_bytes(),
               headers={"Content-Type": "application/pdf"})
    assert r.status_code == 200 and r.json()["category"] == "menu", r.text
    # Bad input: the reason, nothing stored
    for content, kind, status, reason in [
            (b"<html><body>not a pdf</body></html>", "application/pdf", 415, "an HTML page"),
            (path.read_bytes()[:200], "application/pdf", 422, "damaged"),
            (b"", "application/pdf", 422, "send a file"),
            (b"{not json", "application/json", 422, "not {"),
            (b'{"text": ""}', "application/json", 422, "not {")]:
        r = c.post("/api/v1/documents/classify", content=content,
                   headers={"Content-Type": kind})
        assert r.status_code == status and reason in r.json()["error"]["message"], r.text
    with get_runtime().session() as session:
        assert session.scalar(select(func.count()).select_from(Asset)) == before


def test_what_cannot_be_labelled(app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    from tests import images

    c = app_client(enrichments="document")
    photo = c.post("/api/v1/assets", files={"file": ("a.jpg", images.jpeg(seed=3))}).json()
    r = c.patch(f"/api/v1/assets/{photo['asset']['id']}", json={"category": "invoice"})
    assert r.status_code == 422 and "not a document" in r.json()["error"]["message"]
    doc = upload(c, as_pdf(tmp_path / "a.pdf", "A letter"))
    r = c.patch(f"/api/v1/assets/{doc}", json={"category": "x" * 101})
    assert r.status_code == 422
    # One labelled document: no classifier yet, and it says why
    assert c.patch(f"/api/v1/assets/{doc}", json={"category": "letter"}).status_code == 200
    status = c.get("/api/v1/documents/classifier").json()
    assert status["labels"] == 1 and status["error"] and status["categories"] == []


@SQLITE
def test_the_documents_commands(tmp_path: Path, db_url: str) -> None:
    from tests.processes import env_for, run_cli, run_json

    env = env_for(tmp_path / "data", db_url, ALBUMEN_ENRICHMENTS="document")
    rng = random.Random(3)
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [document_corpus.document(category, rng) for category in CATEGORIES * 2]
    for i, (category, text) in enumerate(zip(CATEGORIES * 2, texts, strict=True)):
        as_pdf(folder / f"{i}-{category}.pdf", text)
    assert run_json(env, "import", str(folder), "--wait", "--json")["counts"]["imported"] == 6
    ids = {a["original_filename"]: a["id"] for a in run_json(env, "assets", "list", "--json")
           ["items"]}
    for i, category in enumerate(CATEGORIES * 2):
        asset_id = ids[f"{i}-{category}.pdf"]
        done = run_json(env, "documents", "label", str(asset_id), category, "--json")
        assert done == {"asset_id": asset_id, "category": category, "category_source": "user",
                        "category_confidence": 1.0}
    trained = run_json(env, "documents", "train", "--json")
    assert trained == {"labels": 6, "categories": sorted(CATEGORIES), "error": None}
    # (how well it predicts unseen documents: the tests above; here, one it learned from)
    probe = as_pdf(tmp_path / "probe.pdf", texts[0])
    found = run_json(env, "documents", "classify", str(probe), "--json")
    assert found["category"] == "invoice" and found["language"] == "en" and found["keywords"]
    bad = run_cli(env, "documents", "rules", "add", "x", "regex", "(oops", check=False)
    assert bad.returncode == 1 and "(oops" in bad.stderr
    added = run_json(env, "documents", "rules", "add", "food", "literal", "Set menu", "--json")
    assert run_json(env, "documents", "rules", "list", "--json")["rules"][0]["id"] == added["id"]
    html = tmp_path / "page.pdf"
    html.write_text("<!doctype html><p>no</p>")
    refused = run_cli(env, "documents", "classify", str(html), check=False)
    assert refused.returncode == 1 and "an HTML page" in refused.stderr


@SQLITE
def test_a_training_a_killed_worker_left_undone_is_queued_again(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    from datetime import timedelta

    from albumen.db.base import utcnow
    from albumen.db.documents import DocumentClassifier
    from albumen.operations.reconciler import reconcile

    c = app_client(enrichments="document")
    rng = random.Random(5)
    ids = {upload(c, as_pdf(tmp_path / f"{cat}.pdf", document_corpus.document(cat, rng))): cat
           for cat in CATEGORIES}
    for asset_id, category in ids.items():
        c.patch(f"/api/v1/assets/{asset_id}", json={"category": category})
    rt = get_runtime()
    with rt.transaction() as session:  # labels changed, then the worker training died
        row = session.get(DocumentClassifier, 1)
        row.requested_at, row.trained_at, row.model = utcnow() - timedelta(minutes=5), None, None
    reconcile(rt)  # queued again (and, the queue being inline here, trained)
    with rt.session() as session:
        row = session.get(DocumentClassifier, 1)
        assert row.model is not None and row.trained_at > row.requested_at
        assert sorted(row.categories) == sorted(CATEGORIES)
