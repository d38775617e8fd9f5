"""stage retries: asset_stages.transient and auto_retries (maintenance retries with backoff);
the foreign key stacks.cover_asset_id -> assets.id that 0005 left out on PostgreSQL

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21 16:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("asset_stages", sa.Column("transient", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.add_column("asset_stages", sa.Column("auto_retries", sa.Integer(), nullable=False,
                                            server_default="0"))
    op.create_index("ix_asset_stages_state_finished", "asset_stages", ["state", "finished_at"])
    if op.get_bind().dialect.name != "sqlite":  # SQLite made it with the table
        op.execute("UPDATE stacks SET cover_asset_id = NULL WHERE cover_asset_id IS NOT NULL "
                   "AND cover_asset_id NOT IN (SELECT id FROM assets)")
        op.create_foreign_key("fk_stacks_cover_asset_id_assets", "stacks", "assets",
                              ["cover_asset_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_stacks_cover_asset_id_assets", "stacks", type_="foreignkey")
    op.drop_index("ix_asset_stages_state_finished", table_name="asset_stages")
    with op.batch_alter_table("asset_stages") as batch:
        batch.drop_column("auto_retries")
        batch.drop_column("transient")
