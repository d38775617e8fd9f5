"""documents and document_pages (PDFs as assets: their metadata, each page's text, what was
learned of them), document_rules and document_classifiers (categories by rule, and learned
from labels), text_chunks (passages with sentence embeddings, for about:); asset_stages.progress_done/progress_total (pages of a document read)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db.base import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("asset_id", ID,
                  sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("page_width", sa.Float(), nullable=False),
        sa.Column("page_height", sa.Float(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("author", sa.Text()),
        sa.Column("subject", sa.Text()),
        sa.Column("pdf_keywords", sa.Text()),
        sa.Column("creator", sa.Text()),
        sa.Column("producer", sa.Text()),
        sa.Column("created", UTCDateTime()),
        sa.Column("modified", UTCDateTime()),
        sa.Column("attachments", sa.Integer(), nullable=False),
        sa.Column("has_javascript", sa.Boolean(), nullable=False),
        sa.Column("metadata_raw", sa.JSON()),
        sa.Column("password_sealed", sa.Text()),
        sa.Column("language", sa.String(8)),
        sa.Column("keywords", sa.JSON()),
        sa.Column("summary", sa.Text()),
        sa.Column("category", sa.String(100)),
        sa.Column("category_confidence", sa.Float()),
        sa.Column("category_source", sa.String(8)),
    )
    op.create_index("ix_documents_category", "documents", ["category"])
    op.create_table(
        "document_pages",
        sa.Column("asset_id", ID,
                  sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("page", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("confidence", sa.Float()),
    )
    op.create_table(
        "document_rules",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("algorithm", sa.String(16), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("case_sensitive", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_document_rules_owner_id", "document_rules", ["owner_id"])
    op.create_table(
        "document_classifiers",
        sa.Column("owner_key", ID, primary_key=True, autoincrement=False),
        sa.Column("model", sa.LargeBinary()),
        sa.Column("categories", sa.JSON()),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTCDateTime()),
        sa.Column("trained_at", UTCDateTime()),
        sa.Column("error", sa.Text()),
    )
    op.create_table(
        "text_chunks",
        sa.Column("id", ID, primary_key=True),
        sa.Column("asset_id", ID, sa.ForeignKey("assets.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("page", sa.Integer()),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_text_chunks_asset_id", "text_chunks", ["asset_id"])
    with op.batch_alter_table("asset_stages") as batch_op:
        batch_op.add_column(sa.Column("progress_done", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("progress_total", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asset_stages") as batch_op:
        batch_op.drop_column("progress_total")
        batch_op.drop_column("progress_done")
    op.drop_index("ix_text_chunks_asset_id", table_name="text_chunks")
    op.drop_table("text_chunks")
    op.drop_table("document_classifiers")
    op.drop_index("ix_document_rules_owner_id", table_name="document_rules")
    op.drop_table("document_rules")
    op.drop_table("document_pages")
    op.drop_index("ix_documents_category", table_name="documents")
    op.drop_table("documents")
