"""renditions (transformed images cached on the storage, for the image service) and
image_exports (batches of them made into a ZIP in the background)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db.base import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "renditions",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("asset_id", ID, sa.ForeignKey("assets.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_renditions_asset_id", "renditions", ["asset_id"])
    op.create_index("ix_renditions_used_at", "renditions", ["used_at"])
    op.create_table(
        "image_exports",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("asset_ids", sa.JSON()),
        sa.Column("options", sa.String(400), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer()),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("written", sa.Integer(), nullable=False),
        sa.Column("failed", sa.JSON(), nullable=False),
        sa.Column("size", sa.BigInteger()),
        sa.Column("storage_key", sa.String(300)),
        sa.Column("error", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("lease_until", UTCDateTime()),
    )
    op.create_index("ix_image_exports_owner_id", "image_exports", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_image_exports_owner_id", table_name="image_exports")
    op.drop_table("image_exports")
    op.drop_index("ix_renditions_used_at", table_name="renditions")
    op.drop_index("ix_renditions_asset_id", table_name="renditions")
    op.drop_table("renditions")
