"""What the share-links list of a page needs: each link's token and address for its managers
(events/sharing.link_token), and whether some cannot be shown again."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from albumen.api.common import share_url
from albumen.db.models import ShareLink
from albumen.events import sharing
from albumen.runtime import Runtime


def links_context(rt: Runtime, request: Request, links: list[ShareLink]) -> dict[str, Any]:
    tokens = {link.id: sharing.link_token(rt, link) for link in links}
    return {"links": links, "tokens": tokens,
            "urls": {i: share_url(rt, request, t) for i, t in tokens.items() if t},
            "unshowable": any(not link.revoked_at and not tokens[link.id] for link in links)}
