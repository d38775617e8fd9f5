"""videos (what a clip is: container, streams, length), and on assets a video's duration and
the Live Photo pairing (content identifier; the clip's still); resumable uploads

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from albumen.db import search_ddl
from albumen.db.base import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "videos",
        sa.Column("asset_id", ID, sa.ForeignKey("assets.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("container", sa.String(32), nullable=False),
        sa.Column("duration", sa.Float()),
        sa.Column("coded_width", sa.Integer(), nullable=False),
        sa.Column("coded_height", sa.Integer(), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        sa.Column("fps", sa.Float()),
        sa.Column("frames", sa.BigInteger()),
        sa.Column("variable_frame_rate", sa.Boolean(), nullable=False),
        sa.Column("video_codec", sa.String(32), nullable=False),
        sa.Column("profile", sa.String(64)),
        sa.Column("pixel_format", sa.String(32)),
        sa.Column("bit_rate", sa.BigInteger()),
        sa.Column("audio_codec", sa.String(32)),
        sa.Column("audio_channels", sa.Integer()),
        sa.Column("audio_sample_rate", sa.Integer()),
        sa.Column("browser_playable", sa.Boolean(), nullable=False),
        sa.Column("poster_time", sa.Float()),
        sa.Column("strip_frames", sa.Integer()),
        sa.Column("metadata_raw", sa.JSON()),
    )
    op.create_table(
        "resumable_uploads",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("guest_id", ID, sa.ForeignKey("guests.id", ondelete="CASCADE")),
        sa.Column("link_id", ID, sa.ForeignKey("share_links.id", ondelete="CASCADE")),
        sa.Column("destination", sa.JSON(), nullable=False),
        sa.Column("filename", sa.String(1024), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("asset_id", ID, sa.ForeignKey("assets.id", ondelete="SET NULL")),
        sa.Column("outcome", sa.String(16)),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_resumable_uploads_user_id", "resumable_uploads", ["user_id"])
    op.create_index("ix_resumable_uploads_expires_at", "resumable_uploads", ["expires_at"])
    with op.batch_alter_table("faces") as batch_op:
        batch_op.add_column(sa.Column("frame_time", sa.Float(), nullable=True))
    with op.batch_alter_table("assets") as batch_op:
        batch_op.add_column(sa.Column("motion_of_id", ID, nullable=True))
        batch_op.add_column(sa.Column("content_identifier", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("duration", sa.Float(), nullable=True))
        batch_op.create_index("ix_assets_motion_of_id", ["motion_of_id"])
        batch_op.create_index("ix_assets_content_identifier", ["content_identifier"])
        batch_op.create_foreign_key("fk_assets_motion_of_id_assets", "assets",
                                    ["motion_of_id"], ["id"], ondelete="SET NULL")
    # SQLite's batch mode rebuilt assets without its triggers; the timeline's counts now
    # leave Live Photo clips out.
    search_ddl.install_asset_triggers(op.get_bind())


def downgrade() -> None:
    # The timeline's triggers read motion_of_id (PostgreSQL will not drop a column they use).
    search_ddl.drop_timeline_triggers(op.get_bind())
    with op.batch_alter_table("assets") as batch_op:
        batch_op.drop_constraint("fk_assets_motion_of_id_assets", type_="foreignkey")
        batch_op.drop_index("ix_assets_content_identifier")
        batch_op.drop_index("ix_assets_motion_of_id")
        batch_op.drop_column("duration")
        batch_op.drop_column("content_identifier")
        batch_op.drop_column("motion_of_id")
    search_ddl.install_asset_triggers(op.get_bind(), motion=False)
    op.drop_table("resumable_uploads")
    with op.batch_alter_table("faces") as batch_op:
        batch_op.drop_column("frame_time")
    op.drop_table("videos")
