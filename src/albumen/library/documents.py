"""The stages of a document (a PDF, or a TIFF of several pages): what it is and the text of
its pages (core), a preview and thumbnail of its first page and a thumbnail of every page
(core), then the pages without a text layer read with the OCR model (``pages``).

The original is only ever read. Page texts live in ``document_pages``; the pages stage reads
the pages still without text one at a time, committing each with its progress, so a worker
killed halfway resumes where it stopped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from albumen.db.documents import LAYER, NO_TEXT, OCR, Document, DocumentPage
from albumen.db.models import Asset, AssetStage, Derivative
from albumen.library.stages import FileStage, Rendered, hash_thumbnail, record_derivatives
from albumen.library.stages import record_phash as record_document_phash
from albumen.media import derivatives as render
from albumen.media import paged
from albumen.media.pdf import PdfInfo
from albumen.ml import models
from albumen.ml.ocr import Page
from albumen.notify import emit
from albumen.runtime import Runtime
from albumen.storage.base import derivative_key


def page_kind(number: int) -> str:
    """The derivative kind of a page's thumbnail (page 1's is the document's thumbnail)."""
    return "thumbnail" if number == 1 else f"page-{number}"


def password(rt: Runtime, session: Session, asset_id: int) -> str | None:
    """The password given for an encrypted document, if any."""
    sealed = session.scalar(select(Document.password_sealed)
                            .where(Document.asset_id == asset_id))
    return rt.sealer.open(sealed) if sealed else None


def _password(rt: Runtime, asset_id: int) -> str | None:
    with rt.session() as session:
        return password(rt, session, asset_id)


@dataclass(frozen=True)
class DocumentRead:
    info: PdfInfo
    texts: list[str]  # each page's text layer ("" for a page without one)


def read_document(rt: Runtime, asset: Asset, _: dict[str, Any]) -> DocumentRead:
    secret = _password(rt, asset.id)
    with rt.storage.local_path(asset.storage_key) as path:
        info = paged.inspect(path, asset.format, rt.settings.max_document_pages,
                             rt.settings.max_image_pixels, secret)
        texts = [text for _, text in paged.page_texts(path, asset.format, secret)]
    return DocumentRead(info, texts)


def record_document(rt: Runtime, session: Session, asset: Asset, found: DocumentRead) -> None:
    """The document row (what was learned of it and a password given are kept), a row per
    page with its text layer (a page read by OCR before keeps that reading), and the asset's
    size (the first page in points), title and date."""
    info = found.info
    row = session.get(Document, asset.id) or Document(asset_id=asset.id)
    row.pages = info.pages
    row.page_width, row.page_height = info.page_size
    row.title, row.author, row.subject = info.title, info.author, info.subject
    row.pdf_keywords, row.creator, row.producer = info.keywords, info.creator, info.producer
    row.created, row.modified = info.created, info.modified
    row.attachments, row.has_javascript = info.attachments, info.has_javascript
    row.metadata_raw = info.metadata or None
    session.add(row)
    earlier = {p.page: p for p in session.scalars(
        select(DocumentPage).where(DocumentPage.asset_id == asset.id))}
    session.execute(delete(DocumentPage).where(DocumentPage.asset_id == asset.id))
    pages = []
    for number, text in enumerate(found.texts, 1):
        before = earlier.get(number)
        if not text and before is not None and before.source == OCR:
            pages.append({"asset_id": asset.id, "page": number, "text": before.text,
                          "source": OCR, "confidence": before.confidence})
        else:
            pages.append({"asset_id": asset.id, "page": number, "text": text,
                          "source": LAYER if text else NO_TEXT, "confidence": None})
    if pages:
        session.execute(insert(DocumentPage), pages)
    asset.width, asset.height = (max(1, round(v)) for v in info.page_size)
    asset.title = info.title
    asset.description = info.subject
    if info.created is not None:
        asset.taken_at = asset.sort_at = info.created.astimezone(UTC)
        asset.taken_at_local = asset.local_at = info.created.replace(tzinfo=UTC)
        offset = info.created.utcoffset()
        asset.taken_at_offset_minutes = (round(offset.total_seconds() / 60)
                                         if offset is not None else None)


@dataclass(frozen=True)
class RenderedDocument(Rendered):
    pages: int = 1  # page thumbnails stored: the first as the thumbnail, then page-2...


