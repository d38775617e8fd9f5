"""the device an action came from (audience segments)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activity", sa.Column("device", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("activity", "device")
