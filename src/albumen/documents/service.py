"""Documents' categories and what was learned of them, as stored: labels a person gives,
rules, and the classifier learned from the labels of each library, retrained in a queued job
after labels change. A prediction under ``SUGGESTION_BELOW`` is a suggestion, not a fact
(the category filter leaves it out)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.documents import (
    CATEGORY_MODEL,
    CATEGORY_RULE,
    CATEGORY_USER,
    SUGGESTION_BELOW,
    Document,
    DocumentClassifier,
    DocumentPage,
    DocumentRule,
    categorised,
)
from albumen.db.models import Asset
from albumen.documents import classifier, keywords, language, rules, summary
from albumen.errors import (
    InvalidInput,
    MediaDecodeError,
    NotFound,
    RejectedFile,
    ServiceUnavailable,
    UnsupportedMediaType,
)
from albumen.events.access import writable_asset
from albumen.media import paged, pdf
from albumen.media.imaging import MAX_ASPECT, check_header, open_for_display
from albumen.media.sniff import FileType, sniff
from albumen.ml import models
from albumen.ml.captions import CaptionClient, endpoint_availability
from albumen.ml.ocr import Page
from albumen.notify import emit
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
# What the analysis reads of a long document: its first part (keywords, summary, category).
ANALYSED_CHARS = 50_000
MAX_CATEGORY = 100


def suggested(doc: Document) -> bool:
    """Whether the document's category is only a suggestion (an unsure prediction)."""
    return (doc.category is not None and doc.category_source == CATEGORY_MODEL
            and (doc.category_confidence or 0.0) < SUGGESTION_BELOW)


def owner_key(asset: Asset) -> int:
    return asset.owner_id or 0


def _document(session: Session, asset_id: int, actor: Actor) -> tuple[Asset, Document | None]:
    asset = (writable_asset(session, actor.user_id, asset_id) if actor.user_id
             else session.get(Asset, asset_id))
    if asset is None:
        raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
    if asset.media_type != "document":
        raise InvalidInput(f"asset {asset_id} is not a document", details={"asset_id": asset_id})
    return asset, session.get(Document, asset_id)


def categories(session: Session, owner_id: int | None) -> list[str]:
    """The categories in use in a library (labels, rules and sure predictions)."""
    return list(session.scalars(
        select(Document.category).distinct().join(Asset, Asset.id == Document.asset_id)
        .where(_in_library(owner_id or 0), Document.category.is_not(None), categorised())
        .order_by(Document.category)))


def clean_category(value: str | None) -> str | None:
    if value is None:
        return None
    name = " ".join(str(value).split()).lower()
    if not name:
        return None
    if len(name) > MAX_CATEGORY:
        raise InvalidInput(f"a category is at most {MAX_CATEGORY} characters")
    return name


def label(rt: Runtime, asset_id: int, category: str | None, actor: Actor = audit.SYSTEM
          ) -> None:
    """A person says which category the document is in (None: they take their label back and
    the document is predicted again). The library's classifier is trained again."""
    name = clean_category(category)
    with rt.transaction() as session:
        asset, row = _document(session, asset_id, actor)
        if row is None:
            raise InvalidInput(f"document {asset_id} has not been read yet (still processing, "
                               "or processing failed)", details={"asset_id": asset_id})
        row.category = name
        row.category_source = CATEGORY_USER if name else None
        row.category_confidence = 1.0 if name else None
        key = owner_key(asset)
        request_training(session, key)
        audit.record(session, actor, "document.label", "asset", asset_id, category=name)
    rt.queue.enqueue_training(key)


def request_training(session: Session, key: int) -> None:
    """Mark the library's classifier as wanting training (its row made on first need, in
    one statement: two requests at once both succeed)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    now = utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(DocumentClassifier).values(owner_key=key, labels=0, requested_at=now)
                    .on_conflict_do_update(index_elements=["owner_key"],
                                           set_={"requested_at": now}))


def stalled_training(session: Session, before: datetime) -> list[int]:
    """Libraries whose classifier was asked for before ``before`` and not trained since."""
    return list(session.scalars(select(DocumentClassifier.owner_key).where(
        DocumentClassifier.requested_at < before,
        (DocumentClassifier.trained_at.is_(None))
        | (DocumentClassifier.trained_at < DocumentClassifier.requested_at))))


def document_texts(session: Session, asset_ids: Iterable[int]) -> dict[int, str]:
    """The first ``ANALYSED_CHARS`` of each document's text, its pages in order."""
    out: dict[int, list[str]] = {i: [] for i in asset_ids}
    used: dict[int, int] = dict.fromkeys(out, 0)
    if not out:
        return {}
    for asset_id, text in session.execute(
            select(DocumentPage.asset_id, DocumentPage.text)
            .where(DocumentPage.asset_id.in_(list(out)), DocumentPage.text != "")
            .order_by(DocumentPage.asset_id, DocumentPage.page)):
        if used[asset_id] < ANALYSED_CHARS:
            out[asset_id].append(text[:ANALYSED_CHARS - used[asset_id]])
            used[asset_id] += len(text) + 2
    return {i: "\n\n".join(parts) for i, parts in out.items()}


