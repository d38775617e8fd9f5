"""upload_counts: an event's uploads per 15 minutes, kept by triggers on assets (analytics);
asset_engagement.likes and .comments (reactions and live comments per photo); an index of
activity_sources by count (anomalies)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-21 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db import search_ddl

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "upload_counts",
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("quantum", BigId, nullable=False),
        sa.Column("n", BigId, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "quantum", name=op.f("pk_upload_counts")),
    )
    search_ddl.install_upload_triggers(op.get_bind())
    with op.batch_alter_table("asset_engagement") as batch:
        batch.add_column(sa.Column("likes", BigId, nullable=False, server_default="0"))
        batch.add_column(sa.Column("comments", BigId, nullable=False, server_default="0"))
        batch.create_index("ix_asset_engagement_event_likes", ["event_id", "likes"])
    op.create_index("ix_activity_sources_event_kind_n", "activity_sources",
                    ["event_id", "kind", "n", "source"])
    for statement in ENGAGEMENT_BACKFILL:
        op.execute(statement)


# Reactions and comments made before the counts existed.
ENGAGEMENT_BACKFILL = [
    "INSERT INTO asset_engagement (asset_id, event_id, views, downloads, likes, comments) "
    "SELECT a.id, a.event_id, 0, 0, 0, 0 FROM assets a WHERE NOT EXISTS (SELECT 1 FROM "
    "asset_engagement e WHERE e.asset_id = a.id) AND (EXISTS (SELECT 1 FROM reactions r "
    "WHERE r.asset_id = a.id) OR EXISTS (SELECT 1 FROM comments c WHERE c.asset_id = a.id))",
    "UPDATE asset_engagement SET likes = (SELECT count(*) FROM reactions r "
    "WHERE r.asset_id = asset_engagement.asset_id), comments = (SELECT count(*) FROM "
    "comments c WHERE c.asset_id = asset_engagement.asset_id AND c.deleted_at IS NULL)",
]


def downgrade() -> None:
    op.drop_index("ix_activity_sources_event_kind_n", table_name="activity_sources")
    with op.batch_alter_table("asset_engagement") as batch:
        batch.drop_index("ix_asset_engagement_event_likes")
        batch.drop_column("comments")
        batch.drop_column("likes")
    search_ddl.drop_upload_triggers(op.get_bind())
    op.drop_table("upload_counts")
