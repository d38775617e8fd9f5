"""Documents' categories and what was learned of them, as stored: labels a person gives,
rules, and the classifier's predictions (a prediction under ``SUGGESTION_BELOW`` is a
suggestion, not a fact)."""

from __future__ import annotations

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.documents import CATEGORY_MODEL, Document
from albumen.db.models import Asset
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import writable_asset
from albumen.library import processing
from albumen.media import pdf
from albumen.runtime import Runtime

SUGGESTION_BELOW = 0.6


def suggested(doc: Document) -> bool:
    """Whether the document's category is only a suggestion (an unsure prediction)."""
    return (doc.category is not None and doc.category_source == CATEGORY_MODEL
            and (doc.category_confidence or 0.0) < SUGGESTION_BELOW)


def give_password(rt: Runtime, asset_id: int, secret: str, actor: Actor = audit.SYSTEM) -> None:
    """Check that ``secret`` opens the encrypted document, keep it sealed, and read the
    document again with it (every stage from the start)."""
    with rt.session() as session:
        asset = writable_asset(session, actor.user_id, asset_id) if actor.user_id else (
            session.get(Asset, asset_id))
        if asset is None:
            raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
        if asset.media_type != "document":
            raise InvalidInput(f"asset {asset_id} is not a document")
        key = asset.storage_key
    with rt.storage.local_path(key) as path:
        info = pdf.inspect(path, rt.settings.max_document_pages, secret)  # or why it will not
    with rt.transaction() as session:
        row = session.get(Document, asset_id) or Document(
            asset_id=asset_id, pages=info.pages, page_width=info.page_size[0],
            page_height=info.page_size[1], attachments=0, has_javascript=False)
        row.password_sealed = rt.sealer.seal(secret)
        session.add(row)
        audit.record(session, actor, "document.password", "asset", asset_id)
    processing.reset_stages(rt, [asset_id], None)
    rt.queue.enqueue_asset(asset_id)