# -- the classifier of each library, loaded once per training -----------------------------
_lock = threading.Lock()
_loaded: dict[tuple[str, int], tuple[Any, Any]] = {}  # (database, owner) -> (trained_at, model)


def _classifier(rt: Runtime, session: Session, key: int) -> classifier.Classifier | None:
    row = session.execute(select(DocumentClassifier.trained_at, DocumentClassifier.model)
                          .where(DocumentClassifier.owner_key == key)).first()
    if row is None or row.model is None:
        return None
    cache = (rt.database_url, key)
    with _lock:
        hit = _loaded.get(cache)
        if hit is not None and hit[0] == row.trained_at:
            return hit[1]
    try:
        model = classifier.Classifier.from_bytes(row.model)
    except classifier.StaleModel as exc:  # made by another scikit-learn: learn it again
        log.warning("library %s: %s", key, exc)
        request_training(session, key)
        session.commit()
        rt.queue.enqueue_training(key)
        return None
    with _lock:
        _loaded[cache] = (row.trained_at, model)
    return model


def _rules(session: Session, key: int) -> list[rules.Rule]:
    return [rules.Rule(r.category, r.algorithm, r.pattern, r.case_sensitive)
            for r in session.scalars(select(DocumentRule)
                                     .where(DocumentRule.owner_id == (key or None))
                                     .order_by(DocumentRule.position, DocumentRule.id))]


@dataclass(frozen=True)
class Analysis:
    language: str | None
    keywords: list[dict[str, Any]]
    summary: str | None
    category: str | None
    confidence: float | None
    source: str | None  # rule or model (None: no category)

    @property
    def suggested(self) -> bool:
        return self.source == CATEGORY_MODEL and (self.confidence or 0.0) < SUGGESTION_BELOW


def _embed(rt: Runtime, texts: list[str]) -> np.ndarray | None:
    """The texts' sentence embeddings (their first 256 word pieces), when the sentence model
    is installed; the classifier then adds their meaning to their words."""
    model = models.sentences(rt.settings)
    if not texts or not model.availability().ok:
        return None
    return model.embed(texts)


def _predict(rt: Runtime, model: classifier.Classifier | None, matchers: list[rules.Rule],
             texts: list[str]) -> list[tuple[str | None, float | None, str | None]]:
    """(category, confidence, source) for each text: a rule's, else the classifier's."""
    out: list[tuple[str | None, float | None, str | None]] = [(None, None, None)] * len(texts)
    ask = []
    for i, text in enumerate(texts):
        matched = rules.match(matchers, text) if text.strip() else []
        if matched:
            out[i] = (matched[0], 1.0, CATEGORY_RULE)
        elif text.strip() and model is not None:
            ask.append(i)
    if ask and model is not None:
        wanted = [texts[i] for i in ask]
        vectors = _embed(rt, wanted) if model.uses_embeddings else None
        for i, guess in zip(ask, model.predict(wanted, vectors), strict=True):
            if guess.category is not None:
                out[i] = (guess.category, round(float(guess.confidence), 4), CATEGORY_MODEL)
    return out


def analyse(rt: Runtime, session: Session, text: str, key: int) -> Analysis:
    """Language, key terms, summary and the category (a rule's, else the library's
    classifier's) of a text."""
    text = text[:ANALYSED_CHARS]
    if not text.strip():
        return Analysis(None, [], None, None, None, None)
    found = language.detect(text)
    code = found.code if found else None
    terms = [{"term": k.term, "score": round(float(k.score), 4)}
             for k in keywords.keywords(text, code, top=10)]
    brief = summary.summarize(text, 3)
    category, confidence, source = _predict(rt, _classifier(rt, session, key),
                                            _rules(session, key), [text])[0]
    return Analysis(code, terms, brief or None, category, confidence, source)


