"""renditions (transformed images cached on the storage, for the image service)

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


def downgrade() -> None:
    op.drop_index("ix_renditions_used_at", table_name="renditions")
    op.drop_index("ix_renditions_asset_id", table_name="renditions")
    op.drop_table("renditions")
