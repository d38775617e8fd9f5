"""ix_assets_local_visible: a covering index for date filters with the visibility check (a
semantic search's prefilter reads a year's ids from the index alone); asset_embeddings.code
dropped (the vector index derives its codes from the vectors when it loads)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-21 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["local_at", "owner_id", "deleted_at", "event_id", "moderation", "uploaded_by_id",
           "sort_at"]


def upgrade() -> None:
    op.create_index("ix_assets_local_visible", "assets", COLUMNS)
    with op.batch_alter_table("asset_embeddings") as batch:
        batch.drop_column("code")


def downgrade() -> None:
    with op.batch_alter_table("asset_embeddings") as batch:
        batch.add_column(sa.Column("code", sa.LargeBinary(), nullable=True))
    op.drop_index("ix_assets_local_visible", table_name="assets")