def document_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """What the document says: language, key terms, summary, and its category when a person
    has not given one (a rule's, else the classifier's prediction)."""
    row = session.get(Document, asset.id)
    if row is None:
        raise InvalidInput("the document has not been read (its metadata stage did not complete)")
    text = document_texts(session, [asset.id])[asset.id]
    found = analyse(rt, session, text, owner_key(asset))
    row.language, row.keywords, row.summary = found.language, found.keywords, found.summary
    if text.strip() and rt.settings.document_summaries == "model":
        row.summary = _model_summary(rt, text) or row.summary
    if row.category_source != CATEGORY_USER:
        row.category, row.category_confidence = found.category, found.confidence
        row.category_source = found.source
    if row.category is not None:
        emit(session, "document.classified", asset_id=asset.id, category=row.category,
             confidence=row.category_confidence, source=row.category_source)


def _model_summary(rt: Runtime, text: str) -> str | None:
    """A summary written by the operator's model endpoint; None (the extractive one is kept)
    when it is not configured or does not answer."""
    s = rt.settings
    if not endpoint_availability(s.caption_url, s.caption_model).ok:
        log.warning("document summaries by a model need ALBUMEN_CAPTION_URL and "
                    "ALBUMEN_CAPTION_MODEL: the extractive summary is kept")
        return None
    client = CaptionClient(s.caption_url or "", s.caption_model or "", s.caption_api_key,
                           timeout=s.caption_timeout_seconds)
    try:
        return client.summarize(text)
    except ServiceUnavailable as exc:
        log.warning("the model endpoint wrote no summary (%s): the extractive one is kept",
                    exc.message)
        return None


def train(rt: Runtime, key: int) -> None:
    """Train the library's classifier on its labelled documents, then predict every document
    of the library that has no label. A library with fewer than two labelled documents has
    no classifier (and its predictions are taken back)."""
    started = utcnow()
    with rt.session() as session:
        labelled = session.execute(
            select(Document.asset_id, Document.category).join(Asset, Asset.id == Document.asset_id)
            .where(_in_library(key), Document.category_source == CATEGORY_USER,
                   Asset.deleted_at.is_(None))).all()
        texts = document_texts(session, [r.asset_id for r in labelled])
    pairs = [(texts[r.asset_id], r.category) for r in labelled if texts.get(r.asset_id)]
    model_bytes, categories, error = None, None, None
    try:
        model = classifier.train([t for t, _ in pairs], [c for _, c in pairs],
                                 _embed(rt, [t for t, _ in pairs]))
        model_bytes, categories = model.to_bytes(), list(model.categories)
    except classifier.NotEnoughLabels as exc:
        error = str(exc)
    with rt.transaction() as session:
        row = session.get(DocumentClassifier, key) or DocumentClassifier(owner_key=key)
        row.model, row.categories, row.error = model_bytes, categories, error
        row.labels, row.trained_at = len(pairs), started
        session.add(row)
    _predict_library(rt, key)


def _in_library(key: int) -> Any:
    return Asset.owner_id == key if key else Asset.owner_id.is_(None)


def _predict_library(rt: Runtime, key: int, batch: int = 100) -> None:
    """Predict again the category of every unlabelled document of the library (rules first)."""
    last = 0
    while True:
        with rt.session() as session:
            ids = list(session.scalars(
                select(Document.asset_id).join(Asset, Asset.id == Document.asset_id)
                .where(_in_library(key), Document.asset_id > last,
                       (Document.category_source.is_(None))
                       | (Document.category_source != CATEGORY_USER))
                .order_by(Document.asset_id).limit(batch)))
            if not ids:
                return
            last = ids[-1]
            texts = document_texts(session, ids)
            found = _predict(rt, _classifier(rt, session, key), _rules(session, key),
                             [texts[i] for i in ids])
        with rt.transaction() as session:
            for asset_id, (category, confidence, source) in zip(ids, found, strict=True):
                session.execute(update(Document).where(
                    Document.asset_id == asset_id,
                    Document.category_source.is_(None) | (Document.category_source
                                                          != CATEGORY_USER))
                    .values(category=category, category_confidence=confidence,
                            category_source=source))


