"""Exact duplicates in an event are recognised per uploader: assets.scope of event assets
becomes e<event>:g<guest> or e<event>:u<user> (a copy of someone else's upload is the
uploader's own asset and moderation item, and a duplicate reply never shows another's).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE assets SET scope = 'e' || CAST(event_id AS VARCHAR(20)) || ':' || CASE "
        "WHEN guest_id IS NOT NULL THEN 'g' || CAST(guest_id AS VARCHAR(20)) "
        "ELSE 'u' || CAST(COALESCE(uploaded_by_id, owner_id, 0) AS VARCHAR(20)) END "
        "WHERE event_id IS NOT NULL")


def downgrade() -> None:
    # Back to one scope per event; where two uploaders hold the same bytes, the later copies
    # keep their uploader's scope (the old uniqueness would refuse them).
    op.execute(
        "UPDATE assets SET scope = 'e' || CAST(event_id AS VARCHAR(20)) "
        "WHERE event_id IS NOT NULL AND id = (SELECT MIN(a.id) FROM assets a "
        "WHERE a.event_id = assets.event_id AND a.sha256 = assets.sha256)")
