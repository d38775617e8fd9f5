"""the curation tier of each asset (bronze as it arrived, silver reviewed, gold selected)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assets", sa.Column("tier", sa.String(8), nullable=False,
                                      server_default="bronze"))
    op.create_index("ix_assets_tier", "assets", ["tier"])


def downgrade() -> None:
    op.drop_index("ix_assets_tier", table_name="assets")
    op.drop_column("assets", "tier")  # SQLite drops it in place (no rebuild: triggers stay)
