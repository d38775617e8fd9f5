"""memories built by the daily discovery job

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db.base import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "memories",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("owner_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("subtitle", sa.String(300), nullable=True),
        sa.Column("asset_ids", sa.JSON(), nullable=False),
        sa.Column("cover_asset_id", ID, sa.ForeignKey("assets.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=True),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("built_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("owner_id", "kind", "key", "day"),
    )
    op.create_index("ix_memories_owner_day", "memories", ["owner_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_memories_owner_day", table_name="memories")
    op.drop_table("memories")
