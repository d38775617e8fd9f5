"""asset_texts.dropped: why a line the reader returned is not text (ml/ocr_filter.py); the
lines already read are judged, and the photos whose text changes are re-indexed

Every stored line is kept; ``assets.ocr_text`` (has:text, search) becomes the kept lines only.
The filter needs the size of the image the reader saw: the preview's, from ``derivatives``
(the photo's own size where the preview is gone). The search documents of the photos whose
text changed are deleted, and the reconciler writes them anew from the kept text (its pass
over assets without a document). Run on today's filter; `albumen reprocess --stage ocr` reads
the photos again instead.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

from albumen.ml import ocr_filter

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500  # photos a round

texts = sa.table("asset_texts", sa.column("id", sa.BigInteger), sa.column("asset_id"),
                 sa.column("text", sa.Text), sa.column("confidence", sa.Float),
                 sa.column("box", sa.JSON), sa.column("dropped", sa.Text))
assets = sa.table("assets", sa.column("id", sa.BigInteger), sa.column("width"),
                  sa.column("height"), sa.column("ocr_text", sa.Text))
derivatives = sa.table("derivatives", sa.column("asset_id"), sa.column("kind"),
                       sa.column("width"), sa.column("height"))
search_docs = sa.table("search_docs", sa.column("asset_id"))


@dataclass
class _Line:
    id: int
    text: str
    confidence: float
    box: list[list[float]]


def _judge_all(conn: sa.Connection, keep_all: bool) -> None:
    """Judge every photo's lines (``keep_all``: mark none dropped), set its text from the kept
    ones, and drop the search documents of the photos whose text changed."""
    last = 0
    while True:
        ids = list(conn.scalars(sa.select(texts.c.asset_id).distinct()
                                .where(texts.c.asset_id > last)
                                .order_by(texts.c.asset_id).limit(BATCH)))
        if not ids:
            return
        last = ids[-1]
        sizes = {r.id: (r.width, r.height) for r in conn.execute(
            sa.select(assets.c.id, assets.c.width, assets.c.height)
            .where(assets.c.id.in_(ids)))}
        sizes.update({r.asset_id: (r.width, r.height) for r in conn.execute(
            sa.select(derivatives.c.asset_id, derivatives.c.width, derivatives.c.height)
            .where(derivatives.c.asset_id.in_(ids), derivatives.c.kind == "preview"))})
        before = {r.id: r.ocr_text for r in conn.execute(
            sa.select(assets.c.id, assets.c.ocr_text).where(assets.c.id.in_(ids)))}
        lines: dict[int, list[_Line]] = {i: [] for i in ids}
        for r in conn.execute(sa.select(texts.c.id, texts.c.asset_id, texts.c.text,
                                        texts.c.confidence, texts.c.box)
                              .where(texts.c.asset_id.in_(ids)).order_by(texts.c.id)):
            lines[r.asset_id].append(_Line(r.id, r.text, r.confidence, r.box))
        verdicts, changed = [], []
        for asset_id, found in lines.items():
            width, height = sizes.get(asset_id) or (0, 0)
            reasons = ([None] * len(found) if keep_all or not width or not height
                       else ocr_filter.judge(found, width, height))
            verdicts += [{"line_id": line.id, "reason": reason}
                         for line, reason in zip(found, reasons, strict=True)]
            text = "\n".join(line.text for line, reason in zip(found, reasons, strict=True)
                             if reason is None) or None
            if text != before.get(asset_id):
                conn.execute(sa.update(assets).where(assets.c.id == asset_id)
                             .values(ocr_text=text))
                changed.append(asset_id)
        conn.execute(sa.update(texts).where(texts.c.id == sa.bindparam("line_id"))
                     .values(dropped=sa.bindparam("reason")), verdicts)
        if changed:
            conn.execute(sa.delete(search_docs).where(search_docs.c.asset_id.in_(changed)))


def upgrade() -> None:
    op.add_column("asset_texts", sa.Column("dropped", sa.Text(), nullable=True))
    _judge_all(op.get_bind(), keep_all=False)


def downgrade() -> None:
    _judge_all(op.get_bind(), keep_all=True)  # every line the photo's text again
    with op.batch_alter_table("asset_texts", schema=None) as batch_op:
        batch_op.drop_column("dropped")