# -- a file or a text classified without storing anything ---------------------------------
CLASSIFY_OCR_PAGES = 5  # scanned pages read (OCR) of a file given to classify


def file_text(rt: Runtime, path: Path) -> str:
    """The text of a document or photo file: a PDF's text layer (its first pages without one
    read by OCR), a TIFF's or a photo's text read by OCR. Refuses what albumen would refuse
    at upload, with the same reasons."""
    settings = rt.settings
    with path.open("rb") as fh:
        kind = sniff(fh.read(4096))
    if not isinstance(kind, FileType):
        raise UnsupportedMediaType(f"content is {kind}, not a document or photo",
                                   details={"detected": kind})
    fmt = kind.format
    if fmt == "pdf" or (fmt == "tiff" and paged.page_count(path) > 1):
        try:
            info = paged.inspect(path, fmt, settings.max_document_pages,
                                 settings.max_image_pixels)
        except MediaDecodeError as exc:
            if isinstance(exc, pdf.PasswordProtected):
                raise
            raise RejectedFile(exc.message) from None
        texts = dict(paged.page_texts(path, fmt))
        scans = [n for n, text in texts.items() if not text][:CLASSIFY_OCR_PAGES]
        size = settings.document_page_size
        for number, pixels in paged.render_pages(path, fmt, scans, size, size * size):
            texts[number] = _read(rt, pixels)
        return "\n\n".join(texts[n] for n in range(1, info.pages + 1) if texts.get(n))
    check_header(path, settings.max_image_pixels)
    pixels = open_for_display(path, settings.preview_size, settings.max_image_pixels,
                              max_long_side=MAX_ASPECT * settings.preview_size)
    return _read(rt, pixels[..., :3])


def _read(rt: Runtime, pixels: np.ndarray) -> str:
    lines = [line for line in models.ocr(rt.settings).predict_one(Page(pixels))
             if line.dropped is None]
    lines.sort(key=lambda line: (line.box[0][1], line.box[0][0]) if line.box else (0, 0))
    return "\n".join(line.text for line in lines)


def classify_text(rt: Runtime, text: str, viewer: int | None) -> Analysis:
    """What ``text`` says and the category the viewer's library would give it."""
    with rt.session() as session:
        return analyse(rt, session, text, viewer or 0)


# -- rules -----------------------------------------------------------------------------------
def list_rules(session: Session, owner_id: int | None) -> list[DocumentRule]:
    return list(session.scalars(select(DocumentRule).where(DocumentRule.owner_id == owner_id)
                                .order_by(DocumentRule.position, DocumentRule.id)))


def add_rule(rt: Runtime, owner_id: int | None, category: str, algorithm: str, pattern: str,
             case_sensitive: bool = False, actor: Actor = audit.SYSTEM) -> int:
    """A rule of the owner's library (checked: a bad regular expression is refused with the
    reason); the library's documents are categorised again."""
    name = clean_category(category)
    if name is None:
        raise InvalidInput("a rule needs a category")
    try:
        rules.Rule(name, algorithm, pattern, case_sensitive)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"pattern": pattern[:200]}) from None
    with rt.transaction() as session:
        last = max((r.position for r in list_rules(session, owner_id)), default=-1)
        row = DocumentRule(owner_id=owner_id, category=name, algorithm=algorithm,
                           pattern=pattern, case_sensitive=case_sensitive, position=last + 1)
        session.add(row)
        session.flush()
        request_training(session, owner_id or 0)
        audit.record(session, actor, "document.rule.add", "document_rule", row.id,
                     category=name, algorithm=algorithm)
        rule_id = row.id
    rt.queue.enqueue_training(owner_id or 0)
    return rule_id


def delete_rule(rt: Runtime, owner_id: int | None, rule_id: int,
                actor: Actor = audit.SYSTEM) -> None:
    with rt.transaction() as session:
        row = session.get(DocumentRule, rule_id)
        if row is None or row.owner_id != owner_id:
            raise NotFound(f"rule {rule_id} not found", details={"rule_id": rule_id})
        session.delete(row)
        request_training(session, owner_id or 0)
        audit.record(session, actor, "document.rule.delete", "document_rule", rule_id)
    rt.queue.enqueue_training(owner_id or 0)


def classifier_status(session: Session, owner_id: int | None) -> DocumentClassifier | None:
    return session.get(DocumentClassifier, owner_id or 0)