def render_document(rt: Runtime, asset: Asset, _: dict[str, Any]) -> RenderedDocument:
    """The first page as preview and thumbnail, and a thumbnail of every other page, rendered
    by PDFium straight at their sizes."""
    settings = rt.settings
    secret = _password(rt, asset.id)
    with rt.storage.local_path(asset.storage_key) as path:
        pixels = _page(path, asset.format, 1, settings.preview_size, secret)
        preview, scaled = render.preview(pixels, settings.preview_size,
                                         settings.preview_quality)
        thumb, thumb_im = render.thumbnail(scaled, settings.thumbnail_size,
                                           settings.thumbnail_quality)
        renditions = [preview, thumb]
        info = paged.inspect(path, asset.format, settings.max_document_pages,
                             settings.max_image_pixels, secret)
        short = settings.thumbnail_size
        for number, page in paged.render_pages(path, asset.format, range(2, info.pages + 1),
                                             math.ceil(short * render.MAX_ASPECT),
                                             short * short * render.MAX_ASPECT, secret, short):
            page_thumb, _ = render.thumbnail(page, short, settings.thumbnail_quality)
            page_thumb.kind = page_kind(number)
            renditions.append(page_thumb)
    for rendition in renditions:
        rt.storage.put_bytes(derivative_key(asset.id, rendition.kind, rendition.ext),
                             rendition.data)
    height, width = pixels.shape[:2]
    return RenderedDocument(tuple(renditions), render.thumbhash_of(thumb_im), width, height,
                            pages=info.pages)


def _page(path: Path, fmt: str, number: int, short_side: int, secret: str | None
          ) -> np.ndarray:
    """A page rendered with its short side ``short_side`` (the long side within the
    derivatives' aspect limit)."""
    return paged.render_page(path, fmt, number, math.ceil(short_side * render.MAX_ASPECT),
                             short_side * short_side * render.MAX_ASPECT, secret, short_side)


def record_document_derivatives(rt: Runtime, session: Session, asset: Asset,
                                rendered: RenderedDocument) -> None:
    record_derivatives(rt, session, asset, rendered)
    # Thumbnails of pages the document no longer has (it was read with fewer pages).
    session.execute(delete(Derivative).where(
        Derivative.asset_id == asset.id, Derivative.kind.like("page-%"),
        Derivative.kind.not_in([r.kind for r in rendered.renditions])))


FILE_STAGES: dict[str, FileStage] = {
    "metadata": FileStage(read_document, record_document),
    "derivatives": FileStage(render_document, record_document_derivatives),
    "phash": FileStage(hash_thumbnail, record_document_phash),
}


def set_progress(session: Session, asset_id: int, stage: str, done: int, total: int) -> None:
    session.execute(update(AssetStage).where(AssetStage.asset_id == asset_id,
                                             AssetStage.stage == stage)
                    .values(progress_done=done, progress_total=total))
    emit(session, "asset.progress", asset_id=asset_id, stage=stage, done=done, total=total)


def pages_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Read the pages without a text layer with the OCR model, one at a time: each page's
    text and the stage's progress are committed as it is read."""
    settings = rt.settings
    total = session.scalar(select(func.count()).select_from(DocumentPage)
                           .where(DocumentPage.asset_id == asset.id)) or 0
    todo = list(session.scalars(select(DocumentPage.page).where(
        DocumentPage.asset_id == asset.id, DocumentPage.source == NO_TEXT)
        .order_by(DocumentPage.page)))
    set_progress(session, asset.id, "pages", total - len(todo), total)
    session.commit()
    if not todo:
        return
    secret = password(rt, session, asset.id)
    model = models.ocr(settings)
    size = settings.document_page_size
    with rt.storage.local_path(asset.storage_key) as path:
        for done, number in enumerate(todo, total - len(todo) + 1):
            pixels = paged.render_page(path, asset.format, number, size, size * size, secret)
            kept = [line for line in model.predict_one(Page(pixels)) if line.dropped is None]
            kept.sort(key=lambda line: (line.box[0][1], line.box[0][0]) if line.box else (0, 0))
            session.execute(update(DocumentPage).where(
                DocumentPage.asset_id == asset.id, DocumentPage.page == number).values(
                text="\n".join(line.text for line in kept), source=OCR,
                confidence=(float(np.mean([line.confidence for line in kept]))
                            if kept else None)))
            set_progress(session, asset.id, "pages", done, total)
            session.commit()


def page_texts(session: Session, asset_ids: list[int]) -> dict[int, list[DocumentPage]]:
    """The pages of these documents, in order."""
    out: dict[int, list[DocumentPage]] = {i: [] for i in asset_ids}
    for page in session.scalars(select(DocumentPage).where(DocumentPage.asset_id.in_(asset_ids))
                                .order_by(DocumentPage.asset_id, DocumentPage.page)):
        out[page.asset_id].append(page)
    return out


STAGE_FUNCTIONS = {"pages": pages_stage}
