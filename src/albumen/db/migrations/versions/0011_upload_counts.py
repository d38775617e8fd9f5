"""upload_counts: an event's uploads per 15 minutes, kept by triggers on assets (analytics)

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


def downgrade() -> None:
    search_ddl.drop_upload_triggers(op.get_bind())
    op.drop_table("upload_counts")
