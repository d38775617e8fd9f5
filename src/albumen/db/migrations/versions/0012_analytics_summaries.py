"""event_flag_counts and moderation_waits: an event's screening flags and its moderators'
decision times, kept by triggers on assets (the moderation panel); activity_source_hist: how
many source-hours had each count, kept by the activity writer (the anomalies' median busy hour);
indexes for the dashboard's photos by state (timeline_counts) and reactions and comments
(asset_engagement)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db import search_ddl

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_flag_counts",
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("flag", sa.Text(), nullable=False),
        sa.Column("n", BigId, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "flag", name=op.f("pk_event_flag_counts")),
    )
    op.create_table(
        "activity_source_hist",
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("prefix", sa.String(length=2), nullable=False),
        sa.Column("n", BigId, nullable=False),
        sa.Column("hours", BigId, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "kind", "prefix", "n",
                                name=op.f("pk_activity_source_hist")),
    )
    op.create_table(
        "moderation_waits",
        sa.Column("asset_id", BigId, nullable=False),
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_moderation_waits")),
    )
    op.create_index("ix_moderation_waits_event_seconds", "moderation_waits",
                    ["event_id", "seconds"])
    # The event's photos by moderation state (the dashboard) from the timeline's counts.
    op.create_index("ix_timeline_counts_event", "timeline_counts", ["event_key", "moderation"])
    # Reactions and comments per event read from the index alone.
    op.drop_index("ix_asset_engagement_event_likes", table_name="asset_engagement")
    op.create_index("ix_asset_engagement_event_likes", "asset_engagement",
                    ["event_id", "likes", "comments"])
    conn = op.get_bind()  # the triggers, and the counts of what is already there
    search_ddl.install_flag_triggers(conn)
    search_ddl.install_wait_triggers(conn)
    search_ddl.recount_source_histogram(conn)


def downgrade() -> None:
    op.drop_index("ix_asset_engagement_event_likes", table_name="asset_engagement")
    op.create_index("ix_asset_engagement_event_likes", "asset_engagement", ["event_id", "likes"])
    op.drop_index("ix_timeline_counts_event", table_name="timeline_counts")
    search_ddl.drop_wait_triggers(op.get_bind())
    search_ddl.drop_flag_triggers(op.get_bind())
    op.drop_index("ix_moderation_waits_event_seconds", table_name="moderation_waits")
    op.drop_table("moderation_waits")
    op.drop_table("activity_source_hist")
    op.drop_table("event_flag_counts")
