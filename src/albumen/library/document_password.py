"""The password of an encrypted document: checked against the file, kept sealed with the
installation's secret, and the document read again with it."""

from __future__ import annotations

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.documents import Document
from albumen.db.models import Asset
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import writable_asset
from albumen.library import requeue
from albumen.media import pdf
from albumen.runtime import Runtime


def give_password(rt: Runtime, asset_id: int, secret: str, actor: Actor = audit.SYSTEM) -> None:
    """Check that ``secret`` opens the encrypted document, keep it sealed, and read the
    document again with it (every stage from the start)."""
    with rt.session() as session:
        asset = (writable_asset(session, actor.user_id, asset_id) if actor.user_id
                 else session.get(Asset, asset_id))
        if asset is None:
            raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
        if asset.media_type != "document" or asset.format != "pdf":
            raise InvalidInput(f"asset {asset_id} is not a PDF", details={"asset_id": asset_id})
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
    requeue.reset_stages(rt, [asset_id], None)
    rt.queue.enqueue_asset(asset_id)
