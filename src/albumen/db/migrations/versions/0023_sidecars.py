"""metadata from sidecars and other systems' exports; labels, keyword paths, edited fields

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db.base import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assets", sa.Column("label", sa.String(32), nullable=True))
    op.add_column("assets", sa.Column("keyword_paths", sa.JSON(), nullable=True))
    op.add_column("assets", sa.Column("edited", sa.JSON(), nullable=True))
    op.create_table(
        "asset_sidecars",
        sa.Column("asset_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("name", sa.String(1024), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("xmp", sa.Text(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("asset_sidecars")
    for column in ("edited", "keyword_paths", "label"):
        op.drop_column("assets", column)  # SQLite drops in place (no rebuild: triggers stay)
