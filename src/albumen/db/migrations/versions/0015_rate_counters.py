"""rate_counters: rate-limit windows in the database, shared by every process (logins per
account and address, guest uploads, new guests, share-link passwords)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_counters")),
    )
    op.create_index(op.f("ix_rate_counters_expires_at"), "rate_counters", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_counters_expires_at"), table_name="rate_counters")
    op.drop_table("rate_counters")
